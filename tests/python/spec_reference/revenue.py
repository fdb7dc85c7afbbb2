"""Revenue (SPEC section 8): orders, refunds, daily revenue, LTV cohorts, MRR."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .parsing import Event, as_number, as_text, first_text
from .sessions import event_order
from .timeutil import add_periods, date_range, local_date, month_start


@dataclass
class Order:
    order_id: str
    event: Event
    person_id: str
    session_id: str | None
    order_date: date
    currency: str
    amount: float | None
    rate: float | None
    amount_reporting: float | None
    refunded_amount: float = 0.0
    is_first_order: bool = False

    @property
    def net_revenue(self) -> float:
        # Interpretation: a null reporting amount counts as 0 here (adds nothing).
        return (self.amount_reporting or 0.0) - self.refunded_amount


@dataclass
class Refund:
    event: Event
    order_id: str
    person_id: str  # its order's person, else the refund event's person (section 10)
    refund_date: date
    currency: str
    amount: float
    rate: float | None
    amount_reporting: float | None


class CurrencyRates:
    """Section 8: the rate with the latest valid_from on or before a local date; the
    reporting currency always uses 1; no row in force gives None."""

    def __init__(self, rows: list[dict[str, str]], reporting_currency: str) -> None:
        self.reporting_currency = reporting_currency
        self.by_currency: dict[str, list[tuple[date, float]]] = {}
        for row in rows:
            currency = (row.get("currency") or "").strip().upper()
            valid_from = date.fromisoformat((row.get("valid_from") or "").strip()[:10])
            rate = float(row["rate_to_reporting"])
            self.by_currency.setdefault(currency, []).append((valid_from, rate))
        for entries in self.by_currency.values():
            entries.sort()

    def rate(self, currency: str, day: date) -> float | None:
        if currency == self.reporting_currency:
            return 1.0
        in_force = None
        for valid_from, rate in self.by_currency.get(currency, []):
            if valid_from <= day:
                in_force = rate
        return in_force


def order_key(event: Event) -> str | None:
    """Section 8: properties.order_id, orderId, transaction_id."""
    props = event.properties
    return first_text([props.get("order_id"), props.get("orderId"), props.get("transaction_id")])


def first_number(props: dict[str, Any], names: tuple[str, ...]) -> float | None:
    """Section 8: the first numeric value (JSON number or numeric string)."""
    for name in names:
        number = as_number(props.get(name))
        if number is not None:
            return number
    return None


def currency_of(event: Event) -> str | None:
    text = as_text(event.properties.get("currency"))
    return text.upper() if text is not None else None


def build_orders(
    events: list[Event],
    vars_: dict[str, Any],
    rates: CurrencyRates,
    session_of_event: dict[str, str],
) -> tuple[list[Order], list[Refund]]:
    tz = vars_["reporting_timezone"]
    reporting = rates.reporting_currency
    order_names = set(vars_["order_events"])
    refund_names = set(vars_["refund_events"])

    # Orders: an order tracked twice counts once, from its earliest event.
    orders: dict[str, Order] = {}
    for event in sorted((e for e in events if e.event_name in order_names), key=event_order):
        key = order_key(event) or event.event_id
        if key in orders:
            continue
        assert event.person_id is not None
        day = local_date(event.occurred_at, tz)
        currency = currency_of(event) or reporting
        amount = first_number(event.properties, ("revenue", "total", "value"))
        rate = rates.rate(currency, day)
        orders[key] = Order(
            order_id=key,
            event=event,
            person_id=event.person_id,
            session_id=session_of_event.get(event.event_id),
            order_date=day,
            currency=currency,
            amount=amount,
            rate=rate,
            amount_reporting=amount * rate if amount is not None and rate is not None else None,
        )

    # is_first_order: the person's earliest order by (occurred_at, event_id).
    first_by_person: dict[str, Order] = {}
    for order in sorted(orders.values(), key=lambda o: event_order(o.event)):
        first_by_person.setdefault(order.person_id, order)
    for order in first_by_person.values():
        order.is_first_order = True

    # Refunds: a numeric amount and an order key, else ignored.
    refunds: list[Refund] = []
    for event in sorted((e for e in events if e.event_name in refund_names), key=event_order):
        amount = first_number(event.properties, ("revenue", "total", "value", "amount"))
        key = order_key(event)
        if amount is None or key is None:
            continue
        order = orders.get(key)
        currency = currency_of(event) or (order.currency if order else None) or reporting
        day = local_date(event.occurred_at, tz)
        rate = rates.rate(currency, day)
        assert event.person_id is not None
        refund = Refund(
            event=event,
            order_id=key,
            person_id=order.person_id if order else event.person_id,
            refund_date=day,
            currency=currency,
            amount=amount,
            rate=rate,
            amount_reporting=amount * rate if rate is not None else None,
        )
        refunds.append(refund)
        if order is not None and refund.amount_reporting is not None:
            order.refunded_amount += refund.amount_reporting
    return list(orders.values()), refunds


def order_rows(orders: list[Order]) -> list[dict[str, Any]]:
    return [
        {
            "order_id": o.order_id,
            "event_id": o.event.event_id,
            "person_id": o.person_id,
            "session_id": o.session_id,
            "ordered_at": o.event.occurred_at,
            "order_date": o.order_date,
            "currency": o.currency,
            "amount": o.amount,
            "rate_to_reporting": o.rate,
            "amount_reporting": o.amount_reporting,
            "refunded_amount": o.refunded_amount,
            "net_revenue": o.net_revenue,
            "is_first_order": o.is_first_order,
        }
        for o in sorted(orders, key=lambda o: event_order(o.event))
    ]


def revenue_daily(
    orders: list[Order],
    refunds: list[Refund],
    active_days: dict[str, set[date]],
) -> list[dict[str, Any]]:
    """Section 8: every day from the first to the last active day, extended to any day
    with revenue (an order or a counted refund)."""
    dau: dict[date, int] = {}
    for days in active_days.values():
        for day in days:
            dau[day] = dau.get(day, 0) + 1
    first_order_day: dict[str, date] = {}
    for order in orders:
        if order.is_first_order:
            first_order_day[order.person_id] = order.order_date
    candidate_days = set(dau) | {o.order_date for o in orders} | {r.refund_date for r in refunds}
    if not candidate_days:
        return []
    gross: dict[date, float] = {}
    count: dict[date, int] = {}
    payers: dict[date, set[str]] = {}
    for order in orders:
        day = order.order_date
        gross[day] = gross.get(day, 0.0) + (order.amount_reporting or 0.0)
        count[day] = count.get(day, 0) + 1
        payers.setdefault(day, set()).add(order.person_id)
    refunded: dict[date, float] = {}
    for refund in refunds:
        if refund.amount_reporting is not None:
            day = refund.refund_date
            refunded[day] = refunded.get(day, 0.0) + refund.amount_reporting
    new_payers: dict[date, int] = {}
    for day in first_order_day.values():
        new_payers[day] = new_payers.get(day, 0) + 1
    rows = []
    for day in date_range(min(candidate_days), max(candidate_days)):
        net = gross.get(day, 0.0) - refunded.get(day, 0.0)
        paying = len(payers.get(day, ()))
        active = dau.get(day, 0)
        rows.append(
            {
                "revenue_date": day,
                "gross_revenue": gross.get(day, 0.0),
                "refunds": refunded.get(day, 0.0),
                "net_revenue": net,
                "orders": count.get(day, 0),
                "paying_persons": paying,
                "new_paying_persons": new_payers.get(day, 0),
                "active_persons": active,
                "arpu": net / active if active else None,
                "arppu": net / paying if paying else None,
            }
        )
    return rows


def ltv_cohorts(
    orders: list[Order],
    refunds: list[Refund],
    active_days: dict[str, set[date]],
) -> list[dict[str, Any]]:
    """Section 8: cohort_month (first active month), months_since 0 to the last active
    month; cumulative net revenue of the cohort's persons (orders by order month, refunds
    by refund month)."""
    if not active_days:
        return []
    cohort_of = {p: month_start(min(days)) for p, days in active_days.items()}
    last_month = month_start(max(max(days) for days in active_days.values()))
    # Net revenue per (cohort, month of the money).
    money: dict[tuple[date, date], float] = {}
    for order in orders:
        cohort = cohort_of.get(order.person_id)
        if cohort is not None and order.amount_reporting is not None:
            key = (cohort, month_start(order.order_date))
            money[key] = money.get(key, 0.0) + order.amount_reporting
    for refund in refunds:
        cohort = cohort_of.get(refund.person_id)
        if cohort is not None and refund.amount_reporting is not None:
            key = (cohort, month_start(refund.refund_date))
            money[key] = money.get(key, 0.0) - refund.amount_reporting
    sizes: dict[date, int] = {}
    for cohort in cohort_of.values():
        sizes[cohort] = sizes.get(cohort, 0) + 1
    rows = []
    for cohort in sorted(sizes):
        months_since = 0
        month = cohort
        while month <= last_month:
            cumulative = sum(value for (c, m), value in money.items() if c == cohort and m <= month)
            rows.append(
                {
                    "cohort_month": cohort,
                    "months_since": months_since,
                    "cohort_size": sizes[cohort],
                    "cumulative_net_revenue": cumulative,
                    "ltv_per_person": cumulative / sizes[cohort],
                }
            )
            months_since += 1
            month = add_periods(cohort, "month", months_since)
    return rows


# ---------------------------------------------------------------------------- MRR


def subscription_changes(events: list[Event], vars_: dict[str, Any]) -> dict[str, list]:
    """Section 8: per person, the (event, mrr after it) of their effective subscription
    events in (occurred_at, event_id) order. Cancel events set 0; other events without a
    numeric properties.mrr are ignored."""
    names = set(vars_["subscription_events"]) | set(vars_["subscription_cancel_events"])
    cancels = set(vars_["subscription_cancel_events"])
    changes: dict[str, list[tuple[Event, float]]] = {}
    for event in sorted((e for e in events if e.event_name in names), key=event_order):
        if event.event_name in cancels:
            value = 0.0
        else:
            number = as_number(event.properties.get("mrr"))
            if number is None:
                continue
            value = number
        assert event.person_id is not None
        changes.setdefault(event.person_id, []).append((event, value))
    return changes


def current_mrr(changes: dict[str, list]) -> dict[str, float]:
    """dim_persons.current_mrr: the MRR after the person's last subscription event."""
    return {person: entries[-1][1] for person, entries in changes.items()}


