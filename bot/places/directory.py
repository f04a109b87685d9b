"""Read-only help-point directory: loaded once from the KB database, searched in memory.

The whole map (3,321 communes, about 14,000 former names) and the help points fit in a
few megabytes, and an in-memory index answers in milliseconds on every database.
"""

from __future__ import annotations

import datetime
import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from bot.kb.models import make_engine
from bot.places.hours import Period, Status, status_at
from bot.places.models import (
    CHANGED_KEY,
    KINDS,
    CommuneRow,
    FormerNameRow,
    HelpPointRow,
    MetaRow,
    OpeningRow,
    PlacesBase,
    ProvinceRow,
)
from bot.places.models import (
    FORMER_COMMUNE as ROW_FORMER_COMMUNE,
)
from bot.places.models import (
    FORMER_DISTRICT as ROW_FORMER_DISTRICT,
)
from bot.places.place_names import (
    COMMUNE,
    FORMER_COMMUNE,
    FORMER_DISTRICT,
    FORMER_PROVINCE,
    PROVINCE,
    Area,
    PlaceIndex,
    Target,
    split_type,
)
from bot.text import fold

EARTH_RADIUS_KM = 6371.0


class DirectoryMissing(RuntimeError):
    """The places tables are not in the database yet (run `make kb`)."""


@dataclass(frozen=True)
class HelpPoint:
    code: str
    kind: str
    name: str
    address: str
    commune: str  # "Phường Bến Thành"
    province: str  # "Thành phố Hồ Chí Minh"
    commune_code: int
    province_code: int
    latitude: float
    longitude: float
    phone: str
    services: Tuple[str, ...]
    periods: Tuple[Period, ...]
    source_url: str
    last_reviewed: datetime.date

    def status(self, moment: datetime.datetime) -> Status:
        return status_at(self.periods, moment)


@dataclass(frozen=True)
class Found:
    point: HelpPoint
    distance_km: Optional[float]  # when the search had coordinates


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine); within a few metres at these scales."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


