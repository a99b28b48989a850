from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from procwatch import tables
from procwatch.domain import MeasureKind
from procwatch.errors import InvalidInputError, NotFoundError
from procwatch.importers import Outcome
from procwatch.importers.cleaning import DateOrder
from procwatch.importers.columns import parse_mapping
from procwatch.importers.measures import MeasureImportOptions, import_measures
from procwatch.store import Store
from tests.helpers import counts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "measures"
CSL = "sanctions/us-consolidated-screening-list-sample.csv"
DEBARRED_MAP = parse_mapping(
    [
        "name=Firm Name",
        "aliases=Also Known As",
        "vendor_country=Country",
        "start=Ineligible From",
        "end=Ineligible To",
        "reason=Grounds",
        "kind=Sanction Type",
    ]
)


def measure(store: Store, key: str) -> dict[str, Any]:
    row = store.execute(
        text(
            "SELECT v.name AS vendor, j.code AS country, m.authority, m.kind, m.scope,"
            " m.legal_basis, m.reason, m.date_start, m.date_end, m.places"
            " FROM measures m JOIN vendors v ON v.id = m.vendor_id"
            " JOIN jurisdictions j ON j.id = m.jurisdiction_id WHERE m.key = :key"
        ),
        {"key": key},
    ).one()
    return dict(row._mapping)


def vendor(store: Store, name: str) -> dict[str, Any]:
    found = store.execute(select(tables.vendors).where(tables.vendors.c.name == name)).one()
    country = store.find(tables.jurisdictions, id=found.country_id)
    aliases, registered = tables.vendor_aliases, tables.vendor_identifiers
    alias_rows = store.execute(select(aliases).where(aliases.c.vendor_id == found.id))
    ids = store.execute(select(registered).where(registered.c.vendor_id == found.id))
    return {
        "country": country.code if country else None,
        "aliases": sorted(alias.alias for alias in alias_rows),
        "identifiers": sorted((i.scheme, i.identifier) for i in ids),
    }


def test_procwatch_layout_with_messy_cells(store: Store) -> None:
    summary = import_measures(store, FIXTURES / "procwatch-layout.csv")
    assert counts(summary, "measures") == (5, 0, 0)
    assert measure(store, "wb-2019-orion") == {
        "vendor": "Orion Scanning Systems Ltd.",
        "country": "US",
        "authority": "World Bank Group",
        "kind": "ban",
        "scope": "World Bank-financed contracts",
        "legal_basis": "Sanctions Procedure Section 9.01",
        "reason": "Fraudulent practice",
        "date_start": "2019-03-14",
        "date_end": None,
        "places": None,
    }
    assert vendor(store, "Orion Scanning Systems Ltd.") == {
        "country": "GB",
        "aliases": ["ORION SS", "Orion Imaging Co.", "Orion Scan", "Orion Security"],
        "identifiers": [("GB-COH", "01234567")],
    }
    lotus = measure(store, "wb-2020-lotus")
    assert (lotus["country"], lotus["date_start"], lotus["date_end"], lotus["places"]) == (
        "PL",
        "2020-03",
        None,
        "Warsaw",
    )
    assert vendor(store, "Lotus Detection Technology Co. Ltd")["country"] == "CN"
    assert vendor(store, "Lotus Detection (HK) Limited") == {
        "country": "CN",
        "aliases": ["Lotus HK"],
        "identifiers": [],
    }
    hk = measure(store, "wb-2021-lotus-hk")
    assert (hk["kind"], hk["date_start"], hk["date_end"]) == ("restriction", "2021-12-31", None)
    assert measure(store, "wb-2022-ambiguous")["date_start"] is None
    cygnus = measure(store, "wb-2023-bad-date")
    assert (cygnus["date_start"], cygnus["date_end"]) == (None, None)
    assert vendor(store, "Cygnus Trading LLC") == {
        "country": None,
        "aliases": [],
        "identifiers": [],
    }
    assert dict(summary.warnings) == {
        "end date '9999-12-31' read as no end": 1,
        "start date '03/04/2022' could be day/month or month/day (give `date_order`);"
        " left empty": 1,
        "kind 'reprimand' is not ban, restriction or investigation; rows skipped (give `kind`)": 1,
        "measure country 'Atlantis' not recognised; rows skipped (give `country`)": 1,
        "identifier 'NOSCHEME' is not SCHEME:ID; skipped": 1,
        "start date 'sometime in 2023' is not a date; left empty": 1,
        "end date '2023-02-30' is not a valid date; left empty": 1,
        "vendor country 'Narnia' not recognised; left empty": 1,
    }


