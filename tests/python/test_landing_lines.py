"""Landing of raw lines (SPEC §1–3), through the models that do it: base_events__files lists
the event files at any depth, base_events__ledger numbers physical lines from 1 (blank
lines counted, never landed), strips one trailing carriage return, reads gzip, flags
invalid UTF-8 (rejected as invalid_json, its text kept with replacement characters) and
keeps line numbers exact across the parts a file is read in."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dbt_harness import DbtProject
from product_analytics_tools.duckdb_landing import LINES_PER_PART

CONTENT = b'{"a":1}\n\n   \n\t\r\n{"b":2}\r\n\xff{"c":3}'
IGNORED_NAMES = ("e.json", "f.txt", "g.ndjson.bak")


def _long_file() -> tuple[bytes, list[int]]:
    """More lines than three parts hold, with a blank line every seventh: the physical
    numbers of its non-blank lines."""
    lines: list[bytes] = []
    numbers: list[int] = []
    for number in range(1, 3 * LINES_PER_PART + 50):
        if number % 7 == 0:
            lines.append(b"  ")
        else:
            lines.append(b'{"n":%d}' % number)
            numbers.append(number)
    return b"\n".join(lines) + b"\n", numbers


@pytest.fixture(scope="module")
def landed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[dict[str, Any]]]]:
    root = tmp_path_factory.mktemp("landing")
    events = root / "events"
    nested = events / "x" / "y"
    nested.mkdir(parents=True)
    (nested / "part.ndjson").write_bytes(CONTENT)
    with gzip.open(events / "part.jsonl.gz", "wb") as handle:
        handle.write(b'{"a":1}\r\n{"b":2}\n')
    (events / "long.ndjson").write_bytes(_long_file()[0])
    (events / "other.jsonl").write_bytes(b"")
    for name in IGNORED_NAMES:
        (nested / name).write_bytes(b'{"a":1}\n')
    project = DbtProject(root / "project")
    project.dbt(
        "build",
        "--select",
        "+base_events__ledger",
        "--exclude-resource-type",
        "unit_test",
        vars={"raw_events_path": str(events)},
    )
    files = project.rows("base_events__files")
    lines = project.rows("base_events__ledger order by file, line_number")
    yield {
        name: [row for row in lines if Path(row["file"]).name == name]
        for name in {Path(row["file"]).name for row in files}
    }


def test_only_event_files_are_listed(landed: dict[str, list[dict[str, Any]]]) -> None:
    assert sorted(landed) == ["long.ndjson", "other.jsonl", "part.jsonl.gz", "part.ndjson"]


def test_blank_lines_are_counted_but_not_landed(landed: dict[str, list[dict[str, Any]]]) -> None:
    rows = landed["part.ndjson"]
    assert [row["line_number"] for row in rows] == [1, 5, 6]
    assert [row["raw_line"] for row in rows] == ['{"a":1}', '{"b":2}', '\ufffd{"c":3}']
    # no event name or identity: the valid lines are rejected too, for their own reasons
    assert rows[2]["reject_reason"] == "invalid_json"
    assert rows[0]["reject_reason"] != "invalid_json"


def test_gzip_and_final_newline(landed: dict[str, list[dict[str, Any]]]) -> None:
    rows = landed["part.jsonl.gz"]
    assert [(row["line_number"], row["raw_line"]) for row in rows] == [
        (1, '{"a":1}'),
        (2, '{"b":2}'),
    ]


def test_an_empty_file_lands_no_line(landed: dict[str, list[dict[str, Any]]]) -> None:
    assert landed["other.jsonl"] == []


def test_parts_keep_physical_line_numbers(landed: dict[str, list[dict[str, Any]]]) -> None:
    content, numbers = _long_file()
    rows = landed["long.ndjson"]
    assert [row["line_number"] for row in rows] == numbers
    assert all(row["raw_line"] == f'{{"n":{row["line_number"]}}}' for row in rows)
    assert len(content.splitlines()) > 3 * LINES_PER_PART
