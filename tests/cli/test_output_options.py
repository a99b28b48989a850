"""-o/--output and --png through the commands: what shell redirection does, and the formats."""

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

from procwatch.errors import ExitCode
from tests.conftest import Procwatch

# Every command with -o, each with a format that writes a file.
WRITERS = [
    ["contracts", "--format", "csv"],
    ["bans", "--format", "tsv"],
    ["vendors", "list", "--format", "nl"],
    ["vendor", "Nuctech", "--format", "json"],
    ["flags", "--format", "csv"],
    ["timeline", "Nuctech"],
    ["check", "Nuctech", "--format", "markdown"],
    ["jurisdictions", "--format", "json"],
    ["export", "contracts"],
]


@pytest.mark.parametrize("args", WRITERS, ids=lambda args: args[0])
def test_a_directory_is_one_error_and_left_alone(
    procwatch: Procwatch, tmp_path: Path, args: list[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    result = procwatch(*args, "--output", str(folder))
    assert (result.exit_code, result.stdout) == (ExitCode.OUTPUT, "")
    assert result.stderr == f"Error: cannot write {folder}: it is a directory\n"
    assert list(folder.iterdir()) == []


def test_an_existing_files_mode_is_kept_and_a_new_one_gets_the_umasks(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    previous = os.umask(0o022)
    try:
        new, shared = tmp_path / "new.csv", tmp_path / "shared.csv"
        shared.write_text("old\n")
        shared.chmod(0o664)
        for target in (new, shared):
            assert procwatch("contracts", "-f", "csv", "-o", str(target)).exit_code == 0
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        assert stat.S_IMODE(shared.stat().st_mode) == 0o664
        assert shared.read_text().startswith("id,key,vendor,")
    finally:
        os.umask(previous)


def test_png_dash_is_the_chart_on_stdout(procwatch: Procwatch, tmp_path: Path) -> None:
    result = procwatch("timeline", "Nuctech", "--png", "-")
    assert result.exit_code == 0, result.output
    # Only the chart: a listing after it would corrupt the PNG.
    assert result.stdout_bytes.startswith(b"\x89PNG\r\n\x1a\n")
    assert result.stdout_bytes.endswith(b"IEND\xaeB`\x82")
    assert not Path("-").exists()


def test_png_into_a_symlink_replaces_its_target(procwatch: Procwatch, tmp_path: Path) -> None:
    real = tmp_path / "charts" / "nuctech.png"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "latest.png"
    link.symlink_to(real)
    assert procwatch("timeline", "Nuctech", "--png", str(link)).exit_code == 0
    assert link.is_symlink() and real.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("fmt", ["tsv", "nl"])
def test_every_listing_takes_tsv_and_nl(procwatch: Procwatch, fmt: str) -> None:
    listings = [
        ["contracts"],
        ["bans"],
        ["vendors", "list"],
        ["jurisdictions"],
        ["flags"],
        ["flags", "--list"],
        ["timeline", "Nuctech"],
        ["vendors", "merges"],
        ["vendors", "duplicates"],
    ]
    for args in listings:
        result = procwatch(*args, "--format", fmt)
        assert result.exit_code == 0, (args, result.output)
        lines = result.stdout.splitlines()
        if fmt == "nl":
            assert all(isinstance(json.loads(line), dict) for line in lines), args
        else:
            rows = list(csv.reader(io.StringIO(result.stdout, newline=""), delimiter="\t"))
            assert rows and {len(row) for row in rows} == {len(rows[0])}, args


def test_contracts_in_every_format_hold_the_same_records(procwatch: Procwatch) -> None:
    as_json = json.loads(procwatch("contracts", "-f", "json").stdout)
    lines = [json.loads(line) for line in procwatch("contracts", "-f", "nl").stdout.splitlines()]
    assert lines == as_json and len(as_json) == 4
    for fmt, separator in (("csv", ","), ("tsv", "\t")):
        text = procwatch("contracts", "-f", fmt).stdout
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=separator))
        assert [row["key"] for row in rows] == [record["key"] for record in as_json]
        assert [row["amount"] for row in rows] == [record["amount"] or "" for record in as_json]


def test_limit_applies_to_streamed_formats(procwatch: Procwatch) -> None:
    result = procwatch("contracts", "-f", "nl", "-n", "3")
    assert len(result.stdout.splitlines()) == 3


def test_csv_safe_protects_formulas_and_the_default_is_the_data(
    procwatch: Procwatch, engine: object
) -> None:
    from sqlalchemy import update

    from procwatch import tables

    with engine.begin() as connection:  # type: ignore[attr-defined]
        connection.execute(
            update(tables.contracts)
            .where(tables.contracts.c.key == "ge-2008-inspection-complexes")
            .values(title='=HYPERLINK("http://x","y")')
        )
    for args in (["contracts", "-f", "csv"], ["contracts", "-f", "tsv"], ["export", "contracts"]):
        sep = "\t" if "tsv" in args else ","
        plain = procwatch(*args).stdout
        safe = procwatch(*args, "--csv-safe").stdout
        titles = [
            {row["title"] for row in csv.DictReader(io.StringIO(t, newline=""), delimiter=sep)}
            for t in (plain, safe)
        ]
        assert '=HYPERLINK("http://x","y")' in titles[0], args
        assert '\'=HYPERLINK("http://x","y")' in titles[1], args
        assert not any(t.startswith("=") for t in titles[1]), args
