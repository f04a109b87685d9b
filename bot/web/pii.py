"""Mask personal data (ID, phone, OTP-like codes, passwords) before a message reaches Rasa.

Rasa keeps every message in its tracker store, so an ID number, OTP code or password
typed into the chat would be stored for good. These rules are deliberately basic; the
table in ``tests/bot/web/test_pii.py`` documents each one.

| what                                         | example                  | becomes             |
|----------------------------------------------|--------------------------|---------------------|
| 12-digit CCCD / personal ID                  | 12 digits, e.g. 1234…    | [số giấy tờ]        |
| 9-digit old CMND                             | 123456789                | [số giấy tờ]        |
| the same in groups of 3 or 4 (space, "-")    | 123 456 789 012          | [số giấy tờ]        |
| any other run of 9–19 digits (account, card) | 12345678901              | [số giấy tờ]        |
| phone: 0 + 9–10 digits, +84 / 84 + 9–10      | 0912.345.678, +84 912…   | [số điện thoại]     |
| standalone 4–8 digit code (OTP, PIN)         | 123456                   | [mã]                |
| all of the above in any Unicode decimal      | ０９１２３４５６７８     | [số điện thoại]     |
| digits (full-width, Arabic-Indic, …), split  | 0912<ZWSP>345<ZWSP>678   | [số điện thoại]     |
| by zero-width chars, soft hyphens, bidi      | 0912<NBSP>345<NBSP>678   | [số điện thoại]     |
| marks, NBSP and other spaces, dashes         | 0912–345–678             | [số điện thoại]     |
| password after a keyword: mật khẩu, mat      | mật khẩu của tôi là      | mật khẩu của tôi    |
| khau, matkhau, mật mã, mk, pass, password,   | Abc@12345                | là [mật khẩu]       |
| passwd, pwd (any case, NFD, full-width)      |                          |                     |
| the secret is the next token, after optional | mk 2024                  | mk [mật khẩu]       |
| "của tôi/em/…" and "mới/cũ/VNeID/mặc định/…";| mk mới Abc@123           | mk mới [mật khẩu]   |
| it has a symbol, or a digit and is not a     | pass=matkhau1            | pass=[mật khẩu]     |
| count ("8", "8-20", "6+")                    |                          |                     |
| after "là/la/is/:/=", up to 3 words after    | mật khẩu VNeID là abcdef | … là [mật khẩu]     |
| the keyword, also a word that is not plain   | password: Secret         | password: [mật khẩu]|
| Vietnamese (one syllable) or teencode ("j")  |                          |                     |
| only the token: quotes, brackets and final   | mk: "Abc@1".             | mk: "[mật khẩu]".   |
| punctuation around it stay                   |                          |                     |
| code keyword (passcode, pascode, mã PIN, mã  | passcode 123456          | passcode [mã]       |
| bảo mật): a secret of digits only is a code  | mã PIN: Ab12             | mã PIN: [mật khẩu]  |
| a number inside or next to a secret goes too | mk 0912 345 678          | mk [mật khẩu]       |
| kept: questions about passwords              | quên mật khẩu thì làm    | unchanged           |
|                                              | sao, mk bị sai, mật khẩu |                     |
|                                              | là gì, mk 8-20 ký tự,    |                     |
|                                              | đổi mật khẩu VNeID       |                     |
| kept: hotlines 1900… / 1800… (but 12 digits  | 1900 0368                | unchanged           |
| in three groups of 4 are an ID)              |                          |                     |
| kept: years 19xx / 20xx                      | năm 2024, 2019 2020 2021 | unchanged           |
| kept: amounts followed by a currency word    | 50000 đồng               | unchanged           |
| (not from a leading 0: that is a phone)      |                          |                     |
| kept: parts of dates, document numbers       | 01/07/2024, 59/2022/NĐ   | unchanged           |
| kept: numbers of 1–3 digits                  | mức 2                    | unchanged           |

The patterns run on a normalised view of the text (Unicode digits as ASCII, invisible
characters dropped, odd spaces and dashes as " " and "-", full-width forms as ASCII, NFD
marks composed); only the matched spans are replaced in the original, so everything else
(NFD, emoji, RTL text, control characters) passes through unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from typing import List, Optional, Tuple

ID_MASK = "[số giấy tờ]"
PHONE_MASK = "[số điện thoại]"
CODE_MASK = "[mã]"
SECRET_MASK = "[mật khẩu]"

_PLACEHOLDERS = (ID_MASK, PHONE_MASK, CODE_MASK, SECRET_MASK)

# ---------------------------------------------------------------------------------------------
# The normalised view

# Characters the view changes: non-ASCII digits and spaces, invisible characters (zero-width
# spaces and joiners, soft hyphen, word joiner, BOM, bidi controls), dashes, full-width ASCII
# and the combining marks of NFD Vietnamese.
_SPECIAL = re.compile(
    r"(?![0-9])\d|(?![\t\n\v\f\r ])\s"
    r"|[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
    r"|[\u2010-\u2015\u2212\ufe58\ufe63\uff01-\uff5e\u0300-\u036f]"
)
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63")
_FULL_WIDTH_OFFSET = 0xFEE0  # "！" (U+FF01) - "!"


def _view_char(ch: str) -> str:
    """The view's character for one ``_SPECIAL`` character that is not a combining mark."""
    if ch.isdecimal():
        return str(unicodedata.decimal(ch))
    if ch.isspace():
        return " "
    if ch in _DASHES:
        return "-"
    if "\uff01" <= ch <= "\uff5e":
        return chr(ord(ch) - _FULL_WIDTH_OFFSET)
    return ""  # invisible: dropped, so "0912\u200b345" reads as one number


