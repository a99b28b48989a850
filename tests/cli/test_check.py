import json
import subprocess
import sys
from pathlib import Path

import pytest

from procwatch import __version__ as procwatch_version
from procwatch import tables
from procwatch.resolve import name_key
from procwatch.screening.report import LEVEL_RULE
from procwatch.store import Store
from tests.conftest import Procwatch, id_of
from tests.golden import assert_golden

# Golden reports say when they were made: the fixed clock keeps them the same each day.
pytestmark = pytest.mark.usefixtures("fixed_clock")


def test_markdown_report(procwatch: Procwatch) -> None:
    result = procwatch("check", "Nuctech", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert_golden("check-nuctech.md", result.stdout, url=procwatch.url)


def test_json_report(procwatch: Procwatch) -> None:
    result = procwatch("check", "Nuotech", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["level"] == "high"
    # No --as-of: the report answers for the day it was made, and says so.
    assert data["as_of"] == "2025-06-01"
    assert data["origin"] == {
        "as_of": "2025-06-01",
        "generated": "2025-06-01T12:00:00Z",
        "version": procwatch_version,
        "database": data["origin"]["database"],
    }
    georgia = next(row for row in data["jurisdictions"] if row["code"] == "GE")
    assert [c["amount"] for c in georgia["contracts"]] == [None, None, "5870722.48"]
    assert_golden("check-nuctech.json", result.stdout, url=procwatch.url)


def test_terminal_report(procwatch: Procwatch, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    result = procwatch("check", "Nuctech", "--as-of", "2024-03-15", "--for-country", "PL")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Due-diligence check: Nuctech Company Limited\n"
        "Level: HIGH (as of 2024-03-15, for a buyer in Poland (PL))\n"
    )
    assert_golden("check-nuctech-pl-2024-03-15.txt", result.stdout, url=procwatch.url)


def test_report_to_a_file(procwatch: Procwatch, tmp_path: Path) -> None:
    target = tmp_path / "nuctech.md"
    result = procwatch("check", "Nuctech", "-f", "markdown", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("# Due-diligence check: Nuctech")


def test_vendor_with_nothing_recorded(procwatch: Procwatch, store: Store) -> None:
    store.insert_many(
        tables.vendors,
        [{"key": "acme", "name": "Acme Scanners Ltd", "name_key": name_key("Acme Scanners")}],
    )
    store.commit()
    result = procwatch("check", "Acme Scanners")
    assert result.exit_code == 0, result.output
    assert "Level: NONE (as of 2025-06-01)" in result.stdout
    assert "none: nothing known: no contracts and no measures are recorded" in result.stdout
    assert "This is not a clearance" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["Nuktech"],
            3,
            "Error: no vendor named 'Nuktech'; did you mean 'Nuotech Company Limited' or "
            "'Nuctech'?\n",
        ),
        (
            ["Nuctech", "--as-of", "2024-13"],
            2,
            "Error: Invalid value for '--as-of': '2024-13': month must be in 1..12\n",
        ),
        (
            ["Nuctech", "--as-of", "last week"],
            2,
            "Error: Invalid value for '--as-of': 'last week': expected YYYY, YYYY-MM or "
            "YYYY-MM-DD\n",
        ),
        (["Nuctech", "--for-country", "Atlantis"], 3, "Error: unknown country 'Atlantis'\n"),
        (
            ["Nuctech", "-o", "/nonexistent/dir/report.md"],
            6,
            "Error: cannot write /nonexistent/dir/report.md: No such file or directory\n",
        ),
    ],
)
def test_bad_inputs(procwatch: Procwatch, args: list[str], code: int, message: str) -> None:
    result = procwatch("check", *args)
    assert result.exit_code == code
    # A bad option value (exit 2) comes after click's usage lines; every error is one line.
    assert result.stderr.splitlines(keepends=True)[-1].startswith(message)
    assert result.stderr.count("Error:") == 1
    assert "Traceback" not in result.output


