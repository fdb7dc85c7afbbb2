"""Differential test on tricky raw lines: dbt and the pure-Python reference must agree.

A few hundred hand-crafted and programmatically mutated raw lines (SPEC sections 2-5 and
11: timestamp grammar and near-misses, timestamp skew, ids as numbers / placeholders /
objects, camelCase vs snake_case, event names, identity edge cases, urls, utm params,
percent escapes, referrers, IPs, broken JSON, invalid UTF-8, BOM, CRLF, gzip, blank
lines, very long lines, orders, refunds, subscriptions, experiments, deletion requests)
are written to NDJSON files, built with dbt and computed with the reference under
several configurations. Every table of the conformance suite is compared, and so are
the staged events (one row per accepted event) for a per-line view of disagreements.

Every case uses its own anonymous id (`anon-<case>`) unless it is about identity, so a
disagreement in a per-person table points at the line that caused it; the case name is
also in `properties.case` of the line. Lines whose timestamp may be read as an absurd
instant (year 0, year 10000, far future) are identify calls, so that neither side builds
activity spines over millennia. Trait keys that break JSON paths ("", "*") have their
own small build, so that a failing build does not hide the other comparisons.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from dbt_harness import DbtProject
from spec_reference import compute_all, load_seeds
from spec_reference.compare import TABLE_KEYS, compare_rows, format_problems, values_equal

PROJECT_SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MODEL_OF = {"reconciliation": "fct_ingestion_reconciliation"}
EVENT_SUFFIXES = (".ndjson", ".jsonl", ".ndjson.gz", ".jsonl.gz")
DEBUG_COLUMNS = {"first_event_id", "event_id", "order_date", "rate_to_reporting", "person_type"}

# ----------------------------------------------------------------------------- JSON text


class Lit(str):
    """A value written into the JSON text exactly as given (numbers like 1.50, 2E3, -0)."""


class Pairs(list):
    """A JSON object given as (key, value) pairs: duplicate keys and key order as written."""


def dump(value: Any) -> str:
    """Compact JSON text that keeps Lit values and Pairs objects as written."""
    if isinstance(value, Lit):
        return str(value)
    if isinstance(value, Pairs):
        return "{" + ",".join(dump(k) + ":" + dump(v) for k, v in value) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(dump(k) + ":" + dump(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


BASE = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Corpus:
    """Raw lines per file; `event` builds a Segment-ish track line for one case."""

    def __init__(self) -> None:
        self.files: dict[str, list[bytes]] = {}
        self.slot = 0

    def next_time(self, minutes: int = 41) -> datetime:
        self.slot += 1
        return BASE + timedelta(minutes=minutes * self.slot)

    def raw(self, file: str, line: str | bytes) -> None:
        data = line.encode("utf-8") if isinstance(line, str) else line
        self.files.setdefault(file, []).append(data)

    def line(self, file: str, obj: Any) -> None:
        self.raw(file, dump(obj))

    def event(self, file: str, case: str, at: datetime | None = None, **fields: Any) -> None:
        """A track event of its own anonymous person; `fields` override (None removes)."""
        at = at or self.next_time()
        obj: dict[str, Any] = {
            "type": "track",
            "event": "Button Clicked",
            "messageId": f"m-{case}",
            "anonymousId": f"anon-{case}",
            "timestamp": iso(at),
            "receivedAt": iso(at + timedelta(seconds=2)),
            "properties": {"case": case},
        }
        for key, value in fields.items():
            if value is None:
                obj.pop(key, None)
            else:
                obj[key] = value
        self.line(file, obj)


# ----------------------------------------------------------------------------- the cases


def add_timestamp_cases(c: Corpus) -> None:
    f = "web/2024/03/timestamps.ndjson"
    valid = [
        "2024-03-05",
        "2024-03-05T10:11",
        "2024-03-05 10:11:12",
        "2024-03-05T10:11:12Z",
        "2024-03-05T10:11:12.1Z",
        "2024-03-05T10:11:12.123456Z",
        "2024-03-05T10:11:12.123456789Z",
        "2024-03-05T10:11:12.9999999+01:00",
        "2024-03-05T10:11:12+0530",
        "2024-03-05T10:11:12-08",
        "2024-03-05T10:11:12-00:00",
        "2024-03-05T23:59:59.999999999-23:59",
        "2024-03-05+02:00",
        "2024-03-05Z",
        "2024-03-05 10:11Z",
        "2024-02-29T12:00:00Z",
        " 2024-03-05T10:11:12Z ",
        "\t2024-03-05T10:11:12Z\r\n",
        "2024-03-10T02:30:00-05:00",
        "2024-03-10T06:59:59.999999Z",
        "2024-03-31T23:30:00-04:00",
        "2024-03-05T10:11:12.000000001Z",
    ]
    near_misses: list[Any] = [
        "2024-03-05t10:11:12Z",
        "2024-03-05T10:11:12z",
        "2024-03-05T10Z",
        "2024-03-05T10:11:12.Z",
        "2024-03-05T24:00:00Z",
        "2024-03-05T10:60:00Z",
        "2024-03-05T10:11:60Z",
        "2023-02-29T00:00:00Z",
        "2024-02-30",
        "2024-13-01",
        "2024-00-10",
        "2024-3-5",
        "20240305T101112Z",
        "2024-03-05T10:11:12 +01:00",
        "2024-03-05T10:11:12+01:00:00",
        "2024-03-05T10:11:12 Z",
        "2024-03-05T10:11:12+24:00",
        "2024-03-05T10:11:12+05:60",
        "2024-03-05T10:11:12+5",
        "2024-03-05T10:11:12+053",
        "2024-03-05T10:11:12UTC",
        "2024-03-05T10:11:12.123+01:00[Europe/Paris]",
        "２０２４-03-05",
        "2024-03-05\u00a010:11:12",
        "Tue, 05 Mar 2024 10:11:12 GMT",
        "2024/03/05 10:11:12",
        "2024-03-05T10:11:12,5Z",
        "2024-03-05T10:11:12+14:00",
        "2024-03-05T10:11:12.5",
        "2024-03-05T1:11:12Z",
        Lit("1709633472"),
        Lit("1709633472000"),
        "1709633472",
        Lit("1.7e9"),
        True,
        {"$date": "2024-03-05T10:11:12Z"},
        ["2024-03-05T10:11:12Z"],
        None,
        "",
        "   ",
        "0000-06-15T00:00:00Z",
        "9999-12-31T23:00:00-02:00",
    ]
    for index, value in enumerate(valid):
        c.event(f, f"ts-valid-{index}", timestamp=value, receivedAt="2024-03-06T00:00:00Z")
    for index, value in enumerate(near_misses):
        at = c.next_time()
        # the unparseable timestamp falls back to receivedAt
        fields: dict[str, Any] = {"receivedAt": iso(at)}
        if value is None:
            fields["timestamp"] = Lit("null")
        else:
            fields["timestamp"] = value
        c.event(f, f"ts-miss-{index}", at=at, **fields)
        # ... and alone it is missing_timestamp (an identify call: were it accepted at
        # some odd instant, it would not stretch the activity spines over centuries)
        c.event(
            f,
            f"ts-miss-alone-{index}",
            type="identify",
            event=None,
            userId=f"u-ts-miss-alone-{index}",
            receivedAt=None,
            timestamp=fields["timestamp"],
        )
    # min_event_date boundary (identify calls: they do not stretch the activity spines)
    for index, value in enumerate(
        [
            "1999-12-31T23:59:59.999999Z",
            "2000-01-01T00:00:00Z",
            "2000-01-01T01:00:00+01:00",
            "2000-01-01T00:59:59.999999+01:00",
            "1999-12-31T19:00:00-05:00",
            "1999-12-31",
        ]
    ):
        c.event(
            f,
            f"ts-min-{index}",
            type="identify",
            event=None,
            timestamp=value,
            receivedAt=None,
            userId=f"u-min-{index}",
        )
    # receivedAt as the only and as an unparseable candidate
    c.event(f, "recv-year0", receivedAt="0000-01-01T00:00:00Z")
    c.event(f, "recv-year10000", receivedAt="9999-12-31T23:30:00-01:00")


def add_skew_cases(c: Corpus) -> None:
    f = "web/2024/03/skew.jsonl"

    def skew(case: str, **fields: Any) -> None:
        c.event(f, case, **{"timestamp": None, "receivedAt": None, **fields})

    r = c.next_time()
    skew(
        "skew-all-camel",
        receivedAt=iso(r),
        originalTimestamp=iso(r - timedelta(hours=3)),
        sentAt=iso(r - timedelta(hours=3, seconds=-5)),
    )
    skew(
        "skew-all-snake",
        received_at=iso(r),
        original_timestamp="2024-03-05T08:00:00+02:00",
        sent_at="2024-03-05T06:30:00Z",
    )
    skew(
        "skew-mixed-spelling",
        receivedAt=iso(r),
        original_timestamp="2024-03-05T08:00:00.5Z",
        sentAt="2024-03-05T08:00:10Z",
    )
    skew(
        "skew-camel-wins",
        receivedAt="2024-03-07T00:00:00Z",
        received_at="2024-03-08T00:00:00Z",
        originalTimestamp="2024-03-07T01:00:00Z",
        original_timestamp="2024-03-01T01:00:00Z",
        sentAt="2024-03-07T00:30:00Z",
        sent_at="2024-03-07T00:00:00Z",
    )
    skew(
        "skew-camel-unparseable",
        receivedAt="yesterday",
        received_at="2024-03-07T10:00:00Z",
        originalTimestamp="2024-03-07T09:00:00z",
        original_timestamp="2024-03-07T09:00:00Z",
        sentAt=Lit("1709802000"),
        sent_at="2024-03-07T09:00:30Z",
    )
    skew(
        "skew-camel-null",
        receivedAt=Lit("null"),
        received_at="2024-03-07T11:00:00Z",
        originalTimestamp="",
        original_timestamp="2024-03-07T10:59:00Z",
        sentAt={"t": 1},
        sent_at="2024-03-07T10:59:30Z",
    )
    skew("skew-no-received", originalTimestamp="2024-03-07T12:00:00Z", sentAt="2024-03-07T11:00Z")
    skew(
        "skew-sent-unparseable",
        receivedAt="2024-03-07T13:00:00Z",
        originalTimestamp="2024-03-07T12:30:00Z",
        sentAt="2024-03-07T25:00:00Z",
    )
    skew("skew-received-only", receivedAt="2024-03-07T14:00:00+01")
    skew("skew-sent-only", sentAt="2024-03-07T14:00:00Z", anonymousId="anon-skew-sent-only")
    skew("skew-orig-only", originalTimestamp="2024-03-07 15:00")
    skew(
        "skew-future-36h",
        receivedAt="2024-03-07T00:00:00Z",
        originalTimestamp="2024-03-08T12:00:00Z",
        sentAt="2024-03-07T00:00:00Z",
    )
    skew(
        "skew-future-exactly-24h",
        receivedAt="2024-03-07T00:00:00Z",
        originalTimestamp="2024-03-08T00:00:00Z",
        sentAt="2024-03-07T00:00:00Z",
    )
    skew(
        "skew-past-far",
        type="identify",
        event=None,
        userId="u-skew-past-far",
        receivedAt="2024-03-07T16:00:00Z",
        originalTimestamp="2001-01-01T00:00:00Z",
        sentAt="2024-03-07T16:00:00Z",
    )
    skew(
        "skew-before-min",
        type="identify",
        event=None,
        userId="u-skew-before-min",
        receivedAt="2024-03-07T16:00:00Z",
        originalTimestamp="2000-01-01T00:00:00Z",
        sentAt="2024-03-07T16:00:00Z",
    )
    # an explicit timestamp always wins; the skew check uses receivedAt
    c.event(f, "future-24h-exact", timestamp="2024-03-08T00:00:00Z", receivedAt="2024-03-07")
    c.event(
        f,
        "future-24h-plus-1us",
        timestamp="2024-03-08T00:00:00.000001Z",
        receivedAt="2024-03-07",
    )
    c.event(
        f,
        "future-25h-offset",
        timestamp="2024-03-08T02:00:00+01:00",
        receivedAt="2024-03-07T00:00:00+01:00",
    )
    c.event(
        f,
        "future-no-received",
        type="identify",
        event=None,
        userId="u-future",
        timestamp="2024-06-01T00:00:00Z",
        receivedAt=None,
    )
    c.event(
        f,
        "future-received-unparseable",
        type="identify",
        event=None,
        userId="u-future-2",
        timestamp="2024-06-02T00:00:00Z",
        receivedAt="2024-03-07T00:00:00",
        received_at="soon",
    )


def add_id_cases(c: Corpus) -> None:
    f = "web/2024/03/ids.ndjson"
    user_values: list[Any] = [
        Lit("4242"),
        Lit("-17"),
        Lit("1.50"),
        Lit("2E3"),
        Lit("-0"),
        Lit("0"),
        Lit("-1"),
        Lit("-1.0"),
        Lit("0.0"),
        Lit("12345678901234567890123"),
        Lit("18446744073709551616"),
        Lit("9007199254740993"),
        Lit("1e400"),
        Lit("1E+2"),
        True,
        False,
        {"id": "obj"},
        ["arr"],
        [],
        "NULL",
        " undefined ",
        "[object Object]",
        "[OBJECT OBJECT]",
        "None",
        "NaN",
        "Anonymous",
        " 0 ",
        "-1",
        "\t\n",
        "",
        "nil",
        "null ",
        "u-with space",
        "U-Case",
        "u-émoji-🎉",
        "u\u0000nul",
        "0.0",
    ]
    for index, value in enumerate(user_values):
        c.event(f, f"uid-{index}", userId=value)
    anonymous_values: list[Any] = [
        Lit("77"),
        Lit("1.50"),
        Lit("-0"),
        "undefined",
        " Null ",
        "[object object]",
        {"a": 1},
        Lit("0"),
    ]
    for index, value in enumerate(anonymous_values):
        c.event(f, f"aid-{index}", anonymousId=value)
        c.event(f, f"aid-dev-{index}", anonymousId=value, device_id=f"device-aid-{index}")
    # camelCase vs snake_case
    c.event(f, "camel-snake-user", userId="u-camel", user_id="u-snake")
    c.event(f, "camel-placeholder-user", userId="null", user_id="u-snake-2")
    c.event(f, "camel-object-user", userId={"x": 1}, user_id="u-snake-3")
    c.event(f, "snake-only-user", userId=None, user_id="u-snake-4")
    c.event(f, "snake-anon", anonymousId=None, anonymous_id="anon-snake", device_id="dev-x")
    c.event(f, "anon-undefined-snake", anonymousId="undefined", anonymous_id="anon-snake-2")
    c.event(f, "device-only", anonymousId=None, device_id=" device-only ")
    c.event(f, "device-placeholder", anonymousId=None, device_id="-1")
    c.event(f, "all-placeholders", anonymousId="null", userId="undefined", device_id="0")
    c.event(f, "ids-absent", anonymousId=None)
    # number texts recovered from the raw line: nested keys and escaped keys
    c.line(
        f,
        Pairs(
            [
                ("type", "track"),
                ("event", "Button Clicked"),
                ("messageId", "m-nested-userid"),
                ("properties", {"case": "nested-userid", "userId": Lit("1.500")}),
                ("userId", Lit("1.5")),
                ("timestamp", iso(c.next_time())),
            ]
        ),
    )
    c.raw(
        f,
        '{"type":"track","event":"Button Clicked","messageId":"m-escaped-key",'
        '"user\\u0049d":1.50,"timestamp":"' + iso(c.next_time()) + '",'
        '"properties":{"case":"escaped-key"}}',
    )
    c.raw(
        f,
        '{"type":"track","event":"Button Clicked","messageId":"m-escaped-key-str",'
        '"anonymous\\u0049d":"anon-escaped","timestamp":"' + iso(c.next_time()) + '",'
        '"properties":{"case":"escaped-key-str"}}',
    )
    c.raw(
        f,
        '{"type" : "track" , "event" : "Button Clicked" , "messageId" : "m-spaced-number" ,'
        ' "userId" :\t 3.140 , "timestamp" : "' + iso(c.next_time()) + '" ,'
        ' "properties" : {"case" : "spaced-number"}}',
    )
    # duplicate keys: the first occurrence wins
    c.line(
        f,
        Pairs(
            [
                ("type", "track"),
                ("event", "Button Clicked"),
                ("messageId", "m-dup-keys"),
                ("userId", "u-dup-first"),
                ("userId", "u-dup-second"),
                ("event", "Other Event"),
                ("timestamp", iso(c.next_time())),
                ("timestamp", "2024-01-01T00:00:00Z"),
                ("properties", {"case": "dup-keys"}),
            ]
        ),
    )
    c.line(
        f,
        Pairs(
            [
                ("type", "track"),
                ("event", "Button Clicked"),
                ("messageId", "m-dup-number-keys"),
                ("userId", Lit("2.50")),
                ("userId", Lit("2.5")),
                ("timestamp", iso(c.next_time())),
                ("properties", {"case": "dup-number-keys"}),
            ]
        ),
    )
    # event ids
    for index, value in enumerate(
        [
            Lit("1.50"),
            Lit("2E3"),
            Lit("12345678901234567890"),
            Lit("-0"),
            True,
            "null",
            "  spaced-id  ",
            "",
            {"id": 1},
            "undefined",
        ]
    ):
        c.event(f, f"mid-{index}", messageId=value)
    c.event(f, "mid-snake", messageId=None, message_id="m-snake")
    c.event(f, "mid-empty-snake", messageId="", message_id="m-snake-2", event_id="ev-x")
    c.event(f, "mid-event-id", messageId=None, event_id=Lit("99"))
    c.event(f, "mid-id", messageId=None, id="plain-id")
    c.event(f, "mid-none", messageId=None)
    c.line(
        f,
        Pairs(
            [
                ("properties", {"case": "nested-id", "id": Lit("7.0")}),
                ("type", "track"),
                ("event", "Order Completed"),
                ("anonymousId", "anon-nested-id"),
                ("id", Lit("7.00")),
                ("timestamp", iso(c.next_time())),
            ]
        ),
    )


def add_name_cases(c: Corpus) -> None:
    f = "web/2024/03/names.ndjson"
    names: list[Any] = [
        "Order Completed",
        "orderCompleted",
        "order-completed",
        "ORDER_COMPLETED",
        "  Signed Up!!  ",
        "signUp",
        "SignUp",
        "sign_up",
        "User Registered",
        "getHTTPResponse",
        "HTMLPageViewed",
        "Video 2Played",
        "a1B2C3",
        "Café Viewed",
        "🎉 Party Started 🎉",
        "Ünïcödé Événement",
        "İtem Added",
        "Kelvin\u212aTest",
        "ＦｕｌｌＷｉｄｔｈ",
        "日本語",
        "___",
        "!!!",
        "   ",
        Lit("123"),
        Lit("1.50"),
        Lit("2E3"),
        True,
        "Pageview",
        "page view",
        "Screen View",
        "Add To Cart",
        "begin_checkout",
        "Checkout Completed",
        "order complete",
        "Refund",
        "experimentStarted",
        "onboarding_complete",
        "Onboarding Completed",
        "tab\tseparated",
        "line\nbreak",
        "a.b.c",
        "x" * 300,
    ]
    for index, value in enumerate(names):
        c.event(f, f"name-{index}", event=value)
    c.event(f, "name-fallback-empty", event="", event_name="Product Viewed")
    c.event(f, "name-fallback-object", event={"n": 1}, event_name="product_view")
    c.event(f, "name-fallback-bad", event="!!!", event_name="Product Viewed")
    c.event(f, "name-only-snake", event=None, event_name="Added To Cart")
    c.event(f, "name-missing", event=None)
    c.event(f, "name-null", event=Lit("null"), event_name=Lit("null"))
    # types
    types: list[Any] = [
        "TRACK",
        " Page ",
        "screen",
        "Screen",
        "IDENTIFY",
        "group",
        "İdentify",
        "trac\u212a",
        "unknown",
        "pageview",
        Lit("42"),
        "",
        Lit("null"),
        {"t": "track"},
        "track\u00a0",
    ]
    for index, value in enumerate(types):
        c.event(f, f"type-{index}", type=value, userId=f"u-type-{index}")


def add_identity_cases(c: Corpus) -> None:
    f = "app/identity.ndjson"

    def at(day: int, minute: int) -> datetime:
        return datetime(2024, 3, day, 12, minute, tzinfo=UTC)

    def ev(case: str, when: datetime, **fields: Any) -> None:
        c.event(f, case, at=when, **fields)

    # shared device: stays with its first user
    ev("shared-1", at(11, 0), anonymousId="dev-shared", userId=None)
    ev("shared-2", at(11, 5), anonymousId="dev-shared", userId="u-alice")
    ev("shared-3", at(11, 10), anonymousId="dev-shared", userId="u-bob")
    ev("shared-4", at(11, 15), anonymousId="dev-shared", userId=None)
    ev("shared-5", at(11, 5), anonymousId="dev-shared-tie", userId="u-tie-b", messageId="m-tie-b")
    ev("shared-6", at(11, 5), anonymousId="dev-shared-tie", userId="u-tie-a", messageId="m-tie-c")
    # alias chains, cycles, self-aliases, taken slots
    ev("chain-u1", at(12, 0), anonymousId="anon-c1", userId="u-c1")
    ev("chain-u2", at(12, 1), anonymousId="anon-c2", userId="u-c2")
    ev("chain-u3", at(12, 2), anonymousId="anon-c3", userId="u-c3")

    def alias(case: str, when: datetime, previous: Any, user: Any, **fields: Any) -> None:
        ev(
            case,
            when,
            type="alias",
            event=None,
            anonymousId=fields.pop("anonymousId", None),
            previousId=previous,
            userId=user,
            **fields,
        )

    alias("alias-c1-c2", at(12, 10), "u-c1", "u-c2")
    alias("alias-c2-c3", at(12, 11), "u-c2", "u-c3")
    alias("alias-cycle-c3-c1", at(12, 12), "u-c3", "u-c1")
    alias("alias-self", at(12, 13), "u-c3", "u-c3")
    alias("alias-c3-c4", at(12, 14), "u-c3", "u-c4")
    ev("chain-u4", at(12, 15), anonymousId="anon-c4", userId="u-c4")
    alias("alias-taken", at(12, 16), "u-c1", "u-c4")
    alias("alias-missing-previous", at(12, 17), None, "u-c4")
    alias("alias-placeholder-previous", at(12, 18), " undefined ", "u-c4")
    alias("alias-missing-user", at(12, 19), "u-c1", None)
    alias("alias-snake", at(12, 20), None, "u-s2", previous_id="u-s1")
    ev("alias-snake-u1", at(12, 21), anonymousId="anon-s1", userId="u-s1")
    alias("alias-numeric", at(12, 22), Lit("7700"), Lit("7701"))
    ev("alias-numeric-u", at(12, 23), anonymousId="anon-n1", userId=Lit("7700"))
    alias("alias-of-anon", at(12, 24), "anon-only-x", "u-x")
    ev("alias-of-anon-ev", at(12, 25), anonymousId="anon-only-x", userId=None)
    alias("alias-of-both", at(12, 26), "both-id", "u-y", anonymousId="anon-alias-both")
    ev("both-as-anon", at(12, 27), anonymousId="both-id", userId=None)
    ev("both-as-user", at(12, 28), anonymousId="anon-both-user", userId="both-id")
    # ties in time: aliases in event_id order
    alias("alias-tie-b", at(13, 0), "u-t1", "u-t3", messageId="m-tie-2")
    alias("alias-tie-a", at(13, 0), "u-t1", "u-t2", messageId="m-tie-1")
    ev("tie-u1", at(13, 1), anonymousId="anon-t1", userId="u-t1")
    # a cycle-skipped alias does not use up the slot
    ev("slot-u1", at(13, 2), anonymousId="anon-sl1", userId="u-sl1")
    ev("slot-u2", at(13, 3), anonymousId="anon-sl2", userId="u-sl2")
    alias("slot-a", at(13, 4), "u-sl2", "u-sl1")
    alias("slot-b-cycle", at(13, 5), "u-sl1", "u-sl2")
    alias("slot-c", at(13, 6), "u-sl1", "u-sl3")
    ev("slot-u3", at(13, 7), anonymousId="anon-sl3", userId="u-sl3")
    # retroactive: anonymous history before the link
    ev("retro-1", at(14, 0), anonymousId="anon-retro", userId=None, event="Product Viewed")
    ev("retro-2", at(14, 3), anonymousId="anon-retro", userId=None, event="Add To Cart")
    ev("retro-3", at(20, 3), anonymousId="anon-retro", userId="u-retro", event="Signed Up")
    ev("retro-4", at(20, 4), anonymousId="anon-retro-2", userId="u-retro", event="Order Completed")
    # identify / group / page / screen
    ev(
        "identify-1",
        at(14, 10),
        type="identify",
        event=None,
        userId="u-traits",
        traits={
            "email": " Foo.Bar@Example.COM ",
            "name": "Zoë",
            "plan": {"z": 1, "a": Lit("2.50")},
            "score": Lit("1.50"),
            "big": Lit("12345678901234567890123"),
            "tags": ["b", "a"],
            "nothing": None,
            "note": "contact: someone@example.org please",
            "nbsp": "x@\u00a0y.z",
            "ctrl": "tab\there\u001f",
            "slash": "a/b",
            "a.b": "dotted key",
            'q"k': "quoted key",
            "b\\s": "backslash key",
            "ключ": "unicode key",
            "$": "dollar key",
            "[0]": "bracket key",
            "address": {"zip": "10001", "city": "NYC", "geo": {"lon": Lit("-73.90"), "lat": 40}},
        },
    )
    ev(
        "identify-2",
        at(14, 11),
        type="identify",
        event=None,
        userId="u-traits",
        traits=Pairs([("name", None), ("plan", "pro"), ("age", Lit("41")), ("age", Lit("42"))]),
    )
    ev("identify-3", at(14, 12), type="identify", event=None, userId="u-traits", traits="str")
    ev("identify-4", at(14, 13), type="identify", event=None, userId="u-notraits", traits={})
    ev(
        "identify-5",
        at(14, 14),
        type="identify",
        event=None,
        userId="u-nulltraits",
        traits={"a": None},
    )
    ev("track-traits", at(14, 15), userId="u-tracktraits", traits={"email": "t@example.com"})
    ev(
        "identify-anon",
        at(14, 16),
        type="identify",
        event=None,
        anonymousId="anon-identify-only",
        traits={"email": "ANON@EXAMPLE.COM"},
    )
    ev("group-1", at(14, 17), type="group", event=None, userId="u-group", groupId="g1")
    ev("page-1", at(14, 18), type="page", event="Ignored Name", userId="u-group")
    ev("screen-1", at(14, 19), type="screen", event=None, userId="u-group")
    ev("group-only", at(14, 20), type="group", event=None, anonymousId="anon-group-only")


def add_url_cases(c: Corpus) -> None:
    f = "web/2024/03/urls.ndjson"
    urls = [
        "https://www.Shop.example:8443/Pricing?utm_source=Google&utm_medium=cpc"
        "&utm_campaign=Spring%20Sale&utm_source=bing#top",
        "www.shop.example/pricing?utm_source=newsletter",
        "/relative/path?utm_medium=email&utm_source=x",
        "pricing?utm_source=rel",
        "https://shop.example",
        "https://shop.example?utm_source=a",
        "https://user:pa%40ss@shop.example/acct",
        "https://shop.example/#/landing?utm_source=hash",
        "https://shop.example/p?utm_source=caf%C3%A9&utm_medium=%E9t%E9"
        "&utm_campaign=%ZZ%&utm_term=50%25+off&utm_content=a+b%2Bc",
        "https://shop.example/p?utm_source&utm_source=google&utm_medium=organic",
        "https://shop.example/p?a=1?utm_source=b",
        "https://shop.example/p?UTM_SOURCE=upper&utm_source=%20%20&utm_medium=+social+",
        "https://shop.example/p?utm_source=caf%C3%A9%E9",
        "https://shop.example/p?utm_source=%E9%80",
        "https://shop.example/p?utm_source=%F0%9F%98%80&utm_medium=%",
        "https://shop.example/p?utm_source=%00nul",
        "HTTPS://SHOP.EXAMPLE/UPPER/Path",
        "mailto:someone@example.com",
        "https://shop.example/a%20b/c?x=1",
        "https://shop.example/p?utm_source=a&amp;utm_medium=b",
        "https://shop.example/p?utm_source=&utm_source=second",
        "https://shop.example/p?x=1&utm_source=fb&utm_medium=paid_social",
        "//cdn.shop.example/proto-relative?utm_source=proto",
        "https://shop.example/p;params?utm_source=semi",
        "android-app://com.example/path",
        "https://shop.example/p?utm_source=%e2%82%ac+euro",
        "https://shop.example/p?utm_source=%C0%AF",
        "https://shop.example/p?utm_source=%ED%A0%80",
        "https://shop.example/p?utm_source=%2",
        "https://shop.example/p?utm_source=Ｇoogle",
        "https://[2001:db8::1]:8080/v6?utm_source=v6",
        "ftp://files.shop.example/file.txt",
        "https://shop.example/p?utm_source=instagram&utm_medium=Social",
        "https://shop.example/p?utm_source=%C4%B0G",
        "https://shop.example/p?next=/q?utm_source=inner&utm_source=outer",
        "https://shop.example/p#x?utm_source=frag-only",
    ]
    for index, url in enumerate(urls):
        c.event(f, f"url-{index}", type="page", event=None, context={"page": {"url": url}})
    c.event(f, "url-number", type="page", event=None, context={"page": {"url": Lit("12345")}})
    c.event(
        f,
        "path-given",
        type="page",
        event=None,
        context={"page": {"url": "https://shop.example/from-url", "path": "  /given  "}},
    )
    c.event(
        f,
        "path-empty",
        type="page",
        event=None,
        context={"page": {"url": "https://shop.example/from-url-2", "path": ""}},
    )
    c.event(
        f,
        "props-url",
        type="page",
        event=None,
        properties={
            "case": "props-url",
            "url": "https://shop.example/props?utm_source=props&utm_medium=referral",
            "referrer": "https://News.Example.org/a",
            "title": " Props Title ",
        },
    )
    c.event(
        f,
        "context-over-props",
        type="page",
        event=None,
        context={"page": {"url": "https://shop.example/ctx", "referrer": ""}},
        properties={
            "case": "context-over-props",
            "url": "https://shop.example/props",
            "referrer": "https://www.bing.com/",
        },
    )
    c.event(
        f,
        "campaign-over-url",
        type="page",
        event=None,
        context={
            "page": {"url": "https://shop.example/c?utm_source=google&utm_medium=cpc"},
            "campaign": {"source": " Newsletter ", "medium": "", "name": Lit("2024.10")},
        },
    )
    c.event(
        f,
        "campaign-only",
        context={"campaign": {"source": "Facebook", "medium": "Paid_Social", "term": "t"}},
    )
    c.event(f, "campaign-term-only", context={"campaign": {"term": "only-term"}})
    c.event(
        f,
        "campaign-number",
        context={"campaign": {"source": Lit("2E3"), "medium": Lit("1.50"), "name": True}},
    )
    c.event(f, "page-not-object", type="page", event=None, context={"page": "https://x.example/"})
    c.event(f, "context-array", context=[{"page": {"url": "https://x.example/"}}])
    c.event(f, "properties-array", properties=["case", "properties-array"])
    referrers = [
        "https://WWW.Google.COM:443/search?q=x",
        "https://user:pw@l.facebook.com/",
        "https://a@b@evil.example/",
        "http://[2001:db8::1]:8080/x",
        "google.com/search",
        "android-app://com.google.android.gm/",
        "https://WWW.SHOP.EXAMPLE/cart",
        "https://shop.example:8080/",
        "https://t.co/abc",
        "https://x.com/home",
        "https://duckduckgo.com/",
        "https://notgoogle.com/",
        "https://mail.google.co.uk/",
        "https:///nohost",
        "https://:8080/",
        "HTTP://Example.ORG",
        "https://bücher.example/",
        "https://www.reddit.com?x#y",
        "   ",
        Lit("42"),
    ]
    for index, referrer in enumerate(referrers):
        c.event(
            f,
            f"ref-{index}",
            type="page",
            event=None,
            context={"page": {"url": "https://shop.example/landing", "referrer": referrer}},
        )
    c.event(
        f,
        "ref-with-utm",
        type="page",
        event=None,
        context={
            "page": {
                "url": "https://shop.example/l?utm_medium=cpc",
                "referrer": "https://www.bing.com/",
            }
        },
    )
    ips: list[Any] = [
        "192.168.001.010",
        "10.0.0.255",
        " 8.8.8.8 ",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "2001:DB8:85a3::8a2e:370:7334",
        "2001:db8:85a3:0:0:8a2e:370:7334",
        "2001:0db8:0000:0000:0000:0000:0000:0001",
        "::ffff:192.0.2.128",
        "::ffff:999.0.2.128",
        "fe80::1%eth0",
        "::1",
        "::",
        "[2001:db8::1]",
        "1.2.3.4:8080",
        "localhost",
        Lit("16909060"),
        "2001:db8:1:2:3:4:5:6:7",
        "1::2::3",
        "2001:db8:0:1::",
        "0:1:0::",
        "1:2:3:4:5:6:7::",
        "::1.2.3.4",
        "2001:db8::g",
        "",
    ]
    for index, ip in enumerate(ips):
        c.event(f, f"ip-{index}", context={"ip": ip})
    agents = [
        ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Safari/604.1", None),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Chrome/120", None),
        ("Mozilla/5.0 (Linux; Android 14; SM-X700) Chrome/120", None),
        ("Mozilla/5.0 (Windows Phone 10.0) Edge/12", None),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120 Safari/537.36", " Tablet "),
        (None, "SmartTV"),
        (None, Lit("3.50")),
        ("", ""),
    ]
    for index, (agent, device) in enumerate(agents):
        context: dict[str, Any] = {}
        if agent is not None:
            context["userAgent"] = agent
        if device is not None:
            context["device"] = {"type": device}
        c.event(f, f"ua-{index}", context=context)


def add_revenue_cases(c: Corpus) -> None:
    f = "app/revenue.jsonl"

    def order(case: str, props: dict[str, Any], **fields: Any) -> None:
        c.event(
            f,
            case,
            event=fields.pop("event", "Order Completed"),
            properties={"case": case, **props},
            **fields,
        )

    order("o-spaced", {"order_id": "O-1", "revenue": " 12.50 ", "currency": " eur "})
    order("o-exp", {"order_id": "O-2", "revenue": "1e2", "currency": "Usd"})
    order("o-hex", {"order_id": "O-3", "revenue": "0x10", "total": Lit("7")})
    order("o-nan", {"order_id": "O-4", "revenue": "NaN", "value": "Infinity"})
    order("o-comma", {"order_id": "O-5", "revenue": "1,000", "total": ".5"})
    order("o-trailing-dot", {"order_id": "O-6", "revenue": "5.", "currency": "gbp"})
    order("o-plus", {"order_id": "O-7", "revenue": "+5", "currency": "GBP "})
    order("o-bool", {"order_id": "O-8", "revenue": True, "total": None, "value": "3"})
    order("o-jpy", {"order_id": "O-9", "revenue": Lit("1500"), "currency": "jpy"})
    order("o-currency-number", {"order_id": "O-10", "revenue": 10, "currency": Lit("978")})
    order("o-numeric-id", {"order_id": Lit("1.50"), "revenue": 20})
    order("o-numeric-id-exp", {"order_id": Lit("2E3"), "revenue": 21})
    order("o-numeric-id-int", {"order_id": Lit("12345678901234567890"), "revenue": 22})
    order("o-orderid-camel", {"orderId": "O-11", "revenue": 23})
    order("o-transaction", {"transaction_id": " T-12 ", "revenue": 24})
    order("o-no-key", {"revenue": 25})
    order("o-empty-keys", {"order_id": "", "orderId": "  ", "revenue": 26})
    order("o-object-key", {"order_id": {"id": 1}, "transaction_id": "T-13", "revenue": 27})
    order("o-negative", {"order_id": "O-14", "revenue": Lit("-20")})
    order("o-blank-revenue", {"order_id": "O-15", "revenue": "  ", "value": Lit("1e1")})
    order("o-long-decimal", {"order_id": "O-16", "revenue": Lit("12.345678901234567890")})
    order("o-revenue-zero", {"order_id": "O-17", "revenue": Lit("-0.0")})
    order("o-alias-purchase", {"order_id": "O-18", "revenue": 5}, event="purchase")
    order("o-alias-checkout", {"order_id": "O-19", "revenue": 6}, event="Checkout Completed")
    order("o-alias-complete", {"order_id": "O-20", "revenue": 7}, event="orderComplete")
    order("o-nbsp", {"order_id": "O-21", "revenue": "\u00a012"})
    order("o-fullwidth", {"order_id": "O-22", "revenue": "１２"})
    order("o-custom-event", {"order_id": "O-24", "revenue": 8}, event="Purchase Made")
    order("o-sharp-s", {"order_id": "O-25", "revenue": 9, "currency": "ß"})
    order("o-currency-object", {"order_id": "O-26", "revenue": 9, "currency": {"c": "EUR"}})
    order("o-revenue-object", {"order_id": "O-23", "revenue": {"amount": 5}, "total": [1]})
    # an order tracked twice (two persons), the later copy is ignored
    t = c.next_time()
    order("o-twice-a", {"order_id": "O-TWICE", "revenue": 30}, at=t)
    order("o-twice-b", {"order_id": "O-TWICE", "revenue": 31}, at=t - timedelta(minutes=5))
    order("o-twice-c", {"order_id": "O-TWICE", "revenue": 32}, at=t - timedelta(minutes=5))
    # refunds
    refund = "Order Refunded"
    order("r-known", {"order_id": "O-1", "amount": "5"}, event=refund)
    order("r-unknown", {"order_id": "O-404", "revenue": 3}, event=refund)
    order("r-no-amount", {"order_id": "O-2"}, event=refund)
    order("r-no-key", {"revenue": 4}, event=refund)
    order("r-amount-spaced", {"order_id": "O-2", "amount": " 2.5 "}, event=refund)
    order("r-alias", {"order_id": "O-7", "value": 1}, event="Refund")
    order("r-numeric-id", {"order_id": Lit("1.50"), "revenue": 2}, event=refund)
    order("r-gbp", {"order_id": "O-11", "revenue": 1, "currency": "gbp"}, event=refund)
    order("r-jpy-order", {"order_id": "O-9", "revenue": 100}, event=refund)
    order("r-transaction", {"transaction_id": "T-12", "total": "4"}, event=refund)
    order("r-event-id-key", {"revenue": 1, "messageId": "m-o-no-key"}, event="order_refund")
    # subscriptions
    sub = {"anonymousId": None, "userId": "u-sub-1"}
    order(
        "s1-start",
        {"mrr": "49.99"},
        event="subscription_started",
        **sub,
        at=datetime(2024, 2, 20, 10, tzinfo=UTC),
    )
    order(
        "s1-change",
        {"mrr": " 99 "},
        event="Subscription Changed",
        **sub,
        at=datetime(2024, 3, 15, 10, tzinfo=UTC),
    )
    order(
        "s1-bad",
        {"mrr": "abc"},
        event="subscription_changed",
        **sub,
        at=datetime(2024, 3, 20, 10, tzinfo=UTC),
    )
    order(
        "s1-cancel",
        {},
        event="subscription_cancelled",
        **sub,
        at=datetime(2024, 4, 1, 3, tzinfo=UTC),
    )
    sub2 = {"anonymousId": None, "userId": "u-sub-2"}
    order(
        "s2-start",
        {"mrr": Lit("10")},
        event="Subscription Start",
        **sub2,
        at=datetime(2024, 2, 29, 23, 30, tzinfo=UTC),
    )
    order(
        "s2-cancel",
        {"mrr": 5},
        event="subscription_canceled",
        **sub2,
        at=datetime(2024, 3, 10, tzinfo=UTC),
    )
    order(
        "s2-restart",
        {"mrr": "1e1"},
        event="subscription_started",
        **sub2,
        at=datetime(2024, 4, 2, tzinfo=UTC),
    )
    sub4 = {"anonymousId": None, "userId": "u-sub-4"}
    order(
        "s4-negative",
        {"mrr": "-5"},
        event="subscription_started",
        **sub4,
        at=datetime(2024, 3, 3, tzinfo=UTC),
    )
    order(
        "s4-positive",
        {"mrr": "5"},
        event="subscription_changed",
        **sub4,
        at=datetime(2024, 4, 3, tzinfo=UTC),
    )
    sub3 = {"anonymousId": None, "userId": "u-sub-3"}
    order(
        "s3-null",
        {"mrr": None},
        event="subscription_started",
        **sub3,
        at=datetime(2024, 3, 1, tzinfo=UTC),
    )
    order(
        "s3-zero",
        {"mrr": "0"},
        event="subscription_started",
        **sub3,
        at=datetime(2024, 3, 2, tzinfo=UTC),
    )
    order(
        "s3-up",
        {"mrr": Lit("15.5")},
        event="subscription_changed",
        **sub3,
        at=datetime(2024, 3, 31, 23, 59, tzinfo=UTC),
    )
    order(
        "s3-down",
        {"mrr": "7"},
        event="subscription_changed",
        **sub3,
        at=datetime(2024, 4, 1, 0, 1, tzinfo=UTC),
    )
    # experiments
    exposures: list[tuple[str, Any, Any]] = [
        ("e-control", "checkout_button", "control"),
        ("e-treatment", "checkout_button", "treatment"),
        ("e-int", "checkout_button", Lit("1")),
        ("e-decimal", "checkout_button", Lit("1.50")),
        ("e-bool", "checkout_button", True),
        ("e-spaced", "checkout_button", " control "),
        ("e-empty", "checkout_button", ""),
        ("e-object", "checkout_button", {"v": 1}),
        ("e-numeric-name", Lit("42"), "b"),
        ("e-case", "checkout_button", "Control"),
    ]
    for case, experiment, variant in exposures:
        t = c.next_time()
        props = {"experiment_name": experiment, "variant": variant}
        order(case, props, event="Experiment Viewed", at=t)
        order(
            f"{case}-conv",
            {"revenue": 1},
            event="Order Completed",
            at=t + timedelta(hours=1),
            anonymousId=f"anon-{case}",
        )
        order(
            f"{case}-chk",
            {},
            event="Checkout Started",
            at=t + timedelta(hours=2),
            anonymousId=f"anon-{case}",
        )
    t = c.next_time()
    order(
        "e-two-variants",
        {"experiment_name": "checkout_button", "variant": "control"},
        event="experiment_viewed",
        at=t,
    )
    order(
        "e-two-variants-b",
        {"experiment_name": "checkout_button", "variant": "treatment"},
        event="experimentStarted",
        at=t + timedelta(minutes=1),
        anonymousId="anon-e-two-variants",
    )
    order(
        "e-same-time",
        {"experiment_name": "checkout_button", "variant": "control"},
        event="experiment_viewed",
        at=t,
        messageId="m-e-same-b",
    )
    order(
        "e-same-time-2",
        {"experiment_name": "checkout_button", "variant": "treatment"},
        event="experiment_viewed",
        at=t,
        messageId="m-e-same-a",
        anonymousId="anon-e-same-time",
    )


def add_session_and_funnel_cases(c: Corpus) -> None:
    f = "app/sessions.ndjson"
    start = datetime(2024, 3, 9, 23, 40, tzinfo=UTC)

    def ev(case: str, person: str, when: datetime, name: str, **fields: Any) -> None:
        c.event(f, case, at=when, anonymousId=f"anon-{person}", event=name, **fields)

    ev("sess-1", "sess", start, "Product Viewed")
    ev("sess-2", "sess", start + timedelta(minutes=30), "Add To Cart")
    ev("sess-3", "sess", start + timedelta(minutes=60, microseconds=1), "Begin Checkout")
    ev(
        "sess-4",
        "sess",
        start + timedelta(minutes=60, microseconds=1),
        "Order Completed",
        properties={"case": "sess-4", "order_id": "O-SESS", "revenue": "9.99"},
    )
    ev("sess-5", "sess", start + timedelta(minutes=61), "App Backgrounded")
    t = datetime(2024, 3, 16, 0, 0, tzinfo=UTC)
    for index in range(80):
        ev(f"long-{index}", "long", t + timedelta(minutes=20 * index), "Heartbeat")
    # funnels with equal timestamps and steps out of order
    t = datetime(2024, 3, 21, 8, tzinfo=UTC)
    ev("fun-1", "fun", t, "Signed Up")
    ev("fun-2", "fun", t, "Page Viewed", messageId="m-fun-2")
    ev("fun-3", "fun", t, "Onboarding Complete")
    ev("fun-4", "fun", t + timedelta(days=14), "Signed Up")
    ev("fun-5", "fun", t + timedelta(days=14, seconds=1), "onboardingCompleted")
    c.event(
        f, "fun-page", at=t, type="page", event=None, anonymousId="anon-fun", messageId="m-fun-1"
    )
    # DST edges for the New York config
    for index, when in enumerate(
        [
            datetime(2024, 3, 10, 6, 59, tzinfo=UTC),
            datetime(2024, 3, 10, 7, 0, tzinfo=UTC),
            datetime(2024, 3, 11, 3, 59, tzinfo=UTC),
            datetime(2024, 3, 11, 4, 0, tzinfo=UTC),
            datetime(2024, 4, 1, 3, 59, tzinfo=UTC),
            datetime(2024, 4, 1, 4, 0, tzinfo=UTC),
        ]
    ):
        ev(f"dst-{index}", f"dst-{index % 2}", when, "Page Viewed")


def add_json_cases(c: Corpus) -> None:
    f = "web/2024/03/json.ndjson"
    t = iso(datetime(2024, 3, 22, 9, tzinfo=UTC))
    head = '{"type":"track","event":"Json Case","timestamp":"' + t + '",'
    lines = [
        head + '"anonymousId":"j-nan","properties":{"v":NaN}}',
        head + '"anonymousId":"j-inf","properties":{"v":Infinity}}',
        head + '"anonymousId":"j-neg-inf","properties":{"v":-Infinity}}',
        head + '"anonymousId":"j-trailing-comma",}',
        head + '"anonymousId":"j-trailing-comma-array","properties":{"v":[1,2,]}}',
        head + '"anonymousId":"j-comment" /* c */}',
        head + '"anonymousId":"j-line-comment"} // c',
        head + '"anonymousId":"j-empty-comment"/**/}',
        "{'type':'track','event':'x','anonymousId':'j-single','timestamp':'" + t + "'}",
        head + '"anonymousId":"j-two"}{"a":1}',
        head + 'anonymousId:"j-unquoted"}',
        head + '"anonymousId":"j-true","properties":{"v":TRUE}}',
        head + '"anonymousId":"j-leading-zero","properties":{"v":01}}',
        head + '"anonymousId":"j-plus","properties":{"v":+1}}',
        head + '"anonymousId":"j-dot","properties":{"v":.5}}',
        head + '"anonymousId":"j-hex","properties":{"v":0x10}}',
        head + '"anonymousId":"j-ctrl","properties":{"v":"a\tb"}}',
        head + '"anonymousId":"j-lone-surrogate","properties":{"v":"\\ud800"}}',
        head + '"anonymousId":"j-low-surrogate","properties":{"v":"\\udc00x"}}',
        head + '"anonymousId":"j-bad-escape","properties":{"v":"\\x41"}}',
        head + '"anonymousId":"j-truncated"',
        '["not","an","object"]',
        '"just a string"',
        "null",
        "42",
        "{}",
        "{ }",
        '{"type":"track"}',
        head + '"anonymousId":"j-ok-surrogate-pair","properties":{"v":"\\ud83d\\ude00"}}',
        head + '"anonymousId":"j-ok-nul","properties":{"v":"\\u0000"}}',
        head + '"anonymousId":"j-ok-exp","properties":{"v":1E+2,"w":-0,"x":0.1e-2}}',
        head + '"anonymousId":"j-ok-big","properties":{"v":1e999}}',
        head + '"anonymousId":"j-ok-del","properties":{"v":"\x7f"}}',
        head + ' "anonymousId" : "j-ok-ws" ,\r\n\t"properties" : { } }',
        head + '"anonymousId":"j-ok-cr-inside",\r"properties":{}}',
        head + '"anonymousId":"j-ok-trailing-ws"}   \t',
        "   " + head + '"anonymousId":"j-ok-leading-ws"}',
        head + '"anonymousId":"j-ok-escaped-slash","properties":{"u":"https:\\/\\/x.example\\/"}}',
        head + '"anonymousId":"j-ok-unicode-escape","event":"Caf\\u00e9 Viewed"}',
        head + '"anonymousId":"j-ok-escaped-quote","properties":{"v":"say \\"hi\\", NaN}"}}',
        head + '"anonymousId":"j-ok-string-nan","properties":{"v":"NaN","w":"Infinity,]"}}',
    ]
    for line in lines:
        c.raw(f, line)
    # deep nesting: 100 levels and 1500 levels of properties
    for depth in (100, 1500):
        nested = "{}"
        for _ in range(depth):
            nested = '{"a":' + nested + "}"
        c.raw(f, head + f'"anonymousId":"j-depth-{depth}","properties":' + nested + "}")
    # very long lines: a 300 kB property, and the same line cut short
    long_value = "x" * 300_000
    long_line = head + '"anonymousId":"j-long","properties":{"blob":"' + long_value + '"}}'
    c.raw(f, long_line)
    c.raw(f, long_line[:-3])
    c.raw(f, head + '"anonymousId":"j-long-name","event":"' + "Ab" * 20_000 + '"}')
    # invalid UTF-8 and odd bytes
    b = head.encode()
    c.raw(f, b + b'"anonymousId":"j-latin1-caf\xe9"}')
    c.raw(f, b + b'"anonymousId":"j-overlong","event":"\xc0\xaf"}')
    c.raw(f, b + b'"anonymousId":"j-surrogate-bytes","event":"\xed\xa0\x80"}')
    c.raw(f, b + b'"anonymousId":"j-truncated-utf8","event":"\xe2\x82"}')
    c.raw(f, b'\xff\xfe{"type":"track"}')
    c.raw(f, b + b'"anonymousId":"j-nbsp-after"}\xc2\xa0')
    c.raw(f, "\ufeff" + head + '"anonymousId":"j-bom-mid-file"}')
    c.raw(f, head + '"anonymousId":"j-zwsp"}\u200b')
    c.raw(f, b"\x0c" + b + b'"anonymousId":"j-formfeed"}')


def add_deletion_cases(c: Corpus) -> None:
    f = "app/privacy.ndjson"
    t = datetime(2024, 3, 25, 10, tzinfo=UTC)
    c.event(f, "del-1", at=t, anonymousId="anon-del", userId=None)
    c.event(f, "del-2", at=t + timedelta(minutes=1), anonymousId="anon-del", userId="u-del")
    c.event(
        f,
        "del-3",
        at=t + timedelta(minutes=2),
        anonymousId="anon-del-2",
        userId="u-del",
        event="Order Completed",
        properties={"case": "del-3", "order_id": "O-DEL", "revenue": 50},
    )
    # a duplicate of a deleted person's event
    c.event(
        f,
        "del-2",
        at=t + timedelta(minutes=1),
        anonymousId="anon-del",
        userId="u-del",
        receivedAt="2024-03-26T00:00:00Z",
    )
    # rejected lines naming the listed id (removed) or a longer id (kept)
    c.raw(f, '{"type":"bogus","userId":"u-del","timestamp":"2024-03-25T10:00:00Z"}')
    c.raw(f, '{"type":"bogus","userId":"u-del-other","timestamp":"2024-03-25T10:00:00Z"}')
    c.raw(f, '{"userId":"u-del", NaN}')
    c.raw(f, '{"type":"track","event":"x","note":"u-del"}')
    # listed anonymous id, and an id listed with spaces in the seed
    c.event(f, "del-anon", at=t + timedelta(minutes=3), anonymousId="anon-listed")
    c.event(
        f, "del-spaced", at=t + timedelta(minutes=4), anonymousId="anon-spc", userId="u-del-spaced"
    )
    # a shared device whose first user is deleted: the second user stays
    c.event(
        f,
        "del-shared-1",
        at=t + timedelta(minutes=5),
        anonymousId="dev-del-shared",
        userId="u-del-shared",
    )
    c.event(
        f,
        "del-shared-2",
        at=t + timedelta(minutes=6),
        anonymousId="dev-del-shared",
        userId="u-keep-shared",
    )
    c.event(
        f, "del-shared-3", at=t + timedelta(minutes=7), anonymousId="dev-del-shared", userId=None
    )
    # an alias merged into a deleted user
    c.event(
        f,
        "del-merge-1",
        at=t + timedelta(minutes=8),
        anonymousId="anon-merge",
        userId="u-merged-away",
    )
    c.event(
        f,
        "del-merge-2",
        at=t + timedelta(minutes=9),
        type="alias",
        event=None,
        anonymousId=None,
        previousId="u-merged-away",
        userId="u-del",
    )


def add_duplicate_cases(c: Corpus) -> None:
    t = datetime(2024, 3, 26, 10, tzinfo=UTC)
    for file, received, path in [
        ("web/dup-a.ndjson", "2024-03-26T10:00:05Z", "/late"),
        ("web/dup-b.ndjson", "2024-03-26T10:00:01Z", "/early"),
        ("web/dup-b.ndjson", None, "/null-received"),
    ]:
        c.event(
            file,
            "dup-received",
            at=t,
            receivedAt=received,
            type="page",
            event=None,
            context={"page": {"path": path}},
        )
    for path in ("/\u00e9", "/z"):
        c.event(
            "web/dup-b.ndjson",
            "dup-utf8-order",
            at=t + timedelta(minutes=5),
            receivedAt=None,
            type="page",
            event=None,
            context={"page": {"path": path}},
        )
    c.event("web/дата файл (1).ndjson", "odd-file-name", at=t + timedelta(minutes=6))
    c.raw("web/дата файл (1).ndjson", "not json in an odd file name")
    for path in ("/zzz", "/aaa"):
        c.event(
            "web/dup-a.ndjson",
            "dup-raw-order",
            at=t + timedelta(minutes=1),
            receivedAt=None,
            type="page",
            event=None,
            context={"page": {"path": path}},
        )
    same = dict(at=t + timedelta(minutes=2), type="page", event=None)
    c.event("web/dup-a.ndjson", "dup-identical", **same)
    c.event("web/dup-b.ndjson", "dup-identical", **same)
    # a rejected line is never a duplicate
    c.event("web/dup-a.ndjson", "dup-rejected", at=t + timedelta(minutes=3))
    c.event("web/dup-b.ndjson", "dup-rejected", at=t + timedelta(minutes=3), type="nope")
    # md5 ids of identical lines without an id are duplicates too
    c.event("web/dup-a.ndjson", "dup-md5", at=t + timedelta(minutes=4), messageId=None)
    c.event("web/dup-a.ndjson", "dup-md5", at=t + timedelta(minutes=4), messageId=None)


def add_mutations(c: Corpus) -> None:
    """Programmatic mutations of a few base events (seeded, so the corpus is stable)."""
    rng = random.Random(20240304)
    f = "mut/mutations.ndjson"
    placeholders = ["NULL", " undefined ", "[object Object]", "None", "nan", "ANONYMOUS", "-1"]
    for index in range(60):
        case = f"mut-{index}"
        at = c.next_time(minutes=13)
        obj: dict[str, Any] = {
            "type": rng.choice(["track", "TRACK", " track ", "page", "screen", "identify"]),
            "event": rng.choice(["Product Viewed", "productViewed", "add-to-cart", "Signed Up"]),
            "messageId": f"m-{case}",
            "anonymousId": f"anon-{case}",
            "timestamp": iso(at),
            "receivedAt": iso(at + timedelta(seconds=rng.randint(0, 90_000))),
            "properties": {"case": case},
            "context": {
                "page": {"url": f"https://shop.example/m/{index}?utm_source=s{index % 3}"},
            },
        }
        mutation = index % 12
        if mutation == 0:
            obj["anonymous_id"] = obj.pop("anonymousId")
        elif mutation == 1:
            obj["anonymousId"] = rng.choice(placeholders)
            obj["userId"] = f"u-{case}" if rng.random() < 0.5 else rng.choice(placeholders)
        elif mutation == 2:
            obj["userId"] = Lit(str(rng.randint(-5, 5)) + rng.choice(["", ".0", ".50", "e0"]))
        elif mutation == 3:
            obj["original_timestamp"] = obj.pop("timestamp")
            obj["sent_at"] = iso(at - timedelta(seconds=rng.randint(-600, 600)))
        elif mutation == 4:
            obj["timestamp"] = obj["timestamp"].replace("T", " ").replace("Z", "+00:00")
        elif mutation == 5:
            obj["timestamp"] = obj["timestamp"][:16] + rng.choice(["", "Z", "+01", "-0130"])
        elif mutation == 6:
            obj["event"] = "  " + obj["event"].upper() + "  "
        elif mutation == 7:
            obj["properties"]["revenue"] = rng.choice([" 12.50 ", "1e2", "0x10", "NaN", 3])
            obj["event"] = "Order Completed"
            obj["type"] = "track"
        elif mutation == 8:
            obj["context"]["ip"] = rng.choice(["1.2.3.4", "::1", "300.1.1.1", "2001:db8::"])
        elif mutation == 9:
            obj["messageId"] = f"m-mut-{index - 1}"
        elif mutation == 10:
            obj["type"] = rng.choice(["alias", "group"])
            obj["previousId"] = f"anon-mut-{index - 3}"
            obj["userId"] = f"u-mut-{index}"
        text = dump(obj)
        kind = rng.randrange(6)
        if kind == 0:
            text = text[: rng.randrange(10, len(text) - 1)]  # cut short
        elif kind == 1:
            text = text[:-1] + ",}"  # trailing comma
        elif kind == 2:
            text = text.replace('"case"', '"case":NaN,"case2"', 1)
        c.raw(f, text)


def build_corpus(root: Path) -> None:
    c = Corpus()
    add_timestamp_cases(c)
    add_skew_cases(c)
    add_id_cases(c)
    add_name_cases(c)
    add_identity_cases(c)
    add_url_cases(c)
    add_revenue_cases(c)
    add_session_and_funnel_cases(c)
    add_json_cases(c)
    add_deletion_cases(c)
    add_duplicate_cases(c)
    add_mutations(c)
    for name, lines in c.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\n".join(lines) + b"\n")
    # the same kind of lines in other containers: gzip + CRLF + blank lines + no final
    # newline, a BOM at the start of a file, whitespace-only lines, ignored file names
    mobile = [
        dump(
            {
                "type": "screen",
                "anonymousId": f"anon-mobile-{i}",
                "messageId": f"m-mobile-{i}",
                "originalTimestamp": iso(BASE + timedelta(hours=i)),
                "sentAt": iso(BASE + timedelta(hours=i, seconds=30)),
                "receivedAt": iso(BASE + timedelta(hours=i, seconds=31)),
                "context": {"device": {"type": "ios"}, "ip": "2001:db8:1234:5678::1"},
            }
        ).encode()
        for i in range(6)
    ]
    gz_body = (
        b"\r\n".join([mobile[0], b"", mobile[1], b"   ", b"\t\r", mobile[2], b"\r", mobile[3]])
        + b"\r\n\r\n"
        + mobile[4]
        + b"\r\n"
        + mobile[5]
    )
    (root / "app" / "mobile").mkdir(parents=True, exist_ok=True)
    (root / "app" / "mobile" / "part-0001.jsonl.gz").write_bytes(gzip.compress(gz_body))
    second_member = dump(
        {
            "event": "Multi Member",
            "anonymousId": "anon-multi-member",
            "timestamp": "2024-03-06T00:00:00Z",
        }
    ).encode()
    (root / "app" / "mobile" / "part-0002.ndjson.gz").write_bytes(
        gzip.compress(mobile[0].replace(b"mobile-0", b"mobile-gz2") + b"\n")
        + gzip.compress(second_member + b"\n")
    )
    bom_line = dump(
        {"event": "Bom First", "anonymousId": "anon-bom", "timestamp": "2024-03-06T01:00:00Z"}
    )
    bom_second = dump(
        {"event": "Bom Second", "anonymousId": "anon-bom-2", "timestamp": "2024-03-06T01:00:00Z"}
    )
    (root / "web" / "bom.ndjson").write_bytes(
        b"\xef\xbb\xbf" + bom_line.encode() + b"\r\n" + bom_second.encode() + b"\r\n"
    )
    (root / "web" / "blank-only.jsonl").write_bytes(b"\n\n  \n\r\n")
    (root / "web" / "empty.ndjson").write_bytes(b"")
    (root / ".hidden").mkdir(exist_ok=True)
    (root / ".hidden" / "dot-dir.ndjson").write_bytes(
        dump(
            {"event": "Hidden Dir", "anonymousId": "anon-hidden", "timestamp": "2024-03-06"}
        ).encode()
        + b"\n"
    )
    ignored = dump(
        {"event": "Ignored File", "anonymousId": "anon-ignored", "timestamp": "2024-03-06"}
    ).encode()
    for name in ("ignored.json", "ignored.txt", "ignored.ndjson.bak", "UPPER.NDJSON", "x.gz"):
        (root / "web" / name).write_bytes(ignored + b"\n")


# ----------------------------------------------------------------------------- configs

CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "utc_defaults": {},
    "new_york_dst": {
        "reporting_timezone": "America/New_York",
        "own_hosts": ["www.Shop.example", "shop.example"],
        "non_interactive_events": ["experiment_viewed", "app_backgrounded", "heartbeat"],
        "retention_cohort_event": "signed_up",
        "experiments": {
            "checkout_button": {"conversion_event": "checkout_started", "window_days": 7}
        },
    },
    "kathmandu_eur_custom_aliases": {
        "reporting_timezone": "Asia/Kathmandu",
        "reporting_currency": "eur",
        "keep_emails": True,
        "session_timeout_minutes": 10,
        "session_max_hours": 2,
        "min_event_date": "2024-03-01",
        "max_future_skew_hours": 1,
        "order_events": ["order_completed", "purchase_made"],
        "funnels": [
            {"name": "browse", "steps": ["page_viewed", "product_viewed", "page_viewed"]},
            {"name": "buy", "steps": ["product_added", "order_completed"]},
        ],
    },
}

# Extra alias rows for the third configuration: raw names written as people write them.
CUSTOM_ALIAS_ROWS = [
    ("Purchase Made", "purchase_made"),
    ("Hidden Dir", "hidden_seen"),
    ("  heartbeat  ", "ping"),
    ("json_case", "Json Case Canonical"),
    # one target per raw name: a second one stops the build (tests/python/test_seed_checks.py)
    ("multi_member", "mm_a"),
]

DELETION_ROWS = [
    ("u-del", "", "2024-04-01T00:00:00Z"),
    ("", "anon-listed", ""),
    (" u-del-spaced ", "", "not a date"),
    ("u-del-shared", "", "2024-04-01"),
    ("u-never-seen", "anon-never-seen", "2024-04-01"),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("edge_lines") / "events"
    root.mkdir()
    build_corpus(root)
    return root


def write_seeds(directory: Path, custom_aliases: bool) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("event_name_aliases", "channel_rules", "currency_rates"):
        (directory / f"{name}.csv").write_bytes((PROJECT_SEEDS / f"{name}.csv").read_bytes())
    if custom_aliases:
        with open(directory / "event_name_aliases.csv", "a", newline="", encoding="utf-8") as out:
            csv.writer(out, lineterminator="\n").writerows(CUSTOM_ALIAS_ROWS)
    with open(directory / "deletion_requests.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["user_id", "anonymous_id", "requested_at"])
        writer.writerows(DELETION_ROWS)
    return directory


def staged_event_rows(rows: list[dict[str, Any]], reference: bool) -> list[dict[str, Any]]:
    """Per-event fields of stg_events (dbt) / `_events` (reference) under common names."""
    out = []
    for row in rows:
        device = row["device_type_raw"] if reference else row["context_device_type"]
        out.append(
            {
                "event_id": row["event_id"],
                "file": row["file"],
                "line_number": row["line_number"],
                "event_type": row["event_type"],
                "event_name": row["event_name"],
                "user_id": row["user_id"],
                "anonymous_id": row["anonymous_id"],
                "previous_id": row["previous_id"],
                "occurred_at": row["occurred_at"],
                "received_at": row["received_at"],
                "client_session_id": row["client_session_id"],
                "page_url": row["page_url"],
                "page_path": row["page_path"],
                "referrer": row["page_referrer"] if reference else row["referrer"],
                "referrer_host": row["referrer_host"],
                "page_title": row["page_title"],
                "utm_source": row["utm_source"],
                "utm_medium": row["utm_medium"],
                "utm_campaign": row["utm_campaign"],
                "utm_term": row["utm_term"],
                "utm_content": row["utm_content"],
                "user_agent": row["user_agent"],
                "device_type": device.lower() if isinstance(device, str) else device,
                "ip": row["ip_masked"] if reference else row["ip_truncated"],
                "locale": row["locale"],
            }
        )
    return out


def compare_staged_events(
    expected_rows: list[dict[str, Any]], actual_rows: list[dict[str, Any]]
) -> list[str]:
    """Staged events by event_id. Stricter than compare_rows: two texts must be equal as
    texts (compare_rows takes "1.50" and "1.5" for the same number)."""
    expected = {row["event_id"]: row for row in expected_rows}
    actual = {row["event_id"]: row for row in actual_rows}
    problems = [
        f"stg_events: event_id {key!r} only in reference" for key in expected.keys() - actual.keys()
    ]
    problems += [
        f"stg_events: event_id {key!r} only in dbt" for key in actual.keys() - expected.keys()
    ]
    for key in sorted(expected.keys() & actual.keys()):
        for column, value in expected[key].items():
            other = actual[key][column]
            if isinstance(value, str) and isinstance(other, str):
                same = value == other
            else:
                same = values_equal(value, other)
            if not same:
                problems.append(
                    f"stg_events: event_id={key!r} {column}: reference={value!r} dbt={other!r}"
                )
    return sorted(problems)


def test_corpus_is_large_and_varied(corpus: Path) -> None:
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())
    event_files = [p for p in corpus.rglob("*") if p.name.endswith(EVENT_SUFFIXES)]
    lines = sum(
        (gzip.decompress(p.read_bytes()) if p.name.endswith(".gz") else p.read_bytes()).count(b"\n")
        for p in event_files
    )
    assert lines > 500, lines
    assert any(name.endswith(".jsonl.gz") for name in files)
    assert any(name.endswith(".ndjson.gz") for name in files)


def semantic_traits(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`traits` compared as JSON values: SPEC fixes the keys and values, not how nested
    objects are ordered or how a number is spelled (1.50 and 1.5 are one JSON number)."""
    return [
        {**row, "traits": json.dumps(json.loads(row["traits"]), sort_keys=True)}
        if row.get("traits")
        else row
        for row in rows
    ]


