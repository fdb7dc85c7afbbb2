"""Blocks of persons: the unit of work of the generator, run in worker processes.

A block is `BLOCK_PERSONS` consecutive person indices. `simulate_block` plays them,
encodes every valid event, mixes in bad, duplicate and blank lines, and returns the
lines grouped by partition directory together with exact counts. Everything random in
a block comes from streams seeded with (seed, block) or (seed, person), so a block's
result does not depend on which process runs it or on how many there are: the main
process writes results in block order and the output is the same byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from random import Random
from typing import Final

from ._generator_clock import DAY_MS, HOUR_MS, day_text, iso_z
from ._generator_faults import REJECT_REASONS, FaultMaker
from ._generator_people import SHAPES, JsonObject, PersonSimulator, encode_json

BLOCK_PERSONS: Final = 256


@dataclass(frozen=True)
class BlockSpec:
    """What every block of a run shares."""

    seed: int
    start_ms: int
    end_ms: int
    persons: int | None  # None: open-ended (the caller stops at a target)
    bad_line_share: float
    duplicate_share: float
    blank_line_share: float


@dataclass
class BlockCounts:
    """Exact counts of the lines of one block (or, summed, of a run)."""

    persons: int = 0
    valid_events: int = 0
    duplicates_identical: int = 0
    duplicates_altered: int = 0
    blank_lines: int = 0
    rejected_by_reason: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(REJECT_REASONS, 0)
    )
    rejected_by_variant: dict[str, int] = field(default_factory=dict)
    events_by_type: dict[str, int] = field(default_factory=dict)
    events_by_name: dict[str, int] = field(default_factory=dict)
    events_by_shape: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHAPES, 0))
    behaviour: dict[str, int] = field(default_factory=dict)

    @property
    def duplicate_lines(self) -> int:
        return self.duplicates_identical + self.duplicates_altered

    @property
    def rejected_lines(self) -> int:
        return sum(self.rejected_by_reason.values())

    @property
    def event_lines(self) -> int:
        return self.valid_events + self.duplicate_lines + self.rejected_lines

    def add(self, other: BlockCounts) -> None:
        self.persons += other.persons
        self.valid_events += other.valid_events
        self.duplicates_identical += other.duplicates_identical
        self.duplicates_altered += other.duplicates_altered
        self.blank_lines += other.blank_lines
        for mine, theirs in (
            (self.rejected_by_reason, other.rejected_by_reason),
            (self.rejected_by_variant, other.rejected_by_variant),
            (self.events_by_type, other.events_by_type),
            (self.events_by_name, other.events_by_name),
            (self.events_by_shape, other.events_by_shape),
            (self.behaviour, other.behaviour),
        ):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value


@dataclass
class BlockResult:
    """The lines of one block by partition directory (each in emission order)."""

    block: int
    lines: dict[str, list[bytes]]
    counts: BlockCounts


def _with_context(text: str, context_json: str | None) -> str:
    if context_json is None:
        return text
    return f'{text[:-1]},"context":{context_json}}}'


class BlockEmitter:
    """The EventSink of one block: encodes events and mixes in the bad lines."""

    def __init__(self, spec: BlockSpec, block: int) -> None:
        self.lines: dict[str, list[bytes]] = {}
        self.counts = BlockCounts()
        self._rng = Random(f"{spec.seed}:mix:{block}")
        self._faults = FaultMaker(Random(f"{spec.seed}:faults:{block}"))
        # Per valid event: P(a bad line follows), P(it is delivered again), P(a blank
        # line follows), chosen so that the configured shares hold over all lines.
        bad = spec.bad_line_share
        self._p_duplicate = spec.duplicate_share
        self._p_bad = bad * (1 + self._p_duplicate) / (1 - bad)
        blank = spec.blank_line_share
        self._p_blank = blank * (1 + self._p_duplicate + self._p_bad) / (1 - blank)
        # Reasons take turns, each block starting at another one, so all six stay even.
        self._bad_turn = block % len(REJECT_REASONS)
        self._partitions: dict[int, list[bytes]] = {}
        self._retry: dict[int, list[bytes]] = {}

    def _partition(self, day: int) -> list[bytes]:
        lines = self._partitions.get(day)
        if lines is None:
            lines = self.lines.setdefault(f"dt={day_text(day)}", [])
            self._partitions[day] = lines
        return lines

    def emit(
        self,
        event: JsonObject,
        context_json: str | None,
        name: str,
        event_type: str,
        shape: str,
        occurred_ms: int,
        received_ms: int | None,
    ) -> None:
        line = _with_context(encode_json(event), context_json).encode()
        day = (received_ms if received_ms is not None else occurred_ms) // DAY_MS
        lines = self._partition(day)
        lines.append(line)
        counts = self.counts
        counts.valid_events += 1
        by_name = counts.events_by_name
        by_name[name] = by_name.get(name, 0) + 1
        by_type = counts.events_by_type
        by_type[event_type] = by_type.get(event_type, 0) + 1
        counts.events_by_shape[shape] += 1
        roll = self._rng.random
        p_bad = self._p_bad
        while p_bad > 0 and roll() < p_bad:  # more than one when the share asks for it
            p_bad -= 1
            reason = REJECT_REASONS[self._bad_turn % len(REJECT_REASONS)]
            self._bad_turn += 1
            whole = event
            if context_json is not None:
                whole = {**event, "context": json.loads(context_json)}
            bad, variant = self._faults.bad_line(reason, whole, shape, occurred_ms, received_ms)
            lines.append(bad)
            counts.rejected_by_reason[reason] += 1
            key = f"{reason}/{variant}"
            counts.rejected_by_variant[key] = counts.rejected_by_variant.get(key, 0) + 1
        if roll() < self._p_duplicate:
            self._redeliver(event, context_json, line, day, received_ms)
        p_blank = self._p_blank
        while p_blank > 0 and roll() < p_blank:
            p_blank -= 1
            lines.append(self._faults.blank_line())
            counts.blank_lines += 1

    def _redeliver(
        self,
        event: JsonObject,
        context_json: str | None,
        line: bytes,
        day: int,
        received_ms: int | None,
    ) -> None:
        """The event once more, in another file: same event id, same or later receivedAt.

        Half the copies (when the event has a receivedAt) arrive a day or more later and
        land in that day's partition; the rest are identical lines replayed into the
        next day's `retry/` directory. Either way the kept line (earliest receivedAt,
        SPEC section 3) is the original.
        """
        received_key = None
        if received_ms is not None:
            received_key = "receivedAt" if "receivedAt" in event else "received_at"
        if received_key is not None and received_ms is not None and self._rng.random() < 0.5:
            later = received_ms + DAY_MS + self._rng.randrange(12 * HOUR_MS)
            copy = dict(event)
            copy[received_key] = iso_z(later)
            text = _with_context(encode_json(copy), context_json)
            self._partition(later // DAY_MS).append(text.encode())
            self.counts.duplicates_altered += 1
        else:
            retry = self._retry.get(day + 1)
            if retry is None:
                retry = self.lines.setdefault(f"dt={day_text(day + 1)}/retry", [])
                self._retry[day + 1] = retry
            retry.append(line)
            self.counts.duplicates_identical += 1

    def note(self, counter: str, amount: int = 1) -> None:
        behaviour = self.counts.behaviour
        behaviour[counter] = behaviour.get(counter, 0) + amount


def block_persons(spec: BlockSpec, block: int) -> range:
    first = block * BLOCK_PERSONS
    last = first + BLOCK_PERSONS
    if spec.persons is not None:
        last = min(last, spec.persons)
    return range(first, last)


def simulate_block(spec: BlockSpec, block: int) -> BlockResult:
    emitter = BlockEmitter(spec, block)
    simulator = PersonSimulator(spec.seed, spec.start_ms, spec.end_ms, emitter)
    people = block_persons(spec, block)
    for index in people:
        simulator.simulate(index)
    emitter.counts.persons = len(people)
    return BlockResult(block, emitter.lines, emitter.counts)


# Worker processes receive the spec once, then only block numbers.
_WORKER_SPEC: BlockSpec | None = None


def init_worker(spec: BlockSpec) -> None:
    global _WORKER_SPEC
    _WORKER_SPEC = spec


def run_block(block: int) -> BlockResult:
    if _WORKER_SPEC is None:
        raise RuntimeError("worker used before init_worker")
    return simulate_block(_WORKER_SPEC, block)
