"""The web app through its HTTP interface: page, assets, validation, and the way to Rasa."""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from typing import Any, AsyncIterator

import pytest
from aiohttp.test_utils import TestClient

from bot.web.app import MSG_BUSY, SESSION_ID
from bot.web.pii import CODE_MASK, ID_MASK, PHONE_MASK, SECRET_MASK

pytestmark = pytest.mark.asyncio

# fake_rasa is conftest.FakeRasa (tests/ is not a package, so it is not imported here).

GOOD_SESSION = "abcdefghijklmnop_-12"


async def assert_refused(response: Any, status: int, field: Any = None) -> dict:
    assert response.status == status
    assert response.content_type == "application/json"
    body = await response.json()
    assert isinstance(body["error"], str) and len(body["error"]) > 10
    assert body.get("field") == field
    return body


# --- page, assets, health ---------------------------------------------------------


async def test_healthz(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_index_serves_the_chat_page(client: TestClient) -> None:
    response = await client.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    html = await response.text()
    assert '<html lang="vi">' in html
    assert 'name="viewport"' in html
    assert "Trợ lý hướng dẫn VNeID và dịch vụ công" in html
    assert re.search(r'id="log"[^>]*role="log"[^>]*aria-live="polite"', html)
    assert '<label for="message">' in html and 'id="message"' in html
    assert re.search(r'<button type="submit" id="send">Gửi</button>', html)
    assert "Cuộc trò chuyện mới" in html
    assert 'src="/static/chat.js"' in html and 'href="/static/chat.css"' in html
    # No CDN, no inline script: test_guides.py checks this for every page.


async def test_security_headers(client: TestClient) -> None:
    response = await client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path, content_type, marker",
    [
        ("/static/chat.js", "javascript", "/api/chat"),
        ("/static/chat.css", "text/css", "font-size"),
        ("/static/site.js", "javascript", "data-text-size"),
        ("/widget.js", "javascript", "/nhung"),
    ],
)
async def test_static_assets(client: TestClient, path: str, content_type: str, marker: str) -> None:
    response = await client.get(path)
    assert response.status == 200
    assert content_type in response.content_type
    assert marker in await response.text()


async def test_page_script_never_uses_inner_html(client: TestClient) -> None:
    script = await (await client.get("/static/chat.js")).text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "textContent" in script
    assert 'rel = "noopener noreferrer"' in script


@pytest.mark.parametrize("path", ["/api/nothing", "/api/procedures/x/y"])
async def test_unknown_api_paths_are_json_404(client: TestClient, path: str) -> None:
    await assert_refused(await client.get(path), 404)


@pytest.mark.parametrize("path", ["/nothing", "/static/nothing.js", "/static/../app.py"])
async def test_unknown_pages_are_readable_404_pages(client: TestClient, path: str) -> None:
    response = await client.get(path)
    assert response.status == 404
    assert response.content_type == "text/html"
    page = await response.text()
    assert "Không tìm thấy địa chỉ này." in page and 'href="/huong-dan"' in page


async def test_wrong_method_is_json_405(client: TestClient) -> None:
    response = await client.get("/api/chat")
    await assert_refused(response, 405)
    assert "POST" in response.headers["Allow"]


# --- validation: always 4xx with a reason, never 500 --------------------------------

BAD_BODIES = [
    pytest.param(b"not json", None, id="not-json"),
    pytest.param(b"", None, id="empty-body"),
    pytest.param(b"\xff\xfe{}", None, id="not-utf8"),
    pytest.param(b"[]", None, id="array"),
    pytest.param(b'["message"]', None, id="array-of-strings"),
    pytest.param(b'"hello"', None, id="string"),
    pytest.param(b"null", None, id="null"),
    pytest.param(b"{}", "message", id="missing-message"),
    pytest.param(b'{"session": "abcdefghijklmnop"}', "message", id="only-session"),
    pytest.param(b'{"message": 5}', "message", id="number"),
    pytest.param(b'{"message": null}', "message", id="message-null"),
    pytest.param(b'{"message": ["a"]}', "message", id="message-list"),
    pytest.param(b'{"message": {"text": "a"}}', "message", id="message-object"),
    pytest.param(b'{"message": ""}', "message", id="message-empty"),
    pytest.param(b'{"message": " \\n\\t "}', "message", id="message-whitespace"),
    pytest.param(json.dumps({"message": "a" * 1001}).encode(), "message", id="1001-chars"),
    pytest.param(b'{"message": "hi", "session": "short"}', "session", id="session-short"),
    pytest.param(json.dumps({"message": "hi", "session": "a" * 65}).encode(), "session", id="session-long"),
    pytest.param(b'{"message": "hi", "session": "abcdefgh ijklmnop!"}', "session", id="session-chars"),
    pytest.param(b'{"message": "hi", "session": "../../etc/passwd/abcd"}', "session", id="session-path"),
    pytest.param(b'{"message": "hi", "session": ""}', "session", id="session-empty"),
    pytest.param(b'{"message": "hi", "session": 1234567890123456}', "session", id="session-number"),
]


