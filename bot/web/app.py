"""The public web app: the chat page and ``POST /api/chat``, a thin proxy to Rasa's REST channel."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
from functools import partial
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Tuple

import aiohttp
from aiohttp import web

from bot.settings import DOMAIN_FILE, Settings
from bot.text import nfc
from bot.web import guards, guides, pages, payloads, pii, schemas
from bot.web.http import SETTINGS, ApiError, json_response
from bot.web.rasa_client import RasaClient, RasaUnavailable
from bot.web.templating import page_meta, render

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
MAX_MESSAGE_CHARS = schemas.MAX_MESSAGE_CHARS
# A citizen waits at most this long: past it, a polite answer with the hotline (503).
RASA_TIMEOUT_SECONDS = 4.0
SESSION_ID = re.compile(schemas.SESSION_PATTERN)

RASA = web.AppKey("rasa", RasaClient)
PAYLOAD_RULES = web.AppKey("payload_rules", payloads.PayloadRules)

# What the user reads; the page shows "error" as it is.
HOTLINE_HINT = "Nếu cần hỗ trợ ngay, bạn có thể gọi tổng đài 1900 0368."
MSG_BUSY = "Xin lỗi, hệ thống đang bận, xin bạn thử lại sau ít phút. " + HOTLINE_HINT
# Rasa answers nothing when a custom action fails (action server down): say so kindly.
MSG_NO_ANSWER = (
    "Xin lỗi, trợ lý tạm thời chưa trả lời được câu này. Xin bạn thử lại sau ít phút. " + HOTLINE_HINT
)
MSG_INTERNAL = "Xin lỗi, đã có lỗi ngoài ý muốn, xin bạn thử lại sau ít phút. " + HOTLINE_HINT
MSG_NOT_JSON = "Xin lỗi, không đọc được yêu cầu: nội dung gửi lên phải là JSON (UTF-8)."
MSG_NOT_OBJECT = 'Xin lỗi, nội dung gửi lên phải là một đối tượng JSON có trường "message".'
MSG_NO_MESSAGE = "Xin bạn vui lòng nhập câu hỏi."
MSG_MESSAGE_TYPE = "Câu hỏi phải là một đoạn văn bản."
MSG_EMPTY = "Xin bạn vui lòng nhập câu hỏi trước khi gửi."
MSG_TOO_LONG = (
    f"Câu hỏi dài quá {MAX_MESSAGE_CHARS} ký tự. Xin bạn vui lòng rút gọn hoặc chia thành nhiều câu hỏi nhỏ."
)
MSG_UNKNOWN_FIELD = 'Xin lỗi, yêu cầu có trường "{field}" không được hỗ trợ; chỉ có "message" và "session".'
MSG_BAD_SESSION = "Mã phiên trò chuyện không hợp lệ. Xin bạn bắt đầu cuộc trò chuyện mới."
MSG_TOO_LARGE = "Nội dung gửi lên quá lớn (tối đa 16 KB). Xin bạn vui lòng rút gọn câu hỏi."
MSG_BY_STATUS = {
    404: "Không tìm thấy địa chỉ này.",
    405: "Địa chỉ này không hỗ trợ phương thức yêu cầu đã dùng.",
    413: MSG_TOO_LARGE,
}
MSG_CLIENT_ERROR = "Xin lỗi, yêu cầu không hợp lệ."

SECURITY_HEADERS = {
    # Everything is served by us: no CDN, no external fonts, no inline script or style.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def create_app(settings: Settings, *, rasa_timeout: float = RASA_TIMEOUT_SECONDS) -> web.Application:
    """Build the web app; Rasa is only contacted when a message arrives."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[error_middleware])
    app[SETTINGS] = settings
    app.cleanup_ctx.append(partial(rasa_client_ctx, timeout=rasa_timeout))
    app.cleanup_ctx.append(partial(guides.kb_ctx, settings=settings))
    app.cleanup_ctx.append(payload_rules_ctx)
    guards.install(app)
    app.on_response_prepare.append(add_security_headers)
    app.add_routes(
        [
            *pages.routes(),
            *guides.routes(),
            web.get("/healthz", healthz),
            web.post("/api/chat", chat),
        ]
    )
    return app


