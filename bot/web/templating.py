"""HTML pages from Jinja templates (autoescaped), with the link-preview tags every page carries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.settings import Settings

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
SITE_NAME = "Trợ lý VNeID và dịch vụ công"
# Zalo and Facebook read og:image only as an absolute URL; 1200×630 is their large card.
OG_IMAGE_PATH = "/static/og-image.png"

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class PageMeta:
    """What a link preview shows: title, description and the page's own absolute URL."""

    title: str
    description: str
    url: str
    image: str
    type: str = "website"


def public_base(request: web.Request, settings: Settings) -> str:
    """The site's absolute address: PUBLIC_URL when set, else the one this request came to."""
    if settings.public_url:
        return settings.public_url
    return f"{request.scheme}://{request.host}"


def page_meta(request: web.Request, settings: Settings, title: str, description: str, **kw: Any) -> PageMeta:
    base = public_base(request, settings)
    return PageMeta(
        title=title,
        description=description,
        url=base + request.path,
        image=base + OG_IMAGE_PATH,
        **kw,
    )


def render(template: str, status: int = 200, headers: dict | None = None, **context: Any) -> web.Response:
    html = _ENV.get_template(template).render(site_name=SITE_NAME, **context)
    response = web.Response(
        text=html,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers={"Cache-Control": "no-cache", **(headers or {})},
    )
    response.enable_compression()  # gzip when the browser accepts it
    return response
