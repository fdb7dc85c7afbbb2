"""Every dispatched engine macro gives the same result on DuckDB and on Spark (SPEC §12).

The real macros (macros/, without identity, incremental and privacy) are copied into a
throwaway dbt project with one model per probe: `select case_id, <macro call> as output
from probe_input_<probe>`. `dbt compile` renders every model once for the duckdb and once
for the spark adapter (no connection needed); the compiled SQL runs on an in-memory DuckDB
and on one local SparkSession over the same input table. Outputs must be equal case by
case, and equal to the pure-Python reference (tests/python/spec_reference) where it has the
function.

Inputs are the hostile values the project already tests: the raw lines of the edge-line
corpus (test_dbt_vs_reference_edge_lines) and the values found in them (timestamps of every
shape, urls, referrers, IPs, event names, JSON of every kind), plus a few cases per macro
for what the corpus does not reach. Known differences are listed per probe with their
reason, and the test fails when one of them stops being a difference, so each list can only
shrink.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import duckdb
import pytest

from spark_support import local_spark_session, skip_unless_spark

skip_unless_spark()

from spec_reference.parsing import (  # noqa: E402
    as_number,
    loads_strict,
    mask_ip,
    normalise_event_name,
    read_raw_lines,
    url_host,
    url_path,
)
from spec_reference.timeutil import local_date, parse_timestamp  # noqa: E402
from test_dbt_vs_reference_edge_lines import build_corpus  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).parent / "dbt")
# macro folders being redesigned elsewhere, with models of their own: not probed here
SKIPPED_MACRO_FOLDERS = {"identity", "incremental", "privacy"}
REPORTING_TIMEZONE = "America/New_York"
EPOCH = datetime(1970, 1, 1)
TRIM = " \t\n\r\f\v"

SQL_TYPES = {
    "text": ("varchar", "string"),
    "timestamp": ("timestamp", "timestamp"),
    "date": ("date", "date"),
    "integer": ("integer", "int"),
    "double": ("double", "double"),
}


@dataclass
class Probe:
    """One macro call over a table of cases.

    `select` is the select list after case_id (Jinja, input columns by name); `body`, when
    given, replaces the whole model (`{input}` names the input relation). `reference`
    maps one input row to the expected `output` (None: no reference). `engine_differences`
    and `reference_differences` map a case's first input value to the reason it is known to
    differ; those cases must still differ."""

    name: str
    columns: Sequence[tuple[str, str]]
    rows: Sequence[tuple[Any, ...]]
    select: str = ""
    body: str = ""
    reference: Callable[..., Any] | None = None
    tolerance: float = 0.0
    abs_tolerance: float = 0.0
    engine_differences: dict[Any, str] = field(default_factory=dict)
    reference_differences: dict[Any, str] = field(default_factory=dict)

    def model_sql(self) -> str:
        relation = f"probe_input_{self.name}"
        if self.body:
            return self.body.replace("{input}", relation)
        return f"select case_id, {self.select} from {relation}"


# ----------------------------------------------------------------------------- inputs


def unique(values: Any) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def nested_value(obj: Any, path: Sequence[str]) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


@dataclass
class Corpus:
    lines: list[str]
    objects: list[dict[str, Any]]

    def strings_at(self, *paths: Sequence[str]) -> list[str]:
        values = []
        for obj in self.objects:
            for path in paths:
                value = nested_value(obj, path)
                if isinstance(value, str):
                    values.append(str(value))
        return unique(values)


def load_corpus(root: Path) -> Corpus:
    build_corpus(root)
    lines = unique(line.raw_text for line in read_raw_lines(root))
    objects = []
    for text in lines:
        try:
            value = loads_strict(text)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            objects.append(value)
    return Corpus(lines=lines, objects=objects)


# ----------------------------------------------------------------------------- references


def reference_strict_object(text: str) -> bool:
    try:
        return isinstance(loads_strict(text), dict)
    except (ValueError, RecursionError):
        return False


def reference_trim(text: str | None) -> str | None:
    if text is None:
        return None
    return text.strip(TRIM) or None


def reference_event_name(text: str | None) -> str | None:
    return None if text is None else (normalise_event_name(text) or None)


def reference_percent_decode(text: str | None) -> str | None:
    return None if text is None else unquote(text, errors="replace")


def reference_sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reference_epoch_us(value: datetime) -> int:
    return (value - EPOCH) // timedelta(microseconds=1)


def reference_add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last_day = [31, 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28]
    last_day += [31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return date(year, month + 1, min(day.day, last_day[month]))


def reference_json_kind(text: str) -> str:
    value = loads_strict(text)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "string" if type(value) is str else "number"


def reference_property_number(text: str, key: str) -> float | None:
    value = loads_strict(text).get(key)
    return as_number(value)


# ----------------------------------------------------------------------------- probes

JSON_PATHS = [
    "$.messageId",
    "$.type",
    "$.event",
    "$.userId",
    "$.anonymousId",
    "$.timestamp",
    "$.receivedAt",
    "$.context.page.url",
    "$.context.ip",
    "$.context.campaign.source",
    "$.context.device.type",
    "$.properties",
    "$.traits",
    "$.properties.order_id",
    "$.properties.variant",
]

HOSTILE_OBJECTS = [
    '{"b":1,"a":2,"b":3}',
    '{"":"empty key","*":"star","a.b":"dot","$":"dollar","[0]":"bracket"}',
    '{"k":1.50,"l":2E3,"m":-0,"n":-0.0,"o":12345678901234567890,"p":0.1e-2,"q":1e2}',
    '{"s":"caf\\u00e9","t":"tab\\there","u":"\\u001f","v":"quote \\" and \\\\ slash \\/"}',
    '{"nested":{"x":[1,{"y":null}]},"arr":[],"obj":{},"nul":null,"yes":true,"no":false}',
    '{"ключ":"значение","emoji":"\\ud83d\\ude00","key with space":" padded "}',
    '{ "spaced" : "x" ,\t"more" : [ 1 , 2 ] }',
    "{}",
]

JSON_STRING_TEXTS = [
    "plain",
    "",
    " padded ",
    'quote " inside',
    "back\\slash",
    "slash/",
    "tab\tnew\nline\rcr",
    "\x00nul\x01\x1f\x7f",
    "\u2028\u2029",
    "café Zoë ключ 日本語 🎉",
    "\ufeffbom",
    "<script>&amp;</script>",
]


# The JSON text of a one-entry object {"v": <value>} built from the input column, as a Jinja
# string argument, and the lateral entries of that object.
WRAPPED_V = "\"'{\\\"v\\\":' || objects.value || '}'\""
ENTRIES_OF_V = " {{ product_analytics.json_object_entries(" + WRAPPED_V + ") }}"


def json_value_cases(corpus: Corpus) -> list[str]:
    """JSON texts of single values: scalars of every kind and a few containers."""
    values = [
        "null",
        "true",
        "false",
        "0",
        "-0",
        "4242",
        "-17",
        "1.5",
        '"text"',
        '""',
        '" 1.50 "',
        '"{not an object}"',
        '"[1]"',
        '"true"',
        '"null"',
        '"caf\\u00e9 \\ud83d\\ude00"',
        '"tab\\t \\"q\\" \\\\ \\/"',
        '{"a":1}',
        "[1,2]",
        "[]",
        "{}",
    ]
    return values + [json.dumps(text, ensure_ascii=False) for text in JSON_STRING_TEXTS]


def build_probes(corpus: Corpus) -> list[Probe]:
    text = [("value", "text")]
    lines = [(line,) for line in corpus.lines]
    timestamps = unique(
        corpus.strings_at(
            ["timestamp"],
            ["receivedAt"],
            ["received_at"],
            ["originalTimestamp"],
            ["original_timestamp"],
            ["sentAt"],
            ["sent_at"],
        )
        + [
            "2024-03-05T10:11:12.123456789Z",
            "0001-01-01T00:30:00+01:00",
            "0001-01-01T01:00:00+01:00",
            "9999-12-31T23:59:59.999999Z",
            "9999-12-31T23:59:59-00:01",
            "2024-03-05T10:11:12Z\n",
            "2024-03-05\n",
            "2024-02-29T23:59:60Z",
            "2100-02-29",
            "2000-02-29",
        ]
    )
    names = unique(
        corpus.strings_at(["event"], ["event_name"], ["type"])
        + ["ΟΔΟΣ ΣΑΣ", "Straße", "ﬁnal ﬂow", "ǅungla", "İSTANBUL", "\u212aelvin", "ǰ", ""]
    )
    urls = unique(
        corpus.strings_at(
            ["context", "page", "url"],
            ["properties", "url"],
            ["context", "page", "referrer"],
            ["properties", "referrer"],
        )
        + ["https://x.example/p?utm_source=a\n", "https://x.example/a\nb?utm_source=z", ""]
    )
    escapes = unique(
        [
            value.split("=", 1)[-1]
            for url in urls
            for value in url.replace("?", "&").replace("#", "&").split("&")
            if "%" in value or "+" in value
        ]
        + [
            "%41%42%43",
            "a+b%2Bc",
            "%ZZ%",
            "%",
            "%%41",
            "%e9%",
            "%C3%A9%E9",
            "%ED%A0%80",
            "%ED%9F%BF",
            "%C0%AF",
            "%E0%80%AF",
            "%F4%90%80%80",
            "%F0%9F%98%80%F0%9F",
            "%80%BF",
            "%00",
            "100%",
            "plain",
            "",
        ]
    )
    ips = unique(
        corpus.strings_at(["context", "ip"])
        + ["1.2.3.04", "0.0.0.0", "255.255.255.255", "::ffff:1.2.3.4%eth0", "1:2:3::4:5:6:7"]
        + ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "fe80::1%", "2001:db8::1\n", ":::"]
    )
    instants = [
        datetime(2024, 3, 10, 6, 59, 59, 999999),
        datetime(2024, 3, 10, 7, 0, 0),
        datetime(2024, 11, 3, 4, 59, 59),
        datetime(2024, 11, 3, 5, 0, 0),
        datetime(2024, 11, 3, 6, 0, 0),
        datetime(2024, 12, 31, 23, 59, 59),
        datetime(2025, 1, 1, 4, 59, 59, 999999),
        datetime(2025, 1, 1, 5, 0, 0),
        datetime(1970, 1, 1),
        datetime(1969, 12, 31, 23, 59, 59, 999999),
        datetime(2000, 2, 29, 12, 0, 0, 1),
        datetime(9999, 12, 31, 23, 59, 59, 999999),
        datetime(1, 1, 1, 5, 0, 0),
    ]
    dates = [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2023, 12, 31),
        date(2024, 3, 1),
        date(2000, 1, 1),
        date(1999, 12, 31),
        date(2024, 12, 30),
    ]
    date_pairs = [(a, b) for a in dates for b in dates]
    regex_cases = [
        ("Mozilla/5.0 (iPad; CPU OS 17_0)", "ipad|tablet|kindle|silk"),
        ("google", "(.*\\.)?(google|bing)(\\..*)?"),
        ("www.google.co.uk", "(.*\\.)?(google|bing)(\\..*)?"),
        ("notgoogle.com", "(.*\\.)?(google|bing)(\\..*)?"),
        ("t.co", "(.*\\.)?(t\\.co|x)(\\..*)?"),
        ("tXco", "(.*\\.)?(t\\.co|x)(\\..*)?"),
        ("cpc", "(.*cp.*|ppc|retargeting|paid.*)"),
        ("cpc\n", "cpc"),
        ("a\nb", "a.b"),
        ("e-mail", "email|e-mail|e_mail"),
        ("abc", "b"),
        ("abc", "^b"),
        ("ABC", "abc"),
        ("", ""),
        ("", "x?"),
        ("x", ""),
        ("café", "caf."),
        ("🎉", "."),
        ("a b", "a[ \\t]b"),
        ("a\tb", "a\\sb"),
        ("1.5", "[0-9]+[.][0-9]+"),
        ("12", "[0-9]{2}"),
        ("123", "[0-9]{2}"),
        ("x.y", "x\\.y"),
        ("xzy", "x\\.y"),
    ]
    erfc_inputs = [0.0, 1e-9, 0.1, -0.1, 0.46875, 0.5, 1.0, 2.0, 3.9, 4.0, 4.5, 6.0]
    erfc_inputs += [10.0, 26.0, 26.543, 27.0, -1.0, -3.0, -27.0, 1.959963984540054 / math.sqrt(2)]
    median_rows = [
        (1, 1.0),
        (1, 2.0),
        (1, 4.0),
        (1, 10.0),
        (2, 5.0),
        (3, -1.5),
        (3, 2.25),
        (3, 2.25),
        (4, 0.1),
        (4, 0.2),
        (5, 1e15),
        (5, 3.0),
        (5, -7.0),
        (6, None),
        (6, 8.0),
    ]
    revenue_objects = unique(
        [
            json.dumps({"revenue": value}, ensure_ascii=False)
            for value in [" 12.50 ", "1e2", "0x10", "NaN", "Infinity", "1,000", ".5", "5.", "+5"]
            + ["-20", "  ", "\u00a012", "１２", "1e999", "\t7\n", "- 5", "1e", "", "abc"]
        ]
        + [
            '{"revenue":1.50}',
            '{"revenue":-0.0}',
            '{"revenue":12345678901234567890123}',
            '{"revenue":true}',
            '{"revenue":null}',
            '{"revenue":{"amount":5}}',
            '{"revenue":[1]}',
            '{"revenue":"x","revenue":3}',
            '{"revenue":3,"revenue":"x"}',
            '{"other":1}',
            '{"nested":{"revenue":5}}',
        ]
    )

    def lines_with(markers: dict[str, str]) -> dict[Any, str]:
        """Known differences keyed by the corpus lines that hold each marker."""
        found = {
            line: reason
            for line in corpus.lines
            for marker, reason in markers.items()
            if marker in line
        }
        assert len(found) >= len(markers), "a known-difference marker matches no line"
        return found

    probes = [
        Probe(
            "is_strict_json_object",
            text,
            lines + [(value,) for value in HOSTILE_OBJECTS],
            "{{ product_analytics.is_strict_json_object('value') }} as output",
            reference=reference_strict_object,
        ),
        Probe(
            "json_extract_paths",
            text,
            lines + [(value,) for value in HOSTILE_OBJECTS],
            body=(
                "with extracted as (select case_id, value, "
                "{{ product_analytics.json_extract_paths('value', "
                + json.dumps(JSON_PATHS)
                + ") }}"
                " as json_values from {input}"
                " where {{ product_analytics.is_strict_json_object('value') }})"
                " select case_id"
                + "".join(
                    f", {{{{ product_analytics.json_scalar_text('json_values[{index}]') }}}}"
                    f" as text_{index}"
                    f", {{{{ product_analytics.json_scalar_text('json_values[{index}]', 'value',"
                    f" '{path.rsplit('.', 1)[1]}', nested={str(path.count('.') > 1).lower()})"
                    f" }}}} as raw_text_{index}"
                    f", nullif(case when json_values[{index}] is not null then"
                    f" {{{{ product_analytics.json_kind('json_values[' ~ {index} ~ ']') }}}} end,"
                    f" 'null') as kind_{index}"
                    for index, path in enumerate(JSON_PATHS, start=1)
                )
                + " from extracted"
            ),
            engine_differences=lines_with(
                {
                    '"m-uid-12"': "userId 1e400 overflows a double: Spark reads the string "
                    '"Infinity", DuckDB keeps the number text 1e400',
                    '"timestamp":1.7e9': "a number read without its raw text: DuckDB renders "
                    "1700000000.0, Spark 1.7E9 (neither parses as a timestamp)",
                    '"j-depth-1500"': "get_json_object reads nothing nested deeper than "
                    "Jackson's 1000 levels",
                }
            ),
        ),
        Probe(
            "json_object_entries",
            text,
            [(value,) for value in HOSTILE_OBJECTS]
            + [(line,) for line in corpus.lines if reference_strict_object(line)][:200],
            body=(
                "select objects.case_id,"
                " row_number() over (partition by objects.case_id order by entries.id) as position,"
                " entries.key,"
                " {{ product_analytics.json_kind('entries.value') }} as kind,"
                " case when {{ product_analytics.json_kind('entries.value') }} = 'string' then"
                " {{ product_analytics.json_string_value('entries.value') }} end as string_value,"
                " {{ product_analytics.json_scalar_text('entries.value') }} as scalar_text"
                " from {input} as objects"
                " cross join"
                " {{ product_analytics.json_object_entries('objects.value') }} as entries"
                " where {{ product_analytics.is_strict_json_object('objects.value') }}"
            ),
            engine_differences={
                '{"b":1,"a":2,"b":3}': "Spark: a repeated key gets its first value each time",
                '{"":"empty key","*":"star","a.b":"dot","$":"dollar","[0]":"bracket"}': (
                    "Spark: keys '' and '*' cannot be spelled in a JSON path (null value)"
                ),
            },
        ),
        Probe(
            "json_object_from_entries",
            text,
            [(value,) for value in HOSTILE_OBJECTS if value != "{}"]
            + [(line,) for line in corpus.lines if reference_strict_object(line)][:100],
            body=(
                "select objects.case_id,"
                " {{ product_analytics.json_object_from_entries("
                "'entries.key', 'entries.value', 'order by entries.id desc') }} as output"
                " from {input} as objects"
                " cross join"
                " {{ product_analytics.json_object_entries('objects.value') }} as entries"
                " where {{ product_analytics.is_strict_json_object('objects.value') }}"
                " group by objects.case_id"
            ),
            engine_differences={
                '{"b":1,"a":2,"b":3}': "Spark: a repeated key gets its first value each time",
                '{"":"empty key","*":"star","a.b":"dot","$":"dollar","[0]":"bracket"}': (
                    "Spark: keys '' and '*' cannot be spelled in a JSON path (null value)"
                ),
            },
        ),
        Probe(
            "json_kind",
            text,
            [(value,) for value in json_value_cases(corpus)],
            body=(
                "select objects.case_id,"
                " {{ product_analytics.json_kind('entries.value') }} as output"
                " from {input} as objects cross join" + ENTRIES_OF_V + " as entries"
            ),
            reference=reference_json_kind,
        ),
        Probe(
            "json_string_value",
            text,
            [(value,) for value in json_value_cases(corpus)],
            body=(
                "select objects.case_id,"
                " {{ product_analytics.json_string_value('entries.value') }} as output"
                " from {input} as objects cross join"
                + ENTRIES_OF_V
                + " as entries where {{ product_analytics.json_kind('entries.value') }} = 'string'"
            ),
            reference=lambda value: (
                loads_strict(value) if reference_json_kind(value) == "string" else None
            ),
        ),
        Probe(
            "json_string_literal",
            text,
            [(value,) for value in JSON_STRING_TEXTS + names[:60]] + [(None,)],
            "{{ product_analytics.json_string_literal('value') }} as output",
        ),
        Probe(
            "json_scalar_text",
            text,
            [(value,) for value in json_value_cases(corpus)],
            body=(
                "select objects.case_id,"
                " {{ product_analytics.json_scalar_text('entries.value') }} as output,"
                " {{ product_analytics.json_scalar_text('entries.value',"
                + WRAPPED_V
                + ", 'v') }} as output_from_raw"
                " from {input} as objects cross join" + ENTRIES_OF_V + " as entries"
            ),
        ),
        Probe(
            "json_number",
            text,
            [(value,) for value in revenue_objects],
            "{{ product_analytics.json_number('value', 'revenue') }} as output",
            reference=lambda value: reference_property_number(value, "revenue"),
        ),
        Probe(
            "json_property_text",
            text,
            [(value,) for value in revenue_objects],
            "{{ product_analytics.json_property_text('value', 'revenue') }} as output",
        ),
        Probe(
            "parse_event_timestamp",
            text,
            [(value,) for value in timestamps],
            "{{ product_analytics.epoch_microseconds("
            "product_analytics.parse_event_timestamp('value')) }}"
            " as output",
            reference=lambda value: (
                None
                if parse_timestamp(value) is None
                else reference_epoch_us(parse_timestamp(value))
            ),
        ),
        Probe(
            "trim_text",
            text,
            [
                (value,)
                for value in names + timestamps + ["\x0b\x0cx\x0c\x0b", "\u00a0x\u00a0", None]
            ],
            "{{ product_analytics.trim_text('value') }} as output",
            reference=reference_trim,
        ),
        Probe(
            "lower_text",
            text,
            [(value,) for value in names],
            "{{ product_analytics.lower_text('value') }} as output",
            reference=lambda value: value.lower(),
            reference_differences={
                "ΟΔΟΣ ΣΑΣ": "both engines map Σ to σ one character at a time (Python: final ς)",
            },
        ),
        Probe(
            "upper_text",
            text,
            [(value,) for value in names],
            "{{ product_analytics.upper_text('value') }} as output",
            reference=lambda value: value.upper(),
            engine_differences={
                "ﬁnal ﬂow": "DuckDB's upper() keeps ligatures (ﬁ); Spark, like Python, gives FI",
                "ǰ": "DuckDB's upper() keeps ǰ; Spark, like Python, gives J + U+030C",
            },
        ),
        Probe(
            "normalize_event_name",
            text,
            [(value,) for value in names],
            "{{ product_analytics.normalize_event_name('value') }} as output",
            reference=reference_event_name,
        ),
        Probe(
            "url_path",
            text,
            [(value,) for value in urls],
            "{{ product_analytics.url_path('value') }} as output",
            reference=url_path,
        ),
        Probe(
            "url_host",
            text,
            [(value,) for value in urls],
            "{{ product_analytics.url_host('value') }} as output",
            reference=url_host,
        ),
        Probe(
            "url_query_parameter",
            text,
            [(value,) for value in urls],
            ", ".join(
                f"{{{{ product_analytics.url_query_parameter('value', '{name}') }}}} as {name}"
                for name in ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
            ),
        ),
        Probe(
            "percent_decode",
            text,
            [(value,) for value in escapes],
            "{{ product_analytics.percent_decode('value') }} as output",
            reference=reference_percent_decode,
        ),
        Probe(
            "truncate_ip",
            text,
            [(value,) for value in ips],
            "{{ product_analytics.truncate_ip('value') }} as output",
            reference=mask_ip,
        ),
        Probe(
            "sha256_hex",
            text,
            [(value,) for value in names[:80]],
            "{{ product_analytics.sha256_hex('value') }} as output",
            reference=reference_sha256,
        ),
        Probe(
            "regex_contains",
            [("value", "text"), ("pattern", "text")],
            regex_cases,
            "{{ product_analytics.regex_contains('value', 'pattern') }} as output",
            reference=lambda value, pattern: __import__("re").search(pattern, value) is not None,
        ),
        Probe(
            "regex_full_match",
            [("value", "text"), ("pattern", "text")],
            regex_cases,
            "{{ product_analytics.regex_full_match('value', 'pattern') }} as output",
            reference=lambda value, pattern: __import__("re").fullmatch(pattern, value) is not None,
        ),
        Probe(
            "regex_literal_patterns",
            text,
            [("a\tb",), ("a b",), ("ab",), ("x.y",), ("xzy",), ("t.co",), ("a\\sb",), ("cpc\n",)],
            "{{ product_analytics.regex_full_match('value', \"'a\\\\sb'\") }} as space,"
            " {{ product_analytics.regex_full_match('value', \"'x\\\\.y'\") }} as dot,"
            " {{ product_analytics.regex_contains('value', \"'[\\\\t]'\") }} as tab,"
            " {{ product_analytics.regex_full_match('value',"
            " \"'(.*\\\\.)?(t\\\\.co|x)(\\\\..*)?'\") }}"
            " as host,"
            " {{ product_analytics.regex_full_match('value', \"'cpc'\") }} as anchored",
        ),
        Probe(
            "epoch_microseconds",
            [("value", "timestamp")],
            [(value,) for value in instants],
            "{{ product_analytics.epoch_microseconds('value') }} as output",
            reference=reference_epoch_us,
        ),
        Probe(
            "to_local_date",
            [("value", "timestamp")],
            [(value,) for value in instants],
            "{{ product_analytics.to_local_date('value') }} as output",
            reference=lambda value: local_date(value, REPORTING_TIMEZONE),
        ),
        Probe(
            "add_days",
            [("value", "date"), ("n", "integer")],
            [(day, n) for day in dates for n in (0, 1, -1, 7, 366, -60)],
            "{{ product_analytics.add_days('value', 'n') }} as output",
            reference=lambda day, n: day + timedelta(days=n),
        ),
        Probe(
            "add_months",
            [("value", "date"), ("n", "integer")],
            [(day, n) for day in dates for n in (0, 1, -1, 12, 13, -25)],
            "{{ product_analytics.add_months('value', 'n') }} as output",
            reference=reference_add_months,
        ),
        Probe(
            "days_between",
            [("value", "date"), ("other", "date")],
            date_pairs,
            "{{ product_analytics.days_between('value', 'other') }} as output",
            reference=lambda start, end: (end - start).days,
        ),
        Probe(
            "period_series",
            [("value", "date"), ("other", "date")],
            [(a, b) for a, b in date_pairs if a.day == 1 or a == b],
            body=(
                "select case_id, {{ product_analytics.period_series('day', 'value', 'other') }}"
                " as output from {input}"
                " union all select case_id + 100000,"
                " {{ product_analytics.period_series('month', 'value', 'other') }}"
                " from {input} where extract(day from value) = 1"
                " union all select case_id + 200000,"
                " {{ product_analytics.period_series('week', 'value', 'other') }}"
                " from {input} where value = cast('2024-03-04' as date)"
            ),
        ),
        Probe(
            "integer_series",
            [("n", "integer"), ("m", "integer")],
            [(0, 0), (0, 3), (3, 0), (-2, 2), (5, 4), (1, 1)],
            "{{ product_analytics.integer_series('n', 'm') }} as output",
        ),
        Probe(
            "revenue_date_series",
            [("value", "date"), ("other", "date")],
            [(a, b) for a, b in date_pairs if a <= b and (a.day == 1 or b - a < timedelta(40))],
            body=(
                "select case_id,"
                " {{ product_analytics.revenue_date_series('value', 'other', 'day') }}"
                " as output from {input}"
                " union all select case_id + 100000,"
                " {{ product_analytics.revenue_date_series('value', 'other', 'month') }}"
                " from {input} where extract(day from value) = 1"
            ),
        ),
        Probe(
            "median",
            [("grp", "integer"), ("x", "double")],
            median_rows,
            body=(
                "select grp as case_id, {{ product_analytics.median('x') }} as output"
                " from {input} group by grp"
            ),
        ),
        Probe(
            "erfc",
            [("x", "double")],
            [(value,) for value in erfc_inputs],
            "{{ product_analytics.erfc('x') }} as output",
            reference=math.erfc,
            tolerance=1e-14,
            abs_tolerance=1e-300,
        ),
    ]
    return probes


# ----------------------------------------------------------------------------- engines


def write_probe_project(root: Path, probes: Sequence[Probe]) -> None:
    (root / "models").mkdir(parents=True)
    for folder in (PROJECT_ROOT / "macros").iterdir():
        if folder.is_dir() and folder.name not in SKIPPED_MACRO_FOLDERS:
            shutil.copytree(folder, root / "macros" / folder.name)
    (root / "dbt_project.yml").write_text(
        "name: product_analytics\nversion: '0.1.0'\nconfig-version: 2\n"
        "profile: product_analytics\nmodel-paths: [models]\nmacro-paths: [macros]\n"
        f"vars:\n  reporting_timezone: {REPORTING_TIMEZONE}\n"
        "flags:\n  send_anonymous_usage_stats: false\n",
        encoding="utf-8",
    )
    (root / "profiles.yml").write_text(
        "product_analytics:\n  target: duckdb\n  outputs:\n"
        "    duckdb: {type: duckdb, path: ':memory:'}\n"
        "    spark: {type: spark, method: session, host: localhost, schema: probes}\n",
        encoding="utf-8",
    )
    for probe in probes:
        (root / "models" / f"probe_{probe.name}.sql").write_text(
            probe.model_sql() + "\n", encoding="utf-8"
        )


def compile_probes(root: Path, target: str, probes: Sequence[Probe]) -> dict[str, str]:
    """Render every probe model with `target`'s adapter; no connection is opened."""
    command = [DBT, "compile", "--target", target, "--no-populate-cache"]
    command += ["--project-dir", str(root), "--profiles-dir", str(root)]
    command += ["--target-path", f"target_{target}"]
    completed = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-3000:]
    compiled = root / f"target_{target}" / "compiled" / "product_analytics" / "models"
    return {
        probe.name: (compiled / f"probe_{probe.name}.sql").read_text(encoding="utf-8")
        for probe in probes
    }


