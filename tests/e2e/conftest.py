"""The real stack on free loopback ports: action server, Rasa server, web app."""

from __future__ import annotations

import secrets

import pytest

from bot.services import Supervisor
from bot.settings import Settings
from tests.support import free_port


@pytest.fixture(scope="session")
def stack(tmp_path_factory, kb_url, trained_model):
    var = tmp_path_factory.mktemp("stack")
    settings = Settings(
        kb_url=kb_url,
        tracker_db=var / "tracker.sqlite3",
        web_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        rasa_token=secrets.token_urlsafe(16),
    )
    supervisor = Supervisor(settings, trained_model, log_dir=var / "log", say=lambda *_: None)
    try:
        supervisor.start(timeout=300)
    except Exception:
        supervisor.stop()
        raise
    yield supervisor
    supervisor.stop()
