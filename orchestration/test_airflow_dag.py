"""The Airflow example loads: the DagBag has no import errors, the Cosmos DbtDag builds
every dbt node with the production flags, then compacts the warehouse."""

import os
from pathlib import Path
from typing import Any

import pytest

DAGS = Path(__file__).resolve().parent / "airflow" / "dags"


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory) -> Any:
    os.environ["AIRFLOW_HOME"] = str(tmp_path_factory.mktemp("airflow_home"))
    os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    # no metadata database here: Cosmos must not use its cache
    os.environ["AIRFLOW__COSMOS__ENABLE_CACHE"] = "False"
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_dagbag_has_no_import_errors(dagbag: Any) -> None:
    assert dagbag.import_errors == {}
    assert set(dagbag.dags) == {"product_analytics"}


def test_dbt_nodes_then_compaction(dagbag: Any) -> None:
    dag = dagbag.dags["product_analytics"]
    tasks = {task.task_id: task for task in dag.tasks}
    assert "fct_sessions_model_build" in tasks and "dim_persons_model_build" in tasks
    builds = [task for task in dag.tasks if task.task_id.endswith("_build")]
    assert len(builds) >= 50
    for task in builds:
        assert task.dbt_cmd_flags == ["--exclude-resource-type", "unit_test"], task.task_id
    compaction = tasks["compact_warehouse"]
    assert compaction.downstream_task_ids == set()
    leaves = {task.task_id for task in dag.tasks if not task.downstream_task_ids} - {
        "compact_warehouse"
    }
    assert leaves == set(), f"dbt tasks not followed by the compaction: {sorted(leaves)}"
    assert compaction.upstream_task_ids
    assert dag.max_active_tasks == 1, "DuckDB has one writer"
    assert "0 6 * * *" in str(dag.timetable)
