"""Ordinary numbers citizens write are never masked (issue 13's false-positive check).

The sentences in ``ordinary_numbers.yml`` were copied verbatim from public pages (each with
its URL): amounts, dates, times, ages, durations, addresses, hotlines, counts, legal and
procedure numbers, dossier codes. None holds personal data, so masking must leave every one
unchanged. The first set was split once by a hash of the text: ``dev`` may be looked at
while changing the rules, ``test`` is only scored. Two of its test sentences were then fixed
(a house-number range, a receipt number), so ``ordinary_numbers_a.yml`` and ``_b.yml`` were
collected as a new test set (221 sentences, scored once: 220 unchanged; the quoted hotline
'đường dây nóng "1022"' was fixed after), and ``ordinary_numbers_c.yml`` after that.
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
    for path in [HERE / f"ordinary_numbers{part}.yml" for part in ("", "_a", "_b", "_c")]:
        found = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        entries += [dict(entry, set=path.stem) for entry in found]
    return entries


def split(text: str) -> str:
    return "dev" if int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "test"


SENTENCES = ordinary_sentences()
# Marked masked_today in the files, all in set c (scored once on 2026-12-07: 147 of 161 unchanged, then the
# house number before a street word was fixed): office landlines in a phone's shape, 4-8 digit
# numbers given as examples, postcodes after a long phrase, a view count, a document number
# written "1712 /TCTHK". Strict xfails: the rest can never regress, and fixing one fails here
# until it is taken off.
MASKED_TODAY = {entry["text"] for entry in SENTENCES if entry.get("masked_today")}


def _case(entry: Dict[str, str]) -> object:
    marks = [pytest.mark.xfail(strict=True, reason="masked today")] if entry["text"] in MASKED_TODAY else []
    return pytest.param(entry, marks=marks, id=f"{entry['set']}-{split(entry['text'])}-{entry['kind']}")


def test_the_set_is_large_and_sourced() -> None:
    assert len(SENTENCES) >= 200
    assert all(
        entry["url"].startswith("http") and any(ch.isdigit() for ch in entry["text"]) for entry in SENTENCES
    )


@pytest.mark.parametrize("entry", [_case(entry) for entry in SENTENCES])
def test_an_ordinary_number_is_not_masked(entry: Dict[str, str]) -> None:
    assert mask(entry["text"]) == entry["text"]
