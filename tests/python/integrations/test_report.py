"""`make report`: the page renders every chart in headless Chromium, offline and without
console errors, with the labels the issue asks for; a screenshot is kept in
target/report/screenshot.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from integration_warehouse import BuiltWarehouse

from dbt_harness import PROJECT_ROOT
from product_analytics_tools import report

CHROMIUM = Path("/usr/bin/chromium-headless-shell")
SCREENSHOT = PROJECT_ROOT / "target" / "report" / "screenshot.png"
MONEY_CHARTS = {"mrr", "revenue"}


@pytest.fixture(scope="module")
def rendered(built_warehouse: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The report opened in Chromium: per chart its SVG mark count and text, and the
    console errors and network requests of the page."""
    assert CHROMIUM.is_file(), (
        f"{CHROMIUM} is missing: `make browser` (apt-get install chromium-headless-shell)"
    )
    from playwright.sync_api import sync_playwright

    page_path = report.write_report(
        built_warehouse.database, tmp_path_factory.mktemp("report") / "index.html"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            errors: list[str] = []
            requests: list[str] = []
            page.on(
                "console",
                lambda message: errors.append(message.text) if message.type == "error" else None,
            )
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_path.resolve().as_uri())
            page.wait_for_function("window.chartsDone !== undefined", timeout=30_000)
            page.evaluate("window.chartsDone")
            charts = page.evaluate(
                """() => Array.from(document.querySelectorAll('.chart')).map(div => ({
                    id: div.dataset.chart,
                    svgs: div.querySelectorAll('svg').length,
                    canvases: div.querySelectorAll('canvas').length,
                    marks: div.querySelectorAll('svg g.mark-rect path, svg g.mark-line path, '
                        + 'svg g.mark-symbol path, svg g.mark-text text').length,
                    text: Array.from(div.querySelectorAll('svg text')).map(t => t.textContent),
                }))"""
            )
            state = page.evaluate("({done: window.chartsRendered, errors: window.chartErrors})")
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    return {"charts": charts, "state": state, "errors": errors, "requests": requests}


def _expected_range(database: Path) -> str:
    with duckdb.connect(str(database), read_only=True) as connection:
        first, last = connection.execute(
            "select min(activity_date), max(activity_date) from fct_active_users_daily"
        ).fetchone() or (None, None)
    return f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"


def test_every_chart_draws_without_errors(rendered: Any) -> None:
    charts = rendered["charts"]
    assert [chart["id"] for chart in charts] == [
        "funnels",
        "retention",
        "active-users",
        "lifecycle",
        "mrr",
        "revenue",
        "rejects",
        "ingestion",
    ]
    assert rendered["state"] == {"done": len(charts), "errors": []}
    assert rendered["errors"] == []
    for chart in charts:
        assert chart["svgs"] >= 1 or chart["canvases"] >= 1, chart["id"]
        assert chart["marks"] >= 3, f"{chart['id']}: only {chart['marks']} marks drawn"


def test_the_page_is_offline(rendered: Any) -> None:
    assert [url for url in rendered["requests"] if not url.startswith("file://")] == []


def test_titles_axes_timezone_currency_and_range(
    rendered: Any, built_warehouse: BuiltWarehouse
) -> None:
    with duckdb.connect(str(built_warehouse.database), read_only=True) as connection:
        timezone, currency = connection.execute(
            "select reporting_timezone, reporting_currency from rpt_reporting_settings"
        ).fetchone() or ("", "")
    active_range = _expected_range(built_warehouse.database)
    for chart in rendered["charts"]:
        text = " | ".join(chart["text"])
        assert f"Reporting timezone: {timezone}" in text, chart["id"]
        assert "data: " in text, chart["id"]
        if chart["id"] in MONEY_CHARTS:
            assert f"currency: {currency}" in text, chart["id"]
    texts = {chart["id"]: " | ".join(chart["text"]) for chart in rendered["charts"]}
    assert active_range in texts["active-users"]
    assert active_range in texts["funnels"]
    assert "Persons reached" in texts["funnels"] and "Step" in texts["funnels"]
    assert "Weeks since the cohort's first week (N)" in texts["retention"]
    assert f"MRR ({currency})" in texts["mrr"]
    assert f"Amount ({currency})" in texts["revenue"]
    assert "Reject reason" in texts["rejects"]


def test_funnel_labels_are_the_marts_step_conversion(
    rendered: Any, built_warehouse: BuiltWarehouse
) -> None:
    with duckdb.connect(str(built_warehouse.database), read_only=True) as connection:
        rates = connection.execute(
            "select conversion_from_previous from fct_funnel_steps where step_number > 1"
        ).fetchall()
    (funnels,) = [chart for chart in rendered["charts"] if chart["id"] == "funnels"]
    for (rate,) in rates:
        assert f"{rate:.0%} of previous" in funnels["text"]


def test_screenshot_is_saved(rendered: Any) -> None:
    assert SCREENSHOT.is_file() and SCREENSHOT.stat().st_size > 50_000
