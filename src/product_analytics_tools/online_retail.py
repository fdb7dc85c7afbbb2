"""Turn the real Online Retail transactions into raw events and build the marts on them.

Usage::

    python -m product_analytics_tools.online_retail \\
        --source ../shared/data/online_retail/online_retail.csv.gz \\
        --out data/online_retail_events [--build] [--database target/online_retail.duckdb]

The source is the UCI "Online Retail" data set (Daqing Chen, 2015, CC BY 4.0): one CSV
line per invoice line (InvoiceNo, StockCode, Description, Quantity, InvoiceDate,
UnitPrice, CustomerID, Country), GBP prices, local shop time without a zone. The file
is read once, as a stream (``csv`` over ``gzip.open``); only one small record per
invoice is kept in memory. The events are Segment Spec messages (SPEC §2), written as
``<out>/dt=YYYY-MM/part-0.ndjson.gz`` (one file per local month of the shop), gzipped
without a name or time stamp in the header and sorted by (timestamp, messageId), so the
same source always gives the same bytes. Files of an earlier run under
``<out>/dt=*/`` are replaced.

Rules (the "value" of an invoice is sum(Quantity * UnitPrice) over its lines, computed
exactly in decimal and rounded half-up to 2 decimals; it is the only amount written):

1. One event per invoice (lines grouped by InvoiceNo, wherever they are in the file).
   messageId ``retail-<InvoiceNo>``; ``properties``: order_id = InvoiceNo, currency
   ``GBP``, country, lines (invoice lines), quantity (sum of Quantity).
2. Time: the earliest InvoiceDate of the invoice's lines (43 invoices span two
   minutes), read as Europe/London local time (GMT in winter, BST = UTC+1 from the last
   Sunday of March to the last Sunday of October) and written in UTC with ``Z``; e.g.
   ``2011-06-01 10:00:00`` is ``2011-06-01T09:00:00Z``. A time that does not exist
   (spring gap) or exists twice (autumn overlap) takes the offset in force before the
   change (``fold=0``); the shop has no invoice in those night hours. ``receivedAt``
   equals ``timestamp``.
3. Person: ``userId`` = CustomerID as text without the ``.0`` of the CSV (``17850``).
   Guest lines (no CustomerID) are an anonymous person per invoice, ``anonymousId`` =
   ``guest-<InvoiceNo>``: their money counts in revenue, but nothing links two guest
   invoices, so a guest is never retained and never repeats an order.
4. Invoices whose number starts with ``C`` are cancellations: one ``order_refunded``
   with ``amount`` = -value (= abs(value): every C-invoice has a negative value). The
   file never says which invoice a cancellation cancels, so order_id is the C-invoice
   number itself: the refund's order is unknown, and SPEC §8 counts it on its own local
   day, for the refund event's person, in GBP.
5. Any other invoice with a negative value is a refund too (``order_refunded``,
   ``amount`` = -value): the two "A" invoices A563186 and A563187 (bad-debt
   adjustments of -11,062.06 each). A negative order would be negative gross revenue.
6. An invoice with value 0 (only zero prices: stock corrections such as "damaged",
   "check", "found", almost all without a customer) is not a sale. A guest one is
   skipped, no event (2,098 invoices, counted in the report); one of a customer (4
   invoices of free goods) is an ``order_completed`` with revenue 0, so the customer
   (CustomerID 13256 has nothing else) still exists.
7. Every other invoice is one ``order_completed`` with ``revenue`` = value (a JSON
   number). Zero-price or negative lines inside an invoice simply add to its value.
8. One ``identify`` per customer at their first invoice (messageId
   ``retail-customer-<CustomerID>``, traits ``{"country": ...}`` of that invoice).
   Identify calls are not activity; they let ``retention_cohort_event: identify`` give
   cohorts of customers only (guests have no identify, so they are in no cohort).

With these rules every line of the file lands in exactly one event or one skipped
zero-value invoice, and orders minus refunds equal the README's gross value to the cent.

``--build`` runs ``dbt build`` (data tests, not the unit tests) of this project into a
fresh DuckDB file (``--database``, else ``$DUCKDB_PATH``, else
``target/online_retail.duckdb``) with ``--full-refresh`` and vars raw_events_path = out,
reporting_currency GBP (so GBP amounts use rate 1, SPEC §8), reporting_timezone
Europe/London and retention_cohort_event identify, then prints headline numbers.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

SHOP_TIMEZONE = ZoneInfo("Europe/London")
CURRENCY = "GBP"
ORDER_EVENT = "order_completed"
REFUND_EVENT = "order_refunded"
IDENTIFY_EVENT = "identify"
CENT = Decimal("0.01")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = Path("target") / "online_retail.duckdb"
BUILD_VARS: dict[str, Any] = {
    "reporting_currency": CURRENCY,
    "reporting_timezone": "Europe/London",
    "retention_cohort_event": IDENTIFY_EVENT,
}
REQUIRED_COLUMNS = ("InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country")


@dataclass
class _Invoice:
    """What one invoice needs of its lines."""

    invoice_no: str
    customer_id: str | None
    country: str
    first_at: datetime
    lines: int = 0
    quantity: int = 0
    value: Decimal = field(default_factory=Decimal)


@dataclass
class ConversionReport:
    """Figures of the source file and of what was written, all from one pass."""

    lines_read: int = 0
    invoices: int = 0
    customers: int = 0
    countries: int = 0
    gross_value: Decimal = field(default_factory=Decimal)
    cancellation_lines: int = 0
    guest_lines: int = 0
    orders: int = 0
    refunds: int = 0
    cancellations: int = 0
    adjustment_refunds: int = 0
    zero_value_orders: int = 0
    skipped_guest_zero_invoices: int = 0
    skipped_lines: int = 0
    identifies: int = 0
    order_revenue: Decimal = field(default_factory=Decimal)
    refund_amount: Decimal = field(default_factory=Decimal)
    invoices_spanning_minutes: int = 0
    invoices_with_mixed_customer_or_country: int = 0
    events_written: int = 0
    files: list[Path] = field(default_factory=list)

    @property
    def net_revenue(self) -> Decimal:
        return self.order_revenue - self.refund_amount

    def lines(self) -> list[str]:
        """The report as printable lines."""
        return [
            f"lines read                 {self.lines_read:>14,}",
            f"invoices                   {self.invoices:>14,}",
            f"customers                  {self.customers:>14,}",
            f"countries                  {self.countries:>14,}",
            f"gross value (GBP)          {self.gross_value.quantize(CENT):>14,}",
            f"cancellation lines         {self.cancellation_lines:>14,}",
            f"guest lines                {self.guest_lines:>14,}",
            f"order_completed events     {self.orders:>14,}"
            f"  ({self.zero_value_orders:,} of value 0)",
            f"order_refunded events      {self.refunds:>14,}"
            f"  ({self.cancellations:,} C-invoices, {self.adjustment_refunds:,} adjustments)",
            f"identify events            {self.identifies:>14,}",
            f"skipped guest invoices     {self.skipped_guest_zero_invoices:>14,}"
            f"  (value 0, {self.skipped_lines:,} lines)",
            f"order revenue (GBP)        {self.order_revenue:>14,}",
            f"refunds (GBP)              {self.refund_amount:>14,}",
            f"net revenue (GBP)          {self.net_revenue:>14,}",
            f"events written             {self.events_written:>14,}  in {len(self.files)} files",
        ]


def customer_id_text(raw: str) -> str | None:
    """CustomerID as text: ``17850.0`` becomes ``17850``; empty means a guest (None)."""
    text = raw.strip()
    if not text:
        return None
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2]
    return text


def shop_time_to_utc(local: datetime) -> datetime:
    """A naive Europe/London wall-clock time as an aware UTC time (fold=0 on DST edges)."""
    return local.replace(tzinfo=SHOP_TIMEZONE, fold=0).astimezone(UTC)


def utc_text(instant: datetime) -> str:
    """ISO 8601 in UTC with ``Z``, whole seconds: ``2011-06-01T09:00:00Z``."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: Decimal) -> float:
    """A 2-decimal amount as the float whose JSON text is that decimal (e.g. 139.12)."""
    return float(value)


