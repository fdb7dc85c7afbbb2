"""Print a short summary of a built warehouse: lines, rejects, persons, events, headline marts.

Usage: python -m product_analytics_tools.summary [--database PATH]
(defaults to $DUCKDB_PATH, else warehouse.duckdb).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

import duckdb


def _table_exists(connection: duckdb.DuckDBPyConnection, name: str) -> bool:
    found = connection.execute(
        "select count(*) from information_schema.tables where table_name = ?", [name]
    ).fetchone()
    return bool(found and found[0])


def _scalar(connection: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = connection.execute(sql).fetchone()
    return row[0] if row else None


def summarize(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Lines of the summary, computed from the warehouse's tables."""
    lines: list[str] = []
    if not _table_exists(connection, "base_events__lines"):
        return ["warehouse is empty: run `make run` (or dbt build) first"]
    files = _scalar(connection, "select count(*) from base_events__files")
    raw = _scalar(connection, "select count(*) from base_events__lines")
    accepted = _scalar(connection, "select count(*) from stg_events")
    duplicates = _scalar(connection, "select coalesce(sum(duplicate_count), 0) from stg_events")
    rejected = _scalar(connection, "select count(*) from stg_events_rejected")
    lines.append(f"files landed        {files:>12,}")
    lines.append(f"lines read          {raw:>12,}")
    lines.append(f"accepted events     {accepted:>12,}")
    lines.append(f"duplicates          {duplicates:>12,}")
    lines.append(f"rejected            {rejected:>12,}")
    for reason, count in connection.execute(
        "select reject_reason, count(*) from stg_events_rejected group by 1 order by 1"
    ).fetchall():
        lines.append(f"  {reason:<22}{count:>8,}")
    if _table_exists(connection, "int_identity_map"):
        persons = _scalar(connection, "select count(distinct person_id) from int_identity_map")
        lines.append(f"persons             {persons:>12,}")
    lines.append("events per type")
    for event_type, count in connection.execute(
        "select event_type, count(*) from stg_events group by 1 order by 2 desc, 1"
    ).fetchall():
        lines.append(f"  {event_type:<18}{count:>12,}")
    if _table_exists(connection, "fct_sessions"):
        sessions = _scalar(connection, "select count(*) from fct_sessions")
        lines.append(f"sessions            {sessions:>12,}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database",
        default=os.environ.get("DUCKDB_PATH", "warehouse.duckdb"),
        help="DuckDB file of the warehouse (default: $DUCKDB_PATH or warehouse.duckdb)",
    )
    args = parser.parse_args(argv)
    if not os.path.exists(args.database):
        print(f"no warehouse at {args.database}: run `make run` first", file=sys.stderr)
        return 1
    with duckdb.connect(args.database, read_only=True) as connection:
        print("\n".join(summarize(connection)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