def test_help_states_the_level_rule(procwatch: Procwatch) -> None:
    result = procwatch("check", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for level, rule in LEVEL_RULE:
        assert f"{level}: {rule}" in text


def test_cli_start_up_does_not_load_the_screening_stack() -> None:
    code = (
        "import sys, procwatch.cli; "
        "print(sorted(m for m in ('matplotlib', 'sqlalchemy', 'procwatch.screening') "
        "if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output == "[]\n"


def test_a_terminal_report_summarises_thousands_of_contracts(
    procwatch: Procwatch, store: Store
) -> None:
    nuctech = id_of(store, tables.vendors, "nuctech")
    georgia = id_of(store, tables.jurisdictions, "GE")
    from procwatch.cli.check import TERMINAL_CONTRACTS
    from tests.conftest import insert_rows

    columns = ("key", "vendor_id", "jurisdiction_id", "title", "amount_is_estimate", "date_start")
    rows = [
        (f"lot-{n}", nuctech, georgia, f"Lot {n:03d}", False, f"{2021 + n % 2}") for n in range(30)
    ]
    insert_rows(store, tables.contracts, columns, rows)
    store.commit()
    result = procwatch("check", "Nuctech")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.replace("│", " ").split())
    # Georgia: 3 seed contracts and 30 lots; the first ten are listed, the rest tallied.
    assert text.count("contracted ") - text.count("contracted 2024-03") == TERMINAL_CONTRACTS
    assert (
        "33 contracts in all, by year 2008: 1, 2012: 1, 2018: 1, 2021: 15, 2022: 15; worth "
        "5,870,722.48 USD; 32 of unknown value. 23 more: use --format json or --format "
        "markdown for every line."
    ) in text
    markdown = procwatch("check", "Nuctech", "-f", "markdown").stdout
    assert markdown.count("- contracted ") == 34


BANK_DEBARMENTS = (
    Path(__file__).resolve().parents[1] / "fixtures" / "measures" / "bank-debarments.csv"
)
LOGITRANS = "Logitrans Logistica Engenharia e Transportes Ltda."


def test_a_cross_debarment_is_one_decision_with_its_enforcers(procwatch: Procwatch) -> None:
    assert procwatch("import", "measures", str(BANK_DEBARMENTS)).exit_code == 0
    result = procwatch("check", LOGITRANS, "--as-of", "2024-01-01", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # Four measures, two decisions: the World Bank's (enforced by ADB and EBRD), the IDB's.
    assert [reason["text"] for reason in data["reasons"]] == [
        "debarred by the Inter-American Development Bank Group (2022-03-25/2028-03-24); "
        "enforced by EBRD: in force",
        "debarred by the World Bank Group (2022-03-29/2027-05-28); enforced by ADB, EBRD: in force",
    ]
    ebrd = next(row for row in data["jurisdictions"] if row["code"] == "EBRD")
    assert [
        (m["issuer"]["kind"], m["origin"]["code"], m["listed_on"]) for m in ebrd["measures"]
    ] == [
        ("international", "IDB", "2022-06-15"),
        ("international", "WBG", "2022-06"),
    ]
    assert ebrd["measures"][1]["label"] == (
        "banned, in force 2022-03-29/2027-05-28, published 2022-06; "
        "enforces the World Bank Group's decision"
    )


def test_for_a_bank_the_other_banks_debarments_bind(procwatch: Procwatch) -> None:
    assert procwatch("import", "measures", str(BANK_DEBARMENTS)).exit_code == 0
    result = procwatch("check", LOGITRANS, "--as-of", "2024-01-01", "--for-country", "ADB")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "for a contract financed by the Asian Development Bank (ADB)" in text
    result = procwatch(
        "check", LOGITRANS, "--as-of", "2024-01-01", "--for-country", "ADB", "-f", "json"
    )
    relations = {row["code"]: row["relation"] for row in json.loads(result.stdout)["jurisdictions"]}
    assert relations == {
        "ADB": "buyer's issuer",
        "EBRD": "debarments enforced by ADB",
        "WBG": "debarments enforced by ADB",
    }


def test_a_measure_by_an_issuer_in_the_buyer_s_agreement_sets_high(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "key,vendor_name,country,kind,date\nr1,Acme Roads LLC,WBG,restriction,2020-01-01\n",
        encoding="utf-8",
    )
    assert procwatch("import", "measures", str(path)).exit_code == 0
    levels = {}
    for frame in ("EBRD", "PL"):
        result = procwatch("check", "Acme Roads LLC", "--for-country", frame, "-f", "json")
        levels[frame] = json.loads(result.stdout)["level"]
    # The EBRD enforces the World Bank's decisions; a Polish buyer is not bound by them.
    assert levels == {"EBRD": "high", "PL": "caution"}