_View = Tuple[str, Optional[List[int]], Optional[List[int]]]


def _normalise(text: str) -> _View:
    """The view of ``text`` and, unless it is ``text`` itself, where each view character came from.

    ``starts[i]:ends[i]`` is the span of ``text`` that view character ``i`` stands for; more
    than one character for composed marks, and dropped characters fall between spans.
    """
    first = _SPECIAL.search(text)
    if first is None:
        return text, None, None
    pieces: List[str] = []
    starts: List[int] = []
    ends: List[int] = []
    done = 0
    for match in _SPECIAL.finditer(text, first.start()):
        i = match.start()
        if i > done:  # a stretch of ordinary characters, copied as is
            pieces.append(text[done:i])
            starts.extend(range(done, i))
            ends.extend(range(done + 1, i + 1))
        done = i + 1
        ch = text[i]
        if "\u0300" <= ch <= "\u036f" and pieces:
            # NFD: compose with the previous character so keywords like "mật khẩu" match.
            last = pieces[-1]
            composed = unicodedata.normalize("NFC", last[-1] + ch)
            if len(composed) == 1:
                pieces[-1] = last[:-1] + composed
                ends[-1] = i + 1
                continue
        replacement = ch if "\u0300" <= ch <= "\u036f" else _view_char(ch)
        if replacement:
            pieces.append(replacement)
            starts.append(i)
            ends.append(i + 1)
    if done < len(text):
        pieces.append(text[done:])
        starts.extend(range(done, len(text)))
        ends.extend(range(done + 1, len(text) + 1))
    return "".join(pieces), starts, ends


# ---------------------------------------------------------------------------------------------
# Numbers

# A number starts where it is not glued to a word or to another number, date or
# document number ("59/2022", "1.000.000", "240101-0001").
_START = r"(?<![\w/.,+-])"
# ... and ends the same way; a following space is fine ("1900 0368 123456").
_END = r"(?![\w/]|[.,-]\d)"

_PATTERN = re.compile(
    r"(?:"
    + _START
    + r"(?:"
    # Kept: amounts of money. Not from a leading 0: phones and CCCDs start with one.
    # Bounded repeats keep "100 100 100 …" linear.
    + r"(?P<money>(?:[1-9]\d{0,2}(?:[ .,]\d{3}){1,5}|[1-9]\d{3,8})(?=\s{0,3}(?:đồng|đ|vnđ|vnd)\b))"
    # ID numbers written in groups of 3 or 4, separated by spaces or hyphens (not dots:
    # "100.000.000" is an amount), and not followed by more digits in the same rhythm
    # (that is a phone). Before hotlines and years so "1900 1234 5678" is an ID, but
    # three years in a row are not.
    + r"|(?P<grouped_id>\d{3}(?P<s1>[ -])\d{3}(?P=s1)\d{3}(?P=s1)\d{3}(?!(?P=s1)\d)"
    + r"|(?!(?:(?:19|20)\d\d[ -]){2}(?:19|20)\d\d)\d{4}(?P<s2>[ -])\d{4}(?P=s2)\d{4}(?!(?P=s2)\d)"
    + r"|\d{3}(?P<s3>[ -])\d{3}(?P=s3)\d{3}(?!(?P=s3)\d))"
    # Kept: hotlines and years.
    + r"|(?P<hotline>1[89]00(?:(?:[ .-]?\d){6}|(?:[ .-]?\d){4})?)"
    + r"|(?P<year>(?:19|20)\d\d)"
    # Phones: 0912345678, 0912 345 678, 0912.345.678, 024 3825 1234, +84 912 345 678.
    + r"|(?P<phone>(?:\+84|84|0)(?:[ .-]?\d){9,10})"
    # Any other long run of digits: 12-digit CCCD, 9-digit CMND, account and card numbers.
    + r"|(?P<id>\d{9,19})"
    + r"|(?P<code>\d{4,8})"
    + r")"
    # "+84" starts a phone even right after a digit ("1234+84912345678"): once "1234" is
    # masked the "+84…" would be masked on a second pass anyway.
    + r"|(?P<intl_phone>\+84(?:[ .-]?\d){9,10})"
    + r")"
    + _END,
    re.IGNORECASE,
)

