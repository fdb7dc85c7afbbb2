"""Run the dbt project in a scratch copy: own seeds, own DuckDB file, own target dir.

Tests build the real project (models, macros, tests) copied into a temporary folder so
that they can swap seeds and run several builds side by side without touching the
working tree's warehouse.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from product_analytics_tools.duckdb_landing import register as register_landing_functions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = Path(os.environ.get("PA_SHARED_DIR", PROJECT_ROOT.parent / "shared"))
CONFORMANCE_DIR = SHARED_DIR / "conformance"
DBT = str(Path(sys.executable).parent / "dbt")
PROJECT_PARTS = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "tests",
    "analyses",
)
SEED_NAMES = ("event_name_aliases", "channel_rules", "currency_rates", "deletion_requests")


class DbtProject:
    """A scratch copy of the project with its own warehouse file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        for part in PROJECT_PARTS:
            source = PROJECT_ROOT / part
            if source.is_dir():
                shutil.copytree(source, root / part, dirs_exist_ok=True)
            else:
                shutil.copy2(source, root / part)
        self.database = root / "warehouse.duckdb"

    def use_seeds(self, seeds_dir: Path) -> None:
        """Replace the project's seed CSVs with those of `seeds_dir`."""
        for name in SEED_NAMES:
            shutil.copy2(seeds_dir / f"{name}.csv", self.root / "seeds" / f"{name}.csv")

    def write_seed(
        self, name: str, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
    ) -> None:
        with open(self.root / "seeds" / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(columns))
            writer.writeheader()
            for row in rows:
                writer.writerow({column: row.get(column, "") for column in columns})

    def dbt(self, *args: str, vars: Mapping[str, Any] | None = None) -> str:
        """Run one dbt command; raise with its output when it fails."""
        command = [DBT, *args, "--profiles-dir", str(self.root), "--project-dir", str(self.root)]
        if vars is not None:
            command += ["--vars", json.dumps(dict(vars), default=str)]
        environment = dict(os.environ, DUCKDB_PATH=str(self.database), DO_NOT_TRACK="1")
        completed = subprocess.run(
            command, cwd=self.root, env=environment, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise AssertionError(
                f"`dbt {' '.join(args)}` failed ({completed.returncode}):\n"
                + completed.stdout[-20000:]
                + completed.stderr[-5000:]
            )
        return completed.stdout

    def build(self, vars: Mapping[str, Any], *extra: str) -> str:
        """`dbt build` with every data test; unit tests run once in `make dbt-test`."""
        return self.dbt("build", "--exclude", "test_type:unit", *extra, vars=vars)

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection with the landing functions the raw-file views call."""
        connection = duckdb.connect(str(self.database), read_only=True)
        register_landing_functions(connection)
        return connection

    def rows(self, table: str) -> list[dict[str, Any]]:
        with self.connect() as connection:
            relation = connection.sql(f"select * from {table}")
            columns = relation.columns
            return [dict(zip(columns, values, strict=True)) for values in relation.fetchall()]

    def tables(self) -> set[str]:
        with self.connect() as connection:
            return {
                row[0]
                for row in connection.execute(
                    "select table_name from information_schema.tables"
                ).fetchall()
            }


def conformance_vars(
    events_dir: Path, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    import yaml

    with open(CONFORMANCE_DIR / "vars.yml", encoding="utf-8") as handle:
        values: dict[str, Any] = yaml.safe_load(handle)
    values["raw_events_path"] = str(events_dir)
    values.update(overrides or {})
    return values


def without_columns(rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> list[dict[str, Any]]:
    dropped = set(columns)
    return [{k: v for k, v in row.items() if k not in dropped} for row in rows]
