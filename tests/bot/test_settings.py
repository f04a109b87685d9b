"""Settings from the environment, and back (the supervisor hands them to its children)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, load_settings


def test_children_read_back_the_same_settings() -> None:
    settings = Settings(
        kb_url="postgresql://kb@db/kb",
        tracker_db=Path("/tmp/t.sqlite3"),
        web_host="0.0.0.0",
        web_port=9000,
        rasa_port=9001,
        action_port=9002,
        rasa_token="-starts-with-a-dash",
        public_url="https://troly.example.gov.vn",
        embed_origins="https://xa.example.gov.vn",
        cors_origins=("https://a.gov.vn", "https://b.gov.vn"),
        rate_per_session=(5, 10),
        rate_per_client=(100, 60),
    )
    assert load_settings(settings.to_env()) == settings


def test_the_token_is_not_in_the_repr() -> None:
    assert "secret-token" not in repr(Settings(rasa_token="secret-token"))


@pytest.mark.parametrize(
    "env, message",
    [
        ({"WEB_PORT": "http"}, "WEB_PORT must be a whole number"),
        ({"RASA_PORT": "70000"}, "between 1 and 65535"),
        ({"PUBLIC_URL": "troly.gov.vn"}, "PUBLIC_URL must start with http"),
        ({"CORS_ALLOWED_ORIGINS": "https://a.gov.vn/path"}, "CORS_ALLOWED_ORIGINS takes origins"),
        ({"RATE_LIMIT_PER_SESSION": "30 per minute"}, "must look like 30/60"),
        ({"RATE_LIMIT_PER_CLIENT": "0/60"}, "must look like 30/60"),
    ],
)
def test_bad_values_are_refused_with_a_reason(env: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_settings(env)
