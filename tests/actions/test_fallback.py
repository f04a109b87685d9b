from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionSuggestProcedures
from tests.actions.conftest import make_tracker


def suggest(text, ranking=None):
    dispatcher = CollectingDispatcher()
    events = ActionSuggestProcedures().run(dispatcher, make_tracker("nlu_fallback", text, ranking=ranking), {})
    assert events == []
    (message,) = dispatcher.messages
    assert message["response"] == "utter_suggest_procedures"
    return [b["payload"] for b in message["buttons"]]


def test_unaccented_text_offers_the_closest_procedure_first(kb):
    payloads = suggest("kich hoat tai khoan")
    assert payloads[0] == f"/{kb.get('kich-hoat-vneid').intent}"
    assert 1 <= len(payloads) <= 3


def test_ranked_intents_come_before_text_matches(kb):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "ask_post_office_help", "confidence": 0.3},
        {"name": "ask_reset_password", "confidence": 0.2},
        {"name": "greet", "confidence": 0.05},
    ]
    payloads = suggest("kich hoat", ranking)
    assert payloads[:2] == ["/ask_post_office_help", "/ask_reset_password"]
    assert len(payloads) == 3


def test_nothing_close_offers_every_procedure(kb):
    payloads = suggest("zzzz qqqq")
    assert len(payloads) == len(kb.titles())
