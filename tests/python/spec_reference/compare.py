"""Compare model outputs with expected CSVs, row by row on each model's key.

Reusable by any test that compares two versions of a SPEC table (reference vs expected
CSV, dbt vs reference): both sides may be CSV text or Python values.

Rules: empty CSV fields are nulls; numbers compare to a relative 1e-6 (absolute 1e-9 near
zero); timestamps compare to the microsecond in UTC (a naive value is UTC); booleans
accept True/False/true/false; other values compare as text.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

# The key of every table the conformance suite holds.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "stg_events_rejected": ("file", "line_number"),
    "int_identity_map": ("identifier_type", "identifier"),
    "fct_sessions": ("session_id",),
    "dim_persons": ("person_id",),
    "fct_active_users_daily": ("activity_date",),
    "fct_lifecycle": ("grain", "period_start", "status"),
    "fct_retention": ("grain", "cohort_start", "period_number"),
    "fct_funnel_entries": ("funnel_name", "person_id", "entry_date"),
    "fct_funnel_steps": ("funnel_name", "step_number"),
    "fct_orders": ("order_id",),
    "fct_revenue_daily": ("revenue_date",),
    "fct_ltv_cohorts": ("cohort_month", "months_since"),
    "fct_mrr_movements": ("month_start", "person_id"),
    "fct_mrr_monthly": ("month_start",),
    "fct_experiment_results": ("experiment_name", "variant"),
    "fct_event_transitions": ("from_event", "to_event"),
    "reconciliation": ("metric",),
}

# Columns whose rules SPEC leaves to the project: not compared.
LOOSE_COLUMNS: dict[str, frozenset[str]] = {
    "fct_sessions": frozenset({"browser", "os"}),
}

REL_TOL = 1e-6
ABS_TOL = 1e-9


def read_csv(path: str | Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_columns(path: str | Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle), [])


# ---------------------------------------------------------------------------- values


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("True", "False", "true", "false"):
        return value in ("True", "true")
    return None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if hasattr(value, "__float__") and not isinstance(value, str | date):
        return float(value)  # Decimal and friends
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _as_instant(value: Any) -> datetime | date | None:
    """A datetime (naive UTC) or a date, from Python values or ISO-8601 text."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        text = value.strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return _as_instant(parsed)
    return None


def values_equal(expected: Any, actual: Any) -> bool:
    if _is_null(expected) or _is_null(actual):
        return _is_null(expected) and _is_null(actual)
    if isinstance(expected, str) and isinstance(actual, str) and expected == actual:
        return True
    expected_bool, actual_bool = _as_bool(expected), _as_bool(actual)
    if expected_bool is not None or actual_bool is not None:
        return expected_bool == actual_bool
    expected_instant, actual_instant = _as_instant(expected), _as_instant(actual)
    if expected_instant is not None and actual_instant is not None:
        if isinstance(expected_instant, datetime) != isinstance(actual_instant, datetime):
            return False
        return expected_instant == actual_instant
    expected_number, actual_number = _as_number(expected), _as_number(actual)
    if expected_number is not None and actual_number is not None:
        return math.isclose(expected_number, actual_number, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return str(expected) == str(actual)


def key_text(value: Any) -> str | None:
    """A canonical text for key columns, equal for equal CSV text and Python values."""
    if _is_null(value):
        return None
    flag = _as_bool(value)
    if flag is not None:
        return str(flag)
    instant = _as_instant(value)
    if instant is not None:
        return instant.isoformat()
    number = None if isinstance(value, str) else _as_number(value)
    if number is not None:
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return str(int(value))
    return str(value)


def relative_file(path: str, roots: Iterable[str | Path]) -> str:
    """A file path relative to the first root it lies below (else the path itself)."""
    normalized = os.path.normpath(path)
    for root in roots:
        root_text = os.path.normpath(str(root))
        if normalized.startswith(root_text + os.sep):
            return os.path.relpath(normalized, root_text)
    return normalized


# ---------------------------------------------------------------------------- tables


def compare_rows(
    table: str,
    expected_rows: list[dict[str, Any]],
    actual_rows: list[dict[str, Any]],
    key_columns: tuple[str, ...] | None = None,
    ignore_columns: Iterable[str] = (),
    key_transforms: dict[str, Callable[[Any], Any]] | None = None,
    max_report: int = 15,
) -> list[str]:
    """Compare two tables on their key; return human-readable problems (empty if equal).

    Columns compared: those of the expected rows (minus ignored); a column missing from
    the actual rows is a problem."""
    key_columns = key_columns or TABLE_KEYS[table]
    ignored = set(ignore_columns) | set(LOOSE_COLUMNS.get(table, ()))
    transforms = key_transforms or {}
    problems: list[str] = []

    def key_of(row: dict[str, Any]) -> tuple[str | None, ...]:
        parts = []
        for column in key_columns:
            value = row.get(column)
            if column in transforms and not _is_null(value):
                value = transforms[column](value)
            parts.append(key_text(value))
        return tuple(parts)

    def index(rows: list[dict[str, Any]], side: str) -> dict[tuple[str | None, ...], dict]:
        indexed: dict[tuple[str | None, ...], dict] = {}
        for row in rows:
            key = key_of(row)
            if key in indexed:
                problems.append(f"{table}: duplicate key {key} in {side} rows")
            indexed[key] = row
        return indexed

    expected_by_key = index(expected_rows, "expected")
    actual_by_key = index(actual_rows, "actual")
    columns = [c for c in (expected_rows[0].keys() if expected_rows else []) if c not in ignored]
    if actual_rows and expected_rows:
        missing_columns = [c for c in columns if c not in actual_rows[0]]
        if missing_columns:
            problems.append(f"{table}: actual rows lack columns {missing_columns}")
            columns = [c for c in columns if c not in missing_columns]

    missing = [k for k in expected_by_key if k not in actual_by_key]
    extra = [k for k in actual_by_key if k not in expected_by_key]
    if missing:
        problems.append(
            f"{table}: {len(missing)} expected keys missing from actual, e.g. {missing[:5]}"
        )
    if extra:
        problems.append(f"{table}: {len(extra)} unexpected keys in actual, e.g. {extra[:5]}")
    mismatches = []
    for key, expected in expected_by_key.items():
        actual = actual_by_key.get(key)
        if actual is None:
            continue
        for column in columns:
            if column in key_columns:
                continue
            if not values_equal(expected.get(column), actual.get(column)):
                mismatches.append((key, column, expected.get(column), actual.get(column)))
    if mismatches:
        by_column: dict[str, int] = {}
        for _key, column, _e, _a in mismatches:
            by_column[column] = by_column.get(column, 0) + 1
        problems.append(f"{table}: {len(mismatches)} value mismatches by column {by_column}")
        for key, column, expected_value, actual_value in mismatches[:max_report]:
            problems.append(
                f"  key={key} column={column} expected={expected_value!r} actual={actual_value!r}"
            )
    return problems


def format_problems(problems: list[str], limit: int = 40) -> str:
    shown = problems[:limit]
    if len(problems) > limit:
        shown.append(f"... and {len(problems) - limit} more")
    return "\n".join(shown)
