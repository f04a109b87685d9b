"""The cards a reply carries for the page to draw: their shape is defined here, once.

The actions build cards with ``step_card`` and ``answer_card`` and send them as the custom
payload ``{"card": …}`` beside the text (the text stays for channels without cards). The web
app passes on only what ``clean`` returns, so the page (chat, widget, desk) draws a card from
its fields and never reads structure out of the wording.

| type           | fields                                                                   |
|----------------|--------------------------------------------------------------------------|
| `step`         | procedure, title, number, total, text, guide_url; last (bool); on the    |
|                | last step also source, last_reviewed                                     |
| `answer`       | procedure, title, answers [{text}], source, last_reviewed, guide_url     |
| `places`       | items [{name, kind, address, status, distance, hours, phone, services,   |
|                | map_url}], lead, note                                                    |
| `ask_location` | nothing else                                                             |
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from bot.links import is_map_link, is_official
from bot.text import nfc

STEP = "step"
ANSWER = "answer"
PLACES = "places"
ASK_LOCATION = "ask_location"
GUIDE_PREFIX = "/huong-dan/"
PLACE_FIELDS = ("name", "kind", "address", "status", "distance", "hours", "phone", "services")
MAX_ANSWERS = 3


def guide_url(slug: str) -> str:
    return f"{GUIDE_PREFIX}{slug}"


def step_card(
    *, procedure: str, title: str, number: int, total: int, text: str, source: str, last_reviewed: str
) -> Dict[str, Any]:
    card: Dict[str, Any] = {
        "type": STEP,
        "procedure": procedure,
        "title": title,
        "number": number,
        "total": total,
        "text": text,
        "guide_url": guide_url(procedure),
        "last": number == total,
    }
    if number == total:
        card.update(source=source, last_reviewed=last_reviewed)
    return card


def answer_card(
    *, procedure: str, title: str, answers: Sequence[str], source: str, last_reviewed: str
) -> Dict[str, Any]:
    return {
        "type": ANSWER,
        "procedure": procedure,
        "title": title,
        "answers": [{"text": text} for text in answers[:MAX_ANSWERS]],
        "source": source,
        "last_reviewed": last_reviewed,
        "guide_url": guide_url(procedure),
    }


def is_text(value: Any) -> bool:
    """A non-blank string."""
    return isinstance(value, str) and bool(value.strip())


def _texts(card: Dict[str, Any], keys: Sequence[str]) -> Optional[Dict[str, str]]:
    if not all(is_text(card.get(k)) for k in keys):
        return None
    return {k: nfc(card[k]) for k in keys}


def _guide(card: Dict[str, Any]) -> Optional[str]:
    guide = card.get("guide_url")
    return guide if isinstance(guide, str) and guide.startswith(GUIDE_PREFIX) else None


def _step(card: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    number, total = card.get("number"), card.get("total")
    texts = _texts(card, ("procedure", "title", "text"))
    guide = _guide(card)
    if texts is None or guide is None or not isinstance(number, int) or not isinstance(total, int):
        return None
    if isinstance(number, bool) or not 1 <= number <= total:
        return None
    out: Dict[str, Any] = {"type": STEP, **texts, "number": number, "total": total, "guide_url": guide}
    out["last"] = number == total
    if out["last"] and is_official(card.get("source")) and is_text(card.get("last_reviewed")):
        out.update(source=card["source"], last_reviewed=nfc(card["last_reviewed"]))
    return out


def _answer(card: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    texts = _texts(card, ("procedure", "title", "last_reviewed"))
    guide = _guide(card)
    raw = card.get("answers")
    answers: List[Dict[str, str]] = [
        {"text": nfc(a["text"])}
        for a in (raw if isinstance(raw, list) else [])
        if isinstance(a, dict) and is_text(a.get("text"))
    ][:MAX_ANSWERS]
    if texts is None or guide is None or not answers or not is_official(card.get("source")):
        return None
    return {"type": ANSWER, **texts, "answers": answers, "source": card["source"], "guide_url": guide}


def _place(item: Dict[str, Any]) -> Dict[str, str]:
    place = {k: nfc(item[k]) for k in PLACE_FIELDS if is_text(item.get(k))}
    # Map links only as bot.links.map_link makes them: a map provider, a pin, nothing else.
    if is_map_link(item.get("map_url")):
        place["map_url"] = item["map_url"]
    return place


def _places(card: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    if not isinstance(card.get("items"), list):
        return None
    items = [_place(i) for i in card["items"] if isinstance(i, dict) and is_text(i.get("name"))]
    if not items:
        return None
    places: Dict[str, Any] = {"type": PLACES, "items": items}
    places.update({k: nfc(card[k]) for k in ("lead", "note") if is_text(card.get(k))})
    return places


def clean(custom: Any) -> Optional[Dict[str, Any]]:
    """The card of a custom payload with exactly the fields the page draws, or None."""
    card = custom.get("card") if isinstance(custom, dict) else None
    if not isinstance(card, dict):
        return None
    kind = card.get("type")
    if kind == STEP:
        return _step(card)
    if kind == ANSWER:
        return _answer(card)
    if kind == PLACES:
        return _places(card)
    if kind == ASK_LOCATION:
        return {"type": ASK_LOCATION}
    return None
