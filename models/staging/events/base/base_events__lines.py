"""Every raw line of every registered event file, landed exactly once (SPEC §2, §3).

A line is the text between newlines without a trailing carriage return; line numbers
are 1-based physical lines, blank lines counted. Blank or whitespace-only lines are not
events and are not landed. Lines that are not valid UTF-8 are kept, decoded with
replacement characters, and flagged so staging rejects them as `invalid_json`.
Files are streamed in batches of lines and appended to a temporary table, so memory
stays bounded whatever the size of a file or of the run.
"""

import gzip
from collections.abc import Iterator

import pyarrow as pa

LANDED_SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("line_number", pa.int64()),
        ("raw_line", pa.string()),
        ("is_valid_utf8", pa.bool_()),
        ("load_seq", pa.int64()),
    ]
)


BATCH_LINES = 200_000


def iter_file_line_batches(
    path: str, batch_lines: int = BATCH_LINES
) -> Iterator[tuple[list[int], list[str], list[bool]]]:
    """Yield (line numbers, texts, is_valid_utf8) in batches, streaming the file."""
    opener = gzip.open if path.endswith(".gz") else open
    numbers: list[int] = []
    texts: list[str] = []
    valid: list[bool] = []
    with opener(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.endswith(b"\n"):
                line = line[:-1]
            if line.endswith(b"\r"):
                line = line[:-1]
            if not line.strip():
                continue
            try:
                texts.append(line.decode("utf-8"))
                valid.append(True)
            except UnicodeDecodeError:
                texts.append(line.decode("utf-8", errors="replace"))
                valid.append(False)
            numbers.append(number)
            if len(numbers) >= batch_lines:
                yield numbers, texts, valid
                numbers, texts, valid = [], [], []
    if numbers:
        yield numbers, texts, valid


def read_file_lines(path: str) -> tuple[list[int], list[str], list[bool]]:
    """Every non-blank line of a file (tests and small files)."""
    numbers: list[int] = []
    texts: list[str] = []
    valid: list[bool] = []
    for batch_numbers, batch_texts, batch_valid in iter_file_line_batches(path):
        numbers += batch_numbers
        texts += batch_texts
        valid += batch_valid
    return numbers, texts, valid


def model(dbt, session):
    dbt.config(materialized="incremental")
    files = dbt.ref("base_events__files")
    if dbt.is_incremental:
        watermark = session.sql(f"select coalesce(max(load_seq), 0) from {dbt.this}").fetchone()[0]
        # deletion requests remove landed lines, so this table alone cannot tell which files
        # were landed: the purge log records how far landing had got when it removed them
        purge_log = dbt.config.get("purge_log_relation")
        if purge_log and session.sql(
            "select count(*) from information_schema.tables "
            f"where table_schema = '{dbt.this.schema}' and table_name = '{purge_log}'"
        ).fetchone()[0]:
            purged_through = session.sql(
                f"select coalesce(max(landed_through_load_seq), 0) from {dbt.this.schema}.{purge_log}"
            ).fetchone()[0]
            watermark = max(watermark, purged_through)
        files = files.filter(f"load_seq > {int(watermark)}")
    pending = files.order("file").project("file, load_seq").fetchall()

    session.execute(
        "create or replace temporary table base_events__lines_batch "
        "(file varchar, line_number bigint, raw_line varchar, is_valid_utf8 boolean, "
        "load_seq bigint)"
    )
    for path, load_seq in pending:
        for numbers, texts, valid in iter_file_line_batches(path):
            batch = pa.table(
                {
                    "file": pa.array([path] * len(numbers), pa.string()),
                    "line_number": pa.array(numbers, pa.int64()),
                    "raw_line": pa.array(texts, pa.string()),
                    "is_valid_utf8": pa.array(valid, pa.bool_()),
                    "load_seq": pa.array([load_seq] * len(numbers), pa.int64()),
                },
                schema=LANDED_SCHEMA,
            )
            session.register("base_events__lines_file", batch)
            session.execute(
                "insert into base_events__lines_batch select * from base_events__lines_file"
            )
            session.unregister("base_events__lines_file")
    return session.table("base_events__lines_batch")
