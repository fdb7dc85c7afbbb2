"""The landing model's line splitting (SPEC §2): physical line numbers, blank lines, CR, UTF-8."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path
from types import ModuleType

from dbt_harness import PROJECT_ROOT


def _landing_module() -> ModuleType:
    path = PROJECT_ROOT / "models" / "staging" / "events" / "base" / "base_events__lines.py"
    spec = importlib.util.spec_from_file_location("base_events__lines", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CONTENT = b'{"a":1}\n\n   \n\t\r\n{"b":2}\r\n\xff{"c":3}'


def test_blank_lines_are_counted_but_not_landed(tmp_path: Path) -> None:
    path = tmp_path / "part.ndjson"
    path.write_bytes(CONTENT)
    numbers, texts, valid = _landing_module().read_file_lines(str(path))
    assert numbers == [1, 5, 6]
    assert texts[:2] == ['{"a":1}', '{"b":2}']
    assert valid == [True, True, False]
    assert texts[2] == '\ufffd{"c":3}'


def test_gzip_and_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "part.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b'{"a":1}\r\n{"b":2}\n')
    numbers, texts, valid = _landing_module().read_file_lines(str(path))
    assert numbers == [1, 2]
    assert texts == ['{"a":1}', '{"b":2}']
    assert valid == [True, True]


def test_only_event_files_are_registered(tmp_path: Path) -> None:
    for name in (
        "a.ndjson",
        "b.jsonl",
        "c.ndjson.gz",
        "d.jsonl.gz",
        "e.json",
        "f.txt",
        "g.ndjson.bak",
    ):
        nested = tmp_path / "x" / "y" / name
        nested.parent.mkdir(parents=True, exist_ok=True)
        nested.write_bytes(b"")
    spec = importlib.util.spec_from_file_location(
        "base_events__files",
        PROJECT_ROOT / "models" / "staging" / "events" / "base" / "base_events__files.py",
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = [Path(path).name for path in module.list_event_files(str(tmp_path))]
    assert found == ["a.ndjson", "b.jsonl", "c.ndjson.gz", "d.jsonl.gz"]


def test_batches_keep_physical_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "part.ndjson"
    path.write_bytes(CONTENT + b"\n" + b'{"d":4}\n' * 3)
    batches = list(_landing_module().iter_file_line_batches(str(path), batch_lines=2))
    assert [numbers for numbers, _texts, _valid in batches] == [[1, 5], [6, 7], [8, 9]]
