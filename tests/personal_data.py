"""Citizens' personal data as people really type it, and a search for it in stored text.

``variants()`` draws a message holding one or two values (an ID, a phone number, an OTP or
passcode, a password), written the ways citizens write them: glued to the keyword, dotted,
in groups, split by invisible characters, in other Unicode digits, before or after the
keyword, inside an intent payload, in Vietnamese with or without diacritics.

``leaks()`` looks for those values in whatever was stored or logged. It is written apart
from ``bot/web/pii.py`` on purpose: it decodes JSON and Python escapes, turns every
Unicode digit into ASCII, drops invisible characters, and then matches each value's
digits with any separators between them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Iterator, List, Tuple

from hypothesis import strategies as st

# ---------------------------------------------------------------------------------------------
# What is hidden


@dataclass(frozen=True)
class Value:
    """One personal value in a message: ``digits`` for numbers, ``text`` for passwords."""

    what: str  # "id", "phone", "code", "password"
    raw: str  # the digits (a phone without its leading 0 or 84), or the password itself

    @property
    def is_number(self) -> bool:
        return self.what != "password"


@dataclass(frozen=True)
class Variant:
    message: str
    values: Tuple[Value, ...]


def _digits(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=min_size, max_size=max_size)


# A CCCD: 3-digit province code (001–096), a century-and-sex digit, 2 for the year, 6 more.
_CCCD = st.builds(
    lambda province, rest: f"{province:03d}{rest}",
    st.integers(1, 96),
    _digits(9, 9),
)
_CMND = st.builds(lambda first, rest: first + rest, st.sampled_from("0123"), _digits(8, 8))
# A mobile number without its 0 / +84: a network digit then 8 digits.
_MOBILE = st.builds(lambda net, rest: net + rest, st.sampled_from("35789"), _digits(8, 8))
_CODE = _digits(4, 8).filter(lambda d: not (d.startswith(("19", "20")) and len(d) == 4))

_PASSWORD_CHARS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789@#$%&*!_"
_PASSWORD = st.text(_PASSWORD_CHARS, min_size=8, max_size=14).filter(
    lambda p: any(c.isdigit() for c in p) and any(c.isalpha() for c in p) and any(not c.isalnum() for c in p)
)

# Separators between groups of digits, and characters that do not show.
_SEPARATORS = (" ", ".", "-", " - ", "  ", "\u00a0", "\u2009", "\u2013", "\u3000", "·")
_INVISIBLE = (
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte-order mark
    "\u00ad",  # soft hyphen
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\ufff9",  # interlinear annotation anchor
    "\U000e0020",  # tag space
    "\U000e0041",  # tag latin A
    "\u180e",  # Mongolian vowel separator
    "\u034f",  # combining grapheme joiner
    "\ufe0f",  # variation selector 16
    "\u3164",  # Hangul filler
    "\u2800",  # braille blank
    "\x7f",  # delete
)
# Other decimal digits a phone keyboard or a copy-paste may give.
_DIGIT_SETS = (
    "0123456789",
    "０１２３４５６７８９",  # full-width
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold
)


# How each kind is grouped when written out in full: "0912 345 678", "001 203 004 567".
_USUAL_GROUPS = {
    12: ((3, 3, 3, 3), (4, 4, 4)),
    10: ((4, 3, 3), (3, 3, 4), (2, 2, 2, 2, 2)),
    9: ((3, 3, 3),),
    6: ((3, 3),),
}


def _grouped(digits: str, sizes: Tuple[int, ...]) -> List[str]:
    pieces, i = [], 0
    for size in sizes:
        pieces.append(digits[i : i + size])
        i += size
    return pieces


@st.composite
def _written(draw: st.DrawFn, digits: str, with_keyword: bool) -> str:
    """``digits`` as someone may write them: plain, in groups, split, in other digits.

    Next to a keyword ("CCCD", "sđt", "OTP") any grouping goes; on its own a number is only
    written in its usual groups, since "365.251.152" alone is an amount and "3.6.21" a version.
    """
    styles = ["plain", "invisible"]
    if with_keyword:
        styles += ["usual", "dotted", "grouped", "mixed"]
    elif len(digits) >= 9:
        styles.append("usual")  # but "156 761" alone is two numbers, not a code
    style = draw(st.sampled_from(styles))
    separators_from: Tuple[str, ...] = _SEPARATORS
    if style == "plain":
        pieces = [digits]
    elif style == "usual":
        sizes = _USUAL_GROUPS.get(len(digits), ((len(digits),),))
        pieces = _grouped(digits, draw(st.sampled_from(sizes)))
        # On its own, 9 digits in dots would be an amount ("123.456.789 đồng").
        separators_from = (" ", "-") if len(digits) == 9 and not with_keyword else (" ", "-", ".")
    elif style == "dotted":
        size = draw(st.sampled_from([3, 4]))
        pieces = [digits[i : i + size] for i in range(0, len(digits), size)]
    else:
        cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), min_size=1, max_size=5)))
        pieces = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    if style == "dotted":
        separators = ["."] * (len(pieces) - 1)
    elif style in ("grouped", "usual"):
        separator = draw(st.sampled_from(separators_from))
        separators = [separator] * (len(pieces) - 1)
    elif style == "invisible":
        separators = [draw(st.sampled_from(_INVISIBLE)) for _ in pieces[1:]]
    else:
        separators = [draw(st.sampled_from(_SEPARATORS + _INVISIBLE)) for _ in pieces[1:]]
    text = pieces[0] + "".join(s + p for s, p in zip(separators, pieces[1:], strict=True))
    digit_set = draw(st.sampled_from(_DIGIT_SETS[:1] * 4 + _DIGIT_SETS[1:]))
    return text.translate(str.maketrans("0123456789", digit_set))


# ---------------------------------------------------------------------------------------------
# Messages

_ID_WORDS = ("CCCD", "cccd", "căn cước", "can cuoc", "CMND", "cmnd", "số định danh", "so dinh danh")
_PHONE_WORDS = ("sđt", "sdt", "SĐT", "số điện thoại", "so dien thoai", "đt", "dt", "zalo", "phone")
_CODE_WORDS = ("OTP", "otp", "mã OTP", "ma otp", "mã xác thực", "ma xac thuc", "passcode", "pascode")
_PASSWORD_WORDS = ("mk", "MK", "mật khẩu", "mat khau", "pass", "password", "Mật khẩu", "matkhau")
_JOINS = ("", " ", ": ", " là ", " la ", " của tôi là ", " cua toi la ", " mới ", "=")

# Vietnamese around the value, with and without diacritics, short and long.
_BEFORE = (
    "",
    "cho tôi hỏi ",
    "cho toi hoi ",
    "em chào anh chị, ",
    "bác ơi ",
    "Tôi 70 tuổi, ",
    "toi o xa, ",
    "dạ ",
)
_AFTER = (
    "",
    " giúp tôi kích hoạt VNeID",
    " giup toi kich hoat vneid",
    " mà không nhận được mã",
    " ma ko dang nhap dc",
    " thì làm sao ạ?",
    ", ở phường Bến Nghé",
    " nhé",
    ".",
)


@st.composite
def _piece(draw: st.DrawFn) -> Tuple[str, Value]:
    """One value with its keyword (or none, for numbers that are personal on their own)."""
    what = draw(st.sampled_from(["id", "id", "phone", "phone", "code", "password", "password"]))
    order = draw(st.sampled_from(["after", "after", "glued", "before", "alone"]))
    if what == "password" and order == "alone":
        order = "after"  # a password is only known by its keyword
    with_keyword = order != "alone"
    if what == "id":
        raw = draw(st.one_of(_CCCD, _CCCD, _CMND))
        written, words = draw(_written(raw, with_keyword)), _ID_WORDS
    elif what == "phone":
        raw = draw(_MOBILE)
        prefix = draw(st.sampled_from(["0", "0", "+84", "+84 ", "84", "(+84) "]))
        if prefix == "0":
            written = draw(_written("0" + raw, with_keyword))
        else:
            written = prefix + draw(_written(raw, with_keyword))
        words = _PHONE_WORDS
    elif what == "code":
        raw = draw(_CODE)
        written, words = draw(_written(raw, with_keyword)), _CODE_WORDS
    else:
        raw = draw(_PASSWORD)
        written, words = raw, _PASSWORD_WORDS
    value = Value(what, raw)
    keyword = draw(st.sampled_from(words))
    if order == "glued":
        if what == "password" and not raw[0].isdigit():
            return f"{keyword} {written}", value
        return keyword + written, value
    if order == "before":
        if what == "password":
            return f"{written} là {keyword.lower()} của tôi", value
        return f"{written} là {keyword} của tôi", value
    if order == "alone":
        return written, value
    return keyword + draw(st.sampled_from(_JOINS[1:])) + written, value


# The intents the wrappers below use; tests that vet payloads must allow them.
PAYLOAD_INTENTS = frozenset({"greet", "ask_find_post_office", "ask_activate_account"})


@st.composite
def variants(draw: st.DrawFn) -> Variant:
    """A message with one or two personal values, maybe inside an intent payload."""
    pieces = draw(st.lists(_piece(), min_size=1, max_size=2))
    joined = ", ".join(text for text, _ in pieces)
    message = draw(st.sampled_from(_BEFORE)) + joined + draw(st.sampled_from(_AFTER))
    if draw(st.booleans()):
        message = unicodedata.normalize("NFD", message)
    wrapper = draw(
        st.sampled_from(
            [
                "{}",
                "{}",
                "{}",
                '/greet{{"x":{}}}',
                '/ask_find_post_office{{"place":{}}}',
                '/ask_find_post_office{{"latitude":{}}}',
                '/ask_activate_account{{"procedure_name":{}}}',
                '{{"message":{}}}',
            ]
        )
    )
    if wrapper != "{}":
        message = wrapper.format(json.dumps(message, ensure_ascii=draw(st.booleans())))
    return Variant(message, tuple(value for _, value in pieces))


# ---------------------------------------------------------------------------------------------
# Looking for values in stored text

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|\\x([0-9a-fA-F]{2})")
# Identifiers the services make up (session ids, message ids), whose digits mean nothing.
# (A run of digits only is never taken for one: it may be a value.)
_HEX_ID = re.compile(
    r"(?<![0-9A-Za-z])(?=[0-9-]*[a-fA-F])"
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}(?![0-9A-Za-z])"
)
_HEX_RUN = re.compile(r"(?<![0-9A-Za-z])(?=[0-9]*[a-fA-F])[0-9a-fA-F]{16,}(?![0-9A-Za-z])")
# What may stand between a value's digits once invisible characters are gone: the separators
# people type. Not ":" or ",", so "06:15:22,123" in a log line is not taken for a code.
_GAP = r"[ .\-\u00b7\u2013]{0,3}"
# A value is a whole number: not the tail of "1765091234.5678" or of a date "2026-12-07".
_BEFORE_VALUE = r"(?<!\d)(?<!\d[.,:-])"
_AFTER_VALUE = r"(?!\d)(?![.,:-]\d)"


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = int(next(g for g in match.groups() if g), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _ESCAPE.sub(one, text)


def _plain(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    if ch == "\n":
        return ch
    if category[0] in "CM" or ch in "\u3164\u2800\u115f\u1160\uffa0":
        return ""
    if category[0] == "Z" or ch.isspace():
        return " "
    return ch


def strings_in(stored: str) -> Iterator[str]:
    """The strings of a stored JSON document (keys and values), or the text itself.

    JSON numbers are left out: in Rasa's events they are what the model and the clock
    computed (confidences, offsets, timestamps), never what a citizen typed, and their
    millions of digits would hide a short code by chance."""
    try:
        document = json.loads(stored)
    except ValueError:
        yield stored
        return
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def readable(stored: Iterable[str]) -> str:
    """Stored or logged text as one string a person would read, made up identifiers removed."""
    text = "\n".join(_unescape(_unescape(s)) for s in stored)
    text = unicodedata.normalize("NFC", "".join(_plain(ch) for ch in text))
    return _HEX_RUN.sub(" ", _HEX_ID.sub(" ", text))


def _pattern(value: Value) -> re.Pattern[str]:
    if not value.is_number:
        return re.compile(re.escape(value.raw))
    body = _GAP.join(value.raw)
    if value.what == "phone":
        body = rf"(?:0|84|\+84)?{_GAP}{body}"
    return re.compile(_BEFORE_VALUE + body + _AFTER_VALUE)


def leaks(haystack: str, values: Iterable[Value]) -> List[Value]:
    """The values found in ``haystack`` (made with ``readable``)."""
    return [value for value in values if _pattern(value).search(haystack)]


def found_at(haystack: str, value: Value, around: int = 60) -> str:
    """The stretch of ``haystack`` around where ``value`` was found (for a failure message)."""
    match = _pattern(value).search(haystack)
    return "" if match is None else haystack[max(0, match.start() - around) : match.end() + around]
