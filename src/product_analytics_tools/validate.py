"""Validate the marts of a built warehouse with Great Expectations (`make validate`).

The checks say what the marts mean (SPEC.md), beyond the dbt data tests on keys:

- every rate is a share: retention rates, stickiness, funnel conversion (from start and
  from the previous step), experiment conversion rates and p-values, the share of events
  with a user_id, all in [0, 1];
- unbounded retention never increases with the period within a cohort, and a cohort never
  retains more persons than it has;
- dau <= wau <= mau; a funnel step never reaches more persons than the step before;
- MRR: starting + new + expansion + contraction + churn + reactivation = ending, and a
  month starts where the previous one ended;
- lines: raw lines = accepted + duplicates + rejected + deleted, the reasons add up to the
  rejected lines, and each day's lines are its accepted, duplicate and rejected lines;
- net revenue = gross revenue - refunds on every day;
- each public mart's row count is within a set ratio (default 2: from half to double) of
  the previous validated run of the same warehouse.

How it runs: the warehouse is opened read-only, the marts (and small frames derived from
them, such as each retention row beside its previous period) are read into pandas, and the
connection is closed before Great Expectations starts, so a dbt run is never blocked for
longer than those reads. GX runs in an ephemeral context through its pandas data source (its
SQL data source does not work on DuckDB): one dataframe asset, whole-dataframe batch
definition, suite, validation definition and checkpoint per frame, run with
`batch_parameters={"dataframe": frame}`. The result is printed readably and GX's data docs
are written under `target/gx/data_docs/`.

State: the row counts of every run go into the table `gx_validation_runs` of the warehouse
itself (validation bookkeeping, not a mart: run_id, validated_at, mart, row_count,
run_success), written in one short read-write transaction at the end. The baseline is the
latest run whose validation passed. Pass `--no-record` to leave the warehouse untouched.

Exit code: 0 when every expectation passed, 1 when one failed, 2 when the warehouse cannot
be read or written (missing, or held by a running dbt).

Usage: python -m product_analytics_tools.validate [--database PATH] [--docs-dir DIR]
[--row-count-ratio 2.0] [--no-record]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

RUNS_TABLE = "gx_validation_runs"
DEFAULT_ROW_COUNT_RATIO = 2.0
MONEY_TOLERANCE = 1e-6
LOCK_HINT = "Could not set lock"

PUBLIC_MARTS = (
    "fct_sessions",
    "dim_persons",
    "fct_active_users_daily",
    "fct_lifecycle",
    "fct_retention",
    "fct_funnel_entries",
    "fct_funnel_steps",
    "fct_experiment_results",
    "fct_event_transitions",
    "fct_orders",
    "fct_revenue_daily",
    "fct_ltv_cohorts",
    "fct_mrr_movements",
    "fct_mrr_monthly",
    "fct_ingestion_daily",
    "fct_ingestion_reconciliation",
)
RECONCILIATION_METRICS = ("raw_lines", "accepted", "duplicates", "rejected", "deleted")
REJECT_REASONS = (
    "invalid_json",
    "unknown_type",
    "missing_event_name",
    "missing_identity",
    "missing_timestamp",
    "timestamp_out_of_range",
)


class WarehouseUnavailableError(RuntimeError):
    """The warehouse file is missing, or another process holds it."""


@dataclass
class Check:
    """One expectation on one frame, built when GX is imported."""

    description: str
    build: Callable[[Any], Any]


@dataclass
class CheckFrame:
    """A dataframe to validate (a mart or a frame derived from one) and its checks."""

    name: str
    frame: pd.DataFrame
    checks: list[Check] = field(default_factory=list)


@dataclass(frozen=True)
class ExpectationOutcome:
    frame: str
    description: str
    success: bool
    detail: str


@dataclass(frozen=True)
class ValidationReport:
    outcomes: list[ExpectationOutcome]
    row_counts: dict[str, int]
    baseline: datetime | None
    docs_index: Path | None
    seconds: float

    @property
    def success(self) -> bool:
        return all(outcome.success for outcome in self.outcomes)


# -- reading the warehouse ---------------------------------------------------------------


def _connect(database: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    if not database.is_file():
        raise WarehouseUnavailableError(f"no warehouse at {database}: run `make run` first")
    try:
        return duckdb.connect(str(database), read_only=read_only)
    except duckdb.IOException as error:
        if LOCK_HINT in str(error):
            raise WarehouseUnavailableError(
                f"another process (a dbt run?) holds the warehouse {database}; "
                "validate after it ends"
            ) from error
        raise


def _existing_tables(connection: duckdb.DuckDBPyConnection) -> set[str]:
    rows = connection.execute(
        "select table_name from information_schema.tables where table_schema = 'main'"
    ).fetchall()
    return {str(row[0]) for row in rows}


def _previous_run(
    connection: duckdb.DuckDBPyConnection,
) -> tuple[datetime | None, dict[str, int]]:
    """The latest passing run's time and row counts (none before the first run)."""
    if RUNS_TABLE not in _existing_tables(connection):
        return None, {}
    latest = connection.execute(
        f"select run_id, validated_at from {RUNS_TABLE} where run_success "
        "order by validated_at desc limit 1"
    ).fetchone()
    if latest is None:
        return None, {}
    counts = connection.execute(
        f"select mart, row_count from {RUNS_TABLE} where run_id = ?", [latest[0]]
    ).fetchall()
    return latest[1], {str(mart): int(count) for mart, count in counts}


