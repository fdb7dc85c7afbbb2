"""dbt-duckdb plugin: the DuckDB functions that list and read raw event files (SPEC §1-3).

DuckDB's own readers cannot land NDJSON lines exactly: `read_text` refuses invalid UTF-8,
`read_blob` does not decompress gzip, and the CSV reader neither keeps physical line
numbers nor keeps invalid lines. These scalar functions, registered on every connection
dbt opens (profiles.yml, `plugins:`), read the files in Python; they are called only from
the `duckdb__` versions of the landing macros (macros/landing/), which split the text into
lines in SQL. Spark reads the same files with its text source instead.

- ``pa_list_event_files(root)``: every file below ``root`` (any depth, symbolic links
  followed, sorted) whose name ends in .ndjson, .jsonl, .ndjson.gz or .jsonl.gz, with its
  size and modification time.
- ``pa_event_file_part_count(path)``: how many parts to read a file in, from the size of
  its text (gzip's trailer for .gz files); an estimate, since the last part runs to the
  end of the file.
- ``pa_event_file_prefix_fingerprint(path, prefix_bytes)``: SHA-256 of a file's first
  bytes, to tell a file that only grew from one that was rewritten.
- ``pa_read_event_file_part(path, prefix_bytes, part, parts)``: the text of one part of a
  file: physical lines ``(part - 1) * LINES_PER_PART + 1`` to ``part * LINES_PER_PART``
  (part ``parts`` runs to the end), joined by newlines, with the number of its first line
  and the numbers of its lines that are not valid UTF-8 (their text is decoded as Python's
  ``errors="replace"`` does); and the file's facts: its size, a SHA-256 fingerprint of its
  bytes and of its first ``prefix_bytes`` bytes, whether it ends with a newline, and the
  error that stopped it from being read to its end.

A file is read to its end before any part of it is returned: a truncated or corrupt gzip
file returns no text, only its error. Reading in parts keeps every DuckDB vector small,
whatever the size of a file or of a run; the file being read is cached between the calls
for its parts, which come one after another.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError

EVENT_FILE_SUFFIXES = (".ndjson", ".jsonl", ".ndjson.gz", ".jsonl.gz")
LINES_PER_PART = 256
# bytes of text assumed per line when a file is split into parts (an over-estimate of the
# number of lines only adds empty parts; the last part takes whatever is left)
ESTIMATED_LINE_BYTES = 128
NEWLINE = 0x0A
REPLACEMENT_CHARACTER = "\ufffd"

LISTED_FILE_TYPE = duckdb.struct_type(
    {"file": "VARCHAR", "file_size_bytes": "BIGINT", "file_modified_at": "TIMESTAMP"}
)
PART_FIELDS = (
    ("file_size_bytes", "BIGINT", pa.int64()),
    ("fingerprint", "VARCHAR", pa.string()),
    ("prefix_fingerprint", "VARCHAR", pa.string()),
    ("ends_with_newline", "BOOLEAN", pa.bool_()),
    ("read_error", "VARCHAR", pa.string()),
    ("first_line_number", "BIGINT", pa.int64()),
    ("text", "BLOB", pa.binary()),
    ("invalid_line_numbers", "BIGINT[]", pa.list_(pa.int64())),
)
PART_TYPE = duckdb.struct_type({name: kind for name, kind, _ in PART_FIELDS})


def list_event_files(root: str) -> list[dict[str, Any]]:
    """Every event file below `root`, sorted, with size and modification time (UTC)."""
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        raise ValueError(
            f"raw_events_path {root!r} is not a directory: set the dbt var raw_events_path "
            "to the folder that holds the raw NDJSON event files"
        )
    found = []
    for directory, subdirectories, names in os.walk(root, followlinks=True):
        subdirectories.sort()
        for name in sorted(names):
            if not name.endswith(EVENT_FILE_SUFFIXES):
                continue
            path = os.path.join(directory, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue  # vanished (or a dangling link) between listing and stat
            if not os.path.isfile(path):
                continue
            modified = datetime.fromtimestamp(stat.st_mtime_ns / 1e9, UTC).replace(tzinfo=None)
            found.append(
                {"file": path, "file_size_bytes": stat.st_size, "file_modified_at": modified}
            )
    return found


def size_estimate(path: str) -> int:
    """Bytes of text in the file: its size, or for gzip the size its trailer records."""
    try:
        size = os.path.getsize(path)
        if not path.endswith(".gz"):
            return size
        with open(path, "rb") as handle:
            if size < 4:
                return 0
            handle.seek(size - 4)
            # the trailer holds the size mod 2**32 of the last member only: an estimate
            return max(int.from_bytes(handle.read(4), "little"), size)
    except OSError:
        return 0


def prefix_fingerprint(path: str, prefix_bytes: int) -> str | None:
    """SHA-256 of the first `prefix_bytes` bytes of the file (None when it is shorter)."""
    try:
        with open(path, "rb") as handle:
            prefix = handle.read(prefix_bytes)
    except OSError:
        return None
    return fingerprint(prefix) if len(prefix) == prefix_bytes else None


def part_count(path: str) -> int:
    """How many parts to read a file in (at least one; the last part takes the rest)."""
    return max(1, -(-size_estimate(path) // (ESTIMATED_LINE_BYTES * LINES_PER_PART)))


@dataclass
class ReadFile:
    """A file read to its end: its bytes, its facts and where its physical lines lie."""

    key: tuple[str, int, int]
    content: bytes = b""
    text: bytes = b""
    error: str | None = None
    # byte offset where each physical line starts, and where it stops (before its newline)
    starts: np.ndarray[Any, np.dtype[np.int64]] = field(
        default_factory=lambda: np.zeros(0, np.int64)
    )
    stops: np.ndarray[Any, np.dtype[np.int64]] = field(
        default_factory=lambda: np.zeros(0, np.int64)
    )
    invalid_lines: list[int] = field(default_factory=list)  # 0-based, not valid UTF-8
    fingerprint: str | None = None
    _prefix_fingerprints: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.readable:
            self.fingerprint = fingerprint(self.content)

    @property
    def readable(self) -> bool:
        return self.key[1] >= 0

    def prefix_fingerprint(self, prefix_bytes: int | None) -> str | None:
        if not self.readable or prefix_bytes is None or prefix_bytes > len(self.content):
            return None
        if prefix_bytes not in self._prefix_fingerprints:
            self._prefix_fingerprints[prefix_bytes] = fingerprint(self.content[:prefix_bytes])
        return self._prefix_fingerprints[prefix_bytes]

    def repaired_text(self, first: int, last: int) -> bytes:
        """Text of lines [first, last), its invalid lines decoded as errors="replace" does."""
        invalid = set(self.invalid_lines)
        pieces = []
        for index in range(first, last):
            line = self.text[self.starts[index] : self.stops[index]]
            if index in invalid:
                line = line.decode("utf-8", errors="replace").encode("utf-8")
            pieces.append(line)
        return b"\n".join(pieces)


def fingerprint(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_file(path: str) -> ReadFile:
    """Read and decompress a whole file; a file that cannot be read keeps only its error."""
    key = (path, -1, -1)
    try:
        stat = os.stat(path)
        key = (path, stat.st_size, stat.st_mtime_ns)
        with open(path, "rb") as handle:
            content = handle.read()
    except OSError as error:
        return ReadFile(key, error=_describe(error))
    try:
        text = gzip.decompress(content) if path.endswith(".gz") else content
    except Exception as error:  # truncated or corrupt gzip: nothing of it lands
        return ReadFile(key, content=content, error=_describe(error))
    newlines = np.flatnonzero(np.frombuffer(text, np.uint8) == NEWLINE).astype(np.int64)
    starts = np.concatenate([np.zeros(1, np.int64), newlines + 1])
    stops = np.append(newlines, np.int64(len(text)))
    if not text or text.endswith(b"\n"):
        starts, stops = starts[:-1], stops[:-1]  # the text after a final newline is no line
    return ReadFile(key, content, text, None, starts, stops, _invalid_lines(text, starts, stops))


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _invalid_lines(
    text: bytes, starts: np.ndarray[Any, Any], stops: np.ndarray[Any, Any]
) -> list[int]:
    """0-based indexes of the physical lines that are not valid UTF-8: a run of lines is
    validated whole, and a run that fails is halved until the failing lines are found."""
    invalid: list[int] = []
    pending = [(0, len(starts))] if len(starts) else []
    while pending:
        first, last = pending.pop()
        if _is_utf8(memoryview(text)[starts[first] : stops[last - 1]]):
            continue
        if last - first == 1:
            invalid.append(first)
            continue
        middle = (first + last) // 2
        pending += [(middle, last), (first, middle)]
    return sorted(invalid)


def _is_utf8(data: bytes | memoryview) -> bool:
    try:
        pa.array([data], pa.large_binary()).cast(pa.large_string())  # Arrow's SIMD check
    except pa.ArrowInvalid:
        return False
    return True


class FileCache:
    """The most recently read file: the calls for one file's parts come one after another."""

    def __init__(self) -> None:
        self._file: ReadFile | None = None

    def get(self, path: str) -> ReadFile:
        try:
            stat = os.stat(path)
            key = (path, stat.st_size, stat.st_mtime_ns)
        except OSError:
            key = (path, -1, -1)
        if self._file is None or self._file.key != key:
            self._file = None  # let the previous file go before reading the next
            self._file = read_file(path)
        return self._file


