"""The masking rules, one row each; the table in bot/web/pii.py summarises them."""

from __future__ import annotations

import pytest

from bot.web.pii import CODE_MASK, ID_MASK, PHONE_MASK, mask

MASKED = [
    # ID numbers
    ("CCCD của tôi là 001203004567", f"CCCD của tôi là {ID_MASK}"),
    ("CMND 123456789 cũ", f"CMND {ID_MASK} cũ"),
    ("số 001 203 004 567 nhé", f"số {ID_MASK} nhé"),
    ("số 0012-0300-4567", f"số {ID_MASK}"),
    ("CMND 123 456 789", f"CMND {ID_MASK}"),
    ("số tài khoản 12345678901", f"số tài khoản {ID_MASK}"),
    ("12-digit starting 1900: 190012345678", f"12-digit starting 1900: {ID_MASK}"),
    # phones
    ("gọi 0912345678 giúp tôi", f"gọi {PHONE_MASK} giúp tôi"),
    ("0912 345 678", PHONE_MASK),
    ("0912.345.678", PHONE_MASK),
    ("091-234-5678", PHONE_MASK),
    ("+84912345678", PHONE_MASK),
    ("+84 912 345 678", PHONE_MASK),
    ("84912345678", PHONE_MASK),
    ("máy bàn 024 3825 1234", f"máy bàn {PHONE_MASK}"),
    ("số tôi: 0912345678.", f"số tôi: {PHONE_MASK}."),
    # codes
    ("mã OTP 123456", f"mã OTP {CODE_MASK}"),
    ("Mã OTP là 123456. Giúp tôi", f"Mã OTP là {CODE_MASK}. Giúp tôi"),
    ("OTP:987654,", f"OTP:{CODE_MASK},"),
    ("mã PIN 4821", f"mã PIN {CODE_MASK}"),
    ("mã 12345678", f"mã {CODE_MASK}"),
    ("OTP 123456 654321", f"OTP {CODE_MASK} {CODE_MASK}"),
    ("hotline 1900 0368 rồi mã 123456", f"hotline 1900 0368 rồi mã {CODE_MASK}"),
    ("0912345678 và 123456", f"{PHONE_MASK} và {CODE_MASK}"),
]

UNCHANGED = [
    "Cách đăng ký định danh mức 2",
    "tài khoản mức 1 và mức 2",
    "hotline 1900 0368",
    "gọi 19000368",
    "tổng đài 1800 1234",
    "tổng đài 1900 561 565",
    "đầu số 1900",
    "sinh năm 1990",
    "Luật Cư trú 2020",
    "ngày 01/07/2024",
    "ngày 01.07.2024",
    "Nghị định 59/2022/NĐ-CP",
    "lệ phí 50000 đồng",
    "lệ phí 50000đ",
    "100.000.000 đồng",
    "100 000 000 đồng",
    "1.000.000",
    "thủ tục 1.001234",
    "mã hồ sơ G22.123-240101-0001",
    "3,5 triệu",
    "số 12 và 345",
    "VNeID",
    "",
]


@pytest.mark.parametrize("text, expected", MASKED)
def test_masks_personal_numbers(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_leaves_other_numbers_alone(text: str) -> None:
    assert mask(text) == text


def test_mask_is_idempotent() -> None:
    once = mask("CCCD 001203004567, SĐT 0912345678, OTP 123456")
    assert mask(once) == once
