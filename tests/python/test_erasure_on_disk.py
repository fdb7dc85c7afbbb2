"""SPEC §11, erasure that reaches the disk: after a build that applies a deletion request and
the compaction step the README's commands run (pa-compact-warehouse), no byte of the
DuckDB file holds the deleted person's identifiers or trait values. Without the step the
bytes are still there (DuckDB leaves deleted rows in old blocks): the check can fail."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from dbt_harness import DbtProject
from product_analytics_tools.generator import GeneratorConfig, generate

USER = "erase-me-user-7f3a91"
ANONYMOUS = "erase-me-device-7f3a91"
EMAIL = "Erase.Me.7f3a91@Example.com"
COMPACT = str(Path(sys.executable).parent / "pa-compact-warehouse")


def _person_events() -> list[str]:
    base = {"timestamp": "2024-05-03T10:00:00Z", "receivedAt": "2024-05-03T10:00:01Z"}
    return [
        json.dumps({**base, "type": "page", "messageId": "erase-1", "anonymousId": ANONYMOUS}),
        json.dumps(
            {
                **base,
                "type": "identify",
                "messageId": "erase-2",
                "anonymousId": ANONYMOUS,
                "userId": USER,
                "traits": {"email": EMAIL, "favourite_colour": "ultramarine-7f3a91"},
            }
        ),
        json.dumps(
            {
                **base,
                "type": "track",
                "event": "Order Completed",
                "messageId": "erase-3",
                "userId": USER,
                "properties": {"order_id": "erase-order-7f3a91", "revenue": 12.5},
            }
        ),
    ]


def _secrets() -> list[bytes]:
    hashed_email = hashlib.sha256(EMAIL.strip().lower().encode()).hexdigest()
    person_id = hashlib.md5(f"user:{USER}".encode()).hexdigest()
    return [
        text.encode()
        for text in (USER, ANONYMOUS, EMAIL, "ultramarine-7f3a91", hashed_email, person_id)
    ]


def _found(database: Path) -> list[bytes]:
    content = database.read_bytes()
    return [secret for secret in _secrets() if secret in content]


def test_deleted_person_leaves_no_byte_in_the_warehouse(tmp_path: Path) -> None:
    events = tmp_path / "events"
    generate(
        GeneratorConfig(out_dir=events, persons=60, days=6, start_date=date(2024, 5, 1), seed=3)
    )
    person_file = events / "dt=2024-05-03" / "erase-me.ndjson"
    person_file.write_text("\n".join(_person_events()) + "\n", encoding="utf-8")
    project = DbtProject(tmp_path / "project")
    vars_ = {"raw_events_path": str(events)}
    project.build(vars_)
    subprocess.run([COMPACT, "--database", str(project.database)], check=True)
    assert _found(project.database), "the person's identifiers should be in the warehouse"

    project.write_seed(
        "deletion_requests",
        [{"user_id": "", "anonymous_id": ANONYMOUS, "requested_at": "2024-06-01T00:00:00Z"}],
        ["user_id", "anonymous_id", "requested_at"],
    )
    project.build(vars_)
    assert USER not in {row["user_id"] for row in project.rows("dim_persons")}
    # DuckDB's deletes leave the old blocks: the bytes are still in the file
    assert _found(project.database), "deleted rows should linger until the file is rewritten"

    completed = subprocess.run(
        [COMPACT, "--database", str(project.database), "--if-deleted"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert "rewritten into a fresh file" in completed.stdout
    assert _found(project.database) == []
    # the warehouse still works after the swap, and the next build keeps it clean
    project.build(vars_)
    subprocess.run([COMPACT, "--database", str(project.database), "--if-deleted"], check=True)
    assert _found(project.database) == []
    assert project.rows("fct_ingestion_reconciliation")
