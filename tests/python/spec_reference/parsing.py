"""Raw event input: files, lines, JSON, field resolution and rejects (SPEC sections 2, 3).

Every function here works on one line at a time; `read_raw_lines` walks the files and
`parse_line` turns one raw line into either an `Event` or a reject reason.
"""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import json
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

from .timeutil import parse_timestamp

# Section 1: the raw file suffixes that hold events; anything else is ignored.
EVENT_FILE_SUFFIXES = (".ndjson", ".jsonl", ".ndjson.gz", ".jsonl.gz")

# Section 2: the six Segment types.
EVENT_TYPES = ("track", "page", "screen", "identify", "alias", "group")

# Section 2: id values that mean "absent" (compared lowercased, after trimming).
ILLEGAL_IDS = frozenset(
    ["null", "undefined", "none", "nan", "anonymous", "0", "-1", "[object object]"]
)

# Interpretation: "trimmed" strips ASCII whitespace (space, tab, CR, LF, FF, VT) only.
TRIM_CHARS = " \t\n\r\f\v"

# Interpretation: a "numeric string" is a decimal number in JSON-like syntax after
# trimming (optional sign, digits with optional fraction, optional exponent); no inf/nan.
NUMERIC_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

# A URL "with a scheme": scheme://...
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")

# Section 2 reject reasons, in the order they are checked (section 3).
REJECT_REASONS = (
    "invalid_json",
    "unknown_type",
    "missing_event_name",
    "missing_identity",
    "missing_timestamp",
    "timestamp_out_of_range",
)


class JsonNumber(str):
    """A JSON number, kept as its exact JSON text (section 2: a number counts as its text)."""