def duckdb_rows(probe: Probe, sql: str) -> list[tuple[Any, ...]]:
    columns = [("case_id", "integer"), *probe.columns]
    with duckdb.connect() as connection:
        definition = ", ".join(f"{name} {SQL_TYPES[kind][0]}" for name, kind in columns)
        connection.execute(f"create table probe_input_{probe.name} ({definition})")
        placeholders = ", ".join("?" for _ in columns)
        connection.executemany(
            f"insert into probe_input_{probe.name} values ({placeholders})",
            [(index, *row) for index, row in enumerate(probe.rows)],
        )
        return [tuple(row) for row in connection.sql(sql).fetchall()]


def spark_rows(spark: Any, probe: Probe, sql: str) -> list[tuple[Any, ...]]:
    columns = [("case_id", "integer"), *probe.columns]
    schema = ", ".join(f"{name} {SQL_TYPES[kind][1]}" for name, kind in columns)
    frame = spark.createDataFrame(
        [(index, *row) for index, row in enumerate(probe.rows)], schema=schema
    )
    frame.createOrReplaceTempView(f"probe_input_{probe.name}")
    return [tuple(row) for row in spark.sql(sql).collect()]


def sort_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        (value is None, str(type(value)), value if value is not None else 0) for value in row
    )


def same_value(left: Any, right: Any, tolerance: float, abs_tolerance: float = 0.0) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return left == right or math.isclose(left, right, rel_tol=tolerance, abs_tol=abs_tolerance)
    if isinstance(left, float) and isinstance(right, int) and not isinstance(right, bool):
        return same_value(left, float(right), tolerance)
    if isinstance(right, float) and isinstance(left, int) and not isinstance(left, bool):
        return same_value(float(left), right, tolerance)
    return bool(left == right) and type(left) is type(right)


