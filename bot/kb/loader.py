"""Load validated content into the KB database, replacing what was there in one transaction."""

from __future__ import annotations

import datetime
import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.kb.content import Entry, load_content
from bot.kb.models import (
    LINK_OFFICIAL,
    LINK_SOURCE,
    AliasRow,
    Base,
    LegalBasisRow,
    LinkRow,
    PaperRow,
    ProcedureRow,
    QuestionRow,
    StepRow,
    make_engine,
    outdated_tables,
    safe_url,
    sqlite_path,
)
from bot.text import fold

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadReport:
    procedures: int
    aliases: int
    steps: int
    url: str  # password masked

    def __str__(self) -> str:
        return f"KB: {self.procedures} procedures loaded into {self.url}"


def _row(entry: Entry) -> ProcedureRow:
    p = entry.procedure
    links = [
        LinkRow(kind=LINK_OFFICIAL, position=i, title=x.title, url=x.url)
        for i, x in enumerate(p.official_links)
    ]
    links += [
        LinkRow(kind=LINK_SOURCE, position=i, title=x.title, url=x.url) for i, x in enumerate(p.sources)
    ]
    return ProcedureRow(
        slug=p.slug,
        intent=p.intent,
        title=p.title,
        category=p.category,
        summary=p.summary,
        where=p.where,
        fee=p.fee,
        processing_time=p.processing_time,
        last_reviewed=p.last_reviewed,
        review_by=p.review_by,
        family=p.family,
        level=p.level,
        aliases=[AliasRow(position=i, text=a, folded=fold(a)) for i, a in enumerate(entry.aliases)],
        steps=[StepRow(position=i, text=t) for i, t in enumerate(p.steps)],
        papers=[PaperRow(position=i, text=t) for i, t in enumerate(p.papers)],
        legal_basis=[LegalBasisRow(position=i, text=t) for i, t in enumerate(p.legal_basis)],
        links=links,
        questions=[
            QuestionRow(
                position=i,
                asks="\n".join(q.ask),
                answer=q.answer,
                source_url=q.source,
                last_reviewed=q.last_reviewed,
            )
            for i, q in enumerate(p.questions)
        ],
    )


def _set_aside_if_damaged(path: Path) -> None:
    """An SQLite KB file that is not a database is renamed, not overwritten, then rebuilt.

    The SQLite KB holds nothing but what data/kb gives, so rebuilding loses nothing; the
    damaged file stays beside it for whoever wants to look at it.
    """
    if not path.is_file():
        return
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            db.execute("PRAGMA schema_version").fetchone()
        return
    except sqlite3.DatabaseError:
        pass
    aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
    path.rename(aside)
    log.warning("%s was not a readable database; moved it to %s and rebuilt it", path, aside)


def load_kb(content_dir: Path, url: str, today: datetime.date | None = None) -> LoadReport:
    """Validate all content, then swap it into the database at ``url`` in one transaction.

    Raises ContentError (and touches nothing) if any file is wrong; a database error
    rolls the transaction back, leaving the previous content in place.
    """
    entries = load_content(content_dir, today=today)
    path = sqlite_path(url)
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        _set_aside_if_damaged(Path(path))
    engine = make_engine(url)
    try:
        # Tables from an older version of this code lack new columns. Their content is
        # replaced below anyway, so drop them; only this one-time upgrade is not atomic.
        if outdated_tables(engine):
            Base.metadata.drop_all(engine)
        # CREATE TABLE IF NOT EXISTS; kept out of the data transaction because some
        # databases (and the sqlite3 driver) commit DDL implicitly.
        Base.metadata.create_all(engine)
        with Session(engine) as session, session.begin():
            # Children first, so foreign keys hold on databases that enforce them.
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(delete(table))
            session.add_all(_row(e) for e in entries)
    finally:
        engine.dispose()
    return LoadReport(
        procedures=len(entries),
        aliases=sum(len(e.aliases) for e in entries),
        steps=sum(len(e.procedure.steps) for e in entries),
        url=safe_url(url),
    )
