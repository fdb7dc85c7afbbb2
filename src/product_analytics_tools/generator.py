"""Seeded, byte-for-byte deterministic generator of raw behavioural events.

Writes realistic product and e-commerce traffic for N persons over D days as NDJSON
files in the shapes SPEC section 2 accepts (Segment messages, camelCase or snake_case,
and flat events), partitioned like real exports::

    <out>/README.txt, manifest.json                 decoys: must be ignored
    <out>/dt=YYYY-MM-DD/part-NNNNN.ndjson[.gz]      events received that day
    <out>/dt=YYYY-MM-DD/part-NNNNN.jsonl[.gz]
    <out>/dt=YYYY-MM-DD/retry/part-NNNNN.ndjson     redelivered copies (duplicates)
    <out>/dt=YYYY-MM-DD/_SUCCESS, *.tmp, .*.crc      decoys

The traffic holds everything the warehouse must cope with: anonymous browsing on one to
three devices, sign-up with identify, alias, logins on other devices, page views with
referrers and utm campaigns (in context.campaign and in the url), the funnels of SPEC
section 7 with drop-off, orders in several currencies (tracked twice now and then),
refunds, subscriptions, experiment exposures, synonym and mixed-case event names,
clock-skewed and late clients, duplicates across files, blank lines, CRLF files, and a
share of bad lines of every SPEC section 3 kind. `manifest.json` holds the exact count
of each, so tests can reconcile the warehouse against it.

Persons are simulated in blocks of 256, each person from its own seeded random stream,
in worker processes; the main process writes the blocks' lines in block order through a
bounded set of open part files (compression on a background thread). Nothing is held
beyond a few blocks, so memory does not grow with the number of events, and the bytes
written do not depend on the number of workers.

Usage: ``pa-generate --persons 1000 --days 30 --seed 42 --out data/events`` or
``python -m product_analytics_tools.generator --target-events 1000000``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import re
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from random import Random
from typing import Any, Final

from ._generator_blocks import (
    BLOCK_PERSONS,
    BlockCounts,
    BlockResult,
    BlockSpec,
    init_worker,
    run_block,
    simulate_block,
)
from ._generator_clock import DAY_MS
from ._generator_faults import REJECT_REASONS
from ._generator_files import FileRecord, PartitionedWriter

__all__ = [
    "REJECT_REASONS",
    "FileRecord",
    "GenerationSummary",
    "GeneratorConfig",
    "default_workers",
    "generate",
    "main",
]

MIN_START_DATE: Final = date(2000, 1, 1)  # SPEC var min_event_date's default
EVENT_FILE_SUFFIXES: Final = (".ndjson", ".jsonl", ".ndjson.gz", ".jsonl.gz")
_PREFIX_RE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_NO_FINAL_NEWLINE_SHARE: Final = 0.05
_PROGRESS_EVERY_SECONDS: Final = 5.0


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate. Shares are fractions (0.005 = 0.5 %).

    - `bad_line_share`: rejected lines / all non-blank lines, split evenly over the six
      reject reasons of SPEC section 3.
    - `duplicate_share`: valid events delivered a second time (same event id), half of
      them with identical text in a `retry/` file of the next day, half with a later
      receivedAt in the partition of that day.
    - `blank_line_share`: blank or whitespace-only lines / all lines.
    - `gzip_share`, `crlf_file_share`: fraction of part files gzipped / with CRLF endings.
    - `compress_level`: gzip level; 1 (fastest) by default: the generator's time goes
      into compression otherwise, and readers do not care.
    - `target_events`: when set, persons are generated (in blocks of 256) until at
      least this many non-blank lines are written; `persons` is then ignored.
    - `workers`: processes simulating blocks of persons (None: one per CPU, at most 4).
      The output does not depend on it.
    - `max_open_files`: part files open at once (each gzip one holds a ~260 KB
      compressor). There are two partitions per day (`dt=...` and its `retry/`); with
      more than this, a part that loses its handle continues later as another gzip
      member of the same file: valid gzip, same files, same line counts.
    """

    out_dir: Path = Path("data/events")
    persons: int = 1000
    days: int = 30
    start_date: date = date(2024, 1, 1)
    seed: int = 42
    max_lines_per_file: int = 250_000
    gzip_share: float = 0.5
    bad_line_share: float = 0.005
    duplicate_share: float = 0.01
    blank_line_share: float = 0.001
    crlf_file_share: float = 0.1
    compress_level: int = 1
    max_open_files: int = 128
    file_prefix: str = "part"
    target_events: int | None = None
    workers: int | None = None
    decoys: bool = True
    force: bool = False
    progress: bool = False

    def validate(self) -> None:
        """Raise ValueError with a clear message for a setting that cannot work."""
        if self.persons < 1:
            raise ValueError(f"persons must be at least 1, got {self.persons}")
        if self.workers is not None and not 1 <= self.workers <= 64:
            raise ValueError(f"workers must be between 1 and 64, got {self.workers}")
        if self.target_events is not None and self.target_events < 1:
            raise ValueError(f"target_events must be at least 1, got {self.target_events}")
        if not 1 <= self.days <= 36_500:
            raise ValueError(f"days must be between 1 and 36500, got {self.days}")
        if self.start_date < MIN_START_DATE:
            raise ValueError(
                f"start_date must be on or after {MIN_START_DATE} (SPEC min_event_date), "
                f"got {self.start_date}"
            )
        if self.max_lines_per_file < 1:
            raise ValueError(
                f"max_lines_per_file must be at least 1, got {self.max_lines_per_file}"
            )
        if not 1 <= self.max_open_files <= 4096:
            raise ValueError(
                f"max_open_files must be between 1 and 4096, got {self.max_open_files}"
            )
        if not 0 <= self.compress_level <= 9:
            raise ValueError(f"compress_level must be between 0 and 9, got {self.compress_level}")
        for name, value, upper in (
            ("gzip_share", self.gzip_share, 1.0),
            ("crlf_file_share", self.crlf_file_share, 1.0),
            ("bad_line_share", self.bad_line_share, 0.5),
            ("duplicate_share", self.duplicate_share, 1.0),
            ("blank_line_share", self.blank_line_share, 0.5),
        ):
            if not 0.0 <= value <= upper:
                raise ValueError(f"{name} must be between 0 and {upper}, got {value}")
        if not _PREFIX_RE.match(self.file_prefix):
            raise ValueError(
                f"file_prefix must be letters, digits, '_' or '-', got {self.file_prefix!r}"
            )


