"""The dbt project reproduces the public conformance suite (../shared/conformance)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from dbt_harness import CONFORMANCE_DIR, DbtProject, conformance_vars
from spec_reference.compare import (
    TABLE_KEYS,
    compare_rows,
    format_problems,
    read_csv,
    relative_file,
)

# Columns the suite adds only to help debugging (its README): not part of SPEC.
DEBUG_COLUMNS = {"first_event_id", "event_id", "order_date", "rate_to_reporting", "person_type"}
# The expected CSVs were computed from events in this folder (their `file` column).
EXPECTED_EVENTS_ROOT = "/tmp/conf/events"
# Model holding each expected table, where the names differ.
MODEL_OF = {"reconciliation": "fct_ingestion_reconciliation"}

pytestmark = pytest.mark.skipif(
    not (CONFORMANCE_DIR / "expected").is_dir(),
    reason=f"conformance suite not found at {CONFORMANCE_DIR}",
)


def _expected_tables() -> list[str]:
    return sorted(path.stem for path in (CONFORMANCE_DIR / "expected").glob("*.csv"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[DbtProject, Path]:
    root = tmp_path_factory.mktemp("conformance")
    events = root / "events"
    shutil.copytree(CONFORMANCE_DIR / "events", events)
    project = DbtProject(root / "project")
    project.use_seeds(CONFORMANCE_DIR / "seeds")
    project.build(conformance_vars(events))
    return project, events


@pytest.mark.parametrize(
    "table", _expected_tables() if (CONFORMANCE_DIR / "expected").is_dir() else []
)
def test_mart_matches_conformance(table: str, built: tuple[DbtProject, Path]) -> None:
    project, events = built
    actual: list[dict[str, Any]] = project.rows(MODEL_OF.get(table, table))
    roots = [EXPECTED_EVENTS_ROOT, str(events), str(events.resolve())]
    problems = compare_rows(
        table,
        read_csv(CONFORMANCE_DIR / "expected" / f"{table}.csv"),
        actual,
        key_columns=TABLE_KEYS[table],
        ignore_columns=DEBUG_COLUMNS,
        key_transforms={"file": lambda path: relative_file(str(path), roots)},
    )
    assert not problems, "\n" + format_problems(problems)


# Files of the suite landed over several runs, in orders that split a deletion request
# from the events it reaches and put the oldest events last (SPEC §9, §11).
LANDING_ORDERS = {
    "newest_first": [[2], [3], [1], [0]],
    "pairs": [[1, 3], [0, 2]],
}


@pytest.mark.parametrize("order", sorted(LANDING_ORDERS))
def test_incremental_runs_match_conformance(order: str, tmp_path: Path) -> None:
    files = sorted(
        path.relative_to(CONFORMANCE_DIR / "events")
        for path in (CONFORMANCE_DIR / "events").rglob("*")
        if path.is_file() and path.name.endswith((".ndjson", ".jsonl", ".ndjson.gz", ".jsonl.gz"))
    )
    events = tmp_path / "events"
    events.mkdir()
    project = DbtProject(tmp_path / "project")
    project.use_seeds(CONFORMANCE_DIR / "seeds")
    for batch in LANDING_ORDERS[order]:
        for index in batch:
            target = events / files[index]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(CONFORMANCE_DIR / "events" / files[index], target)
        project.build(conformance_vars(events))
    roots = [EXPECTED_EVENTS_ROOT, str(events), str(events.resolve())]
    problems = []
    for table in _expected_tables():
        problems += compare_rows(
            table,
            read_csv(CONFORMANCE_DIR / "expected" / f"{table}.csv"),
            project.rows(MODEL_OF.get(table, table)),
            key_columns=TABLE_KEYS[table],
            ignore_columns=DEBUG_COLUMNS,
            key_transforms={"file": lambda path: relative_file(str(path), roots)},
        )
    assert not problems, "\n" + format_problems(problems)