@dataclass
class WarehouseSnapshot:
    marts: dict[str, pd.DataFrame]
    row_counts: dict[str, int]
    baseline_at: datetime | None
    baseline_counts: dict[str, int]


VALIDATED_MARTS = (
    "fct_retention",
    "fct_active_users_daily",
    "fct_funnel_steps",
    "fct_experiment_results",
    "fct_ingestion_daily",
    "fct_ingestion_reconciliation",
    "fct_mrr_monthly",
    "fct_revenue_daily",
)


def read_snapshot(database: Path) -> WarehouseSnapshot:
    """Everything the checks need, read in one read-only connection that is then closed."""
    with _connect(database, read_only=True) as connection:
        tables = _existing_tables(connection)
        missing = [mart for mart in PUBLIC_MARTS if mart not in tables]
        if missing:
            raise WarehouseUnavailableError(
                f"the warehouse {database} has no {', '.join(missing)}: run `dbt build` first"
            )
        marts = {mart: connection.sql(f"select * from {mart}").df() for mart in VALIDATED_MARTS}
        row_counts = {}
        for mart in PUBLIC_MARTS:
            found = connection.execute(f"select count(*) from {mart}").fetchone()
            row_counts[mart] = int(found[0]) if found else 0
        baseline_at, baseline_counts = _previous_run(connection)
    return WarehouseSnapshot(marts, row_counts, baseline_at, baseline_counts)


def record_run(database: Path, row_counts: dict[str, int], success: bool) -> str:
    """Append this run's row counts to gx_validation_runs; returns the run id."""
    run_id = uuid.uuid4().hex
    validated_at = datetime.now(UTC).replace(tzinfo=None)
    with _connect(database, read_only=False) as connection:
        connection.execute(
            f"create table if not exists {RUNS_TABLE} ("
            "run_id varchar not null, validated_at timestamp not null, "
            "mart varchar not null, row_count bigint not null, run_success boolean not null)"
        )
        connection.executemany(
            f"insert into {RUNS_TABLE} values (?, ?, ?, ?, ?)",
            [
                [run_id, validated_at, mart, count, success]
                for mart, count in sorted(row_counts.items())
            ],
        )
    return run_id


# -- the check frames --------------------------------------------------------------------


def _keyed(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy with `row_key`, the row's grain as text, for readable failures."""
    keyed = frame.copy()
    if keyed.empty:
        keyed["row_key"] = pd.Series(dtype="object")
        return keyed
    keyed["row_key"] = keyed[list(columns)].astype(str).agg(" ".join, axis=1)
    return keyed


def _between(column: str, low: float, high: float, description: str) -> Check:
    def build(gxe: Any) -> Any:
        return gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=low, max_value=high, description=description
        )

    return Check(description, build)


def _at_least(column_a: str, column_b: str, description: str) -> Check:
    def build(gxe: Any) -> Any:
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=column_a,
            column_B=column_b,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            description=description,
        )

    return Check(description, build)


def _equal(column_a: str, column_b: str, description: str) -> Check:
    def build(gxe: Any) -> Any:
        return gxe.ExpectColumnPairValuesToBeEqual(
            column_A=column_a, column_B=column_b, description=description
        )

    return Check(description, build)


