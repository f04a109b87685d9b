"""Ordinary numbers citizens write are never masked (issue 13's false-positive check).

The sentences in ``ordinary_numbers.yml`` were copied verbatim from public pages (each with
its URL): amounts, dates, times, ages, durations, addresses, hotlines, counts, legal and
procedure numbers, dossier codes. None holds personal data, so masking must leave every one
unchanged. The set was split once by a hash of the text: ``dev`` may be looked at while
changing the rules, ``test`` is only scored.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from bot.web.pii import mask

HERE = Path(__file__).parent


def ordinary_sentences() -> List[Dict[str, str]]:
    entries: List[Dict[str, str]] = []
    for path in [HERE / "ordinary_numbers.yml"]:
        entries += yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return entries


def split(text: str) -> str:
    return "dev" if int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "test"


SENTENCES = ordinary_sentences()
# Masked today (measured 2026-12-07, 4 of 253): kept here so that the rest can never
# regress, and so that fixing one fails this list (strict xfail) until it is taken off.
# Two are in the test split: fixing them means collecting a new test set.
MASKED_TODAY = {
    "Địa chỉ: 333-335-337 Nguyễn Trãi, Phường Nguyễn Cư Trinh, Quận 1, Thành phố Hồ Chí Minh.",
    "Ví dụ: Muốn tra cứu hồ sơ có số biên nhận là 00673810079, xin vui lòng làm theo các bước sau:",
    "Bước 2 : Nhận kết quả từ tổng đài SMS 8088",
    "Soạn tin nhắn với cú pháp: HCC DN [SOBIENNHAN] gửi 8088",
}


def _case(entry: Dict[str, str]) -> object:
    marks = [pytest.mark.xfail(strict=True, reason="masked today")] if entry["text"] in MASKED_TODAY else []
    return pytest.param(entry, marks=marks, id=f"{split(entry['text'])}-{entry['kind']}")


def test_the_set_is_large_and_sourced() -> None:
    assert len(SENTENCES) >= 200
    assert all(
        entry["url"].startswith("http") and any(ch.isdigit() for ch in entry["text"]) for entry in SENTENCES
    )


@pytest.mark.parametrize("entry", [_case(entry) for entry in SENTENCES])
def test_an_ordinary_number_is_not_masked(entry: Dict[str, str]) -> None:
    assert mask(entry["text"]) == entry["text"]
