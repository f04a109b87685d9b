"""Read help points from CSV files (format: data/kb/help_points/README.md) and validate them.

Every row is checked and every problem reported as ``file:line:field: reason`` before
anything is raised, so one run shows every mistake; ``loader`` stores only a clean set.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Set, Tuple

from bot.places.hours import HoursError, Period, parse_hours
from bot.places.models import FORMER_COMMUNE, FORMER_DISTRICT, FORMER_PROVINCE, KINDS, SERVICES
from bot.places.place_names import split_type
from bot.places.units import Commune, Units, match_key
from bot.text import fold, nfc

# Type words of today's communes ("thị trấn" and districts went on 1/7/2025).
COMMUNE_TYPES = ("xa", "phuong", "dac khu")

REQUIRED = (
    "code",
    "kind",
    "name",
    "address",
    "commune",
    "province",
    "latitude",
    "longitude",
    "hours",
    "source_url",
    "last_reviewed",
)
OPTIONAL = ("phone", "services", "note")
COLUMNS = REQUIRED + OPTIONAL

# A generous box around Vietnam's land and islands, to catch swapped or mistyped numbers.
LATITUDE = (8.0, 24.0)
LONGITUDE = (102.0, 110.0)
_CODE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_PHONE = re.compile(r"\+?[0-9 .()-]+")
MAX_TEXT = 300
MAX_NOTE = 1000  # operators' notes carry sources and caveats; never shown


class RowIssue(NamedTuple):
    file: str
    line: int  # 0: about the whole file
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.field}: {self.reason}"


class HelpPointsError(Exception):
    """The CSV has mistakes; ``errors`` lists every one."""

    def __init__(self, errors: Iterable[RowIssue]):
        self.errors = list(errors)
        super().__init__("\n".join(map(str, self.errors)))


@dataclass(frozen=True)
class ImportedPoint:
    code: str
    kind: str
    name: str
    address: str
    commune_code: int
    latitude: float
    longitude: float
    periods: Tuple[Period, ...]
    phone: str
    services: Tuple[str, ...]
    source_url: str
    last_reviewed: datetime.date
    note: str


class _Row:
    """One CSV row being checked: collects issues instead of stopping at the first."""

    def __init__(self, file: str, line: int, values: Dict[str, str], issues: List[RowIssue]):
        self.file, self.line, self.values, self.issues = file, line, values, issues

    def fail(self, field: str, reason: str) -> None:
        self.issues.append(RowIssue(self.file, self.line, field, reason))

    def text(self, field: str, required: bool = True, limit: int = MAX_TEXT) -> str:
        value = nfc(" ".join((self.values.get(field) or "").split()))
        if required and not value:
            self.fail(field, "is empty")
        elif len(value) > limit:
            self.fail(field, f"is longer than {limit} characters")
        return value

    def number(self, field: str, low: float, high: float) -> float:
        raw = self.text(field)
        if not raw:
            return 0.0
        try:
            value = float(raw)
        except ValueError:
            hint = " (use a dot for decimals: 10.776)" if "," in raw else ""
            self.fail(field, f"{raw!r} is not a number{hint}")
            return 0.0
        if not low <= value <= high:
            self.fail(field, f"{value} is outside Vietnam ({low}–{high}); are the two swapped?")
        return value


class _Lookup:
    """Today's units indexed once per import, by code and by comparable name."""

    def __init__(self, units: Units):
        self.province_names = {p.code: p.name for p in units.provinces}
        self.provinces: Dict[str, int] = {}
        for p in units.provinces:
            self.provinces[str(p.code)] = self.provinces[f"{p.code:02d}"] = p.code
            self.provinces[match_key(p.name)] = p.code
        self.former_provinces = {
            match_key(f.name): f.province_code for f in units.former if f.level == FORMER_PROVINCE
        }
        self.communes: Dict[Tuple[int, str], List[Commune]] = defaultdict(list)
        for c in units.communes:
            self.communes[(c.province_code, str(c.code))].append(c)
            self.communes[(c.province_code, match_key(c.name))].append(c)
        commune_names = {c.code: c.name for c in units.communes}
        self.former: Dict[Tuple[int, str], Set[str]] = defaultdict(set)
        for f in units.former:
            if f.level in (FORMER_DISTRICT, FORMER_COMMUNE) and f.commune_code is not None:
                self.former[(f.province_code, match_key(f.name))].add(commune_names[f.commune_code])


def _province(row: _Row, lookup: _Lookup) -> Optional[int]:
    raw = row.text("province")
    if not raw:
        return None
    code = lookup.provinces.get(raw) or lookup.provinces.get(match_key(raw))
    if code is not None:
        return code
    former = lookup.former_provinces.get(match_key(raw))
    if former is not None:
        today = lookup.province_names[former]
        row.fail("province", f"{raw!r} is a former province; since 1/7/2025 it is part of {today}")
    else:
        row.fail("province", f"{raw!r} is not one of today's 34 provinces and cities")
    return None


