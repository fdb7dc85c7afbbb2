"""The Spark landing prototype (macros/landing) reads raw files as Python does (SPEC §1-§3).

`read_event_file_lines` is compiled with the spark adapter and run on a local SparkSession
over files written by the project's generator plus hand-made hostile files (CRLF, lone CR,
blank and whitespace-only lines, invalid UTF-8 of every kind, BOM, no final newline, gzip
with several members, names to ignore, nested folders, a space and a + in a name) and the
edge-line corpus. Every landed line (file, 1-based physical line number, text, UTF-8 flag)
must equal what the reference reader (spec_reference.parsing.read_raw_lines) gives, except
the files Spark's listing hides (names starting with `.` or `_`), which must be missing.
Sizes, modification times and SHA-256 of the files come from the binaryFile source.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from spark_support import local_spark_session, skip_unless_spark

skip_unless_spark()

from spec_reference.parsing import list_event_files, read_raw_lines  # noqa: E402
from test_dbt_vs_reference_edge_lines import build_corpus  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def hidden_by_spark(path: Path, root: Path) -> bool:
    """Spark's file listing skips every file or folder whose name starts with `.` or `_`."""
    return any(part.startswith((".", "_")) for part in path.relative_to(root).parts)


def write_hostile_files(root: Path) -> None:
    (root / "hand" / "deep" / "er").mkdir(parents=True)
    ok = b'{"event":"ok","anonymousId":"a"}'
    (root / "hand" / "crlf.ndjson").write_bytes(b"\r\n".join([ok, b"", ok, b"  \t", ok]) + b"\r\n")
    (root / "hand" / "lone-cr.jsonl").write_bytes(ok + b"\rmiddle\n\r\n\r\r\n" + ok)
    (root / "hand" / "no-final-newline.ndjson").write_bytes(ok + b"\n" + ok)
    (root / "hand" / "invalid-utf8.ndjson").write_bytes(
        b"\n".join(
            [
                b'{"a":"caf\xe9"}',
                b'{"a":"\xed\xa0\x80"}',
                b'{"a":"\xc0\xaf\xe0\x80\xaf"}',
                b'{"a":"\xe2\x82"} \xe2\x82',
                b'{"a":"\xf4\x90\x80\x80\xf0\x9f\x98"}',
                b"\xff\xfe\x80\xbf",
                b'{"a":"\xf0\x9f\x98\x80 ok"}',
                b"\xef\xbb\xbf" + ok,
                b"\x0b\x0c \t",
                b"\x00",
                b"\xa0",
            ]
        )
        + b"\n"
    )
    (root / "hand" / "deep" / "er" / "nested.jsonl.gz").write_bytes(
        gzip.compress(ok + b"\r\n\n" + ok) + gzip.compress(b"\n\xe9second member\n")
    )
    (root / "hand" / "empty.ndjson").write_bytes(b"")
    (root / "hand" / "only-blank.jsonl").write_bytes(b"\n \n\t\r\n\r")
    (root / "hand" / "with space+plus.ndjson").write_bytes(ok + b"\n")
    for name in ("x.json", "UPPER.NDJSON", "y.ndjson.bak", "z.gz", "ndjson"):
        (root / "hand" / name).write_bytes(ok + b"\n")
    (root / "hand" / "_underscore.ndjson").write_bytes(ok + b"\n")


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("landing") / "events"
    command = [str(BIN / "pa-generate"), "--persons", "50", "--days", "3", "--seed", "1"]
    subprocess.run([*command, "--out", str(root / "generated")], check=True, capture_output=True)
    build_corpus(root / "corpus")
    write_hostile_files(root)
    return root


