"""procwatch screen FILE, screen decide and screen decisions through the command line."""

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import Procwatch

SUPPLIERS = (
    "Supplier,Country,Contract date\n"
    "Nuctech Company Ltd,CN,2023-05-10\n"
    "NUCTECH CO LTD,,2019\n"
    "Tbilisi Office Supplies LLC,Georgia,2022-03\n"
)


@pytest.fixture
def suppliers(tmp_path: Path) -> Path:
    path = tmp_path / "suppliers.csv"
    path.write_text(SUPPLIERS, encoding="utf-8")
    return path


def test_csv_has_a_row_per_counterparty_and_candidate(
    procwatch: Procwatch, suppliers: Path
) -> None:
    result = procwatch("screen", str(suppliers), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["row"], r["candidate"], r["outcome"]) for r in rows] == [
        ("2", "Nuctech Company Limited", "high"),
        ("3", "Nuctech Company Limited", "caution"),
        ("4", "", "no candidate"),
    ]
    assert rows[0]["as_of"] == "2023-05-10"
    assert "banned by Lithuania (2021): in force" in rows[0]["reasons"]
    # In 2019 no measure had begun: only the red flags on its Georgian contracts.
    assert rows[1]["measures"] == ""
    assert rows[2]["country"] == "GE"


def test_json_carries_the_summary(procwatch: Procwatch, suppliers: Path) -> None:
    result = procwatch("screen", str(suppliers), "--format", "json", "--as-of", "2024")
    report = json.loads(result.stdout)
    assert report["summary"] == {"high": 1, "caution": 1, "none": 0, "no candidate": 1}
    assert report["as_of"] == "2024"
    assert len(report["rows"]) == 3


def test_markdown_groups_candidates_by_outcome(procwatch: Procwatch, suppliers: Path) -> None:
    result = procwatch("screen", str(suppliers), "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# Screen of 3 counterparties\n")
    assert text.index("## High") < text.index("## Caution")
    assert "1 counterparties have no candidate" in text


def test_the_terminal_summary_counts_outcomes(procwatch: Procwatch, suppliers: Path) -> None:
    result = procwatch("screen", str(suppliers))
    assert result.exit_code == 0, result.output
    assert "Screened 3 counterparties" in result.stdout
    lines = [" ".join(line.strip("│ ").split()) for line in result.stdout.splitlines()]
    assert "no candidate │ 1" in lines


def test_an_xlsx_with_a_mapped_column(procwatch: Procwatch, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Beneficiary", "Paid on"])
    sheet.append(["Nuctech Company Limited", "2023-02-01"])
    path = tmp_path / "payments.xlsx"
    workbook.save(path)
    result = procwatch(
        "screen", str(path), "--map", "name=Beneficiary", "--map", "date=Paid on", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["rows"]
    assert (row["as_of"], row["outcome"]) == ("2023-02-01", "high")


def test_a_file_without_a_name_column_is_refused(procwatch: Procwatch, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Beneficiary,Paid on\nNuctech,2023\n", encoding="utf-8")
    result = procwatch("screen", str(path))
    assert result.exit_code != 0
    assert result.stderr.startswith("Error: odd.csv: no name column")
    assert "--map name=COLUMN" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "Error: cannot read missing.csv: no such file"),
        (["{}", "--map", "nom=Supplier"], "Error: --map 'nom=Supplier': unknown field 'nom'"),
        (["{}", "--for-country", "Narnia"], "Error: unknown country 'Narnia'"),
    ],
)
def test_bad_input_is_one_error_line(
    procwatch: Procwatch, suppliers: Path, args: list[str], message: str
) -> None:
    result = procwatch("screen", *[arg.format(suppliers) for arg in args])
    assert result.exit_code != 0
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.output


def test_a_decision_is_recorded_listed_and_applied(procwatch: Procwatch, suppliers: Path) -> None:
    result = procwatch(
        "screen",
        "decide",
        "NUCTECH CO LTD",
        "Nuctech Company Limited",
        "different",
        "--note",
        "a namesake",
        "--reviewer",
        "ana",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Recorded: 'NUCTECH CO LTD' ~ Nuctech Company Limited")
    listed = json.loads(procwatch("screen", "decisions", "--format", "json").stdout)
    assert [(d["name"], d["verdict"], d["reviewer"], d["note"]) for d in listed] == [
        ("NUCTECH CO LTD", "different", "ana", "a namesake")
    ]
    rows = list(
        csv.DictReader(io.StringIO(procwatch("screen", str(suppliers), "-f", "csv").stdout))
    )
    # The decision is on the name as written: "Nuctech Company Ltd" has the same key.
    assert [(r["review"], r["outcome"]) for r in rows[:2]] == [
        ("different", "none"),
        ("different", "none"),
    ]


def test_a_bad_verdict_is_one_error_line(procwatch: Procwatch) -> None:
    result = procwatch("screen", "decide", "X", "Nuctech Company Limited", "maybe")
    assert result.exit_code != 0
    assert result.stderr == "Error: verdict 'maybe' is not one of same, different, unsure\n"


def test_decisions_from_a_csv_go_in_all_or_nothing(procwatch: Procwatch, tmp_path: Path) -> None:
    good = tmp_path / "decisions.csv"
    good.write_text(
        "Name,Vendor,Verdict,Note\n"
        "NUCTECH CO LTD,Nuctech Company Limited,same,one address\n"
        "Nuktek,Nuctech Company Limited,different,\n",
        encoding="utf-8",
    )
    result = procwatch("screen", "decide", "--from", str(good), "--reviewer", "ana")
    assert (result.exit_code, result.stdout) == (0, "Recorded 2 decisions from decisions.csv.\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,vendor,verdict\nAcme,Nuctech Company Limited,same\nNuk,Nobody Ltd,same\n",
        encoding="utf-8",
    )
    result = procwatch("screen", "decide", "--from", str(bad))
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: bad.csv, row 3: no vendor named 'Nobody Ltd'")
    listed = json.loads(procwatch("screen", "decisions", "-f", "json").stdout)
    assert sorted((d["name"], d["reviewer"]) for d in listed) == [
        ("NUCTECH CO LTD", "ana"),
        ("Nuktek", "ana"),
    ]


def test_a_csv_in_another_encoding_is_read_with_encoding(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes("Supplier\nCafé Sarl\n".encode("cp1252"))
    refused = procwatch("screen", str(path))
    assert refused.exit_code == 5
    assert refused.stderr.endswith("give its encoding with --encoding, e.g. --encoding cp1252\n")
    result = procwatch("screen", str(path), "--encoding", "cp1252", "-f", "json")
    assert result.exit_code == 0, result.output
    assert [row["name"] for row in json.loads(result.stdout)["rows"]] == ["Café Sarl"]
