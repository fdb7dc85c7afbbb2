"""The Dagster example loads: Definitions validate, the dbt assets, the compaction after
them, the daily schedule and the source freshness check that fails when freshness fails."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

DEFINITIONS = Path(__file__).resolve().parent / "dagster" / "definitions.py"


@pytest.fixture(scope="module")
def definitions() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pa_dagster_definitions", DEFINITIONS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dagster_definitions_validate(tmp_path: Path) -> None:
    dagster = Path(sys.executable).with_name("dagster")
    completed = subprocess.run(
        [str(dagster), "definitions", "validate", "-f", str(DEFINITIONS)],
        env=dict(os.environ, DAGSTER_HOME=str(tmp_path)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "All code locations passed validation" in completed.stdout + completed.stderr


def test_assets_schedule_and_checks(definitions: ModuleType) -> None:
    from dagster import AssetKey

    defs = definitions.defs
    graph = defs.resolve_asset_graph()
    keys = set(graph.get_all_asset_keys())
    marts = {"fct_sessions", "dim_persons", "fct_retention", "fct_mrr_monthly"}
    assert {AssetKey([mart]) for mart in marts} <= keys
    compaction = AssetKey(["compacted_warehouse"])
    dbt_keys = set(definitions.product_analytics_dbt.keys)
    assert graph.get(compaction).parent_keys == dbt_keys
    schedule = defs.resolve_schedule_def("daily_warehouse_build")
    assert schedule.cron_schedule == "0 6 * * *" and schedule.job_name == "warehouse_build"
    job = defs.resolve_job_def("warehouse_build")
    assert compaction in job.asset_layer.executable_asset_keys
    check_keys = {key.name for key in graph.asset_check_keys}
    assert "raw_events_freshness" in check_keys
    assert definitions.BUILD_ARGS == ["build", "--exclude-resource-type", "unit_test"]


@pytest.mark.parametrize(
    ("statuses", "passed", "severity"),
    [
        (["pass"], True, "ERROR"),
        (["warn"], False, "WARN"),
        (["error"], False, "ERROR"),
        (["pass", "runtime error"], False, "ERROR"),
        ([], False, "ERROR"),
    ],
)
def test_freshness_check_fails_when_freshness_fails(
    definitions: ModuleType, statuses: list[str], passed: bool, severity: str
) -> None:
    sources = {
        "results": [
            {"status": status, "max_loaded_at": "2024-01-21", "max_loaded_at_time_ago_in_s": 1.0}
            for status in statuses
        ]
    }
    result = definitions.freshness_result(sources)
    assert result.passed is passed
    assert result.severity.value == severity
