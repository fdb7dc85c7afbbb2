"""Airflow example: the warehouse as an Astronomer Cosmos DbtDag, then the compaction task.

Cosmos renders one task group per dbt node from the manifest (no `dbt ls` at parse time).
Each runs the production build for its node, `dbt build --select <node>
--exclude-resource-type unit_test` (TestBehavior.BUILD: the node, then its data tests;
unit tests are a development and CI check). DuckDB has one writer, so the DAG runs one task
at a time. After every dbt task, `compact_warehouse` runs `pa-compact-warehouse --if-deleted`.

Settings come from the environment: DUCKDB_PATH (the warehouse; made absolute, since Cosmos
runs dbt from a temporary copy of the project), RAW_EVENTS_PATH (default data/events of
the project). The manifest must exist: `dbt parse` (make test-orchestration runs it).
Without a metadata database set AIRFLOW__COSMOS__ENABLE_CACHE=False.

Try it: `airflow dags test product_analytics` with AIRFLOW__CORE__DAGS_FOLDER pointing here.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from airflow.providers.standard.operators.python import PythonOperator
from cosmos import (
    DbtDag,
    ExecutionConfig,
    LoadMode,
    ProfileConfig,
    ProjectConfig,
    RenderConfig,
    TestBehavior,
)

PROJECT_DIR = Path(__file__).resolve().parents[3]
WAREHOUSE = (PROJECT_DIR / os.environ.get("DUCKDB_PATH", "warehouse.duckdb")).resolve()
RAW_EVENTS = (PROJECT_DIR / os.environ.get("RAW_EVENTS_PATH", "data/events")).resolve()
BUILD_FLAGS = ["--exclude-resource-type", "unit_test"]


def compact_warehouse() -> None:
    """`pa-compact-warehouse --if-deleted`, once every dbt task has closed the file."""
    from product_analytics_tools import compact_warehouse as compaction

    code = compaction.main(["--database", str(WAREHOUSE), "--if-deleted"])
    if code != 0:
        raise RuntimeError(f"pa-compact-warehouse failed with exit code {code}")


with DbtDag(
    dag_id="product_analytics",
    description="dbt build of the product analytics warehouse, then its compaction",
    project_config=ProjectConfig(
        dbt_project_path=PROJECT_DIR,
        manifest_path=PROJECT_DIR / "target" / "manifest.json",
        install_dbt_deps=False,
        env_vars={"DUCKDB_PATH": str(WAREHOUSE)},
        dbt_vars={"raw_events_path": str(RAW_EVENTS)},
    ),
    profile_config=ProfileConfig(
        profile_name="product_analytics",
        target_name=os.environ.get("DBT_TARGET", "dev"),
        profiles_yml_filepath=PROJECT_DIR / "profiles.yml",
    ),
    execution_config=ExecutionConfig(dbt_executable_path=Path(sys.executable).with_name("dbt")),
    render_config=RenderConfig(
        load_method=LoadMode.DBT_MANIFEST,
        test_behavior=TestBehavior.BUILD,
        exclude=["resource_type:unit_test"],
    ),
    operator_args={"install_deps": False, "dbt_cmd_flags": BUILD_FLAGS},
    schedule="0 6 * * *",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    max_active_tasks=1,
    tags=["dbt", "product_analytics"],
) as dag:
    dbt_leaves = list(dag.leaves)
    compaction = PythonOperator(task_id="compact_warehouse", python_callable=compact_warehouse)
    for leaf in dbt_leaves:
        leaf >> compaction
