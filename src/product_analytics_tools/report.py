"""A static, offline HTML report of the warehouse (`make report`): one file, charts inline.

Charts (Vega-Lite through Altair; the Vega, Vega-Lite and vega-embed scripts are inlined
from vl-convert's bundle, so the page needs no network) and the marts they read:

1. funnels: persons reaching each step, labelled with the conversion from the previous
   step (fct_funnel_steps);
2. cohort retention heatmap of weekly cohorts (fct_retention, grain week);
3. DAU, WAU and MAU with stickiness on its own axis (fct_active_users_daily);
4. weekly lifecycle as stacked bars, dormant persons below zero (fct_lifecycle);
5. MRR waterfall: each month's movements from the starting to the ending MRR
   (fct_mrr_monthly);
6. revenue per day: gross revenue, refunds and net revenue (fct_revenue_daily);
7. ingestion quality: rejected lines by reason (fct_ingestion_reconciliation), and
   duplicates, late arrivals and rejects per day (fct_ingestion_daily).

Every chart's title names what it shows, its axes are labelled, and its subtitle gives the
reporting timezone and currency the warehouse was built with (rpt_reporting_settings) and
the date range of its data. The warehouse is opened read-only and closed before the page is
written.

Usage: python -m product_analytics_tools.report [--database PATH]
[--out target/report/index.html] [--screenshot PNG]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import altair as alt
import duckdb
import pandas as pd

DEFAULT_OUT = Path("target/report/index.html")
CHROMIUM = Path("/usr/bin/chromium-headless-shell")
CHART_WIDTH = 820
LIFECYCLE_COLORS = {
    "new": "#4c78a8",
    "returning": "#54a24b",
    "resurrecting": "#f58518",
    "dormant": "#e45756",
}
MOVEMENT_ORDER = ("new", "expansion", "reactivation", "contraction", "churn")


@dataclass(frozen=True)
class ReportSettings:
    timezone: str
    currency: str


@dataclass(frozen=True)
class ChartSpec:
    """One chart of the page: its id, heading, a sentence on how to read it, the spec."""

    chart_id: str
    heading: str
    reading: str
    spec: dict[str, Any]


@dataclass
class WarehouseData:
    settings: ReportSettings
    marts: dict[str, pd.DataFrame]


REPORT_MARTS = (
    "fct_funnel_steps",
    "fct_retention",
    "fct_active_users_daily",
    "fct_lifecycle",
    "fct_mrr_monthly",
    "fct_revenue_daily",
    "fct_ingestion_daily",
    "fct_ingestion_reconciliation",
)


def read_warehouse(database: Path) -> WarehouseData:
    """The marts the report needs, read in one read-only connection."""
    if not database.is_file():
        raise FileNotFoundError(f"no warehouse at {database}: run `make run` first")
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = {
            str(row[0])
            for row in connection.execute(
                "select table_name from information_schema.tables"
            ).fetchall()
        }
        missing = [mart for mart in REPORT_MARTS if mart not in tables]
        if missing:
            raise FileNotFoundError(f"the warehouse {database} has no {', '.join(missing)}")
        marts = {mart: connection.sql(f"select * from {mart}").df() for mart in REPORT_MARTS}
        settings = ReportSettings(timezone="UTC (default)", currency="USD (default)")
        if "rpt_reporting_settings" in tables:
            row = connection.execute(
                "select reporting_timezone, reporting_currency from rpt_reporting_settings"
            ).fetchone()
            if row:
                settings = ReportSettings(timezone=str(row[0]), currency=str(row[1]))
    return WarehouseData(settings, marts)


def _date_range(values: pd.Series, monthly: bool = False) -> str:
    days = pd.to_datetime(values.dropna())
    if days.empty:
        return "no data"
    first, last = days.min(), days.max()
    if monthly:
        return f"{first:%Y-%m} to {last:%Y-%m}"
    return f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"


def _subtitle(settings: ReportSettings, date_range: str, *, money: bool = False) -> list[str]:
    parts = [f"Reporting timezone: {settings.timezone}"]
    if money:
        parts.append(f"currency: {settings.currency}")
    parts.append(f"data: {date_range}")
    return [" · ".join(parts)]


def _top(chart: Any) -> alt.TopLevelMixin:
    """Altair's chained builders are typed loosely; every chart here is a top-level chart."""
    return cast(alt.TopLevelMixin, chart)


