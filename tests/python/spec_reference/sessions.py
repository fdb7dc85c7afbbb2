"""Sessions (SPEC section 5) and event transitions (section 10)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .identity import md5_hex
from .parsing import Event

VIEW_EVENTS = ("page_viewed", "screen_viewed")
NON_ACTIVITY_TYPES = ("identify", "alias", "group")


def is_activity(event: Event, non_interactive_events: list[str]) -> bool:
    """Section 5: activity ("session") events; the same set means "active" everywhere."""
    return (
        event.event_type not in NON_ACTIVITY_TYPES
        and event.event_name not in non_interactive_events
    )


def event_order(event: Event) -> tuple[Any, str]:
    """Every ordering of events is (occurred_at, event_id) (section 13: ties)."""
    return (event.occurred_at, event.event_id)


@dataclass
class Session:
    session_id: str
    person_id: str
    session_number: int
    events: list[Event]  # ordered by (occurred_at, event_id)


def split_sessions(
    activity_events: list[Event], timeout_minutes: float, max_hours: float
) -> list[Session]:
    """Section 5: per person, a gap greater than the timeout starts a new session (exactly
    the timeout continues); a run longer than the max is cut by
    floor((occurred_at - run start) / max length)."""
    timeout = timedelta(minutes=float(timeout_minutes))
    max_length = timedelta(hours=float(max_hours))
    by_person: dict[str, list[Event]] = {}
    for event in activity_events:
        assert event.person_id is not None
        by_person.setdefault(event.person_id, []).append(event)
    sessions: list[Session] = []
    for person_id, events in by_person.items():
        events.sort(key=event_order)
        runs: list[list[Event]] = []
        for event in events:
            if not runs or event.occurred_at - runs[-1][-1].occurred_at > timeout:
                runs.append([event])
            else:
                runs[-1].append(event)
        pieces: list[list[Event]] = []
        for run in runs:
            run_start = run[0].occurred_at
            by_piece: dict[int, list[Event]] = {}
            for event in run:
                by_piece.setdefault((event.occurred_at - run_start) // max_length, []).append(event)
            pieces.extend(by_piece[index] for index in sorted(by_piece))
        # Pieces are already in time order; session_number follows the start.
        for number, piece in enumerate(pieces, start=1):
            session_id = md5_hex(person_id + "|" + piece[0].event_id)
            sessions.append(Session(session_id, person_id, number, piece))
    return sessions


# ---------------------------------------------------------------------------- device


def device_type_from_user_agent(user_agent: str) -> str:
    """Section 5: tablet / mobile / tablet (android) / desktop, case-insensitive."""
    ua = user_agent.lower()
    if re.search(r"ipad|tablet|kindle|silk", ua):
        return "tablet"
    if re.search(r"mobi|iphone|ipod|windows phone", ua):
        return "mobile"
    if "android" in ua:
        return "tablet"
    return "desktop"


def browser_from_user_agent(user_agent: str) -> str:
    """Project rule (SPEC leaves it open): first matching token, else Other."""
    ua = user_agent.lower()
    rules = [
        ("samsungbrowser/", "Samsung Internet"),
        ("edg/", "Edge"),
        ("edga/", "Edge"),
        ("edgios/", "Edge"),
        ("edge/", "Edge"),
        ("opr/", "Opera"),
        ("opera", "Opera"),
        ("firefox/", "Firefox"),
        ("fxios/", "Firefox"),
        ("crios/", "Chrome"),
        ("chrome/", "Chrome"),
        ("safari/", "Safari"),
    ]
    for token, name in rules:
        if token in ua:
            return name
    return "Other"


def os_from_user_agent(user_agent: str) -> str:
    """Project rule (SPEC leaves it open): first matching token, else Other."""
    ua = user_agent.lower()
    rules = [
        ("windows", "Windows"),
        ("iphone", "iOS"),
        ("ipad", "iOS"),
        ("ipod", "iOS"),
        ("android", "Android"),
        ("cros", "ChromeOS"),
        ("mac os x", "macOS"),
        ("macintosh", "macOS"),
        ("linux", "Linux"),
    ]
    for token, name in rules:
        if token in ua:
            return name
    return "Other"


# ---------------------------------------------------------------------------- channel


@dataclass
class ChannelRule:
    priority: float
    channel: str
    patterns: dict[str, str | None]  # column -> regex, "__null__", or None (any)


def load_channel_rules(rows: list[dict[str, str]]) -> list[ChannelRule]:
    rules: list[tuple[float, int, ChannelRule]] = []
    for position, row in enumerate(rows):
        patterns: dict[str, str | None] = {}
        for column in ("utm_source_regex", "utm_medium_regex", "referrer_host_regex"):
            value = (row.get(column) or "").strip()
            patterns[column] = value or None
        priority = float(row["priority"])
        rules.append((priority, position, ChannelRule(priority, row["channel"].strip(), patterns)))
    # Ascending priority; equal priorities keep seed order (interpretation).
    return [rule for _priority, _position, rule in sorted(rules, key=lambda r: (r[0], r[1]))]


def classify_channel(
    rules: list[ChannelRule],
    utm_source: str | None,
    utm_medium: str | None,
    referrer_host: str | None,
    own_hosts: list[str],
) -> str | None:
    """Section 5: first rule (by ascending priority) whose every non-empty regex fully
    matches the lowercased value; `__null__` means the value must be absent. A referrer
    host in var own_hosts counts as absent. No matching rule gives null."""
    own = {host.strip().lower() for host in own_hosts}
    values = {
        "utm_source_regex": utm_source.lower() if utm_source is not None else None,
        "utm_medium_regex": utm_medium.lower() if utm_medium is not None else None,
        "referrer_host_regex": (
            referrer_host.lower()
            if referrer_host is not None and referrer_host.lower() not in own
            else None
        ),
    }
    for rule in rules:
        matched = True
        for column, pattern in rule.patterns.items():
            value = values[column]
            if pattern is None:
                continue
            if pattern == "__null__":
                if value is not None:
                    matched = False
                    break
            elif value is None or re.fullmatch(pattern, value) is None:
                matched = False
                break
        if matched:
            return rule.channel
    return None


# ---------------------------------------------------------------------------- rows


def session_rows(
    sessions: list[Session],
    vars_: dict[str, Any],
    rules: list[ChannelRule],
    orders_by_session: dict[str, list[float | None]],
) -> list[dict[str, Any]]:
    """Section 5: fct_sessions."""
    key_events = set(vars_["key_events"])
    rows = []
    for session in sessions:
        events = session.events
        first, last = events[0], events[-1]
        duration = (last.occurred_at - first.occurred_at) / timedelta(seconds=1)
        view_count = sum(1 for e in events if e.event_name in VIEW_EVENTS)
        page_views = [e for e in events if e.event_name == "page_viewed"]
        # Landing / exit: the path of the first / last page_viewed event, even when null.
        landing = page_views[0].page_path if page_views else None
        exit_path = page_views[-1].page_path if page_views else None
        # Attribution: the first event with a page url or any utm value.
        source = next(
            (
                e
                for e in events
                if e.page_url is not None
                or any(
                    v is not None
                    for v in (e.utm_source, e.utm_medium, e.utm_campaign, e.utm_term, e.utm_content)
                )
            ),
            None,
        )
        referrer = source.page_referrer if source else None
        referrer_host = source.referrer_host if source else None
        utm_source = source.utm_source if source else None
        utm_medium = source.utm_medium if source else None
        utm_campaign = source.utm_campaign if source else None
        channel = classify_channel(rules, utm_source, utm_medium, referrer_host, vars_["own_hosts"])
        # Device: the first event with a user agent or context.device.type.
        device_event = next(
            (e for e in events if e.user_agent is not None or e.device_type_raw is not None),
            None,
        )
        device_type = browser = os_name = None
        if device_event is not None:
            if device_event.device_type_raw is not None:
                device_type = device_event.device_type_raw.lower()
            elif device_event.user_agent is not None:
                device_type = device_type_from_user_agent(device_event.user_agent)
            if device_event.user_agent is not None:
                browser = browser_from_user_agent(device_event.user_agent)
                os_name = os_from_user_agent(device_event.user_agent)
        is_engaged = (
            duration >= 10 or view_count >= 2 or any(e.event_name in key_events for e in events)
        )
        order_amounts = orders_by_session.get(session.session_id, [])
        rows.append(
            {
                "session_id": session.session_id,
                "person_id": session.person_id,
                "session_number": session.session_number,
                "started_at": first.occurred_at,
                "ended_at": last.occurred_at,
                "duration_seconds": duration,
                "event_count": len(events),
                "view_count": view_count,
                "landing_page_path": landing,
                "exit_page_path": exit_path,
                "referrer": referrer,
                "referrer_host": referrer_host,
                "utm_source": utm_source,
                "utm_medium": utm_medium,
                "utm_campaign": utm_campaign,
                "channel": channel,
                "device_type": device_type,
                "browser": browser,
                "os": os_name,
                "is_engaged": is_engaged,
                "is_bounce": not is_engaged,
                "first_event_id": first.event_id,
                "has_order": bool(order_amounts),
                "net_revenue": float(sum(a for a in order_amounts if a is not None)),
            }
        )
    return rows


def transition_rows(sessions: list[Session]) -> list[dict[str, Any]]:
    """Section 10: fct_event_transitions, within sessions, consecutive repeats collapsed,
    `$entry` before the first and `$exit` after the last event."""
    counts: dict[tuple[str, str], int] = {}
    persons: dict[tuple[str, str], set[str]] = {}
    for session in sessions:
        names: list[str] = ["$entry"]
        for event in session.events:
            if event.event_name != names[-1]:
                names.append(event.event_name)
        names.append("$exit")
        for pair in zip(names, names[1:], strict=False):
            counts[pair] = counts.get(pair, 0) + 1
            persons.setdefault(pair, set()).add(session.person_id)
    return [
        {
            "from_event": pair[0],
            "to_event": pair[1],
            "transitions": counts[pair],
            "persons": len(persons[pair]),
        }
        for pair in sorted(counts)
    ]
