"""Find help points (post offices, one-stop desks, police) by place name or coordinates."""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.links import map_link
from bot.places import wording
from bot.places.directory import DirectoryMissing, Found, HelpPointDirectory, find
from bot.places.hours import now_in_vietnam
from bot.places.place_names import Area, has_type_word
from bot.places.question import kinds_in, weekday_in
from bot.settings import load_settings

Domain = Dict[str, Any]
log = logging.getLogger(__name__)

PAGE = 3  # points per answer: three fit on a phone screen
MAX_KEPT = 30  # results remembered for "xem thêm"
SEARCH_SLOT = "help_point_search"
# Check this often whether an operator's import changed the data (one small query); only
# then load again, since a load keeps the action server busy for about a second.
CHECK_SECONDS = 60
# Coordinates are kept to 3 decimals (about 100 m): enough to rank nearby points.
COORD_DECIMALS = 3

_cache: Dict[str, Tuple[float, Optional[str], HelpPointDirectory]] = {}


def directory() -> HelpPointDirectory:
    """The directory, loaded on first use and again when an import changed the data."""
    url = load_settings().kb_url
    cached = _cache.get(url)
    if cached is not None and time.monotonic() - cached[0] < CHECK_SECONDS:
        return cached[2]
    stamp = HelpPointDirectory.stamp(url)
    places = cached[2] if cached is not None and stamp == cached[1] else HelpPointDirectory.from_url(url)
    _cache[url] = (time.monotonic(), stamp, places)
    return places


def coordinates(tracker: Tracker) -> Optional[Tuple[float, float]]:
    """(lat, lon) sent by the page's "use my location" button, rounded; None if absent or bad."""
    values = {}
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") in ("latitude", "longitude"):
            try:
                values[entity["entity"]] = round(float(entity.get("value")), COORD_DECIMALS)
            except (TypeError, ValueError):
                return None
    lat, lon = values.get("latitude"), values.get("longitude")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _card_item(found: Found, moment, weekday: Optional[int]) -> Dict[str, Any]:
    p = found.point
    item = {
        "name": p.name,
        "kind": wording.KIND_NAMES[p.kind],
        "address": wording.full_address(found),
        "status": wording.when_text(found, moment, weekday),
        "hours": wording.week_text(p.periods),
        "map_url": map_link(p.latitude, p.longitude),
    }
    if found.distance_km is not None:
        item["distance"] = wording.distance_text(found.distance_km)
    if p.phone:
        item["phone"] = p.phone
    services = wording.services_text(p.services)
    if services:
        item["services"] = services
    return item


def show_page(
    dispatcher: CollectingDispatcher,
    places: HelpPointDirectory,
    search: Dict[str, Any],
    lead: str,
) -> List[EventType]:
    """Send the next PAGE points of a remembered search; the slot keeps where it stopped."""
    start = search["shown"]
    codes = search["codes"][start : start + PAGE]
    distances = search["km"][start : start + PAGE]
    found = [Found(p, km) for p, km in zip(map(places.by_code, codes), distances, strict=True) if p]
    if not found:
        dispatcher.utter_message(response="utter_no_more_help_points")
        return [SlotSet(SEARCH_SLOT, None)]
    moment = now_in_vietnam()
    weekday = search.get("weekday")
    # One message: Rasa's channels split a text at blank lines into several messages.
    items = "\n".join(wording.item_lines(start + i + 1, f, moment, weekday) for i, f in enumerate(found))
    reviewed = max(f.point.last_reviewed for f in found)
    more = start + len(found) < len(search["codes"])
    dispatcher.utter_message(
        response="utter_help_points_more" if more else "utter_help_points",
        lead=lead,
        items=items,
        note=wording.note_text(reviewed),
        json_message={
            "card": {
                "type": "places",
                "lead": lead,
                "note": wording.note_text(reviewed),
                "items": [_card_item(f, moment, weekday) for f in found],
            }
        },
    )
    search = {**search, "shown": start + len(found)}
    return [SlotSet(SEARCH_SLOT, json.dumps(search, ensure_ascii=False) if more else None)]


class ActionFindHelpPoints(Action):
    def name(self) -> str:
        return "action_find_help_points"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain) -> List[EventType]:
        try:
            places = directory()
        except (DirectoryMissing, SQLAlchemyError) as exc:
            log.error("help-point directory unavailable: %s", exc)
            dispatcher.utter_message(response="utter_help_points_unavailable")
            return []
        message = tracker.latest_message
        text = message.get("text") or ""
        text = "" if text.startswith("/") else text  # a button's payload names no place
        near = coordinates(tracker)
        areas = places.areas(text) if text else []
        if not areas and near is None:
            intent = (message.get("intent") or {}).get("name")
            named = intent == "inform_place" or has_type_word(text)
            dispatcher.utter_message(
                response="utter_help_place_not_found" if named else "utter_ask_help_place",
                json_message={"card": {"type": "ask_location"}},
            )
            return [SlotSet(SEARCH_SLOT, None)]
        kinds = kinds_in(text)
        # Namesakes in several provinces: the first with help points, else the best name.
        area: Optional[Area] = next((a for a in areas if places.covered(a)), areas[0] if areas else None)
        label = places.area_label(area) if area else None
        answer = find(places, area, near, kinds, limit=MAX_KEPT)
        if not answer.found:
            dispatcher.utter_message(response="utter_no_help_points", place=label or "gần bạn")
            return [SlotSet(SEARCH_SLOT, None)]
        province = places.provinces[area.province_code] if area else ""
        lead = wording.lead_text(label, near is not None, answer.scope, kinds, province)
        if answer.kinds_dropped:
            lead = f"{lead}\n{wording.kinds_dropped_text(kinds)}"
        if len(areas) > 1 and near is None:
            lead = f"{lead}\n({wording.ambiguity_text(len(areas) - 1)})"
        kept = answer.found[:MAX_KEPT]
        search = {
            "codes": [f.point.code for f in kept],
            "km": [None if f.distance_km is None else round(f.distance_km, 2) for f in kept],
            "weekday": weekday_in(text, now_in_vietnam().date()),
            "shown": 0,
        }
        return show_page(dispatcher, places, search, lead)


class ActionMoreHelpPoints(Action):
    def name(self) -> str:
        return "action_more_help_points"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain) -> List[EventType]:
        raw = tracker.get_slot(SEARCH_SLOT)
        try:
            search = json.loads(raw) if raw else None
            places = directory()
        except (ValueError, DirectoryMissing, SQLAlchemyError):
            search = None
        if not isinstance(search, dict) or not search.get("codes"):
            dispatcher.utter_message(response="utter_no_more_help_points")
            return [SlotSet(SEARCH_SLOT, None)]
        return show_page(dispatcher, places, search, wording.more_text())
