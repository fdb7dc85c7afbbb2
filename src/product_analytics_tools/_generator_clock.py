"""Fast, allocation-light timestamp formatting for the event generator.

Times are integers: milliseconds since 1970-01-01 UTC. Formatting goes through a cache
of day strings and integer arithmetic, which is several times faster than datetime.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

SECOND_MS: Final = 1_000
MINUTE_MS: Final = 60_000
HOUR_MS: Final = 3_600_000
DAY_MS: Final = 86_400_000

_EPOCH: Final = date(1970, 1, 1)
_DAY_TEXT: dict[int, str] = {}

# How a client writes its own clock. Every style is one SPEC section 2 accepts.
#   zulu_ms         2024-01-05T10:11:12.345Z       (most SDKs)
#   zulu_s          2024-01-05T10:11:12Z
#   offset          2024-01-05T15:41:12.345+05:30  (local wall time with its offset)
#   offset_compact  2024-01-05T15:41:12.345+0530
#   offset_hour     2024-01-05T11:11:12+01         (whole-hour offsets only)
#   naive           2024-01-05T10:11:12.345        (no offset: UTC)
#   space           2024-01-05 10:11:12.345        (SQL style, UTC)
#   nanos           2024-01-05T10:11:12.345000789Z (digits past microseconds)
TS_STYLES: Final = (
    "zulu_ms",
    "zulu_s",
    "offset",
    "offset_compact",
    "offset_hour",
    "naive",
    "space",
    "nanos",
)
TS_STYLE_WEIGHTS: Final = (0.62, 0.06, 0.12, 0.04, 0.03, 0.05, 0.04, 0.04)


def day_text(day: int) -> str:
    """`YYYY-MM-DD` of a day number (days since 1970-01-01)."""
    text = _DAY_TEXT.get(day)
    if text is None:
        text = (_EPOCH + timedelta(days=day)).isoformat()
        _DAY_TEXT[day] = text
    return text


# Lookup tables: "HH:MM" for each minute of a day and "SS.mmm" for each millisecond of a
# minute. Formatting then needs two divmods and four lookups.
_MINUTE_TEXT: Final = tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(1440))
_SECOND_TEXT: Final = tuple(f"{ms // 1000:02d}.{ms % 1000:03d}" for ms in range(MINUTE_MS))


# "YYYY-MM-DDTHH:MM:" by minute since the epoch; cleared when large, so it stays small.
_MINUTE_PREFIX: dict[int, str] = {}
_MINUTE_PREFIX_LIMIT: Final = 100_000


def _minute_prefix(minute: int) -> str:
    if len(_MINUTE_PREFIX) >= _MINUTE_PREFIX_LIMIT:
        _MINUTE_PREFIX.clear()
    day, of_day = divmod(minute, 1440)
    prefix = f"{day_text(day)}T{_MINUTE_TEXT[of_day]}:"
    _MINUTE_PREFIX[minute] = prefix
    return prefix


def iso_z(ms: int) -> str:
    """`2024-01-05T10:11:12.345Z`: how servers (receivedAt) write time."""
    minute, rest = divmod(ms, MINUTE_MS)
    prefix = _MINUTE_PREFIX.get(minute) or _minute_prefix(minute)
    return f"{prefix}{_SECOND_TEXT[rest]}Z"


def _offset_suffix(offset_minutes: int, style: str) -> str:
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    if style == "offset_compact":
        return f"{sign}{hours:02d}{minutes:02d}"
    if style == "offset_hour" and minutes == 0:
        return f"{sign}{hours:02d}"
    return f"{sign}{hours:02d}:{minutes:02d}"


def format_ts(ms: int, style: str, offset_minutes: int) -> str:
    """Format an instant as a client in `style` with a clock in UTC+offset writes it."""
    if style == "zulu_ms":
        return iso_z(ms)
    local = ms + offset_minutes * MINUTE_MS if style.startswith("offset") else ms
    day, rest = divmod(local, DAY_MS)
    minute, rest = divmod(rest, MINUTE_MS)
    text = _DAY_TEXT.get(day) or day_text(day)
    seconds = _SECOND_TEXT[rest]  # "SS.mmm"
    clock = _MINUTE_TEXT[minute]
    if style == "zulu_s":
        return f"{text}T{clock}:{seconds[:2]}Z"
    if style == "naive":
        return f"{text}T{clock}:{seconds}"
    if style == "space":
        return f"{text} {clock}:{seconds}"
    if style == "nanos":
        # Sub-millisecond digits that a parser must drop past the sixth.
        return f"{text}T{clock}:{seconds}000{(ms * 7919) % 1000:03d}Z"
    if style == "offset_hour":
        return f"{text}T{clock}:{seconds[:2]}{_offset_suffix(offset_minutes, style)}"
    return f"{text}T{clock}:{seconds}{_offset_suffix(offset_minutes, style)}"