def read_invoices(source: Path, report: ConversionReport) -> dict[str, _Invoice]:
    """Stream the CSV (gzip when the name ends in .gz) into one record per invoice."""
    invoices: dict[str, _Invoice] = {}
    customers: set[str] = set()
    countries: set[str] = set()
    spanning: set[str] = set()
    mixed: set[str] = set()
    opener = gzip.open if source.name.endswith(".gz") else open
    with opener(source, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{source}: missing columns {', '.join(missing)}")
        for row in reader:
            report.lines_read += 1
            invoice_no = row["InvoiceNo"].strip()
            quantity = int(row["Quantity"])
            line_value = quantity * Decimal(row["UnitPrice"])
            customer = customer_id_text(row["CustomerID"] or "")
            country = (row["Country"] or "").strip()
            at = datetime.fromisoformat(row["InvoiceDate"].strip())
            report.gross_value += line_value
            if customer is None:
                report.guest_lines += 1
            else:
                customers.add(customer)
            countries.add(country)
            if invoice_no.startswith("C"):
                report.cancellation_lines += 1
            invoice = invoices.get(invoice_no)
            if invoice is None:
                invoice = invoices[invoice_no] = _Invoice(invoice_no, customer, country, at)
            else:
                if at != invoice.first_at:
                    spanning.add(invoice_no)
                    invoice.first_at = min(invoice.first_at, at)
                if customer != invoice.customer_id or country != invoice.country:
                    mixed.add(invoice_no)
            invoice.lines += 1
            invoice.quantity += quantity
            invoice.value += line_value
    report.invoices = len(invoices)
    report.customers = len(customers)
    report.countries = len(countries)
    report.invoices_spanning_minutes = len(spanning)
    report.invoices_with_mixed_customer_or_country = len(mixed)
    return invoices


def _person(invoice: _Invoice) -> dict[str, str]:
    if invoice.customer_id is not None:
        return {"userId": invoice.customer_id}
    return {"anonymousId": f"guest-{invoice.invoice_no}"}


def invoice_event(invoice: _Invoice, report: ConversionReport) -> dict[str, Any] | None:
    """The event of one invoice under the module's rules (None: skipped)."""
    value = invoice.value.quantize(CENT, rounding=ROUND_HALF_UP)
    properties: dict[str, Any] = {"order_id": invoice.invoice_no}
    if invoice.invoice_no.startswith("C") or value < 0:
        name = REFUND_EVENT
        properties["amount"] = _number(-value)
        report.refunds += 1
        report.refund_amount += -value
        if invoice.invoice_no.startswith("C"):
            report.cancellations += 1
        else:
            report.adjustment_refunds += 1
    elif value == 0 and invoice.customer_id is None:
        report.skipped_guest_zero_invoices += 1
        report.skipped_lines += invoice.lines
        return None
    else:
        name = ORDER_EVENT
        properties["revenue"] = _number(value)
        report.orders += 1
        report.order_revenue += value
        if value == 0:
            report.zero_value_orders += 1
    properties.update(
        currency=CURRENCY, country=invoice.country, lines=invoice.lines, quantity=invoice.quantity
    )
    at = utc_text(shop_time_to_utc(invoice.first_at))
    return {
        "type": "track",
        "event": name,
        "messageId": f"retail-{invoice.invoice_no}",
        **_person(invoice),
        "timestamp": at,
        "receivedAt": at,
        "properties": properties,
    }


def identify_events(invoices: Mapping[str, _Invoice]) -> Iterator[dict[str, Any]]:
    """One identify per customer, at the start of their first invoice (any kind)."""
    first: dict[str, _Invoice] = {}
    for invoice in invoices.values():
        if invoice.customer_id is None:
            continue
        known = first.get(invoice.customer_id)
        if known is None or (invoice.first_at, invoice.invoice_no) < (
            known.first_at,
            known.invoice_no,
        ):
            first[invoice.customer_id] = invoice
    for customer_id, invoice in first.items():
        at = utc_text(shop_time_to_utc(invoice.first_at))
        yield {
            "type": "identify",
            "messageId": f"retail-customer-{customer_id}",
            "userId": customer_id,
            "timestamp": at,
            "receivedAt": at,
            "traits": {"country": invoice.country},
        }


def _partition(event: Mapping[str, Any]) -> str:
    """dt=YYYY-MM of the shop's local month of the event."""
    instant = datetime.strptime(str(event["timestamp"]), "%Y-%m-%dT%H:%M:%SZ")
    local = instant.replace(tzinfo=UTC).astimezone(SHOP_TIMEZONE)
    return f"dt={local:%Y-%m}"


def write_events(events: Sequence[Mapping[str, Any]], out: Path) -> list[Path]:
    """Write events as <out>/dt=YYYY-MM/part-0.ndjson.gz, byte-for-byte reproducibly."""
    for old in sorted(out.glob("dt=*/part-*.ndjson.gz")):
        old.unlink()
    by_partition: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for event in events:
        by_partition[_partition(event)].append(event)
    written: list[Path] = []
    for partition in sorted(by_partition):
        rows = sorted(
            by_partition[partition], key=lambda e: (str(e["timestamp"]), str(e["messageId"]))
        )
        text = "".join(
            json.dumps(row, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
            for row in rows
        )
        path = out / partition / "part-0.ndjson.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as compressed:
            compressed.write(text.encode("utf-8"))
        path.write_bytes(buffer.getvalue())
        written.append(path)
    return written


def convert(source: Path, out: Path) -> ConversionReport:
    """Read the Online Retail CSV and write its events under `out`."""
    report = ConversionReport()
    invoices = read_invoices(source, report)
    events: list[dict[str, Any]] = []
    for invoice in invoices.values():
        event = invoice_event(invoice, report)
        if event is not None:
            events.append(event)
    identifies = list(identify_events(invoices))
    report.identifies = len(identifies)
    events.extend(identifies)
    report.files = write_events(events, out)
    report.events_written = len(events)
    return report


def build_vars(events_dir: Path) -> dict[str, Any]:
    """The dbt vars of an Online Retail build."""
    return {"raw_events_path": str(events_dir.resolve()), **BUILD_VARS}


def build(
    events_dir: Path, database: Path, project_dir: Path = PROJECT_ROOT, dbt: Path | None = None
) -> str:
    """`dbt build --full-refresh` of the project on `events_dir` into `database`.

    Unit tests are left out (they run on the project's own fixtures in `make dbt-test`).
    Raises RuntimeError with dbt's output when the build fails; returns its output.
    """
    executable = dbt or Path(sys.executable).parent / "dbt"
    database.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="online_retail_dbt_") as scratch:
        command = [
            str(executable),
            "build",
            "--full-refresh",
            "--exclude",
            "test_type:unit",
            "--profiles-dir",
            str(project_dir),
            "--project-dir",
            str(project_dir),
            "--target-path",
            str(Path(scratch) / "target"),
            "--log-path",
            str(Path(scratch) / "logs"),
            "--vars",
            json.dumps(build_vars(events_dir)),
        ]
        environment = dict(
            os.environ,
            DUCKDB_PATH=str(database.resolve()),
            DO_NOT_TRACK="1",
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        )
        completed = subprocess.run(
            command,
            cwd=project_dir,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(
            f"dbt build failed ({completed.returncode}):\n"
            + completed.stdout[-20000:]
            + completed.stderr[-5000:]
        )
    return completed.stdout


def headline(database: Path, cohorts: int = 3, months: int = 3) -> list[str]:
    """Headline numbers of a built Online Retail warehouse."""
    import duckdb

    def scalar(connection: duckdb.DuckDBPyConnection, sql: str) -> Any:
        row = connection.execute(sql).fetchone()
        return row[0] if row else None

    with duckdb.connect(str(database), read_only=True) as connection:
        orders = scalar(connection, "select count(*) from fct_orders")
        customers = scalar(connection, "select count(*) from dim_persons where is_identified")
        guests = scalar(connection, "select count(*) from dim_persons where not is_identified")
        gross, refunds, net = connection.execute(
            "select sum(gross_revenue), sum(refunds), sum(net_revenue) from fct_revenue_daily"
        ).fetchone() or (None, None, None)
        refund_count = scalar(connection, "select count(*) from int_refunds")
        lines = [
            f"orders                     {orders:>14,}",
            f"refunds                    {refund_count:>14,}",
            f"customers (identified)     {customers:>14,}",
            f"guest persons              {guests:>14,}",
            f"gross revenue (GBP)        {gross:>14,.2f}",
            f"refunds (GBP)              {refunds:>14,.2f}",
            f"net revenue (GBP)          {net:>14,.2f}",
            f"monthly retention of customers, months 1-{months} (first {cohorts} cohorts)",
        ]
        first_cohorts = connection.execute(
            "select cohort_start, cohort_size from fct_retention where grain = 'month'"
            " and period_number = 0 order by cohort_start limit ?",
            [cohorts],
        ).fetchall()
        for cohort_start, cohort_size in first_cohorts:
            rates = connection.execute(
                "select retention_rate from fct_retention where grain = 'month'"
                " and cohort_start = ? and period_number between 1 and ? order by period_number",
                [cohort_start, months],
            ).fetchall()
            shown = "  ".join(f"{rate:6.1%}" for (rate,) in rates)
            lines.append(f"  {cohort_start:%Y-%m}  size {cohort_size:>5,}  {shown}")
        lines.append(
            "LTV per person (GBP, customers and guest buyers), months_since 0 / 3 / 6 / 12"
        )
        ltv = connection.execute(
            "select cohort_month, cohort_size, months_since, ltv_per_person from fct_ltv_cohorts"
            " where months_since in (0, 3, 6, 12) order by cohort_month, months_since"
        ).fetchall()
        per_cohort: dict[Any, list[str]] = defaultdict(list)
        sizes: dict[Any, int] = {}
        for cohort_month, size, _months_since, value in ltv:
            per_cohort[cohort_month].append(f"{value:9,.2f}")
            sizes[cohort_month] = size
        for cohort_month in sorted(per_cohort)[:cohorts]:
            shown = " ".join(per_cohort[cohort_month])
            lines.append(f"  {cohort_month:%Y-%m}  size {sizes[cohort_month]:>5,}  {shown}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m product_analytics_tools.online_retail",
        description="Convert the Online Retail CSV into NDJSON events (and build the marts).",
    )
    parser.add_argument("--source", type=Path, required=True, help="online_retail.csv(.gz)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the event files")
    parser.add_argument("--build", action="store_true", help="run dbt build on the events")
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        help=f"DuckDB file for --build (default $DUCKDB_PATH, else {DEFAULT_DATABASE})",
    )
    parser.add_argument(
        "--project-dir", type=Path, default=PROJECT_ROOT, help="the dbt project (default: this)"
    )
    args = parser.parse_args(argv)
    if not args.source.is_file():
        parser.error(f"--source {args.source} is not a file")
    report = convert(args.source, args.out)
    print(f"Online Retail -> {args.out}")
    print("\n".join(report.lines()))
    if args.build:
        database = args.database or Path(os.environ.get("DUCKDB_PATH") or DEFAULT_DATABASE)
        print(f"dbt build into {database} ...", flush=True)
        try:
            build(args.out, database, args.project_dir)
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 1
        print("\n".join(headline(database)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
