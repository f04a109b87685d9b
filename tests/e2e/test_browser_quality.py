"""Screenshots for review, an axe-core accessibility check, and the chat's page weight."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.support import DESKTOP, PHONE

pytestmark = pytest.mark.slow

ACTIVATE = "kich-hoat-vneid"
# The first chat view must stay light for slow mobile networks (bytes on the wire).
PAGE_WEIGHT_BUDGET = 30_000


def chat_with_a_step(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.fill("#message", "kich hoat vneid")
    page.click("#send")
    expect(page.locator("#log .step-card")).to_be_visible()


def chat_with_help_points(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.fill("#message", "bưu điện gần nhất ở phường Bến Thành")
    page.click("#send")
    expect(page.locator("#log ul.places li.place").first).to_be_visible()


def desk_with_a_procedure(page: Page, base_url: str) -> None:
    page.goto(base_url + "/quay")
    page.fill("#desk-search", "kích hoạt")
    page.locator("#desk-results button", has_text="Kích hoạt tài khoản").first.click()
    expect(page.locator("#desk-qr")).to_be_visible()


def guide(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/huong-dan/{ACTIVATE}")


def guide_list(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/huong-dan")


VIEWS = {
    "chat": chat_with_a_step,
    "places": chat_with_help_points,
    "guide": guide,
    "guides": guide_list,
    "desk": desk_with_a_procedure,
}
SIZES = {"360x740": PHONE, "1280x800": DESKTOP}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", VIEWS)
def test_screenshot_and_no_serious_accessibility_violations(
    new_page, base_url: str, artifacts, view: str, size: str
) -> None:
    page = new_page(viewport=SIZES[size])
    VIEWS[view](page, base_url)
    shots = artifacts / "screenshots"
    shots.mkdir(exist_ok=True)
    # The chat's composer sticks to the bottom of the screen: show the screen as people see it.
    page.screenshot(path=shots / f"{view}-{size}.png", full_page=view not in ("chat", "places"))
    # Nothing may need sideways scrolling, even on a narrow phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]

    results = Axe().run(page)
    violations = results.response["violations"]
    report = artifacts / "axe" / f"{view}-{size}.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(violations, indent=1, ensure_ascii=False))
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad


def test_first_chat_view_is_light(page: Page, base_url: str, artifacts) -> None:
    page.goto(base_url + "/")
    page.wait_for_load_state("networkidle")
    entries = page.evaluate(
        """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
              .map(e => ({url: e.name, bytes: e.transferSize, body: e.encodedBodySize}))"""
    )
    total = sum(e["bytes"] for e in entries)
    report = {"total_bytes": total, "requests": len(entries), "entries": entries}
    (artifacts / "page-weight.json").write_text(json.dumps(report, indent=1))
    assert all(e["url"].startswith(base_url) for e in entries), "only our own assets"
    assert 0 < total < PAGE_WEIGHT_BUDGET, report
