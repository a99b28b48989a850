"""procwatch changes and procwatch watch through the command line; import measures shows
what it changed."""

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import Procwatch

LIST = (
    "key,vendor_name,vendor_aliases,vendor_identifiers,vendor_country,country,authority,"
    "kind,scope,legal_basis,reason,date,date_end,places,quote\n"
    "t-ge,Nuctech Company Limited,,,CN,GE,,investigation,,,,2019,,,\n"
    "t-new,Tbilisi Office Supplies LLC,,,GE,GE,,ban,,,,2024,,,\n"
)


@pytest.fixture
def listed(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    return path


def test_an_import_prints_its_changes(procwatch: Procwatch, listed: Path) -> None:
    result = procwatch("import", "measures", str(listed))
    assert result.exit_code == 0, result.output
    assert "Changes of import 1" in result.stdout
    again = procwatch("import", "measures", str(listed))
    assert "No contract's measure flag and no vendor's level changed." in again.stdout


def test_changes_lists_the_last_import_in_every_format(procwatch: Procwatch, listed: Path) -> None:
    procwatch("import", "measures", str(listed))
    rows = list(csv.DictReader(io.StringIO(procwatch("changes", "-f", "csv").stdout)))
    assert sorted((r["subject"], r["before"], r["after"]) for r in rows) == [
        ("contract", "not flagged", "flagged"),
        ("contract", "not flagged", "possibly flagged"),
        ("vendor", "none", "high"),
    ]
    (first, *_) = json.loads(procwatch("changes", "--import", "1", "-f", "json").stdout)
    assert first["run_id"] == 1


def test_exit_code_tells_a_cron_job_whether_anything_changed(
    procwatch: Procwatch, listed: Path
) -> None:
    procwatch("import", "measures", str(listed))
    assert procwatch("changes", "--exit-code").exit_code == 7
    procwatch("import", "measures", str(listed))
    assert procwatch("changes", "--exit-code").exit_code == 0
    assert procwatch("changes", "--since", "2000", "--exit-code").exit_code == 7


def test_watched_limits_the_report(procwatch: Procwatch, listed: Path) -> None:
    assert procwatch("watch", "add", "Tbilisi Office Supplies").stdout == "Watching 1 more name.\n"
    procwatch("import", "measures", str(listed))
    rows = json.loads(procwatch("changes", "--watched", "-f", "json").stdout)
    assert [(r["vendor"], r["watched"]) for r in rows] == [("Tbilisi Office Supplies LLC", True)]
    (entry,) = json.loads(procwatch("watch", "list", "-f", "json").stdout)
    assert (entry["name"], entry["vendors"]) == (
        "Tbilisi Office Supplies",
        ["Tbilisi Office Supplies LLC"],
    )
    assert procwatch("watch", "remove", "tbilisi office supplies").exit_code == 0
    assert json.loads(procwatch("watch", "list", "-f", "json").stdout) == []


def test_bad_input_is_one_error_line(procwatch: Procwatch) -> None:
    result = procwatch("watch", "remove", "Nobody")
    assert (result.exit_code, result.stderr) == (3, "Error: 'Nobody' is not on the watchlist\n")
    result = procwatch("changes", "--since", "2024", "--import", "1")
    assert result.exit_code != 0
    assert result.stderr == "Error: give --since or --import, not both\n"


def test_end_missing_counts_the_measures_it_ends(procwatch: Procwatch, listed: Path) -> None:
    procwatch("import", "measures", str(listed))
    listed.write_text("\n".join(LIST.splitlines()[:2]) + "\n", encoding="utf-8")
    result = procwatch("import", "measures", str(listed), "--end-missing")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.strip("│┃ ").split()) for line in result.stdout.splitlines()]
    assert "Records ┃ Added ┃ Updated ┃ Unchanged ┃ Removed" in lines
    assert "measures │ 0 │ 0 │ 1 │ 1" in lines
    assert "level: high → caution" in result.stdout
