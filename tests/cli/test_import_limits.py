"""Hostile inputs through the import commands: one Error: line, nothing stored, memory bounded.

The memory tests run procwatch in a child process and read its peak RSS with
getrusage(RUSAGE_CHILDREN) from a fresh parent, so that no earlier child counts.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from procwatch.cli import import_limits
from procwatch.importers.inputs import MB, InputLimits
from tests.conftest import Procwatch

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TABLES = ("contracts", "vendors", "buyers", "sources", "measures", "citations")
# Peak RSS of a refused import (Python, SQLAlchemy, migrations checked): about 55-90 MB.
# Without the limits the same inputs took 293 MB (deep nesting) and over 400 MB (the bomb).
PEAK_BOUND_MB = 150


def _release(number: int) -> dict[str, object]:
    return {
        "ocid": f"ocds-limits-{number}",
        "id": f"{number}",
        "date": "2024-01-01T00:00:00Z",
        "buyer": {"name": "Ministry of Works", "address": {"countryName": "Moldova"}},
        "awards": [
            {
                "id": f"a{number}",
                "value": {"amount": "100.00", "currency": "MDL"},
                "suppliers": [{"name": f"Supplier {number} SRL"}],
            }
        ],
    }


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        counts = {
            table: int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
            for table in TABLES
        }
    engine.dispose()
    return counts


def _bomb(path: Path, megabytes: int) -> Path:
    """Write one release whose filler expands to `megabytes` of zeros from a small gzip file."""
    with gzip.open(path, "wb", compresslevel=6) as handle:
        handle.write(b'{"ocid": "ocds-bomb", "id": "1", "date": "2024-01-01T00:00:00Z", "f": [0')
        block = b",0" * (MB // 2)
        for _ in range(megabytes):
            handle.write(block)
        handle.write(b"]}")
    return path


def _deep(path: Path, levels: int) -> Path:
    release = json.dumps(_release(1))[:-1]
    path.write_text(f'{{"releases": [{release}, "x": {"[" * levels}{"]" * levels}}}]}}')
    return path


def _peak(db: Path, *args: str) -> tuple[int, str, float]:
    """Run procwatch in a child; return its exit code, stderr and peak RSS in MB."""
    code, _, stderr, peak = _run(db, *args)
    return code, stderr, peak


def _run(db: Path, *args: str) -> tuple[int, str, str, float]:
    """Run procwatch in a child; return its exit code, stdout, stderr and peak RSS in MB."""
    parent = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stderr.write(done.stderr)\n"
        "sys.stdout.write(done.stdout)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)\n"
    )
    command = [sys.executable, "-c", parent, sys.executable, "-m", "procwatch"]
    done = subprocess.run(
        [*command, "--db", str(db), *args], capture_output=True, text=True, timeout=300
    )
    out, _, peak = done.stdout.rstrip("\n").rpartition("\n")
    return done.returncode, out, done.stderr, int(peak) / 1024


def test_the_help_defaults_are_the_library_defaults() -> None:
    limits = InputLimits()
    assert limits.max_item_bytes == import_limits.MAX_ITEM_MB * MB
    assert limits.max_depth == import_limits.MAX_DEPTH
    assert limits.max_ratio == import_limits.MAX_RATIO


# Memory, in a child process


def test_a_huge_release_is_refused_in_bounded_memory(tmp_path: Path, db_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.json.gz", 40)
    before = _counts(f"sqlite:///{db_path}")
    code, stderr, peak = _peak(
        db_path, "import", "ocds", str(bomb), "--max-item-mb", "2", "--max-ratio", "100000"
    )
    assert (code, stderr) == (
        5,
        "Error: bomb.json.gz: the top-level value: larger than the limit of 2 MB "
        "(or 131,072 values) per item; --skip-invalid imports the rest\n",
    )
    assert peak < PEAK_BOUND_MB, f"peak RSS {peak:.0f} MB"
    assert _counts(f"sqlite:///{db_path}") == before


def test_a_gzip_bomb_is_refused_in_bounded_memory(tmp_path: Path, db_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.json.gz", 40)
    before = _counts(f"sqlite:///{db_path}")
    code, stdout, _, peak = _run(db_path, "import", "ocds", str(bomb), "--skip-invalid")
    assert code == 0
    assert "Rejected 1:\n  bomb.json.gz: the gzip data expands more than 200 times" in stdout
    assert stdout.endswith("possible decompression bomb (file skipped)")
    assert peak < PEAK_BOUND_MB, f"peak RSS {peak:.0f} MB"
    after = _counts(f"sqlite:///{db_path}")
    assert after["contracts"] == before["contracts"] and after["sources"] == before["sources"]
    code, stderr, peak = _peak(db_path, "import", "ocds", str(bomb))
    assert code == 5
    assert stderr.startswith("Error: bomb.json.gz: the gzip data expands more than 200 times")
    assert stderr.endswith(
        "): refused as a possible decompression bomb; --skip-invalid imports the rest\n"
    )
    assert stderr.count("\n") == 1
    assert peak < PEAK_BOUND_MB, f"peak RSS {peak:.0f} MB"
    assert _counts(f"sqlite:///{db_path}") == before


def test_deep_nesting_is_refused_in_bounded_memory(tmp_path: Path, db_path: Path) -> None:
    deep = _deep(tmp_path / "deep.json", 40_000)
    before = _counts(f"sqlite:///{db_path}")
    code, stderr, peak = _peak(db_path, "import", "ocds", str(deep), "--max-depth", "32")
    assert (code, stderr) == (
        5,
        "Error: deep.json: releases[0]: nested deeper than the limit of 32 levels"
        "; --skip-invalid imports the rest\n",
    )
    assert peak < PEAK_BOUND_MB, f"peak RSS {peak:.0f} MB"
    assert _counts(f"sqlite:///{db_path}") == before


# Messages, exit codes and the database, on both backends


def test_skip_invalid_skips_a_huge_release_and_counts_it(
    procwatch: Procwatch, db_url: str, tmp_path: Path
) -> None:
    huge = _release(2) | {"filler": ["abcdefghij"] * 150_000}
    package = {"releases": [_release(1), huge, _release(3)]}
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package))
    before = _counts(db_url)
    refused = procwatch("import", "ocds", str(path), "--max-item-mb", "1")
    assert refused.exit_code == 5
    assert refused.stderr == (
        "Error: package.json: releases[1]: larger than the limit of 1 MB (or 65,536 values) "
        "per item; --skip-invalid imports the rest\n"
    )
    assert _counts(db_url) == before
    skipped = procwatch("import", "ocds", str(path), "--max-item-mb", "1", "--skip-invalid")
    assert skipped.exit_code == 0, skipped.output
    assert "Rejected 1:\n  package.json: releases[1]: larger than the limit of 1 MB" in (
        skipped.stdout
    )
    assert _counts(db_url)["contracts"] == before["contracts"] + 2


def test_a_device_and_a_missing_file_are_named(procwatch: Procwatch, db_url: str) -> None:
    before = _counts(db_url)
    for command in ("ocds", "measures"):
        result = procwatch("import", command, "/dev/null")
        assert (result.exit_code, result.stderr) == (
            5,
            "Error: /dev/null is a device, not a file\n",
        )
    missing = procwatch("import", "measures", "/nonexistent/list.csv")
    assert missing.stderr == "Error: cannot read /nonexistent/list.csv: no such file\n"
    assert _counts(db_url) == before


def test_stdin_is_read_by_both_imports(procwatch: Procwatch, db_url: str) -> None:
    lines = "\n".join(json.dumps(_release(number)) for number in range(3)) + "\n"
    result = procwatch("import", "ocds", "-", input=lines)
    assert result.exit_code == 0, result.output
    assert _counts(db_url)["contracts"] >= 3
    again = procwatch("import", "ocds", "-", input=lines)
    assert "│ contracts │     0 │       0 │         3 │" in again.stdout
    listed = (FIXTURES / "measures" / "procwatch-layout.csv").read_text()
    measures = procwatch("import", "measures", "-", input=listed)
    assert measures.exit_code == 0, measures.output
    assert measures.stdout.splitlines()[0].strip() == "Imported stdin"
    assert _counts(db_url)["measures"] > 0


def test_a_fifo_is_read_by_both_imports(procwatch: Procwatch, db_url: str, tmp_path: Path) -> None:
    for command, data in (
        ("ocds", "\n".join(json.dumps(_release(number)) for number in range(2)) + "\n"),
        ("measures", (FIXTURES / "measures" / "procwatch-layout.csv").read_text()),
    ):
        fifo = tmp_path / f"{command}.pipe"
        os.mkfifo(fifo)
        writer = threading.Thread(target=fifo.write_text, args=(data,), daemon=True)
        writer.start()
        result = procwatch("import", command, str(fifo))
        writer.join(10)
        assert result.exit_code == 0, result.output
    counts = _counts(db_url)
    assert counts["measures"] > 0 and counts["contracts"] > 0


def test_a_raw_tab_in_a_string_is_one_error(
    procwatch: Procwatch, db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "tab.json"
    path.write_text('{"ocid": "a\tb", "id": "1", "date": "2024-01-01T00:00:00Z"}')
    before = _counts(db_url)
    result = procwatch("import", "ocds", str(path))
    assert result.exit_code == 5
    assert result.stderr.startswith("Error: tab.json: invalid JSON: a string holds a raw control")
    assert result.stderr.count("\n") == 1
    assert _counts(db_url) == before


def test_a_full_temporary_folder_is_one_error(
    procwatch: Procwatch, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A real full folder: a 256 KB tmpfs where the machine lets root mount one.
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        monkeypatch.setattr("tempfile.tempdir", str(folder))
        package = {"releases": [_release(n) | {"pad": "x" * 4000} for n in range(1000)]}
        path = tmp_path / "package.json"
        path.write_text(json.dumps(package))
        before = _counts(db_url)
        result = procwatch("import", "ocds", str(path))
        assert result.exit_code == 1, result.output
        assert result.stderr == (
            f"Error: cannot keep the releases in the temporary folder {folder}: database or "
            "disk is full; free some space there or point TMPDIR at another folder\n"
        )
        assert _counts(db_url) == before
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_decoding_errors_are_one_line(procwatch: Procwatch, db_url: str) -> None:
    before = _counts(db_url)
    cases = (
        (
            ("ocds", "-", "--encoding", "utf-16"),
            '{"a": 1}\n',
            "Error: stdin: not utf-16 text "
            "(UTF-16 stream does not start with BOM): check the --encoding\n",
        ),
        (
            ("measures", "-", "--encoding", "utf-16"),
            "k,v\n",
            "Error: stdin is not utf-16 text (UTF-16 stream does not start with BOM)\n",
        ),
        (
            ("measures", "-", "--encoding", "nope"),
            "k,v\n",
            "Error: unknown encoding 'nope', e.g. utf-8, iso-8859-1, cp1252\n",
        ),
    )
    for args, data, message in cases:
        result = procwatch("import", *args, input=data)
        assert (result.exit_code, result.stderr) == (5, message)
    assert _counts(db_url) == before


def test_a_workbook_bomb_is_refused(procwatch: Procwatch, db_url: str, tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (20 * MB))
    result = procwatch("import", "measures", str(path), "--map", "name=1")
    assert result.exit_code == 5
    assert result.stderr.startswith(
        "Error: bomb.xlsx: the workbook expands more than 200 times (to 20,971,520 bytes from "
    )
    assert result.stderr.endswith("): refused as a possible decompression bomb\n")
