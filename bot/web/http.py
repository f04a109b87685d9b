"""What every handler shares: the settings key, JSON answers and the refusal exception."""

from __future__ import annotations

import json
from functools import partial

from aiohttp import web

from bot.settings import Settings

SETTINGS = web.AppKey("settings", Settings)

json_response = partial(web.json_response, dumps=partial(json.dumps, ensure_ascii=False))


class ApiError(Exception):
    """A request the API refuses, with the status and the reason shown to the user."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
