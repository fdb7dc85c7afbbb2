"""Tests of the event generator (product_analytics_tools.generator).

The generated files are re-read here with a small, independent reading of SPEC
sections 2 and 3 (`classify`), so the generator's own counts are checked against what
the contract says each line is, not against the generator's intentions.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from product_analytics_tools.generator import (
    REJECT_REASONS,
    GenerationSummary,
    GeneratorConfig,
    generate,
    main,
)

EVENT_SUFFIXES = (".ndjson", ".jsonl", ".ndjson.gz", ".jsonl.gz")

# Generous shares so that a small, fast run still holds every case many times.
SMALL = GeneratorConfig(
    out_dir=Path("unused"),
    persons=700,
    days=21,
    start_date=date(2024, 3, 1),
    seed=7,
    max_lines_per_file=300,
    gzip_share=0.5,
    bad_line_share=0.03,
    duplicate_share=0.03,
    blank_line_share=0.01,
    crlf_file_share=0.3,
    workers=1,
)


# --------------------------------------------------------------------------- SPEC


SEGMENT_TYPES = ("track", "page", "screen", "identify", "alias", "group")
ABSENT_IDS = ("null", "undefined", "none", "nan", "anonymous", "0", "-1", "[object object]")
SHIPPED_ALIASES = {
    "signup": "signed_up",
    "sign_up": "signed_up",
    "user_registered": "signed_up",
    "user_signed_up": "signed_up",
    "pageview": "page_viewed",
    "page_view": "page_viewed",
    "screen_view": "screen_viewed",
    "view_item": "product_viewed",
    "product_view": "product_viewed",
    "add_to_cart": "product_added",
    "added_to_cart": "product_added",
    "begin_checkout": "checkout_started",
    "purchase": "order_completed",
    "order_complete": "order_completed",
    "checkout_completed": "order_completed",
    "refund": "order_refunded",
    "order_refund": "order_refunded",
    "subscription_canceled": "subscription_cancelled",
}
TIMESTAMP_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?"
)
MIN_EVENT_TIME = datetime(2000, 1, 1, tzinfo=UTC)


class JsonNumber(str):
    """A JSON number kept as its text (SPEC: a number counts as its JSON text)."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def strict_loads(text: str) -> Any:
    return json.loads(
        text, parse_int=JsonNumber, parse_float=JsonNumber, parse_constant=_reject_constant
    )


