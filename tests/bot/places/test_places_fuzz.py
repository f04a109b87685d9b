"""Hostile input for the parts that read what people type: place names and opening hours.

Derandomized, like the other fuzz tests: the same examples every run.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.places.directory import HelpPointDirectory
from bot.places.hours import HoursError, parse_hours, status_at
from bot.places.question import kinds_in, weekday_in

FUZZ = settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
VIETNAMESE = st.text(
    alphabet=st.sampled_from(list("xaphuongbenthcamlođêôơưăâáàảãạ 0123456789,.-/'\u0301\u200b\u00a0\n")),
    max_size=80,
)


@pytest.fixture(scope="module")
def places(kb_url) -> HelpPointDirectory:
    return HelpPointDirectory.from_url(kb_url)


@FUZZ
@given(text=st.one_of(st.text(max_size=200), VIETNAMESE))
@example(text="xã " * 2000)
@example(text="phường\u0301\u0301\u0301 Bến Thành" + "\u200b" * 50)
def test_any_text_resolves_to_areas_or_nothing(places, text):
    areas = places.areas(text)
    for area in areas:
        assert area.province_code in places.provinces
        assert all(code in places.communes for code in area.communes)
        assert places.area_label(area)
    kinds_in(text)
    weekday_in(text, datetime.date(2026, 11, 22))


@FUZZ
@given(
    text=st.one_of(
        st.text(max_size=60),
        st.from_regex(r"(T[2-8]|CN)[-,]?(T[2-7]|CN)? \d\d:\d\d-\d\d:\d\d", fullmatch=True),
    )
)
def test_hours_parse_or_say_why(text):
    try:
        periods = parse_hours(text)
    except HoursError as exc:
        assert str(exc)
        return
    assert all(0 <= p.weekday <= 6 and 0 <= p.opens < p.closes <= 24 * 60 for p in periods)
    status_at(periods, datetime.datetime(2026, 11, 22, 12, 0))
