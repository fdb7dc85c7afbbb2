"""Activity metrics (SPEC section 6): fct_active_users_daily, fct_lifecycle, fct_retention.

Input: for each person, the set of local days (reporting timezone) with an activity event.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .timeutil import add_periods, date_range, period_end, period_index, period_start

GRAINS = ("day", "week", "month")
LIFECYCLE_STATUSES = ("new", "returning", "resurrecting", "dormant")


def active_users_daily(active_days: dict[str, set[date]]) -> list[dict[str, Any]]:
    """One row per day from the first to the last active day, zero days included."""
    if not active_days:
        return []
    persons_by_day: dict[date, set[str]] = {}
    first_day_of: dict[str, date] = {}
    for person_id, days in active_days.items():
        for day in days:
            persons_by_day.setdefault(day, set()).add(person_id)
        first_day_of[person_id] = min(days)
    first = min(persons_by_day)
    last = max(persons_by_day)
    new_by_day: dict[date, int] = {}
    for day in first_day_of.values():
        new_by_day[day] = new_by_day.get(day, 0) + 1
    rows = []
    for day in date_range(first, last):
        dau = len(persons_by_day.get(day, ()))
        wau_set: set[str] = set()
        for offset in range(7):
            wau_set |= persons_by_day.get(day - timedelta(days=offset), set())
        mau_set: set[str] = set(wau_set)
        for offset in range(7, 30):
            mau_set |= persons_by_day.get(day - timedelta(days=offset), set())
        mau = len(mau_set)
        new_persons = new_by_day.get(day, 0)
        rows.append(
            {
                "activity_date": day,
                "dau": dau,
                "wau": len(wau_set),
                "mau": mau,
                "stickiness": dau / mau if mau else None,
                "new_persons": new_persons,
                "returning_persons": dau - new_persons,
            }
        )
    return rows


def active_periods(days: set[date], grain: str) -> set[date]:
    return {period_start(day, grain) for day in days}


def lifecycle(active_days: dict[str, set[date]]) -> list[dict[str, Any]]:
    """Per grain, period (first to last active period) and status, zeros included.

    new: the person's first active period; returning: active now and in the previous
    period; resurrecting: active now, not in the previous period, but in an earlier one;
    dormant: the first inactive period after an active one."""
    rows = []
    if not active_days:
        return rows
    all_days = set().union(*active_days.values())
    for grain in GRAINS:
        first_period = period_start(min(all_days), grain)
        last_period = period_start(max(all_days), grain)
        counts: dict[tuple[date, str], int] = {}
        for days in active_days.values():
            periods = active_periods(days, grain)
            first_active = min(periods)
            for period in periods:
                previous = add_periods(period, grain, -1)
                if period == first_active:
                    status = "new"
                elif previous in periods:
                    status = "returning"
                else:
                    status = "resurrecting"
                counts[(period, status)] = counts.get((period, status), 0) + 1
                following = add_periods(period, grain, 1)
                if following not in periods and following <= last_period:
                    counts[(following, "dormant")] = counts.get((following, "dormant"), 0) + 1
        period = first_period
        while period <= last_period:
            for status in LIFECYCLE_STATUSES:
                rows.append(
                    {
                        "grain": grain,
                        "period_start": period,
                        "status": status,
                        "persons": counts.get((period, status), 0),
                    }
                )
            period = add_periods(period, grain, 1)
    return rows


def retention(
    active_days: dict[str, set[date]],
    cohort_days: dict[str, date],
) -> list[dict[str, Any]]:
    """Section 6: fct_retention.

    cohort_days: each person's cohort day (first activity, or first event named var
    retention_cohort_event). Rows for every cohort with members and every N from 0 to the
    period of the last active day; N = 0 counts the whole cohort; N >= 1 counts members
    active in period cohort+N (unbounded: in it or any later period).
    is_complete: the last day of period cohort+N is before the last active day."""
    rows = []
    if not active_days:
        return rows
    last_active_day = max(max(days) for days in active_days.values())
    for grain in GRAINS:
        last_period = period_start(last_active_day, grain)
        cohorts: dict[date, list[str]] = {}
        for person_id, day in cohort_days.items():
            cohorts.setdefault(period_start(day, grain), []).append(person_id)
        for cohort_start in sorted(cohorts):
            members = cohorts[cohort_start]
            cohort_index = period_index(cohort_start, grain)
            # Per member: period numbers (relative to the cohort) with activity.
            member_numbers: list[set[int]] = []
            member_last: list[int] = []
            for person_id in members:
                numbers = {
                    period_index(p, grain) - cohort_index
                    for p in active_periods(active_days.get(person_id, set()), grain)
                }
                member_numbers.append(numbers)
                member_last.append(max(numbers, default=-1))
            max_n = period_index(last_period, grain) - cohort_index
            size = len(members)
            for n in range(0, max_n + 1):
                if n == 0:
                    retained = unbounded = size
                else:
                    retained = sum(1 for numbers in member_numbers if n in numbers)
                    unbounded = sum(1 for last in member_last if last >= n)
                period = add_periods(cohort_start, grain, n)
                rows.append(
                    {
                        "grain": grain,
                        "cohort_start": cohort_start,
                        "period_number": n,
                        "cohort_size": size,
                        "retained_persons": retained,
                        "unbounded_retained_persons": unbounded,
                        "retention_rate": retained / size,
                        "unbounded_retention_rate": unbounded / size,
                        "is_complete": period_end(period, grain) < last_active_day,
                    }
                )
    return rows
