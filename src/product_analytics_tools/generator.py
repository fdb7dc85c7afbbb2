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

Persons are generated one at a time from their own seeded random stream and their
events are written as they are made, through a bounded set of open part files: memory
does not grow with the number of events.

Usage: ``pa-generate --persons 1000 --days 30 --seed 42 --out data/events`` or
``python -m product_analytics_tools.generator --target-events 1000000``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from random import Random
from typing import Any, Final

from ._generator_clock import DAY_MS, HOUR_MS, day_text, iso_z
from ._generator_faults import REJECT_REASONS, FaultMaker
from ._generator_files import FileRecord, PartitionedWriter
from ._generator_people import SHAPES, JsonObject, PersonSimulator

__all__ = [
    "REJECT_REASONS",
    "FileRecord",
    "GenerationSummary",
    "GeneratorConfig",
    "estimate_lines_per_person",
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
    - `target_events`: when set, `persons` is derived so that about this many non-blank
      lines are written.
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
    compress_level: int = 6
    max_open_files: int = 64
    file_prefix: str = "part"
    target_events: int | None = None
    decoys: bool = True
    force: bool = False
    progress: bool = False

    def validate(self) -> None:
        """Raise ValueError with a clear message for a setting that cannot work."""
        if self.persons < 1:
            raise ValueError(f"persons must be at least 1, got {self.persons}")
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
            raise ValueError(f"max_lines_per_file must be at least 1, got {self.max_lines_per_file}")
        if not 1 <= self.max_open_files <= 4096:
            raise ValueError(f"max_open_files must be between 1 and 4096, got {self.max_open_files}")
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
        """The summary as JSON-ready data, without the run time (so it is deterministic)."""
        data = asdict(self)
        del data["seconds"]
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


class _CountingSink:
    """Counts valid events without writing them (for estimates)."""

    def __init__(self) -> None:
        self.events = 0

    def emit(
        self,
        event: JsonObject,
        name: str,
        event_type: str,
        shape: str,
        occurred_ms: int,
        received_ms: int | None,
    ) -> None:
        self.events += 1

    def note(self, counter: str, amount: int = 1) -> None:
        return None


class _Emitter:
    """Encodes valid events, writes them, and mixes in bad, duplicate and blank lines."""

    def __init__(
        self, config: GeneratorConfig, writer: PartitionedWriter, summary: GenerationSummary
    ) -> None:
        self._writer = writer
        self._summary = summary
        self._rng = Random(f"{config.seed}:mix")
        self._faults = FaultMaker(Random(f"{config.seed}:faults"))
        self._encode = json.JSONEncoder(
            ensure_ascii=False, separators=(",", ":"), allow_nan=False
        ).encode
        # Per valid event: P(a bad line follows), P(it is redelivered), P(a blank follows),
        # chosen so that the shares in GeneratorConfig hold over the whole output.
        bad = config.bad_line_share
        self._p_duplicate = config.duplicate_share
        self._p_bad = bad * (1 + self._p_duplicate) / (1 - bad)
        blank = config.blank_line_share
        self._p_blank = blank * (1 + self._p_duplicate + self._p_bad) / (1 - blank)
        self._bad_count = 0
        self._partitions: dict[int, str] = {}
        self._by_name = summary.events_by_name
        self._by_type = summary.events_by_type
        self._by_shape = summary.events_by_shape
        for reason in REJECT_REASONS:
            summary.rejected_by_reason[reason] = 0
        for shape in SHAPES:
            summary.events_by_shape[shape] = 0

    def _partition(self, day: int) -> str:
        name = self._partitions.get(day)
        if name is None:
            name = f"dt={day_text(day)}"
            self._partitions[day] = name
        return name

    def emit(
        self,
        event: JsonObject,
        name: str,
        event_type: str,
        shape: str,
        occurred_ms: int,
        received_ms: int | None,
    ) -> None:
        line = self._encode(event).encode()
        day = (received_ms if received_ms is not None else occurred_ms) // DAY_MS
        partition = self._partition(day)
        write = self._writer.write
        write(partition, line)
        summary = self._summary
        summary.valid_events += 1
        self._by_name[name] = self._by_name.get(name, 0) + 1
        self._by_type[event_type] = self._by_type.get(event_type, 0) + 1
        self._by_shape[shape] += 1
        roll = self._rng.random
        if roll() < self._p_bad:
            reason = REJECT_REASONS[self._bad_count % len(REJECT_REASONS)]
            self._bad_count += 1
            bad, variant = self._faults.bad_line(reason, event, shape, occurred_ms, received_ms)
            write(partition, bad)
            summary.rejected_lines += 1
            summary.rejected_by_reason[reason] += 1
            key = f"{reason}/{variant}"
            summary.rejected_by_variant[key] = summary.rejected_by_variant.get(key, 0) + 1
        if roll() < self._p_duplicate:
            self._redeliver(event, line, day, received_ms)
        if roll() < self._p_blank:
            write(partition, self._faults.blank_line())
            summary.blank_lines += 1

    def _redeliver(
        self, event: JsonObject, line: bytes, day: int, received_ms: int | None
    ) -> None:
        """Write the event again, in another file: same event id, same or later receivedAt."""
        summary = self._summary
        summary.duplicate_lines += 1
        received_key = None
        if received_ms is not None:
            received_key = "receivedAt" if "receivedAt" in event else "received_at"
        if received_key is not None and received_ms is not None and self._rng.random() < 0.5:
            later = received_ms + DAY_MS + self._rng.randrange(12 * HOUR_MS)
            copy = dict(event)
            copy[received_key] = iso_z(later)
            self._writer.write(self._partition(later // DAY_MS), self._encode(copy).encode())
            summary.duplicates_altered += 1
        else:
            self._writer.write(self._partition(day + 1) + "/retry", line)
            summary.duplicates_identical += 1

    def note(self, counter: str, amount: int = 1) -> None:
        behaviour = self._summary.behaviour
        behaviour[counter] = behaviour.get(counter, 0) + amount


def _time_range(config: GeneratorConfig) -> tuple[int, int]:
    start = datetime(
        config.start_date.year, config.start_date.month, config.start_date.day, tzinfo=timezone.utc
    )
    start_ms = int(start.timestamp()) * 1000
    return start_ms, start_ms + config.days * DAY_MS


def estimate_lines_per_person(config: GeneratorConfig, sample: int = 400) -> float:
    """Average non-blank lines per person for this config, from a dry run of `sample` persons."""
    counter = _CountingSink()
    start_ms, end_ms = _time_range(config)
    simulator = PersonSimulator(config.seed, start_ms, end_ms, counter)
    for index in range(sample):
        simulator.simulate(index)
    bad = config.bad_line_share
    per_valid = (1 + config.duplicate_share) / (1 - bad)
    return max(counter.events / sample, 1.0) * per_valid


def _our_files(out_dir: Path, prefix: str, manifest_name: str) -> list[Path]:
    """Files a previous run with this prefix wrote (and only those)."""
    found: list[Path] = []
    for name in ("README.txt", manifest_name):
        if (out_dir / name).is_file():
            found.append(out_dir / name)
    for partition in sorted(out_dir.glob("dt=*")):
        for directory in (partition, partition / "retry"):
            if not directory.is_dir():
                continue
            for path in sorted(directory.iterdir()):
                name = path.name
                if path.is_file() and (
                    name.startswith((f"{prefix}-", f".{prefix}-")) or name == "_SUCCESS"
                ):
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

    persons = config.persons
    if config.target_events is not None:
        sample = min(2000, max(400, config.target_events // 2000))
        per_person = estimate_lines_per_person(config, sample)
        persons = max(1, round(config.target_events / per_person))
    summary = GenerationSummary(
        out_dir=str(out_dir),
        seed=config.seed,
        persons=persons,
        days=config.days,
        start_date=config.start_date.isoformat(),
    )

    def on_close(record: FileRecord) -> None:
        summary.files.append(record)
        summary.bytes_written += record.bytes
        summary.lines += record.lines
        if config.progress:
            print(
                f"[pa-generate] wrote {record.path}: {record.lines:,} lines, "
                f"{record.bytes / 1e6:.1f} MB ({time.perf_counter() - began:.1f} s)",
                file=sys.stderr,
            )

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
        on_close=on_close,
    )
    emitter = _Emitter(config, writer, summary)
    start_ms, end_ms = _time_range(config)
    simulator = PersonSimulator(config.seed, start_ms, end_ms, emitter)
    next_report = began + _PROGRESS_EVERY_SECONDS
    try:
        for index in range(persons):
            simulator.simulate(index)
            if config.progress and index % 512 == 0 and time.perf_counter() >= next_report:
                next_report = time.perf_counter() + _PROGRESS_EVERY_SECONDS
                print(
                    f"[pa-generate] {index:,}/{persons:,} persons, "
                    f"{summary.event_lines:,} events ({time.perf_counter() - began:.1f} s)",
                    file=sys.stderr,
                )
    finally:
        writer.close_all()
    summary.files.sort(key=lambda record: record.path)
    summary.events_by_name = dict(sorted(summary.events_by_name.items()))
    summary.events_by_type = dict(sorted(summary.events_by_type.items()))
    summary.rejected_by_variant = dict(sorted(summary.rejected_by_variant.items()))
    summary.behaviour = dict(sorted(summary.behaviour.items()))
    if config.decoys:
        _write_decoys(out_dir, config.file_prefix, writer.partitions)
    summary.seconds = time.perf_counter() - began
    manifest = json.dumps(summary.to_manifest(), indent=2, sort_keys=True, ensure_ascii=False)
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
    parser.add_argument("--days", type=_positive_int, default=defaults.days)
    parser.add_argument(
        "--start-date", type=_iso_date, default=defaults.start_date, help="YYYY-MM-DD (UTC)"
    )
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--out", type=Path, default=defaults.out_dir, help="output directory")
    parser.add_argument(
        "--max-lines-per-file", type=_positive_int, default=defaults.max_lines_per_file
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
        "--blank-line-share", type=_share, default=defaults.blank_line_share
    )
    parser.add_argument(
        "--crlf-share",
        type=_share,
        default=defaults.crlf_file_share,
        help="fraction of files with CRLF line endings",
    )
    parser.add_argument(
        "--compress-level", type=int, choices=range(10), default=defaults.compress_level,
        metavar="0-9",
    )
    parser.add_argument(
        "--max-open-files", type=_positive_int, default=defaults.max_open_files
    )
    parser.add_argument(
        "--file-prefix",
        default=defaults.file_prefix,
        help="part file name prefix; a new prefix adds a batch beside earlier ones",
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
