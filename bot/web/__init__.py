"""The public web face of the assistant: a chat page and a JSON API in front of Rasa."""

from bot.web.app import create_app

__all__ = ["create_app"]