def rows_by_case(rows: list[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    grouped: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row[1:])
    return {case: sorted(values, key=sort_key) for case, values in grouped.items()}


def same_rows(left: list[tuple[Any, ...]], right: list[tuple[Any, ...]], tolerance: float) -> bool:
    return len(left) == len(right) and all(
        len(a) == len(b) and all(same_value(x, y, tolerance) for x, y in zip(a, b, strict=True))
        for a, b in zip(left, right, strict=True)
    )


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def probes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Probe]:
    corpus = load_corpus(tmp_path_factory.mktemp("cross_engine_corpus"))
    return {probe.name: probe for probe in build_probes(corpus)}


@pytest.fixture(scope="module")
def compiled(
    probes: dict[str, Probe], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, str]]:
    root = tmp_path_factory.mktemp("cross_engine_project")
    write_probe_project(root, list(probes.values()))
    return {
        target: compile_probes(root, target, list(probes.values()))
        for target in ("duckdb", "spark")
    }


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from local_spark_session(tmp_path_factory.mktemp("spark_warehouse"))


@pytest.fixture(scope="module")
def outputs(
    probes: dict[str, Probe], compiled: dict[str, dict[str, str]], spark: Any
) -> Callable[[str], dict[str, dict[int, list[tuple[Any, ...]]]]]:
    """Per probe (run once, on first use) and engine: the output rows of each case."""
    results: dict[str, dict[str, dict[int, list[tuple[Any, ...]]]]] = {}

    def run(name: str) -> dict[str, dict[int, list[tuple[Any, ...]]]]:
        if name not in results:
            probe = probes[name]
            results[name] = {
                "duckdb": rows_by_case(duckdb_rows(probe, compiled["duckdb"][name])),
                "spark": rows_by_case(spark_rows(spark, probe, compiled["spark"][name])),
            }
        return results[name]

    return run


