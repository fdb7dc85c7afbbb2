"""Time helpers: the SPEC timestamp grammar (section 2) and local calendar periods
(section 6).

All instants are naive `datetime` objects in UTC (microsecond precision). Local days come
from converting each instant to the reporting timezone with `zoneinfo`, never from adding
24-hour intervals (section 13).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# SPEC section 2: YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|+HH:MM|+HHMM|+HH]
# (the offset sign may be + or -). Anything else does not parse.
TIMESTAMP_RE = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"(?:[T ](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?)?)?"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2}|[+-][0-9]{4}|[+-][0-9]{2})?"
)


def parse_timestamp(text: str | None) -> datetime | None:
    """Parse one timestamp candidate to a naive UTC datetime, or None if it does not parse.

    Digits past microseconds are dropped (truncated); no offset means UTC; a bare date is
    midnight UTC. Out-of-range fields (month 13, 25:00, Feb 30) do not parse.
    """
    if text is None:
        return None
    match = TIMESTAMP_RE.fullmatch(text)
    if match is None:
        return None
    fraction = (match.group("fraction") or "")[:6].ljust(6, "0")
    try:
        value = datetime(
            int(match.group("year")),
            int(match.group("month")),
            int(match.group("day")),
            int(match.group("hour") or 0),
            int(match.group("minute") or 0),
            int(match.group("second") or 0),
            int(fraction),
        )
    except ValueError:
        return None
    offset = match.group("offset")
    if offset and offset != "Z":
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        hours = int(digits[:2])
        minutes = int(digits[2:4]) if len(digits) > 2 else 0
        if hours > 23 or minutes > 59:
            return None
        try:
            value = value - sign * timedelta(hours=hours, minutes=minutes)
        except OverflowError:
            return None
    return value


def format_timestamp(value: datetime | None) -> str | None:
    """ISO-8601 text of a naive UTC instant, for messages."""
    return None if value is None else value.isoformat(sep=" ")


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_date(instant: datetime, tz_name: str) -> date:
    """SPEC section 6: the calendar day of a UTC instant in the reporting timezone."""
    aware = instant.replace(tzinfo=UTC)
    return aware.astimezone(_zone(tz_name)).date()


def week_start(day: date) -> date:
    """Weeks start on Monday (section 6)."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def period_start(day: date, grain: str) -> date:
    if grain == "day":
        return day
    if grain == "week":
        return week_start(day)
    if grain == "month":
        return month_start(day)
    raise ValueError(grain)


def add_periods(start: date, grain: str, count: int) -> date:
    """The period `count` periods after the period starting at `start`."""
    if grain == "day":
        return start + timedelta(days=count)
    if grain == "week":
        return start + timedelta(days=7 * count)
    if grain == "month":
        months = start.year * 12 + (start.month - 1) + count
        return date(months // 12, months % 12 + 1, 1)
    raise ValueError(grain)


def period_index(start: date, grain: str) -> int:
    """An integer that grows by one per period (for differences between periods)."""
    if grain == "day":
        return start.toordinal()
    if grain == "week":
        return week_start(start).toordinal() // 7
    if grain == "month":
        return start.year * 12 + (start.month - 1)
    raise ValueError(grain)


def period_end(start: date, grain: str) -> date:
    """The last day of the period starting at `start`."""
    return add_periods(start, grain, 1) - timedelta(days=1)


def date_range(first: date, last: date) -> list[date]:
    days = []
    current = first
    while current <= last:
        days.append(current)
        current += timedelta(days=1)
    return days
