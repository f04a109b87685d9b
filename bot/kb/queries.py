"""Read-only access to the KB: lookups by slug or intent, and a small fuzzy search."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, selectinload

from bot.kb.content import Answer, Link, Procedure
from bot.kb.models import (
    LINK_OFFICIAL,
    LINK_SOURCE,
    AliasRow,
    Base,
    ProcedureRow,
    QuestionRow,
    make_engine,
    outdated_tables,
    safe_url,
    sqlite_path,
)
from bot.text import fold

__all__ = ["Answer", "KnowledgeBase", "KnowledgeBaseMissing", "Link", "Match", "Procedure"]


class KnowledgeBaseMissing(RuntimeError):
    """The KB database or its tables do not exist yet."""


@dataclass(frozen=True)
class Match:
    slug: str
    title: str
    score: float  # in [0, 1]; higher is better


# Filler syllables of Vietnamese questions ("tôi muốn hỏi cách ... như thế nào"), folded.
# They would otherwise dilute how much of the question a title explains.
_FILLER = frozenset(
    "toi minh em anh chi ban muon hoi cach lam sao nhu nao gi la o dau can giup "
    "voi va cho a ah oi nhe vay thi duoc khong co bi phai ra qua nay hom roi nha".split()
)
# Syllables this similar count as a typo of each other (e.g. "khua" ~ "khau" is 0.75).
_TYPO_RATIO = 0.75


def _tokens(folded: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", folded)


def _token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 3:  # "xa" vs "ca": too short to call it a typo
        return 0.0
    if min(len(a), len(b)) == 3 and len(a) != len(b):  # "troi" vs "tro", "toi": other words
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return ratio if ratio >= _TYPO_RATIO else 0.0


def _score(query: list[str], name: list[str]) -> float:
    """Mix of soft token overlap (typo-tolerant) and whole-string similarity, in [0, 1]."""
    if not query or not name:
        return 0.0
    overlap = sum(max(_token_similarity(q, n) for n in name) for q in query)
    ratio = difflib.SequenceMatcher(None, " ".join(query), " ".join(name)).ratio()
    if overlap == 0 and ratio < 0.6:
        return 0.0
    overlap = min(overlap, len(name))
    jaccard = overlap / (len(query) + len(name) - overlap)
    coverage = overlap / len(query)  # how much of the question this name explains
    # Coverage weighs most: a name that explains every word of the question beats a
    # near-identical name that misses one ("định danh mức 1" must not find "mức 2").
    return round(0.3 * jaccard + 0.5 * coverage + 0.2 * ratio, 4)


def _procedure(row: ProcedureRow) -> Procedure:
    def links(kind: str) -> tuple[Link, ...]:
        return tuple(Link(x.title, x.url) for x in row.links if x.kind == kind)

    return Procedure(
        slug=row.slug,
        intent=row.intent,
        title=row.title,
        category=row.category,
        summary=row.summary,
        where=row.where,
        steps=tuple(s.text for s in row.steps),
        papers=tuple(p.text for p in row.papers),
        fee=row.fee,
        processing_time=row.processing_time,
        legal_basis=tuple(x.text for x in row.legal_basis),
        official_links=links(LINK_OFFICIAL),
        sources=links(LINK_SOURCE),
        last_reviewed=row.last_reviewed,
        review_by=row.review_by,
        family=row.family,
        level=row.level,
        questions=tuple(
            Answer(tuple(q.asks.split("\n")), q.answer, q.source_url, q.last_reviewed) for q in row.questions
        ),
    )


class KnowledgeBase:
    """Queries over a loaded KB; every method opens and closes its own short session."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> KnowledgeBase:
        """Open the KB at ``url``; raise KnowledgeBaseMissing if it was never loaded."""
        shown = safe_url(url)
        hint = "Run `make kb` (python -m bot.kb load) to create it."
        path = sqlite_path(url)
        # Checked before connecting: connecting would create an empty SQLite file.
        if path is not None and not Path(path).is_file():
            raise KnowledgeBaseMissing(f"The knowledge base {shown} does not exist. {hint}")
        engine = make_engine(url)
        try:
            existing = set(inspect(engine).get_table_names())
        except DatabaseError as exc:  # unreachable server, or a damaged file
            engine.dispose()
            raise KnowledgeBaseMissing(f"Cannot open the knowledge base {shown}: {exc.orig}. {hint}") from exc
        missing = sorted(set(Base.metadata.tables) - existing)
        if missing:
            engine.dispose()
            raise KnowledgeBaseMissing(
                f"The knowledge base {shown} has no table(s) {', '.join(missing)}. {hint}"
            )
        old = outdated_tables(engine)
        if old:
            engine.dispose()
            raise KnowledgeBaseMissing(
                f"The knowledge base {shown} was made by an older version (table(s) {', '.join(old)} "
                "lack new columns). Run `make kb` (python -m bot.kb load) to rebuild it."
            )
        return cls(engine)

    def _select(self, condition=None) -> list[Procedure]:
        query = select(ProcedureRow).options(
            *(
                selectinload(getattr(ProcedureRow, r))
                for r in ("steps", "papers", "legal_basis", "links", "questions")
            )
        )
        if condition is not None:
            query = query.where(condition)
        with Session(self.engine) as session:
            return [_procedure(row) for row in session.execute(query).scalars()]

    def _one(self, condition) -> Procedure | None:
        found = self._select(condition)
        return found[0] if found else None

    def get(self, slug: str) -> Procedure | None:
        return self._one(ProcedureRow.slug == slug)

    def get_many(self, slugs: list[str]) -> list[Procedure]:
        """The procedures named by ``slugs``, in that order (unknown slugs are left out)."""
        found = {p.slug: p for p in self._select(ProcedureRow.slug.in_(slugs))} if slugs else {}
        return [found[slug] for slug in slugs if slug in found]

    def by_intent(self, intent: str) -> Procedure | None:
        return self._one(ProcedureRow.intent == intent)

    def variant(self, family: str, level: int) -> Procedure | None:
        """The procedure of ``family`` about VNeID account ``level`` (e.g. "dang-ky-vneid", 2)."""
        return self._one((ProcedureRow.family == family) & (ProcedureRow.level == level))

    def all(self) -> list[Procedure]:
        """Every procedure, sorted by title like titles()."""
        return sorted(self._select(), key=lambda p: (fold(p.title), p.title))

    def titles(self) -> list[tuple[str, str]]:
        """(slug, title) pairs sorted by title, ignoring case and accents (Đ sorts with D)."""
        with Session(self.engine) as session:
            rows = session.execute(select(ProcedureRow.slug, ProcedureRow.title)).all()
        return sorted(((r.slug, r.title) for r in rows), key=lambda r: (fold(r[1]), r[1]))

    def stamp(self) -> tuple:
        """Changes whenever `make kb` loads different content: one small query, for caches."""
        from sqlalchemy import func

        with Session(self.engine) as session:
            procedures = session.execute(
                select(func.count(ProcedureRow.id), func.max(ProcedureRow.last_reviewed))
            ).one()
            questions = session.execute(
                select(
                    func.count(QuestionRow.id),
                    func.sum(func.length(QuestionRow.answer)),
                    func.sum(func.length(QuestionRow.asks)),
                )
            ).one()
            aliases = session.execute(
                select(func.count(AliasRow.id), func.sum(func.length(AliasRow.folded)))
            ).one()
        return (*procedures, *questions, *aliases)

    def aliases(self) -> dict[str, list[str]]:
        """Every procedure's aliases, in file order, by slug."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(ProcedureRow.slug, AliasRow.text)
                .join(AliasRow, AliasRow.procedure_id == ProcedureRow.id)
                .order_by(AliasRow.procedure_id, AliasRow.position)
            ).all()
        out: dict[str, list[str]] = {}
        for row in rows:
            out.setdefault(row.slug, []).append(row.text)
        return out

    def search(self, text: str, limit: int = 3) -> list[Match]:
        """Procedures whose title or an alias resembles ``text``, best first; accents optional."""
        # A question made only of filler ("làm sao?") names no procedure.
        query = [t for t in _tokens(fold(text)) if t not in _FILLER]
        if not query or limit <= 0:
            return []
        with Session(self.engine) as session:
            procedures = session.execute(select(ProcedureRow.id, ProcedureRow.slug, ProcedureRow.title)).all()
            aliases = session.execute(select(AliasRow.procedure_id, AliasRow.folded)).all()
        names: dict[int, list[str]] = {p.id: [fold(p.title)] for p in procedures}
        for a in aliases:
            names[a.procedure_id].append(a.folded)
        matches = []
        for p in procedures:
            best = max(_score(query, _tokens(n)) for n in names[p.id])
            if best > 0:
                matches.append(Match(p.slug, p.title, best))
        matches.sort(key=lambda m: (-m.score, fold(m.title)))
        return matches[:limit]