def read_parts(
    cache: FileCache,
    paths: pa.Array,
    prefix_bytes: pa.Array,
    parts: pa.Array,
    part_counts: pa.Array,
) -> pa.Array:
    """Vectorised body of pa_read_event_file_part. Consecutive rows of one file are read
    together: the texts of its parts are one slice of its text, cut without copying."""
    path_list = paths.to_pylist()
    prefixes = prefix_bytes.to_pylist()
    part_numbers = parts.to_numpy(zero_copy_only=False).astype(np.int64)
    counts = part_counts.to_numpy(zero_copy_only=False).astype(np.int64)
    columns: dict[str, list[pa.Array]] = {name: [] for name, _, _ in PART_FIELDS}
    begin = 0
    while begin < len(path_list):
        end = begin + 1
        while end < len(path_list) and path_list[end] == path_list[begin]:
            end += 1
        read = cache.get(path_list[begin])
        for name, column in _file_parts(
            read, prefixes[begin:end], part_numbers[begin:end], counts[begin:end]
        ).items():
            columns[name].append(column)
        begin = end
    return pa.StructArray.from_arrays(
        [
            pa.concat_arrays(columns[name]).cast(kind) if columns[name] else pa.array([], kind)
            for name, _, kind in PART_FIELDS
        ],
        names=[name for name, _, _ in PART_FIELDS],
    )


