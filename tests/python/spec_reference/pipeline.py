"""The whole SPEC, from raw files to every mart: `compute_all`."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from . import activity, experiments, funnels, persons, revenue, sessions
from .config import resolve_vars
from .identity import Identity, assign_persons, dedupe, stitch
from .parsing import (
    REJECT_REASONS,
    Event,
    normalise_event_name,
    parse_line,
    read_raw_lines,
)
from .sessions import is_activity
from .timeutil import local_date


def _min_event_instant(value: Any) -> datetime:
    """Section 3: midnight UTC of var min_event_date."""
    if isinstance(value, datetime):
        return datetime.combine(value.date(), time())
    if isinstance(value, date):
        return datetime.combine(value, time())
    return datetime.combine(date.fromisoformat(str(value).strip()[:10]), time())


def _listed_ids(rows: list[dict[str, str]], column: str) -> set[str]:
    values = set()
    for row in rows:
        value = (row.get(column) or "").strip()
        if value:
            values.add(value)
    return values


def event_name_aliases(rows: list[dict[str, str]]) -> dict[str, str]:
    """Seed event_name_aliases as {normalised raw_name: canonical_name}.

    Interpretation: raw_name is normalised like a track name (section 2) before matching,
    so "Hidden Dir" maps hidden_dir; a raw_name that normalises to empty is ignored.
    canonical_name is used as written (trimmed). When several rows share a normalised
    raw_name, the smallest canonical_name (Python string order) wins."""
    aliases: dict[str, str] = {}
    for row in rows:
        raw_name = normalise_event_name(row.get("raw_name") or "")
        if not raw_name:
            continue
        canonical_name = (row.get("canonical_name") or "").strip()
        if raw_name in aliases:
            canonical_name = min(aliases[raw_name], canonical_name)
        aliases[raw_name] = canonical_name
    return aliases


def event_to_dict(event: Event) -> dict[str, Any]:
    """A shallow dict of an accepted event (for debugging and other tests)."""
    return {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}


def compute_all(
    events_dir: str | Path,
    vars: dict[str, Any] | None = None,
    seeds: dict[str, list[dict[str, str]]] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Compute every table of the SPEC from the raw files under events_dir.

    Returns one list of row dicts per table, keyed by model name, plus `_events` (accepted,
    deduplicated, not deleted events as dicts, with person_id and session_id)."""
    vars_ = resolve_vars(vars)
    seeds = seeds or {}
    tz = vars_["reporting_timezone"]
    aliases = event_name_aliases(seeds.get("event_name_aliases", []))

    # Sections 2 and 3: parse every raw line; accepted, rejected, then duplicates.
    raw_lines = read_raw_lines(events_dir)
    min_event_at = _min_event_instant(vars_["min_event_date"])
    max_skew = timedelta(hours=float(vars_["max_future_skew_hours"]))
    valid: list[Event] = []
    rejected: list[dict[str, Any]] = []
    for line in raw_lines:
        result = parse_line(line, aliases, min_event_at, max_skew)
        if result.event is not None:
            valid.append(result.event)
        else:
            rejected.append(
                {
                    "file": line.file,
                    "line_number": line.line_number,
                    "raw_line": line.raw_text,
                    "reject_reason": result.reject_reason,
                }
            )
    kept, duplicates = dedupe(valid)

    # Section 11: persons found by stitching over all accepted events are removed whole,
    # with every line of their events (duplicates included); rejected lines holding a
    # listed id as a JSON string are removed too. Everything below is computed from the
    # remaining events, as if the removed persons had never existed.
    requests = seeds.get("deletion_requests", [])
    listed_users = _listed_ids(requests, "user_id")
    listed_anonymous = _listed_ids(requests, "anonymous_id")
    everyone = stitch(kept)
    deleted_keys = {
        everyone.person_key(user_id, None)
        for user_id in listed_users
        if user_id in everyone.user_ids
    } | {
        everyone.person_key_of_anonymous(anonymous_id)
        for anonymous_id in listed_anonymous
        if anonymous_id in everyone.anonymous_ids
    }
    deleted_event_ids = {
        e.event_id
        for e in kept
        if everyone.person_key(e.user_id, e.anonymous_id if e.user_id is None else None)
        in deleted_keys
    }
    accepted = [e for e in kept if e.event_id not in deleted_event_ids]
    duplicates = [d for d in duplicates if d.event_id not in deleted_event_ids]
    deleted_lines = len(valid) - len(accepted) - len(duplicates)
    quoted = ['"' + value + '"' for value in sorted(listed_users | listed_anonymous)]
    remaining_rejected = [row for row in rejected if not any(q in row["raw_line"] for q in quoted)]
    deleted_lines += len(rejected) - len(remaining_rejected)
    rejected = remaining_rejected

    # Section 4: identity over the remaining events.
    identity: Identity = stitch(accepted)
    assign_persons(accepted, identity)
    accepted.sort(key=sessions.event_order)
    data_end = max((e.occurred_at for e in accepted), default=None)

    # Section 5: sessions over activity events.
    activity_events = [e for e in accepted if is_activity(e, vars_["non_interactive_events"])]
    session_list = sessions.split_sessions(
        activity_events, vars_["session_timeout_minutes"], vars_["session_max_hours"]
    )
    session_of_event = {
        event.event_id: session.session_id for session in session_list for event in session.events
    }

    # Section 6: local active days per person.
    active_days: dict[str, set[date]] = {}
    for event in activity_events:
        assert event.person_id is not None
        active_days.setdefault(event.person_id, set()).add(local_date(event.occurred_at, tz))

    # Section 8: orders and refunds.
    rates = revenue.CurrencyRates(
        seeds.get("currency_rates", []), str(vars_["reporting_currency"]).strip().upper()
    )
    orders, refunds = revenue.build_orders(accepted, vars_, rates, session_of_event)
    orders_by_session: dict[str, list[float | None]] = {}
    for order in orders:
        if order.session_id is not None:
            orders_by_session.setdefault(order.session_id, []).append(order.net_revenue)
    rules = sessions.load_channel_rules(seeds.get("channel_rules", []))
    session_rows = sessions.session_rows(session_list, vars_, rules, orders_by_session)

    # Section 6: retention cohorts.
    cohort_event = vars_["retention_cohort_event"]
    if cohort_event:
        cohort_days: dict[str, date] = {}
        for event in accepted:  # in (occurred_at, event_id) order
            if event.event_name == cohort_event:
                assert event.person_id is not None
                cohort_days.setdefault(event.person_id, local_date(event.occurred_at, tz))
    else:
        cohort_days = {p: min(days) for p, days in active_days.items()}

    # Section 7: funnels over all accepted events of each person.
    events_by_person: dict[str, list[Event]] = {}
    for event in accepted:
        assert event.person_id is not None
        events_by_person.setdefault(event.person_id, []).append(event)
    funnel_entries, funnel_steps = funnels.funnel_tables(events_by_person, vars_, data_end)

    # Section 8: MRR.
    changes = revenue.subscription_changes(accepted, vars_)
    mrr_movements, mrr_monthly = revenue.mrr_tables(changes, vars_, active_days)

    # Section 10: people.
    order_count: dict[str, int] = {}
    person_net: dict[str, float] = {}
    for order in orders:
        order_count[order.person_id] = order_count.get(order.person_id, 0) + 1
        person_net[order.person_id] = person_net.get(order.person_id, 0.0) + (
            order.amount_reporting or 0.0
        )
    for refund in refunds:
        if refund.amount_reporting is not None:
            person_net[refund.person_id] = (
                person_net.get(refund.person_id, 0.0) - refund.amount_reporting
            )
    person_rows = persons.dim_persons(
        accepted,
        identity,
        session_rows,
        active_days,
        order_count,
        person_net,
        revenue.current_mrr(changes),
        bool(vars_["keep_emails"]),
    )

    # Section 3: reconciliation (after deletion, section 11).
    reconciliation = [
        {"metric": "raw_lines", "value": len(raw_lines)},
        {"metric": "accepted", "value": len(accepted)},
        {"metric": "duplicates", "value": len(duplicates)},
        {"metric": "rejected", "value": len(rejected)},
        {"metric": "deleted", "value": deleted_lines},
    ] + [
        {
            "metric": f"rejected_{reason}",
            "value": sum(1 for row in rejected if row["reject_reason"] == reason),
        }
        for reason in REJECT_REASONS
    ]

    events_out = []
    for event in accepted:
        row = event_to_dict(event)
        row["session_id"] = session_of_event.get(event.event_id)
        events_out.append(row)

    return {
        "stg_events_rejected": rejected,
        "int_identity_map": identity.identity_map(),
        "fct_sessions": session_rows,
        "dim_persons": person_rows,
        "fct_active_users_daily": activity.active_users_daily(active_days),
        "fct_lifecycle": activity.lifecycle(active_days),
        "fct_retention": activity.retention(active_days, cohort_days),
        "fct_funnel_entries": funnel_entries,
        "fct_funnel_steps": funnel_steps,
        "fct_orders": revenue.order_rows(orders),
        "fct_revenue_daily": revenue.revenue_daily(orders, refunds, active_days),
        "fct_ltv_cohorts": revenue.ltv_cohorts(orders, refunds, active_days),
        "fct_mrr_movements": mrr_movements,
        "fct_mrr_monthly": mrr_monthly,
        "fct_experiment_results": experiments.experiment_results(accepted, vars_),
        "fct_event_transitions": sessions.transition_rows(session_list),
        "reconciliation": reconciliation,
        "_events": events_out,
    }