_MASKS = {
    "grouped_id": ID_MASK,
    "id": ID_MASK,
    "phone": PHONE_MASK,
    "intl_phone": PHONE_MASK,
    "code": CODE_MASK,
}


def _number_mask(match: re.Match[str]) -> Optional[str]:
    # Not match.lastgroup: for the grouped ID forms that is a separator group.
    for name, placeholder in _MASKS.items():
        if match.group(name) is not None:
            return placeholder
    return None


# ---------------------------------------------------------------------------------------------
# Passwords and passcodes

# Placeholders come first so a second pass skips them ("[mật khẩu]" holds a keyword).
_KEYWORD = re.compile(
    r"(?P<placeholder>" + "|".join(map(re.escape, _PLACEHOLDERS)) + r")"
    r"|(?<!\w)(?:(?P<code>pas{1,2}\s?code|pin\s?code|m[aã]\s(?:pin|b[aả]o\s?m[aâậ]t))"
    r"|m[aâậ]t\s?(?:kh[aâẩ]u|m[aã])|mk|pass(?:word|wd)?|pwd)(?!\w)",
    re.IGNORECASE,
)
# "là", "la", "is", ":" or "=" (also "là:"), with the spaces around it.
_CONNECTOR = re.compile(r"[ \t]*[:=]\s*|[ \t]+(?:là|la|is)(?!\w)[ \t]*[:=]?\s*", re.IGNORECASE)
# A word between the keyword and the connector: "mật khẩu [VNeID của em] là …"; never a
# placeholder, so a second pass reads the same.
_MID_WORD = re.compile(r"[ \t]+[^\s.,;!?:=\[\]]+")
_MAX_MID_WORDS = 3
# Words allowed between the keyword and a secret without a connector: "mk mới Abc@123".
_QUALIFIER = re.compile(
    r"\s+(?:của|cua)\s+(?:tôi|toi|tui|tớ|to|em|mình|minh|anh|chị|chi|con|cháu|chau|bạn|ban)"
    r"|\s+(?:cũ|cu|mới|moi|vneid|đăng\s+nhập|dang\s+nhap|mặc\s+định|mac\s+dinh|tạm|tam|hiện\s+tại"
    r"|hien\s+tai|ban\s+đầu|ban\s+dau)(?!\w)",
    re.IGNORECASE,
)
_MAX_QUALIFIERS = 3
_GAP = re.compile(r"\s+")
_TOKEN = re.compile(r"\S+")
# Punctuation around a token that belongs to the sentence, not to the secret.
_OPENING = frozenset("\"'“‘«‹(<{")
_CLOSING = frozenset(".,;:!?\"'”’»›)>}]…")

