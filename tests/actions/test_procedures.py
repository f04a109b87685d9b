"""Actions against the real KB: assert events and response names, not wording."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.procedures import (
    ActionListPapers,
    ActionListSteps,
    ActionNextStep,
    ActionPreviousStep,
    ActionRepeatStep,
    ActionShowProcedure,
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


def test_unknown_intent_asks_which_procedure_with_buttons(kb):
    messages, events = run(ActionShowProcedure(), make_tracker("greet"))
    assert responses(messages) == ["utter_no_procedure"]
    assert events == []
    payloads = {b["payload"] for b in messages[0]["buttons"]}
    assert payloads == {f"/{kb.get(slug).intent}" for slug, _ in kb.titles()}


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
                                    ActionListSteps(), ActionListPapers()])  # fmt: skip
def test_navigation_without_a_procedure_asks_which_one(action):
    messages, events = run(action, make_tracker("next_step"))
    assert responses(messages) == ["utter_no_procedure"]
    assert messages[0]["buttons"]
    assert events == []


def test_a_stale_slug_is_treated_as_no_procedure():
    messages, _ = run(ActionNextStep(), make_tracker(slots={"procedure": "khong-con-nua", "step": 2}))
    assert responses(messages) == ["utter_no_procedure"]
