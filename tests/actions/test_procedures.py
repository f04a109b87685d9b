"""Actions against the real KB: assert events and response names, not wording."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.procedures import (
    DEFAULT_LEVEL_FAMILY,
    ActionListPapers,
    ActionListSteps,
    ActionNextStep,
    ActionPreviousStep,
    ActionRepeatStep,
    ActionShowFee,
    ActionShowProcedure,
    ActionShowProcessingTime,
    ActionShowWhere,
    ActionSwitchLevel,
)
from tests.support import make_tracker

ACTIVATE = "kich-hoat-vneid"


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def responses(messages):
    return [m["response"] for m in messages]


def test_every_kb_intent_shows_its_procedure(kb):
    for slug, _ in kb.titles():
        procedure = kb.get(slug)
        messages, events = run(ActionShowProcedure(), make_tracker(procedure.intent))
        assert responses(messages) == ["utter_procedure_summary", "utter_step"] or responses(messages) == [
            "utter_procedure_summary",
            "utter_last_step",
        ]
        assert events == [SlotSet("procedure", slug), SlotSet("step", 1)]
        assert messages[0]["title"] == procedure.title
        assert messages[1]["step_text"] == procedure.steps[0]
        assert messages[1]["total"] == len(procedure.steps)


def test_every_step_carries_a_card_for_the_web_page(kb):
    procedure = kb.get(ACTIVATE)
    total = len(procedure.steps)
    for number in range(1, total):
        messages, _ = run(ActionNextStep(), make_tracker(slots={"procedure": ACTIVATE, "step": number}))
        card = messages[0]["custom"]["card"]
        assert {
            k: card[k] for k in ("type", "procedure", "title", "number", "total", "text", "guide_url")
        } == {
            "type": "step",
            "procedure": ACTIVATE,
            "title": procedure.title,
            "number": number + 1,
            "total": total,
            "text": procedure.steps[number],
            "guide_url": f"/huong-dan/{ACTIVATE}",
        }
        # The last step's card names the official source, as its text does.
        assert card["last"] is (number + 1 == total)
        assert ("source" in card) is card["last"]


def test_replies_cite_an_official_page_even_when_the_sources_are_press(kb):
    from bot.links import is_official

    for procedure in kb.all():
        last = len(procedure.steps)
        messages, _ = run(ActionListSteps(), make_tracker(slots={"procedure": procedure.slug, "step": last}))
        assert is_official(messages[0]["source"]), procedure.slug
        official_sources = [s.url for s in procedure.sources if is_official(s.url)]
        assert messages[0]["source"] == (official_sources or [procedure.official_links[0].url])[0]


def test_unknown_intent_asks_which_procedure(kb):
    messages, events = run(ActionShowProcedure(), make_tracker("greet"))
    assert responses(messages) == ["utter_no_procedure"]
    assert events == []


def test_next_step_moves_forward_and_stops_at_the_end(kb):
    procedure = kb.get(ACTIVATE)
    messages, events = run(ActionNextStep(), make_tracker(slots={"procedure": ACTIVATE, "step": 1}))
    assert events == [SlotSet("step", 2)]
    assert messages[0]["step_text"] == procedure.steps[1]
    last = len(procedure.steps)
    messages, events = run(ActionNextStep(), make_tracker(slots={"procedure": ACTIVATE, "step": last - 1}))
    assert responses(messages) == ["utter_last_step"]
    assert messages[0]["source"] == procedure.sources[0].url
    messages, events = run(ActionNextStep(), make_tracker(slots={"procedure": ACTIVATE, "step": last}))
    assert responses(messages) == ["utter_no_next_step"]
    assert events == []


def test_previous_step_moves_back_and_stays_on_the_first(kb):
    procedure = kb.get(ACTIVATE)
    messages, events = run(ActionPreviousStep(), make_tracker(slots={"procedure": ACTIVATE, "step": 3}))
    assert events == [SlotSet("step", 2)]
    assert messages[0]["step_text"] == procedure.steps[1]
    messages, events = run(ActionPreviousStep(), make_tracker(slots={"procedure": ACTIVATE, "step": 1}))
    assert responses(messages) == ["utter_no_previous_step", "utter_step"]
    assert events == [SlotSet("step", 1)]


def test_repeat_step_repeats_the_current_one(kb):
    procedure = kb.get(ACTIVATE)
    messages, events = run(ActionRepeatStep(), make_tracker(slots={"procedure": ACTIVATE, "step": 2}))
    assert events == [SlotSet("step", 2)]
    assert messages[0]["step_text"] == procedure.steps[1]


def test_all_steps_lists_every_step_in_order(kb):
    procedure = kb.get(ACTIVATE)
    messages, _ = run(ActionListSteps(), make_tracker(slots={"procedure": ACTIVATE, "step": 2}))
    assert responses(messages) == ["utter_all_steps"]
    listed = messages[0]["steps"].splitlines()
    assert listed == [f"{n}. {text}" for n, text in enumerate(procedure.steps, start=1)]


def test_papers_come_from_the_kb(kb):
    for slug, _ in kb.titles():
        procedure = kb.get(slug)
        messages, _ = run(ActionListPapers(), make_tracker(slots={"procedure": slug, "step": 1}))
        if procedure.papers:
            assert responses(messages) == ["utter_papers"]
            assert messages[0]["papers"].splitlines() == [f"- {p}" for p in procedure.papers]
        else:
            assert responses(messages) == ["utter_no_papers"]


@pytest.mark.parametrize("action", [ActionNextStep(), ActionPreviousStep(), ActionRepeatStep(),
                                    ActionListSteps(), ActionListPapers(), ActionShowFee(),
                                    ActionShowProcessingTime(), ActionShowWhere()])  # fmt: skip
def test_navigation_without_a_procedure_asks_which_one(action):
    messages, events = run(action, make_tracker("next_step"))
    assert responses(messages) == ["utter_no_procedure"]
    assert events == []


def test_a_stale_slug_is_treated_as_no_procedure():
    messages, _ = run(ActionNextStep(), make_tracker(slots={"procedure": "khong-con-nua", "step": 2}))
    assert responses(messages) == ["utter_no_procedure"]


@pytest.mark.parametrize(
    "action, field, response",
    [
        (ActionShowFee(), "fee", "utter_fee"),
        (ActionShowProcessingTime(), "processing_time", "utter_processing_time"),
        (ActionShowWhere(), "where", "utter_where"),
    ],
)
def test_follow_up_facts_come_from_the_topic_under_discussion(kb, action, field, response):
    for slug, _ in kb.titles():
        procedure = kb.get(slug)
        messages, events = run(action, make_tracker("ask_fee", slots={"procedure": slug, "step": 2}))
        assert responses(messages) == [response]
        assert messages[0][field] == getattr(procedure, field)
        assert messages[0]["title"] == procedure.title
        assert events == []


def level_tracker(level, slug=None):
    tracker = make_tracker("ask_level_variant", "còn mức thì sao", slots={"procedure": slug, "step": 1})
    tracker.latest_message["entities"] = [{"entity": "account_level", "value": level, "start": 4, "end": 9}]
    return tracker


def test_switch_level_shows_the_other_level_of_the_same_task(kb):
    level2 = kb.get("dang-ky-vneid-muc-2")
    level1 = kb.variant(level2.family, 1)
    assert level1 is not None and level1.slug != level2.slug
    messages, events = run(ActionSwitchLevel(), level_tracker("1", level2.slug))
    assert responses(messages)[0] == "utter_procedure_summary"
    assert events[0] == SlotSet("procedure", level1.slug)


def test_switch_level_without_a_topic_means_registration(kb):
    messages, events = run(ActionSwitchLevel(), level_tracker("2"))
    assert events[0] == SlotSet("procedure", kb.variant(DEFAULT_LEVEL_FAMILY, 2).slug)


def test_switch_level_on_a_topic_without_levels_says_so(kb):
    messages, events = run(ActionSwitchLevel(), level_tracker("1", ACTIVATE))
    assert responses(messages) == ["utter_no_level_variant"]
    assert events == []


def test_switch_level_without_a_level_asks_which_topic():
    tracker = make_tracker("ask_level_variant", "thì sao", slots={"procedure": None})
    messages, events = run(ActionSwitchLevel(), tracker)
    assert responses(messages) == ["utter_no_procedure"]
