"""Benchmark: time and peak memory of generating events and building the warehouse.

`make bench` runs, in a scratch folder (default target/bench):
1. generate N events (default 1,000,000) over D + 1 days (default 90 + 1);
2. a full `dbt build` over the first D days (fresh DuckDB file);
3. an incremental `dbt build` after landing day D + 1, with the rows it rewrote.
Each step runs in its own process; its wall time and peak resident memory (that
process tree's max RSS) are printed and written to target/bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class Measurement:
    step: str
    seconds: float
    peak_rss_mb: float
    command: str


def measure(step: str, command: Sequence[str], env: dict[str, str] | None = None) -> Measurement:
    """Run `command` in a child process and return its wall time and the peak RSS of the
    child's process tree (measured by a fresh wrapper process, so earlier steps do not count)."""
    wrapper = [
        sys.executable,
        "-c",
        "import resource, subprocess, sys;"
        "code = subprocess.call(sys.argv[1:]);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr);"
        "sys.exit(code)",
        *command,
    ]
    began = time.perf_counter()
    completed = subprocess.run(
        wrapper,
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - began
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-5000:] + completed.stderr[-5000:])
        raise SystemExit(f"bench step {step!r} failed")
    peak_kb = int(completed.stderr.strip().splitlines()[-1])
    return Measurement(step, round(seconds, 2), round(peak_kb / 1024, 1), " ".join(command))


def _seconds_by_layer(run_results: Path) -> dict[str, float]:
    """Model and test execution seconds of one dbt invocation, by layer."""
    results = json.loads(run_results.read_text())["results"]
    layers: dict[str, float] = {}
    for result in results:
        unique_id: str = result["unique_id"]
        if unique_id.startswith("model."):
            name = unique_id.split(".")[-1]
            layer = (
                name.split("_")[0] if name.split("_")[0] in {"stg", "int", "fct", "dim"} else "base"
            )
            layer = {"fct": "marts", "dim": "marts", "int": "intermediate"}.get(layer, "staging")
        elif unique_id.startswith(("test.", "unit_test.")):
            layer = "tests"
        else:
            layer = "seeds and other"
        layers[layer] = round(layers.get(layer, 0.0) + float(result["execution_time"]), 2)
    return layers


def _rows_rewritten(database: Path, table: str) -> tuple[int, int]:
    with duckdb.connect(str(database), read_only=True) as connection:
        row = connection.execute(
            f"select count(*) filter (where _batch_seq = (select max(_batch_seq) from {table})), "
            f"count(*) from {table}"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time and memory of generation and dbt builds")
    parser.add_argument("--events", type=int, default=1_000_000, help="events to generate")
    parser.add_argument("--days", type=int, default=90, help="days of history before the new day")
    parser.add_argument("--workdir", type=Path, default=PROJECT_ROOT / "target" / "bench")
    args = parser.parse_args(argv)

    workdir: Path = args.workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    generated, events = workdir / "generated", workdir / "events"
    events.mkdir(parents=True)
    database = workdir / "bench.duckdb"
    start = date(2024, 1, 1)
    last_day = start + timedelta(days=args.days)
    env = dict(os.environ, DUCKDB_PATH=str(database), DO_NOT_TRACK="1")
    dbt_build = [
        str(BIN / "dbt"),
        "build",
        "--exclude",
        "test_type:unit",
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--project-dir",
        str(PROJECT_ROOT),
        "--target-path",
        str(workdir / "dbt_target"),
        "--log-path",
        str(workdir / "dbt_logs"),
        "--vars",
        json.dumps({"raw_events_path": str(events)}),
    ]

    results = [
        measure(
            f"generate {args.events:,} events",
            [
                str(BIN / "pa-generate"),
                "--target-events",
                str(args.events),
                "--days",
                str(args.days + 1),
                "--start-date",
                start.isoformat(),
                "--seed",
                "1",
                "--out",
                str(generated),
                "--quiet",
            ],
        )
    ]
    new_day = f"dt={last_day.isoformat()}"
    for path in sorted(generated.iterdir()):
        if path.is_dir() and path.name != new_day:
            shutil.move(str(path), events / path.name)
    run_results = workdir / "dbt_target" / "run_results.json"
    results.append(measure(f"dbt build, full, {args.days} days", dbt_build, env))
    full_layers = _seconds_by_layer(run_results)
    shutil.move(str(generated / new_day), events / new_day)
    results.append(measure("dbt build, incremental, +1 day", dbt_build, env))
    incremental_layers = _seconds_by_layer(run_results)
    rewritten, total = _rows_rewritten(database, "int_sessions")

    report = {
        "results": [asdict(result) for result in results],
        "full_build_seconds_by_layer": full_layers,
        "incremental_build_seconds_by_layer": incremental_layers,
        "incremental_sessions_rewritten": rewritten,
        "sessions_total": total,
    }
    (workdir / "results.json").write_text(json.dumps(report, indent=2))
    for result in results:
        print(f"{result.step:<40} {result.seconds:>9.1f} s {result.peak_rss_mb:>9.0f} MB peak RSS")
    print(f"full build, seconds by layer:        {full_layers}")
    print(f"incremental build, seconds by layer: {incremental_layers}")
    share = rewritten / max(total, 1)
    print(f"incremental run rewrote {rewritten:,} of {total:,} session rows ({share:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
