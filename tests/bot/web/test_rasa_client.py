"""Reducing Rasa's REST answers to text, buttons and links."""

from __future__ import annotations

import unicodedata
from typing import Any, List

import pytest

from bot.web.rasa_client import Message, normalise_messages

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
                        {"url": "http://a.vn/b"},
                        {"title": "xấu", "url": "javascript:alert(1)"},
                    ]
                },
                "attachment": "https://a.vn/huong-dan.pdf",
            }
        ],
        [
            {
                "text": "Xem",
                "buttons": [],
                "links": [
                    {"title": "Cổng", "url": "https://dichvucong.gov.vn"},
                    {"title": "VNeID", "url": "https://vneid.gov.vn"},
                    {"title": "http://a.vn/b", "url": "http://a.vn/b"},
                    {"title": "https://a.vn/huong-dan.pdf", "url": "https://a.vn/huong-dan.pdf"},
                ],
            }
        ],
    ),
    ([{"custom": {"anything": 1}, "attachment": {"type": "video"}}], []),
]


@pytest.mark.parametrize("raw, expected", CASES)
def test_normalise_messages(raw: List[Any], expected: List[Message]) -> None:
    assert normalise_messages(raw) == expected


def test_text_and_titles_come_back_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Định danh")
    [message] = normalise_messages([{"text": nfd, "buttons": [{"title": nfd, "payload": "/d"}]}])
    assert message["text"] == "Định danh"
    assert message["buttons"][0]["title"] == "Định danh"
