from __future__ import annotations

import datetime

import pytest

from bot.places.question import kinds_in, weekday_in

SUNDAY = datetime.date(2026, 11, 22)


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("bưu điện gần nhất", {"buu_dien"}),
        ("bđ mấy h mở cửa", {"buu_dien"}),
        ("ubnd phuong ben thanh", {"mot_cua"}),
        ("trung tâm hành chính công xã", {"mot_cua"}),
        ("công an phường Sài Gòn", {"cong_an"}),
        ("bưu điện hay công an gần nhà", {"buu_dien", "cong_an"}),
        ("chỗ nào hỗ trợ vneid gần đây", set()),
        ("abdul", set()),  # "bd" only as a word of its own
    ],
)
def test_kinds(text, kinds):
    assert kinds_in(text) == kinds


@pytest.mark.parametrize(
    "text, day",
    [
        ("thứ 7 có mở cửa không", 5),
        ("thu bay co lam ko", 5),
        ("t7 co mo ko", 5),
        ("chủ nhật", 6),
        ("cn có làm không", 6),
        ("thứ hai mấy giờ mở", 0),
        ("hôm nay có mở không", 6),
        ("ngày mai có làm không", 0),
        ("mấy giờ mở cửa", None),
        ("thứ tự giấy tờ", None),
    ],
)
def test_weekday(text, day):
    assert weekday_in(text, SUNDAY) == day
