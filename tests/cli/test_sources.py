"""procwatch sources: one row per source, lists first, with the same facts as check's coverage."""

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from tests.conftest import Procwatch

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WORLDBANK = FIXTURES / "measures" / "worldbank.csv"
RELEASES = FIXTURES / "ocds" / "releases.jsonl"


def test_sources_lists_lists_ocds_and_documents(procwatch: Procwatch) -> None:
    assert procwatch("import", "measures", str(WORLDBANK), "--preset", "worldbank").exit_code == 0
    assert procwatch("import", "ocds", str(RELEASES)).exit_code == 0
    result = procwatch("sources", "--format", "json")
    assert result.exit_code == 0, result.output
    listed, ocds, article = json.loads(result.stdout)
    imported = json.loads(procwatch("imports", "--format", "json").stdout)
    assert (listed["kind"], listed["title"], listed["rows"]) == ("list", "worldbank.csv", 4)
    assert listed["sha256"] == hashlib.sha256(WORLDBANK.read_bytes()).hexdigest()
    assert listed["imported_at"] == imported[1]["finished_at"]
    assert listed["issuers"] == ["WBG"]
    assert (ocds["kind"], ocds["date"], ocds["rows"]) == ("ocds", "2023-06-01/2024-03-05", 2)
    assert (article["kind"], article["key"]) == ("document", "nuctech-raids-georgia")
    rows = list(csv.DictReader(io.StringIO(procwatch("sources", "-f", "csv").stdout)))
    assert [row["kind"] for row in rows] == ["list", "ocds", "document"]
    assert rows[0]["sha256"] == listed["sha256"]


def test_the_table_shortens_the_hash_and_the_import_time(
    procwatch: Procwatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    procwatch("import", "measures", str(WORLDBANK), "--preset", "worldbank")
    digest = hashlib.sha256(WORLDBANK.read_bytes()).hexdigest()
    (listed, _) = json.loads(procwatch("sources", "-f", "json").stdout)
    # The SHA-256 column shows from 100 columns up.
    monkeypatch.setenv("COLUMNS", "120")
    result = procwatch("sources")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "worldbank.csv" in line)
    cells = [cell.strip() for cell in line.strip("│").split("│")]
    assert cells == [
        "list",
        "worldbank.csv",
        "World Bank Group",
        listed["imported_at"][:10],
        digest[:12],
        listed["imported_at"][:10],
        "4",
    ]


def test_a_seeded_database_has_one_document(procwatch: Procwatch) -> None:
    result = procwatch("sources", "-f", "csv")
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["kind"], row["key"], row["imported_at"]) == (
        "document",
        "nuctech-raids-georgia",
        "",
    )
