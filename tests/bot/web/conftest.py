"""Fixtures for the web app: the app against a closed port, and against a stand-in for Rasa."""

from __future__ import annotations

import asyncio
import socket
from typing import Any, Dict, List

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.settings import Settings
from bot.web.app import create_app
from bot.web.rasa_client import WEBHOOK_PATH


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on: Rasa "down"."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest_asyncio.fixture
async def client(aiohttp_client: Any, closed_port: int, kb_url: str) -> TestClient:
    """The app with the real KB and Rasa unreachable; enough for all that stops before Rasa."""
    return await aiohttp_client(create_app(Settings(rasa_port=closed_port, kb_url=kb_url)))


class FakeRasa:
    """Stands in for Rasa's REST webhook: records what it got, answers what a test set."""

    def __init__(self) -> None:
        self.received: List[Dict[str, Any]] = []
        self.status = 200
        self.delay = 0.0
        self.raw_body: str | None = None
        self.port = 0

    def reply(self, sender: str, message: str) -> List[Dict[str, Any]]:
        return [
            {
                "recipient_id": sender,
                "text": f"Bạn đã hỏi: {message}\nXem https://dichvucong.gov.vn.",
                "buttons": [
                    {"title": "Định danh mức 2", "payload": '/hoi_dinh_danh{"muc":"2"}'},
                    {"title": "Không có payload"},
                ],
            },
            {"recipient_id": sender, "image": "https://example.org/a.png"},
            {
                "recipient_id": sender,
                "custom": {"links": [{"title": "Cổng DVC", "url": "https://dichvucong.gov.vn"}]},
            },
        ]

    async def webhook(self, request: web.Request) -> web.Response:
        data = await request.json()
        self.received.append(data)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.raw_body is not None:
            return web.Response(status=self.status, text=self.raw_body)
        return web.json_response(self.reply(data["sender"], data["message"]), status=self.status)


@pytest_asyncio.fixture
async def fake_rasa(aiohttp_server: Any) -> FakeRasa:
    fake = FakeRasa()
    app = web.Application()
    app.router.add_post(WEBHOOK_PATH, fake.webhook)
    server = await aiohttp_server(app)
    fake.port = server.port
    return fake


@pytest_asyncio.fixture
async def rasa_backed_client(aiohttp_client: Any, fake_rasa: FakeRasa) -> TestClient:
    """The app in front of the fake Rasa, with a short timeout for the "too slow" test."""
    return await aiohttp_client(create_app(Settings(rasa_port=fake_rasa.port), rasa_timeout=0.5))
