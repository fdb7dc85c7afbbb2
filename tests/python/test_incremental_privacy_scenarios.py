"""SPEC §9 with §11: small runs that mix deletion requests, late files and re-decided
duplicates, each ending equal to a full rebuild of the same files and requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dbt_harness import DbtProject

SEED_COLUMNS = ["user_id", "anonymous_id", "requested_at"]
COMPARED = [
    "int_identity_map",
    "dim_persons",
    "fct_sessions",
    "fct_ingestion_reconciliation",
    "stg_events",
]


def _day(day: int) -> str:
    return f"2024-01-{day:02d}T00:00:00Z"


def _page(event_id: str, day: int, **ids: str) -> dict[str, Any]:
    return {
        "type": "track",
        "event": "page_viewed",
        "messageId": event_id,
        "timestamp": _day(day),
        **ids,
    }


class Runs:
    """One events folder built incrementally run by run, and rebuilt at once at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.events = root / "events"
        self.events.mkdir(parents=True)
        self.project = DbtProject(root / "incremental")
        self.requests: list[dict[str, str]] = []

    def write(self, name: str, messages: list[dict[str, Any]]) -> None:
        (self.events / name).write_text("".join(json.dumps(m) + "\n" for m in messages))

    def request_deletion(self, user_id: str = "", anonymous_id: str = "") -> None:
        self.requests.append({"user_id": user_id, "anonymous_id": anonymous_id, "requested_at": ""})
        self.project.write_seed("deletion_requests", self.requests, SEED_COLUMNS)

    def build(self) -> None:
        self.project.build({"raw_events_path": str(self.events)})

    def assert_equals_rebuild(self) -> None:
        rebuilt = DbtProject(self.root / "rebuilt")
        rebuilt.write_seed("deletion_requests", self.requests, SEED_COLUMNS)
        rebuilt.build({"raw_events_path": str(self.events)})
        for table in COMPARED:
            assert _rows(self.project, table) == _rows(rebuilt, table), table


def _rows(project: DbtProject, table: str) -> list[str]:
    return sorted(
        json.dumps(
            {k: v for k, v in row.items() if not k.startswith("_")}, default=str, sort_keys=True
        )
        for row in project.rows(table)
    )


def _deleted_file_is_not_landed_again(runs: Runs) -> None:
    runs.request_deletion(user_id="u2")
    runs.write("f1.ndjson", [_page("e1", 1, userId="u1")])
    runs.build()
    runs.write("f2.ndjson", [_page("e2", 2, userId="u2"), _page("e3", 2, userId="u2")])
    runs.build()
    runs.build()  # no new file: the purged file must not be landed (and counted) again


def _duplicate_winner_drops_an_identifier(runs: Runs) -> None:
    first = _page("d1", 1, userId="u1", anonymousId="a1")
    runs.write(
        "f1.ndjson",
        [{**first, "receivedAt": "2024-01-01T00:00:05Z"}, _page("k1", 1, userId="keep")],
    )
    runs.build()
    runs.write("f2.ndjson", [{**first, "anonymousId": "a2", "receivedAt": "2024-01-01T00:00:01Z"}])
    runs.build()
    runs.request_deletion(user_id="u1")
    runs.build()


def _deletion_without_new_files_moves_a_shared_device(runs: Runs) -> None:
    runs.write(
        "f1.ndjson",
        [
            _page("e1", 1, userId="A", anonymousId="X"),
            _page("e2", 2, userId="C", anonymousId="X"),
            _page("e3", 3, anonymousId="X"),
            _page("e4", 4, userId="C"),
        ],
    )
    runs.build()
    runs.request_deletion(user_id="A")
    runs.build()


def _skipped_alias_of_a_deleted_user_stays_skipped(runs: Runs) -> None:
    runs.request_deletion(user_id="A")
    runs.write(
        "f1.ndjson",
        [
            _page("e1", 1, userId="A"),
            _page("e2", 1, userId="P"),
            {
                "type": "alias",
                "messageId": "e3",
                "previousId": "P",
                "userId": "A",
                "timestamp": _day(2),
            },
            {
                "type": "alias",
                "messageId": "e4",
                "previousId": "P",
                "userId": "B",
                "timestamp": _day(3),
            },
            _page("e5", 4, userId="B"),
        ],
    )
    runs.build()
    runs.write("f2.ndjson", [_page("e6", 5, userId="P")])
    runs.build()


SCENARIOS: dict[str, Callable[[Runs], None]] = {
    scenario.__name__.lstrip("_"): scenario
    for scenario in (
        _deleted_file_is_not_landed_again,
        _duplicate_winner_drops_an_identifier,
        _deletion_without_new_files_moves_a_shared_device,
        _skipped_alias_of_a_deleted_user_stays_skipped,
    )
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_runs_equal_rebuild(scenario: str, tmp_path: Path) -> None:
    runs = Runs(tmp_path)
    SCENARIOS[scenario](runs)
    runs.assert_equals_rebuild()
