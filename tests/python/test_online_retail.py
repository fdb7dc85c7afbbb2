"""Tests of the Online Retail conversion (product_analytics_tools.online_retail).

Two parts:

1. The conversion rules on a tiny hand-made CSV: invoice grouping, refunds, guests,
   zero-value invoices, Europe/London time, rounding, determinism.
2. The real data in ../shared/data/online_retail (skipped, never passed, when it is
   absent): the README's figures reproduced from the written events, then the marts
   built on them checked against figures computed here, directly from the CSV, by an
   independent reading (`_Truth`), never against dbt's own output.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest

from product_analytics_tools.online_retail import (
    ConversionReport,
    build,
    convert,
    customer_id_text,
    headline,
    main,
    shop_time_to_utc,
)

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
LONDON = ZoneInfo("Europe/London")


def read_events(out: Path) -> list[dict[str, Any]]:
    """Every event under `out`, amounts as exact decimals."""
    events: list[dict[str, Any]] = []
    for path in sorted(out.rglob("*.ndjson.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            events.extend(json.loads(line, parse_float=Decimal) for line in handle)
    return events


def by_message_id(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {event["messageId"]: event for event in events}


# --------------------------------------------------------------------------- unit tests

TINY = HEADER + "".join(
    [
        # two lines of one invoice, with another invoice between them
        "536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n",
        "555000,22138,BAKING SET,3,2011-06-01 10:00:00,4.95,12680.0,France\n",
        "536365,71053,LANTERN,6,2010-12-01 08:27:00,3.39,17850.0,United Kingdom\n",
        # a cancellation of the customer of 555000
        "C555001,22138,BAKING SET,-1,2011-06-02 11:00:00,4.95,12680.0,France\n",
        "C555001,22139,CUTLERY,-2,2011-06-02 11:00:00,1.25,12680.0,France\n",
        # guest order; guest stock correction of value 0; customer free goods of value 0
        "560000,21000,MUG,2,2011-07-15 12:30:00,1.25,,United Kingdom\n",
        "560001,21001,damaged,-5,2011-07-15 12:31:00,0.0,,United Kingdom\n",
        "560002,21002,FREE,10,2011-07-16 09:00:00,0.0,13256.0,United Kingdom\n",
        # negative adjustment invoice, no customer
        "A563186,B,Adjust bad debt,1,2011-08-12 14:51:00,-11062.06,,United Kingdom\n",
        # three-decimal price: 3 x 0.005 = 0.015 rounds half-up to 0.02
        "536366,X,PAPER,3,2010-12-01 08:28:00,0.005,17850.0,United Kingdom\n",
        # late October (still BST) and early November (GMT)
        "573000,Y,LIGHTS,1,2011-10-28 23:30:00,10.00,17850.0,United Kingdom\n",
        "575000,Y,LIGHTS,1,2011-11-01 00:30:00,10.00,17850.0,United Kingdom\n",
    ]
)


@pytest.fixture()
def tiny(tmp_path: Path) -> tuple[ConversionReport, list[dict[str, Any]], Path]:
    source = tmp_path / "tiny.csv.gz"
    with gzip.open(source, "wt", encoding="utf-8", newline="") as handle:
        handle.write(TINY)
    out = tmp_path / "events"
    report = convert(source, out)
    return report, read_events(out), out


def test_invoice_lines_group_into_one_order(tiny: tuple[ConversionReport, Any, Path]) -> None:
    _, events, _ = tiny
    order = by_message_id(events)["retail-536365"]
    assert order["type"] == "track"
    assert order["event"] == "order_completed"
    assert order["userId"] == "17850"
    assert "anonymousId" not in order
    assert order["properties"] == {
        "order_id": "536365",
        "revenue": Decimal("35.64"),  # 6 x 2.55 + 6 x 3.39
        "currency": "GBP",
        "country": "United Kingdom",
        "lines": 2,
        "quantity": 12,
    }
    # the earliest line's time (the second line is a minute later); December is GMT
    assert order["timestamp"] == "2010-12-01T08:26:00Z"
    assert order["receivedAt"] == order["timestamp"]


def test_c_invoice_is_a_refund_of_its_own_number(
    tiny: tuple[ConversionReport, Any, Path],
) -> None:
    _, events, _ = tiny
    refund = by_message_id(events)["retail-C555001"]
    assert refund["event"] == "order_refunded"
    assert refund["userId"] == "12680"
    assert refund["properties"]["order_id"] == "C555001"
    assert refund["properties"]["amount"] == Decimal("7.45")  # abs(-4.95 - 2 x 1.25)
    assert "revenue" not in refund["properties"]
    assert refund["properties"]["currency"] == "GBP"
    assert refund["timestamp"] == "2011-06-02T10:00:00Z"  # BST


def test_negative_adjustment_invoice_is_a_refund(
    tiny: tuple[ConversionReport, Any, Path],
) -> None:
    report, events, _ = tiny
    adjustment = by_message_id(events)["retail-A563186"]
    assert adjustment["event"] == "order_refunded"
    assert adjustment["anonymousId"] == "guest-A563186"
    assert adjustment["properties"]["amount"] == Decimal("11062.06")
    assert (report.refunds, report.cancellations, report.adjustment_refunds) == (2, 1, 1)


def test_guest_rule(tiny: tuple[ConversionReport, Any, Path]) -> None:
    report, events, _ = tiny
    found = by_message_id(events)
    guest = found["retail-560000"]
    assert guest["anonymousId"] == "guest-560000"
    assert "userId" not in guest
    assert guest["properties"]["revenue"] == Decimal("2.5")
    # a guest invoice of value 0 is a stock correction: no event, but counted
    assert "retail-560001" not in found
    assert report.skipped_guest_zero_invoices == 1
    assert report.skipped_lines == 1
    # a customer's invoice of value 0 stays an order of 0
    free = found["retail-560002"]
    assert free["event"] == "order_completed"
    assert free["properties"]["revenue"] == Decimal("0")
    assert report.zero_value_orders == 1


def test_timestamps_are_london_local_time_in_utc(
    tiny: tuple[ConversionReport, Any, Path],
) -> None:
    _, events, _ = tiny
    found = by_message_id(events)
    assert found["retail-555000"]["timestamp"] == "2011-06-01T09:00:00Z"  # BST = UTC+1
    assert found["retail-573000"]["timestamp"] == "2011-10-28T22:30:00Z"  # still BST
    assert found["retail-575000"]["timestamp"] == "2011-11-01T00:30:00Z"  # GMT
    # DST edges: the spring gap and the autumn overlap take the offset before the change
    assert shop_time_to_utc(datetime(2011, 3, 27, 1, 30)) == datetime(
        2011, 3, 27, 1, 30, tzinfo=UTC
    )
    assert shop_time_to_utc(datetime(2011, 10, 30, 1, 30)) == datetime(
        2011, 10, 30, 0, 30, tzinfo=UTC
    )


def test_rounding_and_customer_ids(tiny: tuple[ConversionReport, Any, Path]) -> None:
    _, events, _ = tiny
    assert by_message_id(events)["retail-536366"]["properties"]["revenue"] == Decimal("0.02")
    assert customer_id_text("17850.0") == "17850"
    assert customer_id_text(" 12346 ") == "12346"
    assert customer_id_text("") is None


def test_identify_per_customer_at_first_invoice(
    tiny: tuple[ConversionReport, Any, Path],
) -> None:
    report, events, _ = tiny
    identifies = {e["userId"]: e for e in events if e["type"] == "identify"}
    assert set(identifies) == {"17850", "12680", "13256"}
    assert report.identifies == 3
    assert identifies["17850"]["timestamp"] == "2010-12-01T08:26:00Z"
    assert identifies["12680"]["traits"] == {"country": "France"}
    assert identifies["12680"]["messageId"] == "retail-customer-12680"


def test_report_and_partitions(tiny: tuple[ConversionReport, Any, Path]) -> None:
    report, events, out = tiny
    assert report.lines_read == 12
    assert report.invoices == 10
    assert report.customers == 3
    assert report.countries == 2
    assert report.cancellation_lines == 2
    assert report.guest_lines == 3
    assert report.invoices_spanning_minutes == 1
    assert report.orders == 7
    assert report.events_written == len(events) == 7 + 2 + 3
    # every line's value lands in an event: orders - refunds = the file's gross value
    assert report.net_revenue == report.gross_value.quantize(Decimal("0.01"))
    assert sorted(p.relative_to(out).as_posix() for p in report.files) == [
        "dt=2010-12/part-0.ndjson.gz",
        "dt=2011-06/part-0.ndjson.gz",
        "dt=2011-07/part-0.ndjson.gz",
        "dt=2011-08/part-0.ndjson.gz",
        "dt=2011-10/part-0.ndjson.gz",
        "dt=2011-11/part-0.ndjson.gz",
    ]
    for path in report.files:  # sorted by (timestamp, messageId) inside each file
        keys = [(e["timestamp"], e["messageId"]) for e in read_events(path.parent)]
        assert keys == sorted(keys)


def test_conversion_is_deterministic_and_replaces_old_files(tmp_path: Path) -> None:
    source = tmp_path / "tiny.csv"
    source.write_text(TINY, encoding="utf-8")
    first, second = tmp_path / "first", tmp_path / "second"
    stale = second / "dt=1999-01" / "part-0.ndjson.gz"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    convert(source, first)
    convert(source, second)
    convert(source, second)  # again, over its own output

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.gz")}

    assert files(first) == files(second)


def test_cli_converts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "tiny.csv"
    source.write_text(TINY, encoding="utf-8")
    assert main(["--source", str(source), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "lines read" in printed and "12" in printed
    assert len(read_events(tmp_path / "out")) == 12


def test_missing_columns_are_an_error(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("InvoiceNo,Quantity\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns"):
        convert(source, tmp_path / "out")


# --------------------------------------------------------------------------- real data

REAL_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "online_retail"
REAL_CSV = REAL_DIR / "online_retail.csv.gz"
needs_real_data = pytest.mark.skipif(
    not REAL_CSV.is_file(),
    reason=f"real Online Retail data not found at {REAL_CSV} (it stays outside the repo)",
)

# The figures of ../shared/data/online_retail/README.md.
README_LINES = 541_909
README_INVOICES = 25_900
README_CUSTOMERS = 4_372
README_COUNTRIES = 38
README_GROSS = Decimal("9747747.93")
README_CANCELLATION_LINES = 9_288
README_GUEST_LINES = 135_080
# What the module's docstring says its rules 5 and 6 do to this file.
DOCUMENTED_SKIPPED_GUEST_ZERO_INVOICES = 2_098
DOCUMENTED_ADJUSTMENT_REFUNDS = 2

CENT = Decimal("0.01")


@dataclass
class _Truth:
    """Figures read directly from the CSV, independently of the module's code."""

    value: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    lines: Counter[str] = field(default_factory=Counter)
    customer: dict[str, str | None] = field(default_factory=dict)
    country: dict[str, str] = field(default_factory=dict)
    first_time: dict[str, str] = field(default_factory=dict)
    line_count: int = 0
    gross: Decimal = Decimal(0)
    cancellation_lines: int = 0
    guest_lines: int = 0

    def rounded(self, invoice: str) -> Decimal:
        return self.value[invoice].quantize(CENT, rounding=ROUND_HALF_UP)

    def kind(self, invoice: str) -> str:
        """The documented rules 4 to 7: refund, skip or order."""
        if invoice[0] == "C" or self.rounded(invoice) < 0:
            return "refund"
        if self.rounded(invoice) == 0 and self.customer[invoice] is None:
            return "skip"
        return "order"

    def invoices_of(self, kind: str) -> list[str]:
        return [invoice for invoice in self.value if self.kind(invoice) == kind]

    def month(self, invoice: str) -> str:
        return self.first_time[invoice][:7]  # local shop time = the reporting timezone

    def person(self, invoice: str) -> str:
        customer = self.customer[invoice]
        return f"user:{customer}" if customer is not None else f"guest:{invoice}"


