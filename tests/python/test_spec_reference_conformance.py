"""The pure-Python SPEC reference reproduces the public conformance suite exactly."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from spec_reference import compute_all, load_seeds, load_vars  # noqa: E402
from spec_reference.compare import (  # noqa: E402
    TABLE_KEYS,
    compare_rows,
    csv_columns,
    format_problems,
    read_csv,
    relative_file,
)

CONFORMANCE = Path(os.environ.get("SPEC_CONFORMANCE_DIR", "/work/shared/conformance"))
# The directory the expected CSVs were computed from (their `file` column).
EXPECTED_EVENTS_ROOT = "/tmp/conf/events"

pytestmark = pytest.mark.skipif(
    not (CONFORMANCE / "expected").is_dir(),
    reason=f"conformance suite not found at {CONFORMANCE}",
)


@pytest.fixture(scope="module")
def reference_tables() -> dict[str, list[dict[str, Any]]]:
    os.environ.setdefault("DO_NOT_TRACK", "1")
    return compute_all(
        CONFORMANCE / "events",
        load_vars(CONFORMANCE / "vars.yml"),
        load_seeds(CONFORMANCE / "seeds"),
    )


def _expected_tables() -> list[str]:
    if not (CONFORMANCE / "expected").is_dir():
        return sorted(TABLE_KEYS)
    return sorted(path.stem for path in (CONFORMANCE / "expected").glob("*.csv"))


@pytest.mark.parametrize("table", _expected_tables())
def test_table_matches_conformance(
    table: str, reference_tables: dict[str, list[dict[str, Any]]]
) -> None:
    expected_path = CONFORMANCE / "expected" / f"{table}.csv"
    assert table in reference_tables, f"the reference does not compute {table}"
    actual = reference_tables[table]
    if actual:
        assert list(actual[0].keys()) == csv_columns(expected_path), (
            f"{table}: columns differ from the expected CSV"
        )
    roots = [EXPECTED_EVENTS_ROOT, str((CONFORMANCE / "events").resolve())]
    problems = compare_rows(
        table,
        read_csv(expected_path),
        actual,
        key_transforms={"file": lambda path: relative_file(str(path), roots)},
    )
    assert not problems, "\n" + format_problems(problems)


def test_every_table_is_keyed() -> None:
    assert set(_expected_tables()) <= set(TABLE_KEYS)