PROBE_NAMES = [
    "is_strict_json_object",
    "json_extract_paths",
    "json_object_entries",
    "json_object_from_entries",
    "json_kind",
    "json_string_value",
    "json_string_literal",
    "json_scalar_text",
    "json_number",
    "json_property_text",
    "parse_event_timestamp",
    "trim_text",
    "lower_text",
    "upper_text",
    "normalize_event_name",
    "url_path",
    "url_host",
    "url_query_parameter",
    "percent_decode",
    "truncate_ip",
    "sha256_hex",
    "regex_contains",
    "regex_full_match",
    "regex_literal_patterns",
    "epoch_microseconds",
    "to_local_date",
    "add_days",
    "add_months",
    "days_between",
    "period_series",
    "integer_series",
    "revenue_date_series",
    "median",
    "erfc",
]


def describe(probe: Probe, case: int) -> str:
    return repr(probe.rows[case] if case < len(probe.rows) else case)[:200]


# ----------------------------------------------------------------------------- tests


def test_every_probe_is_listed(probes: dict[str, Probe]) -> None:
    assert sorted(probes) == sorted(PROBE_NAMES)


@pytest.mark.parametrize("name", PROBE_NAMES)
def test_duckdb_and_spark_agree(
    name: str,
    probes: dict[str, Probe],
    outputs: Callable[[str], dict[str, dict[int, list[tuple[Any, ...]]]]],
) -> None:
    probe = probes[name]
    duck, spark = outputs(name)["duckdb"], outputs(name)["spark"]
    assert duck, f"{name}: DuckDB returned no rows"
    known = {
        case for case in range(len(probe.rows)) if probe.rows[case][0] in probe.engine_differences
    }
    problems = []
    for case in sorted(set(duck) | set(spark)):
        equal = same_rows(duck.get(case, []), spark.get(case, []), probe.tolerance)
        if case in known and equal:
            problems.append(f"listed as a known difference but now equal: {describe(probe, case)}")
        elif case not in known and not equal:
            problems.append(
                f"{describe(probe, case)}\n    duckdb: {duck.get(case)!r:.400}"
                f"\n    spark:  {spark.get(case)!r:.400}"
            )
    assert not problems, f"{name}: {len(problems)} cases differ\n" + "\n".join(problems[:40])