@dataclass
class GenerationSummary:
    """What a run wrote. Every count is exact; `seconds` is the only non-deterministic field.

    Lines of event files = valid_events + duplicate_lines + rejected_lines + blank_lines.
    SPEC section 3 reconciliation: raw lines (non-blank) = valid_events (accepted) +
    duplicate_lines + rejected_lines, with rejected_by_reason giving each reason.
    """

    out_dir: str
    seed: int
    persons: int
    days: int
    start_date: str
    lines: int = 0
    valid_events: int = 0
    duplicate_lines: int = 0
    duplicates_identical: int = 0
    duplicates_altered: int = 0
    rejected_lines: int = 0
    blank_lines: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    rejected_by_variant: dict[str, int] = field(default_factory=dict)
    events_by_type: dict[str, int] = field(default_factory=dict)
    events_by_name: dict[str, int] = field(default_factory=dict)
    events_by_shape: dict[str, int] = field(default_factory=dict)
    behaviour: dict[str, int] = field(default_factory=dict)
    files: list[FileRecord] = field(default_factory=list)
    bytes_written: int = 0
    seconds: float = 0.0

    @property
    def event_lines(self) -> int:
        """Non-blank lines: what SPEC section 3 reconciles."""
        return self.valid_events + self.duplicate_lines + self.rejected_lines

    @property
    def file_count(self) -> int:
        return len(self.files)

    def to_manifest(self) -> dict[str, Any]:
        """The summary as JSON-ready data, without the run time and output directory.

        So the manifest is the same, byte for byte, wherever and whenever it is written.
        """
        data = asdict(self)
        del data["seconds"]
        del data["out_dir"]
        data["event_lines"] = self.event_lines
        data["file_count"] = self.file_count
        return data

    def describe(self) -> str:
        return (
            f"{self.event_lines:,} events ({self.valid_events:,} valid, "
            f"{self.duplicate_lines:,} duplicates, {self.rejected_lines:,} bad, "
            f"{self.blank_lines:,} blank lines) for {self.persons:,} persons in "
            f"{self.file_count:,} files, {self.bytes_written / 1e6:,.1f} MB, "
            f"{self.seconds:.1f} s"
        )