def scalar_text(value: Any) -> str | None:
    """Trimmed text of a string, number or boolean; None when absent or empty."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # JsonNumber included
        return value.strip() or None
    return None


def candidate(message: dict[str, Any], *names: str) -> str | None:
    """First non-empty of the fields, each camelCase name also tried in snake_case."""
    for name in names:
        snake = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
        for key in dict.fromkeys((name, snake)):
            text = scalar_text(message.get(key))
            if text is not None:
                return text
    return None


def identifier(message: dict[str, Any], *names: str) -> str | None:
    for name in names:
        snake = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
        for key in dict.fromkeys((name, snake)):
            text = scalar_text(message.get(key))
            if text is not None and text.lower() not in ABSENT_IDS:
                return text
    return None


def normalize_name(raw: str) -> str:
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", raw).lower()
    name = re.sub(r"[^a-z0-9]+", "_", name).strip("_")
    return SHIPPED_ALIASES.get(name, name)


def parse_timestamp(text: str | None) -> datetime | None:
    if text is None:
        return None
    match = TIMESTAMP_RE.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=UTC,
        )
    except ValueError:
        return None
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        moment -= offset if zone[0] == "+" else -offset
    return moment


@dataclass(frozen=True)
class Verdict:
    reason: str | None  # None: accepted
    event_id: str | None = None
    name: str | None = None
    event_type: str | None = None
    received_at: datetime | None = None
    message: dict[str, Any] | None = None


def classify(raw: bytes) -> Verdict:
    """SPEC section 3: the first reject reason of a non-blank line, or accepted."""
    try:
        message = strict_loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Verdict("invalid_json")
    if not isinstance(message, dict):
        return Verdict("invalid_json")
    event_type = (scalar_text(message.get("type")) or "track").lower()
    if event_type not in SEGMENT_TYPES:
        return Verdict("unknown_type")
    if event_type == "track":
        raw_name = candidate(message, "event", "event_name")
        name = normalize_name(raw_name) if raw_name else ""
        if not name:
            return Verdict("missing_event_name")
    else:
        name = {"page": "page_viewed", "screen": "screen_viewed"}.get(event_type, event_type)
    user_id = identifier(message, "userId")
    anonymous_id = identifier(message, "anonymousId", "device_id")
    if event_type == "alias":
        if user_id is None or identifier(message, "previousId") is None:
            return Verdict("missing_identity")
    elif user_id is None and anonymous_id is None:
        return Verdict("missing_identity")
    received = parse_timestamp(candidate(message, "receivedAt"))
    original = parse_timestamp(candidate(message, "originalTimestamp"))
    sent = parse_timestamp(candidate(message, "sentAt"))
    occurred = parse_timestamp(candidate(message, "timestamp"))
    if occurred is None and received and original and sent:
        occurred = received + (original - sent)
    occurred = occurred or original or received
    if occurred is None:
        return Verdict("missing_timestamp")
    if occurred < MIN_EVENT_TIME or (received and occurred > received + timedelta(hours=24)):
        return Verdict("timestamp_out_of_range")
    event_id = candidate(message, "messageId", "event_id", "id")
    if event_id is None:
        event_id = "md5:" + hashlib.md5(raw).hexdigest()
    return Verdict(None, event_id, name, event_type, received, message)


# ------------------------------------------------------------------------ reading


def event_files(out_dir: Path) -> list[Path]:
    return sorted(
        path for path in out_dir.rglob("*") if path.is_file() and path.name.endswith(EVENT_SUFFIXES)
    )


def physical_lines(path: Path) -> list[bytes]:
    """SPEC section 2: the text between newlines, without a trailing carriage return."""
    content = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    lines = content.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # the newline that ends the last line starts no other
    return [line.removesuffix(b"\r") for line in lines]


@dataclass
class Reread:
    """What the files hold, by SPEC, independently of the generator's summary."""

    lines: int
    blank: int
    rejected: Counter[str]
    accepted: list[tuple[str, Verdict]]  # (file, verdict) of every accepted line
    lines_per_file: dict[str, int]
    crlf_files: int
    files_without_final_newline: int

    def by_event_id(self) -> dict[str, list[tuple[str, Verdict]]]:
        groups: dict[str, list[tuple[str, Verdict]]] = {}
        for file, verdict in self.accepted:
            assert verdict.event_id is not None
            groups.setdefault(verdict.event_id, []).append((file, verdict))
        return groups


def reread(out_dir: Path) -> Reread:
    result = Reread(0, 0, Counter(), [], {}, 0, 0)
    for path in event_files(out_dir):
        relative = path.relative_to(out_dir).as_posix()
        content = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        result.crlf_files += b"\r\n" in content
        result.files_without_final_newline += not content.endswith(b"\n")
        lines = physical_lines(path)
        result.lines_per_file[relative] = len(lines)
        for line in lines:
            result.lines += 1
            if not line.strip():
                result.blank += 1
                continue
            verdict = classify(line)
            if verdict.reason is None:
                result.accepted.append((relative, verdict))
            else:
                result.rejected[verdict.reason] += 1
    return result


def digest_tree(out_dir: Path) -> dict[str, str]:
    return {
        path.relative_to(out_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out_dir.rglob("*"))
        if path.is_file()
    }


# ----------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[GenerationSummary, Path]:
    out_dir = tmp_path_factory.mktemp("events")
    return generate(replace(SMALL, out_dir=out_dir)), out_dir


@pytest.fixture(scope="module")
def small_reread(small_run: tuple[GenerationSummary, Path]) -> Reread:
    return reread(small_run[1])


# -------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_bytes_whatever_the_workers(
    small_run: tuple[GenerationSummary, Path], tmp_path: Path
) -> None:
    summary, out_dir = small_run
    again = generate(replace(SMALL, out_dir=tmp_path / "again", workers=2))
    assert digest_tree(tmp_path / "again") == digest_tree(out_dir)
    assert again.to_manifest() == summary.to_manifest()