async def rasa_client_ctx(app: web.Application, *, timeout: float) -> AsyncIterator[None]:
    """One HTTP client session for the app's lifetime."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        app[RASA] = RasaClient(session, app[SETTINGS].rasa_url)
        yield


async def payload_rules_ctx(app: web.Application) -> AsyncIterator[None]:
    """What our buttons may send: the domain's intents and entities, the KB's slugs (if it is up)."""
    kb = app.get(guides.KB)
    slugs = (
        frozenset(slug for slug, _ in await asyncio.to_thread(kb.titles)) if kb is not None else frozenset()
    )
    app[PAYLOAD_RULES] = payloads.load_rules(DOMAIN_FILE, slugs)
    yield


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    if request.path == pages.EMBED_PATH:
        # The widget's panel: other sites may frame it, as EMBED_ALLOWED_ORIGINS allows.
        del response.headers["X-Frame-Options"]
        ancestors = request.app[SETTINGS].embed_origins
        response.headers["Content-Security-Policy"] = response.headers["Content-Security-Policy"].replace(
            "frame-ancestors 'none'", f"frame-ancestors 'self' {ancestors}"
        )
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The one place where failures become HTTP answers, always JSON with an "error" reason."""
    try:
        return await handler(request)
    except ApiError as exc:
        log.info("refused %s %s: %d field=%s", request.method, request.path, exc.status, exc.field)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, guards.RateLimited) else None
        return error_response(exc.status, exc.message, exc.field, headers=headers)
    except RasaUnavailable as exc:
        log.warning("Rasa unavailable: %s", exc)
        return error_response(503, MSG_BUSY)
    except guides.KbUnavailable as exc:
        return error_page(request, 503, str(exc))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        default = MSG_CLIENT_ERROR if exc.status < 500 else MSG_INTERNAL
        message = MSG_BY_STATUS.get(exc.status, default)
        if exc.status == 404 and request.path.startswith("/huong-dan/"):
            message = guides.MSG_NO_GUIDE
        return error_page(request, exc.status, message, headers=headers)
    except asyncio.CancelledError:
        raise
    except Exception:
        # The traceback names code, not the message text.
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_page(request, 500, MSG_INTERNAL)


def error_page(
    request: web.Request, status: int, message: str, headers: Dict[str, str] | None = None
) -> web.Response:
    """JSON for the API and for non-GET requests; a page people can read for everything else."""
    if request.path.startswith("/api/") or request.method not in ("GET", "HEAD"):
        return error_response(status, message, headers=headers)
    title = "Không tìm thấy trang" if status == 404 else "Xin lỗi, đã có lỗi"
    meta = page_meta(request, request.app[SETTINGS], title, message)
    return render("error.html", status=status, headers=headers, message=message, meta=meta)


def error_response(
    status: int,
    message: str,
    field: str | None = None,
    headers: Dict[str, str] | None = None,
) -> web.Response:
    body: Dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return json_response(body, status=status, headers=headers)


async def healthz(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def chat(request: web.Request) -> web.Response:
    """Forward one user message to Rasa and answer its replies, normalised for the page."""
    body = await read_json_object(request)
    message, session = validate_chat(body)
    guards.check_session_rate(request, session)
    vetted = payloads.vet(message, request.app[PAYLOAD_RULES])
    replies = await request.app[RASA].send(session, vetted.text)
    if not replies:
        log.warning("Rasa gave no reply (is the action server up?) session=%s…", session[:6])
        replies = [{"text": MSG_NO_ANSWER, "buttons": [], "links": []}]
    # Never the text itself: it may hold personal data.
    log.info(
        "chat session=%s… chars=%d payload=%s hidden=%s replies=%d",
        session[:6],
        len(message),
        vetted.is_payload,
        ",".join(kind.label for kind in vetted.hidden) or "-",
        len(replies),
    )
    answer: Dict[str, Any] = {"session": session, "messages": replies}
    if vetted.hidden:
        answer["warning"] = pii.warning(vetted.hidden)
    return json_response(answer)


async def read_json_object(request: web.Request) -> Dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise ApiError(413, MSG_TOO_LARGE)
    raw = await request.read()  # raises 413 past client_max_size, even when chunked
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, MSG_NOT_JSON) from None
    if not isinstance(body, dict):
        raise ApiError(400, MSG_NOT_OBJECT)
    return body


def validate_chat(body: Dict[str, Any]) -> Tuple[str, str]:
    """Check ``body`` against schemas.CHAT_REQUEST; return the trimmed NFC message and the
    session id (a new one when none was given)."""
    error = schemas.first_error(body)
    if error is not None:
        field, kind = error
        if kind == "unknown":
            raise ApiError(400, MSG_UNKNOWN_FIELD.format(field=field[:40]), field[:40])
        if field == "session":
            raise ApiError(400, MSG_BAD_SESSION, "session")
        raise ApiError(400, MSG_NO_MESSAGE if kind == "required" else MSG_MESSAGE_TYPE, "message")
    message = nfc(body["message"]).strip()
    if not message:
        raise ApiError(400, MSG_EMPTY, "message")
    if len(message) > MAX_MESSAGE_CHARS:
        raise ApiError(400, MSG_TOO_LONG, "message")
    return message, body.get("session") or secrets.token_urlsafe(24)
