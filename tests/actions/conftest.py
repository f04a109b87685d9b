from __future__ import annotations

from typing import Any, Dict, Optional

import pytest
from rasa_sdk import Tracker

from actions import knowledge


@pytest.fixture(autouse=True)
def actions_use_test_kb(kb_url: str, monkeypatch: pytest.MonkeyPatch):
    """Point the actions at the test KB, as the action server's environment would."""
    monkeypatch.setenv("KB_DATABASE_URL", kb_url)
    knowledge.knowledge_base.cache_clear()
    yield
    knowledge.knowledge_base.cache_clear()


def make_tracker(
    intent: Optional[str] = None,
    text: str = "",
    slots: Optional[Dict[str, Any]] = None,
    ranking: Optional[list] = None,
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9} if intent else {}}
    if ranking is not None:
        latest["intent_ranking"] = ranking
    return Tracker(
        sender_id="test",
        slots={"procedure": None, "step": None, **(slots or {})},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )
