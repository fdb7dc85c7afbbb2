"""The semantic layer: every metric answers an `mf query`, and MetricFlow's numbers equal
the marts' own (each side computed its own way: MetricFlow from its semantic models and
the time spine, the comparison from SQL over the marts in this test)."""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from integration_warehouse import BuiltWarehouse

from product_analytics_tools.semantic_checks import load_semantic_manifest, metric_time_grain

HELPER = Path(__file__).with_name("metricflow_queries.py")


QUERIES: list[tuple[str, list[str]]] = [
    *((metric, ["metric_time__day"]) for metric in ("dau", "wau", "mau", "stickiness")),
    *(
        (metric, ["metric_time__day"])
        for metric in (
            "gross_revenue",
            "refunded_revenue",
            "net_revenue",
            "orders",
            "paying_persons",
            "arpu",
            "arppu",
        )
    ),
    *(
        (metric, ["session__channel"])
        for metric in ("sessions", "bounce_rate", "session_conversion_rate")
    ),
    *(
        (metric, ["funnel_entry__funnel_name"])
        for metric in ("funnel_conversion_rate", "funnel_persons")
    ),
    ("mrr", ["metric_time__month"]),
    ("net_new_mrr", ["metric_time__month"]),
    ("mrr", ["metric_time__year"]),
]
Results = dict[tuple[str, tuple[str, ...]], dict[tuple[str, ...], float | None]]


def _subprocess_environment(built_warehouse: BuiltWarehouse) -> dict[str, str]:
    return dict(
        os.environ,
        DUCKDB_PATH=str(built_warehouse.database),
        DBT_PROFILES_DIR=str(built_warehouse.project.root),
        DO_NOT_TRACK="1",
    )


