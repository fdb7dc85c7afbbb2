"""Registry of raw event files (SPEC §1, §9).

Lists every file below var `raw_events_path` whose name ends in .ndjson, .jsonl,
.ndjson.gz or .jsonl.gz (any depth) and registers the ones not seen before, each with
the load sequence of this run. A registered file is never registered (nor read) again.
"""

import os
import time

import pyarrow as pa

EVENT_FILE_SUFFIXES = (".ndjson", ".jsonl", ".ndjson.gz", ".jsonl.gz")


def list_event_files(root: str) -> list[str]:
    found = []
    for directory, subdirectories, names in os.walk(root, followlinks=True):
        subdirectories.sort()
        for name in sorted(names):
            if name.endswith(EVENT_FILE_SUFFIXES):
                found.append(os.path.join(directory, name))
    return found


def model(dbt, session):
    dbt.config(materialized="incremental")
    root = os.path.abspath(dbt.config.get("raw_events_path"))
    if not os.path.isdir(root):
        raise RuntimeError(
            f"raw_events_path {root!r} is not a directory: set the dbt var raw_events_path "
            "to the folder that holds the raw NDJSON event files"
        )

    known: set[str] = set()
    previous_load_seq = 0
    if dbt.is_incremental:
        known = {row[0] for row in session.sql(f"select file from {dbt.this}").fetchall()}
        previous_load_seq = session.sql(
            f"select coalesce(max(load_seq), 0) from {dbt.this}"
        ).fetchone()[0]

    # load sequences increase strictly from run to run, even if the clock goes back
    load_seq = max(time.time_ns() // 1000, previous_load_seq + 1)
    new_files = [path for path in list_event_files(root) if path not in known]
    stats = [os.stat(path) for path in new_files]
    return pa.table(
        {
            "file": pa.array(new_files, pa.string()),
            "file_size_bytes": pa.array([s.st_size for s in stats], pa.int64()),
            "file_modified_at": pa.array(
                [s.st_mtime_ns // 1000 for s in stats], pa.timestamp("us")
            ),
            "load_seq": pa.array([load_seq] * len(new_files), pa.int64()),
        }
    )
