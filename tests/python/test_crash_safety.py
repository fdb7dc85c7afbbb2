"""Crash safety (SPEC §9): a `dbt build` killed at any point, then run again, gives the
tables a full rebuild over the same files gives. Each model commits its table in one
transaction (strategy `rebuild` runs inside it) and every watermark is read from the
tables when a model runs, so a rerun catches up whatever the kill interrupted. The build
is killed (SIGKILL, no chance to clean up) while landing, while resolving identity, and
while building the marts, on a run that brings new files and a deletion request."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dbt_harness import DBT, DbtProject
from product_analytics_tools.generator import GeneratorConfig, generate

# Logs of the runs themselves differ between one run and several by design.
RUN_LOGS = {"int_person_changes", "stg_events_deletion_runs"}
KILL_POINTS = {
    "landing": "base_events__ledger",
    "identity": "int_identity_map",
    "marts": "fct_retention",
}
REQUEST_COLUMNS = ["user_id", "anonymous_id", "requested_at"]


def _comparable(project: DbtProject) -> dict[str, Counter[str]]:
    tables = project.tables() - RUN_LOGS
    return {
        table: Counter(
            json.dumps(
                {
                    key: float(f"{value:.12g}") if isinstance(value, float) else value
                    for key, value in sorted(row.items())
                    if not key.startswith("_")
                },
                default=str,
            )
            for row in project.rows(table)
        )
        for table in sorted(tables)
    }


def _build_killed_at(project: DbtProject, model: str, vars_: dict[str, Any]) -> None:
    """Start `dbt build`, and SIGKILL it once it has started building `model`."""
    command = [
        DBT,
        "build",
        "--exclude-resource-type",
        "unit_test",
        "--profiles-dir",
        str(project.root),
        "--project-dir",
        str(project.root),
        "--vars",
        json.dumps(vars_),
    ]
    environment = dict(os.environ, DUCKDB_PATH=str(project.database), DO_NOT_TRACK="1")
    process = subprocess.Popen(
        command,
        cwd=project.root,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    started = False
    for line in process.stdout:
        if "START" in line and f"main.{model} " in line:
            started = True
            time.sleep(0.2)  # let the model's statement get going
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert started, f"the build never started {model}"


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], list[Path]]:
    root = tmp_path_factory.mktemp("crash_source")
    generate(
        GeneratorConfig(out_dir=root, persons=90, days=8, start_date=date(2024, 4, 1), seed=13)
    )
    files = sorted(
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and path.name.endswith((".ndjson", ".jsonl", ".ndjson.gz", ".jsonl.gz"))
    )
    cut = len(files) // 2
    return root, files[:cut], files[cut:]


def _land(source: Path, files: list[Path], events: Path) -> None:
    for relative in files:
        target = events / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / relative, target)


def _request(project: DbtProject) -> list[dict[str, str]]:
    """A deletion request for the first identified user of the warehouse."""
    users = sorted(
        row["identifier"]
        for row in project.rows("int_identity_map")
        if row["identifier_type"] == "user_id"
    )
    requests = [{"user_id": users[0], "anonymous_id": "", "requested_at": ""}]
    project.write_seed("deletion_requests", requests, REQUEST_COLUMNS)
    return requests


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_killed_build_then_rerun_equals_full_rebuild(
    point: str, sources: tuple[Path, list[Path], list[Path]], tmp_path: Path
) -> None:
    source, first, second = sources
    events = tmp_path / "events"
    project = DbtProject(tmp_path / "incremental")
    vars_ = {"raw_events_path": str(events)}
    _land(source, first, events)
    project.build(vars_)

    _land(source, second, events)
    requests = _request(project)
    _build_killed_at(project, KILL_POINTS[point], vars_)
    project.build(vars_)

    rebuilt = DbtProject(tmp_path / "rebuilt")
    rebuilt.write_seed("deletion_requests", requests, REQUEST_COLUMNS)
    rebuilt.build(vars_)
    expected, actual = _comparable(rebuilt), _comparable(project)
    assert set(actual) == set(expected)
    differing = [table for table in expected if expected[table] != actual[table]]
    assert not differing, f"after a kill during {point}, these differ from a rebuild: {differing}"
    deleted = {row["metric"]: row["value"] for row in project.rows("fct_ingestion_reconciliation")}
    assert deleted["deleted"] > 0