def test_another_seed_gives_other_events(
    small_run: tuple[GenerationSummary, Path], tmp_path: Path
) -> None:
    other = generate(replace(SMALL, out_dir=tmp_path, seed=8, persons=200))
    assert other.valid_events > 0

    def event_digests(out_dir: Path) -> set[str]:
        return {
            digest for name, digest in digest_tree(out_dir).items() if name.endswith(EVENT_SUFFIXES)
        }

    assert not event_digests(tmp_path) & event_digests(small_run[1])


def test_few_open_files_change_no_line(
    small_run: tuple[GenerationSummary, Path], tmp_path: Path
) -> None:
    """With fewer handles than partitions, gzip parts grow by extra members instead."""
    summary, out_dir = small_run
    squeezed = generate(replace(SMALL, out_dir=tmp_path, max_open_files=3))
    assert [record.path for record in squeezed.files] == [record.path for record in summary.files]
    for record in summary.files:
        assert physical_lines(tmp_path / record.path) == physical_lines(out_dir / record.path)


# ------------------------------------------------------------------------- shares


def test_reread_by_spec_matches_the_summary_exactly(
    small_run: tuple[GenerationSummary, Path], small_reread: Reread
) -> None:
    summary, _ = small_run
    found = small_reread
    groups = found.by_event_id()
    assert found.lines == summary.lines == sum(record.lines for record in summary.files)
    assert found.blank == summary.blank_lines
    assert dict(found.rejected) == {k: v for k, v in summary.rejected_by_reason.items() if v}
    assert len(groups) == summary.valid_events
    assert len(found.accepted) - len(groups) == summary.duplicate_lines
    names = Counter(entries[0][1].name for entries in groups.values())
    assert dict(sorted(names.items())) == summary.events_by_name
    types = Counter(entries[0][1].event_type for entries in groups.values())
    assert dict(sorted(types.items())) == summary.events_by_type


def test_every_bad_line_kind_is_present_near_its_share(
    small_run: tuple[GenerationSummary, Path], small_reread: Reread
) -> None:
    summary, _ = small_run
    event_lines = small_reread.lines - small_reread.blank
    bad = sum(small_reread.rejected.values())
    assert bad / event_lines == pytest.approx(SMALL.bad_line_share, rel=0.25)
    for reason in REJECT_REASONS:
        share = small_reread.rejected[reason] / event_lines
        assert share == pytest.approx(SMALL.bad_line_share / len(REJECT_REASONS), rel=0.3), reason
    variants = {key.split("/")[1] for key in summary.rejected_by_variant}
    # Every way of breaking JSON that SPEC names, and both ends of the time range.
    for variant in ("truncated", "nan", "trailing_comma", "array", "invalid_utf8"):
        assert variant in variants
    for variant in ("before_min_date", "future_timestamp", "placeholder_ids", "absent"):
        assert variant in variants
    assert small_reread.blank / small_reread.lines == pytest.approx(
        SMALL.blank_line_share, rel=0.35
    )


def test_duplicates_are_redelivered_in_other_files(small_reread: Reread) -> None:
    groups = small_reread.by_event_id()
    repeated = [entries for entries in groups.values() if len(entries) > 1]
    assert len(repeated) / len(groups) == pytest.approx(SMALL.duplicate_share, rel=0.25)
    identical = altered = 0
    for entries in repeated:
        files = [file for file, _ in entries]
        assert len(set(files)) == len(files), "a duplicate shares a file with its original"
        first, second = (verdict for _, verdict in entries[:2])
        if first.message == second.message:
            identical += 1
        else:
            altered += 1
            # the original (earliest receivedAt) is the one SPEC keeps
            assert first.received_at and second.received_at
            assert first.received_at < second.received_at
    assert identical > 0 and altered > 0


