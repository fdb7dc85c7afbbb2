"""SPEC §9: incremental runs give exactly the tables of a full rebuild over the same files.

Generated events are landed in batches in several ways, with `dbt build` after each
batch; every table is then compared row for row with a full build of the same files
into a fresh warehouse. Bookkeeping columns (load sequences, change logs) differ by
construction and are left out; everything a user can query is compared.
"""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dbt_harness import DbtProject
from product_analytics_tools.generator import GeneratorConfig, generate

# Logs of the runs themselves: they differ between one run and several by design.
RUN_LOG_TABLES = {"int_person_changes", "stg_events_deletion_runs"}


def _is_bookkeeping(column: str) -> bool:
    """Bookkeeping columns (`_` prefix) record when or how a row was written."""
    return column.startswith("_")


START = date(2024, 1, 1)
DAYS = 60


def _event(**fields: Any) -> str:
    return json.dumps(fields, separators=(",", ":"))


def _late_identity_files(root: Path) -> tuple[Path, Path]:
    """Two hand-made files: two months of anonymous history, and the late identity calls
    (an identify that claims that history for a user, and an alias merging two users)."""
    history = []
    for day in range(0, 58, 3):
        stamp = f"2024-01-{day + 1:02d}" if day < 31 else f"2024-02-{day - 30:02d}"
        history.append(
            _event(
                type="page",
                messageId=f"late-hist-{day}",
                anonymousId="late-anon-1",
                timestamp=f"{stamp}T10:00:00Z",
                receivedAt=f"{stamp}T10:00:01Z",
                context={"page": {"url": f"https://www.shopdemo.com/p/{day}"}},
            )
        )
        history.append(
            _event(
                type="track",
                event="Product Viewed",
                messageId=f"late-user2-{day}",
                userId="late-user-2",
                timestamp=f"{stamp}T18:00:00Z",
                receivedAt=f"{stamp}T18:00:01Z",
            )
        )
    history.append(
        _event(
            type="track",
            event="Order Completed",
            messageId="late-user1-order",
            userId="late-user-1",
            timestamp="2024-02-20T12:00:00Z",
            receivedAt="2024-02-20T12:00:01Z",
            properties={"order_id": "late-o-1", "revenue": 42.5, "currency": "EUR"},
        )
    )
    first = root / "dt=2024-02-27" / "late-history.ndjson"
    first.parent.mkdir(parents=True, exist_ok=True)
    first.write_text("\n".join(history) + "\n", encoding="utf-8")
    late = [
        _event(
            type="identify",
            messageId="late-identify",
            userId="late-user-1",
            anonymousId="late-anon-1",
            timestamp="2024-02-28T09:00:00Z",
            receivedAt="2024-02-28T09:00:01Z",
            traits={"email": "Late.User@Example.com", "plan": "pro"},
        ),
        _event(
            type="alias",
            messageId="late-alias",
            previousId="late-user-2",
            userId="late-user-1",
            timestamp="2024-02-28T09:05:00Z",
            receivedAt="2024-02-28T09:05:01Z",
        ),
        # a re-send of an early event with an earlier receivedAt: the kept line changes
        _event(
            type="page",
            messageId="late-hist-0",
            anonymousId="late-anon-1",
            timestamp="2024-01-01T10:00:00Z",
            receivedAt="2024-01-01T10:00:00.500Z",
            context={"page": {"url": "https://www.shopdemo.com/p/0?utm_source=resent"}},
        ),
    ]
    second = root / "dt=2024-02-28" / "late-identity.jsonl"
    second.parent.mkdir(parents=True, exist_ok=True)
    second.write_text("\n".join(late) + "\n", encoding="utf-8")
    return first, second


@pytest.fixture(scope="module")
def source_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], list[Path]]:
    """Generated files plus the hand-made late-identity files, relative to one root."""
    root = tmp_path_factory.mktemp("source")
    generate(GeneratorConfig(out_dir=root, persons=120, days=DAYS, start_date=START, seed=11))
    history, identity = _late_identity_files(root)
    generated = sorted(
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file()
        and path.name.endswith((".ndjson", ".jsonl", ".ndjson.gz", ".jsonl.gz"))
        and path not in (history, identity)
    )
    return root, generated, [history.relative_to(root), identity.relative_to(root)]


