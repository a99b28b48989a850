import io
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import Procwatch

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ocds"


def _read(text: str) -> pd.DataFrame:
    # Amounts are read back as text and parsed to Decimal: a float would hide a lost cent.
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_contracts_summary_totals_are_exact(procwatch: Procwatch, tmp_path: Path) -> None:
    target = tmp_path / "summary.csv"
    result = procwatch("export", "contracts-summary", "--output", str(target))
    assert result.exit_code == 0, result.output
    frame = _read(target.read_text(encoding="utf-8"))
    assert list(frame.columns) == [
        "vendor",
        "country",
        "country_name",
        "year",
        "currency",
        "contracts",
        "total",
        "unknown_values",
        "estimated_values",
    ]
    rows = {(r.country, r.year): r for r in frame.itertuples()}
    assert Decimal(rows[("GE", "2018-2020")].total) == Decimal("5870722.48")
    assert rows[("GE", "2018-2020")].currency == "USD"
    assert Decimal(rows[("PL", "2024")].total) == Decimal("3500000.00")
    assert rows[("PL", "2024")].estimated_values == "1"
    assert rows[("GE", "2012")].unknown_values == "1"
    assert rows[("GE", "2012")].total == ""


def test_measures_summary(procwatch: Procwatch) -> None:
    result = procwatch("export", "measures-summary")
    frame = _read(result.stdout)
    assert [(r.country, r.kind, r.measures) for r in frame.itertuples()] == [
        ("BE", "ban", "1"),
        ("CA", "restriction", "1"),
        ("EU", "investigation", "1"),
        ("LT", "ban", "1"),
        ("US", "restriction", "1"),
    ]


def test_full_tables_match_golden_files(procwatch: Procwatch) -> None:
    for name in ("contracts", "measures", "contracts-summary", "measures-summary"):
        result = procwatch("export", name)
        assert result.exit_code == 0, result.output
        expected = (GOLDEN / f"export-{name}.csv").read_text(encoding="utf-8")
        assert result.stdout.splitlines() == expected.splitlines(), name


def test_unwritable_output_leaves_nothing(procwatch: Procwatch, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "summary.csv"
    result = procwatch("export", "contracts", "--output", str(target))
    assert result.exit_code == 6
    assert result.stderr == f"Error: cannot write {target}: No such file or directory\n"
    assert not target.parent.exists()


def test_export_ocds_round_trip(procwatch: Procwatch, tmp_path: Path) -> None:
    assert procwatch("import", "ocds", str(FIXTURES / "releases.jsonl")).exit_code == 0
    first = tmp_path / "first.json"
    options = ["--country", "MD", "--published-date", "2024-05-01T00:00:00Z"]
    result = procwatch("export", "ocds", *options, "--output", str(first))
    assert result.exit_code == 0, result.output
    package = json.loads(first.read_text())
    assert [release["ocid"] for release in package["releases"]] == ["ocds-fixture-1"]
    other = Procwatch(f"sqlite:///{tmp_path / 'other.db'}")
    assert other("import", "ocds", str(first)).exit_code == 0
    again = other("export", "ocds", *options)
    assert again.exit_code == 0, again.output
    assert again.stdout == first.read_text()


def test_export_ocds_errors(procwatch: Procwatch) -> None:
    result = procwatch("export", "ocds", "--country", "Moldova")
    assert result.exit_code == 3
    assert result.stderr == "Error: no contracts to export for country 'Moldova'\n"
    vendor = procwatch("export", "ocds", "--vendor", "Nuktek Compani")
    assert vendor.exit_code == 3
    assert vendor.stderr.startswith("Error: no vendor named 'Nuktek Compani'")


def test_a_dash_as_output_means_stdout(
    procwatch: Procwatch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = procwatch("export", "measures-summary", "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout == procwatch("export", "measures-summary").stdout
    assert result.stdout.startswith("country,country_name,kind,")
    assert not (tmp_path / "-").exists()
