"""Reducing Rasa's REST answers to text, buttons and links."""

from __future__ import annotations

import unicodedata
from typing import Any, List

import pytest

from bot.links import map_link
from bot.web.rasa_client import HIDDEN_LINK, Message, normalise_messages

BUTTON = {"title": "Mức 2", "payload": "/muc_2"}

CASES = [
    ([], []),
    ([{"recipient_id": "x", "text": "Xin chào"}], [{"text": "Xin chào", "buttons": [], "links": []}]),
    (
        [{"text": "Chọn", "buttons": [BUTTON, {"title": "", "payload": "/x"}, {"payload": "/y"}, "z"]}],
        [{"text": "Chọn", "buttons": [BUTTON], "links": []}],
    ),
    # buttons alone keep the message; text becomes null
    ([{"buttons": [BUTTON]}], [{"text": None, "buttons": [BUTTON], "links": []}]),
    # image-only and empty messages are dropped; the image key never passes
    ([{"image": "https://x.vn/a.png"}, {"text": "  "}, "not a dict", None], []),
    ([{"text": "Ảnh", "image": "https://x.vn/a.png"}], [{"text": "Ảnh", "buttons": [], "links": []}]),
    # web_url buttons and custom links become links; only http(s)
    (
        [
            {
                "text": "Xem",
                "buttons": [{"title": "Cổng", "url": "https://dichvucong.gov.vn", "type": "web_url"}],
                "custom": {
                    "links": [
                        {"title": "VNeID", "url": "https://vneid.gov.vn"},
                        {"url": "http://congan.hanam.gov.vn/b"},
                        {"title": "xấu", "url": "javascript:alert(1)"},
                        {"title": "báo", "url": "https://a.vn/b"},
                    ]
                },
                "attachment": "https://dichvucong.gov.vn/huong-dan.pdf",
            }
        ],
        [
            {
                "text": "Xem",
                "buttons": [],
                "links": [
                    {"title": "Cổng", "url": "https://dichvucong.gov.vn"},
                    {"title": "VNeID", "url": "https://vneid.gov.vn"},
                    {"title": "http://congan.hanam.gov.vn/b", "url": "http://congan.hanam.gov.vn/b"},
                    {
                        "title": "https://dichvucong.gov.vn/huong-dan.pdf",
                        "url": "https://dichvucong.gov.vn/huong-dan.pdf",
                    },
                ],
            }
        ],
    ),
    ([{"custom": {"anything": 1}, "attachment": {"type": "video"}}], []),
    # only official sites are linked; other addresses in the text are hidden
    ([{"attachment": "https://a.vn/x.pdf"}, {"buttons": [{"title": "Báo", "url": "https://a.vn"}]}], []),
    (
        [{"text": "Xem https://vneid.gov.vn/a. hoặc https://vneid.gov.vn.lua-dao.com/dang-nhap, xong."}],
        [{"text": f"Xem https://vneid.gov.vn/a. hoặc {HIDDEN_LINK}, xong.", "buttons": [], "links": []}],
    ),
]


@pytest.mark.parametrize("raw, expected", CASES)
def test_normalise_messages(raw: List[Any], expected: List[Message]) -> None:
    assert normalise_messages(raw) == expected


def test_text_and_titles_come_back_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Định danh")
    [message] = normalise_messages([{"text": nfd, "buttons": [{"title": nfd, "payload": "/d"}]}])
    assert message["text"] == "Định danh"
    assert message["buttons"][0]["title"] == "Định danh"


STEP_CARD = {
    "type": "step",
    "procedure": "kich-hoat-vneid",
    "title": "Kích hoạt",
    "number": 2,
    "total": 7,
    "text": "Mở ứng dụng",
    "guide_url": "/huong-dan/kich-hoat-vneid",
    "last": False,
}


