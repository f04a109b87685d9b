"""Talks to Rasa's REST channel on loopback and reduces its answers to what the page shows."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, TypedDict

import aiohttp

from bot import cards
from bot.links import hide_unofficial, is_official
from bot.text import nfc

WEBHOOK_PATH = "/webhooks/rest/webhook"
# Shown instead of a web address that is not an official site (bot/links.py).
HIDDEN_LINK = "(liên kết không phải trang chính thức, đã ẩn)"


class Button(TypedDict):
    title: str
    payload: str


class Link(TypedDict):
    title: str
    url: str


class _Message(TypedDict):
    text: str | None
    buttons: List[Button]
    links: List[Link]


class Message(_Message, total=False):
    # A card for the page to draw (its shapes: bot/cards.py).
    card: Dict[str, Any]


class RasaUnavailable(Exception):
    """Rasa could not be reached, timed out or gave an answer we cannot use.

    The message names the cause only; it never contains the user's text.
    """


class RasaClient:
    """Sends one user message to Rasa's REST webhook and returns the normalised replies."""

    def __init__(self, session: aiohttp.ClientSession, rasa_url: str) -> None:
        # The session (and its timeout) belongs to the app's cleanup context.
        self._session = session
        self._url = rasa_url.rstrip("/") + WEBHOOK_PATH

    async def send(self, sender: str, text: str) -> List[Message]:
        try:
            async with self._session.post(self._url, json={"sender": sender, "message": text}) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise RasaUnavailable(f"{type(exc).__name__} from {self._url}") from exc
        if not isinstance(data, list):
            raise RasaUnavailable(f"Rasa answered a {type(data).__name__}, not a list")
        return normalise_messages(data)


def normalise_messages(raw: List[Any]) -> List[Message]:
    """Keep text, buttons (title + payload), http(s) links and known cards; drop the rest.

    Rasa sends an utterance's custom payload as a message of its own, right after the
    text; a card is joined back to that text. Messages left with nothing to show (an
    image alone, an unknown custom payload) are dropped.
    """
    messages: List[Message] = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        card = cards.clean(item.get("custom"))
        if card is not None and not item.get("text") and not item.get("buttons"):
            if messages and "card" not in messages[-1]:
                messages[-1]["card"] = card
            else:
                messages.append({"text": None, "buttons": [], "links": [], "card": card})
            continue
        text = item.get("text")
        text = hide_unofficial(nfc(text), HIDDEN_LINK) if isinstance(text, str) and text.strip() else None
        buttons: List[Button] = []
        links: List[Link] = []
        for button in item.get("buttons") or []:
            if not isinstance(button, dict) or not cards.is_text(button.get("title")):
                continue
            if isinstance(button.get("payload"), str) and button["payload"]:
                buttons.append({"title": nfc(button["title"]), "payload": button["payload"]})
            elif is_official(button.get("url")):
                # Rasa's "web_url" buttons open a page instead of sending a payload.
                links.append({"title": nfc(button["title"]), "url": button["url"]})
        links.extend(_links(item))
        if text is None and not buttons and not links:
            continue
        messages.append({"text": text, "buttons": buttons, "links": links})
    return messages


def _links(item: dict) -> List[Link]:
    """Links from ``custom: {links: [{title, url}]}`` and from a URL ``attachment``."""
    links: List[Link] = []
    custom = item.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("links"), list):
        for link in custom["links"]:
            if isinstance(link, dict) and is_official(link.get("url")):
                title = link.get("title")
                links.append(
                    {"title": nfc(title) if cards.is_text(title) else link["url"], "url": link["url"]}
                )
    attachment = item.get("attachment")
    if is_official(attachment):
        links.append({"title": attachment, "url": attachment})
    return links
