"""Rasa's SQL tracker store, made cheaper for a server that answers many people at once.

Rasa answers on one event loop, so every millisecond the store takes holds up all
conversations. Profiled under load (bench/results), Rasa's own ``SQLTrackerStore`` took about
a quarter of the Rasa server's CPU time: it builds ORM queries and objects for every read and
write, counts the stored events through an ORM subquery at each save, opens a new SQLite
connection each time (SQLAlchemy 1.4's NullPool) and syncs the disk several times per commit.

This store reads and writes the same table, the same rows and the same events as Rasa's (a
database written by one is read by the other), with plain SQL statements instead of ORM
objects. With SQLite it also keeps connections in a small pool and runs in WAL mode with
``synchronous=NORMAL``: a commit appends to the log without waiting for the disk, and a crash
can lose only the last moments, never corrupt the file.

Conversations are kept only as long as answering needs: those whose last event is older than
``RETENTION_DAYS`` (bot/settings.py, 90 by default), and sessions of ongoing conversations that
ended before then, are deleted when the store starts and then daily, by a background thread in
small transactions (one statement each), so a reply never waits for it.

endpoints.yml: ``tracker_store: {type: bot.tracker_store.LeanSQLTrackerStore, dialect: sqlite, db: ...}``
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot.settings import load_settings

log = logging.getLogger(__name__)

# Per connection; journal_mode=WAL also stays with the file.
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000")
POOL_SIZE = 2  # one event loop uses one at a time; the second covers a request that overlaps
DAY = 24 * 3600.0
PURGE_BATCH = 100  # conversations (or 1000 old-session events) per statement
PURGE_PAUSE = 0.05  # seconds between statements, so replies get the database in between


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def event_row(sender_id: str, event: Event) -> Dict[str, Any]:
    """The row Rasa's ``SQLTrackerStore.save`` writes for ``event``."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class LeanSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with SQL statements instead of ORM objects, tuned SQLite connections."""

    def __init__(
        self,
        *args: Any,
        retention_days: Optional[int] = None,
        purge_every: float = DAY,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._events = self.SQLEvent.__table__
        if self.engine.dialect.name == "sqlite":
            self._tune_sqlite()
        days = load_settings().retention_days if retention_days is None else retention_days
        self.retention_seconds = days * DAY
        self._stop = threading.Event()
        self._purger = threading.Thread(
            target=self._purge_periodically, args=(purge_every,), name="tracker-retention", daemon=True
        )
        self._purger.start()

    def _tune_sqlite(self) -> None:
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url,
            poolclass=QueuePool,
            pool_size=POOL_SIZE,
            # Rasa may touch the store from a worker thread (e.g. at shutdown); SQLite itself is
            # built thread-safe, the check only guards against sharing a connection by accident.
            connect_args={"check_same_thread": False},
        )
        sa.event.listen(self.engine, "connect", _set_pragmas)
        self.sessionmaker = sessionmaker(bind=self.engine)

    def _conversation(self, sender_id: str, all_sessions: bool) -> List[Any]:
        """WHERE clauses for the events of ``sender_id``: since its last ``SessionStarted``
        (all of them if it has none), or from every session. The same rows as Rasa's query."""
        events = self._events
        clauses = [events.c.sender_id == sender_id]
        if not all_sessions:
            session_start = (
                sa.select(sa.func.max(events.c.timestamp))
                .where(events.c.sender_id == sender_id, events.c.type_name == SessionStarted.type_name)
                .scalar_subquery()
            )
            clauses.append(sa.or_(events.c.timestamp >= session_start, session_start.is_(None)))
        return clauses

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        query = (
            sa.select(self._events.c.data)
            .where(*self._conversation(sender_id, fetch_events_from_all_sessions))
            .order_by(self._events.c.id)
        )
        with self.session_scope() as session:
            events = [json.loads(data) for data in session.execute(query).scalars()]
        if not (self.domain and events):
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Add the tracker's events that are not stored yet, as Rasa's store does."""
        await self.stream_events(tracker)
        stored = sa.select(sa.func.count()).select_from(self._events)
        stored = stored.where(*self._conversation(tracker.sender_id, all_sessions=False))
        with self.session_scope() as session:
            already = session.execute(stored).scalar_one()
            rows = [event_row(tracker.sender_id, e) for e in itertools.islice(tracker.events, already, None)]
            if rows:
                session.execute(sa.insert(self._events), rows)
            session.commit()

    # --- retention ------------------------------------------------------------------------

    def purge_expired(self, now: Optional[float] = None) -> int:
        """Delete what is past the retention period; the number of events deleted.

        Whole conversations whose last event is older than the cutoff, then, in conversations
        still going on, the events before their latest session start that are older too (a
        tracker is read from its latest ``SessionStarted``, so what it shows never changes).
        Each statement decides and deletes at once: a message arriving meanwhile is kept.
        """
        cutoff = (time.time() if now is None else now) - self.retention_seconds
        events = self._events
        idle = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
            .limit(PURGE_BATCH)
        )
        started = events.alias("started")
        latest_start = (
            sa.select(sa.func.max(started.c.timestamp))
            .where(started.c.sender_id == events.c.sender_id, started.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        old_sessions = (
            sa.select(events.c.id)
            .where(events.c.timestamp < cutoff, events.c.timestamp < latest_start)
            .limit(PURGE_BATCH * 10)
        )
        deleted = 0
        for statement in (
            sa.delete(events).where(events.c.sender_id.in_(idle.scalar_subquery())),
            sa.delete(events).where(events.c.id.in_(old_sessions.scalar_subquery())),
        ):
            while not self._stop.is_set():
                with self.engine.begin() as connection:
                    count = connection.execute(statement).rowcount
                deleted += count
                if count == 0:
                    break
                self._stop.wait(PURGE_PAUSE)
        return deleted

    def _purge_periodically(self, every: float) -> None:
        while not self._stop.is_set():
            try:
                deleted = self.purge_expired()
                if deleted:
                    log.info("retention: deleted %d events older than %d days", deleted, self.retention_days)
            except Exception:  # the store keeps answering; the next round tries again
                log.exception("retention: purge failed")
            self._stop.wait(every)

    @property
    def retention_days(self) -> int:
        return round(self.retention_seconds / DAY)

    def stop_retention(self, timeout: float = 5.0) -> None:
        """Stop the background purge (tests; the thread is a daemon otherwise)."""
        self._stop.set()
        self._purger.join(timeout)