_DIGIT = re.compile(r"[0-9]")
# "8", "8-20", "6+", "50%": counts in questions ("mật khẩu 8-20 ký tự"), not secrets.
_SMALL_NUMBER = re.compile(r"[0-9]{1,2}(?:[-~/][0-9]{1,2})?[+%]?")
# Letters only (with NFD marks), possibly joined by "-" or an apostrophe.
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+(?:['’-](?:[^\W\d_]|[\u0300-\u036f])+)*")
# One Vietnamese syllable without its diacritics: "gi", "sao", "nghieng", "nguoi".
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|ch|nh|ph|th|tr|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)
# Teencode and English answers that are not secrets: "mk là j", "password is wrong".
_COMMON_WORDS = frozenset(
    "j k z v r dc đc ntn hk ok oke okie okay otp sms what wrong correct incorrect invalid "
    "expired required forgot forgotten".split()
)


def _is_plain_word(word: str) -> bool:
    """Whether a letters-only token reads as an ordinary word rather than a password."""
    lower = word.lower()
    if lower in _COMMON_WORDS:
        return True
    if word not in (lower, word.upper()) and word[1:] != lower[1:]:
        return False  # mixed case: "VNeID", "hOa", "MatKhau"
    folded = "".join(c for c in unicodedata.normalize("NFD", lower) if not unicodedata.combining(c))
    return all(_SYLLABLE.fullmatch(part) for part in folded.replace("đ", "d").split("-"))


def _is_secret(token: str, after_connector: bool) -> bool:
    if not any(ch.isalnum() for ch in token):
        return False  # "-", "***", an emoji
    if _DIGIT.search(token):
        return not _SMALL_NUMBER.fullmatch(token)
    if not _WORD.fullmatch(token):
        return True  # a symbol: "Abc@def"
    return after_connector and not _is_plain_word(token)


_Span = Tuple[int, int, str, bool]  # start, end, placeholder, is a secret


def _secret_token(view: str, pos: int, after_connector: bool, code: bool) -> Optional[_Span]:
    token = _TOKEN.match(view, pos)
    if token is None:
        return None
    start, end = token.span()
    while start < end and view[start] in _OPENING:
        start += 1
    while end > start and view[end - 1] in _CLOSING:
        end -= 1
    if view.startswith(_PLACEHOLDERS, start) or not _is_secret(view[start:end], after_connector):
        return None
    placeholder = CODE_MASK if code and view[start:end].isdigit() else SECRET_MASK
    return start, end, placeholder, True


def _secret_after(view: str, pos: int, code: bool) -> Optional[_Span]:
    """The secret that follows a keyword ending at ``pos``, if any."""
    # "mật khẩu [VNeID của em] là|:|= SECRET": a connector within a few words.
    here = pos
    for _ in range(_MAX_MID_WORDS + 1):
        connector = _CONNECTOR.match(view, here)
        if connector is not None:
            return _secret_token(view, connector.end(), after_connector=True, code=code)
        word = _MID_WORD.match(view, here)
        if word is None:
            break
        here = word.end()
    # "mật khẩu [của tôi / mới] SECRET".
    here = pos
    for _ in range(_MAX_QUALIFIERS):
        qualifier = _QUALIFIER.match(view, here)
        if qualifier is None:
            break
        here = qualifier.end()
    gap = _GAP.match(view, here)
    if gap is None:
        return None
    return _secret_token(view, gap.end(), after_connector=False, code=code)


def _secrets(view: str) -> List[_Span]:
    spans: List[_Span] = []
    done = 0
    for keyword in _KEYWORD.finditer(view):
        if keyword.group("placeholder") is not None or keyword.start() < done:
            continue
        span = _secret_after(view, keyword.end(), code=keyword.group("code") is not None)
        if span is not None:
            spans.append(span)
            done = span[1]
    return spans


# ---------------------------------------------------------------------------------------------


def _spans(view: str) -> List[_Span]:
    """What to replace in ``view``: sorted, not overlapping; a secret wins over a number."""
    found: List[_Span] = _secrets(view)
    for match in _PATTERN.finditer(view):
        placeholder = _number_mask(match)
        if placeholder is not None:
            found.append((match.start(), match.end(), placeholder, False))
    found.sort()
    merged: List[_Span] = []
    for span in found:
        if merged and span[0] < merged[-1][1]:
            # "mk 0912 345 678": the secret "0912" and the phone become one span.
            start, end, placeholder, secret = merged[-1]
            if span[3] and not secret:
                placeholder, secret = span[2], True
            merged[-1] = (start, max(end, span[1]), placeholder, secret)
        else:
            merged.append(span)
    return merged


def mask(text: str) -> str:
    """Replace ID and phone numbers, OTP-like codes and passwords in ``text`` by placeholders."""
    view, starts, ends = _normalise(text)
    spans = _spans(view)
    if not spans:
        return text
    out: List[str] = []
    done = 0
    for start, end, placeholder, _ in spans:
        if starts is not None and ends is not None:
            start, end = starts[start], ends[end - 1]
        out += [text[done:start], placeholder]
        done = end
    out.append(text[done:])
    return "".join(out)
