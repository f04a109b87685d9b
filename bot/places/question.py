"""What a help-point question asks besides the place: which kind of point, and which day."""

from __future__ import annotations

import datetime
import re
from typing import FrozenSet, Optional

from bot.text import fold

# Folded phrases naming a kind of help point (bot.places.models.KINDS).
_KIND_WORDS = {
    "buu_dien": r"buu dien|buu cuc|vnpost|vietnam post|bd",
    "mot_cua": r"mot cua|hanh chinh cong|ubnd|uy ban|phuong uy ban|trung tam phuc vu",
    "cong_an": r"cong an|ca xa|ca phuong|lam can cuoc|lam cccd",
}
# Folded day names; Monday = 0 as datetime counts.
_DAY_WORDS = (
    r"thu (?:2|hai)|t2",
    r"thu (?:3|ba)|t3",
    r"thu (?:4|tu)|t4",
    r"thu (?:5|nam)|t5",
    r"thu (?:6|sau)|t6",
    r"thu (?:7|bay)|t7",
    r"chu nhat|cn",
)


def _has(pattern: str, folded: str) -> bool:
    return re.search(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])", folded) is not None


def kinds_in(text: str) -> FrozenSet[str]:
    """The kinds of help point the text asks for; empty when it names none (any will do)."""
    folded = fold(text)
    return frozenset(kind for kind, pattern in _KIND_WORDS.items() if _has(pattern, folded))


def weekday_in(text: str, today: datetime.date) -> Optional[int]:
    """The day the text asks about ("thứ 7", "chủ nhật", "hôm nay", "ngày mai"), or None."""
    # "thứ tự" (order) folds like "thứ tư" (Wednesday); only its accented form can be told apart.
    folded = fold(re.sub(r"thứ tự", " ", text.lower()))
    for day, pattern in enumerate(_DAY_WORDS):
        if _has(pattern, folded):
            return day
    if _has(r"hom nay", folded):
        return today.weekday()
    if _has(r"ngay mai|mai co", folded):
        return (today.weekday() + 1) % 7
    return None
