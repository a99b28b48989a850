"""Presets and record rows through the whole import, on SQLite and PostgreSQL."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from procwatch import tables
from procwatch.domain import MeasureKind
from procwatch.errors import InvalidInputError
from procwatch.importers.columns import parse_mapping
from procwatch.importers.measures import MeasureImportOptions, import_measures
from procwatch.store import Store
from tests.helpers import counts
from tests.importers.presets_support import FIXTURES, worldbank_xlsx

SDN = FIXTURES / "ofac" / "sdn.csv"
V, M, C = tables.vendors.c, tables.measures.c, tables.citations.c


def vendors(store: Store) -> dict[str, dict[str, Any]]:
    found = {}
    vendors, aliases, registered = tables.vendors, tables.vendor_aliases, tables.vendor_identifiers
    for vendor in store.execute(select(vendors).where(vendors.c.id > 1)):
        country = store.find(tables.jurisdictions, id=vendor.country_id)
        alias_rows = store.execute(select(aliases).where(aliases.c.vendor_id == vendor.id))
        ids = store.execute(select(registered).where(registered.c.vendor_id == vendor.id))
        found[vendor.name] = {
            "kind": vendor.kind,
            "country": country.code if country else None,
            "aliases": sorted(alias.alias for alias in alias_rows),
            "identifiers": sorted((i.scheme, i.identifier) for i in ids),
        }
    return found


def measures(store: Store) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in store.execute(
            text(
                "SELECT m.key, v.name, j.code, m.authority, m.kind, m.date_start, m.date_end"
                " FROM measures m JOIN vendors v ON v.id = m.vendor_id"
                " JOIN jurisdictions j ON j.id = m.jurisdiction_id"
                " WHERE m.key LIKE 'ofac-sdn:%' ORDER BY m.key"
            )
        )
    ]


def citations(store: Store, key_prefix: str) -> list[tuple[str, str, str | None]]:
    rows = store.execute(
        select(M.key, C.locator, C.quote)
        .join(tables.citations, C.measure_id == M.id)
        .where(M.key.startswith(key_prefix))
        .order_by(M.key, C.locator)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_ofac_sdn_with_its_side_files(store: Store) -> None:
    summary = import_measures(store, SDN, MeasureImportOptions(preset="ofac-sdn"))
    assert counts(summary, "vendors") == (4, 0, 0)
    assert counts(summary, "measures") == (6, 0, 0)
    assert dict(summary.warnings) == {
        "vessel entries are not vendors; skipped": 1,
        "aircraft entries are not vendors; skipped": 1,
    }
    authority = "Office of Foreign Assets Control, US Department of the Treasury"
    assert measures(store) == [
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
    assert vendors(store) == {
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
    assert citations(store, "ofac-sdn:3") == [
        ("ofac-sdn:306:CUBA", "SDN entity 306, row 2", None),
        ("ofac-sdn:36:CUBA", "SDN entity 36, row 1", None),
    ]
    again = import_measures(store, SDN, MeasureImportOptions(preset="ofac-sdn"))
    assert counts(again, "measures") == (0, 0, 6)
    assert counts(again, "vendors") == (0, 0, 4)


def test_a_mapped_csv_cites_records_as_a_spreadsheet_numbers_its_rows(store: Store) -> None:
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
    import_measures(store, FIXTURES / "ebrd-ineligible.csv", options)
    rows = store.execute(
        select(V.name, M.key, C.locator)
        .join(tables.measures, M.vendor_id == V.id)
        .join(tables.citations, C.measure_id == M.id)
        .where(M.key.startswith("ebrd-mapped:"))
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


def test_a_null_marker_is_never_a_quote(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "key,vendor_name,country,kind,quote\nk-1,Tau Ltd,FR,ban,-0-\nk-2,Rho Ltd,FR,ban,Banned.\n",
        encoding="utf-8",
    )
    import_measures(store, path)
    assert citations(store, "k-") == [("k-1", "row 2", None), ("k-2", "row 3", "Banned.")]


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
    store: Store, options: MeasureImportOptions
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        import_measures(store, FIXTURES / "un-sc-consolidated.xml", options)
    assert str(refused.value) == (
        "un-sc-consolidated.xml is XML, not CSV; for the UN list use `preset` un-sc"
    )
    assert store.scalar(select(M.id).where(M.key.like("un%"))) is None


def test_a_listed_kind_fills_in_an_unknown_one(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("key,vendor_name,country,kind\nk-1,Abu ABBAS,FR,ban\n", encoding="utf-8")
    import_measures(store, path)
    assert store.scalar(select(V.kind).where(V.name == "Abu ABBAS")) == "unknown"
    summary = import_measures(store, SDN, MeasureImportOptions(preset="ofac-sdn"))
    assert counts(summary, "vendors") == (3, 1, 0)
    assert store.scalar(select(V.kind).where(V.name == "Abu ABBAS")) == "person"


def decisions(store: Store, list_name: str) -> list[tuple[Any, ...]]:
    """Return a list's measures: vendor, issuer, origin, start, end, listed, reason."""
    return [
        tuple(row)
        for row in store.execute(
            text(
                "SELECT v.name, j.code, o.code AS origin, m.date_start, m.date_end,"
                " m.listed_on, m.reason FROM measures m JOIN vendors v ON v.id = m.vendor_id"
                " JOIN jurisdictions j ON j.id = m.jurisdiction_id"
                " LEFT JOIN jurisdictions o ON o.id = m.origin_id"
                " WHERE m.key LIKE :prefix ORDER BY m.date_start, v.name"
            ),
            {"prefix": f"{list_name}:%"},
        )
    ]


