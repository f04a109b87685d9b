"""Which web addresses the assistant may send citizens to: official domains only.

Scam links are the citizens' biggest risk online, so the chat only ever shows links to
state sites (every ``*.gov.vn``, the government portal, VNPost for post-office services).
Guide pages still cite their press sources; chat replies point to official pages.

One exception, kept narrow: a help point's "Xem bản đồ" link goes to a map provider. We
build it ourselves from the point's coordinates (never from content or user text), and
the page accepts it only in that field and only for MAP_LINK_PREFIXES.
"""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import urlsplit

# vbpl.vn is the Ministry of Justice's database of legal texts; quochoi.vn the National Assembly.
OFFICIAL_DOMAINS = ("gov.vn", "chinhphu.vn", "baochinhphu.vn", "vnpost.vn", "vbpl.vn", "quochoi.vn")

# Web addresses inside a text, as the chat page would turn them into links; punctuation
# at their end belongs to the sentence (chat.js drops the same characters).
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'“”]+", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?)]}»’"


# Google Maps: most phones here open it in the Maps app, with the pin and directions.
MAP_LINK = "https://www.google.com/maps/search/?api=1&query={latitude:.5f}%2C{longitude:.5f}"
MAP_LINK_PREFIXES = ("https://www.google.com/maps/search/?api=1&query=",)
_MAP_QUERY = re.compile(r"-?\d{1,2}\.\d{1,6}%2C-?\d{1,3}\.\d{1,6}")


def map_link(latitude: float, longitude: float) -> str:
    """A map showing a pin at the point (the help point's, never the citizen's position)."""
    return MAP_LINK.format(latitude=latitude, longitude=longitude)


def is_map_link(url: object) -> bool:
    """A link map_link() could have made: an allowed prefix followed by "lat%2Clon" only."""
    if not isinstance(url, str):
        return False
    return any(
        url.startswith(prefix) and _MAP_QUERY.fullmatch(url[len(prefix) :]) for prefix in MAP_LINK_PREFIXES
    )


def is_official(url: object) -> bool:
    """An http(s) URL whose host is one of OFFICIAL_DOMAINS or a subdomain of one."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or parts.username or parts.password:
        return False
    return any(host == domain or host.endswith("." + domain) for domain in OFFICIAL_DOMAINS)


def _urls(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each web address in ``text``: its match, and the address without trailing punctuation."""
    for match in URL_IN_TEXT.finditer(text):
        yield match, match.group(0).rstrip(_TRAILING_PUNCT)


def unofficial_urls(text: str) -> list[str]:
    """The web addresses in ``text`` that are not official."""
    return [url for _, url in _urls(text) if not is_official(url)]


def hide_unofficial(text: str, note: str) -> str:
    """``text`` with every web address that is not official replaced by ``note``."""
    parts, done = [], 0
    for match, url in _urls(text):
        if not is_official(url):
            parts += [text[done : match.start()], note]
            done = match.start() + len(url)
    return "".join(parts) + text[done:]
