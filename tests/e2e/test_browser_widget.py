"""The embeddable widget on somebody else's site, under that site's own strict CSP."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.slow

HOST_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin xã Thử Nghiệm</title></head>
<body><h1>Cổng thông tin xã Thử Nghiệm</h1><p>Trang của một xã, có nhúng trợ lý.</p>
<script src="{origin}/widget.js" defer></script>
<script src="{origin}/widget.js" defer></script>
</body></html>"""


@pytest.fixture
def host_site(base_url: str):
    """A separate origin that embeds the widget with one script tag (twice, by mistake)."""
    body = HOST_PAGE.format(origin=base_url).encode()
    # The host's CSP allows our script and frame but no inline styles at all.
    csp = f"default-src 'none'; script-src {base_url}; frame-src {base_url}; style-src 'none'"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_address[1]}/"
    server.shutdown()


def test_widget_adds_one_button_that_opens_a_working_chat(page: Page, host_site: str, kb) -> None:
    procedure = kb.get("kich-hoat-vneid")
    page.goto(host_site)
    button = page.locator("#troly-widget-button")
    expect(button).to_have_count(1)
    expect(button).to_be_visible()
    expect(page.locator("#troly-widget-frame")).to_have_count(0)  # nothing loads before it is opened
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    frame = page.frame_locator("#troly-widget-frame")
    frame.locator("#message").fill("kich hoat vneid")
    frame.locator("#send").click()
    expect(frame.locator("#log .step-card .step-count").last).to_have_text(f"Bước 1/{len(procedure.steps)}")
    page.get_by_role("button", name="Đóng trợ lý").click()
    expect(page.locator("#troly-widget-frame")).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()

    # Escape closes it too, even while typing inside the (cross-origin) frame.
    button.click()
    frame.locator("#message").focus()
    page.keyboard.press("Escape")
    expect(page.locator("#troly-widget-frame")).to_be_hidden()
    expect(button).to_be_focused()
    button.click()  # the conversation is still there when it opens again
    expect(frame.locator("#log .step-card")).to_have_count(1)
