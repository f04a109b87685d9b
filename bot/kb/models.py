"""SQLAlchemy tables of the knowledge base: a procedure and its ordered parts."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    inspect,
)
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import declarative_base, declared_attr, relationship

# The "kb_" prefix keeps these tables apart if the KB shares a database with other data.
Base = declarative_base()


class ProcedureRow(Base):
    __tablename__ = "kb_procedures"
    # Several NULL levels are allowed: only entries that set a level are variants.
    __table_args__ = (UniqueConstraint("family", "level"),)

    id = Column(Integer, primary_key=True)
    slug = Column(String(100), nullable=False, unique=True)
    intent = Column(String(100), nullable=False, unique=True)
    title = Column(Text, nullable=False)
    category = Column(String(32), nullable=False)
    summary = Column(Text, nullable=False)
    # "where" is an SQL keyword: give the column a plain name.
    where = Column("where_done", Text, nullable=False)
    fee = Column(Text, nullable=False)
    processing_time = Column(Text, nullable=False)
    last_reviewed = Column(Date, nullable=False)
    # Optional: the day a known rule of the entry ends, when it must be reviewed again.
    review_by = Column(Date, nullable=True)
    # Optional: variants of one task (family) told apart by VNeID account level.
    family = Column(String(100), nullable=True, index=True)
    level = Column(Integer, nullable=True)

    aliases = relationship("AliasRow", order_by="AliasRow.position", cascade="all, delete-orphan")
    steps = relationship("StepRow", order_by="StepRow.position", cascade="all, delete-orphan")
    papers = relationship("PaperRow", order_by="PaperRow.position", cascade="all, delete-orphan")
    legal_basis = relationship(
        "LegalBasisRow", order_by="LegalBasisRow.position", cascade="all, delete-orphan"
    )
    links = relationship("LinkRow", order_by="LinkRow.position", cascade="all, delete-orphan")
    questions = relationship("QuestionRow", order_by="QuestionRow.position", cascade="all, delete-orphan")


def _procedure_fk() -> Column:
    return Column(Integer, ForeignKey("kb_procedures.id", ondelete="CASCADE"), nullable=False)


class AliasRow(Base):
    __tablename__ = "kb_aliases"

    id = Column(Integer, primary_key=True)
    procedure_id = _procedure_fk()
    position = Column(Integer, nullable=False)
    text = Column(Text, nullable=False)
    # fold(text), stored so search need not recompute it; unique across the whole KB.
    folded = Column(String(255), nullable=False, unique=True)


class _OrderedText:
    """One item of a procedure's ordered list of short texts (steps, papers, legal basis)."""

    id = Column(Integer, primary_key=True)
    position = Column(Integer, nullable=False)
    text = Column(Text, nullable=False)

    @declared_attr
    def procedure_id(cls) -> Column:  # noqa: N805 - SQLAlchemy passes the class
        return _procedure_fk()

    @declared_attr
    def __table_args__(cls) -> tuple:  # noqa: N805
        return (UniqueConstraint("procedure_id", "position"),)


class StepRow(_OrderedText, Base):
    __tablename__ = "kb_steps"


class PaperRow(_OrderedText, Base):
    __tablename__ = "kb_papers"


class LegalBasisRow(_OrderedText, Base):
    __tablename__ = "kb_legal_basis"


LINK_OFFICIAL = "official"
LINK_SOURCE = "source"


class LinkRow(Base):
    """An official link or a source; ``kind`` tells which, ``position`` orders within a kind."""

    __tablename__ = "kb_links"
    __table_args__ = (UniqueConstraint("procedure_id", "kind", "position"),)

    id = Column(Integer, primary_key=True)
    procedure_id = _procedure_fk()
    kind = Column(String(16), nullable=False)
    position = Column(Integer, nullable=False)
    title = Column(Text, nullable=False)
    url = Column(Text, nullable=False)


class QuestionRow(Base):
    """A question people ask about a procedure: its wordings (one per line) and short answer."""

    __tablename__ = "kb_questions"
    __table_args__ = (UniqueConstraint("procedure_id", "position"),)

    id = Column(Integer, primary_key=True)
    procedure_id = _procedure_fk()
    position = Column(Integer, nullable=False)
    asks = Column(Text, nullable=False)
    answer = Column(Text, nullable=False)
    source_url = Column(Text, nullable=False)
    last_reviewed = Column(Date, nullable=False)


def outdated_tables(engine: Engine) -> list[str]:
    """KB tables that exist but lack a column this code needs (made by an older version)."""
    inspector = inspect(engine)
    existing = set(inspector.get_table_names())
    return [
        table.name
        for table in Base.metadata.sorted_tables
        if table.name in existing
        and {c.name for c in table.columns} - {c["name"] for c in inspector.get_columns(table.name)}
    ]


def sqlite_path(url: str | URL) -> str | None:
    """The file behind an SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def make_engine(url: str) -> Engine:
    """An engine in SQLAlchemy 2.0 style; creating it does not connect."""
    return create_engine(url, future=True)


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # unparsable: show nothing rather than risk showing a password
        return "<invalid database URL>"