def _file_parts(
    read: ReadFile,
    prefixes: list[int | None],
    part_numbers: np.ndarray[Any, Any],
    counts: np.ndarray[Any, Any],
) -> dict[str, pa.Array]:
    """The columns of pa_read_event_file_part for several parts of one file."""
    size = len(part_numbers)
    lines = len(read.starts)
    first = np.minimum((part_numbers - 1) * LINES_PER_PART, lines)
    last = np.where(part_numbers >= counts, lines, np.minimum(part_numbers * LINES_PER_PART, lines))
    last = np.maximum(first, last)
    # the invalid lines of each part, as a list column cut from the sorted line numbers
    invalid = np.array(read.invalid_lines, np.int64)
    low, high = np.searchsorted(invalid, first), np.searchsorted(invalid, last)
    invalid_offsets = np.concatenate([[0], np.cumsum(high - low)]).astype(np.int32)
    columns = {
        "file_size_bytes": pa.array(
            [len(read.content) if read.readable else None] * size, pa.int64()
        ),
        "fingerprint": pa.array([read.fingerprint] * size, pa.string()),
        "prefix_fingerprint": pa.array(
            [read.prefix_fingerprint(prefix) for prefix in prefixes], pa.string()
        ),
        "ends_with_newline": pa.array([read.text.endswith(b"\n")] * size, pa.bool_()),
        "read_error": pa.array([read.error] * size, pa.string()),
        "first_line_number": pa.array(first + 1, pa.int64()),
        "invalid_line_numbers": pa.ListArray.from_arrays(
            pa.array(invalid_offsets),
            pa.array(np.concatenate([invalid[low[0] : high[-1]] + 1]), pa.int64()),
        ),
    }
    if read.error is not None:
        columns["text"] = pa.nulls(size, pa.large_binary())
        return columns
    # lines [first, last) with their newlines: consecutive parts' ranges touch, so their
    # texts are one slice of the file's text
    bounds = np.append(read.starts, np.int64(len(read.text)))
    starts, stops = bounds[first], bounds[last]
    if np.all(stops[:-1] == starts[1:]):
        offsets = np.append(starts, stops[-1]).astype(np.int64)
        window = memoryview(read.text)[offsets[0] : offsets[-1]]
        text = pa.LargeBinaryArray.from_buffers(
            pa.large_binary(),
            size,
            [None, pa.py_buffer(offsets - offsets[0]), pa.py_buffer(window)],
        )
    else:
        text = pa.array(
            [read.text[a:b] for a, b in zip(starts, stops, strict=True)], pa.large_binary()
        )
    broken = high > low
    if broken.any():
        # parts holding invalid lines: those lines decoded as errors="replace" does
        repaired = [
            read.repaired_text(int(a), int(b))
            for a, b in zip(first[broken], last[broken], strict=True)
        ]
        text = pc.replace_with_mask(text, pa.array(broken), pa.array(repaired, pa.large_binary()))
    columns["text"] = text
    return columns


