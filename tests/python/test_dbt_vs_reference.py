"""Every mart equals the pure-Python reference (tests/python/spec_reference) on generated data.

Thousands of persons, generated with every kind of bad line, under several
configurations and reporting timezones (including DST zones and a +05:45 zone), with
the project's own seeds plus a deletion request and extra currency rates.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dbt_harness import DbtProject
from product_analytics_tools.generator import GeneratorConfig, generate
from spec_reference import compute_all, load_seeds
from spec_reference.compare import TABLE_KEYS, compare_rows, format_problems

MODEL_OF = {"reconciliation": "fct_ingestion_reconciliation"}
DEBUG_COLUMNS = {"first_event_id", "event_id", "order_date", "rate_to_reporting", "person_type"}

CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "defaults_utc": {},
    "new_york": {
        "reporting_timezone": "America/New_York",
        "retention_cohort_event": "signed_up",
        "non_interactive_events": ["experiment_viewed"],
        "own_hosts": ["www.shopdemo.com"],
        "experiments": {
            "checkout_button": {"conversion_event": "checkout_started", "window_days": 7}
        },
    },
    "kathmandu_short_sessions": {
        "reporting_timezone": "Asia/Kathmandu",
        "session_timeout_minutes": 10,
        "session_max_hours": 2,
        "conversion_window_days": 2,
        "reporting_currency": "EUR",
        "key_events": ["order_completed"],
        "keep_emails": True,
        "funnels": [
            {"name": "browse", "steps": ["page_viewed", "product_viewed", "page_viewed"]},
            {
                "name": "buy",
                "steps": ["product_added", "order_completed"],
                "conversion_window_days": 1,
            },
        ],
    },
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("generated")
    events = root / "events"
    generate(
        GeneratorConfig(out_dir=events, persons=2500, days=45, start_date=date(2024, 3, 1), seed=3)
    )
    seeds = root / "seeds"
    seeds.mkdir()
    project_seeds = Path(__file__).resolve().parents[2] / "seeds"
    for name in ("event_name_aliases", "channel_rules"):
        (seeds / f"{name}.csv").write_bytes((project_seeds / f"{name}.csv").read_bytes())
    with open(seeds / "currency_rates.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["currency", "valid_from", "rate_to_reporting"])
        writer.writerows(
            [
                ["USD", "2000-01-01", "1.0"],
                ["EUR", "2000-01-01", "1.08"],
                ["EUR", "2024-03-31", "1.1"],
                ["GBP", "2000-01-01", "1.27"],
                ["USD", "2024-04-01", "0.92"],
            ]
        )
    first_user = _first_user_id(events)
    with open(seeds / "deletion_requests.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user_id", "anonymous_id", "requested_at"])
        writer.writerow([first_user, "", "2024-04-01T00:00:00Z"])
    return events, seeds


def _first_user_id(events: Path) -> str:
    import gzip
    import json

    for path in sorted(events.rglob("*.ndjson")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if isinstance(message, dict) and isinstance(message.get("userId"), str):
                    return str(message["userId"])
    raise AssertionError("no user id in generated events")


@pytest.mark.parametrize("configuration", sorted(CONFIGURATIONS))
def test_marts_equal_reference(
    configuration: str, generated: tuple[Path, Path], tmp_path: Path
) -> None:
    events, seeds = generated
    overrides = CONFIGURATIONS[configuration]
    reference = compute_all(events, overrides, load_seeds(seeds))

    project = DbtProject(tmp_path / "project")
    project.use_seeds(seeds)
    project.build({"raw_events_path": str(events), **overrides})

    problems: list[str] = []
    for table in sorted(TABLE_KEYS):
        actual = project.rows(MODEL_OF.get(table, table))
        expected = reference[table]
        assert expected or table in {"fct_mrr_movements"}, f"reference produced no {table} rows"
        problems += compare_rows(
            table, expected, actual, key_columns=TABLE_KEYS[table], ignore_columns=DEBUG_COLUMNS
        )
    assert not problems, "\n" + format_problems(problems, limit=60)