@pytest.fixture(scope="module")
def metricflow(
    built_warehouse: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> Results:
    """Every query of QUERIES, answered by MetricFlow in one child process."""
    folder = tmp_path_factory.mktemp("metricflow")
    (folder / "queries.json").write_text(json.dumps(QUERIES), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, str(HELPER), str(folder / "queries.json"), str(folder / "out")],
        cwd=built_warehouse.project.root,
        env=_subprocess_environment(built_warehouse),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    results: Results = {}
    for index, (metric, group_by) in enumerate(QUERIES):
        with open(folder / "out" / str(index) / f"{metric}.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert rows, f"{metric} by {group_by}: no rows"
        values: dict[tuple[str, ...], float | None] = {}
        for row in rows:
            key = tuple(
                row[column][:10] if "metric_time" in column else row[column] for column in group_by
            )
            values[key] = float(row[metric]) if row[metric] not in ("", None) else None
        results[(metric, tuple(group_by))] = values
    return results


def _query(
    results: Results, metric: str, group_by: Sequence[str]
) -> dict[tuple[str, ...], float | None]:
    return results[(metric, tuple(group_by))]


def _sql(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def _close(actual: float | None, expected: float | None) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)


def _assert_matches(
    metric: str, actual: dict[tuple[str, ...], float | None], expected: dict[tuple[str, ...], Any]
) -> None:
    missing = sorted(set(expected) - set(actual))
    assert not missing, f"{metric}: MetricFlow has no rows for {missing[:5]}"
    wrong = [
        (key, actual[key], value)
        for key, value in sorted(expected.items())
        if not _close(actual[key], None if value is None else float(value))
    ]
    assert not wrong, f"{metric} (key, MetricFlow, mart): {wrong[:5]}"


def test_every_metric_answers_one_query(built_warehouse: BuiltWarehouse, tmp_path: Path) -> None:
    """`python -m product_analytics_tools.semantic_checks`, as `make semantic-check` runs it."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "product_analytics_tools.semantic_checks",
            "--out-dir",
            str(tmp_path),
        ],
        cwd=built_warehouse.project.root,
        env=_subprocess_environment(built_warehouse),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    manifest = load_semantic_manifest(
        built_warehouse.project.root / "target" / "semantic_manifest.json"
    )
    metrics = {metric["name"] for metric in manifest["metrics"]}
    assert {path.stem for path in tmp_path.glob("*.csv")} == metrics
    for path in tmp_path.glob("*.csv"):
        with open(path, newline="", encoding="utf-8") as handle:
            assert len(list(csv.DictReader(handle))) >= 1, path.name
    assert metric_time_grain(manifest, "mrr") == "month"
    assert metric_time_grain(manifest, "arpu") == "day"


def test_active_users_and_stickiness_equal_the_mart(
    built_warehouse: BuiltWarehouse, metricflow: Results
) -> None:
    mart = {
        str(day): (dau, wau, mau, stickiness)
        for day, dau, wau, mau, stickiness in _sql(
            built_warehouse.database,
            "select activity_date, dau, wau, mau, stickiness from fct_active_users_daily",
        )
    }
    assert len(mart) >= 14
    for position, metric in enumerate(("dau", "wau", "mau", "stickiness")):
        actual = _query(metricflow, metric, ["metric_time__day"])
        expected = {(day,): values[position] for day, values in mart.items()}
        if metric == "dau":
            # MetricFlow has no row for a day without activity; the mart says 0
            expected = {key: value for key, value in expected.items() if value}
        if metric == "stickiness":
            expected = {key: value for key, value in expected.items() if mart[key[0]][0]}
        _assert_matches(metric, actual, expected)


def test_revenue_metrics_equal_the_daily_mart(
    built_warehouse: BuiltWarehouse, metricflow: Results
) -> None:
    rows = _sql(
        built_warehouse.database,
        "select revenue_date, gross_revenue, refunds, net_revenue, orders, paying_persons, "
        "arpu, arppu from fct_revenue_daily",
    )
    assert sum(row[4] for row in rows) > 0, "the test data has orders"
    columns = ("gross_revenue", "refunded_revenue", "net_revenue", "orders", "paying_persons")
    for position, metric in enumerate(columns, start=1):
        actual = _query(metricflow, metric, ["metric_time__day"])
        expected = {(str(row[0]),): row[position] for row in rows}
        if metric in ("orders", "paying_persons"):
            expected = {key: value for key, value in expected.items() if value}
        _assert_matches(metric, actual, expected)
    for position, metric in ((6, "arpu"), (7, "arppu")):
        actual = _query(metricflow, metric, ["metric_time__day"])
        expected = {(str(row[0]),): row[position] for row in rows if row[position] is not None}
        _assert_matches(metric, actual, expected)


def test_sessions_bounce_and_conversion_by_channel(
    built_warehouse: BuiltWarehouse, metricflow: Results
) -> None:
    rows = _sql(
        built_warehouse.database,
        "select coalesce(channel, ''), count(*), avg(case when is_bounce then 1.0 else 0.0 end), "
        "avg(case when has_order then 1.0 else 0.0 end) from fct_sessions group by 1",
    )
    assert len(rows) >= 3, "the test data has several channels"
    for position, metric in enumerate(("sessions", "bounce_rate", "session_conversion_rate"), 1):
        actual = _query(metricflow, metric, ["session__channel"])
        _assert_matches(metric, actual, {(row[0],): row[position] for row in rows})


def test_funnel_conversion_equals_the_last_step_of_fct_funnel_steps(
    built_warehouse: BuiltWarehouse, metricflow: Results
) -> None:
    rows = _sql(
        built_warehouse.database,
        "select funnel_name, arg_max(conversion_from_start, step_number), "
        "arg_min(persons_reached, step_number) from fct_funnel_steps group by funnel_name",
    )
    assert len(rows) == 2
    actual = _query(metricflow, "funnel_conversion_rate", ["funnel_entry__funnel_name"])
    _assert_matches("funnel_conversion_rate", actual, {(row[0],): row[1] for row in rows})
    entered = _query(metricflow, "funnel_persons", ["funnel_entry__funnel_name"])
    _assert_matches("funnel_persons", entered, {(row[0],): row[2] for row in rows})


def test_mrr_equals_the_monthly_mart(built_warehouse: BuiltWarehouse, metricflow: Results) -> None:
    rows = _sql(
        built_warehouse.database,
        "select month_start, ending_mrr, ending_mrr - starting_mrr from fct_mrr_monthly",
    )
    assert rows and any(row[1] for row in rows), "the test data has subscriptions"
    mrr = _query(metricflow, "mrr", ["metric_time__month"])
    _assert_matches("mrr", mrr, {(str(row[0]),): row[1] for row in rows})
    net_new = _query(metricflow, "net_new_mrr", ["metric_time__month"])
    _assert_matches("net_new_mrr", net_new, {(str(row[0]),): row[2] for row in rows})
    # a balance, not a sum: by year, MRR is that of the year's last month
    by_year = _query(metricflow, "mrr", ["metric_time__year"])
    last = max(rows)
    assert _close(by_year[(f"{last[0]:%Y}-01-01",)], last[1])
