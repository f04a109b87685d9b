"""Which messages reach Rasa as intent payloads ("/intent{...}"), and in what form.

Rasa reads any message that starts with "/" as an intent and its entities, stores the entity
values as given and logs what it cannot parse. So only what our own buttons and page send is
let through: a known intent, known entity keys, and values of the shape each entity expects.
Anything else is a message like any other (masked, then understood by the NLU), without its
leading "/" so Rasa never tries to read it as an intent. What passes is sent re-written from
the parsed values, never as typed, and free-text values are masked.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, Optional, Tuple

import yaml

from bot.web import pii

_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z_][\w-]*)(?P<entities>\{.*\})?", re.DOTALL)
_LEADING_SLASHES = re.compile(r"^[/\s]+")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ENTITIES = 4
MAX_FREE_TEXT = 100  # characters of a free-text value (a place name, a paper)
COORDINATE_DECIMALS = 3  # about 100 m: enough to find the nearest help points, no more


@dataclass(frozen=True)
class PayloadRules:
    """What a payload may hold: the domain's intents and entities, and the KB's procedure slugs."""

    intents: FrozenSet[str]
    entities: FrozenSet[str]
    slugs: FrozenSet[str] = frozenset()


def load_rules(domain_file: Path, slugs: FrozenSet[str] = frozenset()) -> PayloadRules:
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8")) or {}
    intents = frozenset(i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents") or [])
    entities = frozenset(e if isinstance(e, str) else next(iter(e)) for e in domain.get("entities") or [])
    return PayloadRules(intents, entities, slugs)


# --- the shape each entity's value must have: a checker returns the value to send, or None ---


def _coordinate(limit: float) -> Callable[[Any, PayloadRules], Any]:
    def check(value: Any, _rules: PayloadRules) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None  # "0912345678" as a string, true, null, a list
        if not math.isfinite(value) or abs(value) > limit:
            return None
        return round(float(value), COORDINATE_DECIMALS)

    return check


def _slug(value: Any, rules: PayloadRules) -> Any:
    return value if isinstance(value, str) and _SLUG.fullmatch(value) and value in rules.slugs else None


def _level(value: Any, _rules: PayloadRules) -> Any:
    if isinstance(value, bool):
        return None
    return str(value) if str(value) in ("1", "2") else None


def _free_text(value: Any, _rules: PayloadRules) -> Any:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_FREE_TEXT:
        return None
    return value


_CHECKS: Dict[str, Callable[[Any, PayloadRules], Any]] = {
    "latitude": _coordinate(90.0),
    "longitude": _coordinate(180.0),
    "procedure_name": _slug,
    "account_level": _level,
    "place": _free_text,  # a help-point search: the name of a commune or a province
    "paper": _free_text,
}
# Values typed or chosen by people: masked like any message.
_FREE_TEXT = frozenset(key for key, check in _CHECKS.items() if check is _free_text)


@dataclass(frozen=True)
class Vetted:
    """What to send to Rasa for one message, and what masking hid from it."""

    text: str
    is_payload: bool
    hidden: Tuple[pii.Kind, ...] = ()


def vet(message: str, rules: PayloadRules) -> Vetted:
    """The form in which ``message`` goes to Rasa: a re-written payload, or masked text."""
    payload = _payload(message, rules)
    if payload is not None:
        text, hidden = payload
        return Vetted(text, True, hidden)
    # Rasa must not read it as an intent: no leading "/" (a message of slashes alone is a "?").
    masked = pii.redact(_LEADING_SLASHES.sub("", message) or "?")
    return Vetted(masked.text, False, masked.hidden)


def _payload(message: str, rules: PayloadRules) -> Optional[Tuple[str, Tuple[pii.Kind, ...]]]:
    match = _PAYLOAD.fullmatch(message)
    if match is None or match["intent"] not in rules.intents:
        return None
    if match["entities"] is None:
        return f"/{match['intent']}", ()
    try:
        entities = json.loads(match["entities"])
    except ValueError:
        return None
    if not isinstance(entities, dict) or not entities or len(entities) > MAX_ENTITIES:
        return None
    clean: Dict[str, Any] = {}
    hidden = set()
    for key, value in entities.items():
        check = _CHECKS.get(key)
        if check is None or key not in rules.entities:
            return None
        checked = check(value, rules)
        if checked is None:
            return None
        if key in _FREE_TEXT:
            masked = pii.redact(checked)
            checked = masked.text
            hidden.update(masked.hidden)
        clean[key] = checked
    body = json.dumps(clean, ensure_ascii=False, separators=(",", ":"))
    return f"/{match['intent']}{body}", tuple(k for k in pii.KINDS if k in hidden)