def _read_truth(path: Path) -> _Truth:
    truth = _Truth()
    with gzip.open(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        rows = csv.reader(text)
        columns = {name: i for i, name in enumerate(next(rows))}
        for row in rows:
            invoice = row[columns["InvoiceNo"]]
            amount = Decimal(row[columns["Quantity"]]) * Decimal(row[columns["UnitPrice"]])
            raw_customer = row[columns["CustomerID"]]
            customer = str(int(Decimal(raw_customer))) if raw_customer else None
            when = row[columns["InvoiceDate"]]
            truth.line_count += 1
            truth.gross += amount
            truth.value[invoice] += amount
            truth.lines[invoice] += 1
            truth.customer.setdefault(invoice, customer)
            truth.country.setdefault(invoice, row[columns["Country"]])
            truth.first_time[invoice] = min(truth.first_time.get(invoice, when), when)
            truth.cancellation_lines += invoice.startswith("C")
            truth.guest_lines += customer is None
    return truth


@pytest.fixture(scope="module")
def truth() -> _Truth:
    return _read_truth(REAL_CSV)


@pytest.fixture(scope="module")
def converted(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[ConversionReport, list[dict[str, Any]], Path]:
    out = tmp_path_factory.mktemp("online_retail") / "events"
    report = convert(REAL_CSV, out)
    return report, read_events(out), out


@pytest.fixture(scope="module")
def warehouse_path(
    converted: tuple[ConversionReport, list[dict[str, Any]], Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The marts built once on the real events (the documented --build path)."""
    _, _, out = converted
    database = tmp_path_factory.mktemp("online_retail_db") / "online_retail.duckdb"
    build(out, database)
    return database


@pytest.fixture(scope="module")
def warehouse(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        yield connection


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return connection.execute(sql).fetchall()


@needs_real_data
def test_readme_figures_from_the_source(converted: Any, truth: _Truth) -> None:
    report: ConversionReport = converted[0]
    assert report.lines_read == truth.line_count == README_LINES
    assert report.invoices == len(truth.value) == README_INVOICES
    assert report.customers == README_CUSTOMERS
    assert report.countries == README_COUNTRIES
    assert report.gross_value.quantize(CENT) == truth.gross.quantize(CENT) == README_GROSS
    assert report.cancellation_lines == truth.cancellation_lines == README_CANCELLATION_LINES
    assert report.guest_lines == truth.guest_lines == README_GUEST_LINES


@needs_real_data
def test_readme_figures_from_the_events(converted: Any, truth: _Truth) -> None:
    _, events, _ = converted
    tracks = [e for e in events if e["type"] == "track"]
    skipped = truth.invoices_of("skip")
    skipped_lines = sum(truth.lines[i] for i in skipped)
    assert len(skipped) == DOCUMENTED_SKIPPED_GUEST_ZERO_INVOICES
    assert all(truth.customer[i] is None for i in skipped)

    order_ids = [e["properties"]["order_id"] for e in tracks]
    assert len(set(order_ids)) == len(order_ids)
    assert len(tracks) + len(skipped) == README_INVOICES, (
        "invoices: one event per invoice, except guest invoices of value 0 (rule 6)"
    )
    assert set(order_ids) | set(skipped) == set(truth.value)

    line_total = sum(e["properties"]["lines"] for e in tracks)
    assert line_total + skipped_lines == README_LINES, (
        "lines: every line is in its invoice's event or in a skipped invoice (rule 6)"
    )

    assert len({e["userId"] for e in events if "userId" in e}) == README_CUSTOMERS
    assert len({e["userId"] for e in events if e["type"] == "identify"}) == README_CUSTOMERS
    assert len({e["properties"]["country"] for e in tracks}) == README_COUNTRIES

    revenue = sum(e["properties"]["revenue"] for e in tracks if e["event"] == "order_completed")
    refunded = sum(e["properties"]["amount"] for e in tracks if e["event"] == "order_refunded")
    assert revenue - refunded == README_GROSS, (
        "gross value = orders - refunds: every invoice's value, rounded to the cent, is in one"
        " event; skipped invoices are worth 0 (rule 6)"
    )

    cancellation_lines = sum(
        e["properties"]["lines"] for e in tracks if e["properties"]["order_id"].startswith("C")
    )
    assert cancellation_lines == README_CANCELLATION_LINES
    assert all(
        e["event"] == "order_refunded" for e in tracks if e["properties"]["order_id"][0] == "C"
    )
    adjustments = [
        e
        for e in tracks
        if e["event"] == "order_refunded" and not e["properties"]["order_id"].startswith("C")
    ]
    assert len(adjustments) == DOCUMENTED_ADJUSTMENT_REFUNDS, "negative non-C invoices (rule 5)"

    guest_lines = sum(e["properties"]["lines"] for e in tracks if "anonymousId" in e)
    assert guest_lines + skipped_lines == README_GUEST_LINES, (
        "guest lines: in guest events (anonymousId guest-<InvoiceNo>, rule 3) or in skipped"
        " guest invoices of value 0 (rule 6)"
    )


@needs_real_data
def test_event_times_are_the_invoice_times_in_london(converted: Any, truth: _Truth) -> None:
    _, events, _ = converted
    for event in events:
        if event["type"] != "track":
            continue
        instant = datetime.strptime(event["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        local = instant.astimezone(LONDON).strftime("%Y-%m-%d %H:%M:%S")
        assert local == truth.first_time[event["properties"]["order_id"]], event


@needs_real_data
def test_every_event_is_accepted(converted: Any, warehouse: duckdb.DuckDBPyConnection) -> None:
    report: ConversionReport = converted[0]
    metrics = dict(_rows(warehouse, "select metric, value from fct_ingestion_reconciliation"))
    assert metrics["raw_lines"] == metrics["accepted"] == report.events_written
    assert metrics["rejected"] == metrics["duplicates"] == 0


@needs_real_data
def test_orders_and_revenue(truth: _Truth, warehouse: duckdb.DuckDBPyConnection) -> None:
    orders = truth.invoices_of("order")
    refunds = truth.invoices_of("refund")
    expected_revenue = sum(truth.rounded(i) for i in orders)
    expected_refunds = -sum(truth.rounded(i) for i in refunds)
    non_c = [i for i in truth.value if not i.startswith("C")]
    assert len(orders) == len(non_c) - DOCUMENTED_SKIPPED_GUEST_ZERO_INVOICES - (
        DOCUMENTED_ADJUSTMENT_REFUNDS
    ), "orders: non-C invoices except guest ones of value 0 (rule 6) and negative ones (rule 5)"

    fct_orders = dict(_rows(warehouse, "select order_id, amount from fct_orders"))
    assert set(fct_orders) == set(orders)
    assert all(Decimal(str(fct_orders[i])) == truth.rounded(i) for i in orders)

    gross, refunded, net, order_count = _rows(
        warehouse,
        "select sum(gross_revenue), sum(refunds), sum(net_revenue), sum(orders)"
        " from fct_revenue_daily",
    )[0]
    assert order_count == len(orders)
    assert gross == pytest.approx(float(expected_revenue), rel=1e-9, abs=0.005)
    assert refunded == pytest.approx(float(expected_refunds), rel=1e-9, abs=0.005)
    assert net == pytest.approx(float(README_GROSS), abs=0.005), "net revenue = README gross"

    # per local day (reporting_timezone Europe/London = the shop's own dates)
    daily: dict[str, Decimal] = defaultdict(Decimal)
    for invoice in orders:
        daily[truth.first_time[invoice][:10]] += truth.rounded(invoice)
    for revenue_date, gross_revenue in _rows(
        warehouse, "select revenue_date, gross_revenue from fct_revenue_daily"
    ):
        assert gross_revenue == pytest.approx(
            float(daily.get(f"{revenue_date:%Y-%m-%d}", 0)), abs=0.005
        ), revenue_date


@needs_real_data
def test_persons(truth: _Truth, warehouse: duckdb.DuckDBPyConnection) -> None:
    identified, anonymous = _rows(
        warehouse,
        "select count(*) filter (where is_identified), count(*) filter (where not is_identified)"
        " from dim_persons",
    )[0]
    assert identified == README_CUSTOMERS
    guests = [i for i in truth.value if truth.customer[i] is None and truth.kind(i) != "skip"]
    assert anonymous == len(guests), "one anonymous person per guest invoice with an event"


def _active_months(truth: _Truth) -> dict[str, set[str]]:
    """Local months with an invoice event (orders and refunds are activity), per person."""
    months: dict[str, set[str]] = defaultdict(set)
    for invoice in truth.value:
        if truth.kind(invoice) != "skip":
            months[truth.person(invoice)].add(truth.month(invoice))
    return months


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7])


@needs_real_data
def test_monthly_retention_of_customers(
    truth: _Truth, warehouse: duckdb.DuckDBPyConnection
) -> None:
    active = {p: m for p, m in _active_months(truth).items() if p.startswith("user:")}
    last = max(_month_index(m) for months in _active_months(truth).values() for m in months)
    expected: dict[tuple[str, int], tuple[int, int, int]] = {}
    cohorts: dict[str, list[set[int]]] = defaultdict(list)
    for months in active.values():  # cohort: the first identify = the first invoice (rule 8)
        indexes = {_month_index(m) for m in months}
        cohorts[min(months)].append(indexes)
    for cohort, members in cohorts.items():
        start = _month_index(cohort)
        for n in range(last - start + 1):
            retained = sum(start + n in member for member in members)
            unbounded = sum(max(member) >= start + n for member in members)
            expected[(cohort, n)] = (len(members), retained, unbounded)

    rows = _rows(
        warehouse,
        "select cohort_start, period_number, cohort_size, retained_persons,"
        " unbounded_retained_persons, retention_rate from fct_retention where grain = 'month'",
    )
    got = {(f"{r[0]:%Y-%m}", r[1]): (r[2], r[3], r[4]) for r in rows}
    assert got == expected
    assert sum(size for (_, n), (size, _, _) in got.items() if n == 0) == README_CUSTOMERS
    for _, period_number, _, _, _, rate in rows:
        assert 0.0 <= rate <= 1.0
        if period_number == 0:
            assert rate == 1.0


@needs_real_data
def test_ltv_cohorts(truth: _Truth, warehouse: duckdb.DuckDBPyConnection) -> None:
    active = _active_months(truth)  # every person with an activity event, guests included
    cohort_of = {person: min(months) for person, months in active.items()}
    last = max(_month_index(m) for months in active.values() for m in months)
    sizes = Counter(cohort_of.values())
    money: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for invoice in truth.value:
        if truth.kind(invoice) == "skip":
            continue
        cohort = cohort_of[truth.person(invoice)]
        money[(cohort, _month_index(truth.month(invoice)))] += truth.rounded(invoice)

    rows = _rows(
        warehouse,
        "select cohort_month, months_since, cohort_size, cumulative_net_revenue, ltv_per_person"
        " from fct_ltv_cohorts order by cohort_month, months_since",
    )
    got_sizes = {f"{r[0]:%Y-%m}": r[2] for r in rows if r[1] == 0}
    assert got_sizes == dict(sizes)
    assert sum(got_sizes.values()) == len(active), "cohorts hold every active person"
    previous: dict[date, float] = {}
    for cohort_month, months_since, size, cumulative, ltv in rows:
        cohort = f"{cohort_month:%Y-%m}"
        start = _month_index(cohort)
        assert start + months_since <= last
        expected = sum(money[(cohort, start + k)] for k in range(months_since + 1))
        assert cumulative == pytest.approx(float(expected), abs=0.005), (cohort, months_since)
        assert ltv == pytest.approx(cumulative / size)
        assert cumulative >= previous.get(cohort_month, float("-inf")) - 1e-9
        previous[cohort_month] = cumulative
    assert {f"{r[0]:%Y-%m}" for r in rows if r[1] == last - _month_index(f"{r[0]:%Y-%m}")} == set(
        sizes
    ), "every cohort runs to the last active month"


@needs_real_data
def test_headline_prints(warehouse_path: Path) -> None:
    text = "\n".join(headline(warehouse_path))
    assert "4,372" in text and "9,747,747.93" in text
    assert "2010-12" in text
