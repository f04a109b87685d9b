"""Opening hours: parse the CSV notation and say whether a place is open at a moment.

Notation (data/kb/help_points/README.md): ``T2-T6 07:30-11:30,13:30-17:00; T7 07:30-11:30``.
Days not listed are closed; two ranges on one day make a lunch break.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo

# Vietnam has one time zone and no daylight saving; tzdata (pinned) supplies it everywhere.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# Monday = 0, as datetime.weekday() counts.
DAY_CODES = ("t2", "t3", "t4", "t5", "t6", "t7", "cn")

_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class HoursError(ValueError):
    """The hours text does not follow the notation; the message says what is wrong."""


@dataclass(frozen=True, order=True)
class Period:
    weekday: int
    opens: int  # minutes since midnight
    closes: int


def _day(code: str, text: str) -> int:
    try:
        return DAY_CODES.index(code.strip().lower())
    except ValueError:
        raise HoursError(f"{code.strip()!r} in {text!r} is not a day (T2 … T7, CN)") from None


def _days(spec: str, text: str) -> List[int]:
    days: List[int] = []
    for part in spec.split(","):
        if "-" in part:
            first, last = (_day(x, text) for x in part.split("-", 1))
            if last < first:
                raise HoursError(f"day range {part.strip()!r} runs backwards")
            days.extend(range(first, last + 1))
        else:
            days.append(_day(part, text))
    return days


def _minutes(value: str, text: str) -> int:
    match = _TIME.fullmatch(value.strip())
    if not match:
        raise HoursError(f"{value.strip()!r} in {text!r} is not a time like 07:30")
    return int(match.group(1)) * 60 + int(match.group(2))


def parse_hours(text: str) -> Tuple[Period, ...]:
    """The periods the text describes, sorted; raises HoursError with the reason."""
    periods: List[Period] = []
    seen: set = set()
    groups = [g.strip() for g in text.split(";") if g.strip()]
    if not groups:
        raise HoursError("no opening hours given")
    for group in groups:
        parts = group.split(None, 1)
        if len(parts) != 2:
            raise HoursError(f"{group!r} needs days then times, e.g. 'T2-T6 07:30-17:00'")
        days, ranges = parts
        day_periods = []
        for item in ranges.replace(" ", "").split(","):
            if item.count("-") != 1:
                raise HoursError(f"{item!r} in {group!r} is not a range like 07:30-11:30")
            opens, closes = (_minutes(x, group) for x in item.split("-"))
            if closes <= opens:
                raise HoursError(f"{item!r} closes before it opens")
            day_periods.append((opens, closes))
        day_periods.sort()
        for (_, end), (start, _) in zip(day_periods, day_periods[1:], strict=False):
            if start < end:
                raise HoursError(f"ranges overlap in {group!r}")
        for day in _days(days, group):
            if day in seen:
                raise HoursError(f"{DAY_CODES[day].upper()} is given twice")
            seen.add(day)
            periods.extend(Period(day, o, c) for o, c in day_periods)
    return tuple(sorted(periods))


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def day_hours(periods: Iterable[Period], weekday: int) -> str:
    """ "07:30–11:30, 13:30–17:00" for that day, or "" when closed."""
    return ", ".join(f"{clock(p.opens)}–{clock(p.closes)}" for p in periods if p.weekday == weekday)


@dataclass(frozen=True)
class Status:
    """Open or not at a moment, and the next change: closes at, or opens on (day, time)."""

    is_open: bool
    closes: Optional[int] = None  # minutes, when open
    opens: Optional[int] = None  # minutes, when closed and it opens again within a week
    opens_in_days: int = 0  # 0 today, 1 tomorrow, ...
    opens_weekday: Optional[int] = None
    lunch: bool = False  # closed between two periods of the same day


def status_at(periods: Sequence[Period], moment: datetime.datetime) -> Status:
    """Whether the place is open at ``moment`` (any time zone; naive means Vietnam time)."""
    local = moment.replace(tzinfo=VIETNAM) if moment.tzinfo is None else moment.astimezone(VIETNAM)
    today = local.weekday()
    now = local.hour * 60 + local.minute
    todays = [p for p in periods if p.weekday == today]
    for p in todays:
        if p.opens <= now < p.closes:
            return Status(True, closes=p.closes)
    later = [p for p in todays if p.opens > now]
    if later:
        lunch = any(p.closes <= now for p in todays)
        return Status(False, opens=later[0].opens, opens_weekday=today, lunch=lunch)
    for ahead in range(1, 8):
        day = (today + ahead) % 7
        first = [p for p in periods if p.weekday == day]
        if first:
            return Status(False, opens=first[0].opens, opens_in_days=ahead, opens_weekday=day)
    return Status(False)


def now_in_vietnam() -> datetime.datetime:
    return datetime.datetime.now(VIETNAM)
