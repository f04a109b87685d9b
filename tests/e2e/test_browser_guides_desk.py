"""Guide links (Zalo previews, share, print) and the post-office desk view, in a real browser."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from tests.support import DESKTOP, PHONE

pytestmark = pytest.mark.slow

ACTIVATE = "kich-hoat-vneid"


def og(page: Page, prop: str) -> str:
    return page.locator(f'meta[property="og:{prop}"]').get_attribute("content")


def test_a_guide_link_opens_the_guide_with_preview_tags(page: Page, base_url: str, kb) -> None:
    procedure = kb.get(ACTIVATE)
    url = f"{base_url}/huong-dan/{ACTIVATE}"
    page.goto(url)
    expect(page.locator("h1")).to_have_text(procedure.title)
    for step in procedure.steps:
        expect(page.locator("main")).to_contain_text(step)
    assert og(page, "title") == procedure.title
    assert og(page, "description") == procedure.summary
    assert og(page, "url") == url
    image = page.request.get(og(page, "image"))
    assert image.ok and Image.open(io.BytesIO(image.body())).size == (1200, 630)


def test_share_copies_the_link_where_web_share_is_missing(new_page, base_url: str) -> None:
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.add_init_script("delete Navigator.prototype.share; delete Navigator.prototype.canShare;")
    url = f"{base_url}/huong-dan/{ACTIVATE}"
    page.goto(url)
    page.click("#share")
    expect(page.get_by_text("Đã chép đường dẫn")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url


def test_guide_prints_on_a4_without_buttons(page: Page, base_url: str, artifacts) -> None:
    page.goto(f"{base_url}/huong-dan/{ACTIVATE}")
    page.emulate_media(media="print")
    for hook in ("#share", "#print", "#continue-chat"):
        expect(page.locator(hook)).to_be_hidden()
    page.pdf(path=artifacts / "guide-print.pdf", format="A4")
    assert (artifacts / "guide-print.pdf").read_bytes().startswith(b"%PDF")


def decode_qr(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results, "no QR code in the picture"
    return results[0].text


def test_desk_search_checklist_qr_and_next_citizen(new_page, base_url: str, kb, artifacts) -> None:
    procedure = kb.get(ACTIVATE)
    desk = new_page(viewport=DESKTOP)
    desk.goto(base_url + "/quay")
    desk.fill("#desk-search", "kich hoat tai khoan")  # staff type without diacritics too
    desk.locator("#desk-results button", has_text=procedure.title).first.click()
    panel = desk.locator("#desk-procedure")
    expect(panel.locator("h2, h3").first).to_contain_text(procedure.title)
    items = desk.locator("#desk-checklist .check-item input[type=checkbox]")
    expect(items).to_have_count(len(procedure.papers) + len(procedure.steps))
    items.first.check()

    # The QR code, as drawn on the screen, opens the same guide on the citizen's phone.
    qr = desk.locator("#desk-qr")
    expect(qr).to_be_visible()
    # Visible as soon as its box is laid out; read it only once the picture has loaded.
    desk.wait_for_function(
        "() => { const i = document.getElementById('desk-qr'); return i.complete && i.naturalWidth > 0; }"
    )
    link = decode_qr(qr.screenshot())
    assert link == f"{base_url}/huong-dan/{ACTIVATE}"
    phone = new_page(viewport=PHONE)
    phone.goto(link)
    expect(phone.locator("h1")).to_have_text(procedure.title)

    # The desk's chat takes the chosen procedure up.
    desk.get_by_role("button", name="Hỏi trợ lý về thủ tục này").click()
    chat = desk.frame_locator("#desk-chat")
    expect(chat.locator("#log .step-card .step-count").last).to_have_text(f"Bước 1/{len(procedure.steps)}")

    # A reload at the counter does not bring the conversation back.
    desk.reload()
    expect(desk.frame_locator("#desk-chat").locator("#log .msg.bot.welcome")).to_be_visible()
    expect(desk.frame_locator("#desk-chat").locator("#log .msg.user")).to_have_count(0)
    desk.fill("#desk-search", "kich hoat tai khoan")
    desk.locator("#desk-results button", has_text=procedure.title).first.click()
    desk.get_by_role("button", name="Hỏi trợ lý về thủ tục này").click()
    expect(chat.locator("#log .step-card")).to_have_count(1)
    items.first.check()

    desk.emulate_media(media="print")
    expect(desk.locator("#desk-search")).to_be_hidden()
    desk.pdf(path=artifacts / "desk-print.pdf", format="A4")
    desk.emulate_media(media="screen")

    # Next citizen: nothing of the previous one stays visible.
    desk.click("#desk-next")
    expect(desk.locator("#desk-search")).to_have_value("")
    expect(desk.locator("#desk-search")).to_be_focused()
    expect(desk.locator("#desk-procedure")).to_be_hidden()
    expect(desk.locator("#desk-checklist input:checked")).to_have_count(0)
    expect(chat.locator("#log .msg.user")).to_have_count(0)
    expect(chat.locator("#log .step-card")).to_have_count(0)
