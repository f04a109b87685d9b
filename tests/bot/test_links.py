"""Which addresses count as official: the chat links nowhere else."""

from __future__ import annotations

import pytest

from bot.links import is_official, unofficial_urls

OFFICIAL = [
    "https://vneid.gov.vn",
    "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
    "http://congan.hanam.gov.vn/a?b=c",
    "HTTPS://VNEID.GOV.VN/",
    "https://vneid.gov.vn./",
    "https://www.vnpost.vn",
    "https://baochinhphu.vn/x",
]
NOT_OFFICIAL = [
    "https://vnexpress.net/vneid",
    "https://vneid.gov.vn.lua-dao.com/dang-nhap",
    "https://govvn.com",
    "https://fakegov.vn",
    "https://evil.com/?next=https://vneid.gov.vn",
    "https://vneid.gov.vn@evil.com/",
    "https://user:pass@vneid.gov.vn/",
    "javascript:alert('vneid.gov.vn')",
    "ftp://vneid.gov.vn",
    "vneid.gov.vn",
    "https://[::1]/",
    "http://[bad",
    "",
    None,
    42,
]


@pytest.mark.parametrize("url", OFFICIAL)
def test_official(url: str) -> None:
    assert is_official(url)


@pytest.mark.parametrize("url", NOT_OFFICIAL)
def test_not_official(url: object) -> None:
    assert not is_official(url)


def test_unofficial_urls_in_text() -> None:
    text = "Vào https://vneid.gov.vn, đừng vào https://vneid-gov.vn/login. Xem http://cafef.vn/a)."
    assert unofficial_urls(text) == ["https://vneid-gov.vn/login", "http://cafef.vn/a"]
