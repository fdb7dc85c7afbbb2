"""Every raw line of every registered event file, landed exactly once (SPEC §2, §3).

A line is the text between newlines without a trailing carriage return; line numbers
are 1-based physical lines, blank lines counted. Blank or whitespace-only lines are not
events and are not landed. Lines that are not valid UTF-8 are kept, decoded with
replacement characters, and flagged so staging rejects them as `invalid_json`.
Files are read one at a time and appended to a temporary table, so memory stays bounded
by the largest file, not by the batch.
"""

import gzip

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


def read_file_lines(path: str) -> tuple[list[int], list[str], list[bool]]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        content = handle.read()
    physical_lines = content.split(b"\n")
    if physical_lines and physical_lines[-1] == b"":
        # the newline that ends the last line does not start another one
        physical_lines.pop()
    numbers: list[int] = []
    texts: list[str] = []
    valid: list[bool] = []
    for number, line in enumerate(physical_lines, start=1):
        if line.endswith(b"\r"):
            line = line[:-1]
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
            is_valid = True
        except UnicodeDecodeError:
            text = line.decode("utf-8", errors="replace")
            is_valid = False
        numbers.append(number)
        texts.append(text)
        valid.append(is_valid)
    return numbers, texts, valid


def model(dbt, session):
    dbt.config(materialized="incremental")
    files = dbt.ref("base_events__files")
    if dbt.is_incremental:
        watermark = session.sql(f"select coalesce(max(load_seq), 0) from {dbt.this}").fetchone()[0]
        files = files.filter(f"load_seq > {int(watermark)}")
    pending = files.order("file").project("file, load_seq").fetchall()

    session.execute(
        "create or replace temporary table base_events__lines_batch "
        "(file varchar, line_number bigint, raw_line varchar, is_valid_utf8 boolean, "
        "load_seq bigint)"
    )
    for path, load_seq in pending:
        numbers, texts, valid = read_file_lines(path)
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
