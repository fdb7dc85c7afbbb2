"""Shared by the Spark tests: whether Spark can run here, and one local SparkSession.

The Spark tests are skipped (with the reason) where pyspark, dbt-spark or Java is missing,
so DuckDB users need none of them; `make test-spark` sets PA_REQUIRE_SPARK=1, which turns
that skip into a failure, so the Spark checks cannot pass by not running.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REQUIRE_SPARK = os.environ.get("PA_REQUIRE_SPARK") == "1"


def spark_missing_reason() -> str | None:
    """Why Spark cannot run here, or None when it can."""
    for module, package in (("pyspark", "pyspark"), ("dbt.adapters.spark", "dbt-spark")):
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            return f"{package} is not installed (`make venv-spark`, then `make test-spark`)"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (Spark needs Java 17)"
    return None


def skip_unless_spark() -> None:
    """Skip the calling test module when Spark cannot run, or fail under PA_REQUIRE_SPARK=1."""
    reason = spark_missing_reason()
    if reason is None:
        return
    if REQUIRE_SPARK:
        pytest.fail(f"PA_REQUIRE_SPARK=1 but {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def local_spark_session(warehouse: Path, *, with_catalog: bool = False) -> Iterator[Any]:
    """A local SparkSession set up like the project's `spark` target (UTC, ANSI mode off as
    dbt-spark sets it, parquet tables); stopped when the generator is closed. With
    `with_catalog`, it opens the Derby catalog that dbt's session left in `warehouse`."""
    os.environ["TZ"] = "UTC"  # pyspark turns timestamps into naive datetimes in local time
    time.tzset()
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[2]")
        .appName("product_analytics_tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.sources.default", "parquet")
        .config("spark.sql.warehouse.dir", str(warehouse))
    )
    if with_catalog:
        builder = (
            builder.config("spark.sql.legacy.createHiveTableByDefault", "false")
            .config(
                "spark.hadoop.javax.jdo.option.ConnectionURL",
                f"jdbc:derby:;databaseName={warehouse}/metastore_db;create=true",
            )
            .enableHiveSupport()
        )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    # Very long expressions (a JSON line's 48 paths) exceed Java's 64 KB method limit;
    # Spark then runs them interpreted and logs the generated code: silence that log.
    jvm = session.sparkContext._jvm
    jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(
        "org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator",
        jvm.org.apache.logging.log4j.Level.OFF,
    )
    try:
        yield session
    finally:
        session.stop()
