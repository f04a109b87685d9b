"""The actions' shared access to the KB and the pieces of replies built from it."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional

from rasa_sdk import Tracker

from bot.kb.queries import KnowledgeBase, Procedure
from bot.links import is_official
from bot.settings import load_settings


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """Opened on first use, not at import: the action server starts without touching the DB."""
    return KnowledgeBase.from_url(load_settings().kb_url)


def current_procedure(tracker: Tracker) -> Optional[Procedure]:
    slug = tracker.get_slot("procedure")
    return knowledge_base().get(slug) if slug else None


def current_step(tracker: Tracker) -> int:
    value = tracker.get_slot("step")
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def procedure_buttons(procedures: Iterable[Procedure]) -> List[Dict[str, str]]:
    """Buttons that ask for a procedure with its own intent, as if the user had typed it."""
    return [{"title": p.title, "payload": f"/{p.intent}"} for p in procedures]


def source_fields(procedure: Procedure) -> Dict[str, Any]:
    """An official page for the answer and when it was last checked, for the responses.

    Replies link to official sites only (bot/links.py): the first official source, else the
    entry's official link (the KB requires one). The guide page lists every source.
    """
    official = [s.url for s in procedure.sources if is_official(s.url)]
    return {
        "source": (official or [procedure.official_links[0].url])[0],
        "last_reviewed": procedure.last_reviewed.strftime("%d/%m/%Y"),
    }
