"""procwatch export ocds: a release package to a file or the terminal."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Procwatch

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ocds"


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
