"""Partitioned, size-bounded NDJSON output with a bounded number of open files.

Lines go to `<out>/<partition>/<prefix>-NNNNN.<ext>` where the partition is a directory
such as `dt=2024-01-05` (or `dt=2024-01-05/retry`). Each part file holds at most
`max_lines` physical lines; a full part is closed and the next one opened. At most
`max_open` parts are open at once (least recently used is closed first), and each
buffers at most `flush_bytes` before writing, so memory does not grow with the data.

Each part draws its format from the writer's own random stream when it is opened:
`.ndjson` or `.jsonl`, gzip or plain, LF or CRLF, and (rarely) no newline after its last
line. gzip members are written with mtime 0 and no file name, so a run's bytes depend
only on its inputs.
"""

from __future__ import annotations

import gzip
import io
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Final

FLUSH_BYTES: Final = 256 * 1024


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One event file written: path relative to the output directory, and its shape."""

    path: str
    lines: int
    bytes: int
    gzip: bool
    crlf: bool
    final_newline: bool


class PartFile:
    """An open part file; keeps its last line back so the final newline can be dropped."""

    def __init__(
        self,
        path: Path,
        relative: str,
        *,
        use_gzip: bool,
        crlf: bool,
        final_newline: bool,
        compress_level: int,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.relative = relative
        self.use_gzip = use_gzip
        self.crlf = crlf
        self.final_newline = final_newline
        self.newline = b"\r\n" if crlf else b"\n"
        self.lines = 0
        self._raw = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._gzip: gzip.GzipFile | None = None
        if use_gzip:
            self._gzip = gzip.GzipFile(
                filename="", mode="wb", compresslevel=compress_level, fileobj=self._raw, mtime=0
            )
        self._sink: gzip.GzipFile | io.BufferedWriter = (
            self._gzip if self._gzip is not None else self._raw
        )
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._wrote_any = False

    def add(self, line: bytes) -> None:
        self._pending.append(line)
        self._pending_bytes += len(line)
        self.lines += 1
        if self._pending_bytes >= FLUSH_BYTES:
            self._flush(final=False)

    def _flush(self, *, final: bool) -> None:
        pending = self._pending
        if not pending:
            return
        newline = self.newline
        keep: list[bytes] = []
        if not final:
            keep = [pending.pop()]  # the last line's newline is decided at close
        if pending:
            data = newline.join(pending)
            if self._wrote_any:
                data = newline + data
            last = pending[-1]
            if final and (self.final_newline or not last):
                data += newline  # an empty last line needs its newline to exist
            self._sink.write(data)
            self._wrote_any = True
        self._pending = keep
        self._pending_bytes = sum(len(line) for line in keep)

    def close(self) -> FileRecord:
        self._flush(final=True)
        if self._gzip is not None:
            self._gzip.close()
        size = self._raw.tell()
        self._raw.close()
        return FileRecord(
            path=self.relative,
            lines=self.lines,
            bytes=size,
            gzip=self.use_gzip,
            crlf=self.crlf,
            final_newline=self.final_newline,
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
        on_close: Callable[[FileRecord], None],
    ) -> None:
        self.out_dir = out_dir
        self.prefix = prefix
        self._rng = rng
        self._max_lines = max_lines
        self._max_open = max_open
        self._gzip_share = gzip_share
        self._crlf_share = crlf_share
        self._no_final_newline_share = no_final_newline_share
        self._compress_level = compress_level
        self._on_close = on_close
        self._open: OrderedDict[str, PartFile] = OrderedDict()
        self._next_part: dict[str, int] = {}

    @property
    def partitions(self) -> list[str]:
        """Every partition directory written so far, sorted."""
        return sorted(self._next_part)

    def write(self, partition: str, line: bytes) -> PartFile:
        """Append one line (without its newline); returns the part file it went to."""
        part = self._open.get(partition)
        if part is None:
            part = self._open_part(partition)
        elif part.lines >= self._max_lines:
            self._close(partition)
            part = self._open_part(partition)
        else:
            self._open.move_to_end(partition)
        part.add(line)
        return part

    def current(self, partition: str) -> PartFile | None:
        return self._open.get(partition)

    def close_all(self) -> None:
        for partition in list(self._open):
            self._close(partition)

    def _open_part(self, partition: str) -> PartFile:
        while len(self._open) >= self._max_open:
            self._close(next(iter(self._open)))
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
            use_gzip=use_gzip,
            crlf=crlf,
            final_newline=final_newline,
            compress_level=self._compress_level,
        )
        self._open[partition] = part
        return part

    def _close(self, partition: str) -> None:
        part = self._open.pop(partition)
        self._on_close(part.close())
