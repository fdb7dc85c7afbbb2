"""Every dbt unit test pins every project var (STYLE: a unit test pins the vars its
expectation reads), so that no `--vars` override moves an expectation: `make dbt-test`
runs the unit tests a second time under another var set to prove it. The pinned values
are the `project_vars` anchor of each YAML file, which must equal dbt_project.yml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from dbt_harness import PROJECT_ROOT

UNIT_TEST_FILES = sorted(
    path
    for path in (PROJECT_ROOT / "models").rglob("_*.yml")
    if "unit_tests:" in path.read_text(encoding="utf-8")
)


def _project_vars() -> dict[str, Any]:
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    project_vars: dict[str, Any] = project["vars"]
    # where the raw files are is not a var any unit test reads
    project_vars.pop("raw_events_path")
    return project_vars


def test_unit_test_files_are_found() -> None:
    assert len(UNIT_TEST_FILES) >= 10


@pytest.mark.parametrize("path", UNIT_TEST_FILES, ids=lambda path: path.name)
def test_every_unit_test_pins_every_project_var(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    project_vars = _project_vars()
    assert document["anchors"][0] == project_vars, (
        f"{path}: the project_vars anchor differs from the vars of dbt_project.yml"
    )
    for unit_test in document["unit_tests"]:
        pinned = (unit_test.get("overrides") or {}).get("vars") or {}
        missing = sorted(set(project_vars) - set(pinned))
        assert not missing, f"{path}: {unit_test['name']} does not pin {missing}"
        macros = unit_test["overrides"].get("macros") or {}
        assert "is_incremental" in macros, f"{unit_test['name']} does not say which path it tests"
