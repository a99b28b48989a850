"""Check says what it searched ("no match in the N lists loaded"), and when lists published."""

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection, insert, update

from procwatch import tables
from procwatch.importers.measures import MeasureImportOptions, import_measures
from procwatch.importers.runs import list_runs
from procwatch.resolve import name_key
from procwatch.screening.flags import find_flags, in_force_text, published_after
from procwatch.screening.markdown import report_markdown
from procwatch.screening.report import check_vendor
from procwatch.screening.view import NOT_A_CLEARANCE, report_view
from procwatch.store import Store
from tests.conftest import Procwatch

TODAY = date(2025, 6, 1)
WORLDBANK = Path(__file__).resolve().parents[1] / "fixtures" / "measures" / "worldbank.csv"
BANKS = ["ADB", "AFDB", "EBRD", "IDB", "UN", "WBG"]


def _acme(connection: Connection) -> None:
    connection.execute(
        insert(tables.vendors).values(
            key="acme", name="Acme Scanners Ltd", name_key=name_key("Acme Scanners")
        )
    )


def _listed_on(connection: Connection, key: str, listed_on: str) -> None:
    connection.execute(
        update(tables.measures).where(tables.measures.c.key == key).values(listed_on=listed_on)
    )


def test_a_vendor_no_list_names_is_no_match_not_clean(store: Store, connection: Connection) -> None:
    import_measures(store, WORLDBANK, MeasureImportOptions(preset="worldbank"))
    _acme(connection)
    report = check_vendor(connection, "Acme Scanners", today=TODAY)
    assert report.coverage is not None
    assert [source.title for source in report.coverage.lists] == ["worldbank.csv"]
    # A plain check involves the international issuers and the vendor's (none here).
    assert report.coverage.involved == BANKS
    assert report.coverage.missing == ["ADB", "AFDB", "EBRD", "IDB", "UN"]
    day = list_runs(connection)[0].finished_at[:10]
    view = report_view(report)
    assert view.caveat == (
        f"No match in the 1 list loaded (worldbank.csv imported {day}). {NOT_A_CLEARANCE}"
    )
    assert view.coverage[:2] == [
        "Lists loaded: 1",
        f"list: worldbank.csv (World Bank Group; no date of its own; SHA-256 "
        f"{report.coverage.lists[0].sha256[:12]}; imported {list_runs(connection)[0].finished_at}; "
        "4 measures; issuers WBG)",
    ]
    assert view.coverage[-1] == (
        "No list loaded for: ADB, AFDB, EBRD, IDB, UN (involved in this question)"
    )
    text = report_markdown(report)
    assert "## Coverage" in text
    assert f"No match in the 1 list loaded (worldbank.csv imported {day})" in text


def test_no_list_loaded_is_said_so(connection: Connection) -> None:
    _acme(connection)
    view = report_view(check_vendor(connection, "Acme Scanners", today=TODAY))
    assert view.caveat == f"No list loaded. {NOT_A_CLEARANCE}"


def test_a_vendor_with_measures_has_no_no_match_caveat(connection: Connection) -> None:
    report = check_vendor(connection, "Nuctech", today=TODAY)
    assert report_view(report).caveat is None


def test_for_a_country_the_issuers_that_bind_it_are_involved(connection: Connection) -> None:
    report = check_vendor(connection, "Nuctech", today=TODAY, for_country="PL")
    assert report.coverage is not None
    assert (report.coverage.involved, report.coverage.missing) == (["EU", "PL"], ["EU", "PL"])
    plain = check_vendor(connection, "Nuctech", today=TODAY)
    assert plain.coverage is not None
    # The vendor's issuers (the seed's) and the banks: none has a list.
    assert plain.coverage.involved == sorted([*BANKS, "BE", "CA", "EU", "LT", "US"])


def test_a_measure_published_after_it_took_force_says_both(connection: Connection) -> None:
    _listed_on(connection, "lt-2021-equipment-ban", "2022-03-01")
    report = check_vendor(connection, "Nuctech", today=TODAY)
    lithuania = next(row for row in report.jurisdictions if row.code == "LT")
    assert lithuania.measures[0].label == (
        "banned, in force since 2021, published 2022-03-01: Equipment manufactured by Nuctech"
    )
    assert lithuania.measures[0].listed_on == "2022-03-01"


def test_flag_evidence_says_a_list_published_after_the_contract(connection: Connection) -> None:
    # Poland signed in 2024-03: Lithuania's 2021 ban was published only after, Belgium's before.
    _listed_on(connection, "lt-2021-equipment-ban", "2024-06-01")
    _listed_on(connection, "be-2023-customs-ban", "2023-05")
    expected = (
        "signed 2024-03; in force then: CA restriction (2020), US restriction (2020), "
        "LT ban (in force since 2021, published 2024-06-01, after this contract was signed), "
        "BE ban (in force since 2023, published 2023-05)"
    )
    streamed = {
        (flag.contract, flag.code): flag.evidence
        for flag in find_flags(connection, vendor="Nuctech")
    }
    assert streamed["pl-2024-03-xray-rzeszow", "PW-SIGNED-WHILE-BANNED"] == expected
    # The rule on records (check's) words it the same as the database path (flags').
    report = check_vendor(connection, "Nuctech", today=TODAY)
    recorded = {(flag.contract, flag.code): flag.evidence for flag in report.flags}
    assert recorded == {key: streamed[key] for key in recorded}


@pytest.mark.parametrize(
    ("start", "end", "listed_on", "text"),
    [
        ("2021", None, None, "2021"),
        ("2021", None, "2021", "2021"),
        ("2021", None, "2022-03-01", "in force since 2021, published 2022-03-01"),
        ("2019", "2021", "2019-05", "in force 2019-2021, published 2019-05"),
        (None, None, "2022", "undated, published 2022"),
    ],
)
def test_in_force_text(
    start: str | None, end: str | None, listed_on: str | None, text: str
) -> None:
    assert in_force_text(start, end, listed_on) == text


def test_published_after_needs_certainty() -> None:
    assert published_after("2024-06-01", "2024-03")
    assert not published_after("2024-03-20", "2024-03")  # possibly the same month
    assert not published_after("2024", "2024-03")
    assert not published_after(None, "2024-03")
    assert not published_after("2024-06-01", None)


def test_check_json_carries_coverage(procwatch: Procwatch) -> None:
    result = procwatch("check", "Nuctech", "-f", "json")
    assert result.exit_code == 0, result.output
    covered = json.loads(result.stdout)["coverage"]
    assert (covered["lists"], covered["ocds"]) == ([], [])
    assert [source["key"] for source in covered["documents"]] == ["nuctech-raids-georgia"]
    assert "WBG" in covered["missing"]


def test_check_terminal_says_no_match(procwatch: Procwatch, store: Store) -> None:
    assert procwatch("import", "measures", str(WORLDBANK), "--preset", "worldbank").exit_code == 0
    _acme(store.connection)
    store.commit()
    result = procwatch("check", "Acme Scanners")
    assert result.exit_code == 0, result.output
    assert "No match in the 1 list loaded (worldbank.csv imported " in result.stdout
    assert "Coverage\n  Lists loaded: 1\n" in result.stdout
