"""`make validate`: the Great Expectations suite passes on the built marts, fails on
corrupted ones, and keeps the row counts of each run in gx_validation_runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from integration_warehouse import BuiltWarehouse

from product_analytics_tools import validate


def _run_validate(database: Path, docs: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "product_analytics_tools.validate",
        "--database",
        str(database),
    ]
    command += ["--docs-dir", str(docs or database.parent / "docs")]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _execute(database: Path, sql: str) -> None:
    with duckdb.connect(str(database)) as connection:
        connection.execute(sql)


def _runs(database: Path) -> list[tuple[str, str, int, bool]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return [
            (str(run_id), str(mart), int(count), bool(success))
            for run_id, mart, count, success in connection.execute(
                "select run_id, mart, row_count, run_success from gx_validation_runs "
                "order by validated_at, mart"
            ).fetchall()
        ]


def _row_counts(database: Path) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return {
            mart: int(connection.execute(f"select count(*) from {mart}").fetchone()[0])
            for mart in validate.PUBLIC_MARTS
        }


def test_passes_on_the_built_marts_and_records_the_run(
    built_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    database = built_warehouse.copy_to(tmp_path)
    _execute(database, "drop table if exists gx_validation_runs")
    completed = _run_validate(database, tmp_path / "docs")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert " 0 not met" in completed.stdout
    assert "FAIL" not in completed.stdout
    assert (tmp_path / "docs" / "index.html").is_file()
    assert list((tmp_path / "docs" / "validations").rglob("*.html"))
    runs = _runs(database)
    assert {run_id for run_id, *_ in runs} and len({run_id for run_id, *_ in runs}) == 1
    assert {mart: count for _, mart, count, _ in runs} == _row_counts(database)
    assert all(success for *_, success in runs)


def test_fails_on_a_retention_rate_above_one(
    built_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    database = built_warehouse.copy_to(tmp_path)
    _execute(
        database,
        "update fct_retention set retention_rate = 1.5 where grain = 'week' and period_number = 1 "
        "and cohort_start = (select min(cohort_start) from fct_retention where grain = 'week')",
    )
    completed = _run_validate(database)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    failed = [line for line in completed.stdout.splitlines() if "FAIL" in line]
    assert len(failed) == 1, completed.stdout
    assert "fct_retention.retention_rate is a share" in failed[0]
    assert "-> 1.5" in failed[0]
    assert not _runs(database)[-1][3], "a failing run is recorded as such"


def test_row_counts_are_compared_with_the_last_passing_run(
    built_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    database = built_warehouse.copy_to(tmp_path)
    _execute(database, "drop table if exists gx_validation_runs")
    # in-process (the same code as the command line, whose exit codes the tests above check)
    assert validate.validate(database, docs_dir=None).success
    orders = _row_counts(database)["fct_orders"]
    assert orders >= 4, "the test data has orders"
    # keep less than half of the orders: outside the default ratio of 2
    _execute(
        database,
        f"delete from fct_orders where order_id not in "
        f"(select order_id from fct_orders order by order_id limit {orders // 2 - 1})",
    )
    for _ in range(2):
        report = validate.validate(database, docs_dir=None)
        failed = [outcome for outcome in report.outcomes if not outcome.success]
        assert [outcome.frame for outcome in failed] == ["row_counts"], failed
        assert failed[0].detail.startswith("1 of 16 rows unexpected: fct_orders -> ")
    # the baseline stays the passing run, not the failed one in between
    runs = _runs(database)
    assert [success for run_id, mart, _, success in runs if mart == "fct_orders"] == [
        True,
        False,
        False,
    ]


def test_each_invariant_has_an_expectation_that_catches_it(
    built_warehouse: BuiltWarehouse,
) -> None:
    """Break one invariant per mart in memory and check which expectation fails."""
    snapshot = validate.read_snapshot(built_warehouse.database)
    marts = snapshot.marts

    active = marts["fct_active_users_daily"]
    busiest = active["dau"].idxmax()
    active.loc[busiest, "wau"] = active.loc[busiest, "dau"] - 1

    retention = marts["fct_retention"]
    days = retention[retention["grain"] == "day"].set_index(["cohort_start", "period_number"])
    cohort = next(
        start
        for start in sorted(days.index.get_level_values(0).unique())
        if (start, 2) in days.index and days.loc[(start, 1), "unbounded_retention_rate"] < 0.9
    )
    earlier = retention[
        (retention["grain"] == "day")
        & (retention["cohort_start"] == cohort)
        & (retention["period_number"] == 1)
    ].index[0]
    later = retention[
        (retention["grain"] == "day")
        & (retention["cohort_start"] == cohort)
        & (retention["period_number"] == 2)
    ].index[0]
    retention.loc[later, "unbounded_retention_rate"] = (
        retention.loc[earlier, "unbounded_retention_rate"] + 0.01
    )

    mrr = marts["fct_mrr_monthly"]
    mrr.loc[mrr["month_start"].idxmax(), "ending_mrr"] += 1.0
    reconciliation = marts["fct_ingestion_reconciliation"]
    reconciliation.loc[reconciliation["metric"] == "duplicates", "value"] += 1
    steps = marts["fct_funnel_steps"]
    steps.loc[steps.index[0], "conversion_from_previous"] = 1.2

    frames = validate.build_check_frames(snapshot, validate.DEFAULT_ROW_COUNT_RATIO)
    outcomes = validate.run_expectations(frames, docs_dir=None)
    failed = sorted(
        (outcome.frame, outcome.description) for outcome in outcomes if not outcome.success
    )
    assert failed == sorted(
        [
            ("fct_active_users_daily", "dau <= wau"),
            (
                "fct_retention__previous_period",
                "unbounded retention does not increase with the period within a cohort",
            ),
            (
                "fct_mrr_monthly",
                "starting MRR + new + expansion + contraction + churn + reactivation = ending MRR",
            ),
            (
                "fct_ingestion_reconciliation",
                "raw lines = accepted + duplicates + rejected + deleted",
            ),
            ("fct_funnel_steps", "fct_funnel_steps.conversion_from_previous is a share, in [0, 1]"),
        ]
    ), failed


@pytest.mark.parametrize(
    ("count", "previous", "expected"),
    [(10, None, None), (10, 0, None), (0, 0, 1.0), (10, 5, 2.0), (3, 12, 0.25)],
)
def test_ratio_to_previous(count: int, previous: int | None, expected: float | None) -> None:
    assert validate._ratio(count, previous) == expected
