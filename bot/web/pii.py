"""Mask personal data (ID, phone, OTP-like codes, passwords) before a message reaches Rasa.

Rasa keeps every message in its tracker store, so an ID number, OTP code or password
typed into the chat would be stored for good. These rules are deliberately basic; the
table in ``tests/bot/web/test_pii.py`` documents each one.

| what                                         | example                  | becomes             |
|----------------------------------------------|--------------------------|---------------------|
| 12-digit CCCD / personal ID                  | 12 digits, e.g. 1234…    | [số giấy tờ]        |
| 9-digit old CMND                             | 123456789                | [số giấy tờ]        |
| the same in groups of 3 or 4 (space, "-")    | 123 456 789 012          | [số giấy tờ]        |
| from a leading 0, however grouped (not an    | 001.203.004.567          | [số giấy tờ]        |
| amount: amounts never start with 0)          |                          |                     |
| any other run of 9–19 digits (account, card) | 12345678901              | [số giấy tờ]        |
| passport after its keyword (hộ chiếu, …)     | hộ chiếu C1234567        | hộ chiếu [số giấy tờ]|
| phone: 0 + 9–10 digits, +84 / 84 + 9–10      | 0912.345.678, +84 912…   | [số điện thoại]     |
| standalone 4–8 digit code (OTP, PIN)         | 123456                   | [mã]                |
| glued to a keyword or word before it         | sđt0912345678, mk123456  | sđt[số điện thoại]  |
| after (or before) a keyword, any grouping:   | CCCD365.251.152,         | CCCD[số giấy tờ]    |
| cccd/cmnd/cmt/căn cước/định danh, sđt/đt/    | sđt: 09 88 93 53 38,     | sđt: [số điện thoại]|
| zalo/số máy/thuê bao, otp/passcode/mã PIN;   | 2705.7197.4 là cmnd      | [số giấy tờ] là cmnd|
| "của tôi/mới/cũ/là/:" may stand between      |                          |                     |
| all of the above in any Unicode decimal      | ０９１２３４５６７８     | [số điện thoại]     |
| split by any invisible character (Unicode    | 0912<U+FFF9>345…         | [số điện thoại]     |
| categories Cf, Cc, Mn alone, tags, fillers), | 0912<U+E0020>345…        |                     |
| odd spaces, dashes and middle dots           | 0912·345·678             |                     |
| written as JSON or Python escapes            | \\u0030\\u0039\\u0031…  | [số điện thoại]     |
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
| a password written before its keyword        | Abc@12345 là mk          | [mật khẩu] là mk    |
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
| kept: a short number after "gọi / tổng đài / | gọi 5656, số nhà 12345,  | unchanged           |
| hotline / đầu số / số nhà / ngõ / mã bưu     | mã bưu chính 70000       |                     |
| chính …" (a public number or an address)     |                          |                     |
| kept: the number an SMS syntax sends to, a   | tổng đài SMS 8088, cú    | unchanged           |
| quoted hotline                               | pháp: … gửi 8088         |                     |
| kept: dossier codes of the portals, postal   | H26.22-240601-0001,      | unchanged           |
| tracking numbers (S10), any number after     | EB123456789VN, số biên   |                     |
| "số biên nhận / mã hồ sơ / phiếu hẹn"        | nhận là 00673810079      |                     |
| kept: neighbouring house numbers (hyphens)   | 333-335-337 Nguyễn Trãi  | unchanged           |
| kept: years 19xx / 20xx                      | năm 2024, 2019 2020 2021 | unchanged           |
| kept: amounts followed by a currency word    | 50000 đồng, 1.000.000 đ  | unchanged           |
| (not from a leading 0: that is a phone)      |                          |                     |
| kept: parts of dates, document numbers       | 01/07/2024, 59/2022/NĐ   | unchanged           |
| kept: numbers of 1–3 digits                  | mức 2, gọi 156           | unchanged           |

The patterns run on a normalised view of the text (Unicode digits as ASCII, invisible
characters dropped, odd spaces and dashes as " " and "-", full-width forms as ASCII, NFD
marks composed); only the matched spans are replaced in the original, so everything else
(NFD, emoji, RTL text, control characters) passes through unchanged.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional, Tuple


@dataclass(frozen=True)
class Kind:
    """One kind of personal data: the placeholder that replaces it, and how a warning names it."""

    label: str
    said: str

    @property
    def placeholder(self) -> str:
        return f"[{self.label}]"


ID = Kind("số giấy tờ", "số giấy tờ")
PHONE = Kind("số điện thoại", "số điện thoại")
CODE = Kind("mã", "mã OTP hoặc mã số")
SECRET = Kind("mật khẩu", "mật khẩu")
KINDS = (ID, PHONE, CODE, SECRET)

ID_MASK = ID.placeholder
PHONE_MASK = PHONE.placeholder
CODE_MASK = CODE.placeholder
SECRET_MASK = SECRET.placeholder

_PLACEHOLDERS = tuple(kind.placeholder for kind in KINDS)
_BY_PLACEHOLDER = {kind.placeholder: kind for kind in KINDS}

# ---------------------------------------------------------------------------------------------
# The normalised view

# Characters the view may change: anything but printable ASCII and the precomposed Latin
# letters of Vietnamese, so ordinary NFC Vietnamese text needs no work at all.
# Also escapes a JSON or Python string would decode ("\\u0031", a surrogate pair, "\\U0001d7ce"):
# typed into a payload they reach the tracker store as written, and anyone reading it
# decodes them, so the view reads them as the characters they stand for.
_SPECIAL = re.compile(
    r"\\u(?:[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|[0-9a-fA-F]{4})"
    r"|\\U[0-9a-fA-F]{8}"
    r"|[^\t-\r\x20-\x7e\u00c0-\u024f\u1e00-\u1eff]"
)
_COMBINING_VIETNAMESE = range(0x0300, 0x0370)
_FULL_WIDTH = range(0xFF01, 0xFF5F)
_FULL_WIDTH_OFFSET = 0xFEE0  # "！" (U+FF01) - "!"
# Invisible by use, though Unicode calls them letters or symbols: Hangul fillers, braille blank.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Dots in the middle of the line, used as group separators: "0912·345·678".
_MIDDLE_DOTS = frozenset("\u00b7\u2027\u2219\u22c5\u30fb\uff65")
# Dropped from the view: format characters (zero-width spaces and joiners, soft hyphen, bidi
# controls, tags such as U+E0020, interlinear annotation marks such as U+FFF9), control
# characters, surrogates, private-use and unassigned code points, and marks that do not
# compose (variation selectors, the keycap mark).
_DROPPED_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Mn", "Me", "Mc"})
_KEEP = None


@lru_cache(maxsize=4096)
def _view_char(ch: str) -> Optional[str]:
    """What the view has for ``ch``: ``_KEEP`` (the character itself), a replacement or ""."""
    category = unicodedata.category(ch)
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    if ch.isspace() or category[0] == "Z":
        return " "
    if category == "Pd" or ch in "\u2212\ufe63\uff0d":
        return "-"
    if ch in _MIDDLE_DOTS:
        return "."
    if ord(ch) in _FULL_WIDTH:
        return chr(ord(ch) - _FULL_WIDTH_OFFSET)
    if category in _DROPPED_CATEGORIES or ch in _BLANK_LOOKING:
        return ""  # invisible: dropped, so "0912\u200b345" reads as one number
    return _KEEP


_View = Tuple[str, Optional[List[int]], Optional[List[int]]]


def _unescaped(special: str) -> Optional[str]:
    """The character a match of ``_SPECIAL`` stands for (itself, unless it is an escape)."""
    if len(special) == 1:
        return special
    if special[1] == "U":
        code = int(special[2:], 16)
        return chr(code) if code <= sys.maxunicode else None
    if len(special) == 12:  # a surrogate pair
        high, low = int(special[2:6], 16), int(special[8:], 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return chr(int(special[2:], 16))


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
        i, done_here = match.span()
        if i > done:  # a stretch of ordinary characters, copied as is
            pieces.append(text[done:i])
            starts.extend(range(done, i))
            ends.extend(range(done + 1, i + 1))
        done = done_here
        ch = _unescaped(match.group())
        if ch is None:
            continue  # an escape of no character ("\\UFFFFFFFF"): dropped
        if ord(ch) in _COMBINING_VIETNAMESE and pieces:
            # NFD: compose with the previous character so keywords like "mật khẩu" match.
            last = pieces[-1]
            composed = unicodedata.normalize("NFC", last[-1] + ch)
            if len(composed) == 1:
                pieces[-1] = last[:-1] + composed
                ends[-1] = done
                continue
        replacement = _view_char(ch)
        if replacement is _KEEP:
            replacement = ch
        if replacement:
            pieces.append(replacement)
            starts.append(i)
            ends.append(done)
    if done < len(text):
        pieces.append(text[done:])
        starts.extend(range(done, len(text)))
        ends.extend(range(done + 1, len(text) + 1))
    return "".join(pieces), starts, ends


# ---------------------------------------------------------------------------------------------
# Numbers

# A number starts where it is not glued to another number, date or document number
# ("59/2022", "1.000.000", "240101-0001"). It may be glued to letters ("sđt0912345678");
# _number_kind decides what that means.
_START = r"(?<![\d/.,+_-])"
# ... and ends the same way; a following space is fine ("1900 0368 123456").
_END = r"(?![\d/_]|[.,-]\d)"
# Dates are never phone or ID numbers: "01-07-2024 10 giờ", "01.07.2024".
_NOT_A_DATE = r"(?![0-3]?\d[ ./-][01]?\d[ ./-](?:19|20)\d\d(?!\d))"

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
    # A CCCD (12 digits) or an old CMND (9) from a leading 0, however it is grouped:
    # "001.203.004.567", "00 12 03 00 45 67". Amounts never start with 0.
    + r"|(?P<chain_id>"
    + _NOT_A_DATE
    + r"0(?:[ .-]?\d){8}(?:(?:[ .-]?\d){3})?(?![ .-]?[\d[]))"
    # Kept: hotlines and years.
    + r"|(?P<hotline>1[89]00(?:(?:[ .-]?\d){6}|(?:[ .-]?\d){4})?)"
    + r"|(?P<year>(?:19|20)\d\d)"
    # Phones: 0912345678, 0912 345 678, 0912.345.678, 024 3825 1234, +84 912 345 678.
    + r"|(?P<phone>"
    + _NOT_A_DATE
    + r"(?:\+84|84|0)(?:[ .-]?\d){9,10})"
    # Any other long run of digits: 12-digit CCCD, 9-digit CMND, account and card numbers.
    + r"|(?P<id>\d{9,19})"
    + r"|(?P<code>\d{4,8})"
    + r")"
    # "+84" starts a phone even right after a digit ("1234+84912345678"): once "1234" is
    # masked the "+84…" would be masked on a second pass anyway.
    + r"|(?P<intl_phone>\+84(?:[ .-]?\d){9,10})"
    + r")"
    + _END
    # A passport number: one letter and 7 digits, on its own ("C1234567").
    + r"|(?<![\w/.,+-])(?P<passport>[A-Z]\d{7})(?![\w/]|[.,-]\d)",
    re.IGNORECASE,
)

_KIND_OF_GROUP = {
    "grouped_id": ID,
    "chain_id": ID,
    "id": ID,
    "passport": ID,
    "phone": PHONE,
    "intl_phone": PHONE,
    "code": CODE,
}
# A postal tracking number (S10: two letters, 9 digits, two letters): not personal.
_TRACKING = re.compile(r"[A-Z]{2}\d{9}[A-Z]{2}")
# Letters right before a code that make it a code: "otp123456", "mã123456", "pin1234".
_CODE_PREFIX = re.compile(r"(?:otp|m[aã]|pin|code|mk|pass|pwd|pw)$", re.IGNORECASE)
_LETTERS_BEFORE = re.compile(r"[^\W\d_]{1,12}$")
# Words after which a short number is a public one, not a code: a hotline to call ("gọi 5656",
# "đầu số 156 hoặc 5656"), or part of an address ("số nhà 12345", "mã bưu chính 70000").
_PUBLIC_NUMBER_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:g[oọ]i|t[oổ]ng\s?đ[aà]i|tong\s?dai|hotline|đ[aầ]u\s?s[oố]|dau\s?so"
    r"|đ[uư][oờ]ng\s?d[aâ]y\s?n[oó]ng|duong\s?day\s?nong|nh[aắ]n\s?tin|m[aá]y\s?l[eẻ]"
    r"|nh[aà]|ng[oõ]|ng[aá]ch|h[eẻ]m|ki[eệ]t|ph[oò]ng|t[aầ]ng|l[oô]|km|b[uư]u\s?(?:ch[ií]nh|đi[eệ]n|dien)"
    r"|postcode|postal\s?code|zip\s?code|zip)"
    r"(?:[ \t,:.]+(?:s[oố]|hoặc|hoac|và|va|ho[aặ]c|sms|tin\s?nh[aắ]n|l[aà]|c[uũ]|m[oớ]i|\d{2,6}|/))*"
    r"[ \t,:.]*(?:s[oố])?"
    r"[ \t:.\"'“”‘’(]*$",  # 'đường dây nóng "1022"', "tổng đài SMS 8088"
    re.IGNORECASE,
)
_PUBLIC_LOOK_BACK = 40
# The number an SMS syntax says to send to: "Soạn tin … theo cú pháp: HCC DN [mã] gửi 8088".
_SEND_TO_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:so[aạ]n|c[uú]\s?ph[aá]p)(?![^\W\d_])[^.!?\n]{0,80}"
    r"(?<![^\W\d_])g[uử]i(?:\s+(?:đ[eế]n|den|t[oớ]i))?(?:\s+(?:đ[aầ]u\s?)?s[oố])?\s*$",
    re.IGNORECASE,
)
_SEND_TO_LOOK_BACK = 120
# Words right before a number that make it the receipt or dossier number the office gave:
# "số biên nhận là 00673810079", "mã hồ sơ: 000123456789" (the portals' own numbering).
_RECEIPT_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:s[oố]|m[aã])\s?(?:bi[eê]n\s?(?:nh[aậ]n|lai)|h[oồ]\s?s[oơ]|phi[eế]u\s?h[eẹ]n)"
    r"(?:\s+(?:c[uủ]a\s+\w{1,12}|l[aà]))*[ \t:.]*$",
    re.IGNORECASE,
)
_RECEIPT_LOOK_BACK = 60
_RANGE_STEP = 20
# A street word right after a number: it is a house number ("số 1366 đường …").
_STREET_AFTER = re.compile(
    r"\s{1,3}(?:đ[uư][oờ]ng|duong|ph[oố]|pho|ng[oõ]|ng[aá]ch|h[eẻ]m|ki[eệ]t|qu[oố]c\s?l[oộ]|ql)(?![^\W\d_])",
    re.IGNORECASE,
)


def _house_numbers(numbers: str) -> bool:
    """Whether "333-335-337" is a run of neighbouring house numbers, not a 9-digit ID."""
    if " " in numbers:
        return False  # ranges are written with hyphens
    if any(len(part) > 1 and part.startswith("0") for part in numbers.split("-")):
        return False  # nobody writes house "001": "000-001-002" is a number kept in groups
    parts = [int(part) for part in numbers.split("-")]
    steps = (later - earlier for earlier, later in zip(parts, parts[1:], strict=False))
    return len(parts) > 1 and all(0 < step <= _RANGE_STEP for step in steps)


def _number_kind(view: str, match: re.Match[str]) -> Optional[Kind]:
    kind = None
    # Not match.lastgroup: for the grouped ID forms that is a separator group.
    for name, found in _KIND_OF_GROUP.items():
        if match.group(name) is not None:
            kind = found
            break
    if kind is None:
        return None
    start, end = match.span()
    glued_before = start > 0 and view[start - 1].isalpha()
    glued_after = end < len(view) and view[end].isalpha()
    if kind is CODE and (
        _PUBLIC_NUMBER_BEFORE.search(view, max(0, start - _PUBLIC_LOOK_BACK), start)
        or _SEND_TO_BEFORE.search(view, max(0, start - _SEND_TO_LOOK_BACK), start)
    ):
        return None  # "gọi 5656", "số nhà 12345", "mã bưu chính 70000", "soạn … gửi 8088"
    if kind is CODE and _STREET_AFTER.match(view, end):
        return None  # "tại số 1366 đường Huỳnh Tấn Phát"
    if _RECEIPT_BEFORE.search(view, max(0, start - _RECEIPT_LOOK_BACK), start):
        return None  # "số biên nhận là 00673810079"
    if match.group("grouped_id") is not None and _house_numbers(match.group()):
        return None  # "333-335-337 Nguyễn Trãi"
    if not (glued_before or glued_after):
        return kind
    if kind is CODE:
        # "abc1234", "29A12345", "1234abc": part of a word, unless a code keyword is glued on.
        letters = _LETTERS_BEFORE.search(view, max(0, start - 12), start) if glued_before else None
        return kind if letters is not None and _CODE_PREFIX.search(letters.group()) else None
    if glued_before and glued_after and _TRACKING.fullmatch(view, start - 2, end + 2):
        return None
    return kind  # "sđt0912345678", "cccd001203004567", "0912345678nhé"


# ---------------------------------------------------------------------------------------------
# Passwords and passcodes

# Placeholders come first so a second pass skips them ("[mật khẩu]" holds a keyword).
_KEYWORD = re.compile(
    r"(?P<placeholder>" + "|".join(map(re.escape, _PLACEHOLDERS)) + r")"
    r"|(?<![^\W\d_])(?:(?P<code>pas{1,2}\s?code|pin\s?code|m[aã]\s(?:pin|b[aả]o\s?m[aâậ]t))"
    r"|m[aâậ]t\s?(?:kh[aâẩ]u|m[aã])|mk|pass(?:word|wd)?|pwd)"
    # Not followed by a letter ("passport", "mkdir"), but a secret may be glued on: "mk123456".
    r"(?![^\W\d_])",
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
    r"|hien\s+tai|ban\s+đầu|ban\s+dau)(?=\s)",  # "mk Cu&sC7" is a password, not "mk cũ"
    re.IGNORECASE,
)
_MAX_QUALIFIERS = 3
_GAP = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\s[]+")  # a placeholder ends it: "abc[mã]"
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


_Span = Tuple[int, int, Kind, bool]  # start, end, kind, is a secret


def _secret_token(view: str, pos: int, after_connector: bool, code: bool) -> Optional[_Span]:
    token = _TOKEN.match(view, pos)
    if token is None or view.startswith("[", token.end()):
        return None  # glued to a placeholder: what was there is masked already
    start, end = token.span()
    while start < end and view[start] in _OPENING:
        start += 1
    while end > start and view[end - 1] in _CLOSING:
        end -= 1
    if view.startswith(_PLACEHOLDERS, start) or not _is_secret(view[start:end], after_connector):
        return None
    kind = CODE if code and view[start:end].isdigit() else SECRET
    return start, end, kind, True


def _secret_after(view: str, pos: int, code: bool) -> Optional[_Span]:
    """The secret that follows a keyword ending at ``pos``, if any."""
    if pos < len(view) and not view[pos].isspace() and view[pos] not in ":=.,;!?)]}":
        # Glued on: "mk123456", "pass@abc", "mật khẩu123".
        return _secret_token(view, pos, after_connector=False, code=code)
    # "mật khẩu [VNeID của em] là|:|= SECRET": a connector within a few words.
    here = pos
    for _ in range(_MAX_MID_WORDS + 1):
        connector = _CONNECTOR.match(view, here)
        if connector is not None:
            return _secret_token(view, connector.end(), after_connector=True, code=code)
        word = _MID_WORD.match(view, here)
        if word is None:
            if view.startswith("[", here):
                return None  # a placeholder glued to a word: the rest was read on the first pass
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


# A secret written before its keyword: "Abc@123 là mật khẩu", "123456 la mk cua toi",
# "Abc@123 (mật khẩu)". Only a token with a digit or a symbol: "cái gì là mật khẩu" stays.
_WORDS_BEFORE = ("chính là", "chinh la", "là", "la", "is")
_MARKS_BEFORE = frozenset(":=(-")
_BLANKS = frozenset(" \t")
_MAX_TOKEN = 64  # characters; a longer run is not a password typed by hand


def _skip_blanks_back(view: str, i: int) -> int:
    while i > 0 and view[i - 1] in _BLANKS:
        i -= 1
    return i


def _secret_before(view: str, pos: int, code: bool) -> Optional[_Span]:
    """The secret that comes just before a keyword starting at ``pos``, if any."""
    end = _skip_blanks_back(view, pos)
    if end > 0 and view[end - 1] in _MARKS_BEFORE:
        end = _skip_blanks_back(view, end - 1)
    elif end == pos:
        return None  # glued on: "abcmk" is one word
    else:
        tail = view[max(0, end - 9) : end].lower()
        for word in _WORDS_BEFORE:
            here = end - len(word)
            if tail.endswith(word) and (here == 0 or view[here - 1] in _BLANKS):
                end = _skip_blanks_back(view, here)
                break
    start = end
    while start > 0 and end - start <= _MAX_TOKEN and not view[start - 1].isspace():
        start -= 1
    if start == end or end - start > _MAX_TOKEN or "[" in view[start:end] or "]" in view[start:end]:
        return None
    if view[end - 1] in ",;":
        return None  # "CCCD 001203004567, mk …": the token ends another clause
    while start < end and view[start] in _OPENING:
        start += 1
    while end > start and view[end - 1] in _CLOSING:
        end -= 1
    if start == end or not _is_secret(view[start:end], after_connector=False):
        return None
    kind = CODE if code and view[start:end].isdigit() else SECRET
    return start, end, kind, True


# Numbers after (or just before) a keyword that says what they are, however their digits
# are grouped or glued on: "OTP 123 456", "CCCD365.251.152", "sđt: 09 88 93 53 38",
# "2705.7197.4 là cmnd của tôi". Without the keyword such forms read as amounts or
# versions, so only the keyword makes them personal.
# Every gap is bounded, so a run of blanks or digits costs a constant per position
# ("1000" followed by 100,000 spaces stays linear).
_SEPARATOR = r"[ .-]{0,3}"
_FEW = r"\s{0,3}"
_LINK_AFTER = (
    rf"(?:\s{{1,3}}(?:c[uủ]a\s{{1,3}}\w{{1,12}}|m[oớ]i|c[uũ]|l[aà]|is|s[oố]|sim)){{0,3}}"
    rf"{_FEW}[:=]?{_FEW}"
)
_LINK_BEFORE = rf"{_FEW}(?:[:(=-]|l[aà](?:\s{{1,3}}s[oố])?|is|ch[ií]nh\s{{1,3}}l[aà])?{_FEW}"


def _digits(count: str) -> str:
    return rf"\d(?:{_SEPARATOR}\d){{{count}}}"


_CODE_WORDS = (
    r"otp|pas{1,2}\s?code|pin\s?code|m[aã]\s(?:otp|pin|x[aá]c\s(?:th[uự]c|nh[aậ]n)"
    r"|k[ií]ch\sho[aạ]t|b[aả]o\sm[aậ]t)"
)
_ID_WORDS = (
    r"cccd|cmnd|cmt|c[aă]n\s?c[uư][oớ]c(?:\s?c[oô]ng\s?d[aâ]n)?|(?:s[oố]\s)?đ[iị]nh\s?danh"
    r"|(?:s[oố]\s)?dinh\s?danh|ch[uứ]ng\s?minh(?:\s?(?:nh[aâ]n\s?d[aâ]n|th[uư]))?"
)
_PHONE_WORDS = (
    r"sđt|sdt|s[oố]\s?đi[eệ]n\s?tho[aạ]i|so\s?dien\s?thoai|đi[eệ]n\s?tho[aạ]i|dien\s?thoai"
    r"|đt|dt|zalo|phone|s[oố]\s?m[aá]y|thu[eê]\s?bao|di\s?đ[oộ]ng|di\s?dong"
)
_VALUES = {
    CODE: _digits("3,7"),
    ID: rf"(?:{_digits('11')}|{_digits('8')})",
    PHONE: rf"(?:0|\(?\+?84\)?){_SEPARATOR}{_digits('8')}",
}
_WORDS = {CODE: _CODE_WORDS, ID: _ID_WORDS, PHONE: _PHONE_WORDS}
_NOT_WORD_BEFORE = r"(?<![^\W\d_])"
_NOT_WORD_AFTER = r"(?![^\W\d_])"
_NOT_DIGIT_BEFORE = r"(?<![\d+])(?<!\d[.,-])"
_NOT_DIGIT_AFTER = r"(?!\d)(?![.,-]\d)"
_A_DIGIT = re.compile(r"\d")
_CHAINS = tuple(
    (
        kind,
        re.compile(
            rf"{_NOT_WORD_BEFORE}(?:{_WORDS[kind]}){_LINK_AFTER}"
            rf"{_NOT_DIGIT_BEFORE}(?P<chain>{_VALUES[kind]}){_NOT_DIGIT_AFTER}"
            rf"|{_NOT_DIGIT_BEFORE}(?P<before>{_VALUES[kind]}){_NOT_DIGIT_AFTER}"
            rf"{_LINK_BEFORE}(?:{_WORDS[kind]}){_NOT_WORD_AFTER}",
            re.IGNORECASE,
        ),
    )
    for kind in (CODE, ID, PHONE)
)


def _secrets(view: str) -> List[_Span]:
    spans: List[_Span] = []
    done = 0
    for keyword in _KEYWORD.finditer(view):
        if keyword.group("placeholder") is not None:
            done = max(done, keyword.end())
            continue
        code = keyword.group("code") is not None
        before = _secret_before(view, keyword.start(), code)
        if before is not None and before[0] >= done:
            spans.append(before)
        if keyword.start() < done:
            continue
        span = _secret_after(view, keyword.end(), code)
        if span is not None:
            spans.append(span)
            done = span[1]
    if not _A_DIGIT.search(view):
        return spans
    for kind, pattern in _CHAINS:
        for chain in pattern.finditer(view):
            group = "chain" if chain.group("chain") is not None else "before"
            spans.append((chain.start(group), chain.end(group), kind, True))
    return spans


# ---------------------------------------------------------------------------------------------


def _spans(view: str) -> List[_Span]:
    """What to replace in ``view``: sorted, not overlapping; a secret wins over a number."""
    found: List[_Span] = _secrets(view)
    for match in _PATTERN.finditer(view):
        kind = _number_kind(view, match)
        if kind is not None:
            found.append((match.start(), match.end(), kind, False))
    found.sort(key=lambda span: (span[0], -span[1]))
    merged: List[_Span] = []
    for span in found:
        if merged and span[0] < merged[-1][1]:
            # "mk 0912 345 678": the secret "0912" and the phone become one span.
            start, end, kind, secret = merged[-1]
            if span[3] and not secret:
                kind, secret = span[2], True
            merged[-1] = (start, max(end, span[1]), kind, secret)
        else:
            merged.append(span)
    return merged


@dataclass(frozen=True)
class Masked:
    """A text with its personal data replaced, and the kinds that were hidden (in KINDS order)."""

    text: str
    hidden: Tuple[Kind, ...]

    @property
    def changed(self) -> bool:
        return bool(self.hidden)


def _redact_once(text: str) -> Masked:
    view, starts, ends = _normalise(text)
    spans = _spans(view)
    if not spans:
        return Masked(text, ())
    out: List[str] = []
    kinds: set = set()
    done = 0
    for start, end, kind, _ in spans:
        if starts is not None and ends is not None:
            start, end = starts[start], ends[end - 1]
        out += [text[done:start], kind.placeholder]
        kinds.add(kind)
        done = end
    out.append(text[done:])
    return Masked("".join(out), tuple(kind for kind in KINDS if kind in kinds))


# Rules overlap at the edges (a secret inside what was read as a hotline): masking the result
# again finds what a first pass left. Ordinary text needs one pass, odd text two or three.
_MAX_PASSES = 4


def redact(text: str) -> Masked:
    """Replace ID and phone numbers, OTP-like codes and passwords in ``text`` by placeholders."""
    masked = _redact_once(text)
    hidden = set(masked.hidden)
    for _ in range(_MAX_PASSES - 1):
        if not masked.hidden:
            break
        again = _redact_once(masked.text)
        if again.text == masked.text:
            break
        hidden.update(again.hidden)
        masked = again
    return Masked(masked.text, tuple(kind for kind in KINDS if kind in hidden))


def mask(text: str) -> str:
    """``text`` with its personal data replaced by placeholders (see ``redact``)."""
    return redact(text).text


def _joined(words: List[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " và " + words[-1]


def warning(hidden: Tuple[Kind, ...]) -> str:
    """What the citizen reads after sending ``hidden`` kinds: what was hidden, never the value."""
    said = _joined([kind.said for kind in hidden]) if hidden else "thông tin cá nhân"
    return (
        f"Tôi đã ẩn {said} bạn vừa gửi, nên thông tin đó không được lưu lại. "
        "Để giữ an toàn, xin bạn đừng gửi số giấy tờ, số điện thoại, mã OTP hay mật khẩu "
        "cho ai, kể cả ở đây."
    )