class HelpPointDirectory:
    def __init__(
        self,
        provinces: Dict[int, str],
        communes: Dict[int, Tuple[str, int]],
        targets: Sequence[Target],
        points: Sequence[HelpPoint],
    ):
        self.provinces = provinces
        self.communes = communes
        self.points = list(points)
        self.index = PlaceIndex(targets)

    @staticmethod
    def stamp(url: str) -> Optional[str]:
        """When the help points or the map last changed (bot.places.loader writes it)."""
        engine = make_engine(url)
        try:
            with Session(engine) as session:
                row = session.get(MetaRow, CHANGED_KEY)
                return row.value if row else None
        finally:
            engine.dispose()

    @classmethod
    def from_url(cls, url: str) -> HelpPointDirectory:
        engine = make_engine(url)
        try:
            tables = set(inspect(engine).get_table_names())
            missing = {t.name for t in PlacesBase.metadata.sorted_tables} - tables
            if missing:
                raise DirectoryMissing(f"no help-point tables ({', '.join(sorted(missing))}); run `make kb`")
            with Session(engine) as session:
                return cls._load(session)
        finally:
            engine.dispose()

    @classmethod
    def _load(cls, session: Session) -> HelpPointDirectory:
        provinces = {p.code: p.name for p in session.scalars(select(ProvinceRow))}
        communes = {c.code: (c.name, c.province_code) for c in session.scalars(select(CommuneRow))}
        targets: List[Target] = []
        for code, name in provinces.items():
            targets.append(_target(PROVINCE, name, code, frozenset()))
        for code, (name, province) in communes.items():
            targets.append(_target(COMMUNE, name, province, frozenset([code])))
        grouped: Dict[tuple, set] = defaultdict(set)
        for row in session.scalars(select(FormerNameRow)):
            level = {ROW_FORMER_DISTRICT: FORMER_DISTRICT, ROW_FORMER_COMMUNE: FORMER_COMMUNE}.get(
                row.level, FORMER_PROVINCE
            )
            key = (level, row.name, row.former_district, row.former_province, row.province_code)
            if row.commune_code is not None:
                grouped[key].add(row.commune_code)
            else:
                grouped.setdefault(key, set())
        # A former province covers the communes its districts went to.
        by_former_province: Dict[Tuple[str, int], set] = defaultdict(set)
        for (level, _, _, former_province, province), codes in grouped.items():
            if level == FORMER_DISTRICT:
                by_former_province[(former_province, province)] |= codes
        for (level, name, district, former_province, province), codes in grouped.items():
            if level == FORMER_PROVINCE:
                codes = by_former_province[(name, province)]
            targets.append(_target(level, name, province, frozenset(codes), former_province, district or ""))
        # Plain rows, not ORM objects: a national list (~20,000 points) loads in about a second.
        periods: Dict[int, List[Period]] = defaultdict(list)
        openings = OpeningRow.__table__.c
        for row in session.execute(
            select(openings.help_point_id, openings.weekday, openings.opens, openings.closes)
        ):
            periods[row[0]].append(Period(row[1], row[2], row[3]))
        points = []
        for r in session.execute(select(HelpPointRow.__table__)).mappings():
            if r["commune_code"] not in communes:
                continue
            commune, province = communes[r["commune_code"]]
            points.append(
                HelpPoint(
                    code=r["code"],
                    kind=r["kind"],
                    name=r["name"],
                    address=r["address"],
                    commune=commune,
                    province=provinces[province],
                    commune_code=r["commune_code"],
                    province_code=province,
                    latitude=r["latitude"],
                    longitude=r["longitude"],
                    phone=r["phone"],
                    services=tuple(s for s in r["services"].split(";") if s),
                    periods=tuple(sorted(periods[r["id"]])),
                    source_url=r["source_url"],
                    last_reviewed=r["last_reviewed"],
                )
            )
        return cls(provinces, communes, targets, points)

    def areas(self, text: str) -> List[Area]:
        """Today's areas the text names (current or former names), best first."""
        return self.index.find(text)

    def area_label(self, area: Area) -> str:
        """ "Xã Cam Lộ, Tỉnh Quảng Trị", or a former name with what it is now."""
        best = area.best
        province = self.provinces[area.province_code]
        if best.level == PROVINCE:
            return province
        if best.level == COMMUNE:
            return f"{best.name}, {province}"
        if best.level == FORMER_PROVINCE:
            return f"{best.name} (cũ), nay thuộc {province}"
        names = sorted(self.communes[c][0] for c in best.communes)
        if len(names) > 3:
            now = f"{len(names)} xã, phường của {province}"
        else:
            now = ", ".join(names[:-1]) + f" và {names[-1]}" if len(names) > 1 else "".join(names)
            now = f"{now}, {province}" if now else province
        old = best.name
        if best.former_district:
            old += f", {best.former_district}"
        if best.former_province and fold(best.former_province) != fold(province):
            old += f", {best.former_province}"
        return f"{old} (cũ), nay là {now}"

    def province_area(self, province_code: int) -> Area:
        """The whole province, to look a little wider when a commune has no points yet."""
        name = self.provinces[province_code]
        return Area(province_code, [_target(PROVINCE, name, province_code, frozenset())])

    def by_code(self, code: str) -> Optional[HelpPoint]:
        return next((p for p in self.points if p.code == code), None)

    def covered(self, area: Area) -> int:
        """How many help points an area has (to pick among namesakes)."""
        return sum(1 for _ in self._in_area(self.points, area))

    def _in_area(self, points: Iterable[HelpPoint], area: Area) -> Iterable[HelpPoint]:
        communes = area.communes
        for p in points:
            if p.province_code == area.province_code and (not communes or p.commune_code in communes):
                yield p

    def search(
        self,
        area: Optional[Area] = None,
        near: Optional[Tuple[float, float]] = None,
        kinds: FrozenSet[str] = frozenset(),
        limit: Optional[int] = None,
    ) -> List[Found]:
        """Help points in ``area`` and/or nearest to ``near`` (lat, lon), of ``kinds`` (all if empty).

        With coordinates: nearest first. Without: the named commune's points first, then
        by kind (post office, one-stop desk, police) and name. ``limit`` keeps the first ones.
        """
        points: Iterable[HelpPoint] = self.points
        if kinds:
            points = [p for p in points if p.kind in kinds]
        if area is not None:
            points = list(self._in_area(points, area))
        if near is not None:
            lat, lon = near
            if limit is not None:
                # A flat-earth distance orders nearby points like the great circle does and
                # costs a fraction: shortlist with it, then measure the shortlist properly.
                scale = math.cos(math.radians(lat)) ** 2
                points = heapq.nsmallest(
                    limit * 3,
                    points,
                    key=lambda p: (p.latitude - lat) ** 2 + scale * (p.longitude - lon) ** 2,
                )
            found = [Found(p, distance_km(lat, lon, p.latitude, p.longitude)) for p in points]
            return sorted(found, key=lambda f: (f.distance_km, f.point.name))[:limit]
        primary = area.primary if area is not None else frozenset()
        ordered = sorted(
            points,
            key=lambda p: (p.commune_code not in primary, KINDS.index(p.kind), fold(p.name)),
        )
        return [Found(p, None) for p in ordered[:limit]]


@dataclass(frozen=True)
class Answer:
    """What a search found and how wide it had to look.

    scope: "area" (in the named place or nearest the user), "nearby" (none of that kind in
    the place: the closest of that kind to the place's other points), "province" (none in
    the place at all: the rest of its province), or "none".
    """

    found: List[Found]
    scope: str
    kinds_dropped: bool = False  # nothing of the asked kind anywhere near: other kinds shown


def _centre(points: Sequence[HelpPoint]) -> Optional[Tuple[float, float]]:
    if not points:
        return None
    return (
        sum(p.latitude for p in points) / len(points),
        sum(p.longitude for p in points) / len(points),
    )


def find(
    places: HelpPointDirectory,
    area: Optional[Area],
    near: Optional[Tuple[float, float]],
    kinds: FrozenSet[str],
    limit: Optional[int] = None,
) -> Answer:
    """Search the way a person would: the place first, then around it, then its province."""
    for kind_filter in [kinds, frozenset()] if kinds else [frozenset()]:
        dropped = kind_filter != kinds
        found = places.search(area, near, kind_filter, limit)
        if found:
            return Answer(found, "area", dropped)
        if area is None:
            continue
        wider = places.province_area(area.province_code)
        anchor = near or _centre([f.point for f in places.search(area)])
        if anchor is not None:
            # Distances from the place's other points mean nothing to the user: drop them.
            nearby = places.search(wider, anchor, kind_filter, limit)
            if nearby:
                found = nearby if near else [Found(f.point, None) for f in nearby]
                return Answer(found, "nearby", dropped)
        found = places.search(wider, None, kind_filter, limit)
        if found:
            return Answer(found, "province", dropped)
    return Answer([], "none")


def _target(
    level: str,
    name: str,
    province: int,
    communes: FrozenSet[int],
    former_province: str = "",
    former_district: str = "",
) -> Target:
    type_word, _ = split_type(fold(name))
    return Target(level, name, type_word, province, communes, former_province, former_district)