def test_both_shapes_and_every_file_format_are_mixed(
    small_run: tuple[GenerationSummary, Path], small_reread: Reread
) -> None:
    summary, out_dir = small_run
    assert all(count > 0 for count in summary.events_by_shape.values())
    messages = [verdict.message for _, verdict in small_reread.accepted if verdict.message]
    assert any("messageId" in message for message in messages)  # Segment, camelCase
    assert any("message_id" in message for message in messages)  # Segment, snake_case
    assert any("event_name" in message for message in messages)  # flat
    names = [path.name for path in event_files(out_dir)]
    for suffix in EVENT_SUFFIXES:
        assert any(name.endswith(suffix) for name in names), suffix
    assert small_reread.crlf_files > 0
    assert small_reread.files_without_final_newline > 0
    assert any(path.parent.name == "retry" for path in event_files(out_dir))


def test_files_hold_at_most_max_lines(
    small_run: tuple[GenerationSummary, Path], small_reread: Reread
) -> None:
    summary, _ = small_run
    assert max(small_reread.lines_per_file.values()) <= SMALL.max_lines_per_file
    assert any(count == SMALL.max_lines_per_file for count in small_reread.lines_per_file.values())
    assert {record.path: record.lines for record in summary.files} == small_reread.lines_per_file


def test_decoy_files_are_not_event_files(small_run: tuple[GenerationSummary, Path]) -> None:
    summary, out_dir = small_run
    everything = {path.relative_to(out_dir).as_posix() for path in out_dir.rglob("*")}
    decoys = {name for name in everything if (out_dir / name).is_file()} - {
        record.path for record in summary.files
    }
    assert {"README.txt", "manifest.json"} <= decoys
    assert any(name.endswith("/_SUCCESS") for name in decoys)
    assert any(name.endswith(".ndjson.tmp") for name in decoys)
    assert not any(name.endswith(EVENT_SUFFIXES) for name in decoys)
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rejected_by_reason"] == summary.rejected_by_reason
    assert manifest["event_lines"] == summary.event_lines


# ---------------------------------------------------------------------- behaviour


def test_behaviour_looks_like_a_shop(
    small_run: tuple[GenerationSummary, Path], small_reread: Reread
) -> None:
    summary, _ = small_run
    names = summary.events_by_name
    funnel = ["product_viewed", "product_added", "checkout_started", "order_completed"]
    counts = [names[step] for step in funnel]
    assert counts == sorted(counts, reverse=True) and counts[-1] > 0  # drop-off at each step
    assert names["signed_up"] < names["page_viewed"]
    for name in ("order_refunded", "subscription_started", "experiment_viewed", "identify"):
        assert names.get(name, 0) > 0, name
    for counter in ("orders_tracked_twice", "skewed_events", "late_events", "refunds"):
        assert summary.behaviour.get(counter, 0) > 0, counter
    assert summary.behaviour.get("logins_on_other_device", 0) > 0

    messages = [verdict.message for _, verdict in small_reread.accepted if verdict.message]
    raw_names = {str(m.get("event") or m.get("event_name") or "") for m in messages}
    assert {"Order Completed", "purchase"} <= raw_names  # spellings and synonyms
    assert any(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)+", name) for name in raw_names)  # camel
    currencies = {
        str(m["properties"]["currency"])
        for m in messages
        if isinstance(m.get("properties"), dict) and "currency" in m["properties"]
    }
    assert {"USD", "EUR", "GBP"} <= {currency.strip().upper() for currency in currencies}
    assert any(currency != currency.strip().upper() for currency in currencies)
    assert any(isinstance(m.get("userId", m.get("user_id")), JsonNumber) for m in messages)
    urls = [str(m.get("context", {}).get("page", {}).get("url", "")) for m in messages]
    assert any("utm_source=" in url for url in urls)
    assert any("campaign" in m.get("context", {}) for m in messages)
    stamps = [str(m.get("timestamp", "")) for m in messages]
    assert any(stamp.endswith("Z") for stamp in stamps)
    assert any(re.search(r"[+-]\d\d:\d\d$", stamp) for stamp in stamps)
    assert any(re.fullmatch(r"[\d-]+T[\d:.]+", stamp) for stamp in stamps)  # naive: UTC
    skewed = [m for m in messages if "timestamp" not in m and "originalTimestamp" in m]
    assert skewed and all("sentAt" in m and "receivedAt" in m for m in skewed)
    aliases = [m for m in messages if m.get("type") == "alias"]
    assert aliases and all(m.get("previousId") or m.get("previous_id") for m in aliases)
    ips = {str(m.get("context", {}).get("ip", "")) for m in messages}
    assert any(":" in ip for ip in ips) and any(ip.count(".") == 3 for ip in ips)


