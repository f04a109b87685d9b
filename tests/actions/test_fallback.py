from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionSuggestProcedures
from tests.support import make_tracker


def suggest(text, ranking=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("nlu_fallback", text, ranking=ranking)
    events = ActionSuggestProcedures().run(dispatcher, tracker, {})
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
    assert len(suggest("zzzz qqqq")) == len(kb.titles())


def test_weak_text_matches_are_not_offered(kb):
    # "trời đẹp" shares a syllable or two with some titles, but nothing it asks about.
    assert len(suggest("hôm nay trời đẹp quá")) == len(kb.titles())
