"""Guides from the KB, without chatting: readable pages, QR codes and a small JSON API.

Community teams share ``/huong-dan/<slug>`` links in Zalo groups; the desk view searches
and shows the same content through ``/api/procedures``. None of this needs Rasa.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any, AsyncIterator, Dict, List

import segno
from aiohttp import web

from bot.kb.queries import KnowledgeBase, KnowledgeBaseMissing, Procedure
from bot.settings import Settings
from bot.text import nfc
from bot.web.http import SETTINGS, ApiError, json_response
from bot.web.templating import page_meta, public_base, render

log = logging.getLogger(__name__)

KB = web.AppKey("kb", KnowledgeBase)

GUIDE_PATH = "/huong-dan/{slug}"
MAX_QUERY_CHARS = 200
SEARCH_LIMIT = 10

CATEGORY_LABELS = {
    "vneid": "Tài khoản định danh điện tử VNeID",
    "can_cuoc": "Thẻ căn cước",
    "dich_vu_cong": "Dịch vụ công trực tuyến",
    "buu_dien": "Bưu điện hỗ trợ",
    "an_toan": "An toàn, phòng lừa đảo",
}

MSG_NO_GUIDE = "Không tìm thấy hướng dẫn này. Có thể đường dẫn đã cũ hoặc bị gõ sai."
MSG_KB_DOWN = "Các hướng dẫn tạm thời chưa sẵn sàng. Xin bạn thử lại sau ít phút."
MSG_QUERY_TOO_LONG = f"Từ khóa tìm kiếm dài quá {MAX_QUERY_CHARS} ký tự. Xin bạn rút gọn lại."


def routes() -> List[web.AbstractRouteDef]:
    return [
        web.get("/huong-dan", guide_index),
        web.get("/huong-dan/", guide_index),
        web.get(GUIDE_PATH, guide_page),
        web.get(qr_path("{slug}"), guide_qr),
        web.get("/api/procedures", api_search),
        web.get("/api/procedures/{slug}", api_procedure),
    ]


async def kb_ctx(app: web.Application, settings: Settings) -> AsyncIterator[None]:
    """Open the KB once; without it the chat still works and guide pages say they are not ready."""
    try:
        kb = KnowledgeBase.from_url(settings.kb_url)
    except KnowledgeBaseMissing as exc:
        log.error("guides unavailable: %s", exc)
        yield
        return
    app[KB] = kb
    yield
    kb.engine.dispose()


class KbUnavailable(Exception):
    """The KB could not be opened at start-up."""


def knowledge_base(request: web.Request) -> KnowledgeBase:
    kb = request.app.get(KB)
    if kb is None:
        raise KbUnavailable(MSG_KB_DOWN)
    return kb


def guide_path(slug: str) -> str:
    return GUIDE_PATH.format(slug=slug)


def qr_path(slug: str) -> str:
    return guide_path(slug) + "/qr.svg"


def chat_path(slug: str) -> str:
    """The chat page, opened with this procedure as the topic (chat.js reads ``chu-de``)."""
    return f"/?chu-de={slug}"


async def find(request: web.Request) -> Procedure:
    slug = request.match_info["slug"]
    # SQLAlchemy calls are blocking; the KB is small, but a thread keeps the loop free.
    procedure = await asyncio.to_thread(knowledge_base(request).get, slug)
    if procedure is None:
        raise web.HTTPNotFound(reason="no such guide")
    return procedure


async def guide_index(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    procedures = await asyncio.to_thread(knowledge_base(request).all)
    groups = [
        (label, [p for p in procedures if p.category == category])
        for category, label in CATEGORY_LABELS.items()
    ]
    meta = page_meta(
        request,
        settings,
        "Tất cả hướng dẫn – Trợ lý VNeID và dịch vụ công",
        "Hướng dẫn từng bước về tài khoản VNeID, thẻ căn cước và dịch vụ công trực tuyến.",
    )
    return render("guides.html", meta=meta, groups=[g for g in groups if g[1]], guide_path=guide_path)


async def guide_page(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    procedure = await find(request)
    meta = page_meta(request, settings, procedure.title, procedure.summary, type="article")
    return render(
        "guide.html",
        meta=meta,
        procedure=procedure,
        category=CATEGORY_LABELS.get(procedure.category, ""),
        chat_url=chat_path(procedure.slug),
        qr_url=qr_path(procedure.slug),
    )


async def guide_qr(request: web.Request) -> web.Response:
    """A QR code of the guide's absolute link, for the citizen to scan at the desk."""
    procedure = await find(request)
    url = public_base(request, request.app[SETTINGS]) + guide_path(procedure.slug)
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=8, border=4, xmldecl=False, title=url)
    return web.Response(
        body=svg.getvalue(), content_type="image/svg+xml", headers={"Cache-Control": "no-cache"}
    )


def summary_json(procedure: Procedure) -> Dict[str, Any]:
    return {
        "slug": procedure.slug,
        "title": procedure.title,
        "summary": procedure.summary,
        "category": CATEGORY_LABELS.get(procedure.category, ""),
        "guide_url": guide_path(procedure.slug),
    }


async def api_search(request: web.Request) -> web.Response:
    """``?q=`` with or without diacritics, best first; no ``q``: every procedure by title."""
    query = nfc(request.query.get("q", "")).strip()
    if len(query) > MAX_QUERY_CHARS:
        raise ApiError(400, MSG_QUERY_TOO_LONG, "q")
    kb = knowledge_base(request)
    if not query:
        procedures = await asyncio.to_thread(kb.all)
    else:
        matches = await asyncio.to_thread(kb.search, query, SEARCH_LIMIT)
        procedures = await asyncio.to_thread(kb.get_many, [m.slug for m in matches])
    return json_response({"query": query, "results": [summary_json(p) for p in procedures]})


async def api_procedure(request: web.Request) -> web.Response:
    procedure = await find(request)
    base = public_base(request, request.app[SETTINGS])
    body = summary_json(procedure) | {
        "steps": list(procedure.steps),
        "papers": list(procedure.papers),
        "fee": procedure.fee,
        "processing_time": procedure.processing_time,
        "where": procedure.where,
        "public_url": base + guide_path(procedure.slug),
        "qr_url": qr_path(procedure.slug),
        # What the chat sends to take this procedure up, as if its button had been pressed.
        "chat_payload": f"/{procedure.intent}",
        "last_reviewed": procedure.last_reviewed.strftime("%d/%m/%Y"),
        "sources": [{"title": s.title, "url": s.url} for s in procedure.sources],
    }
    return json_response(body)