def differences(events: Path, overrides: dict[str, Any], seeds: Path, root: Path) -> list[str]:
    """Build `events` with dbt and compute them with the reference; return every problem."""
    reference = compute_all(events, overrides, load_seeds(seeds))
    project = DbtProject(root)
    project.use_seeds(seeds)
    project.build({"raw_events_path": str(events), **overrides})
    problems: list[str] = []
    for table in sorted(TABLE_KEYS):
        problems += compare_rows(
            table,
            semantic_traits(reference[table]),
            semantic_traits(project.rows(MODEL_OF.get(table, table))),
            key_columns=TABLE_KEYS[table],
            ignore_columns=DEBUG_COLUMNS,
            max_report=40,
        )
    problems += compare_staged_events(
        staged_event_rows(reference["_events"], reference=True),
        staged_event_rows(project.rows("stg_events"), reference=False),
    )
    return problems


@pytest.mark.parametrize("configuration", sorted(CONFIGURATIONS))
def test_edge_lines_equal_reference(configuration: str, corpus: Path, tmp_path: Path) -> None:
    overrides = CONFIGURATIONS[configuration]
    seeds = write_seeds(tmp_path / "seeds", custom_aliases="custom" in configuration)
    reference = compute_all(corpus, overrides, load_seeds(seeds))
    for table in TABLE_KEYS:
        assert reference[table] or table == "fct_mrr_movements", f"no reference {table} rows"
    problems = differences(corpus, overrides, seeds, tmp_path / "project")
    assert not problems, "\n" + format_problems(problems, limit=400)