def _time_range(config: GeneratorConfig) -> tuple[int, int]:
    start = datetime.combine(config.start_date, datetime.min.time(), tzinfo=UTC)
    start_ms = int(start.timestamp()) * 1000
    return start_ms, start_ms + config.days * DAY_MS


def default_workers() -> int:
    """Worker processes when not told: one per CPU, at most 4 (the writer needs a core)."""
    return max(1, min(4, os.cpu_count() or 1))


class _BlockRunner:
    """Runs blocks of persons in worker processes and yields their results in order.

    At most `2 * workers` blocks are in flight, so memory stays bounded even when the
    writer is slower than the workers. With one worker, blocks run in this process.
    The pool is started before any thread of this process (fork safety).
    """

    def __init__(self, spec: BlockSpec, workers: int) -> None:
        self._spec = spec
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> _BlockRunner:
        if self._workers > 1:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = ProcessPoolExecutor(
                self._workers,
                mp_context=context,
                initializer=init_worker,
                initargs=(self._spec,),
            )
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            # Blocks beyond a reached target are dropped; running ones finish first.
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def results(self, blocks: Iterator[int]) -> Iterator[BlockResult]:
        if self._pool is None:
            for block in blocks:
                yield simulate_block(self._spec, block)
            return
        window: deque[Future[BlockResult]] = deque()
        for block in blocks:
            window.append(self._pool.submit(run_block, block))
            if len(window) >= 2 * self._workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _our_files(out_dir: Path, prefix: str, manifest_name: str) -> list[Path]:
    """Files a previous run with this prefix wrote (shared decoys are just rewritten)."""
    found: list[Path] = []
    if (out_dir / manifest_name).is_file():
        found.append(out_dir / manifest_name)
    for partition in sorted(out_dir.glob("dt=*")):
        for directory in (partition, partition / "retry"):
            if not directory.is_dir():
                continue
            for path in sorted(directory.iterdir()):
                if path.is_file() and path.name.startswith((f"{prefix}-", f".{prefix}-")):
                    found.append(path)
    return found


def _manifest_name(prefix: str) -> str:
    return "manifest.json" if prefix == "part" else f"manifest-{prefix}.json"


