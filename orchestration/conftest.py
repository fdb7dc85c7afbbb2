"""pytest setup of the orchestrator examples (`make test-orchestration`, own venv)."""

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
MANIFEST = PROJECT_DIR / "target" / "manifest.json"
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


@pytest.fixture(scope="session", autouse=True)
def manifest() -> Path:
    assert MANIFEST.is_file(), (
        f"{MANIFEST} is missing: run `dbt parse` (make test-orchestration does)"
    )
    return MANIFEST
