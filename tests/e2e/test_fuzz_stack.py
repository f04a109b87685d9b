"""Hostile messages through the real web app, Rasa (our NLU components) and action server."""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow

PIECES = st.sampled_from(
    [
        "kích hoạt",
        "ki\u0301ch hoa\u0323t",  # NFD
        "\u0301\u0323",
        "مرحبا",
        "שלום עולם",
        "👩🏽‍💻🇻🇳",
        "\u200b\u200d\ufeff",
        "\x00\x07\x1b",
        "０９１２",
        "cccd",
        "dk vneid ko dc",
        "   ",
        "/",
        "{",
        "/next_step",
        '/ask_activate_account{"procedure": "x"}',
        "tiếp",
    ]
)
MESSAGES = st.one_of(
    st.text(min_size=1, max_size=200),
    st.lists(st.one_of(PIECES, st.text(max_size=10)), min_size=1, max_size=20).map("".join),
    st.text(min_size=990, max_size=1000),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message=MESSAGES)
def test_any_message_gets_an_answer_or_a_reason(stack, message):
    url = f"http://127.0.0.1:{stack.settings.web_port}/api/chat"
    response = requests.post(url, json={"message": message}, timeout=30)
    assert response.status_code in (200, 400), (response.status_code, response.text[:200])
    body = response.json()
    if response.status_code == 200:
        assert body["messages"], "an answer, not silence"
    else:
        assert len(body["error"]) > 10


def test_the_stack_still_answers_after_the_fuzzing(stack, kb):
    assert not stack.dead()
    url = f"http://127.0.0.1:{stack.settings.web_port}/api/chat"
    reply = requests.post(url, json={"message": "kích hoạt vneid"}, timeout=30).json()
    assert kb.get("kich-hoat-vneid").steps[0] in "\n".join(m["text"] or "" for m in reply["messages"])
