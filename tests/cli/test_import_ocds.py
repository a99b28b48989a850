"""procwatch import ocds: summary, errors as one line, --skip-invalid, help."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from procwatch.cli.import_report import PROGRESS_DELAY
from tests.conftest import Procwatch

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ocds"

SUMMARY = """\
                 Imported
┏━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━┓
┃ Records   ┃ Added ┃ Updated ┃ Unchanged ┃
┡━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━┩
│ vendors   │ {v[0]:>5} │ {v[1]:>7} │ {v[2]:>9} │
│ buyers    │ {b[0]:>5} │ {b[1]:>7} │ {b[2]:>9} │
│ contracts │ {c[0]:>5} │ {c[1]:>7} │ {c[2]:>9} │
└───────────┴───────┴─────────┴───────────┘
"""


def _summary(v: tuple[int, ...], b: tuple[int, ...], c: tuple[int, ...]) -> str:
    return SUMMARY.format(v=v, b=b, c=c)


def _out(text: str) -> str:
    # Rich pads the table title with spaces; they carry no meaning.
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _contracts(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT COUNT(*) FROM contracts")).scalar_one()
    engine.dispose()
    return int(count)


def test_import_prints_a_summary(procwatch: Procwatch) -> None:
    result = procwatch("import", "ocds", str(FIXTURES / "releases.jsonl"))
    assert result.exit_code == 0, result.output
    assert _out(result.stdout) == _summary((1, 1, 0), (2, 0, 0), (2, 0, 0))
    again = procwatch("import", "ocds", str(FIXTURES / "releases.jsonl"))
    assert _out(again.stdout) == _summary((0, 0, 2), (0, 0, 2), (0, 0, 2))


def test_warnings_are_counted(procwatch: Procwatch, shared_data: Path) -> None:
    folder = shared_data / "ocds" / "moldova-records"
    result = procwatch("import", "ocds", str(folder), "--country", "MD")
    assert result.exit_code == 0, result.output
    summary, warnings = _out(result.stdout).split("Warnings\n")
    assert summary.rstrip(" ") == _summary((5, 0, 0), (5, 0, 0), (5, 0, 0))
    # The warning wraps at the runner's 80 columns; its count and words are what matter.
    assert "│    5 │ procurementMethod outside the OCDS codelist: kept as the local method │" in (
        warnings
    )


def test_encoding_option(procwatch: Procwatch, shared_data: Path) -> None:
    path = shared_data / "ocds" / "packages" / "release-package_encoding-iso-8859-1.json"
    refused = procwatch("import", "ocds", str(path))
    assert refused.exit_code == 5
    assert refused.stderr == (
        "Error: release-package_encoding-iso-8859-1.json: byte 0xd3 at offset 592 (line 1) is "
        "not UTF-8: give the file's encoding with --encoding, e.g. --encoding iso-8859-1\n"
    )
    result = procwatch("import", "ocds", str(path), "--encoding", "iso-8859-1")
    assert result.exit_code == 0, result.output
    assert _out(result.stdout).startswith(_summary((1, 0, 0), (1, 0, 0), (1, 0, 0)))


def test_a_bad_file_is_one_error_line_and_changes_nothing(procwatch: Procwatch) -> None:
    before = _contracts(procwatch.url)
    result = procwatch(
        "import", "ocds", str(FIXTURES / "releases.jsonl"), str(FIXTURES / "malformed.json")
    )
    assert result.exit_code == 5
    assert result.stdout == ""
    assert (
        result.stderr == "Error: malformed.json: invalid JSON at line 2, column 40: unexpected ','"
        "; --skip-invalid imports the rest\n"
    )
    assert _contracts(procwatch.url) == before


def test_skip_invalid_reports_the_bad_releases(procwatch: Procwatch) -> None:
    result = procwatch(
        "import",
        "ocds",
        "--skip-invalid",
        str(FIXTURES / "mixed.json"),
        str(FIXTURES / "not-ocds.json"),
    )
    assert result.exit_code == 0, result.output
    assert _out(result.stdout) == _summary((1, 0, 0), (1, 0, 0), (1, 0, 0)) + (
        "Rejected 3:\n"
        "  mixed.json: releases[2]: not an OCDS release: it has no 'ocid'\n"
        "  not-ocds.json: not OCDS: expected a release (with 'ocid'), a record (with 'ocid' and "
        "'releases') or a package (with 'releases' or 'records')\n"
        "  mixed.json: releases[1] (ocid ocds-fixture-6): invalid amount '12,5': expected a "
        "number\n"
    )


def test_missing_path_and_country(procwatch: Procwatch, tmp_path: Path) -> None:
    missing = procwatch("import", "ocds", str(tmp_path / "none.json"))
    assert missing.exit_code == 5
    assert missing.stderr == f"Error: {tmp_path / 'none.json'}: no such file or folder\n"
    country = procwatch("import", "ocds", str(FIXTURES / "no-country.json"), "-c", "Atlantis")
    assert country.exit_code == 3
    assert country.stderr == "Error: unknown country 'Atlantis'\n"


def test_help_describes_every_option(procwatch: Procwatch) -> None:
    result = procwatch("import", "ocds", "--help")
    assert result.exit_code == 0
    for option in ("--country", "--encoding", "--skip-invalid", "PATH"):
        assert option in result.stdout
    assert PROGRESS_DELAY > 0
