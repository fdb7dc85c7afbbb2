"""Bad rows in the user-editable lookups stop the build with a message naming the file and
the row (issue: seeds are checked), instead of changing the marts silently: an alias raw
name with two targets, a repeated channel priority, a repeated (currency, valid_from), a
blank rate, and a deletion request that names no identifier."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from dbt_harness import PROJECT_ROOT, DbtProject


def _seed(name: str) -> list[dict[str, str]]:
    with open(PROJECT_ROOT / "seeds" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_bad_seed_rows_stop_the_build_naming_file_and_row(tmp_path: Path) -> None:
    events = tmp_path / "events"
    events.mkdir()
    (events / "a.ndjson").write_text(
        json.dumps(
            {"type": "track", "event": "view_item", "userId": "u1", "timestamp": "2024-01-01"}
        )
        + "\n"
    )
    project = DbtProject(tmp_path / "project")
    aliases = _seed("event_name_aliases")
    project.write_seed(
        "event_name_aliases",
        [*aliases, {"raw_name": "view_item", "canonical_name": "product_added"}],
        ["raw_name", "canonical_name"],
    )
    rules = _seed("channel_rules")
    project.write_seed(
        "channel_rules",
        [*rules, {**rules[-1], "channel": "Shadow"}],
        list(rules[0]),
    )
    project.write_seed(
        "currency_rates",
        [
            *_seed("currency_rates"),
            {"currency": "EUR", "valid_from": "2000-01-01", "rate_to_reporting": "1.10"},
            {"currency": "CHF", "valid_from": "2024-01-01", "rate_to_reporting": ""},
        ],
        ["currency", "valid_from", "rate_to_reporting"],
    )
    project.write_seed(
        "deletion_requests",
        [{"user_id": " ", "anonymous_id": "", "requested_at": "2024-02-01"}],
        ["user_id", "anonymous_id", "requested_at"],
    )
    with pytest.raises(AssertionError) as failure:
        project.build({"raw_events_path": str(events)})
    output = str(failure.value)
    expected = [
        'seeds/event_name_aliases.csv: 2 row(s) break the rule "raw_name must be unique"',
        "raw_name=view_item, canonical_name=product_added",
        'seeds/channel_rules.csv: 2 row(s) break the rule "priority must be unique"',
        "channel=Shadow",
        'seeds/currency_rates.csv: 2 row(s) break the rule "currency, valid_from must be unique"',
        "currency=EUR, valid_from=2000-01-01, rate_to_reporting=1.1",
        "seeds/currency_rates.csv: 1 row(s) break the rule",
        "currency=CHF, valid_from=2024-01-01, rate_to_reporting=(blank)",
        "seeds/deletion_requests.csv: 1 row(s) break the rule "
        '"each request names a user_id or an anonymous_id"',
    ]
    missing = [text for text in expected if text not in output]
    assert not missing, f"not in the build's output: {missing}\n{output[-6000:]}"
    # nothing was built from the bad seeds
    assert "base_events__ledger" not in project.tables()
    assert "fct_sessions" not in project.tables()