def kinds(store: Store) -> dict[str, tuple[str, str | None]]:
    rows = store.execute(
        text(
            "SELECT v.name, v.kind, j.code FROM vendors v"
            " LEFT JOIN jurisdictions j ON j.id = v.country_id WHERE v.id > 1"
        )
    )
    return {name: (kind, code) for name, kind, code in rows}


def test_worldbank_csv(store: Store) -> None:
    summary = import_measures(
        store, FIXTURES / "worldbank.csv", MeasureImportOptions(preset="worldbank")
    )
    assert counts(summary, "measures") == (4, 0, 0)
    assert dict(summary.warnings) == {
        "Additional Firm Info without an a.k.a. or formerly; not read as a name": 1
    }
    assert decisions(store, "worldbank") == [
        (
            "ORION SCANNING SYSTEMS LTD.",
            "WBG",
            None,
            "2019-03-14",
            "2025-03-14",
            None,
            "Fraudulent Practice",
        ),
        ("MR. RUFAT MAJIDOV", "WBG", None, "2020-06-01", None, None, "Corrupt Practice"),
        ("ZENITH SUPPLIES", "WBG", None, "2021-09-10", None, None, "Obstructive Practice"),
        (
            "FUTURE NETWINGS SOLUTIONS PVT. LTD.",
            "WBG",
            None,
            "2024-12-10",
            None,
            None,
            "Fraudulent Practice; Collusive Practice",
        ),
    ]
    assert kinds(store) == {
        "ORION SCANNING SYSTEMS LTD.": ("organisation", "GB"),
        "MR. RUFAT MAJIDOV": ("person", "AZ"),
        "FUTURE NETWINGS SOLUTIONS PVT. LTD.": ("organisation", "IN"),
        "ZENITH SUPPLIES": ("unknown", "KE"),
    }
    assert vendors(store)["ORION SCANNING SYSTEMS LTD."]["aliases"] == [
        "Orion Imaging Co.",
        "Orion Scan",
    ]
    # Honorifics never enter a name key: the UN's or a bank's "Rufat Majidov" is this vendor.
    assert store.scalar(select(V.name_key).where(V.name == "MR. RUFAT MAJIDOV")) == "rufat majidov"
    assert citations(store, "worldbank:orion") == [
        ("worldbank:orion-scanning-systems-#limited:-", "row 6", None)
    ]


def test_worldbank_xlsx_with_a_wrong_declared_size(store: Store, tmp_path: Path) -> None:
    path = worldbank_xlsx(tmp_path / "Debarred Firms.xlsx")
    summary = import_measures(store, path, MeasureImportOptions(preset="worldbank"))
    assert counts(summary, "measures") == (3, 0, 0)
    assert decisions(store, "worldbank") == [
        (
            "ORION SCANNING SYSTEMS LTD.",
            "WBG",
            None,
            "2019-03-14",
            "2025-03-14",
            None,
            "Fraudulent Practice",
        ),
        ("MR. RUFAT MAJIDOV", "WBG", None, "2020-06-01", None, None, "Corrupt Practice"),
        (
            "FUTURE NETWINGS SOLUTIONS PVT. LTD.",
            "WBG",
            None,
            "2024-12-10",
            None,
            None,
            "Fraudulent Practice; Collusive Practice",
        ),
    ]
    assert kinds(store)["ORION SCANNING SYSTEMS LTD."] == ("organisation", "GB")


