from __future__ import annotations

import pytest

from bot.links import is_map_link, is_official, map_link


def test_map_links_show_a_pin_at_the_point():
    assert map_link(10.77991, 106.69996) == (
        "https://www.google.com/maps/search/?api=1&query=10.77991%2C106.69996"
    )
    assert is_map_link(map_link(-1.5, 100.25))


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/maps/search/?api=1&query=Bến Thành",
        "https://www.google.com/maps/search/?api=1&query=10.1%2C106.1&evil=1",
        "http://www.google.com/maps/search/?api=1&query=10.1%2C106.1",
        "https://www.google.com.evil.vn/maps/search/?api=1&query=10.1%2C106.1",
        "javascript:alert(1)",
        None,
    ],
)
def test_nothing_else_counts_as_a_map_link(url):
    assert not is_map_link(url)


def test_map_links_are_not_official_links():
    # Allowed only in a help point's map field, never in text or link lists.
    assert not is_official(map_link(10.0, 106.0))