def test_experiment_exposures_carry_name_and_variant(small_reread: Reread) -> None:
    variants: dict[str, set[str]] = {}
    for _, verdict in small_reread.accepted:
        if verdict.name == "experiment_viewed":
            assert verdict.message is not None
            properties = verdict.message["properties"]
            variants.setdefault(properties["experiment_name"], set()).add(properties["variant"])
    assert variants and all("control" in found for found in variants.values())


# ------------------------------------------------------------------------- memory


_MEASURE = textwrap.dedent(
    """
    import gzip, json, resource, sys
    from pathlib import Path
    from product_analytics_tools.generator import GeneratorConfig, generate
    summary = generate(GeneratorConfig(
        out_dir=Path(sys.argv[1]), target_events=int(sys.argv[2]), days=30, workers=1,
        max_lines_per_file=20_000, seed=3,
    ))
    status = Path("/proc/self/status")
    if status.exists():  # VmHWM: this process's own peak (ru_maxrss survives exec)
        line = next(l for l in status.read_text().splitlines() if l.startswith("VmHWM:"))
        peak = int(line.split()[1]) * 1024
    else:
        scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    text = 0
    for record in summary.files:
        path = Path(sys.argv[1]) / record.path
        text += len(gzip.decompress(path.read_bytes()) if record.gzip else path.read_bytes())
    print(json.dumps({"peak": peak, "lines": summary.event_lines, "text": text}))
    """
)


def _peak_memory(out_dir: Path, target: int) -> dict[str, int]:
    pytest.importorskip("resource")
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(out_dir), str(target)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, int] = json.loads(done.stdout)
    return result


def test_memory_does_not_grow_with_the_number_of_events(tmp_path: Path) -> None:
    small = _peak_memory(tmp_path / "small", 8_000)
    large = _peak_memory(tmp_path / "large", 64_000)
    allowance = 10 * 2**20
    # Holding the larger run's events would cost their text, far above the allowance.
    assert large["text"] - small["text"] > 3 * allowance
    assert large["peak"] < small["peak"] + allowance, (small, large)


# ---------------------------------------------------------------------------- CLI


def test_cli_writes_and_summarises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "events"
    args = ["--persons", "40", "--days", "5", "--seed", "1", "--out", str(out_dir), "--quiet"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert re.search(r"pa-generate: [\d,]+ events .* in \d+ files, .* MB, [\d.]+ s", printed)
    assert event_files(out_dir)
    assert main(args) == 2  # the output exists: refuse to mix two runs
    assert "--force" in capsys.readouterr().err
    before = digest_tree(out_dir)
    assert main([*args, "--force"]) == 0
    assert digest_tree(out_dir) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--persons", "0"], "expected a number >= 1"),
        (["--bad-line-share", "1.5"], "between 0 and 1"),
        (["--bad-line-share", "0.9"], "bad_line_share must be between 0 and 0.5"),
        (["--start-date", "1999-12-31"], "on or after 2000-01-01"),
        (["--start-date", "2024-13-01"], "expected a date YYYY-MM-DD"),
        (["--persons", "5", "--target-events", "9"], "not allowed with argument"),
        (["--file-prefix", "../x"], "file_prefix"),
    ],
)
def test_cli_rejects_bad_arguments(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*args, "--out", str(tmp_path)])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_module_runs_as_a_script() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "product_analytics_tools.generator", "--help"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert "--target-events" in done.stdout


def test_target_events_sets_the_size(tmp_path: Path) -> None:
    summary = generate(GeneratorConfig(out_dir=tmp_path, target_events=6_000, days=10, workers=1))
    assert 6_000 <= summary.event_lines < 6_000 + 8_000  # stops after the block that reaches it