def generate(config: GeneratorConfig) -> GenerationSummary:
    """Generate the events `config` describes; returns exact counts of what was written."""
    config.validate()
    began = time.perf_counter()
    out_dir = config.out_dir
    manifest_name = _manifest_name(config.file_prefix)
    previous = _our_files(out_dir, config.file_prefix, manifest_name) if out_dir.exists() else []
    if previous and not config.force:
        raise FileExistsError(
            f"{out_dir} already holds {len(previous)} generated files (e.g. {previous[0]}); "
            "pass force=True (--force) to replace them or choose another directory"
        )
    for path in previous:
        path.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)

    start_ms, end_ms = _time_range(config)
    target = config.target_events
    spec = BlockSpec(
        seed=config.seed,
        start_ms=start_ms,
        end_ms=end_ms,
        persons=None if target is not None else config.persons,
        bad_line_share=config.bad_line_share,
        duplicate_share=config.duplicate_share,
        blank_line_share=config.blank_line_share,
    )
    blocks: Iterator[int]
    if target is not None:
        blocks = itertools.count()  # until the target is reached
    else:
        blocks = iter(range(-(-config.persons // BLOCK_PERSONS)))
    workers = config.workers if config.workers is not None else default_workers()
    counts = BlockCounts()

    def report(record: FileRecord) -> None:
        # Called on the writer's I/O thread as each file is finished.
        print(
            f"[pa-generate] wrote {record.path}: {record.lines:,} lines, "
            f"{record.bytes / 1e6:.1f} MB ({time.perf_counter() - began:.1f} s)",
            file=sys.stderr,
        )

    with _BlockRunner(spec, workers) as runner:
        writer = PartitionedWriter(
            out_dir,
            prefix=config.file_prefix,
            rng=Random(f"{config.seed}:files"),
            max_lines=config.max_lines_per_file,
            max_open=config.max_open_files,
            gzip_share=config.gzip_share,
            crlf_share=config.crlf_file_share,
            no_final_newline_share=_NO_FINAL_NEWLINE_SHARE,
            compress_level=config.compress_level,
            on_record=report if config.progress else None,
        )
        next_report = began + _PROGRESS_EVERY_SECONDS
        try:
            for result in runner.results(blocks):
                for partition, lines in result.lines.items():
                    writer.write(partition, lines)
                counts.add(result.counts)
                if config.progress and time.perf_counter() >= next_report:
                    next_report = time.perf_counter() + _PROGRESS_EVERY_SECONDS
                    print(
                        f"[pa-generate] {counts.persons:,} persons, "
                        f"{counts.event_lines:,} events ({time.perf_counter() - began:.1f} s)",
                        file=sys.stderr,
                    )
                if target is not None and counts.event_lines >= target:
                    break
        finally:
            files = writer.close()

    summary = GenerationSummary(
        out_dir=str(out_dir),
        seed=config.seed,
        persons=counts.persons,
        days=config.days,
        start_date=config.start_date.isoformat(),
        lines=sum(record.lines for record in files),
        valid_events=counts.valid_events,
        duplicate_lines=counts.duplicate_lines,
        duplicates_identical=counts.duplicates_identical,
        duplicates_altered=counts.duplicates_altered,
        rejected_lines=counts.rejected_lines,
        blank_lines=counts.blank_lines,
        rejected_by_reason=dict(counts.rejected_by_reason),
        rejected_by_variant=dict(sorted(counts.rejected_by_variant.items())),
        events_by_type=dict(sorted(counts.events_by_type.items())),
        events_by_name=dict(sorted(counts.events_by_name.items())),
        events_by_shape=dict(counts.events_by_shape),
        behaviour=dict(sorted(counts.behaviour.items())),
        files=files,
        bytes_written=sum(record.bytes for record in files),
    )
    if config.decoys:
        _write_decoys(out_dir, config.file_prefix, writer.partitions)
    summary.seconds = time.perf_counter() - began
    settings = asdict(config)
    for volatile in ("out_dir", "force", "progress", "workers"):
        del settings[volatile]  # none of these changes a byte of the events
    settings["start_date"] = config.start_date.isoformat()
    content = {**summary.to_manifest(), "settings": settings}
    manifest = json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False)
    (out_dir / manifest_name).write_text(manifest + "\n", encoding="utf-8")
    return summary


_README: Final = """\
Generated by pa-generate (product_analytics_tools.generator).

Raw behavioural events, partitioned by the UTC day they were received:
dt=YYYY-MM-DD/<prefix>-NNNNN.{ndjson,jsonl}[.gz]. Redelivered copies are under
dt=YYYY-MM-DD/retry/. This file, manifest.json, _SUCCESS markers, *.tmp and *.crc
files are not event files and must be ignored by loaders.
"""


def _write_decoys(out_dir: Path, prefix: str, partitions: Sequence[str]) -> None:
    """Files a loader must ignore: they look like data but are not event files."""
    (out_dir / "README.txt").write_text(_README, encoding="utf-8")
    days = [partition for partition in partitions if "/" not in partition]
    for partition in days:
        (out_dir / partition / "_SUCCESS").write_bytes(b"")
    if not days:
        return
    first = out_dir / days[0]
    decoy = {
        "type": "track",
        "event": "Decoy Event",
        "messageId": "decoy-0001",
        "userId": "decoy-user",
        "timestamp": days[0].removeprefix("dt=") + "T00:00:00Z",
    }
    line = json.dumps(decoy, separators=(",", ":")) + "\n"
    (first / f"{prefix}-99999.ndjson.tmp").write_text(line * 3, encoding="utf-8")
    (first / f".{prefix}-00000.ndjson.crc").write_bytes(b"crc\x00\x00\x00\x2a\x7f\x13\x9c")


# ---------------------------------------------------------------------------- CLI


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a fraction like 0.01, got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a fraction between 0 and 1, got {value}")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    defaults = GeneratorConfig()
    parser = argparse.ArgumentParser(
        prog="pa-generate",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        description=(
            "Write seeded, deterministic raw behavioural events (NDJSON, some gzipped) "
            "for the product_analytics warehouse, with a manifest of exact counts."
        ),
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--persons", type=_positive_int, default=defaults.persons, help="persons to simulate"
    )
    size.add_argument(
        "--target-events",
        type=_positive_int,
        help="about this many event lines in total (derives --persons)",
    )
    parser.add_argument("--days", type=_positive_int, default=defaults.days, help="days of data")
    parser.add_argument(
        "--start-date", type=_iso_date, default=defaults.start_date, help="YYYY-MM-DD (UTC)"
    )
    parser.add_argument("--seed", type=int, default=defaults.seed, help="same seed, same bytes")
    parser.add_argument("--out", type=Path, default=defaults.out_dir, help="output directory")
    parser.add_argument(
        "--max-lines-per-file",
        type=_positive_int,
        default=defaults.max_lines_per_file,
        help="physical lines per file at most",
    )
    parser.add_argument(
        "--gzip-share", type=_share, default=defaults.gzip_share, help="fraction of files gzipped"
    )
    parser.add_argument(
        "--bad-line-share",
        type=_share,
        default=defaults.bad_line_share,
        help="fraction of lines rejected (all six SPEC reasons)",
    )
    parser.add_argument(
        "--duplicate-share",
        type=_share,
        default=defaults.duplicate_share,
        help="fraction of valid events delivered twice",
    )
    parser.add_argument(
        "--blank-line-share",
        type=_share,
        default=defaults.blank_line_share,
        help="fraction of lines blank or whitespace-only",
    )
    parser.add_argument(
        "--crlf-share",
        type=_share,
        default=defaults.crlf_file_share,
        help="fraction of files with CRLF line endings",
    )
    parser.add_argument(
        "--compress-level",
        type=int,
        choices=range(10),
        default=defaults.compress_level,
        metavar="0-9",
        help="gzip level (1: fastest)",
    )
    parser.add_argument(
        "--max-open-files",
        type=_positive_int,
        default=defaults.max_open_files,
        help="files open at once (more days than this: multi-member gzip files)",
    )
    parser.add_argument(
        "--file-prefix",
        default=defaults.file_prefix,
        help="part file name prefix; a new prefix adds a batch beside earlier ones",
    )
    parser.add_argument(
        "--workers",
        type=_positive_int,
        help="processes generating persons (None: CPUs, at most 4); output is the same",
    )
    parser.add_argument("--no-decoys", action="store_true", help="skip README/_SUCCESS/tmp files")
    parser.add_argument("--force", action="store_true", help="replace a previous run's files")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    config = GeneratorConfig(
        out_dir=args.out,
        persons=args.persons,
        days=args.days,
        start_date=args.start_date,
        seed=args.seed,
        max_lines_per_file=args.max_lines_per_file,
        gzip_share=args.gzip_share,
        bad_line_share=args.bad_line_share,
        duplicate_share=args.duplicate_share,
        blank_line_share=args.blank_line_share,
        crlf_file_share=args.crlf_share,
        compress_level=args.compress_level,
        max_open_files=args.max_open_files,
        file_prefix=args.file_prefix,
        target_events=args.target_events,
        workers=args.workers,
        decoys=not args.no_decoys,
        force=args.force,
        progress=not args.quiet,
    )
    try:
        config.validate()
    except ValueError as error:
        parser.error(str(error))
    try:
        summary = generate(config)
    except FileExistsError as error:
        print(f"pa-generate: error: {error}", file=sys.stderr)
        return 2
    print(f"pa-generate: {summary.describe()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
