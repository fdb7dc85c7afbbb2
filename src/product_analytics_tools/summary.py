"""Print a short summary of a built warehouse: lines, rejects, persons, events, headline marts.

Usage: python -m product_analytics_tools.summary [--database PATH]
(defaults to $DUCKDB_PATH, else warehouse.duckdb).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

import duckdb


def _table_exists(connection: duckdb.DuckDBPyConnection, name: str) -> bool:
    found = connection.execute(
        "select count(*) from information_schema.tables where table_name = ?", [name]
    ).fetchone()
    return bool(found and found[0])


def _scalar(connection: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = connection.execute(sql).fetchone()
    return row[0] if row else None


def summarize(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Lines of the summary, computed from the warehouse's tables."""
    lines: list[str] = []
    if not _table_exists(connection, "base_events__ledger"):
        return ["warehouse is empty: run `make run` (or dbt build) first"]
    # from the ledger, not the raw files: the summary never reads the files again
    files = _scalar(connection, "select count(distinct file) from base_events__ledger")
    raw = _scalar(connection, "select count(*) from base_events__ledger")
    accepted = _scalar(connection, "select count(*) from stg_events")
    duplicates = _scalar(connection, "select coalesce(sum(duplicate_count), 0) from stg_events")
    rejected = _scalar(connection, "select count(*) from stg_events_rejected")
    lines.append(f"files landed        {files:>12,}")
    lines.append(f"lines landed        {raw:>12,}")
    lines.append(f"accepted events     {accepted:>12,}")
    lines.append(f"duplicates          {duplicates:>12,}")
    lines.append(f"rejected            {rejected:>12,}")
    for reason, count in connection.execute(
        "select reject_reason, count(*) from stg_events_rejected group by 1 order by 1"
    ).fetchall():
        lines.append(f"  {reason:<22}{count:>8,}")
    if _table_exists(connection, "int_identity_map"):
        persons = _scalar(connection, "select count(distinct person_id) from int_identity_map")
        lines.append(f"persons             {persons:>12,}")
    lines.append("events per type")
    for event_type, count in connection.execute(
        "select event_type, count(*) from stg_events group by 1 order by 2 desc, 1"
    ).fetchall():
        lines.append(f"  {event_type:<18}{count:>12,}")
    if _table_exists(connection, "fct_sessions"):
        sessions = _scalar(connection, "select count(*) from fct_sessions")
        lines.append(f"sessions            {sessions:>12,}")
    lines.extend(_headline_metrics(connection))
    return lines


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _headline_metrics(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Latest activity, retention of the latest complete cohorts, funnels, revenue."""
    lines: list[str] = []
    if _table_exists(connection, "fct_active_users_daily"):
        latest = connection.execute(
            "select activity_date, dau, wau, mau, stickiness from fct_active_users_daily "
            "order by activity_date desc limit 1"
        ).fetchone()
        if latest:
            day, dau, wau, mau, stickiness = latest
            lines.append(
                f"active users on {day}: DAU {dau:,}  WAU {wau:,}  MAU {mau:,}  "
                f"stickiness {_percent(stickiness)}"
            )
    if _table_exists(connection, "fct_retention"):
        parts = []
        for day in (1, 7, 30):
            row = connection.execute(
                "select cohort_start, retention_rate from fct_retention "
                "where grain = 'day' and period_number = ? and is_complete "
                "order by cohort_start desc limit 1",
                [day],
            ).fetchone()
            parts.append(
                f"day {day}: {_percent(row[1])} (cohort {row[0]})" if row else f"day {day}: n/a"
            )
        lines.append("retention of the latest complete daily cohorts: " + "; ".join(parts))
    if _table_exists(connection, "fct_funnel_steps"):
        for name, steps, entered, converted, rate in connection.execute(
            "select funnel_name, max(step_number), arg_min(persons_reached, step_number), "
            "arg_max(persons_reached, step_number), arg_max(conversion_from_start, step_number) "
            "from fct_funnel_steps group by funnel_name order by funnel_name"
        ).fetchall():
            lines.append(
                f"funnel {name} ({steps} steps): {entered or 0:,} entered, {converted or 0:,} "
                f"converted, {_percent(rate)}"
            )
    if _table_exists(connection, "fct_revenue_daily"):
        orders, net = connection.execute(
            "select sum(orders), sum(net_revenue) from fct_revenue_daily"
        ).fetchone() or (0, 0)
        lines.append(f"orders {orders or 0:,}, net revenue {net or 0:,.2f} (reporting currency)")
    if _table_exists(connection, "fct_mrr_monthly"):
        row = connection.execute(
            "select month_start, ending_mrr, paying_persons from fct_mrr_monthly "
            "order by month_start desc limit 1"
        ).fetchone()
        if row:
            lines.append(f"MRR at the end of {row[0]:%Y-%m}: {row[1]:,.2f} from {row[2]:,} payers")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database",
        default=os.environ.get("DUCKDB_PATH", "warehouse.duckdb"),
        help="DuckDB file of the warehouse (default: $DUCKDB_PATH or warehouse.duckdb)",
    )
    args = parser.parse_args(argv)
    if not os.path.exists(args.database):
        print(f"no warehouse at {args.database}: run `make run` first", file=sys.stderr)
        return 1
    with duckdb.connect(args.database, read_only=True) as connection:
        print("\n".join(summarize(connection)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
