"""Show a procedure from the KB and move through its steps."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answers
from actions.knowledge import (
    current_procedure,
    current_step,
    knowledge_base,
    source_fields,
)
from bot import cards
from bot.kb.answers import ANSWER, WALKTHROUGH, Decision
from bot.kb.queries import Procedure

Domain = Dict[str, Any]


def step_card(procedure: Procedure, number: int) -> Dict[str, Any]:
    """What the web page draws as a step card; channels without cards show the text."""
    return cards.step_card(
        procedure=procedure.slug,
        title=procedure.title,
        number=number,
        total=len(procedure.steps),
        text=procedure.steps[number - 1],
        **source_fields(procedure),
    )


def utter_step(dispatcher: CollectingDispatcher, procedure: Procedure, number: int) -> List[EventType]:
    total = len(procedure.steps)
    response = "utter_last_step" if number == total else "utter_step"
    dispatcher.utter_message(
        response=response,
        number=number,
        total=total,
        step_text=procedure.steps[number - 1],
        json_message={"card": step_card(procedure, number)},
        **source_fields(procedure),
    )
    return [SlotSet("step", number)]


def ask_which_procedure(dispatcher: CollectingDispatcher) -> List[EventType]:
    dispatcher.utter_message(response="utter_no_procedure")
    return []


def show_procedure(dispatcher: CollectingDispatcher, procedure: Procedure) -> List[EventType]:
    """The summary and the first step; the procedure becomes the one under discussion."""
    dispatcher.utter_message(
        response="utter_procedure_summary",
        title=procedure.title,
        summary=procedure.summary,
        total=len(procedure.steps),
        where=procedure.where,
        fee=procedure.fee,
    )
    return [SlotSet("procedure", procedure.slug), *utter_step(dispatcher, procedure, 1)]


def answer_or_walkthrough(dispatcher: CollectingDispatcher, decision: Decision) -> Optional[List[EventType]]:
    """The direct answers or the walkthrough the decision names; None for anything else."""
    if decision.kind == ANSWER:
        events = answers.utter_answers(dispatcher, decision)
        if events:
            return events
    if decision.kind == WALKTHROUGH and decision.slug:
        procedure = knowledge_base().get(decision.slug)
        if procedure is not None:
            return show_procedure(dispatcher, procedure)
    return None


class ActionShowProcedure(Action):
    """Answer a question about a procedure: the fact asked, else its summary and first step."""

    def name(self) -> str:
        return "action_show_procedure"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain) -> List[EventType]:
        events = answer_or_walkthrough(dispatcher, answers.decide(tracker))
        if events is not None:
            return events
        # The NLU was confident of this topic (that is why this action runs): its walkthrough.
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        procedure = knowledge_base().by_intent(intent) if intent else None
        if procedure is None:
            return ask_which_procedure(dispatcher)
        return show_procedure(dispatcher, procedure)


class ActionStartSteps(Action):
    """ "Xem từng bước" after a direct answer: the walkthrough of that topic from step 1."""

    def name(self) -> str:
        return "action_start_steps"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain) -> List[EventType]:
        procedure = current_procedure(tracker)
        if procedure is None:
            return ask_which_procedure(dispatcher)
        return utter_step(dispatcher, procedure, 1)


class _StepAction(Action, ABC):
    """Shared run(): find the procedure under discussion, then `move` within it.

    Abstract, so that rasa-sdk does not register it as an action of its own.
    """

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain) -> List[EventType]:
        procedure = current_procedure(tracker)
        if procedure is None:
            return ask_which_procedure(dispatcher)
        return self.move(dispatcher, procedure, current_step(tracker))

    @abstractmethod
    def move(self, dispatcher: CollectingDispatcher, procedure: Procedure, step: int) -> List[EventType]:
        """The events and messages for moving from `step` within `procedure`."""


class ActionNextStep(_StepAction):
    def name(self) -> str:
        return "action_next_step"

    def move(self, dispatcher: CollectingDispatcher, procedure: Procedure, step: int) -> List[EventType]:
        if step >= len(procedure.steps):
            dispatcher.utter_message(response="utter_no_next_step", title=procedure.title)
            return []
        return utter_step(dispatcher, procedure, step + 1)


class ActionPreviousStep(_StepAction):
    def name(self) -> str:
        return "action_previous_step"

    def move(self, dispatcher: CollectingDispatcher, procedure: Procedure, step: int) -> List[EventType]:
        if step <= 1:
            dispatcher.utter_message(response="utter_no_previous_step", title=procedure.title)
            return utter_step(dispatcher, procedure, 1)
        return utter_step(dispatcher, procedure, step - 1)


class ActionRepeatStep(_StepAction):
    def name(self) -> str:
        return "action_repeat_step"

    def move(self, dispatcher: CollectingDispatcher, procedure: Procedure, step: int) -> List[EventType]:
        return utter_step(dispatcher, procedure, min(step, len(procedure.steps)))


class ActionListSteps(_StepAction):
    def name(self) -> str:
        return "action_list_steps"

    def move(self, dispatcher: CollectingDispatcher, procedure: Procedure, step: int) -> List[EventType]:
        steps = "\n".join(f"{n}. {text}" for n, text in enumerate(procedure.steps, start=1))
        dispatcher.utter_message(
            response="utter_all_steps", title=procedure.title, steps=steps, **source_fields(procedure)
        )
        return []


class ActionListPapers(_StepAction):
    def name(self) -> str:
        return "action_list_papers"

    def move(self, dispatcher: CollectingDispatcher, procedure: Procedure, step: int) -> List[EventType]:
        if not procedure.papers:
            dispatcher.utter_message(response="utter_no_papers", title=procedure.title)
            return []
        papers = "\n".join(f"- {paper}" for paper in procedure.papers)
        dispatcher.utter_message(response="utter_papers", title=procedure.title, papers=papers)
        return []


class _FactAction(_StepAction):
    """Answer a follow-up ("lệ phí bao nhiêu?") from one field of the procedure under discussion."""

    field: str
    response: str

    @abstractmethod
    def name(self) -> str:
        """Abstract here, so that rasa-sdk registers only the concrete fact actions."""

    def move(self, dispatcher: CollectingDispatcher, procedure: Procedure, step: int) -> List[EventType]:
        dispatcher.utter_message(
            response=self.response, title=procedure.title, **{self.field: getattr(procedure, self.field)}
        )
        return []


class ActionShowFee(_FactAction):
    field, response = "fee", "utter_fee"

    def name(self) -> str:
        return "action_show_fee"


class ActionShowProcessingTime(_FactAction):
    field, response = "processing_time", "utter_processing_time"

    def name(self) -> str:
        return "action_show_processing_time"


class ActionShowWhere(_FactAction):
    field, response = "where", "utter_where"

    def name(self) -> str:
        return "action_show_where"


# Asked with no topic under discussion, "còn mức 1 thì sao?" is about registering that level.
DEFAULT_LEVEL_FAMILY = "dang-ky-vneid"


def requested_level(tracker: Tracker) -> int | None:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "account_level" and str(entity.get("value")) in ("1", "2"):
            return int(entity["value"])
    return None


class ActionSwitchLevel(Action):
    """ "Còn mức 1 thì sao?": the same task for the other account level."""

    def name(self) -> str:
        return "action_switch_level"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain) -> List[EventType]:
        level = requested_level(tracker)
        current = current_procedure(tracker)
        if current is not None and current.family is None:
            dispatcher.utter_message(response="utter_no_level_variant", title=current.title)
            return []
        family = current.family if current else DEFAULT_LEVEL_FAMILY
        variant = knowledge_base().variant(family, level) if level else None
        if variant is None:
            return ask_which_procedure(dispatcher)
        return show_procedure(dispatcher, variant)
