"""Rate limits (429 with Retry-After), CORS allowlist and the request schema."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient

from bot.settings import Settings
from bot.web.app import create_app
from bot.web.ratelimit import RateLimiter

SESSION_A = "a" * 20
SESSION_B = "b" * 20


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refills() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 60, clock=clock)
    assert [limiter.hit("x") for _ in range(3)] == [0, 0, 0]
    assert limiter.hit("x") == 20  # one token comes back every 20 s
    assert limiter.hit("y") == 0  # other keys are not affected
    clock.now += 20
    assert limiter.hit("x") == 0
    assert limiter.hit("x") == 20


def test_idle_buckets_are_forgotten_and_memory_is_capped() -> None:
    clock = Clock()
    limiter = RateLimiter(2, 10, max_keys=100, clock=clock)
    for i in range(50):
        limiter.hit(f"k{i}")
    clock.now += 11
    limiter.hit("new")
    assert len(limiter) == 1
    for i in range(500):
        limiter.hit(f"flood{i}")
    assert len(limiter) <= 101


@pytest_asyncio.fixture
async def limited(aiohttp_client: Any, fake_rasa: Any, kb_url: str) -> TestClient:
    settings = Settings(
        rasa_port=fake_rasa.port,
        kb_url=kb_url,
        rate_per_session=(3, 60),
        rate_per_client=(5, 60),
        cors_origins=("https://xa.example.gov.vn",),
    )
    return await aiohttp_client(create_app(settings))


@pytest.mark.asyncio
async def test_too_many_messages_in_one_conversation_get_429(limited: TestClient) -> None:
    for _ in range(3):
        assert (await limited.post("/api/chat", json={"message": "a", "session": SESSION_A})).status == 200
    refused = await limited.post("/api/chat", json={"message": "a", "session": SESSION_A})
    assert refused.status == 429
    assert refused.headers["Retry-After"] == "20"
    assert "20 giây" in (await refused.json())["error"]
    # Another conversation from the same address still gets through (the address allows 5).
    assert (await limited.post("/api/chat", json={"message": "a", "session": SESSION_B})).status == 200


@pytest.mark.asyncio
async def test_too_many_requests_from_one_address_get_429(limited: TestClient) -> None:
    statuses = []
    for i in range(7):
        response = await limited.get("/api/procedures", params={"q": f"vneid {i}"})
        statuses.append(response.status)
    assert statuses == [200] * 5 + [429] * 2
    assert int(response.headers["Retry-After"]) >= 1
    assert (await limited.get("/huong-dan")).status == 200  # pages are not API calls


@pytest.mark.asyncio
async def test_cors_allowlist(limited: TestClient) -> None:
    allowed = "https://xa.example.gov.vn"
    preflight = await limited.options(
        "/api/chat", headers={"Origin": allowed, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == allowed
    response = await limited.post("/api/chat", json={"message": "a"}, headers={"Origin": allowed})
    assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == allowed

    foreign = await limited.post(
        "/api/chat", json={"message": "a"}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status == 403
    assert "Access-Control-Allow-Origin" not in foreign.headers
    assert "không được phép" in (await foreign.json())["error"]
    assert (await limited.options("/api/chat", headers={"Origin": "https://evil.example"})).status == 403

    # The page's own requests carry its own origin and need no CORS headers.
    own = f"http://{limited.host}:{limited.port}"
    same = await limited.post("/api/chat", json={"message": "a"}, headers={"Origin": own})
    assert same.status == 200 and "Access-Control-Allow-Origin" not in same.headers


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body, field",
    [
        ({"message": "a", "extra": 1}, "extra"),
        ({"message": "a", "session": "a" * 20, "sender": "x"}, "sender"),
        ({"message": "a", "session": 12345678901234567}, "session"),
        ({"message": ["a"]}, "message"),
        ({"session": "a" * 20}, "message"),
    ],
)
async def test_requests_outside_the_schema_are_refused_with_the_field(
    client: TestClient, body: dict, field: str
) -> None:
    response = await client.post("/api/chat", json=body)
    assert response.status == 400
    answer = await response.json()
    assert answer["field"] == field and len(answer["error"]) > 10
