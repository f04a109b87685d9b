"""Helpers shared by tests (fixtures live in the conftest.py files)."""

from __future__ import annotations

import socket
from typing import Any, Dict, Optional

from rasa_sdk import Tracker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


# Browser viewports: a cheap phone and a help-desk screen.
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
