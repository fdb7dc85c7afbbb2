"""Looker: the committed looker/ files are what `make lookml` generates from the manifest,
they parse with lkml, and every field names a column the manifest has."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import lkml
import pytest
from integration_warehouse import BuiltWarehouse

from dbt_harness import PROJECT_ROOT
from product_analytics_tools import lookml

LOOKER_DIR = PROJECT_ROOT / "looker"
TABLE_COLUMN = re.compile(r"\$\{TABLE\}\.(\w+)")
FIELD_REFERENCE = re.compile(r"\$\{(\w+)(?:\.(\w+))?\}")
DIMENSION_TYPES = {"string", "number", "yesno"}


@pytest.fixture(scope="module")
def manifest(built_warehouse: BuiltWarehouse) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(built_warehouse.manifest.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def committed() -> dict[str, str]:
    return {
        str(path.relative_to(LOOKER_DIR)): path.read_text(encoding="utf-8")
        for path in sorted(LOOKER_DIR.rglob("*.lkml"))
    }


def _public_columns(manifest: dict[str, Any]) -> dict[str, set[str]]:
    return {
        node["name"]: set(node["columns"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node.get("access") == "public"
    }


def test_committed_files_equal_a_fresh_generation(
    manifest: dict[str, Any], committed: dict[str, str]
) -> None:
    fresh = lookml.generate(manifest)
    stale = sorted(path for path in fresh if committed.get(path) != fresh[path])
    extra = sorted(set(committed) - set(fresh))
    assert not stale and not extra, f"run `make lookml`: differs {stale}, not generated {extra}"


def test_every_file_parses_and_round_trips(committed: dict[str, str]) -> None:
    assert "product_analytics.model.lkml" in committed and "manifest.lkml" in committed
    for path, text in committed.items():
        parsed = lkml.load(text)
        assert parsed, path
        assert lkml.load(lkml.dump(parsed)) == parsed, path


def test_every_dimension_names_a_column_of_the_manifest(
    manifest: dict[str, Any], committed: dict[str, str]
) -> None:
    columns = _public_columns(manifest)
    views = {}
    for path, text in committed.items():
        if path.startswith("views/"):
            (view,) = lkml.load(text)["views"]
            views[view["name"]] = view
    assert set(views) == set(columns), "one view per public mart"
    for name, view in views.items():
        assert view["sql_table_name"] == f"@{{{lookml.SCHEMA_CONSTANT}}}.{name}"
        named: set[str] = set()
        for dimension in view.get("dimensions", []):
            referenced = set(TABLE_COLUMN.findall(dimension["sql"]))
            assert referenced, f"{name}.{dimension['name']} names no column"
            assert referenced <= columns[name], f"{name}.{dimension['name']}: {referenced}"
            assert dimension["type"] in DIMENSION_TYPES
            if dimension["name"] != "primary_key":
                assert referenced == {dimension["name"]}
            named |= referenced
        for group in view.get("dimension_groups", []):
            (column,) = TABLE_COLUMN.findall(group["sql"])
            assert column in columns[name], f"{name}.{group['name']}"
            assert group["type"] == "time" and group["datatype"] in ("date", "timestamp")
            named.add(column)
        assert named == {column for column in columns[name] if not column.startswith("_")}, name
        primary = [d for d in view.get("dimensions", []) if d.get("primary_key") == "yes"]
        assert len(primary) == 1, f"{name}: one primary key"
        for measure in view["measures"]:
            assert set(TABLE_COLUMN.findall(measure.get("sql", ""))) <= columns[name]
    assert "_batch_seq" not in committed["views/fct_funnel_entries.view.lkml"]


def test_one_explore_per_mart_and_joins_name_real_fields(
    manifest: dict[str, Any], committed: dict[str, str]
) -> None:
    columns = _public_columns(manifest)
    model = lkml.load(committed["product_analytics.model.lkml"])
    explores = {explore["name"]: explore for explore in model["explores"]}
    assert set(explores) == set(columns)
    joined = 0
    for name, explore in explores.items():
        for join in explore.get("joins", []):
            joined += 1
            for view, column in FIELD_REFERENCE.findall(join["sql_on"]):
                assert view in (name, join["name"]) and column in columns[view], join
    assert joined >= 3
    assert {join["name"] for join in explores["fct_sessions"]["joins"]} == {"dim_persons"}


def test_measures_follow_the_semantic_layer(committed: dict[str, str]) -> None:
    (sessions,) = lkml.load(committed["views/fct_sessions.view.lkml"])["views"]
    measures = {measure["name"]: measure for measure in sessions["measures"]}
    assert measures["bounced_sessions"]["type"] == "sum"
    assert "${TABLE}.is_bounce" in measures["bounced_sessions"]["sql"]
    assert measures["bounce_rate"]["sql"] == "1.0 * ${bounced_sessions} / nullif(${sessions}, 0)"
    (mrr,) = lkml.load(committed["views/fct_mrr_monthly.view.lkml"])["views"]
    assert "ending_mrr" not in {measure["name"] for measure in mrr["measures"]}, "a balance"


def test_generation_follows_the_manifest(manifest: dict[str, Any], tmp_path: Path) -> None:
    """A column added to a mart in the manifest appears in the regenerated view."""
    changed = json.loads(json.dumps(manifest))
    node = changed["nodes"]["model.product_analytics.fct_orders"]
    node["columns"]["coupon_code"] = {
        "name": "coupon_code",
        "data_type": "varchar",
        "description": 'The "coupon" used',
    }
    node["columns"]["_scratch"] = {"name": "_scratch", "data_type": "bigint", "description": ""}
    files = lookml.generate(changed)
    lookml.write(files, tmp_path)
    (view,) = lkml.load((tmp_path / "views" / "fct_orders.view.lkml").read_text())["views"]
    coupon = [d for d in view["dimensions"] if d["name"] == "coupon_code"]
    assert coupon and coupon[0]["type"] == "string"
    assert coupon[0]["description"] == "The 'coupon' used"
    assert not [d for d in view["dimensions"] if d["name"] == "_scratch"]


def test_every_dashboard_of_the_readme_is_an_exposure(manifest: dict[str, Any]) -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Dashboards", 1)[1].split("\n### ", 1)[0]
    named = set(re.findall(r"^\| [^|]+ \| `(\w+)` \|", section, flags=re.MULTILINE))
    exposures = {
        exposure["name"]: exposure
        for exposure in manifest["exposures"].values()
        if exposure["type"] == "dashboard"
    }
    assert named and named == set(exposures)
    public = {
        node["unique_id"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node.get("access") == "public"
    }
    for name, exposure in exposures.items():
        marts = set(exposure["depends_on"]["nodes"]) & public
        assert marts, f"{name} reads no mart"