# Probes the reference has no function for: JSON value plumbing (engine representations),
# the five utm parameters (checked through the reference pipeline by the edge-line test),
# set-returning series and the median (plain SQL semantics), literal patterns (checked
# against Python's re below).
WITHOUT_REFERENCE = {
    "json_extract_paths",
    "json_object_entries",
    "json_object_from_entries",
    "json_string_literal",
    "json_scalar_text",
    "json_property_text",
    "url_query_parameter",
    "period_series",
    "integer_series",
    "revenue_date_series",
    "median",
    "regex_literal_patterns",
}


@pytest.mark.parametrize("name", [name for name in PROBE_NAMES if name not in WITHOUT_REFERENCE])
def test_engines_equal_reference(
    name: str,
    probes: dict[str, Probe],
    outputs: Callable[[str], dict[str, dict[int, list[tuple[Any, ...]]]]],
) -> None:
    probe = probes[name]
    assert probe.reference is not None, f"{name}: no reference function"
    problems = []
    for engine in ("duckdb", "spark"):
        rows = outputs(name)[engine]
        for case, row in enumerate(probe.rows):
            if row[0] in probe.engine_differences:
                continue
            expected = probe.reference(*row)
            got = rows.get(case, [(None,)])
            equal = len(got) == 1 and same_value(
                got[0][0], expected, probe.tolerance, probe.abs_tolerance
            )
            if expected is None and len(got) == 1 and got[0][0] is None:
                equal = True
            if row[0] in probe.reference_differences:
                if equal:
                    problems.append(
                        f"{engine}: known difference now equal: {describe(probe, case)}"
                    )
            elif not equal:
                problems.append(
                    f"{engine}: {describe(probe, case)} -> {got!r:.300}, want {expected!r}"
                )
    assert not problems, f"{name}: {len(problems)} cases differ\n" + "\n".join(problems[:40])


