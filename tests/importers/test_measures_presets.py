"""Presets and record rows through the whole import, on SQLite and PostgreSQL."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from procwatch.errors import InvalidInputError
from procwatch.importers import Outcome
from procwatch.importers.measures import MeasureImportOptions, import_measures, parse_mapping
from procwatch.models import Citation, Measure, Vendor
from procwatch.tables import MeasureKind
from tests.importers.presets_support import FIXTURES

SDN = FIXTURES / "ofac" / "sdn.csv"


def counts(summary: Any, table: str) -> tuple[int, int, int]:
    return tuple(summary.get(table, outcome) for outcome in Outcome)  # type: ignore[return-value]


def vendors(session: Session) -> dict[str, dict[str, Any]]:
    found = {}
    for vendor in session.scalars(select(Vendor).where(Vendor.id > 1)):
        found[vendor.name] = {
            "kind": vendor.kind,
            "country": vendor.country.code if vendor.country else None,
            "aliases": sorted(alias.alias for alias in vendor.aliases),
            "identifiers": sorted((i.scheme, i.identifier) for i in vendor.identifiers),
        }
    return found


def measures(session: Session) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in session.execute(
            text(
                "SELECT m.key, v.name, j.code, m.authority, m.kind, m.date_start, m.date_end"
                " FROM measures m JOIN vendors v ON v.id = m.vendor_id"
                " JOIN jurisdictions j ON j.id = m.jurisdiction_id"
                " WHERE m.key LIKE 'ofac-sdn:%' ORDER BY m.key"
            )
        )
    ]


def citations(session: Session, key_prefix: str) -> list[tuple[str, str, str | None]]:
    rows = session.execute(
        select(Measure.key, Citation.locator, Citation.quote)
        .join(Citation, Citation.measure_id == Measure.id)
        .where(Measure.key.startswith(key_prefix))
        .order_by(Measure.key, Citation.locator)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_ofac_sdn_with_its_side_files(session: Session) -> None:
    summary = import_measures(session, SDN, MeasureImportOptions(preset="ofac-sdn"))
    assert counts(summary, "vendors") == (4, 0, 0)
    assert counts(summary, "measures") == (6, 0, 0)
    assert dict(summary.warnings) == {
        "vessel entries are not vendors; skipped": 1,
        "aircraft entries are not vendors; skipped": 1,
    }
    authority = "Office of Foreign Assets Control, US Department of the Treasury"
    assert measures(session) == [
        (
            "ofac-sdn:17016:RUSSIA-EO14024",
            "ROSOBORONEKSPORT OAO",
            "US",
            authority,
            "ban",
            None,
            None,
        ),
        ("ofac-sdn:17016:SYRIA", "ROSOBORONEKSPORT OAO", "US", authority, "ban", None, None),
        (
            "ofac-sdn:17016:UKRAINE-EO13662",
            "ROSOBORONEKSPORT OAO",
            "US",
            authority,
            "ban",
            None,
            None,
        ),
        ("ofac-sdn:2674:SDGT", "Abu ABBAS", "US", authority, "ban", None, None),
        ("ofac-sdn:306:CUBA", "BANCO NACIONAL DE CUBA", "US", authority, "ban", None, None),
        ("ofac-sdn:36:CUBA", "AEROCARIBBEAN AIRLINES", "US", authority, "ban", None, None),
    ]
    assert vendors(session) == {
        "AEROCARIBBEAN AIRLINES": {
            "kind": "organisation",
            "country": "CU",
            "aliases": ["AERO-CARIBBEAN"],
            "identifiers": [("US-OFAC", "36")],
        },
        "BANCO NACIONAL DE CUBA": {
            "kind": "organisation",
            "country": None,
            "aliases": ["BNC"],
            "identifiers": [("US-OFAC", "306")],
        },
        "Abu ABBAS": {
            "kind": "person",
            "country": None,
            "aliases": ["ABBAS, Abu", "Muhammad ABU ABBAS"],
            "identifiers": [("US-OFAC", "2674")],
        },
        "ROSOBORONEKSPORT OAO": {
            "kind": "organisation",
            "country": "RU",
            "aliases": ["ROSOBORONEKSPORT FSUE", "ROSOBORONEXPORT"],
            "identifiers": [("US-OFAC", "17016")],
        },
    }
    # OFAC's "-0-" is no value: never a quote.
    assert citations(session, "ofac-sdn:3") == [
        ("ofac-sdn:306:CUBA", "SDN entity 306, row 2", None),
        ("ofac-sdn:36:CUBA", "SDN entity 36, row 1", None),
    ]
    again = import_measures(session, SDN, MeasureImportOptions(preset="ofac-sdn"))
    assert counts(again, "measures") == (0, 0, 6)
    assert counts(again, "vendors") == (0, 0, 4)


def test_a_mapped_csv_cites_records_as_a_spreadsheet_numbers_its_rows(session: Session) -> None:
    # The EBRD file has a blank first line and addresses spanning three and two lines: the
    # third firm starts on line 9 of the file but is row 5 of the sheet.
    options = MeasureImportOptions(
        mapping=parse_mapping(
            ["name=Firm Name", "start=Ineligible From", "program=Originating Institution"]
        ),
        country="US",
        kind=MeasureKind.BAN,
        list_name="ebrd-mapped",
    )
    import_measures(session, FIXTURES / "ebrd-ineligible.csv", options)
    rows = session.execute(
        select(Vendor.name, Measure.key, Citation.locator)
        .join(Measure, Measure.vendor_id == Vendor.id)
        .join(Citation, Citation.measure_id == Measure.id)
        .where(Measure.key.startswith("ebrd-mapped:"))
    )
    assert sorted((locator, name, key.rpartition(":")[2]) for name, key, locator in rows) == [
        (
            "row 3",
            "Logitrans Logística Engenharia e Transportes Ltda.",
            "Inter-American Development Bank",
        ),
        ("row 4", "Logitrans Logística Engenharia e Transportes Ltda.", "World Bank"),
        ("row 5", "Future Netwings Solutions Pvt Ltd", "EBRD"),
        ("row 6", "Mr Ivan Petrov", "EBRD"),
        ("row 7", "Alpha Build LLC", "Asian Development Bank"),
    ]


def test_a_null_marker_is_never_a_quote(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "key,vendor_name,country,kind,quote\nk-1,Tau Ltd,FR,ban,-0-\nk-2,Rho Ltd,FR,ban,Banned.\n",
        encoding="utf-8",
    )
    import_measures(session, path)
    assert citations(session, "k-") == [("k-1", "row 2", None), ("k-2", "row 3", "Banned.")]


@pytest.mark.parametrize(
    "options",
    [
        MeasureImportOptions(),
        MeasureImportOptions(
            header=False, mapping={"name": "1"}, country="US", kind=MeasureKind.BAN
        ),
        MeasureImportOptions(preset="ebrd"),
        MeasureImportOptions(preset="worldbank"),
    ],
)
def test_xml_given_to_the_csv_reader_is_refused_as_xml(
    session: Session, options: MeasureImportOptions
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        import_measures(session, FIXTURES / "un-sc-consolidated.xml", options)
    assert str(refused.value) == (
        "un-sc-consolidated.xml is XML, not CSV; for the UN list use --preset un-sc"
    )
    assert session.scalar(select(Measure.id).where(Measure.key.like("un%"))) is None


def test_a_listed_kind_fills_in_an_unknown_one(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("key,vendor_name,country,kind\nk-1,Abu ABBAS,FR,ban\n", encoding="utf-8")
    import_measures(session, path)
    assert session.scalar(select(Vendor.kind).where(Vendor.name == "Abu ABBAS")) == "unknown"
    summary = import_measures(session, SDN, MeasureImportOptions(preset="ofac-sdn"))
    assert counts(summary, "vendors") == (3, 1, 0)
    assert session.scalar(select(Vendor.kind).where(Vendor.name == "Abu ABBAS")) == "person"
