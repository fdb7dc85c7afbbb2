"""SPEC §11: after a deletion request and one incremental build, no table holds any
identifier or row of that person, and the lines removed are counted as deleted."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb

from dbt_harness import DbtProject
from product_analytics_tools.duckdb_landing import register as register_landing_functions
from product_analytics_tools.generator import GeneratorConfig, generate

# Tables and views holding raw lines, keyed by (file, line_number).
RAW_LINE_TABLES = (
    "base_events__lines",
    "base_events__parsed",
    "base_events__ledger",
    "stg_events_rejected",
)


def _all_text_values(
    database: Path, skipped_lines: set[tuple[str, int]]
) -> list[tuple[str, str, str]]:
    """(table, column, value) for every text value of every table and view, leaving out
    the raw-line rows of the lines in `skipped_lines` (file, line_number)."""
    found = []
    with duckdb.connect(str(database), read_only=True) as connection:
        register_landing_functions(connection)
        columns = connection.execute(
            "select table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' and table_schema = 'main'"
        ).fetchall()
        for table, column in columns:
            rows = connection.execute(
                f'select "{column}", '
                + ("file, line_number" if table in RAW_LINE_TABLES else "null, null")
                + f' from "{table}" where "{column}" is not null'
            ).fetchall()
            for value, file, line_number in rows:
                if (file, line_number) not in skipped_lines:
                    found.append((table, column, value))
    return found


def test_deleted_person_leaves_no_trace(tmp_path: Path) -> None:
    events = tmp_path / "events"
    generate(
        GeneratorConfig(out_dir=events, persons=150, days=20, start_date=date(2024, 5, 1), seed=9)
    )
    project = DbtProject(tmp_path / "project")
    vars_ = {"raw_events_path": str(events)}
    project.build(vars_)

    # the identified person with the most identifiers: a user with several devices
    persons = project.rows("dim_persons")
    target = max(
        (row for row in persons if row["is_identified"] and row["sessions"] > 0),
        key=lambda row: (row["identifiers_count"], row["person_id"]),
    )
    identifiers = [
        row["identifier"]
        for row in project.rows("int_identity_map")
        if row["person_id"] == target["person_id"]
    ]
    assert len(identifiers) >= 2
    anonymous_ids = sorted(
        row["identifier"]
        for row in project.rows("int_identity_map")
        if row["person_id"] == target["person_id"] and row["identifier_type"] == "anonymous_id"
    )
    raw_lines_before = {
        row["metric"]: row["value"] for row in project.rows("fct_ingestion_reconciliation")
    }

    # request deletion by one anonymous id only: the whole stitched person must go
    project.write_seed(
        "deletion_requests",
        [{"user_id": "", "anonymous_id": anonymous_ids[0], "requested_at": "2024-06-01T00:00:00Z"}],
        ["user_id", "anonymous_id", "requested_at"],
    )
    project.build(vars_)

    # SPEC §11: a rejected line belongs to no person; it goes when it names a listed id as a
    # JSON string. A rejected line naming only another id of the person stays, and so do
    # its raw-line rows; every other row must be free of the person.
    listed = f'"{anonymous_ids[0]}"'
    rejected_after = project.rows("stg_events_rejected")
    assert not [row for row in rejected_after if listed in row["raw_line"]]
    kept_rejected = {(row["file"], row["line_number"]) for row in rejected_after}
    secrets = {target["person_id"], *identifiers}
    # stg_deletion_requests shows the request file itself (never stored in the warehouse)
    leaks = [
        (table, column, value)
        for table, column, value in _all_text_values(project.database, kept_rejected)
        if any(secret == value or f'"{secret}"' in value for secret in secrets)
        and table != "stg_deletion_requests"
    ]
    assert not leaks, f"deleted person still present: {leaks[:5]}"
    tokens = {
        hashlib.sha256(f"deleted:{kind}:{value}".encode()).hexdigest()
        for kind in ("user_id", "anonymous_id")
        for value in identifiers
    }
    assert {row["identifier_token"] for row in project.rows("int_deleted_identifiers")} <= tokens

    after = {row["metric"]: row["value"] for row in project.rows("fct_ingestion_reconciliation")}
    assert after["raw_lines"] == raw_lines_before["raw_lines"]
    assert after["deleted"] > 0
    assert (
        after["accepted"] + after["duplicates"] + after["rejected"] + after["deleted"]
        == after["raw_lines"]
    )
    assert target["person_id"] not in {row["person_id"] for row in project.rows("dim_persons")}
