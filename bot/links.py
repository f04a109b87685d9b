"""Which web addresses the assistant may send citizens to: official domains only.

Scam links are the citizens' biggest risk online, so the chat only ever shows links to
state sites (every ``*.gov.vn``, the government portal, VNPost for post-office services).
Guide pages still cite their press sources; chat replies point to official pages.
"""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import urlsplit

OFFICIAL_DOMAINS = ("gov.vn", "chinhphu.vn", "baochinhphu.vn", "vnpost.vn")

# Web addresses inside a text, as the chat page would turn them into links; punctuation
# at their end belongs to the sentence (chat.js drops the same characters).
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'“”]+", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?)]}»’"


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
