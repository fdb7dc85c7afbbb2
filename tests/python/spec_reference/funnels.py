"""Funnels (SPEC section 7): fct_funnel_entries and fct_funnel_steps."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from .parsing import Event
from .sessions import event_order
from .timeutil import local_date

_EPOCH = datetime(1970, 1, 1)


def _micros(value: datetime) -> int:
    return (value - _EPOCH) // timedelta(microseconds=1)


@dataclass
class Attempt:
    start: Event
    reached: list[Event]  # one event per reached step, in step order

    @property
    def reach(self) -> int:
        return len(self.reached)

    def sort_key(self) -> tuple[int, int, int, str]:
        """Counted attempt: largest reach, then earliest occurred_at of its last reached
        step, then latest start, then smallest start event_id (min of this key)."""
        return (
            -self.reach,
            _micros(self.reached[-1].occurred_at),
            -_micros(self.start.occurred_at),
            self.start.event_id,
        )


class StepIndex:
    """The events matching one step, ordered by (occurred_at, event_id)."""

    def __init__(self, events: list[Event]) -> None:
        self.events = sorted(events, key=event_order)
        self.times = [e.occurred_at for e in self.events]


def run_attempt(start: Event, steps: list[StepIndex], window: timedelta) -> Attempt:
    """Section 7: from a step-1 event s, each next step takes, among the events matching
    it with occurred_at >= the previous step's occurred_at and not already used by this
    attempt, the earliest by (occurred_at, event_id), as long as
    occurred_at - s.occurred_at <= W. Equal timestamps keep step order."""
    reached = [start]
    used = {start.event_id}
    previous_at = start.occurred_at
    deadline = start.occurred_at + window
    for step in steps[1:]:
        chosen = None
        index = bisect.bisect_left(step.times, previous_at)
        while index < len(step.events):
            candidate = step.events[index]
            if candidate.occurred_at > deadline:
                break
            if candidate.event_id not in used:
                chosen = candidate
                break
            index += 1
        if chosen is None:
            break
        reached.append(chosen)
        used.add(chosen.event_id)
        previous_at = chosen.occurred_at
    return Attempt(start, reached)


def funnel_tables(
    events_by_person: dict[str, list[Event]],
    vars_: dict[str, Any],
    data_end: datetime | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Returns (fct_funnel_entries rows, fct_funnel_steps rows)."""
    tz = vars_["reporting_timezone"]
    entries: list[dict[str, Any]] = []
    steps_rows: list[dict[str, Any]] = []
    for funnel in vars_["funnels"]:
        name = funnel["name"]
        step_names = list(funnel["steps"])
        days = funnel.get("conversion_window_days")
        if days is None:
            days = vars_["conversion_window_days"]
        window = timedelta(hours=24 * float(days))
        k = len(step_names)
        counted_by_person: dict[str, Attempt] = {}
        for person_id, events in events_by_person.items():
            wanted = set(step_names)
            relevant = [e for e in events if e.event_name in wanted]
            if not any(e.event_name == step_names[0] for e in relevant):
                continue
            steps = [
                StepIndex([e for e in relevant if e.event_name == step_name])
                for step_name in step_names
            ]
            attempts = [run_attempt(s, steps, window) for s in steps[0].events]
            counted_by_person[person_id] = min(attempts, key=Attempt.sort_key)
            # Entries: per local entry day, the counted attempt among that day's starts.
            by_day: dict[Any, list[Attempt]] = {}
            for attempt in attempts:
                by_day.setdefault(local_date(attempt.start.occurred_at, tz), []).append(attempt)
            for entry_date, day_attempts in by_day.items():
                best = min(day_attempts, key=Attempt.sort_key)
                entered_at = best.start.occurred_at
                converted_at = best.reached[-1].occurred_at if best.reach == k else None
                entries.append(
                    {
                        "funnel_name": name,
                        "person_id": person_id,
                        "entry_date": entry_date,
                        "furthest_step": best.reach,
                        "entered_at": entered_at,
                        "converted_at": converted_at,
                        "is_converted": converted_at is not None,
                        "seconds_to_convert": (
                            (converted_at - entered_at) / timedelta(seconds=1)
                            if converted_at is not None
                            else None
                        ),
                        "is_window_complete": (
                            data_end is not None and entered_at + window < data_end
                        ),
                    }
                )
        # Steps: persons whose furthest step over all time >= step, and the time from the
        # previous step in each person's counted attempt over all time.
        reached_counts = []
        for number in range(1, k + 1):
            reached_counts.append(sum(1 for a in counted_by_person.values() if a.reach >= number))
        for number in range(1, k + 1):
            reached = reached_counts[number - 1]
            start_count = reached_counts[0]
            previous_count = reached_counts[number - 2] if number > 1 else reached
            if number == 1:
                from_previous: float | None = 1.0
                dropped = 0
                median_seconds = mean_seconds = None
            else:
                from_previous = reached / previous_count if previous_count else None
                dropped = previous_count - reached
                gaps = [
                    (a.reached[number - 1].occurred_at - a.reached[number - 2].occurred_at)
                    / timedelta(seconds=1)
                    for a in counted_by_person.values()
                    if a.reach >= number
                ]
                median_seconds = median(gaps) if gaps else None
                mean_seconds = sum(gaps) / len(gaps) if gaps else None
            steps_rows.append(
                {
                    "funnel_name": name,
                    "step_number": number,
                    "step_event": step_names[number - 1],
                    "persons_reached": reached,
                    "conversion_from_start": reached / start_count if start_count else None,
                    "conversion_from_previous": from_previous,
                    "persons_dropped": dropped,
                    "median_seconds_from_previous": median_seconds,
                    "mean_seconds_from_previous": mean_seconds,
                }
            )
    return entries, steps_rows
