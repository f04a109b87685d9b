"""The pages people open: the chat, the widget's panel and its loader script, the desk view."""

from __future__ import annotations

from pathlib import Path
from typing import List

from aiohttp import web

from bot.web.assets import Assets
from bot.web.http import SETTINGS
from bot.web.templating import page_meta, render

STATIC_DIR = Path(__file__).resolve().parent / "static"
ASSETS = Assets(STATIC_DIR)

EMBED_PATH = "/nhung"
DESK_PATH = "/quay"

CHAT_TITLE = "Trợ lý hướng dẫn VNeID và dịch vụ công"
CHAT_DESCRIPTION = (
    "Hỏi đáp về tài khoản định danh điện tử VNeID, thẻ căn cước và dịch vụ công trực tuyến. "
    "Hướng dẫn từng bước, dễ đọc, miễn phí."
)


def routes() -> List[web.AbstractRouteDef]:
    return [
        web.get("/", chat_page),
        web.get(EMBED_PATH, embed_page),
        web.get(DESK_PATH, desk_page),
        web.get("/widget.js", widget_script),
        web.get("/static/{name:.+}", static_file),
    ]


async def chat_page(request: web.Request) -> web.Response:
    meta = page_meta(request, request.app[SETTINGS], CHAT_TITLE, CHAT_DESCRIPTION)
    return render("chat.html", meta=meta, embed=False)


async def embed_page(request: web.Request) -> web.Response:
    """The chat inside the widget's frame on another site (framing allowed: see app.py)."""
    meta = page_meta(request, request.app[SETTINGS], CHAT_TITLE, CHAT_DESCRIPTION)
    return render("chat.html", meta=meta, embed=True)


async def desk_page(request: web.Request) -> web.Response:
    meta = page_meta(
        request,
        request.app[SETTINGS],
        "Quầy hỗ trợ – tra cứu thủ tục",
        "Tra cứu thủ tục, in danh sách giấy tờ và đưa hướng dẫn sang điện thoại của người dân.",
    )
    return render("desk.html", meta=meta)


async def static_file(request: web.Request) -> web.Response:
    return ASSETS.response(request, request.match_info["name"])


async def widget_script(request: web.Request) -> web.Response:
    """The one script other sites include; cached for an hour, so fixes reach them within the hour."""
    return ASSETS.response(request, "widget.js", cache_control="public, max-age=3600")
