"""Benchmark: wall time, events/s and peak memory of the dbt builds, per data size.

``make bench SIZE=1m`` (sizes: 100k, 1m, 10m, 100m, or any ``<n>k`` / ``<n>m``):

1. Data, cached per size in ``target/bench/data/<size>``: ``pa-generate`` writes about
   61/60 of the size over 61 days (seed 1); the first 60 days are the history, day 61
   is held back as the next day's files (1/60 of the history's lines, as a daily
   schedule lands them). Generated once; delete the folder to regenerate.
2. In ``target/bench/<size>`` (wiped first): the history as hard links in ``events/``,
   then, each in its own process and, for the full builds, on a fresh DuckDB file
   (``--target dev``, ``DUCKDB_PATH`` in that folder):

   - ``dbt parse`` (so no build pays for parsing the project);
   - the full build of every model, no tests;
   - the production build (``make build``: ``dbt build`` without unit tests, then
     ``pa-compact-warehouse --if-deleted``);
   - plain ``dbt build``, unit tests included (left out from 100m on unless named in
     ``--steps``: the unit tests do not grow with the data, the data tests are in the
     production build);
   - day 61's files are linked in, then the incremental run of the models-only warehouse
     and of the production one, with the rows each model wrote and its table's rows.

Each step reports its wall time, events/s (events of its input: the history for a full
build, day 61 for an incremental run) and the peak resident memory of its process tree
(the larger of the summed RSS sampled twice a second and the kernel's high-water mark of
the largest process) and the warehouse file's size, plus the 10 slowest nodes of each dbt
run (run_results.json). The results go to ``target/bench/<size>.json``;
``docs/benchmarks.md`` is regenerated from every ``target/bench/*.json`` present
(``--docs-only`` re-renders it without running).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, Final

import duckdb

PROJECT_ROOT: Final = Path(__file__).resolve().parents[2]
BIN: Final = Path(sys.executable).parent
BENCH_DIR: Final = PROJECT_ROOT / "target" / "bench"
DOCS_PAGE: Final = PROJECT_ROOT / "docs" / "benchmarks.md"

HISTORY_DAYS: Final = 60
START_DATE: Final = date(2024, 1, 1)
SEED: Final = 1
SAMPLE_SECONDS: Final = 0.5
LARGE: Final = 100_000_000  # from here on, plain `dbt build` is left out unless asked for
# A 1-minute load average above this before a step means something else was running.
CONTENDED_LOAD: Final = 0.5
# Cores kept busy by other processes during a step above this: the figures are contended.
CONTENDED_CORES: Final = 0.25
EVENT_SUFFIXES: Final = (".ndjson", ".jsonl", ".ndjson.gz", ".jsonl.gz")

MODELS_ONLY: Final = (
    "build",
    "--exclude-resource-type",
    "unit_test",
    "--exclude-resource-type",
    "test",
)
PRODUCTION: Final = ("build", "--exclude-resource-type", "unit_test")
PLAIN: Final = ("build",)
ALL_STEPS: Final = (
    "parse",
    "models",
    "production",
    "plain",
    "incremental_models",
    "incremental_production",
)


def parse_size(text: str) -> int:
    """'100k' -> 100_000, '1m' -> 1_000_000 (also plain digits)."""
    match = re.fullmatch(r"(\d+)([km]?)", text.strip().lower())
    if match is None or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError(
            f"expected a size like 100k, 1m, 10m or 100m, got {text!r}"
        )
    return int(match.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2)]


def size_label(events: int) -> str:
    if events % 1_000_000 == 0:
        return f"{events // 1_000_000}m"
    if events % 1_000 == 0:
        return f"{events // 1_000}k"
    return str(events)


# ------------------------------------------------------------------ measuring processes


@dataclass
class Measurement:
    step: str
    title: str
    command: str
    returncode: int
    seconds: float
    events: int
    events_per_second: float
    peak_rss_mb: float
    largest_process_rss_mb: float
    load_before: float
    log: str
    cpu_seconds: float | None = None
    other_cores: float | None = None
    slowest_nodes: list[dict[str, Any]] = field(default_factory=list)
    nodes: dict[str, dict[str, int]] = field(default_factory=dict)
    rows_written: list[dict[str, Any]] = field(default_factory=list)
    failed_nodes: list[str] = field(default_factory=list)
    warehouse_mb: float | None = None


def _tree_rss_bytes(root: int) -> int:
    """Summed RSS of `root` and its descendants, from /proc (0 where /proc is missing)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()  # the name may hold spaces
        pid = int(name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21])
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(rss.get(pid, 0) for pid in tree) * os.sysconf("SC_PAGE_SIZE")


def _busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = handle.readline().split()
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal (guest time is inside user)
    ticks = [int(value) for value in fields[1:9]]
    busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]
    return busy / os.sysconf("SC_CLK_TCK")


