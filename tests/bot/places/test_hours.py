from __future__ import annotations

import datetime

import pytest

from bot.places.hours import VIETNAM, HoursError, Period, parse_hours, status_at
from bot.places.wording import day_text, status_text, week_text

POST_OFFICE = parse_hours("T2-T6 07:30-11:30,13:30-17:00; T7 07:30-11:30")


def at(day: int, clock: str) -> datetime.datetime:
    """Vietnam time on a weekday of the week of Monday 2026-11-16 (0 = Monday)."""
    hour, minute = map(int, clock.split(":"))
    return datetime.datetime(2026, 11, 16 + day, hour, minute, tzinfo=VIETNAM)


def test_parse_expands_day_ranges_and_keeps_the_lunch_break():
    periods = parse_hours("T2-T3 07:30-11:30,13:30-17:00; CN 08:00-11:00")
    assert periods == (
        Period(0, 450, 690),
        Period(0, 810, 1020),
        Period(1, 450, 690),
        Period(1, 810, 1020),
        Period(6, 480, 660),
    )


def test_parse_accepts_lists_of_days_and_lower_case():
    assert {p.weekday for p in parse_hours("t2,t4 08:00-12:00")} == {0, 2}


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "no opening hours"),
        ("T2-T6", "needs days then times"),
        ("T8 07:00-11:00", "is not a day"),
        ("T6-T2 07:00-11:00", "runs backwards"),
        ("T2 7h-11h", "is not a time like 07:30"),
        ("T2 07:00", "is not a range"),
        ("T2 07:00-25:00", "is not a time"),
        ("T2 11:30-07:30", "closes before it opens"),
        ("T2 07:00-12:00,11:00-17:00", "overlap"),
        ("T2-T6 07:00-11:00; T6 13:00-17:00", "T6 is given twice"),
    ],
)
def test_parse_refuses_with_a_reason(text, reason):
    with pytest.raises(HoursError, match=reason):
        parse_hours(text)


@pytest.mark.parametrize(
    "day, clock, expected",
    [
        (0, "07:29", "Chưa mở cửa, mở lúc 07:30"),
        (0, "07:30", "Đang mở cửa, đến 11:30"),
        (0, "11:29", "Đang mở cửa, đến 11:30"),
        (0, "11:30", "Đang nghỉ trưa, mở lại lúc 13:30"),  # the lunch break starts
        (0, "13:29", "Đang nghỉ trưa, mở lại lúc 13:30"),
        (0, "13:30", "Đang mở cửa, đến 17:00"),
        (0, "16:59", "Đang mở cửa, đến 17:00"),
        (0, "17:00", "Đã đóng cửa, mở lại lúc 07:30 ngày mai (Thứ Ba)"),
        (4, "23:59", "Đã đóng cửa, mở lại lúc 07:30 ngày mai (Thứ Bảy)"),
        (5, "10:00", "Đang mở cửa, đến 11:30"),  # Saturday morning
        (5, "11:30", "Đã đóng cửa, mở lại lúc 07:30 Thứ Hai"),  # no lunch on a half day
        (6, "09:00", "Đã đóng cửa, mở lại lúc 07:30 ngày mai (Thứ Hai)"),  # Sunday
    ],
)
def test_status_at_the_edges(day, clock, expected):
    assert status_text(status_at(POST_OFFICE, at(day, clock))) == expected


def test_status_converts_other_time_zones_to_vietnam_time():
    # 00:30 UTC on Monday is 07:30 in Vietnam: just opened.
    moment = datetime.datetime(2026, 11, 16, 0, 30, tzinfo=datetime.timezone.utc)
    assert status_at(POST_OFFICE, moment).is_open
    # 23:00 UTC on Sunday is 06:00 on Monday in Vietnam, not Sunday night.
    sunday_night_utc = datetime.datetime(2026, 11, 22, 23, 0, tzinfo=datetime.timezone.utc)
    assert status_text(status_at(POST_OFFICE, sunday_night_utc)) == "Chưa mở cửa, mở lúc 07:30"


def test_never_open_says_so():
    assert status_text(status_at((), at(0, "09:00"))) == "Chưa có giờ mở cửa"


def test_week_and_day_texts():
    assert week_text(POST_OFFICE) == ("Thứ Hai đến Thứ Sáu: 07:30–11:30, 13:30–17:00; Thứ Bảy: 07:30–11:30")
    assert day_text(POST_OFFICE, 5) == "Thứ Bảy: 07:30–11:30"
    assert day_text(POST_OFFICE, 6) == "Chủ nhật: nghỉ"