def _rate(column: str, mart: str) -> Check:
    return _between(column, 0.0, 1.0, f"{mart}.{column} is a share, in [0, 1]")


def _near_zero(column: str, description: str) -> Check:
    return _between(column, -MONEY_TOLERANCE, MONEY_TOLERANCE, description)


def _previous_within(
    frame: pd.DataFrame, group: Sequence[str], order: str, column: str
) -> pd.Series:
    ordered = frame.sort_values([*group, order])
    return ordered.groupby(list(group), sort=False)[column].shift(1).reindex(frame.index)


def build_check_frames(snapshot: WarehouseSnapshot, row_count_ratio: float) -> list[CheckFrame]:
    marts = snapshot.marts
    frames: list[CheckFrame] = []

    retention = _keyed(marts["fct_retention"], "grain", "cohort_start", "period_number")
    frames.append(
        CheckFrame(
            "fct_retention",
            retention,
            [
                _rate("retention_rate", "fct_retention"),
                _rate("unbounded_retention_rate", "fct_retention"),
                _at_least(
                    "cohort_size",
                    "retained_persons",
                    "a cohort retains at most its own size",
                ),
                _at_least(
                    "unbounded_retained_persons",
                    "retained_persons",
                    "unbounded retention counts at least the persons active in the period",
                ),
            ],
        )
    )
    by_period = retention.copy()
    by_period["previous_unbounded_retention_rate"] = _previous_within(
        by_period, ["grain", "cohort_start"], "period_number", "unbounded_retention_rate"
    )
    frames.append(
        CheckFrame(
            "fct_retention__previous_period",
            by_period,
            [
                _at_least(
                    "previous_unbounded_retention_rate",
                    "unbounded_retention_rate",
                    "unbounded retention does not increase with the period within a cohort",
                )
            ],
        )
    )

    active = _keyed(marts["fct_active_users_daily"], "activity_date")
    frames.append(
        CheckFrame(
            "fct_active_users_daily",
            active,
            [
                _rate("stickiness", "fct_active_users_daily"),
                _at_least("wau", "dau", "dau <= wau"),
                _at_least("mau", "wau", "wau <= mau"),
                _at_least("dau", "new_persons", "new persons are among the day's active persons"),
                _between("returning_persons", 0, math.inf, "returning_persons >= 0"),
            ],
        )
    )

    steps = _keyed(marts["fct_funnel_steps"], "funnel_name", "step_number")
    steps["previous_persons_reached"] = _previous_within(
        steps, ["funnel_name"], "step_number", "persons_reached"
    )
    frames.append(
        CheckFrame(
            "fct_funnel_steps",
            steps,
            [
                _rate("conversion_from_start", "fct_funnel_steps"),
                _rate("conversion_from_previous", "fct_funnel_steps"),
                _at_least(
                    "previous_persons_reached",
                    "persons_reached",
                    "a step reaches at most the persons of the step before",
                ),
            ],
        )
    )

    experiments = _keyed(marts["fct_experiment_results"], "experiment_name", "variant")
    frames.append(
        CheckFrame(
            "fct_experiment_results",
            experiments,
            [
                _rate("conversion_rate", "fct_experiment_results"),
                _rate("p_value", "fct_experiment_results"),
                _at_least("exposed_persons", "converted_persons", "converted persons were exposed"),
            ],
        )
    )

    daily = _keyed(marts["fct_ingestion_daily"], "event_date")
    daily["accounted_lines"] = (
        daily["accepted_events"] + daily["duplicate_lines"] + daily["rejected_lines"]
    )
    daily["rejected_by_reason"] = sum(
        (daily[f"rejected_{reason}"] for reason in REJECT_REASONS),
        start=pd.Series(0, index=daily.index),
    )
    frames.append(
        CheckFrame(
            "fct_ingestion_daily",
            daily,
            [
                _rate("share_with_user_id", "fct_ingestion_daily"),
                _equal("lines", "accounted_lines", "lines = accepted + duplicates + rejected"),
                _equal(
                    "rejected_lines",
                    "rejected_by_reason",
                    "the reject reasons add up to the rejected lines",
                ),
                _at_least(
                    "accepted_events",
                    "late_arrivals",
                    "late arrivals are accepted events",
                ),
            ],
        )
    )

    values = dict(
        zip(
            marts["fct_ingestion_reconciliation"]["metric"],
            marts["fct_ingestion_reconciliation"]["value"],
            strict=True,
        )
    )
    reconciliation = pd.DataFrame(
        [
            {
                "row_key": "all lines",
                **{metric: int(values.get(metric, 0)) for metric in RECONCILIATION_METRICS},
                "accounted_lines": sum(
                    int(values.get(metric, 0)) for metric in RECONCILIATION_METRICS[1:]
                ),
                "rejected_by_reason": sum(
                    int(values.get(f"rejected_{reason}", 0)) for reason in REJECT_REASONS
                ),
                "live_lines": int(values.get("raw_lines", 0)) - int(values.get("deleted", 0)),
                "daily_lines": int(daily["lines"].sum()),
            }
        ]
    )
    frames.append(
        CheckFrame(
            "fct_ingestion_reconciliation",
            reconciliation,
            [
                _equal(
                    "raw_lines",
                    "accounted_lines",
                    "raw lines = accepted + duplicates + rejected + deleted",
                ),
                _equal(
                    "rejected",
                    "rejected_by_reason",
                    "the reject reasons add up to the rejected lines",
                ),
                _equal(
                    "live_lines",
                    "daily_lines",
                    "fct_ingestion_daily counts every line not deleted",
                ),
            ],
        )
    )

    mrr = _keyed(marts["fct_mrr_monthly"], "month_start")
    mrr["movements_gap"] = (
        mrr["starting_mrr"]
        + mrr["new"]
        + mrr["expansion"]
        + mrr["contraction"]
        + mrr["churn"]
        + mrr["reactivation"]
        - mrr["ending_mrr"]
    )
    previous_ending = mrr.sort_values("month_start")["ending_mrr"].shift(1).fillna(0.0)
    mrr["carry_gap"] = mrr["starting_mrr"] - previous_ending.reindex(mrr.index)
    frames.append(
        CheckFrame(
            "fct_mrr_monthly",
            mrr,
            [
                _near_zero(
                    "movements_gap",
                    "starting MRR + new + expansion + contraction + churn + reactivation "
                    "= ending MRR",
                ),
                _near_zero("carry_gap", "a month starts with the previous month's ending MRR"),
            ],
        )
    )

    revenue = _keyed(marts["fct_revenue_daily"], "revenue_date")
    revenue["net_gap"] = revenue["gross_revenue"] - revenue["refunds"] - revenue["net_revenue"]
    frames.append(
        CheckFrame(
            "fct_revenue_daily",
            revenue,
            [
                _near_zero("net_gap", "net revenue = gross revenue - refunds"),
                _at_least(
                    "paying_persons",
                    "new_paying_persons",
                    "new paying persons are among the day's paying persons",
                ),
            ],
        )
    )

    counts = pd.DataFrame(
        [
            {
                "row_key": mart,
                "row_count": count,
                "previous_row_count": snapshot.baseline_counts.get(mart),
                "ratio_to_previous": _ratio(count, snapshot.baseline_counts.get(mart)),
            }
            for mart, count in snapshot.row_counts.items()
        ]
    )
    frames.append(
        CheckFrame(
            "row_counts",
            counts,
            [
                _between(
                    "ratio_to_previous",
                    1 / row_count_ratio,
                    row_count_ratio,
                    f"each mart's row count is within {row_count_ratio:g}x of the previous "
                    "validated run",
                )
            ],
        )
    )
    return frames


