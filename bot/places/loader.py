"""Store the administrative map and help points in the KB database.

The map is replaced only when the packages that built it changed. Help points are
upserted by ``code`` in one transaction, so a second import of the same file changes
nothing; ``prune`` also removes points the files no longer list.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from bot.kb.models import make_engine, safe_url, sqlite_path
from bot.places.hours import Period
from bot.places.importer import ImportedPoint, read_help_points
from bot.places.models import (
    CHANGED_KEY,
    CommuneRow,
    FormerNameRow,
    HelpPointRow,
    MetaRow,
    OpeningRow,
    PlacesBase,
    ProvinceRow,
)
from bot.places.units import Units, build_units

log = logging.getLogger(__name__)

UNITS_VERSION_KEY = "units_version"
HELP_POINTS_DIR = "help_points"


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    unchanged: int
    removed: int
    url: str  # password masked

    def __str__(self) -> str:
        return (
            f"Help points: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.removed} removed in {self.url}"
        )


def _create_tables(engine: Engine) -> None:
    path = sqlite_path(engine.url)
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    PlacesBase.metadata.create_all(engine)


def load_units(engine: Engine, units: Optional[Units] = None) -> bool:
    """Store today's map and the former names unless this version is already stored.

    Returns whether anything was written. Help points keep their commune codes, which
    are official and stable, so replacing the map does not touch them.
    """
    _create_tables(engine)
    with Session(engine) as session:
        stored = session.get(MetaRow, UNITS_VERSION_KEY)
        version = stored.value if stored else None
    units = units or build_units()
    if version == units.version:
        return False
    with Session(engine) as session, session.begin():
        session.execute(delete(FormerNameRow))
        existing = set(session.scalars(select(CommuneRow.code)))
        # Upsert rather than delete: help points refer to communes by foreign key.
        for p in units.provinces:
            session.merge(ProvinceRow(code=p.code, name=p.name, short_name=p.short_name))
        session.flush()
        for c in units.communes:
            session.merge(
                CommuneRow(code=c.code, name=c.name, short_name=c.short_name, province_code=c.province_code)
            )
        gone = existing - {c.code for c in units.communes}
        if gone:
            log.warning("%d communes left the official list; their help points keep the old code", len(gone))
        session.add_all(
            FormerNameRow(
                level=f.level,
                name=f.name,
                former_district=f.former_district,
                former_province=f.former_province,
                province_code=f.province_code,
                commune_code=f.commune_code,
            )
            for f in units.former
        )
        session.merge(MetaRow(key=UNITS_VERSION_KEY, value=units.version))
        session.merge(MetaRow(key=CHANGED_KEY, value=units.version))
    return True


# Compared as they are; services and opening hours need converting between the two forms.
_PLAIN_FIELDS = (
    "kind", "name", "address", "commune_code", "latitude", "longitude",
    "phone", "source_url", "last_reviewed", "note",
)  # fmt: skip


def _canonical(point: ImportedPoint) -> tuple:
    plain = tuple(getattr(point, f) for f in _PLAIN_FIELDS)
    return (*plain, ";".join(point.services), tuple(point.periods))


def _row_canonical(row: HelpPointRow) -> tuple:
    plain = tuple(getattr(row, f) for f in _PLAIN_FIELDS)
    return (*plain, row.services, tuple(Period(o.weekday, o.opens, o.closes) for o in row.openings))


def _fill(row: HelpPointRow, point: ImportedPoint) -> None:
    for name in _PLAIN_FIELDS:
        setattr(row, name, getattr(point, name))
    row.services = ";".join(point.services)
    row.openings = [OpeningRow(weekday=p.weekday, opens=p.opens, closes=p.closes) for p in point.periods]


def store_help_points(engine: Engine, points: Sequence[ImportedPoint], prune: bool = False) -> Dict[str, int]:
    """Upsert ``points`` by code in one transaction; with ``prune``, delete the others."""
    counts = {"added": 0, "updated": 0, "unchanged": 0, "removed": 0}
    with Session(engine) as session, session.begin():
        rows = {
            r.code: r
            for r in session.scalars(select(HelpPointRow).options(selectinload(HelpPointRow.openings)))
        }
        for point in points:
            row = rows.pop(point.code, None)
            if row is None:
                row = HelpPointRow(code=point.code)
                _fill(row, point)
                session.add(row)
                counts["added"] += 1
            elif _row_canonical(row) != _canonical(point):
                _fill(row, point)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        if prune:
            for row in rows.values():
                session.delete(row)
                counts["removed"] += 1
        if counts["added"] or counts["updated"] or counts["removed"]:
            # Readers compare this stamp (one small query) to know when to load again.
            stamp = datetime.datetime.now(datetime.timezone.utc).isoformat()
            session.merge(MetaRow(key=CHANGED_KEY, value=stamp))
    return counts


def import_help_points(
    paths: Iterable[Path], url: str, prune: bool = False, today: Optional[datetime.date] = None
) -> ImportReport:
    """Validate every file, then upsert. Raises HelpPointsError and writes nothing on any mistake."""
    units = build_units()
    points = read_help_points(list(paths), units, today=today)
    engine = make_engine(url)
    try:
        load_units(engine, units)
        counts = store_help_points(engine, points, prune=prune)
    finally:
        engine.dispose()
    return ImportReport(url=safe_url(url), **counts)


def content_files(content_dir: Path) -> List[Path]:
    """The help-point files of a content folder (data/kb/help_points/*.csv), sorted."""
    return sorted((Path(content_dir) / HELP_POINTS_DIR).glob("*.csv"))


def load_places(content_dir: Path, url: str, today: Optional[datetime.date] = None) -> ImportReport:
    """What ``make kb`` does: the map, then the folder's help points as the whole list."""
    return import_help_points(content_files(content_dir), url, prune=True, today=today)