def test_a_card_joins_the_text_rasa_sent_before_it() -> None:
    raw = [
        {"text": "Tóm tắt"},
        {"text": "Bước 2/7: Mở ứng dụng", "buttons": [BUTTON]},
        {"custom": {"card": STEP_CARD}},
    ]
    assert normalise_messages(raw) == [
        {"text": "Tóm tắt", "buttons": [], "links": []},
        {"text": "Bước 2/7: Mở ứng dụng", "buttons": [BUTTON], "links": [], "card": STEP_CARD},
    ]


def test_a_card_with_nothing_before_it_stands_alone() -> None:
    assert normalise_messages([{"custom": {"card": STEP_CARD}}]) == [
        {"text": None, "buttons": [], "links": [], "card": STEP_CARD}
    ]


ANSWER_CARD = {
    "type": "answer",
    "procedure": "cap-lai-the-can-cuoc",
    "title": "Làm lại thẻ căn cước",
    "answers": [{"text": "Người từ 60 tuổi được miễn lệ phí."}],
    "source": "https://vneid.gov.vn",
    "last_reviewed": "07/12/2026",
    "guide_url": "/huong-dan/cap-lai-the-can-cuoc",
}


def test_an_answer_card_keeps_its_answers_source_and_guide() -> None:
    raw = [{"text": "Người từ 60 tuổi được miễn lệ phí."}, {"custom": {"card": {**ANSWER_CARD, "x": 1}}}]
    assert normalise_messages(raw)[0]["card"] == ANSWER_CARD


def test_a_last_step_card_carries_its_source() -> None:
    last = {
        **STEP_CARD,
        "number": 7,
        "last": True,
        "source": "https://vneid.gov.vn",
        "last_reviewed": "07/12/2026",
    }
    assert normalise_messages([{"custom": {"card": last}}])[0]["card"] == last


@pytest.mark.parametrize(
    "card",
    [
        {**STEP_CARD, "number": 8},
        {**STEP_CARD, "number": "2"},
        {**STEP_CARD, "guide_url": "javascript:alert(1)"},
        {**STEP_CARD, "title": ""},
        {**STEP_CARD, "type": "video"},
        {**STEP_CARD, "number": True},
        {**ANSWER_CARD, "answers": []},
        {**ANSWER_CARD, "answers": [{"text": " "}]},
        {**ANSWER_CARD, "source": "https://example.com/fake"},
        {**ANSWER_CARD, "guide_url": "https://evil.example"},
        {"type": "places", "items": [{"address": "no name"}]},
        "card",
    ],
)
def test_malformed_cards_are_dropped(card: Any) -> None:
    assert normalise_messages([{"text": "A"}, {"custom": {"card": card}}]) == [
        {"text": "A", "buttons": [], "links": []}
    ]


def test_places_keep_only_known_fields_and_map_links_we_make() -> None:
    item = {"name": "Bưu điện xã", "address": "Số 1", "hours": "7:00–17:00", "phone": "0123", "extra": "x"}
    ours = map_link(10.77991, 106.69996)
    card = {
        "type": "places",
        "lead": "Các điểm:",
        "secret": "x",
        "items": [
            {**item, "map_url": "javascript:alert(1)"},
            {**item, "map_url": "https://m.vn/a"},
            {**item, "map_url": ours + "&q=evil"},
            {**item, "map_url": ours},
        ],
    }
    out = normalise_messages([{"custom": {"card": card}}])[0]["card"]
    expected = {k: item[k] for k in ("name", "address", "hours", "phone")}
    assert out == {
        "type": "places",
        "lead": "Các điểm:",
        "items": [expected, expected, expected, {**expected, "map_url": ours}],
    }


def test_an_ask_location_card_carries_nothing_else() -> None:
    out = normalise_messages([{"text": "Bạn ở đâu?"}, {"custom": {"card": {"type": "ask_location", "x": 1}}}])
    assert out == [{"text": "Bạn ở đâu?", "buttons": [], "links": [], "card": {"type": "ask_location"}}]