def test_ebrd_keeps_each_banks_decision_apart(store: Store) -> None:
    summary = import_measures(
        store, FIXTURES / "ebrd-ineligible.csv", MeasureImportOptions(preset="ebrd")
    )
    assert counts(summary, "measures") == (5, 0, 0)
    assert counts(summary, "vendors") == (4, 0, 0)
    assert dict(summary.warnings) == {}
    logitrans = "Logitrans Logística Engenharia e Transportes Ltda."
    assert decisions(store, "ebrd") == [
        (
            "Alpha Build LLC",
            "EBRD",
            "ADB",
            "2021-01-05",
            "2024-01-04",
            "2021-03-01",
            "Collusive Practice",
        ),
        (logitrans, "EBRD", "IDB", "2022-03-25", "2028-03-24", "2022-05-10", "Fraudulent Practice"),
        (logitrans, "EBRD", "WBG", "2022-03-29", "2027-05-28", "2022-06-16", "Fraudulent Practice"),
        ("Mr Ivan Petrov", "EBRD", None, "2023-02-01", None, "2023-02-01", "Corrupt Practice"),
        (
            "Future Netwings Solutions Pvt Ltd",
            "EBRD",
            None,
            "2024-12-10",
            None,
            "2024-12-10",
            "Fraudulent Practice",
        ),
    ]
    assert kinds(store) == {
        logitrans: ("organisation", "BR"),
        "Future Netwings Solutions Pvt Ltd": ("organisation", "IN"),
        "Mr Ivan Petrov": ("person", "UA"),
        "Alpha Build LLC": ("organisation", "UA"),
    }
    assert vendors(store)["Alpha Build LLC"]["aliases"] == ["Alpha Construction"]
    assert [locator for _, locator, _ in citations(store, "ebrd:logitrans")] == ["row 3", "row 4"]
    again = import_measures(
        store, FIXTURES / "ebrd-ineligible.csv", MeasureImportOptions(preset="ebrd")
    )
    assert counts(again, "measures") == (0, 0, 5)


def test_un_sc_individuals_entities_and_offset_dates(store: Store) -> None:
    summary = import_measures(
        store, FIXTURES / "un-sc-consolidated.xml", MeasureImportOptions(preset="un-sc")
    )
    assert counts(summary, "measures") == (4, 0, 0)
    assert dict(summary.warnings) == {
        "low-quality aliases (the list's QUALITY Low) not used as names": 2
    }
    assert decisions(store, "un-sc") == [
        (
            "AL-HARAMAIN FOUNDATION (UNION OF THE COMOROS)",
            "UN",
            None,
            "2004-12-22",
            None,
            "2004-12-22",
            None,
        ),
        ("ABU MOHAMMED AL-ADNANI", "UN", None, "2015-07-01", None, "2015-07-01", None),
        ("KOREA KWANGSON BANKING CORP.", "UN", None, "2016-11-30", None, "2016-11-30", None),
        ("RI WON HO", "UN", None, "2016-11-30", None, "2016-11-30", None),
    ]
    assert kinds(store) == {
        "RI WON HO": ("person", "KP"),
        "ABU MOHAMMED AL-ADNANI": ("person", "SY"),
        "AL-HARAMAIN FOUNDATION (UNION OF THE COMOROS)": ("organisation", "KM"),
        "KOREA KWANGSON BANKING CORP.": ("organisation", None),
    }
    assert vendors(store)["RI WON HO"]["identifiers"] == [("UN-SC", "KPi.033")]
    assert citations(store, "un-sc:QDi") == [
        ("un-sc:QDi.325:Al-Qaida", "individual QDi.325, line 28", None)
    ]


def test_idb_export(store: Store, tmp_path: Path) -> None:
    from tests.importers.test_idb import ROWS, export

    path = export(tmp_path / "data.xlsx", ROWS)
    summary = import_measures(store, path, MeasureImportOptions(preset="idb"))
    assert counts(summary, "measures") == (3, 0, 0)
    assert dict(summary.warnings) == {"rows without an Entity (the export's notes); skipped": 1}
    assert decisions(store, "idb") == [
        (
            "Servicios Delta Ltda.",
            "IDB",
            None,
            "2020-02-01",
            "2023-01-31",
            None,
            "Collusive practice",
        ),
        (
            "Constructora Andina S.A.",
            "IDB",
            None,
            "2021-05-04",
            "2026-05-03",
            None,
            "Fraudulent practice",
        ),
        ("Juan Pérez", "IDB", "WBG", "2022-01-10", None, None, "Corrupt practice"),
    ]
    assert store.execute(
        text("SELECT kind FROM measures WHERE key LIKE 'idb:%' ORDER BY date_start")
    ).scalars().all() == ["restriction", "ban", "ban"]
    assert kinds(store) == {
        "Constructora Andina S.A.": ("organisation", "PE"),
        "Juan Pérez": ("person", "CO"),
        "Servicios Delta Ltda.": ("organisation", "BO"),
    }