def _ratio(count: int, previous: int | None) -> float | None:
    """count / previous; none without a baseline (no run yet, or an empty mart before)."""
    if previous is None or (previous == 0 and count != 0):
        return None
    if previous == 0:
        return 1.0
    return count / previous


# -- running Great Expectations -----------------------------------------------------------


def _gx_context(docs_dir: Path) -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            "local_site": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir.resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def run_expectations(
    frames: Sequence[CheckFrame], docs_dir: Path | None
) -> list[ExpectationOutcome]:
    """Validate every frame with its own suite and checkpoint; build the data docs."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    context = _gx_context(docs_dir or Path("target/gx/data_docs"))
    source = context.data_sources.add_pandas(name="warehouse_marts")
    outcomes: list[ExpectationOutcome] = []
    for check_frame in frames:
        asset = source.add_dataframe_asset(name=check_frame.name)
        batch = asset.add_batch_definition_whole_dataframe(name=f"{check_frame.name}__whole")
        suite = context.suites.add(gx.ExpectationSuite(name=check_frame.name))
        for check in check_frame.checks:
            suite.add_expectation(check.build(gxe))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=check_frame.name, data=batch, suite=suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=check_frame.name,
                validation_definitions=[definition],
                actions=[],
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": ["row_key"],
                },
            )
        )
        result = checkpoint.run(batch_parameters={"dataframe": check_frame.frame})
        for run_result in result.run_results.values():
            for expectation in run_result.results:
                outcomes.append(
                    ExpectationOutcome(
                        frame=check_frame.name,
                        description=str(expectation.expectation_config.description),
                        success=bool(expectation.success),
                        detail=_detail(expectation.result, len(check_frame.frame)),
                    )
                )
    if docs_dir is not None:
        context.build_data_docs()
    return outcomes


def _detail(result: dict[str, Any], rows: int) -> str:
    unexpected = result.get("unexpected_count")
    if not unexpected:
        return f"{rows} rows" if rows != 1 else "1 row"
    keys = [str(item.get("row_key")) for item in result.get("unexpected_index_list") or []][:5]
    values = [_short(value) for value in (result.get("partial_unexpected_list") or [])[:5]]
    return f"{unexpected} of {result.get('element_count', rows)} rows unexpected: " + ", ".join(
        f"{key} -> {value}" for key, value in zip(keys, values, strict=False)
    )


def _short(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_short(item) for item in value) + ")"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def validate(
    database: Path,
    docs_dir: Path | None = Path("target/gx/data_docs"),
    row_count_ratio: float = DEFAULT_ROW_COUNT_RATIO,
    record: bool = True,
) -> ValidationReport:
    started = time.perf_counter()
    snapshot = read_snapshot(database)
    frames = build_check_frames(snapshot, row_count_ratio)
    outcomes = run_expectations(frames, docs_dir)
    success = all(outcome.success for outcome in outcomes)
    if record:
        record_run(database, snapshot.row_counts, success)
    return ValidationReport(
        outcomes=outcomes,
        row_counts=snapshot.row_counts,
        baseline=snapshot.baseline_at,
        docs_index=(docs_dir / "index.html") if docs_dir is not None else None,
        seconds=time.perf_counter() - started,
    )


def format_report(report: ValidationReport, database: Path, recorded: bool) -> list[str]:
    lines = [f"Great Expectations on {database}"]
    lines.append(
        "row counts compared with the validated run of "
        + (f"{report.baseline:%Y-%m-%d %H:%M:%S} UTC" if report.baseline else "(none yet)")
    )
    current = None
    for outcome in report.outcomes:
        if outcome.frame != current:
            current = outcome.frame
            lines.append(current)
        mark = "ok  " if outcome.success else "FAIL"
        lines.append(f"  {mark} {outcome.description} ({outcome.detail})")
    failed = sum(not outcome.success for outcome in report.outcomes)
    lines.append(
        f"{len(report.outcomes)} expectations: {len(report.outcomes) - failed} met, "
        f"{failed} not met ({report.seconds:.1f} s)"
    )
    if report.docs_index is not None:
        lines.append(f"data docs: {report.docs_index}")
    if recorded:
        lines.append(f"row counts recorded in {RUNS_TABLE}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="validate the marts with Great Expectations")
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("DUCKDB_PATH", "warehouse.duckdb")),
        help="the warehouse file (default: $DUCKDB_PATH, else warehouse.duckdb)",
    )
    parser.add_argument("--docs-dir", type=Path, default=Path("target/gx/data_docs"))
    parser.add_argument(
        "--row-count-ratio",
        type=float,
        default=DEFAULT_ROW_COUNT_RATIO,
        help="largest factor a mart's row count may grow or shrink by between runs",
    )
    parser.add_argument(
        "--no-record", action="store_true", help=f"do not write this run to {RUNS_TABLE}"
    )
    args = parser.parse_args(argv)
    if args.row_count_ratio < 1:
        parser.error("--row-count-ratio must be at least 1")
    try:
        report = validate(args.database, args.docs_dir, args.row_count_ratio, not args.no_record)
    except WarehouseUnavailableError as error:
        print(f"validate: {error}", file=sys.stderr)
        return 2
    print("\n".join(format_report(report, args.database, not args.no_record)))
    return 0 if report.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
