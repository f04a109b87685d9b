"""Our SQL tracker store: the same rows as Rasa's SQLTrackerStore, in plain SQL; SQLite in WAL mode."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore, create_tracker_store
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.pool import QueuePool

from bot.settings import ROOT
from bot.tracker_store import LeanSQLTrackerStore

DOMAIN = Domain.from_yaml(
    "version: '3.1'\nintents: [greet]\nslots:\n  topic:\n    type: text\n    mappings: [{type: custom}]\n"
)


def _tracker(sender: str, *texts: str) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen")]
    for text in texts:
        events += [UserUttered(text, {"name": "greet", "confidence": 1.0}), ActionExecuted("action_listen")]
    events.append(SlotSet("topic", "vneid"))
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "tracker.sqlite3"


def test_saved_conversation_comes_back_whole_and_in_order(db):
    store = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    tracker = _tracker("an", "xin chào", "tiếp")
    asyncio.run(store.save(tracker))
    tracker.update(UserUttered("cảm ơn", {"name": "greet", "confidence": 1.0}))
    asyncio.run(store.save(tracker))  # only the new event is added
    again = asyncio.run(store.retrieve("an"))
    assert [e.as_dict()["event"] for e in again.events] == [e.as_dict()["event"] for e in tracker.events]
    assert again.latest_message.text == "cảm ơn" and again.get_slot("topic") == "vneid"
    assert asyncio.run(store.retrieve("somebody else")) is None


def test_sqlite_runs_in_wal_mode_with_pooled_connections(db):
    store = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    asyncio.run(store.save(_tracker("an", "xin chào")))
    assert isinstance(store.engine.pool, QueuePool)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    with sqlite3.connect(db) as plain:  # the mode stays with the file, for any reader
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_second_store_on_the_same_file_sees_what_the_first_wrote(db):
    # e.g. `rasa shell` or an export beside the running server
    first = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    second = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    asyncio.run(first.save(_tracker("an", "một", "hai")))
    assert asyncio.run(second.retrieve("an")).latest_message.text == "hai"
    assert sorted(asyncio.run(second.keys())) == ["an"]


def test_endpoints_yml_selects_this_store(db, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(db))
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook")
    endpoints = read_endpoints_from_path(ROOT / "endpoints.yml")
    store = create_tracker_store(endpoints.tracker_store, DOMAIN)
    assert isinstance(store, LeanSQLTrackerStore)
    assert store.engine.url.database == str(db)


def _rows(db):
    with sqlite3.connect(db) as plain:
        return plain.execute(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events ORDER BY id"
        ).fetchall()


def test_rows_are_the_ones_rasas_own_store_writes(tmp_path):
    ours, theirs = tmp_path / "ours.sqlite3", tmp_path / "theirs.sqlite3"
    tracker = _tracker("an", "xin chào", "tiếp")
    for store, db in ((LeanSQLTrackerStore, ours), (SQLTrackerStore, theirs)):
        asyncio.run(store(domain=DOMAIN, dialect="sqlite", db=str(db)).save(tracker))
    assert _rows(ours) == _rows(theirs) and len(_rows(ours)) == len(tracker.events)


def test_either_store_continues_what_the_other_wrote(db):
    ours = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    theirs = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    tracker = _tracker("an", "một")
    asyncio.run(theirs.save(tracker))
    tracker.update(UserUttered("hai", {"name": "greet", "confidence": 1.0}))
    asyncio.run(ours.save(tracker))
    tracker.update(UserUttered("ba", {"name": "greet", "confidence": 1.0}))
    asyncio.run(theirs.save(tracker))
    for store in (ours, theirs):
        again = asyncio.run(store.retrieve("an"))
        assert [e.as_dict() for e in again.events] == [e.as_dict() for e in tracker.events]


def test_retrieve_starts_at_the_last_session_and_the_full_tracker_has_them_all(db):
    store = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    tracker = _tracker("an", "phiên một")
    asyncio.run(store.save(tracker))
    later = tracker.events[-1].timestamp + 60
    tracker.update(SessionStarted(timestamp=later))
    tracker.update(UserUttered("phiên hai", {"name": "greet", "confidence": 1.0}, timestamp=later + 1))
    asyncio.run(store.save(tracker))
    latest = asyncio.run(store.retrieve("an"))
    assert [e.as_dict()["event"] for e in latest.events] == ["session_started", "user"]
    assert latest.latest_message.text == "phiên hai"
    full = asyncio.run(store.retrieve_full_tracker("an"))
    assert len(full.events) == len(tracker.events)
    assert len(_rows(db)) == len(tracker.events)  # nothing written twice
