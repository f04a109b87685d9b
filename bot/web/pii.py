"""Mask personal numbers (ID, phone, OTP-like codes) before a message reaches Rasa.

Rasa keeps every message in its tracker store, so an ID number or OTP code typed
into the chat would be stored for good. These rules are deliberately basic; the
table in ``tests/bot/web/test_pii.py`` documents each one.

| what                                        | example                 | becomes            |
|---------------------------------------------|-------------------------|--------------------|
| 12-digit CCCD / personal ID                 | 12 digits, e.g. 1234…   | [số giấy tờ]       |
| 9-digit old CMND                            | 123456789               | [số giấy tờ]       |
| the same in groups of 3 or 4 (space, "-")   | 123 456 789 012         | [số giấy tờ]       |
| any other run of 9–19 digits (account, card)| 12345678901             | [số giấy tờ]       |
| phone: 0 + 9–10 digits, +84 / 84 + 9–10     | 0912.345.678, +84 912…  | [số điện thoại]    |
| standalone 4–8 digit code (OTP, PIN)        | 123456                  | [mã]               |
| kept: hotlines 1900… / 1800…                | 1900 0368               | unchanged          |
| kept: years 19xx / 20xx                     | năm 2024                | unchanged          |
| kept: amounts followed by a currency word   | 50000 đồng              | unchanged          |
| kept: parts of dates, document numbers      | 01/07/2024, 59/2022/NĐ  | unchanged          |
| kept: numbers of 1–3 digits                 | mức 2                   | unchanged          |
"""

from __future__ import annotations

import re

ID_MASK = "[số giấy tờ]"
PHONE_MASK = "[số điện thoại]"
CODE_MASK = "[mã]"

# A number starts where it is not glued to a word or to another number, date or
# document number ("59/2022", "1.000.000", "240101-0001").
_START = r"(?<![\w/.,+-])"
# ... and ends the same way; a following space is fine ("1900 0368 123456").
_END = r"(?![\w/]|[.,-]\d)"

_PATTERN = re.compile(
    _START
    + r"(?:"
    # Kept as they are: hotlines, years, amounts of money.
    + r"(?P<hotline>1[89]00(?:(?:[ .-]?\d){6}|(?:[ .-]?\d){4})?)"
    + r"|(?P<year>(?:19|20)\d\d)"
    + r"|(?P<money>(?:\d{1,3}(?:[ .,]\d{3})+|\d{4,9})(?=\s*(?:đồng|đ|vnđ|vnd)\b))"
    # ID numbers written in groups of 3 or 4, separated by spaces or hyphens
    # (not dots: "100.000.000" is an amount).
    + r"|(?P<grouped_id>\d{3}(?P<s1>[ -])\d{3}(?P=s1)\d{3}(?P=s1)\d{3}"
    + r"|\d{4}(?P<s2>[ -])\d{4}(?P=s2)\d{4}"
    + r"|\d{3}(?P<s3>[ -])\d{3}(?P=s3)\d{3})"
    # Phones: 0912345678, 0912 345 678, 0912.345.678, 024 3825 1234, +84 912 345 678.
    + r"|(?P<phone>(?:\+84|84|0)(?:[ .-]?\d){9,10})"
    # Any other long run of digits: 12-digit CCCD, 9-digit CMND, account and card numbers.
    + r"|(?P<id>\d{9,19})"
    + r"|(?P<code>\d{4,8})"
    + r")"
    + _END,
    re.IGNORECASE,
)

_MASKS = {"grouped_id": ID_MASK, "id": ID_MASK, "phone": PHONE_MASK, "code": CODE_MASK}


def _replace(match: re.Match[str]) -> str:
    # Not match.lastgroup: for the grouped ID forms that is a separator group.
    for name, placeholder in _MASKS.items():
        if match.group(name) is not None:
            return placeholder
    return match.group(0)


def mask(text: str) -> str:
    """Replace ID numbers, phone numbers and OTP-like codes in ``text`` by placeholders."""
    return _PATTERN.sub(_replace, text)