@pytest.fixture(scope="module")
def compiled_sql(tmp_path_factory: pytest.TempPathFactory, events: Path) -> dict[str, str]:
    """The prototype macros rendered by dbt for the spark adapter (no connection)."""
    project = tmp_path_factory.mktemp("landing_project")
    (project / "models").mkdir()
    shutil.copytree(PROJECT_ROOT / "macros" / "landing", project / "macros" / "landing")
    (project / "dbt_project.yml").write_text(
        "name: product_analytics\nversion: '0.1.0'\nconfig-version: 2\n"
        "profile: product_analytics\nmodel-paths: [models]\nmacro-paths: [macros]\n"
        "flags:\n  send_anonymous_usage_stats: false\n",
        encoding="utf-8",
    )
    (project / "profiles.yml").write_text(
        "product_analytics:\n  target: spark\n  outputs:\n"
        "    spark: {type: spark, method: session, host: localhost, schema: landing}\n",
        encoding="utf-8",
    )
    models = {
        "lines": f"{{{{ product_analytics.read_event_file_lines('{events}') }}}}",
        "files": f"{{{{ product_analytics.spark__event_files_with_hash('{events}') }}}}",
        "truncated": "{{ product_analytics.read_event_file_lines('"
        + str(events.parent / "truncated")
        + "') }}",
    }
    for name, body in models.items():
        (project / "models" / f"{name}.sql").write_text(body + "\n", encoding="utf-8")
    command = [str(BIN / "dbt"), "compile", "--no-populate-cache"]
    command += ["--project-dir", str(project), "--profiles-dir", str(project)]
    completed = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout[-5000:]
    compiled = project / "target" / "compiled" / "product_analytics" / "models"
    return {name: (compiled / f"{name}.sql").read_text(encoding="utf-8") for name in models}


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from local_spark_session(tmp_path_factory.mktemp("landing_warehouse"))


def python_lines(root: Path) -> set[tuple[str, int, str, bool]]:
    landed = set()
    for line in read_raw_lines(root):
        try:
            line.raw_bytes.decode("utf-8")
            valid = True
        except UnicodeDecodeError:
            valid = False
        landed.add((line.file, line.line_number, line.raw_text, valid))
    return landed


def test_lines_equal_python_reading(spark: Any, compiled_sql: dict[str, str], events: Path) -> None:
    rows = spark.sql(compiled_sql["lines"]).collect()
    spark_lines = [(r.file, r.line_number, r.raw_line, r.is_valid_utf8) for r in rows]
    assert len(spark_lines) == len(set(spark_lines)), "a line was landed twice"
    expected = python_lines(events)
    visible = {line for line in expected if not hidden_by_spark(Path(line[0]), events)}
    hidden = expected - visible
    assert hidden, "the corpus should hold a hidden folder and an _underscore file"
    assert len(visible) > 1000
    missing = sorted(visible - set(spark_lines))[:10]
    extra = sorted(set(spark_lines) - visible)[:10]
    assert not missing and not extra, f"missing: {missing}\nextra: {extra}"
    # the invalid UTF-8 lines were really exercised, with Python's replacement text
    assert sum(1 for line in visible if not line[3]) >= 8


def test_files_size_time_and_hash(spark: Any, compiled_sql: dict[str, str], events: Path) -> None:
    rows = {r.file: r for r in spark.sql(compiled_sql["files"]).collect()}
    expected = [
        path for path in list_event_files(events) if not hidden_by_spark(Path(path), events)
    ]
    # Spark's file sources skip zero-length files: an empty file is never registered
    empty = {str(path) for path in expected if os.stat(path).st_size == 0}
    assert len(empty) == 2
    assert set(rows) == {str(path) for path in expected} - empty
    for path in (path for path in expected if str(path) not in empty):
        row = rows[str(path)]
        stat = os.stat(path)
        assert row.file_size_bytes == stat.st_size
        # Spark reports the modification time in milliseconds
        assert row.file_modified_at == datetime.fromtimestamp(stat.st_mtime_ns // 1_000_000 / 1000)
        assert row.file_sha256 == hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_truncated_gzip_fails_the_read(
    spark: Any, compiled_sql: dict[str, str], events: Path
) -> None:
    """A truncated .gz is an error, as in Python; ignoreCorruptFiles skips the whole file."""
    folder = events.parent / "truncated"
    folder.mkdir(exist_ok=True)
    body = gzip.compress(b"\n".join(b'{"n":%d}' % i for i in range(20_000)))
    (folder / "cut.ndjson.gz").write_bytes(body[: len(body) // 2])
    (folder / "fine.ndjson").write_bytes(b'{"n":1}\n')
    with pytest.raises(EOFError):
        gzip.decompress((folder / "cut.ndjson.gz").read_bytes())
    with pytest.raises(Exception, match="FAILED_READ_FILE"):
        spark.sql(compiled_sql["truncated"]).collect()
    spark.conf.set("spark.sql.files.ignoreCorruptFiles", "true")
    try:
        rows = spark.sql(compiled_sql["truncated"]).collect()
    finally:
        spark.conf.set("spark.sql.files.ignoreCorruptFiles", "false")
    assert [(Path(r.file).name, r.line_number) for r in rows] == [("fine.ndjson", 1)]