def _chunks(items: Sequence[Path], count: int) -> list[list[Path]]:
    size = -(-len(items) // count)
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def _scenarios(generated: list[Path], late: list[Path]) -> dict[str, list[list[Path]]]:
    history, identity = late
    shuffled = list(generated)
    random.Random(5).shuffle(shuffled)
    oldest_day = min(path.parts[0] for path in generated)
    oldest = [path for path in generated if path.parts[0] == oldest_day]
    rest = [path for path in shuffled if path not in oldest]
    return {
        "in_order": [*_chunks([*generated, history], 3), [identity]],
        "shuffled_late_oldest_late_identify": [
            *(chunk for chunk in _chunks([*rest, history], 2)),
            [identity],
            oldest,
        ],
    }


def _comparable(value: Any) -> Any:
    # sums of doubles depend on the order rows are added in: compare to 12 significant digits
    return float(f"{value:.12g}") if isinstance(value, float) else value


def _comparable_rows(project: DbtProject, table: str) -> Counter[str]:
    rows = project.rows(table)
    return Counter(
        json.dumps(
            {k: _comparable(v) for k, v in sorted(row.items()) if not _is_bookkeeping(k)},
            default=str,
        )
        for row in rows
    )


def _land(files: Iterable[Path], source: Path, events: Path) -> None:
    for relative in files:
        target = events / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / relative, target)


@pytest.mark.parametrize("scenario", ["in_order", "shuffled_late_oldest_late_identify"])
def test_incremental_runs_equal_full_rebuild(
    scenario: str,
    source_files: tuple[Path, list[Path], list[Path]],
    tmp_path: Path,
) -> None:
    source, generated, late = source_files
    batches = _scenarios(generated, late)[scenario]
    assert sum(len(batch) for batch in batches) == len(generated) + len(late)
    events = tmp_path / "events"
    events.mkdir()
    incremental = DbtProject(tmp_path / "incremental")
    vars_ = {"raw_events_path": str(events)}
    for batch in batches:
        _land(batch, source, events)
        incremental.build(vars_)

    rebuilt = DbtProject(tmp_path / "rebuilt")
    rebuilt.build(vars_)

    tables = sorted(rebuilt.tables() - RUN_LOG_TABLES)
    assert incremental.tables() - RUN_LOG_TABLES == set(tables)
    assert "fct_sessions" in tables and "int_identity_map" in tables
    differences = []
    for table in tables:
        expected = _comparable_rows(rebuilt, table)
        actual = _comparable_rows(incremental, table)
        if expected != actual:
            missing = list((expected - actual).elements())[:3]
            extra = list((actual - expected).elements())[:3]
            differences.append(
                f"{table}: rebuild-only rows {missing}; incremental-only rows {extra}"
            )
    assert not differences, "\n".join(differences)
    # the late identify re-keyed two months of anonymous history onto the user
    persons = {row["identifier"]: row["person_id"] for row in incremental.rows("int_identity_map")}
    assert persons["late-anon-1"] == persons["late-user-1"] == persons["late-user-2"]


def test_untouched_persons_are_not_rewritten(
    source_files: tuple[Path, list[Path], list[Path]], tmp_path: Path
) -> None:
    """A batch touching about 1% of persons rewrites only their rows (SPEC §9)."""
    source, generated, late = source_files
    events = tmp_path / "events"
    _land([*generated, *late], source, events)
    project = DbtProject(tmp_path / "project")
    vars_ = {"raw_events_path": str(events)}
    project.build(vars_)
    sessions_before = {row["session_id"]: row["_run_seq"] for row in project.rows("int_sessions")}
    persons = sorted({row["person_id"] for row in project.rows("dim_persons")})
    users = sorted(
        row["identifier"]
        for row in project.rows("int_identity_map")
        if row["identifier_type"] == "user_id"
    )
    touched_users = users[: max(1, len(persons) // 100)]
    batch = events / "dt=2024-03-01" / "touch.ndjson"
    batch.parent.mkdir(parents=True, exist_ok=True)
    batch.write_text(
        "\n".join(
            _event(
                type="track",
                event="Button Clicked",
                messageId=f"touch-{number}",
                userId=user,
                timestamp="2024-02-29T12:00:00Z",
                receivedAt="2024-02-29T12:00:01Z",
            )
            for number, user in enumerate(touched_users)
        )
        + "\n",
        encoding="utf-8",
    )
    project.build(vars_)

    identity = {
        (row["identifier_type"], row["identifier"]): row["person_id"]
        for row in project.rows("int_identity_map")
    }
    touched_persons = {identity[("user_id", user)] for user in touched_users}
    sessions = project.rows("int_sessions")
    newest = max(row["_run_seq"] for row in sessions)
    rewritten = [row for row in sessions if row["_run_seq"] == newest]
    assert {row["person_id"] for row in rewritten} == touched_persons
    assert len(rewritten) == sum(1 for row in sessions if row["person_id"] in touched_persons)
    untouched = [row for row in sessions if row["person_id"] not in touched_persons]
    assert all(sessions_before[row["session_id"]] == row["_run_seq"] for row in untouched)
    share = len(rewritten) / len(sessions)
    assert share < 0.05, f"{share:.1%} of session rows rewritten for {len(touched_persons)} persons"
    for table in ("int_persons", "int_person_days", "int_events_sessionized"):
        rows = project.rows(table)
        latest = max(row["_run_seq"] for row in rows)
        assert {row["person_id"] for row in rows if row["_run_seq"] == latest} == touched_persons, (
            table
        )
