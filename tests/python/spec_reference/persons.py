"""People (SPEC section 10: dim_persons) and trait privacy (section 11)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Any

from .identity import Identity, md5_hex
from .parsing import TRIM_CHARS, Event, JsonNumber
from .sessions import event_order

# Section 11: an email-like value. Interpretation: searched anywhere in the string
# (not anchored), so any string containing an email is hashed; `\s` is ASCII whitespace
# only (re.ASCII, as in RE2 and Java), so a non-breaking space is not whitespace here.
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+", re.ASCII)


def protect_trait(value: Any, keep_emails: bool) -> Any:
    """Section 11: email-like string values are trimmed, lowercased and stored as SHA-256
    hex unless keep_emails. Interpretation: only top-level string trait values."""
    if keep_emails or not isinstance(value, str) or isinstance(value, JsonNumber):
        return value
    if EMAIL_RE.search(value):
        return hashlib.sha256(value.strip(TRIM_CHARS).lower().encode("utf-8")).hexdigest()
    return value


class _Rendered(str):
    """Output text already rendered by `compact_json` (not a value to render)."""


def compact_json(value: Any) -> str:
    """Compact JSON with sorted keys; numbers keep their JSON text; non-ASCII kept as is.

    Iterative (not recursive): a trait value may be nested arbitrarily deep."""
    parts: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Rendered):
            parts.append(item)
        elif item is None:
            parts.append("null")
        elif isinstance(item, bool):
            parts.append("true" if item else "false")
        elif isinstance(item, JsonNumber):
            parts.append(str(item))
        elif isinstance(item, str):
            parts.append(json.dumps(item, ensure_ascii=False))
        elif isinstance(item, dict):
            todo: list[Any] = [_Rendered("{")]
            for index, (key, member) in enumerate(sorted(item.items())):
                key_json = json.dumps(key, ensure_ascii=False)
                todo.append(_Rendered(("," if index else "") + key_json + ":"))
                todo.append(member)
            todo.append(_Rendered("}"))
            stack.extend(reversed(todo))
        elif isinstance(item, list):
            todo = [_Rendered("[")]
            for index, member in enumerate(item):
                if index:
                    todo.append(_Rendered(","))
                todo.append(member)
            todo.append(_Rendered("]"))
            stack.extend(reversed(todo))
        else:
            raise TypeError(type(item))
    return "".join(parts)


def person_traits(identify_events: list[Event], keep_emails: bool) -> str | None:
    """For each key, the latest non-null value across the person's identify calls (in
    (occurred_at, event_id) order); null for a person without traits."""
    merged: dict[str, Any] = {}
    for event in sorted(identify_events, key=event_order):
        for key, value in (event.traits or {}).items():
            if value is not None:
                merged[key] = value
    if not merged:
        return None
    return compact_json({k: protect_trait(v, keep_emails) for k, v in merged.items()})


def dim_persons(
    events: list[Event],
    identity: Identity,
    session_rows: list[dict[str, Any]],
    active_days: dict[str, set[date]],
    order_count: dict[str, int],
    net_revenue: dict[str, float],
    mrr_now: dict[str, float],
    keep_emails: bool,
) -> list[dict[str, Any]]:
    """One row per person with an accepted event."""
    identifiers: dict[str, int] = {}
    for row in identity.identity_map():
        identifiers[row["person_id"]] = identifiers.get(row["person_id"], 0) + 1
    by_person: dict[str, list[Event]] = {}
    for event in events:
        assert event.person_id is not None
        by_person.setdefault(event.person_id, []).append(event)
    first_session: dict[str, dict[str, Any]] = {}
    session_count: dict[str, int] = {}
    for row in session_rows:
        session_count[row["person_id"]] = session_count.get(row["person_id"], 0) + 1
        if row["session_number"] == 1:
            first_session[row["person_id"]] = row
    rows = []
    for person_id, person_events in by_person.items():
        sample = person_events[0]
        key = identity.person_key(
            sample.user_id, sample.anonymous_id if sample.user_id is None else None
        )
        is_user = key.startswith("user:")
        assert md5_hex(key) == person_id
        session = first_session.get(person_id, {})
        rows.append(
            {
                "person_id": person_id,
                "person_type": "user" if is_user else "anon",
                "user_id": key[len("user:") :] if is_user else None,
                "anonymous_id": None if is_user else key[len("anon:") :],
                "is_identified": is_user,
                "identifiers_count": identifiers.get(person_id, 0),
                "first_seen_at": min(e.occurred_at for e in person_events),
                "last_seen_at": max(e.occurred_at for e in person_events),
                "first_channel": session.get("channel"),
                "first_utm_source": session.get("utm_source"),
                "first_utm_medium": session.get("utm_medium"),
                "first_utm_campaign": session.get("utm_campaign"),
                "sessions": session_count.get(person_id, 0),
                "active_days": len(active_days.get(person_id, ())),
                "orders": order_count.get(person_id, 0),
                "net_revenue": net_revenue.get(person_id, 0.0),
                "current_mrr": mrr_now.get(person_id, 0.0),
                "traits": person_traits(
                    [e for e in person_events if e.event_type == "identify"], keep_emails
                ),
            }
        )
    return rows
