"""Partitioned, size-bounded NDJSON output with bounded memory and open files.

Lines go to `<out>/<partition>/<prefix>-NNNNN.<ext>` where the partition is a directory
such as `dt=2024-01-05` (or `dt=2024-01-05/retry`). Each part file holds at most
`max_lines` physical lines; a full part is finished and the next one started.

Memory stays bounded whatever the number of lines: each part buffers about
`FLUSH_BYTES` (plus at most the lines of one call) before handing them to the I/O thread
(through a bounded queue), and at
most `max_open` parts hold an open file (and, for gzip, a compressor) at a time. A part
that loses its handle to a busier one is reopened in append mode later; a gzip part then
continues as a new gzip member of the same file (RFC 1952 allows any number), so the
number of files depends only on the lines per partition, never on the eviction order.

Compression and writing run on one background thread (zlib and file writes release
the GIL), in submission order, so the bytes of every file depend only on the inputs:
each part draws its format from the writer's random stream when it starts (`.ndjson` or
`.jsonl`, gzip or plain, LF or CRLF, rarely no newline after its last line), and gzip
members carry mtime 0 and no file name.
"""

from __future__ import annotations

import gzip
import io
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Final

FLUSH_BYTES: Final = 64 * 1024
_QUEUE_BLOCKS: Final = 32


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One event file written: path relative to the output directory, and its shape."""

    path: str
    lines: int
    bytes: int
    gzip: bool
    crlf: bool
    final_newline: bool


class _IoThread:
    """Runs file operations in order on one thread; re-raises its first error."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue(_QUEUE_BLOCKS)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="pa-generate-io", daemon=True)
        self._thread.start()

    def submit(self, operation: Callable[[], None]) -> None:
        if self._error is not None:
            raise RuntimeError("writing event files failed") from self._error
        self._queue.put(operation)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise RuntimeError("writing event files failed") from self._error

    def _run(self) -> None:
        while True:
            operation = self._queue.get()
            if operation is None:
                return
            if self._error is not None:
                continue  # drain without writing more after a failure
            try:
                operation()
            except BaseException as error:  # noqa: BLE001 - handed to the main thread
                self._error = error


class PartFile:
    """One part file. Main thread: buffering and line counts. I/O thread: the handles."""

    def __init__(
        self,
        path: Path,
        relative: str,
        io_thread: _IoThread,
        *,
        use_gzip: bool,
        crlf: bool,
        final_newline: bool,
        compress_level: int,
    ) -> None:
        self.path = path
        self.relative = relative
        self.use_gzip = use_gzip
        self.crlf = crlf
        self.final_newline = final_newline
        self.newline = b"\r\n" if crlf else b"\n"
        self.lines = 0
        self._io = io_thread
        self._compress_level = compress_level
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._wrote_any = False
        # Touched by the I/O thread only.
        self._raw: io.BufferedWriter | None = None
        self._gzip: gzip.GzipFile | None = None
        self._created = False

    def add_many(self, lines: list[bytes]) -> None:
        self._pending.extend(lines)
        self._pending_bytes += sum(map(len, lines))
        self.lines += len(lines)
        if self._pending_bytes >= FLUSH_BYTES:
            self._flush(final=False)

    def suspend(self) -> None:
        """Give up the open handle (and compressor); later writes reopen the file."""
        self._flush(final=False)
        self._io.submit(self._close_handles)

    def finish(self, on_record: Callable[[FileRecord], None]) -> None:
        """Write the rest, close, and report the file (on the I/O thread)."""
        self._flush(final=True)
        self._io.submit(lambda: self._finalize(on_record))

    def _flush(self, *, final: bool) -> None:
        # The last line stays buffered until the end: only then is it known whether the
        # file ends with a newline.
        pending = self._pending
        keep: list[bytes] = [] if final else [pending.pop()] if pending else []
        if pending:
            newline = self.newline
            data = newline.join(pending)
            if self._wrote_any:
                data = newline + data
            if final and (self.final_newline or not pending[-1]):
                data += newline  # an empty last line needs its newline to exist at all
            self._wrote_any = True
            self._io.submit(lambda: self._write(data))
        self._pending = keep
        self._pending_bytes = len(keep[0]) if keep else 0

    # ------------------------------------------------------------ I/O thread

    def _write(self, data: bytes) -> None:
        if self._raw is None:
            if not self._created:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._raw = open(self.path, "ab" if self._created else "wb")  # noqa: SIM115
            self._created = True
            if self.use_gzip:
                self._gzip = gzip.GzipFile(
                    filename="",
                    mode="wb",
                    compresslevel=self._compress_level,
                    fileobj=self._raw,
                    mtime=0,
                )
        if self._gzip is not None:
            self._gzip.write(data)
        else:
            self._raw.write(data)

    def _close_handles(self) -> None:
        if self._gzip is not None:
            self._gzip.close()
            self._gzip = None
        if self._raw is not None:
            self._raw.close()
            self._raw = None

    def _finalize(self, on_record: Callable[[FileRecord], None]) -> None:
        self._close_handles()
        on_record(
            FileRecord(
                path=self.relative,
                lines=self.lines,
                bytes=self.path.stat().st_size,
                gzip=self.use_gzip,
                crlf=self.crlf,
                final_newline=self.final_newline,
            )
        )


