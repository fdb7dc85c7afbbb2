"""Erasure that reaches the disk: rewrite the DuckDB warehouse into a fresh file (SPEC §11).

DuckDB's DELETE marks rows as gone but leaves their bytes in the file's old blocks, so
after a build that applied deletion requests the deleted persons' identifiers could still
be read from the raw file. This step copies every table, view and macro of the warehouse
into a new file next to it (``COPY FROM DATABASE``), then swaps it in with an atomic
rename: the new file holds only live rows.

Run it after ``dbt build`` (``make run`` and the orchestrator examples do). With
``--if-deleted`` it only rewrites the file when the number of deleted lines
(``fct_ingestion_reconciliation``) changed since its last rewrite, recorded in a small
side file ``<warehouse>.compacted.json``; a warehouse without that mart is rewritten.

The raw event files are the owner's: this step never touches them.

Usage: ``pa-compact-warehouse [--database warehouse.duckdb] [--if-deleted]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

LOCK_HINT = "Could not set lock"


class WarehouseBusyError(RuntimeError):
    """Another process holds the warehouse file."""


def deleted_lines(database: Path) -> int | None:
    """The `deleted` figure of the line reconciliation, or None without that mart."""
    with _connect_read_only(database) as connection:
        found = connection.execute(
            "select count(*) from information_schema.tables "
            "where table_name = 'fct_ingestion_reconciliation'"
        ).fetchone()
        if not found or not found[0]:
            return None
        row = connection.execute(
            "select value from fct_ingestion_reconciliation where metric = 'deleted'"
        ).fetchone()
    return int(row[0]) if row else None


def _connect_read_only(database: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.IOException as error:
        if LOCK_HINT in str(error):
            raise WarehouseBusyError(
                f"another process holds the warehouse {database}; run this step after it ends"
            ) from error
        raise


def compact(database: Path) -> tuple[int, int]:
    """Rewrite `database` into a fresh file and swap it in; returns (bytes before, after)."""
    database = database.resolve()
    if not database.is_file():
        raise FileNotFoundError(f"no warehouse at {database}")
    scratch = database.with_name(f".{database.name}.compact-{os.getpid()}")
    scratch.unlink(missing_ok=True)
    before = database.stat().st_size
    connection = duckdb.connect()
    try:
        try:
            connection.execute(f"attach '{_quoted(database)}' as source_warehouse (read_only)")
        except duckdb.IOException as error:
            if LOCK_HINT in str(error):
                raise WarehouseBusyError(
                    f"another process holds the warehouse {database}; run this step after it ends"
                ) from error
            raise
        connection.execute(f"attach '{_quoted(scratch)}' as fresh_warehouse")
        connection.execute("copy from database source_warehouse to fresh_warehouse")
        connection.execute("detach fresh_warehouse")
        connection.execute("detach source_warehouse")
    except BaseException:
        connection.close()
        scratch.unlink(missing_ok=True)
        raise
    connection.close()
    with open(scratch, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(scratch, database)
    return before, database.stat().st_size


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _marker(database: Path) -> Path:
    return database.with_name(database.name + ".compacted.json")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="rewrite the DuckDB warehouse into a fresh file, so deleted rows leave no bytes"
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("DUCKDB_PATH", "warehouse.duckdb")),
        help="the warehouse file (default: $DUCKDB_PATH, else warehouse.duckdb)",
    )
    parser.add_argument(
        "--if-deleted",
        action="store_true",
        help="only when deleted lines changed since the last rewrite",
    )
    args = parser.parse_args(argv)
    database: Path = args.database
    try:
        deleted = deleted_lines(database) if database.is_file() else None
        marker = _marker(database)
        if args.if_deleted and deleted is not None and marker.is_file():
            recorded = json.loads(marker.read_text(encoding="utf-8")).get("deleted_lines")
            if recorded == deleted:
                print(f"warehouse {database}: no new deletions, not rewritten")
                return 0
        before, after = compact(database)
    except WarehouseBusyError as error:
        print(f"pa-compact-warehouse: {error}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"pa-compact-warehouse: {error}", file=sys.stderr)
        return 1
    marker.write_text(json.dumps({"deleted_lines": deleted}), encoding="utf-8")
    print(f"warehouse {database} rewritten into a fresh file: {before:,} -> {after:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
