"""The chat page in a real browser (Debian's chromium) against the real stack."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support import DESKTOP

pytestmark = pytest.mark.slow

ACTIVATE = "kich-hoat-vneid"


def ask(page: Page, text: str) -> None:
    page.fill("#message", text)
    page.click("#send")


def last_card(page: Page):
    return page.locator("#log .step-card").last


def test_ask_click_through_steps_reload_and_reset(page: Page, base_url: str, kb) -> None:
    procedure = kb.get(ACTIVATE)
    total = len(procedure.steps)
    page.goto(base_url + "/")
    ask(page, "lam sao kich hoat tai khoan vneid")
    expect(last_card(page).locator(".step-count")).to_have_text(f"Bước 1/{total}")
    expect(last_card(page)).to_contain_text(procedure.steps[0])
    expect(page.locator("#log")).to_contain_text(procedure.title)
    expect(page.locator("#log button.choice").first).to_be_visible()

    last_card(page).get_by_role("button", name=re.compile("Bước tiếp")).click()
    expect(last_card(page).locator(".step-count")).to_have_text(f"Bước 2/{total}")
    expect(last_card(page)).to_contain_text(procedure.steps[1])
    page.locator("#log button.choice", has_text="Cần mang gì").last.click()
    expect(page.locator("#log .msg.bot").last).to_contain_text(procedure.papers[0])

    # A reload shows the same conversation, and the server still knows where we are.
    page.reload()
    expect(page.locator("#log .msg.user")).to_have_count(3)
    expect(last_card(page).locator(".step-count")).to_have_text(f"Bước 2/{total}")
    ask(page, "tiếp")
    expect(last_card(page).locator(".step-count")).to_have_text(f"Bước 3/{total}")

    # "Cuộc trò chuyện mới" clears the page, the storage and the server-side context.
    page.click("#new-chat")
    expect(page.locator("#log .msg.user")).to_have_count(0)
    expect(page.locator("#log .step-card")).to_have_count(0)
    page.reload()
    expect(page.locator("#log .msg.user")).to_have_count(0)
    ask(page, "tiếp")
    expect(page.locator("#log .msg.user")).to_have_count(1)
    expect(page.locator("#log .msg.bot:not(.welcome)").last).to_be_visible()
    expect(page.locator("#log .step-card")).to_have_count(0)  # no procedure to continue


def test_html_in_a_message_is_shown_as_text_and_nothing_runs(page: Page, base_url: str) -> None:
    attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>kích hoạt</b>'
    page.goto(base_url + "/")
    ask(page, attack)
    expect(page.locator("#log .msg.user").last).to_contain_text(attack)
    expect(page.locator("#log .msg.bot:not(.welcome)").last).to_be_visible()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#log img, #log script, #log b").count() == 0


def test_links_from_the_kb_open_safely_in_a_new_tab(page: Page, base_url: str, kb) -> None:
    page.goto(base_url + "/")
    ask(page, "các bước kích hoạt tài khoản định danh")
    expect(last_card(page)).to_be_visible()
    page.locator("#log button.choice", has_text="Xem tất cả các bước").last.click()
    source = kb.get(ACTIVATE).sources[0].url
    link = page.locator(f'#log a[href="{source}"]').last
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile("noopener"))
    for href in page.locator("#log a").evaluate_all("links => links.map(a => a.href)"):
        assert href.startswith(("http://", "https://")), href


def test_a_message_sent_offline_is_kept_and_sent_when_back_online(page: Page, base_url: str, kb) -> None:
    procedure = kb.get(ACTIVATE)
    page.goto(base_url + "/")
    page.context.set_offline(True)
    ask(page, "kích hoạt vneid")
    expect(page.locator("#log .msg.error")).to_be_visible()
    expect(page.locator("#log button.retry")).to_be_visible()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(last_card(page).locator(".step-count")).to_have_text(f"Bước 1/{len(procedure.steps)}")
    expect(page.locator("#log .msg.user", has_text="kích hoạt vneid")).to_have_count(1)
    expect(page.locator("#log button.retry")).to_have_count(0)


def test_a_guide_link_opens_the_chat_on_that_procedure(page: Page, base_url: str, kb) -> None:
    procedure = kb.get(ACTIVATE)
    page.goto(f"{base_url}/huong-dan/{ACTIVATE}")
    page.click("#continue-chat")
    expect(last_card(page).locator(".step-count")).to_have_text(f"Bước 1/{len(procedure.steps)}")
    expect(page.locator("#log")).to_contain_text(procedure.title)
    assert "chu-de" not in page.url  # a reload must not ask again
    page.reload()
    expect(page.locator("#log .step-card")).to_have_count(1)


def test_text_size_toggle_grows_the_text_and_is_remembered(new_page, base_url: str) -> None:
    page = new_page(viewport={"width": 320, "height": 640})
    page.goto(base_url + "/")
    size = "parseFloat(getComputedStyle(document.querySelector('#message')).fontSize)"
    normal = page.evaluate(size)
    assert normal >= 18
    toggle = page.locator("[data-text-size-toggle]")
    toggle.click()
    toggle.click()
    expect(toggle).to_have_text("Cỡ chữ: Rất lớn")
    assert page.evaluate(size) >= normal * 1.3
    page.reload()
    expect(page.locator("[data-text-size-toggle]")).to_have_text("Cỡ chữ: Rất lớn")
    ask(page, "kich hoat vneid")
    expect(page.locator("#log .step-card")).to_be_visible()
    # Even the largest text fits a 320 px phone without sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def _asked_fact(kb):
    """A question item of the KB asked in one of its wordings, one that asks a fact on its own
    (whatever the KB holds): the first that the ranker answers directly, before any NLU."""
    from bot.kb.answers import ANSWER, AnswerIndex, decide

    index = AnswerIndex(kb.all(), kb.aliases())
    for procedure in sorted(kb.all(), key=lambda p: p.slug):
        for item in procedure.questions:
            for wording in item.ask:
                decision = decide(index, wording, {})
                if decision.kind == ANSWER and decision.slug == procedure.slug:
                    return procedure, wording
    raise AssertionError("no question item of the KB is answered directly")


def test_a_fact_question_gets_the_answer_card_then_the_walkthrough(
    new_page, base_url: str, kb, artifacts
) -> None:
    procedure, question = _asked_fact(kb)
    answers = [q.answer for q in procedure.questions]
    page = new_page()
    page.goto(base_url + "/")
    ask(page, question)
    card = page.locator("#log .answer-card").last
    expect(card.locator(".step-procedure")).to_have_text(procedure.title)
    shown = card.locator(".answer-text").first.inner_text()
    assert any(" ".join(a.split()) in " ".join(shown.split()) for a in answers), shown
    expect(card.locator(".card-source a")).to_have_attribute("href", re.compile(r"^https://"))
    expect(page.locator("#log .step-card")).to_have_count(0)  # the fact, not step 1
    page.screenshot(path=str(artifacts / "answer-card-phone.png"), full_page=True)

    page.locator("#log button.choice", has_text="Xem từng bước").last.click()
    expect(last_card(page).locator(".step-count")).to_have_text(f"Bước 1/{len(procedure.steps)}")
    expect(last_card(page)).to_contain_text(procedure.steps[0])

    # The desk's chat shows the same card for the same question.
    desk = new_page(viewport=DESKTOP)
    desk.goto(base_url + "/quay")
    chat = desk.frame_locator("#desk-chat")
    chat.locator("#message").fill(question)
    chat.locator("#send").click()
    desk_card = chat.locator("#log .answer-card").last
    expect(desk_card.locator(".step-procedure")).to_have_text(procedure.title)
    expect(desk_card.locator(".answer-text").first).to_have_text(shown)