class PartitionedWriter:
    """Routes lines to the current part file of their partition directory."""

    def __init__(
        self,
        out_dir: Path,
        *,
        prefix: str,
        rng: Random,
        max_lines: int,
        max_open: int,
        gzip_share: float,
        crlf_share: float,
        no_final_newline_share: float,
        compress_level: int,
        on_record: Callable[[FileRecord], None] | None = None,
    ) -> None:
        self.out_dir = out_dir
        self.prefix = prefix
        self.records: list[FileRecord] = []
        self._rng = rng
        self._max_lines = max_lines
        self._max_open = max_open
        self._gzip_share = gzip_share
        self._crlf_share = crlf_share
        self._no_final_newline_share = no_final_newline_share
        self._compress_level = compress_level
        self._on_record = on_record
        self._io = _IoThread()
        self._parts: dict[str, PartFile] = {}  # the current part of each partition
        self._open: OrderedDict[str, None] = OrderedDict()  # partitions holding a handle
        self._next_part: dict[str, int] = {}

    @property
    def partitions(self) -> list[str]:
        """Every partition directory written so far, sorted."""
        return sorted(self._next_part)

    def write(self, partition: str, lines: list[bytes]) -> None:
        """Append lines (without their newlines) to the partition's current parts."""
        done = 0
        while done < len(lines):
            part = self._parts.get(partition)
            if part is None or part.lines >= self._max_lines:
                if part is not None:
                    self._finish(partition, part)
                part = self._start_part(partition)
            if partition in self._open:
                self._open.move_to_end(partition)
            else:
                while len(self._open) >= self._max_open:
                    evicted, _ = self._open.popitem(last=False)
                    self._parts[evicted].suspend()
                self._open[partition] = None
            room = self._max_lines - part.lines
            if done == 0 and room >= len(lines):
                part.add_many(lines)
                return
            chunk = lines[done : done + room]
            part.add_many(chunk)
            done += len(chunk)

    def close(self) -> list[FileRecord]:
        """Finish every part and wait for the I/O thread; returns all files, by path."""
        try:
            for partition in sorted(self._parts):
                self._finish(partition, self._parts[partition])
            self._parts.clear()
        finally:
            self._io.close()
        return sorted(self.records, key=lambda record: record.path)

    def _start_part(self, partition: str) -> PartFile:
        number = self._next_part.get(partition, 0)
        self._next_part[partition] = number + 1
        rng = self._rng
        extension = ".ndjson" if rng.random() < 0.7 else ".jsonl"
        use_gzip = rng.random() < self._gzip_share
        crlf = rng.random() < self._crlf_share
        final_newline = rng.random() >= self._no_final_newline_share
        if use_gzip:
            extension += ".gz"
        relative = f"{partition}/{self.prefix}-{number:05d}{extension}"
        part = PartFile(
            self.out_dir / relative,
            relative,
            self._io,
            use_gzip=use_gzip,
            crlf=crlf,
            final_newline=final_newline,
            compress_level=self._compress_level,
        )
        self._parts[partition] = part
        return part

    def _finish(self, partition: str, part: PartFile) -> None:
        self._open.pop(partition, None)
        part.finish(self._record)

    def _record(self, record: FileRecord) -> None:
        # Runs on the I/O thread, in submission order.
        self.records.append(record)
        if self._on_record is not None:
            self._on_record(record)