def _echo(stream: IO[bytes], log: IO[bytes]) -> None:
    for line in iter(stream.readline, b""):
        log.write(line)
        sys.stdout.write("    " + line.decode("utf-8", "replace"))
        sys.stdout.flush()


def measure(
    step: str,
    title: str,
    command: Sequence[str],
    *,
    env: dict[str, str],
    log_path: Path,
    events: int,
) -> Measurement:
    """Run `command` in its own process; its output is shown and kept in `log_path`."""
    print(f"\n=== {title}\n    $ {' '.join(command)}", flush=True)
    load_before = os.getloadavg()[0]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    busy_before, own_before = _busy_cpu_seconds(), resource.getrusage(resource.RUSAGE_SELF)
    began = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            list(command),
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        assert process.stdout is not None
        echo = threading.Thread(target=_echo, args=(process.stdout, log), daemon=True)
        echo.start()
        sampled = 0
        while True:
            # wait4 gives the child's own rusage: its ru_maxrss is the high-water mark of
            # the largest process of its tree (child and waited-for descendants).
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            sampled = max(sampled, _tree_rss_bytes(process.pid))
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - began
        busy_after, own_after = _busy_cpu_seconds(), resource.getrusage(resource.RUSAGE_SELF)
        process.returncode = os.waitstatus_to_exitcode(status)
        echo.join()
        process.stdout.close()
    largest = usage.ru_maxrss * 1024  # KiB on Linux
    cpu_seconds = usage.ru_utime + usage.ru_stime
    other_cores = None
    if busy_before is not None and busy_after is not None and seconds > 0:
        # What the machine did besides the step and this process (sampling, echoing).
        own = (own_after.ru_utime + own_after.ru_stime) - (
            own_before.ru_utime + own_before.ru_stime
        )
        other_cores = max(0.0, (busy_after - busy_before - cpu_seconds - own) / seconds)
    if process.returncode != 0:
        print(f"    !!! {title}: exit code {process.returncode} (log: {log_path})", flush=True)
    result = Measurement(
        step=step,
        title=title,
        command=" ".join(_shorten(part) for part in command),
        returncode=process.returncode,
        seconds=round(seconds, 2),
        events=events,
        events_per_second=round(events / seconds) if seconds > 0 else 0,
        peak_rss_mb=round(max(sampled, largest) / 2**20, 1),
        largest_process_rss_mb=round(largest / 2**20, 1),
        load_before=round(load_before, 2),
        log=str(log_path.relative_to(PROJECT_ROOT)),
        cpu_seconds=round(cpu_seconds, 1),
        other_cores=None if other_cores is None else round(other_cores, 2),
    )
    print(
        f"    --- {seconds:.1f} s, {result.events_per_second:,} events/s, "
        f"peak RSS {result.peak_rss_mb:,.0f} MiB, CPU {cpu_seconds:.1f} s, "
        f"other processes {'?' if other_cores is None else f'{other_cores:.2f}'} cores",
        flush=True,
    )
    return result


def _shorten(part: str) -> str:
    """Commands as a reader would type them: paths relative to the project."""
    if part == str(PROJECT_ROOT):
        return "."
    return part.replace(str(PROJECT_ROOT) + "/", "")


# ------------------------------------------------------------------ data, cached per size


def _event_files(directory: Path) -> list[Path]:
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file() and path.name.endswith(EVENT_SUFFIXES) and not path.name.startswith(".")
    )


def _count_events(directories: Sequence[Path]) -> tuple[int, int]:
    """(event lines, files) below the directories: SPEC section 2 lines that are not blank."""
    events = files = 0
    for directory in directories:
        for path in _event_files(directory):
            opener = gzip.open if path.name.endswith(".gz") else open
            with opener(path, "rb") as handle:
                events += sum(1 for line in handle if line.strip())
            files += 1
    return events, files


