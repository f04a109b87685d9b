"""Our SQL tracker store: the same rows as Rasa's SQLTrackerStore, in plain SQL; SQLite in WAL mode."""

from __future__ import annotations

import asyncio
import sqlite3
import time

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


# --- retention: conversations are kept no longer than RETENTION_DAYS --------------------

DAY = 24 * 3600


def _events_at(store: LeanSQLTrackerStore, sender: str, *stamps: float, session_at: float | None = None):
    """A conversation whose user messages were sent at ``stamps``, saved through the store."""
    events = []
    if session_at is not None:
        events += [ActionExecuted("action_session_start", timestamp=session_at)]
        events += [SessionStarted(timestamp=session_at)]
    for stamp in stamps:
        events += [UserUttered("xin chào", {"name": "greet", "confidence": 1.0}, timestamp=stamp)]
        events += [ActionExecuted("action_listen", timestamp=stamp + 1)]
    tracker = DialogueStateTracker.from_events(sender, events, DOMAIN.slots)
    asyncio.run(store.save(tracker))
    return tracker


def _senders(db) -> dict:
    with sqlite3.connect(db) as plain:
        return dict(plain.execute("SELECT sender_id, count(*) FROM events GROUP BY sender_id").fetchall())


def test_conversations_past_the_retention_period_are_deleted_and_newer_ones_kept(db):
    store = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db), retention_days=90)
    now = time.time()
    _events_at(store, "old", now - 200 * DAY, now - 120 * DAY)
    _events_at(store, "recent", now - 100 * DAY, now - 30 * DAY)  # began long ago, still recent
    ongoing = _events_at(store, "ongoing", now - 95 * DAY, session_at=now - 95 * DAY)
    # An earlier session of "ongoing" ended 95 days ago; today it started a new one.
    ongoing.update(SessionStarted(timestamp=now - 60))
    ongoing.update(UserUttered("tiếp", {"name": "greet", "confidence": 1.0}, timestamp=now - 50))
    asyncio.run(store.save(ongoing))
    before = asyncio.run(store.retrieve("ongoing"))

    assert store.purge_expired() > 0
    kept = _senders(db)
    assert "old" not in kept
    assert kept["recent"] == 4  # whole: its last message is within the period
    # What the conversation in progress shows is unchanged; only its expired session went.
    after = asyncio.run(store.retrieve("ongoing"))
    assert [e.as_dict() for e in after.events] == [e.as_dict() for e in before.events]
    assert after.latest_message.text == "tiếp"
    assert store.purge_expired() == 0  # nothing left to do
    store.stop_retention()


def test_the_store_purges_on_start_in_the_background_in_small_batches(db):
    first = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db), retention_days=10_000)
    now = time.time()
    for i in range(250):  # more than one batch
        _events_at(first, f"old-{i}", now - 40 * DAY)
    _events_at(first, "new", now - 5 * DAY)
    first.stop_retention()

    second = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db), retention_days=30)
    deadline = time.monotonic() + 30
    while len(_senders(db)) > 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _senders(db) == {"new": 2}
    second.stop_retention()


def test_a_reply_is_saved_while_a_purge_is_running(db):
    store = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db), retention_days=30)
    store.stop_retention()
    now = time.time()
    for i in range(300):
        _events_at(store, f"old-{i}", now - 40 * DAY)
    worker = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db), retention_days=30)
    tracker = _events_at(store, "talking", now - 1)
    for turn in range(20):  # the conversation goes on while the worker deletes
        tracker.update(UserUttered(f"câu {turn}", {"name": "greet", "confidence": 1.0}))
        asyncio.run(store.save(tracker))
    worker.stop_retention(timeout=30)
    again = asyncio.run(store.retrieve("talking"))
    assert again.latest_message.text == "câu 19" and len(again.events) == len(tracker.events)


def test_retention_comes_from_settings(db, monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "7")
    store = LeanSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    assert store.retention_days == 7
    store.stop_retention()
