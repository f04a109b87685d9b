"""The JSON API's request schema, declared once and checked with jsonschema."""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from jsonschema import Draft7Validator

MAX_MESSAGE_CHARS = 1000
SESSION_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"

CHAT_REQUEST: Dict[str, Any] = {
    "type": "object",
    "properties": {
        # Length is checked after trimming and NFC (see app.validate_chat), not here.
        "message": {"type": "string"},
        # Absent or null: the web app starts a new conversation.
        "session": {"type": ["string", "null"], "pattern": SESSION_PATTERN},
    },
    "required": ["message"],
    "additionalProperties": False,
}

_CHAT = Draft7Validator(CHAT_REQUEST)


def first_error(body: Any) -> Optional[Tuple[str, str]]:
    """(field, kind) of the first schema violation, or None; kind is the JSON-schema keyword."""
    error = next(iter(sorted(_CHAT.iter_errors(body), key=lambda e: list(e.path))), None)
    if error is None:
        return None
    if error.validator == "additionalProperties":
        extra = sorted(set(body) - set(CHAT_REQUEST["properties"]), key=str)
        return str(extra[0]), "unknown"
    if error.validator == "required":
        return "message", "required"
    field = str(error.path[0]) if error.path else ""
    return field, str(error.validator)
