"""The pure-Python SPEC reference reproduces the public conformance suite exactly."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from spec_reference import compute_all, load_seeds, load_vars  # noqa: E402
from spec_reference.compare import (  # noqa: E402
    TABLE_KEYS,
    compare_rows,
    csv_columns,
    format_problems,
    read_csv,
    relative_file,
)

CONFORMANCE = Path(os.environ.get("SPEC_CONFORMANCE_DIR", "/work/shared/conformance"))
# The directory the expected CSVs were computed from (their `file` column).
EXPECTED_EVENTS_ROOT = "/tmp/conf/events"

needs_conformance = pytest.mark.skipif(
    not (CONFORMANCE / "expected").is_dir(),
    reason=f"conformance suite not found at {CONFORMANCE}",
)


@pytest.fixture(scope="module")
def reference_tables() -> dict[str, list[dict[str, Any]]]:
    os.environ.setdefault("DO_NOT_TRACK", "1")
    return compute_all(
        CONFORMANCE / "events",
        load_vars(CONFORMANCE / "vars.yml"),
        load_seeds(CONFORMANCE / "seeds"),
    )


def _expected_tables() -> list[str]:
    if not (CONFORMANCE / "expected").is_dir():
        return sorted(TABLE_KEYS)
    return sorted(path.stem for path in (CONFORMANCE / "expected").glob("*.csv"))


@needs_conformance
@pytest.mark.parametrize("table", _expected_tables())
def test_table_matches_conformance(
    table: str, reference_tables: dict[str, list[dict[str, Any]]]
) -> None:
    expected_path = CONFORMANCE / "expected" / f"{table}.csv"
    assert table in reference_tables, f"the reference does not compute {table}"
    actual = reference_tables[table]
    if actual:
        assert list(actual[0].keys()) == csv_columns(expected_path), (
            f"{table}: columns differ from the expected CSV"
        )
    events = CONFORMANCE / "events"
    roots = [EXPECTED_EVENTS_ROOT, str(events.absolute()), str(events.resolve())]
    problems = compare_rows(
        table,
        read_csv(expected_path),
        actual,
        key_transforms={"file": lambda path: relative_file(str(path), roots)},
    )
    assert not problems, "\n" + format_problems(problems)


@needs_conformance
def test_every_table_is_keyed() -> None:
    assert set(_expected_tables()) <= set(TABLE_KEYS)


# ---------------------------------------------------------------------------- invariants
# The same events under other configurations: no expected output exists, but SPEC's
# invariants must hold (and every code path must run).

OTHER_CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "defaults_utc": {},
    "new_york_variants": {
        "reporting_timezone": "America/New_York",
        "non_interactive_events": ["button_clicked", "experiment_viewed"],
        "retention_cohort_event": "signed_up",
        "keep_emails": True,
        "session_timeout_minutes": 10,
        "session_max_hours": 2,
        "reporting_currency": "EUR",
        "own_hosts": [],
    },
    "kathmandu_custom_funnels": {
        "reporting_timezone": "Asia/Kathmandu",
        "conversion_window_days": 3,
        "funnels": [
            {"name": "browse", "steps": ["page_viewed", "product_viewed", "page_viewed"]},
            {
                "name": "quick_buy",
                "steps": ["product_added", "order_completed"],
                "conversion_window_days": 1,
            },
        ],
        "experiments": {},
        "min_event_date": "2024-02-20",
        "max_future_skew_hours": 1,
    },
}


@pytest.fixture(scope="module", params=sorted(OTHER_CONFIGURATIONS))
def other_tables(request: pytest.FixtureRequest) -> dict[str, list[dict[str, Any]]]:
    return compute_all(
        CONFORMANCE / "events",
        OTHER_CONFIGURATIONS[request.param],
        load_seeds(CONFORMANCE / "seeds"),
    )


def _metric(tables: dict[str, list[dict[str, Any]]], name: str) -> int:
    return next(row["value"] for row in tables["reconciliation"] if row["metric"] == name)


@needs_conformance
def test_invariants_hold_in_other_configurations(
    other_tables: dict[str, list[dict[str, Any]]],
) -> None:
    t = other_tables
    # Section 3: every raw line ends in exactly one state.
    assert _metric(t, "raw_lines") == sum(
        _metric(t, m) for m in ("accepted", "duplicates", "rejected", "deleted")
    )
    assert _metric(t, "accepted") == len(t["_events"])
    assert _metric(t, "rejected") == len(t["stg_events_rejected"])
    assert _metric(t, "rejected") == sum(
        row["value"] for row in t["reconciliation"] if row["metric"].startswith("rejected_")
    )
    # Section 4: the identity map covers exactly the persons.
    persons = {row["person_id"]: row for row in t["dim_persons"]}
    assert {row["person_id"] for row in t["int_identity_map"]} == set(persons)
    assert sum(p["identifiers_count"] for p in persons.values()) == len(t["int_identity_map"])
    assert {e["person_id"] for e in t["_events"]} == set(persons)
    # Section 5: sessions.
    assert sum(p["sessions"] for p in persons.values()) == len(t["fct_sessions"])
    assert sum(s["event_count"] for s in t["fct_sessions"]) == sum(
        1 for e in t["_events"] if e["session_id"] is not None
    )
    # Section 6: day lifecycle statuses of active persons add up to dau.
    dau = {row["activity_date"]: row["dau"] for row in t["fct_active_users_daily"]}
    active_statuses: dict[Any, int] = {}
    for row in t["fct_lifecycle"]:
        if row["grain"] == "day" and row["status"] != "dormant":
            day = row["period_start"]
            active_statuses[day] = active_statuses.get(day, 0) + row["persons"]
    assert active_statuses == dau
    # Section 7: persons reached never grow along a funnel.
    by_funnel: dict[str, list[int]] = {}
    for row in sorted(t["fct_funnel_steps"], key=lambda r: (r["funnel_name"], r["step_number"])):
        by_funnel.setdefault(row["funnel_name"], []).append(row["persons_reached"])
    for counts in by_funnel.values():
        assert counts == sorted(counts, reverse=True)
    # Section 8: revenue adds up across models.
    daily_net = sum(row["net_revenue"] for row in t["fct_revenue_daily"])
    person_net = sum(p["net_revenue"] for p in persons.values())
    assert daily_net == pytest.approx(person_net, rel=1e-9, abs=1e-6)
    assert sum(row["orders"] for row in t["fct_revenue_daily"]) == len(t["fct_orders"])
    previous_end = 0.0
    for month in t["fct_mrr_monthly"]:
        moved = sum(month[k] for k in ("new", "expansion", "contraction", "churn", "reactivation"))
        assert month["starting_mrr"] == pytest.approx(previous_end)
        assert month["starting_mrr"] + moved == pytest.approx(month["ending_mrr"])
        previous_end = month["ending_mrr"]
    # Section 11: no listed identifier survives.
    listed = {"sc-anon-forget-2", "u_sc_forget2", "u_sc_nobody"}
    assert not listed & {row["identifier"] for row in t["int_identity_map"]}
    assert not any(
        '"' + value + '"' in row["raw_line"] for row in t["stg_events_rejected"] for value in listed
    )


# ---------------------------------------------------------------------------- unit rules


def test_timestamp_grammar() -> None:
    from datetime import datetime

    from spec_reference.timeutil import parse_timestamp

    assert parse_timestamp("2024-03-06") == datetime(2024, 3, 6)
    assert parse_timestamp("2024-03-06T01:00") == datetime(2024, 3, 6, 1)
    assert parse_timestamp("2024-03-06 01:00:05.1234567Z") == datetime(2024, 3, 6, 1, 0, 5, 123456)
    assert parse_timestamp("2024-03-06T01:00:00+0530") == datetime(2024, 3, 5, 19, 30)
    assert parse_timestamp("2024-03-06T01:00:00-05") == datetime(2024, 3, 6, 6)
    for bad in ("garbage", "2024-3-6", "2024-03-06T25:00", "2024-02-30", "2024-03-06T01:00:00."):
        assert parse_timestamp(bad) is None, bad


def test_event_name_normalisation_and_ids() -> None:
    from spec_reference.parsing import clean_id, normalise_event_name

    assert normalise_event_name("Order Completed") == "order_completed"
    assert normalise_event_name("orderCompleted") == "order_completed"
    assert normalise_event_name(" Order  Completed ") == "order_completed"
    assert normalise_event_name("HTMLParserLoaded") == "htmlparser_loaded"
    assert normalise_event_name("step2Completed") == "step2_completed"
    assert normalise_event_name("$experiment_started") == "experiment_started"
    assert normalise_event_name("!!!") == ""
    assert clean_id("  [Object Object] ") is None
    assert clean_id(" u1 ") == "u1"