@pytest.mark.parametrize("body, field", BAD_BODIES)
async def test_bad_input_is_refused_with_a_reason(client: TestClient, body: bytes, field: Any) -> None:
    response = await client.post("/api/chat", data=body, headers={"Content-Type": "application/json"})
    await assert_refused(response, 400, field)


async def test_body_over_16_kb_is_413(client: TestClient) -> None:
    body = json.dumps({"message": "a" * 17_000}).encode()
    await assert_refused(await client.post("/api/chat", data=body), 413)


async def test_chunked_body_over_16_kb_is_413(client: TestClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"message": "'
        for _ in range(20):
            yield b"a" * 1024
        yield b'"}'

    await assert_refused(await client.post("/api/chat", data=chunks()), 413)


@pytest.mark.parametrize(
    "message",
    [" " + "a" * 1000 + " \n", "a", "mức 2"],
    ids=["1000-chars-after-trim", "one-char", "short"],
)
async def test_valid_input_reaches_rasa(client: TestClient, message: str) -> None:
    # Rasa is down in this fixture, so passing validation shows up as 503.
    response = await client.post("/api/chat", json={"message": message, "session": GOOD_SESSION})
    assert response.status == 503


# --- Rasa down, slow or odd ------------------------------------------------------------


async def test_rasa_unreachable_is_a_polite_503(client: TestClient) -> None:
    response = await client.post("/api/chat", json={"message": "Xin chào"})
    assert response.status == 503
    body = await response.json()
    assert body == {"error": MSG_BUSY}
    assert "hệ thống đang bận" in body["error"] and "1900 0368" in body["error"]


@pytest.mark.parametrize(
    "setup",
    [
        pytest.param({"status": 500}, id="http-500"),
        pytest.param({"status": 404, "raw_body": "no"}, id="http-404"),
        pytest.param({"raw_body": "<html>not json</html>"}, id="not-json"),
        pytest.param({"raw_body": '{"text": "object, not list"}'}, id="not-a-list"),
        pytest.param({"delay": 1.5}, id="too-slow"),
    ],
)
async def test_unusable_rasa_answer_is_503(
    rasa_backed_client: TestClient, fake_rasa: Any, setup: dict
) -> None:
    for key, value in setup.items():
        setattr(fake_rasa, key, value)
    response = await rasa_backed_client.post("/api/chat", json={"message": "Xin chào"})
    assert response.status == 503
    assert await response.json() == {"error": MSG_BUSY}


# --- forwarding to Rasa ----------------------------------------------------------------


async def test_forwards_and_normalises_the_answer(rasa_backed_client: TestClient, fake_rasa: Any) -> None:
    response = await rasa_backed_client.post("/api/chat", json={"message": "  Cách định danh mức 2?  "})
    assert response.status == 200
    body = await response.json()
    session = body["session"]
    assert SESSION_ID.fullmatch(session)
    assert fake_rasa.received == [{"sender": session, "message": "Cách định danh mức 2?"}]
    assert "warning" not in body
    assert body["messages"] == [
        {
            "text": "Bạn đã hỏi: Cách định danh mức 2?\nXem https://dichvucong.gov.vn.",
            "buttons": [{"title": "Định danh mức 2", "payload": '/hoi_dinh_danh{"muc":"2"}'}],
            "links": [],
        },
        {"text": None, "buttons": [], "links": [{"title": "Cổng DVC", "url": "https://dichvucong.gov.vn"}]},
    ]


async def test_session_is_kept(rasa_backed_client: TestClient, fake_rasa: Any) -> None:
    response = await rasa_backed_client.post("/api/chat", json={"message": "a", "session": GOOD_SESSION})
    assert (await response.json())["session"] == GOOD_SESSION
    response = await rasa_backed_client.post("/api/chat", json={"message": "b", "session": None})
    new_session = (await response.json())["session"]
    assert new_session != GOOD_SESSION
    assert [r["sender"] for r in fake_rasa.received] == [GOOD_SESSION, new_session]


async def test_personal_numbers_are_masked_before_rasa(
    rasa_backed_client: TestClient, fake_rasa: Any
) -> None:
    response = await rasa_backed_client.post(
        "/api/chat", json={"message": "CCCD 001203004567, mã OTP 123456, gọi 1900 0368"}
    )
    body = await response.json()
    sent = fake_rasa.received[0]["message"]
    assert sent == f"CCCD {ID_MASK}, mã OTP {CODE_MASK}, gọi 1900 0368"
    assert "001203004567" not in json.dumps(body, ensure_ascii=False)
    # The warning names what was hidden, in order, and repeats no value.
    assert body["warning"].startswith("Tôi đã ẩn số giấy tờ và mã OTP hoặc mã số bạn vừa gửi")
    assert "đừng gửi" in body["warning"] and not any(c.isdigit() for c in body["warning"])


async def test_our_own_button_payloads_pass_rewritten(rasa_backed_client: TestClient, fake_rasa: Any) -> None:
    sent = ["/next_step", '/ask_find_post_office{ "latitude": 10.77634, "longitude" : 106.7009 }']
    for message in sent:
        body = await (await rasa_backed_client.post("/api/chat", json={"message": message})).json()
        assert "warning" not in body
    assert [r["message"] for r in fake_rasa.received] == [
        "/next_step",
        '/ask_find_post_office{"latitude":10.776,"longitude":106.701}',
    ]


@pytest.mark.parametrize(
    "message, sent",
    [
        ('/greet{"x":"CCCD 001203004567, mk Abc@12345"}', f'greet{{"x":"CCCD {ID_MASK}, mk {SECRET_MASK}"}}'),
        ('/chon_xa{"ma_xa":"26734"}', f'chon_xa{{"ma_xa":"{CODE_MASK}"}}'),  # not one of our intents
        (
            '/ask_find_post_office{"latitude":"0912345678"}',
            f'ask_find_post_office{{"latitude":"{PHONE_MASK}"}}',
        ),
        ("//0912345678", PHONE_MASK),
    ],
)
async def test_other_payloads_are_text_masked_like_any_message(
    rasa_backed_client: TestClient, fake_rasa: Any, message: str, sent: str
) -> None:
    await rasa_backed_client.post("/api/chat", json={"message": message})
    assert fake_rasa.received[0]["message"] == sent


async def test_text_is_nfc_before_rasa(rasa_backed_client: TestClient, fake_rasa: Any) -> None:
    nfd = unicodedata.normalize("NFD", "Định danh điện tử")
    await rasa_backed_client.post("/api/chat", json={"message": nfd})
    assert fake_rasa.received[0]["message"] == "Định danh điện tử"


async def test_message_text_is_never_logged(
    rasa_backed_client: TestClient, fake_rasa: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "bí mật riêng tư 0912345678"
    await rasa_backed_client.post("/api/chat", json={"message": secret, "session": GOOD_SESSION})
    fake_rasa.status = 500
    await rasa_backed_client.post("/api/chat", json={"message": secret, "session": GOOD_SESSION})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "bí mật" not in logged and "0912345678" not in logged
    assert GOOD_SESSION not in logged
    assert "session=abcdef" in logged


# --- static files: gzip, ETag, nothing outside static/ ------------------------------


async def test_static_text_is_gzipped_and_revalidated_by_etag(client: TestClient) -> None:
    from bot.web.pages import STATIC_DIR

    plain = (STATIC_DIR / "chat.js").read_bytes()
    response = await client.get("/static/chat.js", headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) < len(plain) / 2
    assert await response.read() == plain  # the client undoes the gzip
    etag = response.headers["ETag"]
    again = await client.get("/static/chat.js", headers={"If-None-Match": etag})
    assert again.status == 304 and await again.read() == b""
    identity = await client.get("/static/chat.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in identity.headers and await identity.read() == plain


async def test_pages_are_gzipped(client: TestClient) -> None:
    response = await client.get("/huong-dan", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize(
    "path", ["/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/", "/static/../templates/base.html"]
)
async def test_nothing_outside_static_is_served(client: TestClient, path: str) -> None:
    response = await client.get(path)
    assert response.status == 404


async def test_assets_never_leave_their_directory() -> None:
    from bot.web.pages import ASSETS

    assert ASSETS.find("chat.js") is not None
    for name in ("../app.py", "../templates/base.html", "/etc/passwd", "", "."):
        assert ASSETS.find(name) is None, name


async def test_no_reply_from_rasa_becomes_a_polite_answer_with_the_hotline(
    rasa_backed_client: TestClient, fake_rasa
) -> None:
    from bot.web.app import MSG_NO_ANSWER

    fake_rasa.raw_body = "[]"  # what Rasa sends when a custom action failed
    response = await rasa_backed_client.post("/api/chat", json={"message": "tiếp"})
    assert response.status == 200
    assert (await response.json())["messages"] == [{"text": MSG_NO_ANSWER, "buttons": [], "links": []}]
    assert "1900 0368" in MSG_NO_ANSWER
