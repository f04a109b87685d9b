"""Fixtures for the KB tests: a private copy of the real content and a temporary SQLite file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.kb.loader import load_kb
from bot.kb.models import Base, make_engine

REPO = Path(__file__).resolve().parents[3]
CONTENT = REPO / "data" / "kb"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of data/kb that a test may break without touching the repository."""
    return Path(shutil.copytree(CONTENT, tmp_path / "kb"))


@pytest.fixture
def url(tmp_path: Path) -> str:
    # The "db" folder does not exist yet: load_kb must create it.
    return f"sqlite:///{tmp_path / 'db' / 'kb.sqlite3'}"


@pytest.fixture
def loaded(content: Path, url: str) -> str:
    load_kb(content, url)
    return url


@pytest.fixture(scope="session")
def shared_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The real content loaded once per run, for tests that only read (loading takes ~1 s)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'kb.sqlite3'}"
    load_kb(CONTENT, url)
    return url


def _dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every KB table, for before/after comparisons."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return {
                t.name: sorted(tuple(r) for r in session.execute(select(t)).all())
                for t in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def _edit(content: Path, slug: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Load procedures/<slug>.yml, let ``change`` mutate the mapping, write it back."""
    path = content / "procedures" / f"{slug}.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


# Helpers are handed out as fixtures: test folders have no __init__.py, so tests cannot
# import from this conftest reliably.
@pytest.fixture
def dump() -> Callable[[str], dict[str, list[tuple]]]:
    return _dump


@pytest.fixture
def edit() -> Callable[[Path, str, Callable[[dict[str, Any]], None]], None]:
    return _edit


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def count() -> int:
    """How many procedure files the real content has (tests must not hard-code it)."""
    return len(list((CONTENT / "procedures").glob("*.yml")))
