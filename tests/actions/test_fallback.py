from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionSuggestProcedures
from bot.text import fold
from tests.support import make_tracker


def suggest(text, ranking=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("nlu_fallback", text, ranking=ranking)
    events = ActionSuggestProcedures().run(dispatcher, tracker, {})
    assert events == []
    (message,) = dispatcher.messages
    return message["response"], [b["payload"] for b in message.get("buttons") or []], message


def run_fallback(text, ranking=None):
    dispatcher = CollectingDispatcher()
    events = ActionSuggestProcedures().run(
        dispatcher, make_tracker("nlu_fallback", text, ranking=ranking), {}
    )
    return events, dispatcher.messages


def test_a_message_naming_a_topic_gets_its_walkthrough_not_a_list(kb):
    events, messages = run_fallback("kich hoat tai khoan")
    assert messages[0]["response"] == "utter_procedure_summary"
    assert messages[0]["title"] == kb.get("kich-hoat-vneid").title
    assert {"event": "slot", "name": "procedure", "value": "kich-hoat-vneid", "timestamp": None} in events


def test_a_fact_asked_gets_the_direct_answer_even_when_the_topic_is_unsure(kb):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "ask_register_level2", "confidence": 0.45},
        {"name": "ask_register_level1", "confidence": 0.12},
    ]
    events, messages = run_fallback("dki muc 2 o dau vay", ranking)
    (message,) = messages
    assert message["response"] == "utter_answer"
    card = message["custom"]["card"]
    assert card["type"] == "answer" and card["procedure"] == "dang-ky-vneid-muc-2"
    assert "/start_steps" in [b["payload"] for b in message["buttons"]]


def test_unaccented_text_offers_the_closest_procedures(kb):
    response, payloads, _ = suggest("tai khoan")
    assert response == "utter_suggest_procedures"
    assert 1 <= len(payloads) <= 3
    offered = [p for p in kb.all() if f"/{p.intent}" in payloads]
    assert all("tai khoan" in fold(p.title) or "tài khoản" in " ".join(kb.aliases()[p.slug]) for p in offered)


def test_ranked_intents_come_before_text_matches(kb):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "ask_post_office_help", "confidence": 0.3},
        {"name": "ask_reset_password", "confidence": 0.2},
        {"name": "greet", "confidence": 0.05},
    ]
    response, payloads, _ = suggest("tai khoan", ranking)
    assert response == "utter_suggest_procedures"
    assert payloads[:2] == ["/ask_post_office_help", "/ask_reset_password"]
    assert len(payloads) == 3


def test_one_clear_favourite_is_said_back(kb):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "ask_register_level2", "confidence": 0.45},
        {"name": "ask_register_level1", "confidence": 0.12},
        {"name": "next_step", "confidence": 0.1},
    ]
    response, payloads, message = suggest("cai do thi sao", ranking)
    assert response == "utter_confirm_topic"
    assert message["title"] == kb.get("dang-ky-vneid-muc-2").title
    assert payloads[0] == "/ask_register_level2"


def test_nothing_close_shows_the_menu(kb):
    response, payloads, _ = suggest("zzzz qqqq")
    assert response == "utter_default"
    assert payloads == []


def test_weak_text_matches_are_not_offered(kb):
    # "trời đẹp" shares a syllable or two with some titles, but asks about none of them.
    response, _, _ = suggest("hôm nay trời đẹp quá")
    assert response == "utter_default"


def test_topics_named_in_the_message_are_offered(kb):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("nlu_fallback", "hôm qua tôi làm mất điện thoại", ranking=[])
    tracker.latest_message["entities"] = [
        {"entity": "procedure_name", "value": "vneid"},  # a general name, not a topic
        {"entity": "procedure_name", "value": "dang-nhap-vneid-thiet-bi-moi"},
    ]
    ActionSuggestProcedures().run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    assert message["buttons"][0]["payload"] == f"/{kb.get('dang-nhap-vneid-thiet-bi-moi').intent}"


def test_a_likely_out_of_scope_question_is_declined(kb):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.7},
        {"name": "out_of_scope", "confidence": 0.67},
        {"name": "ask_temporary_absence", "confidence": 0.19},
    ]
    response, payloads, _ = suggest("cho tôi hỏi giá vàng hôm nay", ranking)
    assert response == "utter_out_of_scope"
    assert payloads == []  # the decline's own button comes from the domain response


def test_an_unclear_out_of_scope_lead_still_offers_topics(kb):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.7},
        {"name": "out_of_scope", "confidence": 0.4},
        {"name": "ask_temporary_absence", "confidence": 0.35},
    ]
    response, payloads, _ = suggest("đi xa lâu ngày", ranking)
    assert response != "utter_out_of_scope"
    assert "/ask_temporary_absence" in payloads


def test_the_answer_index_follows_a_reload_of_the_kb(kb, monkeypatch):
    from actions import answers

    monkeypatch.setattr(answers, "STAMP_EVERY", 0.0)
    first = answers.answer_index()
    assert answers.answer_index() is first  # same content: the same index
    monkeypatch.setattr(type(kb), "stamp", lambda self: ("reloaded",))
    assert answers.answer_index() is not first


def test_an_unsure_place_name_goes_to_the_help_point_search(kb):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.7},
        {"name": "inform_place", "confidence": 0.5},
        {"name": "out_of_scope", "confidence": 0.46},
    ]
    events, messages = run_fallback("phuong sai gon", ranking)
    assert messages == []
    assert events == [{"event": "followup", "name": "action_find_help_points", "timestamp": None}]


UNSURE_POST_OFFICE = [
    {"name": "nlu_fallback", "confidence": 0.7},
    {"name": "ask_post_office_help", "confidence": 0.55},
    {"name": "ask_find_post_office", "confidence": 0.42},
]


def test_unsure_post_office_question_naming_a_commune_searches_its_help_points(kb):
    events, _ = run_fallback("xa Nghi Loc co buu dien ho tro lam vneid ko", UNSURE_POST_OFFICE)
    assert events == [{"event": "followup", "name": "action_find_help_points", "timestamp": None}]


def test_unsure_post_office_question_without_a_place_is_not_a_search(kb):
    events, messages = run_fallback("buu dien co ho tro lam vneid ko", UNSURE_POST_OFFICE)
    assert not any(e.get("event") == "followup" for e in events)
    assert messages