# Trait keys that are legal JSON but special in JSON paths. Kept out of the main corpus:
# if one of them breaks the build, the other comparisons still run.
HOSTILE_TRAIT_KEYS = {"empty_key": "", "wildcard_key": "*", "dollar_star": "$.*"}


@pytest.mark.parametrize("name", sorted(HOSTILE_TRAIT_KEYS))
def test_hostile_trait_keys_equal_reference(name: str, tmp_path: Path) -> None:
    events = tmp_path / "events"
    events.mkdir()
    at = datetime(2024, 3, 5, 12, tzinfo=UTC)
    lines = [
        {"type": "page", "userId": "u-hostile", "messageId": "m-h1", "timestamp": iso(at)},
        {
            "type": "identify",
            "userId": "u-hostile",
            "messageId": "m-h2",
            "timestamp": iso(at + timedelta(minutes=1)),
            "traits": {HOSTILE_TRAIT_KEYS[name]: "hostile", "plain": "p", "zz": 1},
        },
        {"event": "Signed Up", "userId": "u-other", "messageId": "m-h3", "timestamp": iso(at)},
    ]
    (events / "hostile.ndjson").write_text("\n".join(dump(line) for line in lines) + "\n")
    seeds = write_seeds(tmp_path / "seeds", custom_aliases=False)
    problems = differences(events, {}, seeds, tmp_path / "project")
    assert not problems, "\n" + format_problems(problems, limit=100)