class _NonRfcConstantError(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    # Section 2: RFC 8259 has no NaN / Infinity / -Infinity.
    raise _NonRfcConstantError(name)


def _first_key_wins(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Interpretation: with duplicate keys the first occurrence wins (as DuckDB's JSON
    # functions read it); RFC 8259 leaves this open.
    obj: dict[str, Any] = {}
    for key, value in pairs:
        obj.setdefault(key, value)
    return obj


def _has_unpaired_surrogate(value: Any) -> bool:
    # Iterative (not recursive): a value may be nested arbitrarily deep.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


# Interpretation: JSON nesting depth is not a reject reason (section 3 rejects only lines
# that are not a JSON object). Python's json parser is recursive, so a line too deep for
# the normal recursion limit is parsed again in a thread with a large C stack and a raised
# recursion limit. DEEP_STACK_SIZE leaves ample room for DEEP_RECURSION_LIMIT levels
# (about 130 bytes of C stack per level), so a deeper line raises RecursionError
# (invalid_json) rather than overflowing the stack.
DEEP_RECURSION_LIMIT = 1_000_000
DEEP_STACK_SIZE = 512 * 1024 * 1024


def _loads_strict(text: str) -> Any:
    value = json.loads(
        text,
        parse_int=JsonNumber,
        parse_float=JsonNumber,
        parse_constant=_reject_constant,
        object_pairs_hook=_first_key_wins,
    )
    if "\\u" in text and _has_unpaired_surrogate(value):
        raise ValueError("unpaired surrogate")
    return value


def _loads_strict_deep(text: str) -> Any:
    """`_loads_strict` in a thread with a large stack, under a raised recursion limit
    (restored afterwards)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, DEEP_RECURSION_LIMIT))
        try:
            outcome["value"] = _loads_strict(text)
        except BaseException as error:  # re-raised in the calling thread
            outcome["error"] = error
        finally:
            sys.setrecursionlimit(old_limit)

    old_stack_size = threading.stack_size(DEEP_STACK_SIZE)
    try:
        worker = threading.Thread(target=run, name="spec_reference-deep-json")
        worker.start()
    finally:
        threading.stack_size(old_stack_size)
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def loads_strict(text: str) -> Any:
    """RFC 8259 JSON; numbers become `JsonNumber` text. NaN/Infinity are errors, and so is
    a string escape that is not valid Unicode (an unpaired surrogate like \\ud800).
    Nesting depth is not limited (up to DEEP_RECURSION_LIMIT levels)."""
    try:
        return _loads_strict(text)
    except RecursionError:
        return _loads_strict_deep(text)


@dataclass
class RawLine:
    """One physical, non-blank line of a raw file."""

    file: str
    line_number: int
    raw_bytes: bytes
    raw_text: str


@dataclass
class Event:
    """One valid (not rejected) raw line, with SPEC section 2's canonical fields."""

    file: str
    line_number: int
    raw_bytes: bytes
    raw_text: str
    event_id: str
    event_type: str
    event_name: str
    user_id: str | None
    anonymous_id: str | None
    previous_id: str | None
    received_at: datetime | None
    occurred_at: datetime
    client_session_id: str | None
    page_url: str | None
    page_path: str | None
    page_referrer: str | None
    page_title: str | None
    referrer_host: str | None
    utm_source: str | None
    utm_medium: str | None
    utm_campaign: str | None
    utm_term: str | None
    utm_content: str | None
    user_agent: str | None
    device_type_raw: str | None
    ip_masked: str | None
    locale: str | None
    properties: dict[str, Any]
    traits: dict[str, Any] | None
    # Filled by identity stitching (section 4).
    person_id: str | None = field(default=None)


# ---------------------------------------------------------------------------- files


def list_event_files(events_dir: str | Path) -> list[Path]:
    """Section 1: every file at any depth whose name ends in one of the suffixes."""
    found = []
    for root, _dirs, files in os.walk(events_dir):
        for name in files:
            if name.endswith(EVENT_FILE_SUFFIXES):
                found.append(Path(root, name).absolute())
    return sorted(found)


def read_raw_lines(events_dir: str | Path) -> list[RawLine]:
    """Section 2: split on LF, strip one trailing CR; blank lines are not events but count
    for line numbers (section 3: 1-based physical lines)."""
    lines: list[RawLine] = []
    for path in list_event_files(events_dir):
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        for index, raw in enumerate(data.split(b"\n"), start=1):
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            if not raw.strip():
                continue
            lines.append(
                RawLine(
                    file=str(path),
                    line_number=index,
                    raw_bytes=raw,
                    raw_text=raw.decode("utf-8", errors="replace"),
                )
            )
    return lines


# ---------------------------------------------------------------------------- values


def as_text(value: Any) -> str | None:
    """Section 2: a JSON string (trimmed), number or boolean as its JSON text; empty means
    absent. Interpretation: JSON objects and arrays are not text values (absent)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # includes JsonNumber
        text = str.strip(value, TRIM_CHARS)
        return text or None
    return None


def as_number(value: Any) -> float | None:
    """Section 8: a JSON number or a numeric string, else None."""
    if isinstance(value, JsonNumber):
        return float(value)
    if isinstance(value, str):
        text = value.strip(TRIM_CHARS)
        if NUMERIC_RE.fullmatch(text):
            return float(text)
    return None


def clean_id(value: Any) -> str | None:
    """Section 2: user / anonymous / previous id cleaning."""
    text = as_text(value)
    if text is None or text.lower() in ILLEGAL_IDS:
        return None
    return text


@lru_cache(maxsize=64)
def snake_case(name: str) -> str:
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def top_level(obj: dict[str, Any], *names: str) -> list[Any]:
    """Candidates for top-level fields: each camelCase name is followed by its snake_case
    spelling (section 2: the camelCase one is tried first)."""
    values = []
    for name in names:
        values.append(obj.get(name))
        snake = snake_case(name)
        if snake != name:
            values.append(obj.get(snake))
    return values


def nested(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def first_text(candidates: list[Any]) -> str | None:
    for candidate in candidates:
        text = as_text(candidate)
        if text is not None:
            return text
    return None


def first_id(candidates: list[Any]) -> str | None:
    for candidate in candidates:
        cleaned = clean_id(candidate)
        if cleaned is not None:
            return cleaned
    return None


def first_timestamp(candidates: list[Any]) -> datetime | None:
    """Section 2: a candidate that does not parse counts as absent."""
    for candidate in candidates:
        parsed = parse_timestamp(as_text(candidate))
        if parsed is not None:
            return parsed
    return None


def normalise_event_name(text: str) -> str:
    """Section 2: split camelCase (lowercase letter or digit followed by an uppercase
    letter), lowercase, runs outside [a-z0-9] become `_`, trim `_`."""
    split = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    lowered = split.lower()
    return re.sub(r"[^a-z0-9]+", "_", lowered).strip("_")


def url_path(url: str) -> str:
    """Section 2: the path of a url, `/` when it has none.

    Interpretation: query and fragment are removed; for `scheme://authority/path` the path
    is what follows the authority; a url without a scheme is its own path when it starts
    with `/`, else `/`."""
    rest = url.split("#", 1)[0].split("?", 1)[0]
    match = SCHEME_RE.match(rest)
    if match:
        after = rest[match.end() :]
        slash = after.find("/")
        return after[slash:] if slash >= 0 else "/"
    return rest if rest.startswith("/") else "/"


def url_host(url: str) -> str | None:
    """Section 2: lowercased host of a url with a scheme, without port (www. kept)."""
    match = SCHEME_RE.match(url)
    if match is None:
        return None
    authority = re.split(r"[/?#]", url[match.end() :], maxsplit=1)[0]
    authority = authority.rsplit("@", 1)[-1]
    if authority.startswith("["):
        end = authority.find("]")
        host = authority[: end + 1] if end >= 0 else authority
    else:
        host = authority.split(":", 1)[0]
    host = host.lower()
    return host or None


def query_parameter(url: str, name: str) -> str | None:
    """Section 2: the first occurrence of a query parameter, percent-decoded (`+` is a
    space). Interpretation: keys are compared exactly as written (not decoded); the first
    occurrence wins even when its value is empty (then absent after trimming)."""
    without_fragment = url.split("#", 1)[0]
    if "?" not in without_fragment:
        return None
    query = without_fragment.split("?", 1)[1]
    for part in query.split("&"):
        key, _sep, value = part.partition("=")
        if key == name:
            return as_text(unquote_plus(value))
    return None


@lru_cache(maxsize=4096)
def mask_ip(text: str | None) -> str | None:
    """Section 11: IPv4 keeps three octets (last 0); IPv6 becomes its /48 network."""
    if text is None:
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 4:
        octets = str(address).split(".")
        return ".".join(octets[:3] + ["0"])
    network = ipaddress.ip_network(f"{address}/48", strict=False)
    return str(network.network_address)


# ---------------------------------------------------------------------------- one line


@dataclass
class ParseResult:
    event: Event | None
    reject_reason: str | None


def parse_line(
    line: RawLine,
    aliases: dict[str, str],
    min_event_at: datetime,
    max_future_skew: timedelta,
) -> ParseResult:
    """Sections 2 and 3: a raw line to an Event, or its first reject reason."""
    # 1. invalid_json: invalid UTF-8, not RFC 8259 JSON, or not an object.
    try:
        text = line.raw_bytes.decode("utf-8")
        obj = loads_strict(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return ParseResult(None, "invalid_json")
    if not isinstance(obj, dict):
        return ParseResult(None, "invalid_json")

    # 2. unknown_type: `type` trimmed and lowercased; absent or empty means track.
    type_text = as_text(obj.get("type"))
    event_type = type_text.lower() if type_text is not None else "track"
    if event_type not in EVENT_TYPES:
        return ParseResult(None, "unknown_type")

    # 3. missing_event_name (track only). Interpretation: the first non-empty text among
    # `event`, `event_name` is normalised; only track names are normalised and aliased.
    if event_type == "track":
        raw_name = first_text([obj.get("event"), obj.get("event_name")])
        normalised = normalise_event_name(raw_name) if raw_name is not None else ""
        if not normalised:
            return ParseResult(None, "missing_event_name")
        event_name = aliases.get(normalised, normalised)
    elif event_type == "page":
        event_name = "page_viewed"
    elif event_type == "screen":
        event_name = "screen_viewed"
    else:
        event_name = event_type

    # 4. missing_identity.
    user_id = first_id(top_level(obj, "userId"))
    anonymous_id = first_id(top_level(obj, "anonymousId") + [obj.get("device_id")])
    previous_id = first_id(top_level(obj, "previousId")) if event_type == "alias" else None
    if event_type == "alias":
        if previous_id is None or user_id is None:
            return ParseResult(None, "missing_identity")
    elif user_id is None and anonymous_id is None:
        return ParseResult(None, "missing_identity")

    # 5. missing_timestamp: occurred_at resolution.
    received_at = first_timestamp(top_level(obj, "receivedAt"))
    timestamp = first_timestamp([obj.get("timestamp")])
    original = first_timestamp(top_level(obj, "originalTimestamp"))
    sent_at = first_timestamp(top_level(obj, "sentAt"))
    occurred_at = timestamp
    have_all_three = received_at is not None and original is not None and sent_at is not None
    if occurred_at is None and have_all_three:
        try:
            occurred_at = received_at + (original - sent_at)
        except OverflowError:  # outside datetime's years 1..9999: cannot be computed
            occurred_at = None
    if occurred_at is None:
        occurred_at = original if original is not None else received_at
    if occurred_at is None:
        return ParseResult(None, "missing_timestamp")

    # 6. timestamp_out_of_range: before min_event_date, or more than the allowed skew
    # after received_at (exactly the limit is accepted).
    if occurred_at < min_event_at:
        return ParseResult(None, "timestamp_out_of_range")
    if received_at is not None and occurred_at - received_at > max_future_skew:
        return ParseResult(None, "timestamp_out_of_range")

    # Accepted shape: resolve the remaining fields.
    # Interpretation: event ids are trimmed (they are text values) but never cleaned.
    event_id = first_text(top_level(obj, "messageId") + [obj.get("event_id"), obj.get("id")])
    if event_id is None:
        event_id = hashlib.md5(line.raw_bytes).hexdigest()

    properties = obj.get("properties")
    if not isinstance(properties, dict):
        properties = {}
    context = obj.get("context")
    if not isinstance(context, dict):
        context = {}

    client_session_id = first_text(
        [nested(context, "sessionId"), obj.get("session_id"), properties.get("session_id")]
    )

    def page_field(name: str) -> str | None:
        return first_text([nested(context, "page", name), properties.get(name)])

    page_url = page_field("url")
    page_path = page_field("path")
    if page_path is None and page_url is not None:
        page_path = url_path(page_url)
    page_referrer = page_field("referrer")
    page_title = page_field("title")
    referrer_host = url_host(page_referrer) if page_referrer is not None else None

    def utm(campaign_key: str, parameter: str) -> str | None:
        from_context = as_text(nested(context, "campaign", campaign_key))
        if from_context is not None:
            return from_context
        if page_url is not None:
            return query_parameter(page_url, parameter)
        return None

    traits = obj.get("traits") if event_type == "identify" else None
    if not isinstance(traits, dict):
        traits = None

    event = Event(
        file=line.file,
        line_number=line.line_number,
        raw_bytes=line.raw_bytes,
        raw_text=line.raw_text,
        event_id=event_id,
        event_type=event_type,
        event_name=event_name,
        user_id=user_id,
        anonymous_id=anonymous_id,
        previous_id=previous_id,
        received_at=received_at,
        occurred_at=occurred_at,
        client_session_id=client_session_id,
        page_url=page_url,
        page_path=page_path,
        page_referrer=page_referrer,
        page_title=page_title,
        referrer_host=referrer_host,
        utm_source=utm("source", "utm_source"),
        utm_medium=utm("medium", "utm_medium"),
        utm_campaign=utm("name", "utm_campaign"),
        utm_term=utm("term", "utm_term"),
        utm_content=utm("content", "utm_content"),
        user_agent=as_text(nested(context, "userAgent")),
        device_type_raw=as_text(nested(context, "device", "type")),
        ip_masked=mask_ip(as_text(nested(context, "ip"))),
        locale=as_text(nested(context, "locale")),
        properties=properties,
        traits=traits,
    )
    return ParseResult(event, None)
