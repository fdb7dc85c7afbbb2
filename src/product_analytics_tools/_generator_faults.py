"""Broken input of every kind SPEC section 3 rejects, plus blank lines.

Each bad line is made from a valid event so that it looks like real traffic, and is
broken in exactly one way, chosen so that the *first* reject reason of SPEC section 3
that applies is the intended one (a line meant to lack a timestamp still has a valid
type, name and identity).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from random import Random
from typing import Any, Final

from ._generator_clock import DAY_MS, HOUR_MS, SECOND_MS, iso_z

JsonObject = dict[str, Any]

# SPEC section 3, in the order the reasons are checked.
REJECT_REASONS: Final = (
    "invalid_json",
    "unknown_type",
    "missing_event_name",
    "missing_identity",
    "missing_timestamp",
    "timestamp_out_of_range",
)

BLANK_LINES: Final = (b"", b"", b" ", b"\t", b"   ", b" \t ")

_IDENTITY_KEYS: Final = ("userId", "user_id", "anonymousId", "anonymous_id", "device_id")
_TIMESTAMP_KEYS: Final = (
    "timestamp",
    "originalTimestamp",
    "original_timestamp",
    "sentAt",
    "sent_at",
    "receivedAt",
    "received_at",
)
_NAME_KEYS: Final = ("event", "event_name", "name")
_ID_KEYS: Final = ("messageId", "message_id", "event_id", "id")

_UNKNOWN_TYPES: Final = ("purchase", "event", "trak", "pageview", "batch", "Identity", "TRACKS")
_EMPTY_NAMES: Final = ("", "   ", "---", "!!!", "_", None)
_ABSENT_IDS: Final = (
    "null",
    "undefined",
    "0",
    "anonymous",
    "None",
    "NaN",
    "-1",
    "[object Object]",
    " ",
    0,
    -1,
)
_BAD_TIMESTAMPS: Final = (
    "yesterday",
    "01/15/2024 10:00:00",
    "2024/01/15 10:00",
    "Mon, 15 Jan 2024 10:00:00 GMT",
    "",
    1_705_312_800,  # epoch seconds: a JSON number is its text, which is no timestamp
)
_ANCIENT_TIMESTAMPS: Final = (
    "1970-01-01T00:00:00Z",
    "1970-01-01T00:00:00.000Z",
    "1999-12-31T23:59:59.999Z",
    "1999-06-30 12:00:00",
)


_JSON_BREAKS: Final = (
    "truncated",
    "nan",
    "infinity",
    "trailing_comma",
    "array",
    "scalar",
    "invalid_utf8",
    "single_quotes",
    "concatenated",
)


class FaultMaker:
    """Turns valid events into bad lines of a chosen SPEC reject reason."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        # Ways of breaking JSON take turns (from a random start), so all of them show up.
        self._json_turn = rng.randrange(len(_JSON_BREAKS))
        self._encode: Callable[[Any], str] = json.JSONEncoder(
            ensure_ascii=False, separators=(",", ":"), allow_nan=False
        ).encode
        self._encode_nan: Callable[[Any], str] = json.JSONEncoder(
            ensure_ascii=False, separators=(",", ":"), allow_nan=True
        ).encode

    def bad_line(
        self,
        reason: str,
        event: JsonObject,
        shape: str,
        occurred_ms: int,
        received_ms: int | None,
    ) -> tuple[bytes, str]:
        """A line rejected for `reason`, and the name of the way it is broken."""
        rng = self._rng
        broken = dict(event)
        if rng.random() < 0.5:
            for key in _ID_KEYS:
                if key in broken:
                    broken[key] = f"bad-{rng.getrandbits(64):016x}"
                    break
        if reason == "invalid_json":
            return self._invalid_json(broken)
        if reason == "unknown_type":
            value = _UNKNOWN_TYPES[rng.randrange(len(_UNKNOWN_TYPES))]
            broken.pop("type", None)
            return self._line({"type": value, **broken}), "unknown_type"
        if reason == "missing_event_name":
            return self._missing_name(broken, shape)
        if reason == "missing_identity":
            return self._missing_identity(broken, shape)
        if reason == "missing_timestamp":
            return self._missing_timestamp(broken, shape)
        if reason == "timestamp_out_of_range":
            return self._out_of_range(broken, shape, occurred_ms, received_ms)
        raise ValueError(f"unknown reject reason {reason!r}")

    def blank_line(self) -> bytes:
        return BLANK_LINES[self._rng.randrange(len(BLANK_LINES))]

    def _line(self, event: JsonObject) -> bytes:
        return self._encode(event).encode()

    def _invalid_json(self, event: JsonObject) -> tuple[bytes, str]:
        rng = self._rng
        variant = _JSON_BREAKS[self._json_turn % len(_JSON_BREAKS)]
        self._json_turn += 1
        line = self._line(event)
        if variant == "truncated":  # a writer killed mid-line
            return line[: rng.randint(1, len(line) - 2)], variant
        if variant in ("nan", "infinity"):
            properties = dict(event.get("properties") or {})
            properties["score"] = float("nan") if variant == "nan" else float("-inf")
            return self._encode_nan({**event, "properties": properties}).encode(), variant
        if variant == "trailing_comma":
            return line[:-1] + b",}", variant
        if variant == "array":
            return b"[" + line + b"]", variant
        if variant == "scalar":
            return rng.choice((b'"ping"', b"null", b"42", b"true")), variant
        if variant == "invalid_utf8":  # a Latin-1 "é" inside a string
            marker = b'"context":{'
            if marker in line:
                return line.replace(marker, marker + b'"note":"caf\xe9",', 1), variant
            return b'{"note":"caf\xe9",' + line[1:], variant
        if variant == "single_quotes":  # a Python dict printed instead of JSON
            return repr(event).encode(), variant
        return line + line, variant  # two objects on one line: a lost newline

    def _missing_name(self, event: JsonObject, shape: str) -> tuple[bytes, str]:
        rng = self._rng
        rest = {key: value for key, value in event.items() if key not in _NAME_KEYS}
        rest.pop("type", None)
        value = _EMPTY_NAMES[rng.randrange(len(_EMPTY_NAMES))]
        name_key = "event_name" if shape == "flat" else "event"
        head: JsonObject = {} if shape == "flat" else {"type": "track"}
        if rng.random() < 0.2:
            return self._line({**head, **rest}), "absent"
        head[name_key] = value
        variant = "null" if value is None else "empty" if not value.strip() else "punctuation"
        return self._line({**head, **rest}), variant

    def _missing_identity(self, event: JsonObject, shape: str) -> tuple[bytes, str]:
        rng = self._rng
        snake = shape != "segment"
        user_key = "user_id" if snake else "userId"
        anonymous_key = "anonymous_id" if snake else "anonymousId"
        is_alias = str(event.get("type", "")).strip().lower() == "alias"
        rest = {key: value for key, value in event.items() if key not in _IDENTITY_KEYS}
        if is_alias:
            return self._line(rest), "alias_without_user_id"
        if rng.random() < 0.4:
            return self._line(rest), "absent"
        junk: JsonObject = {anonymous_key: _ABSENT_IDS[rng.randrange(len(_ABSENT_IDS))]}
        if rng.random() < 0.5:
            junk[user_key] = _ABSENT_IDS[rng.randrange(len(_ABSENT_IDS))]
        return self._line({**rest, **junk}), "placeholder_ids"

    def _missing_timestamp(self, event: JsonObject, shape: str) -> tuple[bytes, str]:
        rng = self._rng
        rest = {key: value for key, value in event.items() if key not in _TIMESTAMP_KEYS}
        roll = rng.random()
        if roll < 0.4:
            return self._line(rest), "absent"
        if roll < 0.55:
            # sentAt alone is no candidate for occurred_at
            sent_key = "sentAt" if shape == "segment" else "sent_at"
            rest[sent_key] = iso_z(1_704_067_200_000 + rng.randrange(DAY_MS))
            return self._line(rest), "sent_at_only"
        rest["timestamp"] = _BAD_TIMESTAMPS[rng.randrange(len(_BAD_TIMESTAMPS))]
        return self._line(rest), "unparseable"

    def _out_of_range(
        self, event: JsonObject, shape: str, occurred_ms: int, received_ms: int | None
    ) -> tuple[bytes, str]:
        rng = self._rng
        rest = {key: value for key, value in event.items() if key not in _TIMESTAMP_KEYS}
        snake = shape != "segment"
        received = received_ms if received_ms is not None else occurred_ms + 700
        received_key = "received_at" if snake else "receivedAt"
        roll = rng.random()
        if roll < 0.4:
            rest["timestamp"] = _ANCIENT_TIMESTAMPS[rng.randrange(len(_ANCIENT_TIMESTAMPS))]
            rest[received_key] = iso_z(received)
            return self._line(rest), "before_min_date"
        ahead = rng.randint(24 * HOUR_MS + SECOND_MS, 30 * DAY_MS)
        if roll < 0.75:
            rest["timestamp"] = iso_z(received + ahead)
            rest[received_key] = iso_z(received)
            return self._line(rest), "future_timestamp"
        # No timestamp: received_at + (originalTimestamp - sentAt) lands in the future.
        rest["original_timestamp" if snake else "originalTimestamp"] = iso_z(received + ahead)
        rest["sent_at" if snake else "sentAt"] = iso_z(received - 1_500)
        rest[received_key] = iso_z(received)
        return self._line(rest), "future_by_clock_skew"
