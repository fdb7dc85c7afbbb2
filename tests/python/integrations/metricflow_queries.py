"""Run MetricFlow queries in their own process (the dbt-duckdb adapter keeps its connection
open for the life of a process): `python metricflow_queries.py QUERIES.json OUT_DIR`, where
QUERIES.json lists [metric, [group_by, ...]] pairs; each result goes to
OUT_DIR/<index>.csv. Run it from the dbt project with DUCKDB_PATH set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from product_analytics_tools.semantic_checks import MetricFlowRunner


def main() -> int:
    queries = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out_dir = Path(sys.argv[2])
    runner = MetricFlowRunner()
    failed = 0
    for index, (metric, group_by) in enumerate(queries):
        result = runner.query(metric, group_by, out_dir / str(index))
        if result.error is not None:
            failed += 1
            print(f"{metric} by {group_by}: {result.error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
