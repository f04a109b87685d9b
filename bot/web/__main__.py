"""``python -m bot.web``: serve the chat page on WEB_HOST:WEB_PORT (the supervisor prints the URL)."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.settings import load_settings
from bot.web.app import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    # No banner and no access log: the app logs one line per chat turn itself.
    web.run_app(
        create_app(settings), host=settings.web_host, port=settings.web_port, print=None, access_log=None
    )


if __name__ == "__main__":
    main()