def _title(text: str, subtitle: list[str]) -> alt.TitleParams:
    return alt.TitleParams(text=text, subtitle=subtitle, anchor="start")


def _no_data(title: alt.TitleParams) -> alt.TopLevelMixin:
    return _top(
        alt.Chart(pd.DataFrame({"message": ["No rows in this mart yet"]}), title=title)
        .mark_text(size=16, color="#666")
        .encode(text="message:N")
        .properties(width=CHART_WIDTH, height=80)
    )


def _dates_as_text(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d")
    return out


def funnel_chart(data: WarehouseData) -> alt.TopLevelMixin:
    steps = data.marts["fct_funnel_steps"].sort_values(["funnel_name", "step_number"]).copy()
    days = data.marts["fct_active_users_daily"]["activity_date"]
    title = _title(
        "Funnels: persons reaching each step, with the conversion from the previous step",
        _subtitle(data.settings, _date_range(days)),
    )
    if steps.empty:
        return _no_data(title)
    steps["step"] = steps["step_number"].astype(str) + ". " + steps["step_event"]
    steps["label"] = steps.apply(
        lambda row: (
            "start"
            if row["step_number"] == 1
            else f"{row['conversion_from_previous']:.0%} of previous"
        ),
        axis=1,
    )
    base = alt.Chart().encode(
        x=alt.X(
            "step:N",
            title="Step",
            sort=alt.EncodingSortField("step_number"),
            axis=alt.Axis(labelAngle=-20, labelLimit=180),
        ),
        y=alt.Y("persons_reached:Q", title="Persons reached"),
    )
    bars = base.mark_bar(color="#4c78a8").encode(
        tooltip=[
            alt.Tooltip("funnel_name:N", title="Funnel"),
            alt.Tooltip("step:N", title="Step"),
            alt.Tooltip("persons_reached:Q", title="Persons reached", format=","),
            alt.Tooltip("conversion_from_previous:Q", title="From previous", format=".1%"),
            alt.Tooltip("conversion_from_start:Q", title="From start", format=".1%"),
        ]
    )
    labels = base.mark_text(dy=-8, fontSize=12).encode(text="label:N")
    return _top(
        alt.layer(bars, labels)
        .properties(width=CHART_WIDTH // 2 - 40, height=260)
        .facet(column=alt.Column("funnel_name:N", title="Funnel"), data=steps, title=title)
        .resolve_scale(x="independent")
    )


def retention_chart(data: WarehouseData) -> alt.TopLevelMixin:
    retention = data.marts["fct_retention"]
    weekly = retention[retention["grain"] == "week"].copy()
    title = _title(
        "Weekly cohort retention: share of each cohort active N weeks after its first week",
        _subtitle(data.settings, _date_range(weekly["cohort_start"])),
    )
    if weekly.empty:
        return _no_data(title)
    weekly = _dates_as_text(weekly, "cohort_start")
    weekly["cohort"] = weekly["cohort_start"] + " (" + weekly["cohort_size"].astype(str) + ")"
    weekly["label"] = weekly["retention_rate"].map(lambda rate: f"{rate:.0%}")
    weekly["completeness"] = weekly["is_complete"].map({True: "complete", False: "in progress"})
    base = alt.Chart(weekly).encode(
        x=alt.X("period_number:O", title="Weeks since the cohort's first week (N)"),
        y=alt.Y("cohort:O", title="Cohort week starting (cohort size)", sort="ascending"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "retention_rate:Q",
            title="Retention",
            scale=alt.Scale(scheme="blues", domain=[0, 1]),
            legend=alt.Legend(format="%"),
        ),
        opacity=alt.condition("datum.is_complete", alt.value(1.0), alt.value(0.55)),
        tooltip=[
            alt.Tooltip("cohort_start:N", title="Cohort week"),
            alt.Tooltip("period_number:O", title="N"),
            alt.Tooltip("cohort_size:Q", title="Cohort size"),
            alt.Tooltip("retained_persons:Q", title="Retained"),
            alt.Tooltip("retention_rate:Q", title="Retention", format=".1%"),
            alt.Tooltip("completeness:N", title="Period"),
        ],
    )
    text = base.mark_text(fontSize=11).encode(
        text="label:N",
        color=alt.condition("datum.retention_rate > 0.5", alt.value("white"), alt.value("black")),
    )
    return _top(
        alt.layer(cells, text, title=title).properties(
            width=CHART_WIDTH, height=max(120, 28 * weekly["cohort"].nunique())
        )
    )


def active_users_chart(data: WarehouseData) -> alt.TopLevelMixin:
    active = data.marts["fct_active_users_daily"]
    title = _title(
        "Active persons per day: DAU, WAU (7 days) and MAU (30 days), with stickiness",
        _subtitle(data.settings, _date_range(active["activity_date"])),
    )
    if active.empty:
        return _no_data(title)
    active = _dates_as_text(active, "activity_date")
    long = active.melt(
        id_vars=["activity_date"], value_vars=["dau", "wau", "mau"], var_name="measure"
    )
    long["measure"] = long["measure"].str.upper()
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("activity_date:T", title="Local day"),
            y=alt.Y("value:Q", title="Active persons"),
            color=alt.Color("measure:N", title="Active persons", sort=["DAU", "WAU", "MAU"]),
            tooltip=[
                alt.Tooltip("activity_date:T", title="Day"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("value:Q", title="Persons", format=","),
            ],
        )
    )
    stickiness = (
        alt.Chart(active)
        .mark_line(strokeDash=[4, 3], color="#9c755f")
        .encode(
            x=alt.X("activity_date:T", title="Local day"),
            y=alt.Y(
                "stickiness:Q",
                title="Stickiness (DAU / MAU, dashed)",
                axis=alt.Axis(format="%", titleColor="#9c755f"),
            ),
            tooltip=[
                alt.Tooltip("activity_date:T", title="Day"),
                alt.Tooltip("stickiness:Q", title="Stickiness", format=".1%"),
            ],
        )
    )
    return _top(
        alt.layer(lines, stickiness, title=title)
        .resolve_scale(y="independent")
        .properties(width=CHART_WIDTH, height=300)
    )


def lifecycle_chart(data: WarehouseData) -> alt.TopLevelMixin:
    lifecycle = data.marts["fct_lifecycle"]
    weekly = lifecycle[lifecycle["grain"] == "week"].copy()
    title = _title(
        "Weekly lifecycle: new, returning and resurrecting persons; dormant below zero",
        _subtitle(data.settings, _date_range(weekly["period_start"])),
    )
    if weekly.empty:
        return _no_data(title)
    weekly = _dates_as_text(weekly, "period_start")
    weekly["signed_persons"] = weekly.apply(
        lambda row: -row["persons"] if row["status"] == "dormant" else row["persons"], axis=1
    )
    return _top(
        alt.Chart(weekly, title=title)
        .mark_bar()
        .encode(
            x=alt.X("period_start:O", title="Week starting (Monday)"),
            y=alt.Y("signed_persons:Q", title="Persons (dormant negative)", stack="zero"),
            color=alt.Color(
                "status:N",
                title="Status",
                scale=alt.Scale(
                    domain=list(LIFECYCLE_COLORS), range=list(LIFECYCLE_COLORS.values())
                ),
            ),
            order=alt.Order("status:N"),
            tooltip=[
                alt.Tooltip("period_start:N", title="Week"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("persons:Q", title="Persons", format=","),
            ],
        )
        .properties(width=CHART_WIDTH, height=300)
    )


def mrr_waterfall_rows(monthly: pd.DataFrame) -> pd.DataFrame:
    """One bar per month's start, movement and end, with its running bottom and top."""
    rows: list[dict[str, Any]] = []
    order = 0
    for index, month in enumerate(monthly.sort_values("month_start").to_dict("records")):
        label = pd.Timestamp(month["month_start"]).strftime("%Y-%m")
        level = float(month["starting_mrr"])
        if index == 0:
            rows.append(_bar(order, f"{label} start", "starting MRR", 0.0, level, level))
            order += 1
        for movement in MOVEMENT_ORDER:
            change = float(month[movement])
            if change == 0:
                continue
            rows.append(_bar(order, f"{label} {movement}", movement, level, level + change, change))
            level += change
            order += 1
        ending = float(month["ending_mrr"])
        rows.append(_bar(order, f"{label} end", "ending MRR", 0.0, ending, ending))
        order += 1
    return pd.DataFrame(rows)


def _bar(
    order: int, step: str, kind: str, bottom: float, top: float, amount: float
) -> dict[str, Any]:
    return {
        "order": order,
        "step": step,
        "kind": kind,
        "bottom": bottom,
        "top": top,
        "amount": amount,
    }


def mrr_chart(data: WarehouseData) -> alt.TopLevelMixin:
    monthly = data.marts["fct_mrr_monthly"]
    title = _title(
        "MRR waterfall: each month's movements from starting to ending MRR",
        _subtitle(data.settings, _date_range(monthly["month_start"], monthly=True), money=True),
    )
    if monthly.empty:
        return _no_data(title)
    bars = mrr_waterfall_rows(monthly)
    kinds = ["starting MRR", *MOVEMENT_ORDER, "ending MRR"]
    colors = ["#9d9d9d", "#54a24b", "#88d27a", "#4c78a8", "#f58518", "#e45756", "#3b3b3b"]
    return _top(
        alt.Chart(bars, title=title)
        .mark_bar()
        .encode(
            x=alt.X(
                "step:N",
                title="Month and movement",
                sort=alt.EncodingSortField("order"),
                axis=alt.Axis(labelAngle=-40),
            ),
            y=alt.Y("bottom:Q", title=f"MRR ({data.settings.currency})"),
            y2="top:Q",
            color=alt.Color("kind:N", title="Bar", scale=alt.Scale(domain=kinds, range=colors)),
            tooltip=[
                alt.Tooltip("step:N", title="Step"),
                alt.Tooltip("amount:Q", title="Amount", format=",.2f"),
                alt.Tooltip("top:Q", title="MRR after", format=",.2f"),
            ],
        )
        .properties(width=CHART_WIDTH, height=300)
    )


def revenue_chart(data: WarehouseData) -> alt.TopLevelMixin:
    revenue = data.marts["fct_revenue_daily"]
    title = _title(
        "Revenue per day: gross revenue, refunds (below zero) and net revenue (line)",
        _subtitle(data.settings, _date_range(revenue["revenue_date"]), money=True),
    )
    if revenue.empty:
        return _no_data(title)
    revenue = _dates_as_text(revenue, "revenue_date")
    revenue["negative_refunds"] = -revenue["refunds"]
    bars_data = revenue.melt(
        id_vars=["revenue_date"],
        value_vars=["gross_revenue", "negative_refunds"],
        var_name="part",
    )
    bars_data["part"] = bars_data["part"].map(
        {"gross_revenue": "gross revenue", "negative_refunds": "refunds"}
    )
    money_axis = f"Amount ({data.settings.currency})"
    bars = (
        alt.Chart(bars_data)
        .mark_bar(opacity=0.8, width={"band": 0.8})
        .encode(
            x=alt.X("yearmonthdate(revenue_date):T", title="Local day"),
            y=alt.Y("value:Q", title=money_axis),
            color=alt.Color(
                "part:N",
                title="Amount",
                scale=alt.Scale(domain=["gross revenue", "refunds"], range=["#4c78a8", "#e45756"]),
            ),
            tooltip=[
                alt.Tooltip("revenue_date:T", title="Day"),
                alt.Tooltip("part:N", title="Amount"),
                alt.Tooltip("value:Q", title=data.settings.currency, format=",.2f"),
            ],
        )
    )
    net = (
        alt.Chart(revenue)
        .mark_line(color="#222", point=True)
        .encode(
            x=alt.X("yearmonthdate(revenue_date):T", title="Local day", bandPosition=0.5),
            y=alt.Y("net_revenue:Q", title=money_axis),
            tooltip=[
                alt.Tooltip("revenue_date:T", title="Day"),
                alt.Tooltip("net_revenue:Q", title="Net revenue", format=",.2f"),
                alt.Tooltip("orders:Q", title="Orders"),
            ],
        )
    )
    return _top(alt.layer(bars, net, title=title).properties(width=CHART_WIDTH, height=300))


def rejects_chart(data: WarehouseData) -> alt.TopLevelMixin:
    reconciliation = data.marts["fct_ingestion_reconciliation"]
    daily = data.marts["fct_ingestion_daily"]
    values = dict(zip(reconciliation["metric"], reconciliation["value"], strict=True))
    reasons = pd.DataFrame(
        [
            {"reason": metric.removeprefix("rejected_"), "lines": int(count)}
            for metric, count in values.items()
            if metric.startswith("rejected_")
        ]
    )
    title = _title(
        f"Rejected lines by reason ({int(values.get('rejected', 0)):,} of "
        f"{int(values.get('raw_lines', 0)):,} raw lines)",
        _subtitle(
            data.settings,
            "every landed line, UTC event days " + _date_range(daily["event_date"]),
        ),
    )
    if reasons.empty:
        return _no_data(title)
    return _top(
        alt.Chart(reasons, title=title)
        .mark_bar(color="#e45756")
        .encode(
            y=alt.Y("reason:N", title="Reject reason", sort="-x"),
            x=alt.X("lines:Q", title="Rejected lines", axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=[
                alt.Tooltip("reason:N", title="Reason"),
                alt.Tooltip("lines:Q", title="Lines", format=","),
            ],
        )
        .properties(width=CHART_WIDTH, height=30 * len(reasons) + 20)
    )


def ingestion_chart(data: WarehouseData) -> alt.TopLevelMixin:
    daily = data.marts["fct_ingestion_daily"]
    title = _title(
        "Ingestion quality per day: duplicate lines, late arrivals (> 1 hour) and rejects",
        _subtitle(data.settings, "UTC event days " + _date_range(daily["event_date"])),
    )
    if daily.empty:
        return _no_data(title)
    active_days = data.marts["fct_active_users_daily"]["activity_date"]
    outside = 0
    if not active_days.empty:
        first, last = pd.to_datetime(active_days).min(), pd.to_datetime(active_days).max()
        event_days = pd.to_datetime(daily["event_date"])
        inside = (event_days >= first) & (event_days <= last)
        outside = int(daily.loc[~inside, "lines"].sum())
        daily = daily[inside]
        title = _title(
            "Ingestion quality per day: duplicate lines, late arrivals (> 1 hour) and rejects",
            _subtitle(
                data.settings,
                "UTC event days "
                + _date_range(daily["event_date"])
                + f" (the active days; {outside:,} lines dated outside them not shown)",
            ),
        )
    daily = _dates_as_text(daily, "event_date")
    long = daily.melt(
        id_vars=["event_date"],
        value_vars=["duplicate_lines", "late_arrivals", "rejected_lines"],
        var_name="measure",
    )
    long["measure"] = long["measure"].str.replace("_", " ")
    return _top(
        alt.Chart(long, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("event_date:T", title="Event day (UTC)"),
            y=alt.Y("value:Q", title="Lines", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("measure:N", title="Lines"),
            tooltip=[
                alt.Tooltip("event_date:T", title="Day"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("value:Q", title="Lines", format=","),
            ],
        )
        .properties(width=CHART_WIDTH, height=260)
    )


def chart_specs(data: WarehouseData) -> list[ChartSpec]:
    charts = [
        (
            "funnels",
            "Funnels",
            "Bars: persons whose furthest step over all time reaches the step (SPEC §7).",
            funnel_chart(data),
        ),
        (
            "retention",
            "Cohort retention",
            "Each row is a weekly cohort; faded cells are periods not yet complete.",
            retention_chart(data),
        ),
        (
            "active-users",
            "Active users and stickiness",
            "WAU and MAU count distinct persons over the 7 and 30 days ending on the day.",
            active_users_chart(data),
        ),
        (
            "lifecycle",
            "Lifecycle",
            "Per week: new, returning, resurrecting; dormant persons were active the week "
            "before only.",
            lifecycle_chart(data),
        ),
        (
            "mrr",
            "MRR waterfall",
            "Start + new + expansion + reactivation + contraction + churn = end, per month.",
            mrr_chart(data),
        ),
        (
            "revenue",
            "Revenue per day",
            "Orders count on their order day, refunds on their own day.",
            revenue_chart(data),
        ),
        (
            "rejects",
            "Rejected lines",
            "Every rejected raw line, by its first failing rule (SPEC §3).",
            rejects_chart(data),
        ),
        (
            "ingestion",
            "Ingestion quality",
            "Duplicates repeat an event_id already kept; late arrivals were received more "
            "than an hour after they occurred.",
            ingestion_chart(data),
        ),
    ]
    return [
        ChartSpec(chart_id, heading, reading, chart.to_dict())
        for chart_id, heading, reading, chart in charts
    ]


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, default=str).replace("</", "<\\/")


def _javascript_bundle() -> str:
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    bundle = vl_convert.javascript_bundle(None, vl_version=vl_version_for_vl_convert())  # type: ignore[arg-type]
    return str(bundle).replace("</script", "<\\/script")


def render_html(
    charts: Sequence[ChartSpec], settings: ReportSettings, database: Path, generated_at: datetime
) -> str:
    sections = "\n".join(
        f'<section class="card"><h2>{html.escape(chart.heading)}</h2>'
        f'<p class="reading">{html.escape(chart.reading)}</p>'
        f'<div class="chart" id="chart-{chart.chart_id}" data-chart="{chart.chart_id}"></div>'
        "</section>"
        for chart in charts
    )
    specs = {chart.chart_id: chart.spec for chart in charts}
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Product analytics report</title>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
         background: #f4f5f7; color: #222; }}
  header {{ background: #1f2937; color: #fff; padding: 20px 32px; }}
  header h1 {{ margin: 0 0 6px; font-size: 24px; }}
  header p {{ margin: 0; color: #cbd5e1; font-size: 14px; }}
  main {{ padding: 16px 32px 40px; display: grid; gap: 16px; }}
  .card {{ background: #fff; border-radius: 8px; padding: 16px 20px;
          box-shadow: 0 1px 3px rgba(0, 0, 0, 0.08); }}
  .card h2 {{ margin: 0 0 4px; font-size: 18px; }}
  .reading {{ margin: 0 0 8px; color: #555; font-size: 13px; }}
  .chart-error {{ color: #b91c1c; font-weight: 600; }}
</style>
<script>
{_javascript_bundle()}
</script>
</head>
<body>
<header>
  <h1>Product analytics report</h1>
  <p>Warehouse {html.escape(database.name)} · reporting timezone {html.escape(settings.timezone)}
  · currency {html.escape(settings.currency)} · generated {generated_at:%Y-%m-%d %H:%M} UTC</p>
</header>
<main>
{sections}
</main>
<script>
  const specs = {_script_json(specs)};
  window.chartsRendered = 0;
  window.chartErrors = [];
  const renders = Object.entries(specs).map(([id, spec]) =>
    vegaEmbed("#chart-" + id, spec, {{renderer: "svg", actions: false}})
      .then(() => {{ window.chartsRendered += 1; }})
      .catch((error) => {{
        window.chartErrors.push(id + ": " + error);
        console.error(error);
        document.getElementById("chart-" + id).innerHTML =
          '<p class="chart-error">This chart could not be drawn: ' + error + "</p>";
      }}));
  window.chartsDone = Promise.allSettled(renders);
</script>
</body>
</html>
"""


def write_report(database: Path, out: Path) -> Path:
    data = read_warehouse(database)
    charts = chart_specs(data)
    page = render_html(charts, data.settings, database, datetime.now(UTC))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def screenshot(page: Path, out: Path, chromium: Path = CHROMIUM, width: int = 1100) -> Path:
    """A full-page PNG of the report in headless Chromium (Playwright), once every chart drew."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        try:
            tab = browser.new_page(viewport={"width": width, "height": 900})
            tab.goto(page.resolve().as_uri())
            tab.wait_for_function("window.chartsDone !== undefined", timeout=30_000)
            tab.evaluate("window.chartsDone")
            out.parent.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(out), full_page=True)
        finally:
            browser.close()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write the static HTML report of the warehouse")
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("DUCKDB_PATH", "warehouse.duckdb")),
        help="the warehouse file (default: $DUCKDB_PATH, else warehouse.duckdb)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--screenshot", type=Path, help="also save a PNG of the page (needs headless Chromium)"
    )
    args = parser.parse_args(argv)
    try:
        out = write_report(args.database, args.out)
    except FileNotFoundError as error:
        print(f"report: {error}", file=sys.stderr)
        return 1
    if args.screenshot is not None:
        print(f"screenshot: {screenshot(out, args.screenshot).resolve()}")
    print(f"report: {out.resolve()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