def prepare_data(events_wanted: int, label: str) -> tuple[dict[str, Any], Measurement | None]:
    """The cached data of a size, generated when absent: (its description, the generation)."""
    cache = BENCH_DIR / "data" / label
    meta_path = cache / "cache.json"
    if meta_path.is_file():
        meta: dict[str, Any] = json.loads(meta_path.read_text())
        print(
            f"=== data: cached in {cache.relative_to(PROJECT_ROOT)} "
            f"({meta['history_events']:,} events)"
        )
        return meta, None
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    history, new_day = cache / "history", cache / "new_day"
    days = HISTORY_DAYS + 1
    target = -(-events_wanted * days // HISTORY_DAYS)
    generation = measure(
        "generate",
        f"generate {target:,} events, {days} days",
        [
            str(BIN / "pa-generate"),
            "--target-events",
            str(target),
            "--days",
            str(days),
            "--start-date",
            START_DATE.isoformat(),
            "--seed",
            str(SEED),
            "--out",
            str(history),
        ],
        env=dict(os.environ, DO_NOT_TRACK="1"),
        log_path=cache / "generate.log",
        events=target,
    )
    if generation.returncode != 0:
        raise SystemExit("bench: generating the data failed")
    manifest = json.loads((history / "manifest.json").read_text())
    (history / "manifest.json").rename(cache / "generator-manifest.json")
    held_back = START_DATE + timedelta(days=HISTORY_DAYS)
    later: list[Path] = []
    new_day.mkdir()
    for partition in sorted(history.glob("dt=*")):
        day = date.fromisoformat(partition.name.removeprefix("dt="))
        if day == held_back:
            partition.rename(new_day / partition.name)
        elif day > held_back:
            later.append(partition)  # redeliveries of day 61's events: the day after's files
    later_events, _ = _count_events(later)
    for partition in later:
        shutil.rmtree(partition)
    new_day_events, new_day_files = _count_events([new_day])
    history_events = int(manifest["event_lines"]) - new_day_events - later_events
    generation.events = int(manifest["event_lines"])
    generation.events_per_second = round(generation.events / generation.seconds)
    meta = {
        "size": label,
        "history_days": HISTORY_DAYS,
        "start_date": START_DATE.isoformat(),
        "seed": SEED,
        "generated_events": int(manifest["event_lines"]),
        "history_events": history_events,
        "history_files": len(_event_files(history)),
        "history_bytes": sum(path.stat().st_size for path in _event_files(history)),
        "new_day": held_back.isoformat(),
        "new_day_events": new_day_events,
        "new_day_files": new_day_files,
        "dropped_later_events": later_events,
        "generation": asdict(generation),
        "generated_at": _now(),
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return meta, generation


def _link_tree(source: Path, destination: Path) -> None:
    shutil.copytree(source, destination, copy_function=os.link, dirs_exist_ok=True)


# ------------------------------------------------------------------ dbt results


def _node_summary(
    run_results: Path, manifest: Path
) -> tuple[list[dict[str, Any]], dict[str, dict[str, int]], list[str]]:
    """(the 10 slowest nodes, node counts by resource type and status, failed nodes)."""
    results = json.loads(run_results.read_text())["results"]
    failed = [r["unique_id"] for r in results if r["status"] in ("error", "fail", "runtime error")]
    nodes = json.loads(manifest.read_text()).get("nodes", {}) if manifest.is_file() else {}
    counts: dict[str, dict[str, int]] = {}
    for result in results:
        kind = result["unique_id"].split(".")[0]
        by_status = counts.setdefault(kind, {})
        by_status[result["status"]] = by_status.get(result["status"], 0) + 1
    slowest = sorted(results, key=lambda result: -float(result["execution_time"]))[:10]
    return (
        [
            {
                "node": result["unique_id"],
                "materialized": nodes.get(result["unique_id"], {})
                .get("config", {})
                .get("materialized"),
                "seconds": round(float(result["execution_time"]), 2),
                "status": result["status"],
            }
            for result in slowest
        ],
        counts,
        failed,
    )


def _run_seq_mark(database: Path) -> int:
    """The latest `_run_seq` (the dbt invocation that wrote a row) in the warehouse."""
    latest = 0
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.execute(
            "select c.table_schema, c.table_name from information_schema.columns as c "
            "inner join information_schema.tables as t using (table_schema, table_name) "
            "where c.column_name = '_run_seq' and t.table_type = 'BASE TABLE'"
        ).fetchall()
        for schema, table in tables:
            found = connection.execute(f'select max(_run_seq) from "{schema}"."{table}"').fetchone()
            if found and found[0] is not None:
                latest = max(latest, int(found[0]))
    return latest


def _rows_written(
    run_results: Path, manifest: Path, database: Path, before: int
) -> list[dict[str, Any]]:
    """Per table or incremental model of a run: the rows it wrote and those its table holds.

    dbt-duckdb reports no row counts for models, so they are counted: an incremental
    model's rows written are those whose `_run_seq` is later than `before` (the latest
    before the run); a table model rewrites all its rows."""
    results = json.loads(run_results.read_text())["results"]
    nodes = json.loads(manifest.read_text())["nodes"]
    rows: list[dict[str, Any]] = []
    with duckdb.connect(str(database), read_only=True) as connection:
        for result in results:
            node = nodes.get(result["unique_id"])
            if node is None or node["resource_type"] != "model":
                continue
            materialized = node["config"]["materialized"]
            if materialized == "view":
                continue
            relation = f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'
            written: int | None = None
            total: int | None = None
            try:
                columns = {
                    str(row[0])
                    for row in connection.execute(
                        "select column_name from information_schema.columns "
                        "where table_schema = ? and table_name = ?",
                        [node["schema"], node.get("alias") or node["name"]],
                    ).fetchall()
                }
                if "_run_seq" in columns:
                    found = connection.execute(
                        f"select count(*), count(*) filter (where _run_seq > {int(before)}) "
                        f"from {relation}"
                    ).fetchone()
                else:
                    found = connection.execute(
                        f"select count(*), count(*) from {relation}"
                    ).fetchone()
                if found:
                    total, written = int(found[0]), int(found[1])
            except duckdb.Error:
                pass
            rows.append(
                {
                    "model": node["name"],
                    "materialized": materialized,
                    "rows_written": written,
                    "table_rows": total,
                    "seconds": round(float(result["execution_time"]), 2),
                }
            )
    return sorted(rows, key=lambda row: (-(row["rows_written"] or 0), row["model"]))


def _duckdb_settings(
    env: dict[str, str], target_path: Path, log_path: Path, variables: str
) -> dict[str, Any]:
    """memory_limit, temp_directory and threads as dbt's DuckDB connection sees them."""
    query = (
        "select current_setting('memory_limit') as memory_limit, "
        "current_setting('temp_directory') as temp_directory, "
        "current_setting('max_temp_directory_size') as max_temp_directory_size, "
        "current_setting('threads') as duckdb_threads"
    )
    command = [
        str(BIN / "dbt"),
        "show",
        "--inline",
        query,
        "--output",
        "json",
        "--quiet",
        *_dbt_flags(target_path, log_path),
        "--vars",
        variables,  # the builds' vars: a change would cost the next build a full parse
    ]
    completed = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    found = re.search(r"\{.*\}", completed.stdout, re.DOTALL)
    settings: dict[str, Any] = {}
    if completed.returncode == 0 and found:
        settings = dict(json.loads(found.group(0))["show"][0])
    settings["DUCKDB_MEMORY_LIMIT"] = env.get(
        "DUCKDB_MEMORY_LIMIT", "(unset: profiles.yml default)"
    )
    settings["DUCKDB_TEMP_DIRECTORY"] = env.get(
        "DUCKDB_TEMP_DIRECTORY", "(unset: beside the warehouse file)"
    )
    return settings


def _dbt_flags(target_path: Path, log_path: Path) -> list[str]:
    return [
        "--target",
        "dev",
        "--project-dir",
        str(PROJECT_ROOT),
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--target-path",
        str(target_path),
        "--log-path",
        str(log_path),
    ]


# ------------------------------------------------------------------ the run


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions: dict[str, str] = {"python": platform.python_version(), "duckdb": duckdb.__version__}
    for package in ("dbt-core", "dbt-duckdb"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - only informative
            versions[package] = "?"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_gib, 1),
        "system": f"{platform.system()} {platform.release()}",
        "versions": versions,
    }


def _git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return head + ("+changes" if dirty else "")


def run(events_wanted: int, steps: Sequence[str]) -> dict[str, Any]:
    label = size_label(events_wanted)
    meta, generation = prepare_data(events_wanted, label)
    workdir = BENCH_DIR / label
    shutil.rmtree(workdir, ignore_errors=True)
    events_dir = workdir / "events"
    _link_tree(BENCH_DIR / "data" / label / "history", events_dir)
    target_path, logs = workdir / "dbt_target", workdir / "logs"
    history_events, new_events = int(meta["history_events"]), int(meta["new_day_events"])
    variables = json.dumps({"raw_events_path": str(events_dir)})
    base_env = dict(
        os.environ,
        DO_NOT_TRACK="1",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DBT_PROFILES_DIR=str(PROJECT_ROOT),
    )

    def database(name: str) -> Path:
        return workdir / f"{name}.duckdb"

    # Every dbt step runs on the same DUCKDB_PATH (the profile, and so partial parsing,
    # stays the same, as in repeated runs at one place); each warehouse is moved there for
    # its step and back afterwards.
    active = database("warehouse")
    active_env = dict(base_env, DUCKDB_PATH=str(active))

    def discard_active() -> None:
        for leftover in workdir.glob(f"{active.name}*"):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()

    @contextmanager
    def at_active(warehouse: str | None) -> Iterator[bool]:
        """Move the warehouse (when it exists) to DUCKDB_PATH for a step; True if it existed.

        Inspect it there too: its views name the catalog `warehouse`."""
        discard_active()
        kept_file = database(warehouse) if warehouse else None
        existed = kept_file is not None and kept_file.is_file()
        # The file and the compaction's side file travel together.
        pairs = (
            [
                (
                    kept_file.with_name(kept_file.name + suffix),
                    active.with_name(active.name + suffix),
                )
                for suffix in ("", ".compacted.json")
            ]
            if kept_file
            else []
        )
        for kept, there in pairs:
            if kept.is_file():
                kept.rename(there)
        try:
            yield existed
        finally:
            for kept, there in pairs:
                if there.is_file():
                    there.rename(kept)
            discard_active()

    def dbt_step(
        step: str, title: str, args: Sequence[str], warehouse: str | None, events: int
    ) -> Measurement:
        command = [str(BIN / "dbt"), *args, *_dbt_flags(target_path, logs), "--vars", variables]
        run_results = target_path / "run_results.json"
        run_results.unlink(missing_ok=True)
        with at_active(warehouse) as incremental:
            before = _run_seq_mark(active) if incremental else 0
            result = measure(
                step,
                title,
                command,
                env=active_env,
                log_path=workdir / f"{step}.log",
                events=events,
            )
            if warehouse is not None and active.is_file():
                result.warehouse_mb = round(active.stat().st_size / 2**20, 1)
            if run_results.is_file() and args[0] != "parse":
                kept = workdir / "run_results" / f"{step}.json"
                kept.parent.mkdir(exist_ok=True)
                shutil.copy(run_results, kept)
                result.slowest_nodes, result.nodes, result.failed_nodes = _node_summary(
                    run_results, target_path / "manifest.json"
                )
                if incremental and active.is_file():
                    result.rows_written = _rows_written(
                        run_results, target_path / "manifest.json", active, before
                    )
        return result

    def compact_step(step: str, warehouse: str, events: int) -> Measurement:
        # As `make build` runs it: on $DUCKDB_PATH, right after the dbt build.
        command = [str(BIN / "pa-compact-warehouse"), "--if-deleted"]
        with at_active(warehouse):
            result = measure(
                step,
                "  then make build's compaction (pa-compact-warehouse --if-deleted)",
                command,
                env=active_env,
                log_path=workdir / f"{step}.log",
                events=events,
            )
        return result

    measured: list[Measurement] = []
    if generation is None and meta.get("generation"):
        # The data is cached: report its generation as measured then.
        generation = Measurement(**meta["generation"])
        generation.title = (
            f"generate {generation.events:,} events, {HISTORY_DAYS + 1} days "
            f"(cached, measured {meta['generated_at']})"
        )
    if generation is not None:
        measured.append(generation)
    history_days = f"{HISTORY_DAYS} days"
    # Always: the later steps reuse its manifest (partial parsing), as repeated runs do.
    measured.append(
        dbt_step("parse", "dbt parse (so no build pays for parsing)", ("parse",), None, 0)
    )
    if "models" in steps:
        measured.append(
            dbt_step(
                "models",
                f"full build of every model, no tests ({history_days})",
                MODELS_ONLY,
                "models",
                history_events,
            )
        )
    if "production" in steps:
        measured.append(
            dbt_step(
                "production",
                f"production build: dbt build without unit tests ({history_days})",
                PRODUCTION,
                "production",
                history_events,
            )
        )
        measured.append(compact_step("production_compaction", "production", 0))
    if "plain" in steps:
        measured.append(
            dbt_step(
                "plain",
                f"plain dbt build, unit tests included ({history_days})",
                PLAIN,
                "plain",
                history_events,
            )
        )
        for leftover in workdir.glob("plain.duckdb*"):
            if leftover.is_file():
                leftover.unlink()  # only its time matters; at 100M the file is large
    discard_active()
    settings = _duckdb_settings(active_env, target_path, logs, variables)
    discard_active()

    if {"incremental_models", "incremental_production"} & set(steps):
        print(
            f"\n=== landing day {meta['new_day']}: {new_events:,} events "
            f"in {meta['new_day_files']} files"
        )
        _link_tree(BENCH_DIR / "data" / label / "new_day", events_dir)
    if "incremental_models" in steps and database("models").is_file():
        measured.append(
            dbt_step(
                "incremental_models",
                f"incremental run of every model, no tests (+{meta['new_day']})",
                MODELS_ONLY,
                "models",
                new_events,
            )
        )
    if "incremental_production" in steps and database("production").is_file():
        measured.append(
            dbt_step(
                "incremental_production",
                f"incremental production build (+{meta['new_day']})",
                PRODUCTION,
                "production",
                new_events,
            )
        )
        measured.append(compact_step("incremental_production_compaction", "production", 0))

    report: dict[str, Any] = {
        "size": label,
        "measured_at": _now(),
        "commit": _git_commit(),
        "machine": machine(),
        "duckdb_settings": settings,
        "data": meta,
        "steps": [asdict(result) for result in measured],
    }
    report["targets"] = check_targets(report)
    return report


# ------------------------------------------------------------------ targets (issue #11)


def _step(report: dict[str, Any], name: str) -> dict[str, Any] | None:
    for step in report["steps"]:
        if step["step"] == name:
            found: dict[str, Any] = step
            return found
    return None


def check_targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets of issue #11 that apply to this size, each with the measured figure.

    A target whose steps did not all succeed is not met, whatever their time."""
    size = report["size"]
    models = _step(report, "models")
    production = _step(report, "production")
    compaction = _step(report, "production_compaction")
    plain = _step(report, "plain")
    incremental = _step(report, "incremental_models")
    checks: list[dict[str, Any]] = []

    def check(
        what: str, measured: float | str, limit: float | None, unit: str, *steps: Any
    ) -> None:
        failed = [step["step"] for step in steps if step["returncode"] != 0]
        within = isinstance(measured, str) or limit is None or measured <= limit
        checks.append(
            {
                "target": what,
                "measured": measured if isinstance(measured, str) else round(measured, 2),
                "limit": limit,
                "unit": unit,
                "failed_steps": failed,
                "met": within and not failed,
            }
        )

    if size == "1m":
        if models:
            check("full build of every model: time", models["seconds"], 35, "s", models)
            check(
                "full build of every model: peak RSS",
                models["peak_rss_mb"] / 1024,
                1.5,
                "GiB",
                models,
            )
        if production and compaction:
            check(
                "production build with its data tests (dbt + compaction)",
                production["seconds"] + compaction["seconds"],
                45,
                "s",
                production,
                compaction,
            )
        if plain and models:
            ratio = plain["seconds"] / models["seconds"]
            check("plain dbt build / models alone", ratio, 2, "x", plain, models)
    if size == "10m":
        if models:
            check("full build of every model: time", models["seconds"], 240, "s", models)
            check(
                "full build of every model: peak RSS",
                models["peak_rss_mb"] / 1024,
                10,
                "GiB",
                models,
            )
        if incremental and models:
            share = 100 * incremental["seconds"] / models["seconds"]
            check("incremental run / full build", share, 5, "%", incremental, models)
    if size == "100m" and models:
        outcome = "completed" if models["returncode"] == 0 else "failed"
        check("full build completes within the machine", outcome, None, "", models)
    return checks


# ------------------------------------------------------------------ printing and the page


def _fmt_seconds(seconds: float) -> str:
    if seconds >= 120:
        return f"{int(seconds // 60)} min {seconds % 60:.0f} s"
    return f"{seconds:.1f} s"


def _fmt_mb(mb: float) -> str:
    return f"{mb / 1024:.2f} GiB" if mb >= 1024 else f"{mb:.0f} MiB"


def steps_table(report: dict[str, Any]) -> list[str]:
    lines = [
        "| step | events | wall time | events/s | peak RSS | CPU time | warehouse file "
        "| other load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for step in report["steps"]:
        failed = "" if step["returncode"] == 0 else f" **(failed, exit {step['returncode']})**"
        events = f"{step['events']:,}" if step["events"] else ""
        rate = f"{step['events_per_second']:,}" if step["events"] else ""
        warehouse = step.get("warehouse_mb")
        lines.append(
            f"| {step['title'].strip()}{failed} | {events} "
            f"| {_fmt_seconds(step['seconds'])} | {rate} "
            f"| {_fmt_mb(step['peak_rss_mb'])} | {_cpu(step)} "
            f"| {_fmt_mb(warehouse) if warehouse else ''} | {_other_load(step)} |"
        )
    return lines


def slowest_table(step: dict[str, Any]) -> list[str]:
    lines = ["| node | materialized | seconds |", "|---|---|---:|"]
    for node in step["slowest_nodes"]:
        lines.append(f"| `{node['node']}` | {node['materialized'] or ''} | {node['seconds']:.1f} |")
    return lines


def rows_table(step: dict[str, Any]) -> list[str]:
    lines = [
        "| model | materialized | rows written | table rows | seconds |",
        "|---|---|---:|---:|---:|",
    ]
    for row in step["rows_written"]:
        written = "?" if row["rows_written"] is None else f"{row['rows_written']:,}"
        total = "?" if row["table_rows"] is None else f"{row['table_rows']:,}"
        lines.append(
            f"| {row['model']} | {row['materialized']} | {written} | {total} "
            f"| {row['seconds']:.1f} |"
        )
    return lines


def _cpu(step: dict[str, Any]) -> str:
    cpu = step.get("cpu_seconds")
    return "" if cpu is None else _fmt_seconds(cpu)


def _other_load(step: dict[str, Any]) -> str:
    """Cores other processes kept busy during the step (older results: load average before)."""
    other = step.get("other_cores")
    if other is None:
        return f"load {step['load_before']:.2f} before"
    return f"{other:.2f} cores"


def is_contended(report: dict[str, Any]) -> bool:
    for step in report["steps"]:
        other = step.get("other_cores")
        if (other is None and step["load_before"] > CONTENDED_LOAD) or (
            other is not None and other > CONTENDED_CORES
        ):
            return True
    return False


def render_page(reports: Sequence[dict[str, Any]]) -> str:
    out = [
        "# Benchmarks",
        "",
        "Generated by `make bench SIZE=<size>` (src/product_analytics_tools/bench.py) from every",
        "`target/bench/<size>.json` present; do not edit by hand. Re-render without running:",
        "`.venv/bin/python -m product_analytics_tools.bench --docs-only`.",
        "",
        "## What is measured",
        "",
        f"`pa-generate --target-events <61/60 of the size> --days {HISTORY_DAYS + 1} "
        f"--seed {SEED}` writes the data",
        "once per size into `target/bench/data/<size>`: the first "
        f"{HISTORY_DAYS} days are the history,",
        f"day {HISTORY_DAYS + 1} is held back as the next day's files "
        f"(1/{HISTORY_DAYS} of the lines). Each step",
        "runs in its own process, the full builds on a fresh DuckDB file (`--target dev`,",
        "`DUCKDB_PATH` under `target/bench/<size>/`):",
        "",
        "| step | command |",
        "|---|---|",
        "| full build of every model, no tests "
        "| `dbt build --exclude-resource-type unit_test --exclude-resource-type test` |",
        "| production build (`make build`, the README's and the orchestrators' command) "
        "| `dbt build --exclude-resource-type unit_test`, "
        "then `pa-compact-warehouse --if-deleted` |",
        "| plain dbt build (left out from 100M on unless asked for with `--steps`) "
        "| `dbt build` (unit tests and every data test) |",
        "| incremental runs | day 61's files linked into the events folder, then the "
        "models-only command on the models-only warehouse and the production command "
        "(with its compaction) on the production one |",
        "",
        "All dbt commands also get `--vars '{raw_events_path: target/bench/<size>/events}'`.",
        "Events are the non-blank lines of the input (history for a full build, the new day",
        "for an incremental run); events/s = events / wall time. Peak RSS is that of the",
        "step's process tree: the larger of the summed RSS sampled every 0.5 s and the",
        "kernel's high-water mark of its largest process. CPU time is the step's own (user +",
        "system, all its processes). `dbt parse` runs first, so no build pays for parsing.",
        '"Other load" is the CPU that other processes used during the step, in cores (busy',
        f"time from /proc/stat less the step's and the benchmark's own): above {CONTENDED_CORES}",
        "the wall times are contended; CPU time is the steadier figure then.",
        "",
        "Rows written by an incremental run: dbt-duckdb reports no row counts for models,",
        "so they are counted afterwards: an incremental model's rows whose `_run_seq` is",
        "the run's (rows it inserted or rewrote); a table model rewrites all its rows.",
        "",
        "## Memory settings",
        "",
        "`profiles.yml` sets DuckDB's `memory_limit` from `DUCKDB_MEMORY_LIMIT` (default `8GB`;",
        "under `settings:`) and `temp_directory` from `DUCKDB_TEMP_DIRECTORY` (default:",
        "`$DUCKDB_PATH.tmp`, beside the warehouse file, where DuckDB itself puts it; under",
        "`config_options:`, set once at connect, because DuckDB refuses to set it again once",
        "it has spilled there and dbt-duckdb repeats `settings` on every cursor). Above the",
        "limit DuckDB spills joins,",
        "sorts and aggregates to the temp directory (at most 90% of the free disk by default).",
        "The process's RSS exceeds `memory_limit` by what lives outside DuckDB's buffer pool",
        "(Python, dbt, the landing functions' buffers). For example, for the 100M run on a",
        "24 GB machine:",
        "",
        "```sh",
        "DUCKDB_MEMORY_LIMIT=14GB DUCKDB_TEMP_DIRECTORY=/fast/disk/duckdb_tmp make bench SIZE=100m",
        "```",
        "",
        "Disk: a run keeps the cached events, the models-only and the production warehouse",
        "(for the incremental runs) and, while compacting, a second copy of the production one;",
        "the table gives each warehouse file's size, so the need at a size can be read off.",
        "",
    ]
    if not reports:
        out += [
            "## Results",
            "",
            "No measurement yet: run `make bench SIZE=1m` (and `10m`, `100m`) on a quiet machine.",
            "",
        ]
    for report in reports:
        data, settings, host = report["data"], report["duckdb_settings"], report["machine"]
        contended = " (contended: another load was running)" if is_contended(report) else ""
        out += [
            f"## {report['size'].upper()} events{contended}",
            "",
            f"`make bench SIZE={report['size']}`, {report['measured_at']}, "
            f"commit {report['commit']}. "
            f"History {data['history_events']:,} events in {data['history_files']} files "
            f"({data['history_bytes'] / 1e6:,.0f} MB on disk), new day {data['new_day']}: "
            f"{data['new_day_events']:,} events in {data['new_day_files']} files "
            f"(1/{data['history_events'] / max(data['new_day_events'], 1):.1f} of the history).",
            "",
            f"Machine: {host['cpu']}, {host['cores']} cores, "
            f"{host.get('memory_gib', '?')} GiB RAM, "
            f"{host['system']}; "
            + ", ".join(f"{name} {version}" for name, version in host["versions"].items())
            + ". DuckDB: memory_limit "
            + f"{settings.get('memory_limit', '?')}, "
            + f"threads {settings.get('duckdb_threads', '?')}, "
            + f"temp_directory `{_shorten(str(settings.get('temp_directory', '?')))}`.",
            "",
            *steps_table(report),
            "",
        ]
        for step in report["steps"]:
            if step.get("failed_nodes"):
                failed = ", ".join(f"`{node}`" for node in step["failed_nodes"][:10])
                out += [f"Failed in {step['title'].split(' (')[0]}: {failed}.", ""]
        if report.get("targets"):
            out += [
                "Targets of issue #11:",
                "",
                "| target | measured | limit | met |",
                "|---|---:|---:|---|",
            ]
            for target in report["targets"]:
                limit = "" if target["limit"] is None else f"{target['limit']} {target['unit']}"
                measured = target["measured"]
                shown = (
                    f"{measured} {target['unit']}"
                    if isinstance(measured, int | float)
                    else measured
                )
                out.append(
                    f"| {target['target']} | {shown} | {limit} "
                    f"| {'yes' if target['met'] else '**no**'} |"
                )
            out.append("")
        for name, key, heading, table in (
            ("models", "slowest_nodes", "The 10 slowest nodes of the", slowest_table),
            ("production", "slowest_nodes", "The 10 slowest nodes of the", slowest_table),
            ("incremental_models", "rows_written", "Rows written by the", rows_table),
            ("incremental_production", "rows_written", "Rows written by the", rows_table),
        ):
            step = _step(report, name)
            if step and step[key]:
                out += [f"{heading} {step['title'].split(' (')[0]}:", "", *table(step), ""]
    return "\n".join(out).rstrip() + "\n"


def load_reports() -> list[dict[str, Any]]:
    found = []
    for path in BENCH_DIR.glob("*.json"):
        try:
            found.append(json.loads(path.read_text()))
        except (OSError, json.JSONDecodeError):
            continue
    return sorted(found, key=lambda report: parse_size(report["size"]))


def print_summary(report: dict[str, Any]) -> None:
    data = report["data"]
    print(
        f"\n=== make bench SIZE={report['size']}: {data['history_events']:,} events over "
        f"{data['history_days']} days, +{data['new_day_events']:,} on {data['new_day']} "
        f"(1/{data['history_events'] / max(data['new_day_events'], 1):.1f} of the history)"
    )
    print(f"{'step':<60} {'wall':>10} {'events/s':>10} {'peak RSS':>10} {'CPU':>10} {'others':>6}")
    for step in report["steps"]:
        failed = "" if step["returncode"] == 0 else "FAILED: "
        rate = f"{step['events_per_second']:,}" if step["events"] else ""
        print(
            f"{(failed + step['title'].strip())[:60]:<60} {_fmt_seconds(step['seconds']):>10} "
            f"{rate:>10} {_fmt_mb(step['peak_rss_mb']):>10} {_cpu(step):>10} "
            f"{'?' if step.get('other_cores') is None else step['other_cores']:>6}"
        )
        for node in step.get("failed_nodes", [])[:10]:
            print(f"    failed: {node}")
    for name in ("models", "production"):
        step = _step(report, name)
        if step and step["slowest_nodes"]:
            print(f"\n10 slowest nodes, {step['title']}:")
            for node in step["slowest_nodes"]:
                print(f"  {node['seconds']:>8.1f} s  {node['node']}")
    for name in ("incremental_models", "incremental_production"):
        step = _step(report, name)
        if step and step["rows_written"]:
            print(f"\nrows written, {step['title']}:")
            for row in step["rows_written"]:
                written = "?" if row["rows_written"] is None else f"{row['rows_written']:,}"
                total = "?" if row["table_rows"] is None else f"{row['table_rows']:,}"
                print(
                    f"  {row['model']:<40} {written:>12} of {total:>12} rows "
                    f"({row['materialized']})"
                )
    for target in report["targets"]:
        print(
            f"target: {target['target']}: {target['measured']} {target['unit']} "
            f"(limit {target['limit']}): {'met' if target['met'] else 'NOT MET'}"
        )
    settings = report["duckdb_settings"]
    print(f"DuckDB settings: {settings}")
    if is_contended(report):
        print(
            f"note: other processes kept more than {CONTENDED_CORES} cores busy during a step: "
            "these wall times are contended"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time and memory of the dbt builds per data size")
    parser.add_argument(
        "--size", type=parse_size, default=parse_size("1m"), help="events: 100k, 1m, 10m, 100m"
    )
    parser.add_argument(
        "--steps",
        help=f"comma-separated subset of {','.join(ALL_STEPS)} (default: all; from 100m on "
        "all but plain, whose unit tests do not grow with the data)",
    )
    parser.add_argument(
        "--docs-only", action="store_true", help="only re-render docs/benchmarks.md"
    )
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    args = parser.parse_args(argv)
    if not args.docs_only:
        default = [step for step in ALL_STEPS if step != "plain" or args.size < LARGE]
        chosen = args.steps.split(",") if args.steps else default
        steps = [step.strip() for step in chosen if step.strip()]
        unknown = sorted(set(steps) - set(ALL_STEPS))
        if unknown:
            parser.error(f"unknown steps {unknown}; choose from {', '.join(ALL_STEPS)}")
        report = run(args.size, steps)
        path = BENCH_DIR / f"{report['size']}.json"
        path.write_text(json.dumps(report, indent=2) + "\n")
        print_summary(report)
        print(f"\nwrote {path.relative_to(PROJECT_ROOT)}")
    if not args.no_docs:
        DOCS_PAGE.write_text(render_page(load_reports()))
        print(f"wrote {DOCS_PAGE.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
