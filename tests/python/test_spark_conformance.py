"""The project on Apache Spark reproduces the public conformance suite (SPEC §12).

Run by `make test-spark` (PA_RUN_SPARK_BUILDS=1); elsewhere these builds are skipped with
that reason, since one Spark build takes minutes on two cores.

- test_marts_on_spark_from_a_duckdb_ledger: the conformance events are landed on DuckDB
  (base_events__ledger), that one table is copied into the Spark warehouse, and every
  other model is built on Spark by dbt (`--target spark`); each mart must equal its
  expected CSV, as in test_dbt_conformance.
- test_full_build_on_spark: the whole project, landing included, on Spark. It does not
  pass yet: base_events__ledger is one very large query that Spark's analyzer and
  optimizer do not plan within a 1 GB driver heap (docs/running_on_spark.md). It is a
  strict xfail, so the day it passes the test fails until the mark is removed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dbt_harness import CONFORMANCE_DIR, DbtProject, conformance_vars
from spark_support import local_spark_session, skip_unless_spark
from spec_reference.compare import (
    TABLE_KEYS,
    compare_rows,
    format_problems,
    read_csv,
    relative_file,
)
from test_dbt_conformance import DEBUG_COLUMNS, EXPECTED_EVENTS_ROOT, MODEL_OF

skip_unless_spark()
if os.environ.get("PA_RUN_SPARK_BUILDS") != "1":
    pytest.skip(
        "Spark builds of the project run under `make test-spark` (PA_RUN_SPARK_BUILDS=1)",
        allow_module_level=True,
    )

SCHEMA = "product_analytics"
TIMESTAMP_COLUMNS_FROM_DUCKDB = ("occurred_at", "received_at", "_file_modified_at")


class SparkProject(DbtProject):
    """A scratch copy of the project built with the `spark` target into its own warehouse."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.warehouse = root / "spark-warehouse"

    def dbt(self, *args: str, vars: Any = None) -> str:  # noqa: A002 - dbt's own name
        os.environ["SPARK_WAREHOUSE_DIR"] = str(self.warehouse)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ["TZ"] = "UTC"
        return super().dbt(*args, "--target", "spark", vars=vars)

    def session(self) -> Iterator[Any]:
        """A SparkSession on the project's warehouse and Derby catalog (dbt has exited)."""
        yield from local_spark_session(self.warehouse, with_catalog=True)

    def spark_rows(self, tables: list[str]) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for session in self.session():
            for table in tables:
                found[table] = [
                    row.asDict() for row in session.table(f"{SCHEMA}.{table}").collect()
                ]
        return found

    def import_table(self, name: str, parquet: Path, partition_by: str) -> None:
        """Create `name` in the Spark warehouse from a parquet file written by DuckDB."""
        for session in self.session():
            session.sql(f"create database if not exists {SCHEMA}")
            fields = session.read.parquet(str(parquet)).schema.fields
            columns = [
                f"cast({field.name} as timestamp) as {field.name}"
                if field.name in TIMESTAMP_COLUMNS_FROM_DUCKDB
                else field.name
                for field in fields
                if field.name != partition_by
            ] + [partition_by]
            session.sql(
                f"create table {SCHEMA}.{name} using parquet partitioned by ({partition_by}) "
                f"as select {', '.join(columns)} from parquet.`{parquet}`"
            )


def _expected_tables() -> list[str]:
    return sorted(path.stem for path in (CONFORMANCE_DIR / "expected").glob("*.csv"))


def _problems(actual: dict[str, list[dict[str, Any]]], events: Path) -> list[str]:
    roots = [EXPECTED_EVENTS_ROOT, str(events), str(events.resolve())]
    problems: list[str] = []
    for table in _expected_tables():
        problems += compare_rows(
            table,
            read_csv(CONFORMANCE_DIR / "expected" / f"{table}.csv"),
            actual[MODEL_OF.get(table, table)],
            key_columns=TABLE_KEYS[table],
            ignore_columns=DEBUG_COLUMNS,
            key_transforms={"file": lambda path: relative_file(str(path), roots)},
        )
    return problems


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spark_conformance") / "events"
    shutil.copytree(CONFORMANCE_DIR / "events", folder)
    return folder


def test_marts_on_spark_from_a_duckdb_ledger(events: Path, tmp_path: Path) -> None:
    duckdb_project = DbtProject(tmp_path / "duckdb")
    duckdb_project.use_seeds(CONFORMANCE_DIR / "seeds")
    duckdb_project.dbt("run", "--select", "+base_events__ledger", vars=conformance_vars(events))
    ledger = tmp_path / "ledger.parquet"
    with duckdb_project.connect() as connection:
        connection.execute(
            f"copy (select * from base_events__ledger) to '{ledger}' (format parquet)"
        )

    spark_project = SparkProject(tmp_path / "spark")
    spark_project.use_seeds(CONFORMANCE_DIR / "seeds")
    spark_project.dbt("seed", vars=conformance_vars(events))
    spark_project.import_table("base_events__ledger", ledger, "_landed_run_seq")
    spark_project.dbt("run", "--exclude", "base_events__ledger", vars=conformance_vars(events))
    tables = sorted({MODEL_OF.get(table, table) for table in _expected_tables()})
    problems = _problems(spark_project.spark_rows(tables), events)
    assert not problems, "\n" + format_problems(problems)


@pytest.mark.xfail(
    strict=True,
    reason="base_events__ledger is not planned by Spark within a 1 GB driver heap yet",
)
def test_full_build_on_spark(events: Path, tmp_path: Path) -> None:
    project = SparkProject(tmp_path / "spark")
    project.use_seeds(CONFORMANCE_DIR / "seeds")
    project.build(conformance_vars(events))
    tables = sorted({MODEL_OF.get(table, table) for table in _expected_tables()})
    problems = _problems(project.spark_rows(tables), events)
    assert not problems, "\n" + format_problems(problems)
