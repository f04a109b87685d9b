"""What stands before the JSON API: which sites may call it (CORS) and how often (429)."""

from __future__ import annotations

from typing import Awaitable, Callable

from aiohttp import web

from bot.web.http import SETTINGS, ApiError
from bot.web.ratelimit import RateLimiter

PER_CLIENT = web.AppKey("rate_per_client", RateLimiter)
PER_SESSION = web.AppKey("rate_per_session", RateLimiter)

MSG_FOREIGN_SITE = "Xin lỗi, trang web này không được phép gọi trợ lý. Xin bạn dùng trang của trợ lý."
MSG_TOO_FAST = "Bạn gửi nhanh quá. Xin bạn đợi {seconds} giây rồi gửi tiếp."

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RateLimited(ApiError):
    def __init__(self, seconds: int) -> None:
        super().__init__(429, MSG_TOO_FAST.format(seconds=seconds))
        self.retry_after = seconds


def install(app: web.Application) -> None:
    settings = app[SETTINGS]
    app[PER_CLIENT] = RateLimiter(*settings.rate_per_client)
    app[PER_SESSION] = RateLimiter(*settings.rate_per_session)
    app.middlewares.append(api_guard)


def own_origin(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


@web.middleware
async def api_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/api/"):
        return await handler(request)
    origin = request.headers.get("Origin")
    settings = request.app[SETTINGS]
    allowed = origin is None or origin in (own_origin(request), settings.public_url)
    cross_site = origin is not None and origin in settings.cors_origins
    if not (allowed or cross_site):
        raise ApiError(403, MSG_FOREIGN_SITE)
    if request.method == "OPTIONS":  # a preflight from an allowed site
        response: web.StreamResponse = web.Response(status=204)
    else:
        wait = request.app[PER_CLIENT].hit(request.remote or "unknown")
        if wait:
            raise RateLimited(wait)
        response = await handler(request)
    if cross_site:
        response.headers.update(
            {
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": "GET, POST",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "600",
                "Vary": "Origin",
            }
        )
    return response


def check_session_rate(request: web.Request, session: str) -> None:
    wait = request.app[PER_SESSION].hit(session)
    if wait:
        raise RateLimited(wait)
