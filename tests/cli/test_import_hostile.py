"""Hostile cells in an imported list: names lose their controls (counted), free text keeps its
data, and the import report prints the data as text."""

import csv
import io
import json
from pathlib import Path

import pytest

from procwatch.csvtext import csv_lines
from tests.conftest import Procwatch

HEADER = "key,vendor_name,vendor_aliases,country,authority,kind,reason,date,quote\n"


def write_list(path: Path, *rows: list[str]) -> Path:
    # csvtext, not csv.writer: csv.writer leaves a lone CR unquoted, and the row would split.
    path.write_text(HEADER + csv_lines(rows), encoding="utf-8")
    return path


def test_controls_leave_names_and_each_is_counted(
    procwatch: Procwatch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    listing = write_list(
        tmp_path / "list.csv",
        [
            "k1",
            "Gui\x92an \x1b[2JScan\u200b Ltd\u202e",
            "Gui\u2066an Alias",
            "PL",
            "Office",
            "ban",
            "\t=1+1",
            "2020",
            "\r@SUM(A1)",
        ],
    )
    result = procwatch("import", "measures", str(listing))
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.strip("│┃ ").split()) for line in result.stdout.splitlines()]
    # ESC, U+0092, U+200B and U+202E in the name; U+2066 in the alias.
    assert "4 │ vendor name: control character removed (C0/C1, zero-width or bidirectional)" in (
        lines
    )
    assert "1 │ vendor alias: control character removed (C0/C1, zero-width or bidirectional)" in (
        lines
    )
    vendor = json.loads(procwatch("vendor", "Guian Alias", "--format", "json").stdout)
    assert vendor["name"] == "Guian [2JScan Ltd"
    assert "Guian Alias" in vendor["aliases"]
    # Free text keeps a leading TAB or CR: the spreadsheet-safe mark of the file it came from.
    (ban,) = json.loads(procwatch("bans", "--vendor", "Guian Alias", "--format", "json").stdout)
    assert (ban["reason"], ban["sources"][0]["quote"]) == ("\t=1+1", "\r@SUM(A1)")
    bans = procwatch("bans", "--vendor", "Guian Alias", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(bans.stdout, newline="")))
    assert row["reason"] == "\t=1+1"
    safe = procwatch("bans", "--vendor", "Guian Alias", "--format", "csv", "--csv-safe")
    row = next(csv.DictReader(io.StringIO(safe.stdout, newline="")))
    assert row["reason"] == "'\t=1+1"


def test_markup_in_a_list_is_printed_as_text(procwatch: Procwatch, tmp_path: Path) -> None:
    # A `[/x]` cell once crashed the report, after the import had committed, on every re-run.
    listing = write_list(
        tmp_path / "list.csv",
        ["k1", "Markup [bold]Corp[/bold]", "", "PL", "[/x]", "ban", "[red]r[/red]", "[/x]", ""],
    )
    for _ in range(2):
        result = procwatch("import", "measures", str(listing))
        assert result.exit_code == 0, result.output
        assert "start date '[/x]' is not a date; left empty" in result.stdout
    bans = json.loads(
        procwatch("bans", "--vendor", "Markup [bold]Corp[/bold]", "--format", "json").stdout
    )
    assert [(b["vendor"], b["authority"], b["reason"]) for b in bans] == [
        ("Markup [bold]Corp[/bold]", "[/x]", "[red]r[/red]")
    ]
