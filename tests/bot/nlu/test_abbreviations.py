from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, Optional, Tuple

import pytest

from bot.nlu.abbreviations import DEFAULT_PATH, has_marks, load_abbreviations, parse_abbreviations
from bot.text import fold


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("dk", ("đăng", "ký")),
        ("đk", ("đăng", "ký")),
        ("ĐK", ("đăng", "ký")),
        ("Dky", ("đăng", "ký")),
        ("cccd", ("căn", "cước", "công", "dân")),
        ("CMND", ("chứng", "minh", "nhân", "dân")),
        ("ko", ("không",)),
        ("k", ("không",)),
        ("hok", ("không",)),
        ("khong", ("không",)),
        ("đc", ("được",)),
        ("dc", ("được",)),
        ("mk", ("mật", "khẩu")),
        ("tk", ("tài", "khoản")),
        ("sđt", ("số", "điện", "thoại")),
        ("sdt", ("số", "điện", "thoại")),
        ("đt", ("điện", "thoại")),
        ("dvc", ("dịch", "vụ", "công")),
        ("gplx", ("giấy", "phép", "lái", "xe")),
        ("bhyt", ("bảo", "hiểm", "y", "tế")),
        ("bhxh", ("bảo", "hiểm", "xã", "hội")),
        ("ntn", ("như", "thế", "nào")),
        ("j", ("gì",)),
        ("vs", ("với",)),
        ("r", ("rồi",)),
        ("bn", ("bao", "nhiêu")),
        ("e", ("em",)),
        ("ubnd", ("ủy", "ban", "nhân", "dân")),
        # kept as they are
        ("otp", None),
        ("vneid", None),
        # words typed with tone or vowel marks are never abbreviations
        ("ạ", None),
        ("à", None),
        ("hỏng", None),
        ("ê", None),
        ("đắk", None),
        (unicodedata.normalize("NFD", "kỳ"), None),
        # left out on purpose: ambiguous once the marks are gone
        ("a", None),
        ("hong", None),
        ("hs", None),
        # not a single abbreviation
        ("dk cccd", None),
        ("", None),
    ],
)
def test_expand(typed: str, expected: Optional[Tuple[str, ...]]) -> None:
    assert load_abbreviations().expand(typed) == expected


@pytest.mark.parametrize(
    "syllable, expected",
    [
        ("dk", ("đăng", "ký")),
        ("cccd", ("căn", "cước", "công", "dân")),
        ("vneid", ("vneid",)),
        ("hỏng", ("hỏng",)),
        # glued to punctuation, as underthesea leaves "dk.tam" in "lam sao dk.tam tru": each run
        # of letters and digits counts, as in the gazetteer
        ("dk.tam", ("đăng", "ký.tam")),
        ("tk/mk", ("tài", "khoản/mật", "khẩu")),
        (":ntn", (":như", "thế", "nào")),
        ("vneid.gov.vn", ("vneid.gov.vn",)),
        # the price of consistency: a one-letter abbreviation inside a compound expands too
        ("e-mail", ("em-mail",)),
        ("", ("",)),
    ],
)
def test_expand_within(syllable: str, expected: Tuple[str, ...]) -> None:
    assert load_abbreviations().expand_within(syllable) == expected


def test_the_shipped_table_is_well_formed() -> None:
    table = load_abbreviations()

    assert table is load_abbreviations()  # read once
    assert table == load_abbreviations(DEFAULT_PATH)
    for abbreviation, syllables in table.expansions.items():
        assert abbreviation == fold(abbreviation)
        assert re.fullmatch(r"[a-z0-9]+", abbreviation)
        assert syllables and all(s == unicodedata.normalize("NFC", s.lower()) for s in syllables)


def test_folded_full_forms() -> None:
    folded = load_abbreviations().folded()

    assert folded["dk"] == ("dang", "ky")
    assert folded["cccd"] == ("can", "cuoc", "cong", "dan")
    assert folded["ubnd"] == ("uy", "ban", "nhan", "dan")


@pytest.mark.parametrize(
    "word, expected",
    [("dk", False), ("đk", False), ("Đ", False), ("ạ", True), ("hỏng", True), ("ê", True), ("cccd", False)],
)
def test_has_marks(word: str, expected: bool) -> None:
    assert has_marks(word) is expected


def test_full_forms_use_one_tone_mark_style() -> None:
    table = parse_abbreviations({"expansions": {"Hoà Bình": ["hb"]}})

    assert table.expand("hb") == ("hòa", "bình")


@pytest.mark.parametrize(
    "content, message",
    [
        ([], r"expansions: expected a mapping"),
        ({"expansions": ["dk"]}, r"expansions: expected a mapping"),
        ({"expansions": {"đăng ký": "dk"}}, r"expansions\['đăng ký'\]: expected a non-empty list"),
        ({"expansions": {"đăng ký": []}}, r"expansions\['đăng ký'\]: expected a non-empty list"),
        ({"expansions": {" ": ["dk"]}}, r"expansions\[' '\]: the full form must be a non-empty text"),
        ({"expansions": {"đăng ký": ["đký"]}}, r"'đký' must be one run of letters and digits without tone"),
        ({"expansions": {"đăng ký": ["d k"]}}, r"'d k' must be one run of letters and digits"),
        ({"expansions": {"đăng ký": ["d.k"]}}, r"'d.k' must be one run of letters and digits"),
        ({"expansions": {"số": [1]}}, r"expansions\['số'\]: 1 is not a text; quote it"),
        (
            {"expansions": {"đăng ký": ["dk"], "đăng kiểm": ["đk"]}},
            r"expansions\['đăng kiểm'\]: 'đk' is already the abbreviation of 'đăng ký'",
        ),
        ({"expansions": {"một lần": ["otp"]}, "keep": ["OTP"]}, r"'otp' is also listed under 'keep'"),
        ({"expansions": {"đăng ký": ["dk"]}, "keep": "otp"}, r"keep: expected a list of words"),
    ],
)
def test_bad_tables_name_the_file_and_the_field(content: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message) as error:
        parse_abbreviations(content, source="my.yml")

    assert str(error.value).startswith("my.yml: ")


def test_load_a_table_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "abbreviations.yml"
    path.write_text("expansions:\n  căn cước: [cc]\nkeep: [otp]\n", encoding="utf-8")

    assert load_abbreviations(path).expansions == {"cc": ("căn", "cước")}


def test_yaml_1_2_reads_no_and_on_as_texts(tmp_path: Path) -> None:
    # PyYAML (YAML 1.1) would read these as booleans; Rasa's reader does not.
    path = tmp_path / "abbreviations.yml"
    path.write_text("expansions:\n  ơn: [on]\n  nồi: ['no']\n", encoding="utf-8")

    assert load_abbreviations(path).expand("on") == ("ơn",)
