"""When the NLU is unsure: say back the likely topic or offer the closest ones, never guess."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import answers
from actions.help_points import directory
from actions.knowledge import knowledge_base, procedure_buttons
from actions.procedures import answer_or_walkthrough
from bot.kb.answers import DECLINE
from bot.kb.queries import Procedure
from bot.places.directory import DirectoryMissing
from bot.places.place_names import has_type_word

# How many procedures to offer, and the least NLU confidence (or KB search score) for a
# candidate to count: below these, a match is noise ("hôm nay trời đẹp" ~ "bưu điện": 0.2).
MAX_SUGGESTIONS = 3
MIN_RANKED_CONFIDENCE = 0.1
MIN_SEARCH_SCORE = 0.3
# Say back a single topic ("Bạn hỏi về: ...?") when it has this confidence and is this many
# times as likely as the next topic.
MIN_CONFIRM_CONFIDENCE = 0.3
CONFIRM_MARGIN = 2.0
# A place name the NLU is not sure of is still worth a help-point search.
MIN_PLACE_CONFIDENCE = 0.3


def ranked_procedures(tracker: Tracker) -> List[Tuple[Procedure, float]]:
    """The NLU's ranked intents that name a KB topic, with their confidence, best first."""
    kb = knowledge_base()
    ranked = []
    for entry in tracker.latest_message.get("intent_ranking") or []:
        confidence = entry.get("confidence", 0.0)
        procedure = kb.by_intent(entry.get("name", "")) if confidence >= MIN_RANKED_CONFIDENCE else None
        if procedure:
            ranked.append((procedure, confidence))
    return ranked


def named_procedures(tracker: Tracker) -> List[Procedure]:
    """Topics the gazetteer found by name in the message (their value is a KB slug)."""
    kb = knowledge_base()
    entities = tracker.latest_message.get("entities") or []
    slugs = [e.get("value") for e in entities if e.get("entity") == "procedure_name"]
    return [p for p in (kb.get(str(slug)) for slug in slugs) if p]


def closest_procedures(
    tracker: Tracker, ranked: List[Tuple[Procedure, float]], limit: int = MAX_SUGGESTIONS
) -> List[Procedure]:
    """The NLU's ranked topics first, then topics named in the message, then the KB's text search."""
    kb = knowledge_base()
    found: Dict[str, Procedure] = {p.slug: p for p, _ in ranked}
    for procedure in named_procedures(tracker):
        found.setdefault(procedure.slug, procedure)
    for match in kb.search(tracker.latest_message.get("text") or "", limit=limit):
        procedure = kb.get(match.slug) if match.score >= MIN_SEARCH_SCORE else None
        if procedure:
            found.setdefault(procedure.slug, procedure)
    return list(found.values())[:limit]


def clear_lead(confidences: List[float]) -> bool:
    """The first confidence is high enough and well ahead of the next one."""
    if not confidences or confidences[0] < MIN_CONFIRM_CONFIDENCE:
        return False
    runner_up = confidences[1] if len(confidences) > 1 else 0.0
    return confidences[0] >= CONFIRM_MARGIN * runner_up


def nlu_guesses(tracker: Tracker) -> List[Dict[str, Any]]:
    """The NLU's intent ranking past its own fallback, best first."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    return [r for r in ranking if r.get("name") != "nlu_fallback"]


def probably_out_of_scope(tracker: Tracker) -> bool:
    """The NLU's best guess, well ahead of the rest, is "none of our topics"."""
    ranking = nlu_guesses(tracker)
    return (
        bool(ranking)
        and ranking[0].get("name") == "out_of_scope"
        and clear_lead([r.get("confidence", 0.0) for r in ranking])
    )


PLACE_INTENTS = ("inform_place", "more_help_points")
FIND_INTENT = "ask_find_post_office"


def names_a_place(tracker: Tracker) -> bool:
    """The NLU's best guess (past the fallback) is a place or "more points", ahead of "not ours"."""
    ranking = nlu_guesses(tracker)
    if not ranking or ranking[0].get("name") not in PLACE_INTENTS:
        return False
    return ranking[0].get("confidence", 0.0) >= MIN_PLACE_CONFIDENCE


def asks_for_help_points_in_a_named_place(tracker: Tracker) -> bool:
    """Unsure between the post office's help and finding one, for a commune named with its type
    word ("xa Nghi Loc co buu dien ho tro lam vneid ko"): the help points of that place answer it."""
    if not any(
        r.get("name") == FIND_INTENT and r.get("confidence", 0.0) >= MIN_PLACE_CONFIDENCE
        for r in nlu_guesses(tracker)[:2]
    ):
        return False
    text = tracker.latest_message.get("text") or ""
    if not has_type_word(text):
        return False
    try:
        return bool(directory().areas(text))
    except (DirectoryMissing, SQLAlchemyError):
        return False


class ActionSuggestProcedures(Action):
    """Unsure of the topic, or outside it: answer, decline, confirm, list the closest, or the menu."""

    def name(self) -> str:
        return "action_suggest_procedures"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if names_a_place(tracker) or asks_for_help_points_in_a_named_place(tracker):
            # "phuong sai gon" after "Bạn ở xã, phường nào?": the help-point search, not a topic.
            return [FollowupAction("action_find_help_points")]
        # Unsure of the topic is not unsure of the answer: the message may name the fact asked,
        # even when the NLU took it for something else (then only a clearly named topic counts).
        decision = answers.decide(tracker)
        events = answer_or_walkthrough(dispatcher, decision)
        if events is not None:
            return events
        if probably_out_of_scope(tracker):
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        if decision.kind == DECLINE:
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        ranked = ranked_procedures(tracker)
        procedures = closest_procedures(tracker, ranked)
        buttons = procedure_buttons(procedures)
        if not procedures:
            dispatcher.utter_message(response="utter_default")
        elif clear_lead([confidence for _, confidence in ranked]):
            # One ranked topic well ahead of the others: say it back rather than list.
            title = ranked[0][0].title
            dispatcher.utter_message(response="utter_confirm_topic", title=title, buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_suggest_procedures", buttons=buttons)
        return []
