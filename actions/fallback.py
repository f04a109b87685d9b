"""When the NLU is unsure: offer the closest procedures as buttons instead of guessing."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import knowledge_base, procedure_buttons
from bot.kb.queries import Procedure

# How many procedures to offer, and the least NLU confidence (or KB search score) for a
# candidate to count: below these, a match is noise ("hôm nay trời đẹp" ~ "bưu điện": 0.2).
MAX_SUGGESTIONS = 3
MIN_RANKED_CONFIDENCE = 0.1
MIN_SEARCH_SCORE = 0.3


def closest_procedures(tracker: Tracker, limit: int = MAX_SUGGESTIONS) -> List[Procedure]:
    """The NLU's ranked intents that name a procedure first, then the KB's text search."""
    kb = knowledge_base()
    found: Dict[str, Procedure] = {}
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        if ranked.get("confidence", 0.0) < MIN_RANKED_CONFIDENCE:
            continue
        procedure = kb.by_intent(ranked.get("name", ""))
        if procedure:
            found.setdefault(procedure.slug, procedure)
    for match in kb.search(tracker.latest_message.get("text") or "", limit=limit):
        if match.score < MIN_SEARCH_SCORE:
            continue
        procedure = kb.get(match.slug)
        if procedure:
            found.setdefault(procedure.slug, procedure)
    return list(found.values())[:limit]


class ActionSuggestProcedures(Action):
    def name(self) -> str:
        return "action_suggest_procedures"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        procedures = closest_procedures(tracker)
        if not procedures:
            kb = knowledge_base()
            procedures = [p for p in (kb.get(slug) for slug, _ in kb.titles()) if p]
        dispatcher.utter_message(response="utter_suggest_procedures", buttons=procedure_buttons(procedures))
        return []
