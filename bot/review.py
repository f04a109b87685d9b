"""What in the KB needs an editor: ``python -m bot.review`` (``make review``).

Lists, from the content files (no database needed):

- entries due: ``last_reviewed`` older than REVIEW_AFTER_DAYS, or ``review_by`` passed
  (or within DUE_SOON_DAYS, listed apart as "soon");
- sources and question sources that are not official sites (``bot.links.is_official``),
  with the share of official sources over the whole KB;
- links on the domains of provinces merged away or districts abolished on 1/7/2025,
  which are likely to stop loading. The names come from the 2025 map (``bot.places.units``).

It reports; it never edits. The exit status is 0 unless the content itself is invalid.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence
from urllib.parse import urlsplit

from bot.kb.content import ContentError, Entry, load_content
from bot.links import is_official
from bot.places.models import FORMER_DISTRICT, FORMER_PROVINCE
from bot.places.units import Units, build_units, match_key
from bot.settings import load_settings

REVIEW_AFTER_DAYS = 183  # an entry's facts are checked again at least every 6 months
DUE_SOON_DAYS = 31  # a review_by within a month is listed as coming up

# Parts of provincial host names around the unit's name: "congan.hanam", "conganquangbinh",
# "dean06.hanam", "halongcity". Stripped before a label is compared with the map's names.
_HOST_PREFIXES = (
    "dichvucong",
    "congan",
    "dean06",
    "thanhtra",
    "sokhcn",
    "skhcn",
    "khcn",
    "sotp",
    "ubnd",
    "www",
)
_HOST_SUFFIXES = ("city",)
# Short forms of merged-away provinces met in the sources' host names (not derivable from the map).
_PROVINCE_SHORT_FORMS = {"qnam": "Tỉnh Quảng Nam", "py": "Tỉnh Phú Yên"}
_MIN_DISTRICT_KEY = 5  # shorter district names ("Sa Pa" -> "sapa") match too many labels


@dataclass(frozen=True)
class Link:
    slug: str
    where: str  # "sources[2]", "questions[4].source", ...
    url: str


@dataclass
class Review:
    today: datetime.date
    due: list[tuple[str, str]] = field(default_factory=list)  # (slug, why)
    soon: list[tuple[str, str]] = field(default_factory=list)
    unofficial: list[Link] = field(default_factory=list)  # entry sources only
    question_sources: int = 0
    official_question_sources: int = 0
    old_units: list[tuple[Link, str]] = field(default_factory=list)  # (link, unit it names)
    sources: int = 0
    official_sources: int = 0

    @property
    def official_share(self) -> float:
        return self.official_sources / self.sources if self.sources else 0.0


def former_unit_keys(units: Units) -> dict[str, str]:
    """Folded letter-only names of the provinces merged away and the districts abolished in 2025,
    each mapped to its full name; names that still belong to a province today are left out."""
    today = {match_key(p.name) for p in units.provinces}
    keys: dict[str, str] = {}
    for former in units.former:
        if former.level == FORMER_PROVINCE:
            keys.setdefault(match_key(former.name), former.name)
        elif former.level == FORMER_DISTRICT:
            key = match_key(former.name)
            if len(key) >= _MIN_DISTRICT_KEY and not key.isdigit():
                keys.setdefault(key, f"{former.name} ({former.former_province})")
    for short, name in _PROVINCE_SHORT_FORMS.items():
        keys.setdefault(short, name)
    return {k: v for k, v in keys.items() if k not in today}


def _label_keys(label: str) -> Iterator[str]:
    label = re.sub(r"[^a-z0-9]", "", label.lower())
    yield label
    for prefix in _HOST_PREFIXES:
        if label.startswith(prefix) and len(label) > len(prefix):
            yield label[len(prefix) :]
    for suffix in _HOST_SUFFIXES:
        if label.endswith(suffix) and len(label) > len(suffix):
            yield label[: -len(suffix)]


def names_former_unit(url: str, keys: dict[str, str]) -> str | None:
    """The merged province or abolished district a .gov.vn host is named after, if any."""
    host = (urlsplit(url).hostname or "").lower()
    if not host.endswith(".gov.vn"):
        return None
    # The broadest unit first: "xuanloc.thuongxuan.gov.vn" is the site of the district Thường Xuân.
    for label in reversed(host[: -len(".gov.vn")].split(".")):
        for key in _label_keys(label):
            if key in keys:
                return keys[key]
    return None


# What a URL of an entry is: only sources count in the official share.
OFFICIAL_LINK, SOURCE, QUESTION_SOURCE = "official link", "source", "question source"


def _links(entry: Entry) -> Iterator[tuple[Link, str]]:
    """Every URL of an entry, with what it is."""
    p = entry.procedure
    for i, link in enumerate(p.official_links):
        yield Link(p.slug, f"official_links[{i}]", link.url), OFFICIAL_LINK
    for i, link in enumerate(p.sources):
        yield Link(p.slug, f"sources[{i}]", link.url), SOURCE
    for i, answer in enumerate(p.questions):
        yield Link(p.slug, f"questions[{i}].source", answer.source), QUESTION_SOURCE


def review(entries: Iterable[Entry], today: datetime.date, keys: dict[str, str]) -> Review:
    result = Review(today)
    stale_before = today - datetime.timedelta(days=REVIEW_AFTER_DAYS)
    for entry in sorted(entries, key=lambda e: e.procedure.slug):
        p = entry.procedure
        if p.last_reviewed < stale_before:
            result.due.append((p.slug, f"last reviewed {p.last_reviewed.isoformat()}, over 6 months ago"))
        if p.review_by is not None and p.review_by <= today:
            result.due.append((p.slug, f"review_by {p.review_by.isoformat()} has passed"))
        elif p.review_by is not None and p.review_by <= today + datetime.timedelta(days=DUE_SOON_DAYS):
            result.soon.append((p.slug, f"review_by {p.review_by.isoformat()}"))
        for link, kind in _links(entry):
            official = is_official(link.url)
            if kind == SOURCE:
                result.sources += 1
                result.official_sources += official
                if not official:
                    result.unofficial.append(link)
            elif kind == QUESTION_SOURCE:
                result.question_sources += 1
                result.official_question_sources += official
            unit = names_former_unit(link.url, keys)
            if unit is not None:
                result.old_units.append((link, unit))
    return result


def to_text(result: Review) -> str:
    lines = [f"KB review on {result.today.isoformat()}", ""]
    lines.append(f"Due for review ({len(result.due)}):")
    lines += [f"  {slug}: {why}" for slug, why in result.due] or ["  none"]
    lines.append(f"Due within {DUE_SOON_DAYS} days ({len(result.soon)}):")
    lines += [f"  {slug}: {why}" for slug, why in result.soon] or ["  none"]
    lines.append(
        f"Sources: {result.official_sources} of {result.sources} official "
        f"({100 * result.official_share:.0f}%); sources not on official sites ({len(result.unofficial)}):"
    )
    lines += [f"  {x.slug} {x.where}: {x.url}" for x in result.unofficial] or ["  none"]
    lines.append(
        f"Question-item sources: {result.official_question_sources} of {result.question_sources} official"
    )
    lines.append(
        f"Links on the domains of merged provinces or abolished districts ({len(result.old_units)}):"
    )
    lines += [f"  {x.slug} {x.where}: {x.url} ({unit})" for x, unit in result.old_units] or ["  none"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.review", description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, help="content folder (default: KB_CONTENT_DIR or data/kb)")
    parser.add_argument(
        "--today", type=datetime.date.fromisoformat, help="review as of this day (YYYY-MM-DD)"
    )
    args = parser.parse_args(argv)
    today = args.today or datetime.date.today()
    try:
        entries = load_content(args.content or load_settings().content_dir, today=today)
    except ContentError as exc:
        for issue in exc.errors:
            print(issue, file=sys.stderr)
        print(f"KB: {len(exc.errors)} error(s); fix them first (python -m bot.kb check)", file=sys.stderr)
        return 1
    print(to_text(review(entries, today, former_unit_keys(build_units()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