def _commune(row: _Row, lookup: _Lookup, province: Optional[int]) -> Optional[int]:
    raw = row.text("commune")
    if not raw or province is None:
        return None
    type_word, _ = split_type(fold(raw))
    found: List[Commune] = []
    if raw.isdigit():
        found = lookup.communes.get((province, str(int(raw))), [])
    elif type_word in ("", *COMMUNE_TYPES):
        found = lookup.communes.get((province, match_key(raw)), [])
        if type_word:  # "Phường X" must not match "Xã X"
            found = [c for c in found if fold(c.name) == fold(raw)]
        # "Tân Thạnh" and "Tân Thành" are two communes of one province: trust the marks.
        exact = [
            c for c in found if nfc(c.short_name).lower() == raw.lower() or nfc(c.name).lower() == raw.lower()
        ]
        found = exact or found
    if len(found) == 1:
        return found[0].code
    province_name = lookup.province_names[province]
    if len(found) > 1:
        codes = ", ".join(f"{c.name} ({c.code})" for c in found)
        row.fail("commune", f"{raw!r} is ambiguous in {province_name}: give the code, one of {codes}")
        return None
    names = set() if raw.isdigit() else lookup.former.get((province, match_key(raw)), set())
    hint = f"; as a former name it is now in: {', '.join(sorted(names))}" if names else ""
    row.fail("commune", f"{raw!r} is not a commune or ward of {province_name} today{hint}")
    return None


def _check_row(row: _Row, lookup: _Lookup, today: datetime.date) -> Optional[ImportedPoint]:
    before = len(row.issues)
    code = row.text("code")
    if code and not _CODE.fullmatch(code):
        row.fail("code", f"{code!r} may hold only letters, digits, '.', '_' and '-' (64 at most)")
    kind = row.text("kind")
    if kind and kind not in KINDS:
        row.fail("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    name, address = row.text("name"), row.text("address")
    province = _province(row, lookup)
    commune = _commune(row, lookup, province)
    latitude = row.number("latitude", *LATITUDE)
    longitude = row.number("longitude", *LONGITUDE)
    periods: Tuple[Period, ...] = ()
    hours = row.text("hours")
    if hours:
        try:
            periods = parse_hours(hours)
        except HoursError as exc:
            row.fail("hours", str(exc))
    phone = row.text("phone", required=False)
    if phone and (not _PHONE.fullmatch(phone) or not 8 <= len(re.sub(r"\D", "", phone)) <= 15):
        row.fail("phone", f"{phone!r} is not a phone number (8–15 digits; spaces, dots, + allowed)")
    services = tuple(s.strip() for s in row.text("services", required=False).split(";") if s.strip())
    for service in services:
        if service not in SERVICES:
            row.fail("services", f"{service!r} is not one of {', '.join(SERVICES)}")
    if len(set(services)) != len(services):
        row.fail("services", "lists a service twice")
    source = row.text("source_url")
    if source and not re.fullmatch(r"https?://[^\s/]+\.[^\s]+", source):
        row.fail("source_url", f"{source!r} is not an http(s) address")
    reviewed = today
    raw_date = row.text("last_reviewed")
    if raw_date:
        try:
            reviewed = datetime.date.fromisoformat(raw_date)
        except ValueError:
            row.fail("last_reviewed", f"{raw_date!r} is not a date like 2026-11-22")
        else:
            if reviewed > today:
                row.fail("last_reviewed", f"{raw_date} is in the future")
    note = row.text("note", required=False, limit=MAX_NOTE)
    if len(row.issues) > before:
        return None
    return ImportedPoint(
        code=code,
        kind=kind,
        name=name,
        address=address,
        commune_code=commune,
        latitude=round(latitude, 6),
        longitude=round(longitude, 6),
        periods=periods,
        phone=phone,
        services=services,
        source_url=source,
        last_reviewed=reviewed,
        note=note,
    )


def _read_file(
    path: Path, lookup: _Lookup, today: datetime.date, issues: List[RowIssue]
) -> List[Tuple[int, ImportedPoint]]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        issues.append(RowIssue(name, 0, "-", f"is not UTF-8 (byte {exc.start}); save it as CSV UTF-8"))
        return []
    except OSError as exc:
        issues.append(RowIssue(name, 0, "-", f"cannot be read: {exc.strerror}"))
        return []
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        issues.append(RowIssue(name, 1, "-", "is empty; the first row must name the columns"))
        return []
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    doubled = sorted({c for c in header if header.count(c) > 1})
    for column in missing:
        issues.append(RowIssue(name, 1, column, "column is missing"))
    for column in unknown:
        issues.append(RowIssue(name, 1, column, f"unknown column (allowed: {', '.join(COLUMNS)})"))
    for column in doubled:
        issues.append(RowIssue(name, 1, column, "column appears twice"))
    if missing or unknown or doubled:
        return []
    points = []
    start = reader.line_num + 1
    for values in reader:
        line, start = start, reader.line_num + 1
        if not any((v or "").strip() for k, v in values.items() if k is not None):
            continue  # blank line
        row = _Row(name, line, values, issues)
        if values.get(None):
            row.fail("-", f"has {len(header) + len(values[None])} fields; the header has {len(header)}")
            continue
        if any(values.get(c) is None for c in header):
            row.fail("-", f"has fewer fields than the header's {len(header)}")
            continue
        point = _check_row(row, lookup, today)
        if point is not None:
            points.append((line, point))
    return points


def read_help_points(
    paths: Sequence[Path], units: Units, today: Optional[datetime.date] = None
) -> List[ImportedPoint]:
    """Every help point in ``paths``; raises HelpPointsError listing every problem."""
    today = today or datetime.date.today()
    issues: List[RowIssue] = []
    seen: Dict[str, Tuple[str, int]] = {}
    points: List[ImportedPoint] = []
    lookup = _Lookup(units)
    for path in paths:
        for line, point in _read_file(Path(path), lookup, today, issues):
            if point.code in seen:
                first = "{}:{}".format(*seen[point.code])
                issues.append(RowIssue(str(path), line, "code", f"{point.code!r} is already used at {first}"))
                continue
            seen[point.code] = (str(path), line)
            points.append(point)
    if issues:
        raise HelpPointsError(issues)
    return points
