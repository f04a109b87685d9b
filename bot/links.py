"""Which web addresses the assistant may send citizens to: official domains only.

Scam links are the citizens' biggest risk online, so the chat only ever shows links to
state sites (every ``*.gov.vn``, the government portal, VNPost for post-office services).
Guide pages still cite their press sources; chat replies point to official pages.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

OFFICIAL_DOMAINS = ("gov.vn", "chinhphu.vn", "baochinhphu.vn", "vnpost.vn")

# Web addresses inside a text, as the chat page would turn them into links.
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'“”]+", re.IGNORECASE)
_TRAILING_PUNCT = re.compile(r"[.,;:!?)\]}»’]+$")


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


def unofficial_urls(text: str) -> list[str]:
    """The web addresses in ``text`` that are not official."""
    found = (_TRAILING_PUNCT.sub("", m.group(0)) for m in URL_IN_TEXT.finditer(text))
    return [url for url in found if not is_official(url)]
