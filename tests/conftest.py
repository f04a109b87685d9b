"""Fixtures shared across the test tree: a real KB database and the trained model."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.loader import load_kb
from bot.kb.queries import KnowledgeBase
from bot.places.loader import load_places
from bot.settings import ROOT
from bot.train import train_if_changed


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite KB loaded from the real content in data/kb."""
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.sqlite3'}"
    load_kb(ROOT / "data" / "kb", url)
    load_places(ROOT / "data" / "kb", url)
    return url


@pytest.fixture(scope="session")
def kb(kb_url: str) -> KnowledgeBase:
    return KnowledgeBase.from_url(kb_url)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model for the current training inputs (`make test` trains it first; this is a no-op then)."""
    return train_if_changed(ROOT / "models")
