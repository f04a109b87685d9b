"""Finding help points end to end: web app -> Rasa -> action server -> KB database (sample)."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from bot.links import unofficial_urls
from bot.places.directory import HelpPointDirectory
from bot.places.question import kinds_in
from bot.web.rasa_client import HIDDEN_LINK

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def places(kb_url) -> HelpPointDirectory:
    return HelpPointDirectory.from_url(kb_url)


def web_chat(stack, message, session=None):
    body = {"message": message, **({"session": session} if session else {})}
    response = requests.post(f"http://127.0.0.1:{stack.settings.web_port}/api/chat", json=body, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def places_card(reply):
    cards = [m["card"] for m in reply["messages"] if (m.get("card") or {}).get("type") == "places"]
    assert len(cards) == 1, reply
    return cards[0]


@pytest.mark.parametrize(
    "question",
    [
        "buu dien huyen cam lo thu 7 co mo cua ko",  # a district abolished on 1/7/2025, no diacritics
        "bưu điện huyện Cam Lộ thứ 7 có mở cửa không",
    ],
)
def test_a_post_office_from_a_former_district_name(stack, places, question):
    reply = web_chat(stack, question)
    card = places_card(reply)
    expected = places.search(places.areas(question)[0], kinds=kinds_in(question))
    assert expected and expected[0].point.kind == "buu_dien"
    assert card["items"][0]["name"] == expected[0].point.name
    assert "Xã Cam Lộ, Tỉnh Quảng Trị" in card["items"][0]["address"]
    assert card["items"][0]["status"].startswith("Thứ Bảy")  # the day asked about
    assert "Huyện Cam Lộ (cũ)" in card["lead"]
    # Channels without cards get the same in text, in one message.
    text = "\n".join(m["text"] or "" for m in reply["messages"])
    assert expected[0].point.name in text and "Thứ Bảy" in text
    # Map links live in the card's own field; the text links nowhere unofficial.
    assert unofficial_urls(text) == [] and HIDDEN_LINK not in text


def test_asked_for_the_place_then_named_then_more(stack, places):
    first = web_chat(stack, "tìm giúp tôi bưu điện gần nhất")
    assert any((m.get("card") or {}).get("type") == "ask_location" for m in first["messages"])
    session = first["session"]
    reply = web_chat(stack, "phuong sai gon", session)
    card = places_card(reply)
    expected = places.search(places.areas("phuong sai gon")[0])
    assert [i["name"] for i in card["items"]] == [f.point.name for f in expected[:3]]


def test_the_issue_examples_find_their_place(stack, places):
    for question, commune in [
        ("xa Nghi Loc co buu dien ho tro lam vneid ko", "Xã Nghi Lộc, Tỉnh Nghệ An"),
        ("bưu điện gần nhất ở phường Bến Thành", "Phường Bến Thành"),
    ]:
        card = places_card(web_chat(stack, question))
        assert commune in card["lead"], card


def test_use_my_location_in_the_browser(new_page, base_url, places):
    # A phone near Bến Thành market that lets the page know its position.
    lat, lon = 10.7724, 106.6981  # the page sends them rounded to 3 decimals
    page = new_page(geolocation={"latitude": lat, "longitude": lon}, permissions=["geolocation"])
    page.goto(base_url + "/")
    page.fill("#message", "tìm bưu điện gần tôi")
    page.click("#send")
    button = page.locator("#log button.locate").last
    expect(button).to_be_visible()
    button.click()
    card = page.locator("#log ul.places").last
    expect(card.locator("li.place")).to_have_count(3)
    nearest = places.search(near=(round(lat, 3), round(lon, 3)))
    expect(card.locator(".place-name").first).to_have_text(nearest[0].point.name)
    expect(card.locator(".place-status").first).to_contain_text("Cách bạn khoảng")
    href = card.locator("a.place-map").first.get_attribute("href")
    assert href.startswith("https://www.google.com/maps/search/?api=1&query=")
    expect(page.locator("#log .msg.user").last).to_have_text("Bạn: Vị trí của tôi")
    # "Xem thêm" pages on to the next three.
    page.locator("#log button.choice", has_text="Xem thêm điểm khác").last.click()
    expect(page.locator("#log ul.places")).to_have_count(2)
    expect(page.locator("#log ul.places").last.locator(".place-name").first).to_have_text(
        nearest[3].point.name
    )


def test_a_refused_location_asks_for_the_place_name(new_page, base_url):
    page = new_page()  # no permission granted: the browser refuses
    page.goto(base_url + "/")
    page.fill("#message", "tìm bưu điện gần tôi")
    page.click("#send")
    page.locator("#log button.locate").last.click()
    expect(page.locator("#log .msg.notice").last).to_contain_text("gõ tên xã, phường")
