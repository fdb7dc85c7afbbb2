"""Dagster example: the warehouse as software-defined assets (dagster-dbt), built daily.

- `product_analytics_dbt`: every dbt model, seed and snapshot of the manifest as an asset,
  materialized with the production build `dbt build --exclude-resource-type unit_test`
  (unit tests are a development and CI check); dbt's data tests become asset checks.
- `compacted_warehouse`: after the build, `pa-compact-warehouse --if-deleted` rewrites the
  DuckDB file when deletion requests removed lines, so deleted rows leave no bytes.
- `raw_events_freshness`: an asset check on the raw event files source that runs
  `dbt source freshness` and fails when it fails (no new file for 72 hours: dbt's
  error_after); it warns after 24 hours (warn_after).
- `daily_warehouse_build`: a schedule at 06:00 UTC running all of the above.

DuckDB has one writer, so every job runs its steps one at a time, in one process.

Settings come from the environment: DUCKDB_PATH (the warehouse, as for dbt),
RAW_EVENTS_PATH (the raw files, default data/events of the project) and DBT_TARGET (dev).
The manifest must exist: `dbt parse` (make test-orchestration runs it).

Run it: `dagster dev -f orchestration/dagster/definitions.py`, or
`dagster asset materialize -f orchestration/dagster/definitions.py --select '*'`.
"""

import json
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetSelection,
    Definitions,
    MaterializeResult,
    ScheduleDefinition,
    asset,
    asset_check,
    define_asset_job,
    in_process_executor,
)
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets, get_asset_key_for_source

from product_analytics_tools import compact_warehouse

PROJECT_DIR = Path(__file__).resolve().parents[2]
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]

dbt_project = DbtProject(
    project_dir=PROJECT_DIR,
    profiles_dir=PROJECT_DIR,
    target=os.environ.get("DBT_TARGET", "dev"),
)


def dbt_vars() -> list[str]:
    events = os.environ.get("RAW_EVENTS_PATH", str(PROJECT_DIR / "data" / "events"))
    return ["--vars", json.dumps({"raw_events_path": events})]


def warehouse_path() -> Path:
    return PROJECT_DIR / os.environ.get("DUCKDB_PATH", "warehouse.duckdb")


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project)
def product_analytics_dbt(context: AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """The production build of every model, with its data tests as asset checks."""
    yield from dbt.cli([*BUILD_ARGS, *dbt_vars()], context=context).stream()


@asset(deps=[product_analytics_dbt], group_name="maintenance")
def compacted_warehouse(context: AssetExecutionContext) -> MaterializeResult:
    """`pa-compact-warehouse --if-deleted`, after dbt has closed the DuckDB file."""
    database = warehouse_path()
    code = compact_warehouse.main(["--database", str(database), "--if-deleted"])
    if code != 0:
        raise RuntimeError(f"pa-compact-warehouse failed with exit code {code}")
    return MaterializeResult(
        metadata={"warehouse": str(database), "bytes": database.stat().st_size}
    )


RAW_EVENTS = get_asset_key_for_source([product_analytics_dbt], "raw_events")


def freshness_result(sources: Mapping[str, Any]) -> AssetCheckResult:
    """The check's verdict from dbt's sources.json: error (or a failed query) fails it,
    warn fails it as a warning, pass passes."""
    results = sources.get("results") or []
    statuses = [str(result.get("status")) for result in results]
    metadata = {
        "statuses": ", ".join(statuses) or "none",
        "max_loaded_at": ", ".join(str(result.get("max_loaded_at")) for result in results),
        "age_seconds": ", ".join(
            str(result.get("max_loaded_at_time_ago_in_s")) for result in results
        ),
    }
    if not results or any(status in ("error", "runtime error") for status in statuses):
        return AssetCheckResult(passed=False, severity=AssetCheckSeverity.ERROR, metadata=metadata)
    if "warn" in statuses:
        return AssetCheckResult(passed=False, severity=AssetCheckSeverity.WARN, metadata=metadata)
    return AssetCheckResult(passed=True, metadata=metadata)


@asset_check(asset=RAW_EVENTS, name="raw_events_freshness")
def raw_events_freshness(
    context: AssetCheckExecutionContext, dbt: DbtCliResource
) -> AssetCheckResult:
    """`dbt source freshness` on the raw event files."""
    invocation = dbt.cli(["source", "freshness", *dbt_vars()], raise_on_error=False).wait()
    try:
        sources = invocation.get_artifact("sources.json")
    except FileNotFoundError:
        sources = {}
    return freshness_result(sources)


warehouse_build = define_asset_job(
    "warehouse_build",
    selection=AssetSelection.assets(product_analytics_dbt, compacted_warehouse)
    | AssetSelection.checks(raw_events_freshness),
)

daily_warehouse_build = ScheduleDefinition(
    name="daily_warehouse_build",
    job=warehouse_build,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
)

defs = Definitions(
    assets=[product_analytics_dbt, compacted_warehouse],
    asset_checks=[raw_events_freshness],
    jobs=[warehouse_build],
    schedules=[daily_warehouse_build],
    # DuckDB has one writer: one step at a time (the freshness check opens the file too)
    executor=in_process_executor,
    resources={
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(PROJECT_DIR),
            dbt_executable=str(Path(sys.executable).with_name("dbt")),
        )
    },
)