def register(connection: duckdb.DuckDBPyConnection) -> None:
    """Register the landing functions on a DuckDB connection."""
    cache = FileCache()

    def read_part(
        paths: pa.Array, prefix_bytes: pa.Array, parts: pa.Array, part_counts: pa.Array
    ) -> pa.Array:
        return read_parts(cache, paths, prefix_bytes, parts, part_counts)

    connection.create_function(
        "pa_list_event_files",
        list_event_files,
        ["VARCHAR"],
        duckdb.list_type(LISTED_FILE_TYPE),
    )
    connection.create_function("pa_event_file_part_count", part_count, ["VARCHAR"], "BIGINT")
    connection.create_function(
        "pa_event_file_prefix_fingerprint", prefix_fingerprint, ["VARCHAR", "BIGINT"], "VARCHAR"
    )
    connection.create_function(  # type: ignore[call-overload]
        "pa_read_event_file_part",
        read_part,
        ["VARCHAR", "BIGINT", "BIGINT", "BIGINT"],
        PART_TYPE,
        type="arrow",
        null_handling="special",
    )


class WarehouseBusyError(DbtRuntimeError):
    """Another process holds the DuckDB warehouse file."""


def check_warehouse_is_free(path: str) -> None:
    """Raise one clear error when another process holds the warehouse file's lock (DuckDB
    has one writer at a time), rather than dbt's traceback of the failed connection."""
    if not path or path == ":memory:" or not os.path.exists(path):
        return
    try:
        duckdb.connect(path, read_only=True).close()
    except duckdb.IOException as error:
        if "Could not set lock" in str(error):
            found = re.search(r"held in (\S+) \(PID (\d+)\)", str(error))
            holder = f" (process {found[2]}, {os.path.basename(found[1])})" if found else ""
            raise WarehouseBusyError(
                f"another build holds the warehouse {path}{holder}; "
                "run this one when it has finished"
            ) from None
        raise


class Plugin(BasePlugin):
    """dbt-duckdb plugin registering the landing functions on every connection."""

    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        check_warehouse_is_free(str(creds.path))

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        register(conn)
