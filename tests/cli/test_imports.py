import csv
import io
import json
from pathlib import Path

from tests.conftest import Procwatch

LIST = Path(__file__).resolve().parents[1] / "fixtures" / "measures" / "procwatch-layout.csv"


def test_imports_lists_runs_newest_first(procwatch: Procwatch) -> None:
    assert procwatch("import", "measures", str(LIST)).exit_code == 0
    assert procwatch("import", "measures", str(LIST)).exit_code == 0
    result = procwatch("imports", "--format", "json")
    assert result.exit_code == 0, result.output
    newest, oldest = json.loads(result.stdout)
    assert [newest["id"], oldest["id"]] == [2, 1]
    assert oldest["counts"]["measures"] == {"added": 5}
    assert newest["counts"]["measures"] == {"unchanged": 5}
    assert len(newest["sha256"]) == 64


def test_imports_rows_show_totals_over_tables(procwatch: Procwatch) -> None:
    procwatch("import", "measures", str(LIST))
    (run,) = json.loads(procwatch("imports", "--format", "json").stdout)
    result = procwatch("imports", "--format", "csv")
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["kind"], row["preset"]) == ("measures", "")
    assert row["path"].endswith("procwatch-layout.csv")
    added = sum(per_table.get("added", 0) for per_table in run["counts"].values())
    assert added == 5 + 5 + 10  # vendors, measures, their citations
    assert json.loads(row["counts"]) == run["counts"]
    assert row["warnings"] == "8"


def test_imports_table_is_titled(procwatch: Procwatch) -> None:
    procwatch("import", "measures", str(LIST))
    result = procwatch("imports")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("│ 1 │"))
    cells = [cell.strip() for cell in row.strip("│").split("│")]
    assert cells[2] == "measures"
    assert cells[-2:] == ["20 added", "8"]


def test_no_imports_yet(procwatch: Procwatch) -> None:
    result = procwatch("imports", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.startswith("id,kind,preset,path,sha256,")
    assert "Imports: nothing matched" in result.stderr or result.stderr