def mrr_tables(
    changes: dict[str, list],
    vars_: dict[str, Any],
    active_days: dict[str, set[date]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Section 8: fct_mrr_movements and fct_mrr_monthly, months from the first month with
    a subscription event to the last active month (local time)."""
    tz = vars_["reporting_timezone"]
    if not changes or not active_days:
        return [], []
    # Month-end MRR: the value of the last event whose local month is <= the month.
    by_month: dict[str, list[tuple[date, float]]] = {}
    for person_id, entries in changes.items():
        by_month[person_id] = [
            (month_start(local_date(event.occurred_at, tz)), value) for event, value in entries
        ]
    first_month = min(month for entries in by_month.values() for month, _v in entries)
    last_month = month_start(max(max(days) for days in active_days.values()))

    def mrr_at(person_id: str, month: date) -> float:
        value = 0.0
        for event_month, event_value in by_month[person_id]:
            if event_month <= month:
                value = event_value
        return value

    movements: list[dict[str, Any]] = []
    monthly: list[dict[str, Any]] = []
    ever_positive: dict[str, bool] = {p: False for p in by_month}
    month = first_month
    previous_month = add_periods(first_month, "month", -1)
    while month <= last_month:
        totals = {
            "new": 0.0,
            "expansion": 0.0,
            "contraction": 0.0,
            "churn": 0.0,
            "reactivation": 0.0,
        }
        starting = ending = 0.0
        paying = 0
        for person_id in sorted(by_month):
            previous = mrr_at(person_id, previous_month)
            current = mrr_at(person_id, month)
            if previous > 0:
                ever_positive[person_id] = True  # positive at some month end before this
            starting += previous
            ending += current
            if current > 0:
                paying += 1
            if current != previous:
                if previous == 0:
                    movement = "reactivation" if ever_positive[person_id] else "new"
                elif current == 0:
                    movement = "churn"
                elif current > previous:
                    movement = "expansion"
                else:
                    movement = "contraction"
                change = current - previous
                totals[movement] += change
                movements.append(
                    {
                        "month_start": month,
                        "person_id": person_id,
                        "previous_mrr": previous,
                        "current_mrr": current,
                        "movement": movement,
                        "mrr_change": change,
                    }
                )
        monthly.append(
            {
                "month_start": month,
                "starting_mrr": starting,
                **totals,
                "ending_mrr": ending,
                "paying_persons": paying,
            }
        )
        previous_month = month
        month = add_periods(month, "month", 1)
    return movements, monthly
