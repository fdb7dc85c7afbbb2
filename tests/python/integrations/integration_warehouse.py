"""A built warehouse for the integration tests (GX, MetricFlow, LookML, the report).

`make test` builds target/ci/ci.duckdb (make dbt-test) just before pytest: the session
fixture copies it into a scratch copy of the project and builds the semantic-layer and
reporting models there, which also writes that project's manifest and semantic manifest.
Without that file (pytest run on its own) it generates the same small data (300 persons,
21 days) and builds it. Tests that write to the warehouse work on their own copy.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from dbt_harness import PROJECT_ROOT, DbtProject
from product_analytics_tools.generator import GeneratorConfig, generate

CI_WAREHOUSE = PROJECT_ROOT / "target" / "ci" / "ci.duckdb"
# dbt-duckdb names the file's stem in its views ("ci"."main"...): copies keep the name.
WAREHOUSE_NAME = "ci.duckdb"


@dataclass(frozen=True)
class BuiltWarehouse:
    project: DbtProject
    database: Path

    @property
    def manifest(self) -> Path:
        return self.project.root / "target" / "manifest.json"

    def copy_to(self, folder: Path) -> Path:
        """A private copy of the warehouse (same file name) in `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / WAREHOUSE_NAME
        shutil.copy2(self.database, target)
        return target


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    root = tmp_path_factory.mktemp("integrations")
    project = DbtProject(root / "project")
    project.database = root / "warehouse" / WAREHOUSE_NAME
    project.database.parent.mkdir(parents=True)
    if CI_WAREHOUSE.is_file():
        shutil.copy2(CI_WAREHOUSE, project.database)
        project.dbt(
            "build", "--target", "test", "--select", "metricflow_time_spine rpt_reporting_settings"
        )
    else:
        events = root / "events"
        generate(
            GeneratorConfig(
                out_dir=events, persons=300, days=21, start_date=date(2024, 1, 1), seed=7
            )
        )
        project.dbt(
            "build",
            "--target",
            "test",
            "--exclude-resource-type",
            "unit_test",
            vars={"raw_events_path": str(events)},
        )
    return BuiltWarehouse(project, project.database)


@pytest.fixture
def in_project(built_warehouse: BuiltWarehouse) -> Iterator[BuiltWarehouse]:
    """Run in the scratch project, with DUCKDB_PATH and the dbt dirs set for it."""
    saved = {name: os.environ.get(name) for name in ("DUCKDB_PATH", "DBT_PROFILES_DIR")}
    cwd = Path.cwd()
    os.environ["DUCKDB_PATH"] = str(built_warehouse.database)
    os.environ["DBT_PROFILES_DIR"] = str(built_warehouse.project.root)
    os.chdir(built_warehouse.project.root)
    try:
        yield built_warehouse
    finally:
        os.chdir(cwd)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