def test_provenance_cites_the_file_and_row(store: Store) -> None:
    path = FIXTURES / "procwatch-layout.csv"
    import_measures(store, path)
    source = store.execute(select(tables.sources).where(tables.sources.c.title == path.name)).one()
    assert source.sha256 is not None and len(source.sha256) == 64
    assert source.key == f"file:procwatch-layout.csv:{source.sha256[:12]}"
    citation = store.execute(
        select(tables.citations)
        .join(tables.measures)
        .where(tables.measures.c.key == "wb-2019-orion")
    ).one()
    assert (citation.source_id, citation.locator, citation.quote) == (
        source.id,
        "row 2",
        "The firm is ineligible to be awarded a contract.",
    )


def test_importing_twice_adds_nothing(store: Store) -> None:
    path = FIXTURES / "procwatch-layout.csv"
    import_measures(store, path)
    before = store.scalar(select(func.count()).select_from(tables.citations))
    again = import_measures(store, path)
    assert counts(again, "measures") == (0, 0, 5)
    assert counts(again, "vendors") == (0, 0, 5)
    assert again.get("citations", Outcome.ADDED) == 0
    assert store.scalar(select(func.count()).select_from(tables.citations)) == before


def test_a_changed_row_updates_its_measure(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "key,vendor_name,country,kind,date\nk-1,Tau Ltd,FR,ban,2020\n", encoding="utf-8"
    )
    import_measures(store, path)
    path.write_text(
        "key,vendor_name,country,kind,date\nk-1,Tau Ltd,FR,ban,2020-05\n", encoding="utf-8"
    )
    summary = import_measures(store, path)
    assert counts(summary, "measures") == (0, 1, 0)
    assert measure(store, "k-1")["date_start"] == "2020-05"


def test_mapped_csv_with_title_rows_and_options(store: Store) -> None:
    options = MeasureImportOptions(
        mapping=DEBARRED_MAP,
        skip_rows=2,
        country="US",
        authority="World Bank Group",
        date_order=DateOrder.MDY,
    )
    summary = import_measures(store, FIXTURES / "debarred-firms.csv", options)
    assert counts(summary, "measures") == (4, 0, 0)
    assert measure(store, "debarred-firms:hikvision-digital-technology-#limited:-") == {
        "vendor": "Hikvision Digital Technology Co. Ltd.",
        "country": "US",
        "authority": "World Bank Group",
        "kind": "ban",
        "scope": None,
        "legal_basis": None,
        "reason": "Collusive practice",
        "date_start": "2019-03-14",
        "date_end": None,
        "places": None,
    }
    assert vendor(store, "Hikvision Digital Technology Co. Ltd.")["aliases"] == [
        "HIKVISION USA",
        "Hangzhou Hikvision",
    ]
    typo = measure(store, "debarred-firms:hikvison-digital-technology:-")
    assert (typo["date_start"], typo["date_end"]) == ("2020-06-01", "2025-12-31")
    meridian = measure(store, "debarred-firms:meridian-works:-")
    assert (meridian["kind"], meridian["date_start"], meridian["date_end"]) == (
        "restriction",
        "2021",
        "2030",
    )
    assert vendor(store, "Meridian Works, Inc.") == {
        "country": "US",
        "aliases": ["Meridian Tools Inc."],
        "identifiers": [],
    }
    assert dict(summary.warnings) == {"start date '13/13/2021' is not a valid date; left empty": 1}