def test_literal_patterns_mean_the_same(
    outputs: Callable[[str], dict[str, dict[int, list[tuple[Any, ...]]]]],
) -> None:
    """A pattern literal written for DuckDB (`'a\\sb'`) is the same regex on Spark: checked
    against Python's re (the agreement test only shows both engines agree)."""
    import re

    values = ["a\tb", "a b", "ab", "x.y", "xzy", "t.co", "a\\sb", "cpc\n"]
    for engine in ("duckdb", "spark"):
        rows = outputs("regex_literal_patterns")[engine]
        for case, value in enumerate(values):
            expected = (
                re.fullmatch(r"a\sb", value) is not None,
                re.fullmatch(r"x\.y", value) is not None,
                re.search(r"[\t]", value) is not None,
                re.fullmatch(r"(.*\.)?(t\.co|x)(\..*)?", value) is not None,
                value == "cpc",
            )
            assert rows[case] == [expected], (engine, value, rows[case], expected)


def test_unsupported_adapter_error_names_the_macro(tmp_path: Path) -> None:
    """The default__ of a macro with no portable form fails at compile time, naming the
    macro and the adapters that have it (checked on a postgres-like default by calling the
    default__ directly)."""
    root = tmp_path / "project"
    probe = Probe(
        "unsupported",
        [("value", "text")],
        [("x",)],
        "{{ product_analytics.default__json_extract_paths('value', ['$.a']) }} as output",
    )
    write_probe_project(root, [probe])
    command = [DBT, "compile", "--target", "duckdb", "--no-populate-cache"]
    command += ["--project-dir", str(root), "--profiles-dir", str(root)]
    completed = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    assert completed.returncode != 0
    assert "product_analytics.json_extract_paths has no portable SQL form" in completed.stdout
    assert "supported adapters: duckdb, spark" in completed.stdout


def test_harness_can_fail(
    probes: dict[str, Probe], compiled: dict[str, dict[str, str]], spark: Any
) -> None:
    """The comparison sees a real difference: the same probe with a deliberately different
    Spark expression (upper instead of lower) disagrees."""
    probe = probes["lower_text"]
    broken = compiled["spark"]["lower_text"].replace("lower(", "upper(")
    duck = rows_by_case(duckdb_rows(probe, compiled["duckdb"]["lower_text"]))
    wrong = rows_by_case(spark_rows(spark, probe, broken))
    assert any(not same_rows(duck[case], wrong.get(case, []), 0.0) for case in duck)
    _ = UTC  # timestamps are compared as naive UTC on both engines
