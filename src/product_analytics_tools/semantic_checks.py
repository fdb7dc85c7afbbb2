"""Query every metric of the semantic layer with MetricFlow, one `mf query` per metric.

The queries run through MetricFlow's own command line (`dbt_metricflow.cli.main`) in this
one process, so dbt and the adapter load once (about 5 s) instead of once per metric (about
11 s each). Each metric is grouped by `metric_time` at the finest grain its measures allow
(day, or month for MRR) and written to `<out-dir>/<metric>.csv`. A metric whose query fails
or returns no row fails the check.

Run it from the project root after `dbt parse` (or a build) with the same `DUCKDB_PATH`:
MetricFlow reads `target/semantic_manifest.json`, whose table names carry the warehouse's
database name.

Usage: python -m product_analytics_tools.semantic_checks [--out-dir target/metricflow]
[--metric NAME ...]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEMANTIC_MANIFEST = Path("target/semantic_manifest.json")
GRAIN_ORDER = ("day", "week", "month", "quarter", "year")


@dataclass(frozen=True)
class MetricQueryResult:
    """One metric's `mf query`: its group-by, rows as read from the CSV, time and error."""

    metric: str
    group_by: tuple[str, ...]
    rows: list[dict[str, str]]
    seconds: float
    error: str | None


def load_semantic_manifest(path: Path = SEMANTIC_MANIFEST) -> dict[str, Any]:
    if not path.is_file():
        raise FileNotFoundError(f"no semantic manifest at {path}: run `dbt parse` first")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def metric_names(manifest: dict[str, Any]) -> list[str]:
    return sorted(str(metric["name"]) for metric in manifest["metrics"])


def metric_time_grain(manifest: dict[str, Any], metric: str) -> str:
    """The finest metric_time grain every measure under `metric` allows."""
    measure_grain: dict[str, str] = {}
    for model in manifest["semantic_models"]:
        agg_time = (model.get("defaults") or {}).get("agg_time_dimension")
        grains = {
            dimension["name"]: dimension["type_params"]["time_granularity"]
            for dimension in model["dimensions"]
            if dimension["type"] == "time"
        }
        for measure in model["measures"]:
            dimension = measure.get("agg_time_dimension") or agg_time
            measure_grain[measure["name"]] = grains.get(dimension, "day")
    (definition,) = (item for item in manifest["metrics"] if item["name"] == metric)
    grains_used = [
        measure_grain.get(measure["name"], "day")
        for measure in definition["type_params"]["input_measures"]
    ]
    return max(grains_used or ["day"], key=GRAIN_ORDER.index)


class MetricFlowRunner:
    """MetricFlow's CLI with one shared configuration (dbt project, adapter, manifest)."""

    def __init__(self) -> None:
        from dbt_metricflow.cli.cli_configuration import CLIConfiguration

        self._configuration = CLIConfiguration()
        self._configuration.setup()

    def invoke(self, args: Sequence[str]) -> tuple[int, str]:
        from click.testing import CliRunner
        from dbt_metricflow.cli.main import cli

        result = CliRunner().invoke(cli, list(args), obj=self._configuration)
        output = result.output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            output += f"\n{type(result.exception).__name__}: {result.exception}"
        return result.exit_code, output

    def query(self, metric: str, group_by: Sequence[str], out_dir: Path) -> MetricQueryResult:
        """`mf query --metrics <metric> --group-by <group_by> --csv <out_dir>/<metric>.csv`."""
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{metric}.csv"
        target.unlink(missing_ok=True)
        started = time.perf_counter()
        code, output = self.invoke(
            [
                "query",
                "--metrics",
                metric,
                "--group-by",
                ",".join(group_by),
                "--csv",
                str(target),
                "--quiet",
            ]
        )
        seconds = time.perf_counter() - started
        if code != 0 or not target.is_file():
            return MetricQueryResult(metric, tuple(group_by), [], seconds, output.strip())
        with open(target, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        return MetricQueryResult(metric, tuple(group_by), rows, seconds, None)


def check_every_metric(
    out_dir: Path, only: Sequence[str] = (), manifest_path: Path = SEMANTIC_MANIFEST
) -> list[MetricQueryResult]:
    manifest = load_semantic_manifest(manifest_path)
    runner = MetricFlowRunner()
    results = []
    for metric in only or metric_names(manifest):
        grain = metric_time_grain(manifest, metric)
        results.append(runner.query(metric, [f"metric_time__{grain}"], out_dir))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="run one `mf query` per metric")
    parser.add_argument("--out-dir", type=Path, default=Path("target/metricflow"))
    parser.add_argument("--metric", action="append", default=[], help="only these metrics")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        results = check_every_metric(args.out_dir, args.metric)
    except FileNotFoundError as error:
        print(f"semantic_checks: {error}", file=sys.stderr)
        return 1
    failed = 0
    for result in results:
        if result.error is not None or not result.rows:
            failed += 1
            reason = result.error or "no rows"
            print(f"FAIL  {result.metric:<30} by {', '.join(result.group_by)}: {reason}")
        else:
            print(
                f"ok    {result.metric:<30} by {', '.join(result.group_by):<20} "
                f"{len(result.rows):>5} rows  {result.seconds:5.2f} s"
            )
    total = time.perf_counter() - started
    print(
        f"{len(results) - failed} passed, {failed} failed: one `mf query` per metric, "
        f"{total:.1f} s; results in {args.out_dir}/"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