def test_file_without_header_by_column_number(store: Store) -> None:
    options = MeasureImportOptions(
        mapping=parse_mapping(["id=1", "name=2", "aliases=3", "start=4", "end=5"]),
        header=False,
        kind=MeasureKind.BAN,
        country="GB",
        list_name="uk-debarred",
    )
    summary = import_measures(store, FIXTURES / "no-header.csv", options)
    assert counts(summary, "measures") == (2, 0, 0)
    quasar = measure(store, "uk-debarred:1001:-")
    assert (quasar["vendor"], quasar["date_start"], quasar["date_end"]) == (
        "Quasar Imaging Ltd",
        "2018-05-02",
        "2028-05-01",
    )
    assert vendor(store, "Quasar Imaging Ltd") == {
        "country": None,
        "aliases": ["QIL", "Quasar"],
        "identifiers": [("UK-DEBARRED", "1001")],
    }
    assert measure(store, "uk-debarred:1002:-")["date_start"] == "2019-07"


def test_xlsx_with_date_cells(store: Store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Debarred"
    sheet.append(["Firm Name ", "Nation", "From", "To"])
    sheet.append(["Sirius Optics AG", "Switzerland", datetime(2022, 1, 31), "Permanent"])
    sheet.append(["Vega Labs", "Peoples Republic of China", 2021, None])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    options = MeasureImportOptions(
        mapping=parse_mapping(["name=Firm Name", "vendor_country=Nation", "start=From", "end=To"]),
        kind=MeasureKind.BAN,
        country="EU",
        sheet="Debarred",
    )
    summary = import_measures(store, path, options)
    assert counts(summary, "measures") == (2, 0, 0)
    sirius = measure(store, "list:sirius-optics-#stock:-")
    assert (sirius["country"], sirius["date_start"], sirius["date_end"]) == (
        "EU",
        "2022-01-31",
        None,
    )
    assert measure(store, "list:vega-labs:-")["date_start"] == "2021"
    assert vendor(store, "Vega Labs")["country"] == "CN"
    with pytest.raises(
        InvalidInputError, match=r"^list.xlsx has no sheet 'Other' \(sheets: Debarred\)$"
    ):
        import_measures(
            store, path, MeasureImportOptions(mapping={"name": "Firm Name"}, sheet="Other")
        )


def test_followthemoney_sanctions(store: Store) -> None:
    summary = import_measures(store, FIXTURES / "opensanctions.ftm.json")
    assert counts(summary, "measures") == (2, 0, 0)
    assert measure(store, "eu_fsf:NK-acme:EU-UKR") == {
        "vendor": "Acme Detection Systems LLC",
        "country": "EU",
        "authority": "Council of the European Union",
        "kind": "ban",
        "scope": "Asset freeze",
        "legal_basis": "EU sanctions against Russia",
        "reason": "Supplies the armed forces",
        "date_start": "2022-02-28",
        "date_end": None,
        "places": None,
    }
    assert vendor(store, "Acme Detection Systems LLC") == {
        "country": "RU",
        "aliases": ["ACME DETECTION", "Acme DS", "Acme Scanners LLC"],
        "identifiers": [
            ("FTM", "NK-acme"),
            ("RU-INN", "7701234567"),
            ("XI-LEI", "5493001KJTIIGC8Y1R12"),
        ],
    }
    # The Cyrillic name and its Latin alias have one key: the alias adds nothing.
    assert vendor(store, "Иван Петров")["aliases"] == []
    assert measure(store, "eu_fsf:NK-petrov:EU-UKR")["date_start"] == "2022-03"
    # The schema says what a party is: a Person is a person, a Company an organisation.
    vendors = tables.vendors.c
    rows = store.execute(select(vendors.name, vendors.kind).where(vendors.id > 1))
    kinds = {name: kind for name, kind in rows}
    assert kinds == {"Acme Detection Systems LLC": "organisation", "Иван Петров": "person"}
    assert dict(summary.warnings) == {
        "end date '2099-12-31' read as no end": 1,
        "Vessel entities are not vendors; their sanctions skipped": 1,
        "measure country 'zz' not recognised; rows skipped (give `country`)": 1,
        "sanctions whose entity is not in the file; skipped": 1,
    }


def test_followthemoney_nested_sanction_with_country_given(store: Store) -> None:
    options = MeasureImportOptions(country="SE")
    import_measures(store, FIXTURES / "opensanctions.ftm.json", options)
    nested = measure(store, "worldbank_debarred:wb-nested:wb-s9")
    assert (nested["country"], nested["authority"], nested["date_start"], nested["date_end"]) == (
        "SE",
        "World Bank",
        "2021-06-15",
        None,
    )


def test_gzipped_followthemoney(store: Store, tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "entities.ftm.json.gz"
    path.write_bytes(gzip.compress((FIXTURES / "opensanctions.ftm.json").read_bytes()))
    assert counts(import_measures(store, path), "measures") == (2, 0, 0)


def test_us_csl_sample(store: Store, shared_data: Path) -> None:
    summary = import_measures(store, shared_data / CSL, MeasureImportOptions(preset="us-csl"))
    assert counts(summary, "measures") == (116, 0, 0)
    assert counts(summary, "vendors") == (110, 0, 0)
    assert dict(summary.warnings) == {
        "rows of one name in different vendor countries: kept apart": 2,
        "rows of one vendor with another decision (issuer, origin or dates): "
        "kept as separate measures": 3,
        "vessel entries are not vendors; skipped": 2,
        # The list's "Gui\x92an New District Huawei Investment" (a C1 control, U+0092).
        "vendor name: control character removed (C0/C1, zero-width or bidirectional)": 1,
    }
    vendors = tables.vendors.c
    guian = select(vendors.name).where(vendors.name.like("Guian New District%"))
    assert store.scalar(guian) == (
        "Guian New District Huawei Investment Co., Ltd., Guiyang, Guizhou"
    )
    assert measure(store, "us-csl-dpl:adrian-manuel-hernandez:-") == {
        "vendor": "ADRIAN MANUEL HERNANDEZ",
        "country": "US",
        "authority": "Bureau of Industry and Security, US Department of Commerce",
        "kind": "ban",
        "scope": None,
        "legal_basis": "82 F.R. 48792 10/20/2017",
        "reason": None,
        "date_start": "2017-10-16",
        "date_end": "2020-10-13",
        "places": None,
    }
    # One entity, one measure per program, whichever order the list writes them in.
    assert {
        key
        for key in store.scalars(
            select(tables.measures.c.key).where(tables.measures.c.key.like("us-csl-sdn:10863:%"))
        )
    } == {"us-csl-sdn:10863:IFSR", "us-csl-sdn:10863:NPWMD"}
    # Rows without an entity number at addresses in two countries, dated 2010-06-28 to
    # 2010-07-01: a name in two countries is two vendors, and each date its own measure
    # (the plain key goes to the first by date, then country).
    migeotte = store.execute(
        text(
            "SELECT m.key, m.date_start, j.code FROM measures m"
            " JOIN vendors v ON v.id = m.vendor_id JOIN jurisdictions j ON j.id = v.country_id"
            " WHERE v.name = 'Gunther Migeotte' ORDER BY m.key"
        )
    ).all()
    assert [tuple(row) for row in migeotte] == [
        ("us-csl-el:gunther-migeotte:-", "2010-06-28", "NO"),
        ("us-csl-el:gunther-migeotte:-:NO-2010-06-29", "2010-06-29", "NO"),
        ("us-csl-el:gunther-migeotte:-:NO-2010-06-30", "2010-06-30", "NO"),
        ("us-csl-el:gunther-migeotte:-:NO-2010-07-01", "2010-07-01", "NO"),
        ("us-csl-el:gunther-migeotte:-:ZA-2010-06-28", "2010-06-28", "ZA"),
    ]
    assert vendor(store, "32 Group China Ltd.")["country"] == "HK"
    assert vendor(store, "54th Research Institute of China")["country"] == "CN"
    # "...; and Shijiazhuang ..." in alt_names: the "and" is not part of the alias.
    assert vendor(store, "54th Research Institute of China")["aliases"] == [
        "China Electronics Technology Group Corp. (CETC) 54th Research Institute",
        "Communication, Telemetry and Telecontrol Research Institute (CTI)",
        "Shijiazhuang Communication Observation and Control Technology Institute.",
    ]
    assert ("US-OFAC", "10863") in vendor(store, measure(store, "us-csl-sdn:10863:IFSR")["vendor"])[
        "identifiers"
    ]
    again = import_measures(store, shared_data / CSL, MeasureImportOptions(preset="us-csl"))
    assert counts(again, "measures") == (0, 0, 116)
    assert counts(again, "vendors") == (0, 0, 110)


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        (
            "broken.ftm.json",
            None,
            "broken.ftm.json line 3: not JSON (Expecting ',' delimiter at column 1)",
        ),
        (
            "not-ftm.json",
            None,
            "not-ftm.json line 2: not a FollowTheMoney entity (no schema or properties)",
        ),
        (
            "latin1.csv",
            None,
            "latin1.csv is not UTF-8 text (byte 42 of a block cannot be decoded);"
            " give its encoding with `encoding`, e.g. `encoding` cp1252",
        ),
        (
            "nul-bytes.csv",
            None,
            "nul-bytes.csv is not a text CSV file (it contains NUL bytes, first on line 2)",
        ),
        ("empty.csv", None, "empty.csv is empty"),
        (
            "unknown-layout.csv",
            None,
            "unknown-layout.csv is not in the procwatch layout (no key and vendor_name columns;"
            " it has name, country): give `preset` NAME or `map` FIELD=COLUMN",
        ),
        (
            "debarred-firms.csv",
            MeasureImportOptions(mapping={"name": "Company"}, skip_rows=2),
            "debarred-firms.csv: no column 'Company' in the header (Firm Name, Also Known As,"
            " Country, Ineligible From, Ineligible To, Grounds, Sanction Type)",
        ),
        (
            "no-header.csv",
            MeasureImportOptions(mapping={"name": "Name"}, header=False),
            "no-header.csv: without a header, columns are numbers (1 is the first), not 'Name'",
        ),
        (
            "procwatch-layout.csv",
            MeasureImportOptions(preset="eu-fsf"),
            "unknown preset 'eu-fsf'; presets: ebrd, idb, ofac-sdn, un-sc, us-csl, worldbank",
        ),
        ("missing.csv", None, f"cannot read {FIXTURES / 'missing.csv'}: no such file"),
    ],
)
def test_malformed_files_are_refused_whole(
    store: Store, name: str, options: MeasureImportOptions | None, message: str
) -> None:
    before = store.scalar(select(func.count()).select_from(tables.measures))
    with pytest.raises(InvalidInputError) as raised:
        import_measures(store, FIXTURES / name, options)
    assert str(raised.value) == message
    store.rollback()
    assert store.scalar(select(func.count()).select_from(tables.measures)) == before


def test_latin1_with_its_encoding(store: Store) -> None:
    import_measures(store, FIXTURES / "latin1.csv", MeasureImportOptions(encoding="cp1252"))
    assert measure(store, "x-1")["vendor"] == "Société Générale de Scanners"


def test_us_csl_file_without_preset_gets_a_hint(store: Store, shared_data: Path) -> None:
    with pytest.raises(InvalidInputError) as raised:
        import_measures(store, shared_data / CSL)
    assert str(raised.value) == (
        "us-consolidated-screening-list-sample.csv looks like the US Consolidated Screening"
        " List, published CSV (trade.gov): give `preset` us-csl"
    )


def test_unknown_country_option(store: Store) -> None:
    with pytest.raises(NotFoundError, match=r"^unknown country 'Atlantis'$"):
        import_measures(
            store, FIXTURES / "procwatch-layout.csv", MeasureImportOptions(country="Atlantis")
        )


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("name", "`map` 'name': expected FIELD=COLUMN"),
        ("firm=Firm Name", "`map` 'firm=Firm Name': unknown field 'firm'; fields: key, name,"),
    ],
)
def test_bad_mapping(pair: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        parse_mapping([pair])
    assert str(raised.value).startswith(message)


def test_a_vendor_matches_an_existing_one_by_transliterated_name(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "key,vendor_name,country,kind\n"
        "k-1,NUCTECH CO. LTD,LT,ban\n"
        "k-2,同方威视技术股份有限公司,LT,ban\n",
        encoding="utf-8",
    )
    import_measures(store, path)
    assert measure(store, "k-1")["vendor"] == "Nuctech Company Limited"
    assert measure(store, "k-2")["vendor"] == "同方威视技术股份有限公司"


def test_origin_and_listing_date_are_stored(store: Store) -> None:
    summary = import_measures(store, FIXTURES / "cross-debarments.csv")
    assert counts(summary, "measures") == (3, 0, 0)
    rows = store.execute(
        text(
            "SELECT m.key, j.code, o.code AS origin, m.listed_on FROM measures m"
            " JOIN jurisdictions j ON j.id = m.jurisdiction_id"
            " LEFT JOIN jurisdictions o ON o.id = m.origin_id"
            " WHERE m.key LIKE 'ebrd-%' ORDER BY m.key"
        )
    ).all()
    # The issuer's own decision has no origin, though the row names one.
    assert [tuple(row) for row in rows] == [
        ("ebrd-logitrans-idb", "EBRD", "IDB", "2022-06-15"),
        ("ebrd-logitrans-wb", "EBRD", "WBG", "2022-06"),
        ("ebrd-own", "EBRD", None, None),
    ]
    again = import_measures(store, FIXTURES / "cross-debarments.csv")
    assert counts(again, "measures") == (0, 0, 3)


def test_origin_and_listed_map_to_columns(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "Firm,From,Origin,Posted\nAcme Roads LLC,2021-02-03,AfDB,2021-03-01\n", encoding="utf-8"
    )
    options = MeasureImportOptions(
        mapping=parse_mapping(["name=Firm", "start=From", "origin=Origin", "listed=Posted"]),
        kind=MeasureKind.BAN,
        country="ADB",
    )
    import_measures(store, path, options)
    row = store.execute(
        text(
            "SELECT j.code, j.kind, o.code AS origin, m.date_start, m.listed_on FROM measures m"
            " JOIN jurisdictions j ON j.id = m.jurisdiction_id"
            " JOIN jurisdictions o ON o.id = m.origin_id"
        )
    ).one()
    assert tuple(row) == ("ADB", "international", "AFDB", "2021-02-03", "2021-03-01")


def test_an_unknown_origin_is_left_empty_with_a_warning(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Firm,Origin\nAcme Roads LLC,Bank of Nowhere\n", encoding="utf-8")
    options = MeasureImportOptions(
        mapping=parse_mapping(["name=Firm", "origin=Origin"]), kind=MeasureKind.BAN, country="WBG"
    )
    summary = import_measures(store, path, options)
    assert summary.warnings["originating issuer 'Bank of Nowhere' not recognised; left empty"] == 1
    origin = text("SELECT origin_id FROM measures WHERE key LIKE 'list:%'")
    assert store.execute(origin).scalar_one() is None


def _list(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "ebrd.csv"
    path.write_text("Firm,Country,Origin,From,To\n" + rows, encoding="utf-8")
    return path


EBRD_MAP = parse_mapping(
    ["name=Firm", "vendor_country=Country", "origin=Origin", "start=From", "end=To"]
)


def test_two_debarments_of_one_firm_stay_two_measures(store: Store, tmp_path: Path) -> None:
    # The EBRD list as published: one firm, an IDB and a World Bank debarment.
    path = _list(
        tmp_path,
        "Logitrans Logística Engenharia e Transportes Ltda.,Brazil,IDB,2022-03-25,2028-03-24\n"
        "Logitrans Logística Engenharia e Transportes Ltda.,Brazil,World Bank,2022-03-29,"
        "2027-05-28\n"
        "Logitrans Logística Engenharia e Transportes Ltda.,Brazil,World Bank,2022-03-29,"
        "2027-05-28\n",
    )
    options = MeasureImportOptions(mapping=EBRD_MAP, kind=MeasureKind.BAN, country="EBRD")
    summary = import_measures(store, path, options)
    assert counts(summary, "measures") == (2, 0, 0)
    assert counts(summary, "vendors") == (1, 0, 0)
    assert dict(summary.warnings) == {
        "rows of one vendor with another decision (issuer, origin or dates): "
        "kept as separate measures": 1,
        "repeated rows of one decision merged into its measure": 1,
    }
    rows = store.execute(
        text(
            "SELECT m.key, o.code, m.date_start, m.date_end FROM measures m"
            " JOIN jurisdictions o ON o.id = m.origin_id ORDER BY m.key"
        )
    ).all()
    assert [tuple(row) for row in rows] == [
        (
            "ebrd:logitrans-logistica-engenharia-transportes-#limited:-",
            "IDB",
            "2022-03-25",
            "2028-03-24",
        ),
        (
            "ebrd:logitrans-logistica-engenharia-transportes-#limited:-:BR-WBG-2022-03-29-2027-05-28",
            "WBG",
            "2022-03-29",
            "2027-05-28",
        ),
    ]
    # Both rows of the repeated decision are cited; the same file again changes nothing.
    cited = select(tables.citations.c.id).where(tables.citations.c.measure_id.is_not(None))
    assert len(store.execute(cited).all()) >= 3
    again = import_measures(store, path, options)
    assert (counts(again, "measures"), counts(again, "vendors")) == ((0, 0, 2), (0, 0, 1))


def test_one_name_in_three_countries_is_three_vendors(store: Store, tmp_path: Path) -> None:
    path = _list(
        tmp_path,
        "Future Netwings Solutions Pvt. Ltd.,India,,2019-01-10,2021-01-09\n"
        "Future Netwings Solutions Pvt. Ltd.,Nepal,,2019-01-10,2021-01-09\n"
        "Future Netwings Solutions Pvt. Ltd.,Bangladesh,,2019-01-10,2021-01-09\n",
    )
    options = MeasureImportOptions(mapping=EBRD_MAP, kind=MeasureKind.BAN, country="WBG")
    summary = import_measures(store, path, options)
    assert summary.warnings["rows of one name in different vendor countries: kept apart"] == 2
    countries = store.execute(
        text(
            "SELECT j.code FROM vendors v JOIN jurisdictions j ON j.id = v.country_id"
            " WHERE v.name = 'Future Netwings Solutions Pvt. Ltd.' ORDER BY j.code"
        )
    ).scalars()
    assert list(countries) == ["BD", "IN", "NP"]
    assert counts(summary, "measures") == (3, 0, 0)
    again = import_measures(store, path, options)
    assert (counts(again, "measures"), counts(again, "vendors")) == ((0, 0, 3), (0, 0, 3))


def test_one_listed_entity_at_two_countries_stays_one_vendor(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "Id,Firm,Country,From\n"
        "7,Acme Roads LLC,Georgia,2020-01-01\n"
        "7,Acme Roads LLC,Armenia,2020-01-01\n",
        encoding="utf-8",
    )
    options = MeasureImportOptions(
        mapping=parse_mapping(["id=Id", "name=Firm", "vendor_country=Country", "start=From"]),
        kind=MeasureKind.BAN,
        country="ADB",
    )
    summary = import_measures(store, path, options)
    # The list's id says it is one entity: one vendor, one measure, no one home country.
    assert (counts(summary, "measures"), counts(summary, "vendors")) == ((1, 0, 0), (1, 0, 0))
    assert vendor(store, "Acme Roads LLC")["country"] is None


def test_an_issuer_is_no_vendor_country(store: Store, tmp_path: Path) -> None:
    path = _list(tmp_path, "Acme Roads LLC,EBRD,,2020-01-01,\n")
    options = MeasureImportOptions(mapping=EBRD_MAP, kind=MeasureKind.BAN, country="EBRD")
    summary = import_measures(store, path, options)
    assert (
        summary.warnings[
            "vendor country 'EBRD' is an international issuer, not a country; left empty"
        ]
        == 1
    )
