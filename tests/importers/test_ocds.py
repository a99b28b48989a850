"""OCDS import against the real samples and hand-written fixtures of every shape."""

from __future__ import annotations

import gzip
import json
import shutil
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from procwatch import tables
from procwatch.errors import InvalidInputError
from procwatch.importers import ImportSummary, Outcome
from procwatch.importers.ocds import import_ocds
from procwatch.importers.ocds_merge import MERGE_RULES
from procwatch.money import from_minor_units
from procwatch.store import Store, store_scope
from tests.helpers import counts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ocds"


def _import(engine: Engine, *paths: Path, **options: object) -> ImportSummary:
    with store_scope(engine) as store:
        return import_ocds(store, list(paths), **options)  # type: ignore[arg-type]


def _contract(store: Store, key: str) -> Any:
    """Return a contract with its vendor (and identifiers), buyer and jurisdiction."""
    contract = store.execute(select(tables.contracts).where(tables.contracts.c.key == key)).one()
    vendor = store.find(tables.vendors, id=contract.vendor_id)
    assert vendor is not None
    registered = tables.vendor_identifiers
    identifiers = store.execute(select(registered).where(registered.c.vendor_id == vendor.id))
    return SimpleNamespace(
        **contract._mapping,
        vendor=SimpleNamespace(**vendor._mapping, identifiers=identifiers.all()),
        buyer=store.find(tables.buyers, id=contract.buyer_id),
        jurisdiction=store.find(tables.jurisdictions, id=contract.jurisdiction_id),
    )


def _amount(contract: Any) -> Decimal | None:
    if contract.amount_minor is None or contract.currency is None:
        return None
    return from_minor_units(contract.amount_minor, contract.currency)


def _locators(store: Store, contract: Any) -> list[str]:
    return sorted(
        str(locator)
        for locator in store.scalars(
            select(tables.citations.c.locator).where(tables.citations.c.contract_id == contract.id)
        )
    )


def _table_sizes(store: Store) -> dict[str, int]:
    return {
        model.name: store.scalar(select(func.count()).select_from(model)) or 0
        for model in (
            tables.vendors,
            tables.vendor_identifiers,
            tables.buyers,
            tables.contracts,
            tables.citations,
            tables.sources,
            tables.jurisdictions,
        )
    }


# Real samples


def test_moldova_records_need_a_country(engine: Engine, shared_data: Path) -> None:
    # Files of a folder are refused one by one, each saying what to do.
    summary = _import(engine, shared_data / "ocds" / "moldova-records")
    assert len(summary.refused_files) == 5
    assert summary.refused_files[0] == (
        "ocds-ngfbwp-16949496.json: releases[0] (ocid ocds-ngfbwp-16949496): cannot tell its "
        "country: the buyer has no address with a country; give it with `country` (file refused)"
    )
    assert counts(summary, "contracts") == (0, 0, 0)


def test_moldova_records(engine: Engine, shared_data: Path) -> None:
    summary = _import(engine, shared_data / "ocds" / "moldova-records", country="MD")
    assert counts(summary, "vendors") == (5, 0, 0)
    assert counts(summary, "buyers") == (5, 0, 0)
    assert counts(summary, "contracts") == (5, 0, 0)
    # Moldova writes its local method name where the codelist value belongs.
    assert summary.warnings == {
        "procurementMethod outside the OCDS codelist: kept as the local method name": 5
    }
    with store_scope(engine) as store:
        contract = _contract(store, "ocds:ocds-ngfbwp-16949496:award-17956599")
        assert _amount(contract) == Decimal("203179.71")
        assert contract.currency == "MDL"
        assert (contract.date_start, contract.date_end) == ("2017-02-14", "2017-12-31")
        assert contract.status == "Înregistrat(ă)"
        assert contract.procurement_method is None
        assert contract.procurement_method_details == "Cerere a ofertelor de preţuri"
        assert contract.ocid == "ocds-ngfbwp-16949496"
        assert contract.vendor.name == "S.C. ELINATCONS S.R.L."
        assert contract.buyer is not None and contract.buyer.name == "DETS  RÎŞCANI"
        assert contract.jurisdiction.code == "MD"
        assert _locators(store, contract) == ["ocds-ngfbwp-16949496/16949496"]
        two = _contract(store, "ocds:ocds-ngfbwp-17180016:award-18741163")
        assert _amount(two) == Decimal("53922.00")
        assert two.vendor.name == "Î.C.S. EYECON MEDICAL S.R.L."
        source = store.execute(
            select(tables.sources).where(tables.sources.c.title == "ocds-ngfbwp-16949496.json")
        ).one()
        assert (source.publisher, source.published) == ("Public Procurement Agency", "2016-11-07")
        assert source.sha256 is not None and len(source.sha256) == 64


def test_paraguay_stages_of_one_process_are_merged(engine: Engine, shared_data: Path) -> None:
    summary = _import(engine, shared_data / "ocds" / "paraguay-releases", country="PY")
    assert counts(summary, "contracts") == (2, 0, 0)
    assert counts(summary, "vendors") == (2, 0, 0)
    # COPACO appears under two party ids; by name it is one buyer.
    assert counts(summary, "buyers") == (1, 0, 0)
    with store_scope(engine) as store:
        award_id = (
            "273637-provision-montaje-equipos-rectificadores-accesorios-banco-bateria-"
            "acondicionadores-1"
        )
        contract = _contract(store, f"ocds:ocds-03ad3f-273637:{award_id}")
        # The contract stage's value replaces the award's (2809999999 PYG).
        assert (_amount(contract), contract.currency) == (Decimal("2809999872"), "PYG")
        assert contract.status == "active"
        assert contract.vendor.name == "INFOCENTER S.A"
        assert contract.buyer is not None
        assert contract.buyer.name == "Compañía Paraguaya de Comunicaciones (COPACO)"
        assert contract.title.startswith("PROVISIÓN Y MONTAJE DE EQUIPOS RECTIFICADORES")
        assert (contract.date_start, contract.date_end) == ("2016-06-28", "2018-06-28")
        assert _locators(store, contract) == [
            "ocds-03ad3f-273637/273637-infocenter-s-a-1-contract",
            f"ocds-03ad3f-273637/{award_id}-award",
        ]
        other = _contract(
            store,
            "ocds:ocds-03ad3f-274231:274231-adquisicion-equipos-comunicacion-terminales-opticos-transmision-1",
        )
        assert (_amount(other), other.currency) == (Decimal("180941456"), "PYG")
        assert other.vendor.name == "RIEDER Y CIA. SACI"


def test_uk_releases_give_buyers_and_their_country(engine: Engine, shared_data: Path) -> None:
    summary = _import(engine, shared_data / "ocds" / "uk-contracts-finder-releases")
    # Tender notices only: buyers, no awards yet.
    assert counts(summary, "contracts") == (0, 0, 0)
    assert counts(summary, "buyers") == (3, 0, 0)
    with store_scope(engine) as store:
        buyers = store.execute(
            select(tables.buyers.c.name, tables.jurisdictions.c.code)
            .join(tables.jurisdictions)
            .where(tables.buyers.c.key.like("ocds:%"))
            .order_by(tables.buyers.c.name)
        ).all()
        # Each process comes as two copies of one release (same id and date) that differ;
        # of equal dates the merge takes them in the order of their digests, so the result
        # does not depend on which file (or import) came first.
        assert [tuple(row) for row in buyers] == [
            ("Bath and North East Somerset Council", "GB"),
            ("MET OFFICE", "GB"),
            ("Spend Network", "GB"),
        ]


def test_packages(engine: Engine, shared_data: Path) -> None:
    packages = shared_data / "ocds" / "packages"
    summary = _import(
        engine,
        packages / "release-package-1.json",
        packages / "release-package-2.json",
        packages / "record-package-1.json",
    )
    assert counts(summary, "contracts") == (4, 0, 0)
    with store_scope(engine) as store:
        bentley = _contract(store, "ocds:OCDS-87SD3T-AD-SF-DRM-065-2015:1")
        assert (_amount(bentley), bentley.currency) == (Decimal("75464.96"), "USD")
        assert bentley.procurement_method == "selective"
        assert bentley.jurisdiction.code == "MX"
        assert bentley.vendor.name == "BENTLEY SYSTEMS DE MEXICO SA de"
        assert bentley.buyer is not None and bentley.buyer.identifier == "GDF9712054NA"
        second = _contract(store, "ocds:ocds-07smqs-993235:1322806")
        assert (_amount(second), second.currency) == (Decimal("37930.71"), "MXN")
        assert (second.date_start, second.date_end) == ("2017-01-01", "2017-03-08")
        assert second.status == "terminated"
        assert second.procurement_method == "direct"
        identifiers = store.execute(
            select(
                tables.vendor_identifiers.c.scheme, tables.vendor_identifiers.c.identifier
            ).where(tables.vendor_identifiers.c.vendor_id == second.vendor_id)
        ).all()
        assert [tuple(row) for row in identifiers] == [
            ("Registro Federal de Contribuyentes de México", "GAB0709244G5")
        ]
        source = store.execute(
            select(tables.sources).where(tables.sources.c.title == "record-package-1.json")
        ).one()
        assert source.published == "2017-11-15"
        assert source.publisher == (
            "SECRETARÍA DE LA FUNCIÓN PÚBLICA / SECRETARIA DE HACIENDA Y CRÉDITO PÚBLICO"
        )


def test_latin_1_package_needs_its_encoding(engine: Engine, shared_data: Path) -> None:
    path = shared_data / "ocds" / "packages" / "release-package_encoding-iso-8859-1.json"
    with pytest.raises(InvalidInputError) as raised:
        _import(engine, path)
    assert str(raised.value) == (
        "release-package_encoding-iso-8859-1.json: byte 0xd3 at offset 592 (line 1) is not "
        "UTF-8: give the file's encoding with `encoding`, e.g. `encoding` iso-8859-1"
    )
    summary = _import(engine, path, encoding="iso-8859-1")
    assert counts(summary, "contracts") == (1, 0, 0)
    with store_scope(engine) as store:
        contracts = tables.contracts.c
        [key] = store.scalars(select(contracts.key).where(contracts.key.like("ocds:%")))
        contract = _contract(store, key)
        assert contract.buyer is not None and contract.buyer.name == "SECRETARÍA DE FINANZAS"
        assert contract.jurisdiction.code == "MX"


def test_every_sample_again_changes_nothing(engine: Engine, shared_data: Path) -> None:
    ocds = shared_data / "ocds"
    folders = [
        ocds / "packages" / name for name in ("release-package-1.json", "record-package-1.json")
    ]
    _import(engine, ocds / "paraguay-releases", country="PY")
    _import(engine, *folders, ocds / "uk-contracts-finder-releases")
    with store_scope(engine) as store:
        before = _table_sizes(store)
    again = _import(engine, *folders, ocds / "uk-contracts-finder-releases")
    paraguay = _import(engine, ocds / "paraguay-releases", country="PY")
    for summary in (again, paraguay):
        for table in ("vendors", "buyers", "contracts"):
            assert summary.get(table, Outcome.ADDED) == 0
            assert summary.get(table, Outcome.UPDATED) == 0
    assert counts(paraguay, "contracts") == (0, 0, 2)
    with store_scope(engine) as store:
        assert _table_sizes(store) == before


def test_merge_rules_match_the_official_schema(shared_data: Path) -> None:
    from ocdsmerge.rules import get_merge_rules

    schema = json.loads(
        (shared_data / "ocds-schema" / "1__1__5" / "release-schema.json").read_text()
    )
    assert get_merge_rules(schema) == MERGE_RULES


# Hand-written fixtures


def test_json_lines_merge_stages_and_match_the_seeded_vendor(engine: Engine) -> None:
    summary = _import(engine, FIXTURES / "releases.jsonl")
    # Nuctech is the seeded vendor: it gains the MD-IDNO identifier.
    assert counts(summary, "vendors") == (1, 1, 0)
    assert counts(summary, "buyers") == (2, 0, 0)
    assert counts(summary, "contracts") == (2, 0, 0)
    with store_scope(engine) as store:
        scanners = _contract(store, "ocds:ocds-fixture-1:a1")
        assert scanners.vendor.key == "nuctech"
        assert (_amount(scanners), scanners.currency) == (Decimal("1234567.89"), "MDL")
        assert scanners.amount_is_estimate is False
        assert scanners.procurement_method == "open"
        assert scanners.procurement_method_details == "Licitație deschisă"
        assert (scanners.date_start, scanners.date_end) == ("2024-03-05", None)
        assert scanners.title == "Scanere cu raze X pentru vamă"
        assert scanners.jurisdiction.code == "MD"
        assert scanners.buyer is not None
        assert (scanners.buyer.identifier_scheme, scanners.buyer.identifier) == (
            "MD-IDNO",
            "1003600000001",
        )
        assert _locators(store, scanners) == ["ocds-fixture-1/ocds-fixture-1-award"]
        nuctech_ids = store.execute(
            select(
                tables.vendor_identifiers.c.scheme, tables.vendor_identifiers.c.identifier
            ).where(tables.vendor_identifiers.c.vendor_id == scanners.vendor_id)
        ).all()
        assert [tuple(row) for row in nuctech_ids] == [("MD-IDNO", "1010600000002")]
        portugal = _contract(store, "ocds:ocds-fixture-2:a2")
        # The contract's value (97500.50) wins over the award's, lower-case currency or not.
        assert (_amount(portugal), portugal.currency) == (Decimal("97500.50"), "EUR")
        assert portugal.date_start == "2023-06-01"
        assert portugal.procurement_method == "limited"
        assert portugal.jurisdiction.code == "PT"
        assert portugal.vendor.key == "ocds:PT-NIPPC:507654321"
        assert sorted((item.scheme, item.identifier) for item in portugal.vendor.identifiers) == [
            ("GB-COH", "00111111"),
            ("PT-NIPPC", "507654321"),
        ]


def test_gzip_and_byte_order_mark(engine: Engine, tmp_path: Path) -> None:
    compressed = tmp_path / "releases.jsonl.gz"
    compressed.write_bytes(gzip.compress((FIXTURES / "releases.jsonl").read_bytes()))
    with_bom = tmp_path / "array.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "array.json").read_bytes())
    summary = _import(engine, compressed, with_bom)
    assert counts(summary, "contracts") == (5, 0, 0)
    with store_scope(engine) as store:
        assert _amount(_contract(store, "ocds:ocds-fixture-1:a1")) == Decimal("1234567.89")


def test_a_folder_is_read_recursively(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "bulk" / "2024"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "releases.jsonl", folder)
    shutil.copy(FIXTURES / "array.json", tmp_path / "bulk")
    (tmp_path / "bulk" / "README.txt").write_text("not OCDS")
    summary = _import(engine, tmp_path / "bulk")
    assert counts(summary, "contracts") == (5, 0, 0)


def test_arrays_records_and_consortia(engine: Engine) -> None:
    summary = _import(engine, FIXTURES / "array.json")
    assert counts(summary, "contracts") == (3, 0, 0)
    assert summary.warnings == {"amount without a currency: not stored": 1}
    with store_scope(engine) as store:
        # Two suppliers of one award: one contract row each.
        first = _contract(store, "ocds:ocds-fixture-3:a3:1")
        second = _contract(store, "ocds:ocds-fixture-3:a3:2")
        assert (first.vendor.name, second.vendor.name) == (
            "Rapiscan Systems B.V.",
            "Van der Lande B.V.",
        )
        assert (_amount(first), first.currency) == (Decimal("4500000.00"), "EUR")
        assert (first.date_start, first.date_end) == ("2023-01-01", "2026-12-31")
        assert first.jurisdiction.code == "NL"
        record = _contract(store, "ocds:ocds-fixture-4:a4")
        assert (record.amount_minor, record.currency) == (None, None)
        assert record.vendor.name == "Thales Nederland B.V."
        assert record.title == "ocds-fixture-4"


def test_a_newer_release_updates_the_contract(engine: Engine) -> None:
    _import(engine, FIXTURES / "releases.jsonl")
    summary = _import(engine, FIXTURES / "newer.json")
    assert counts(summary, "contracts") == (0, 1, 0)
    with store_scope(engine) as store:
        contract = _contract(store, "ocds:ocds-fixture-1:a1")
        assert (_amount(contract), contract.currency) == (Decimal("1200000.00"), "MDL")
        assert (contract.date_start, contract.date_end) == ("2024-04-15", "2025-04-14")
        assert contract.vendor.key == "nuctech"
        assert contract.procurement_method == "open"
        assert _locators(store, contract) == [
            "ocds-fixture-1/ocds-fixture-1-award",
            "ocds-fixture-1/ocds-fixture-1-contract",
        ]
    assert counts(_import(engine, FIXTURES / "newer.json"), "contracts") == (0, 0, 1)


def test_an_older_file_imported_again_keeps_the_newer_release(engine: Engine) -> None:
    _import(engine, FIXTURES / "releases.jsonl")
    _import(engine, FIXTURES / "newer.json")
    with store_scope(engine) as store:
        newer = _contract(store, "ocds:ocds-fixture-1:a1")
        released = newer.released
    summary = _import(engine, FIXTURES / "releases.jsonl")
    # Its releases are kept already: the processes' merges, and so their rows, are unchanged.
    assert counts(summary, "contracts") == (0, 0, 2)
    with store_scope(engine) as store:
        contract = _contract(store, "ocds:ocds-fixture-1:a1")
        assert (_amount(contract), contract.date_start) == (Decimal("1200000.00"), "2024-04-15")
        assert contract.released == released


def test_a_contract_of_an_unknown_award_is_counted_not_imported(engine: Engine) -> None:
    summary = _import(engine, FIXTURES / "newer.json")
    assert counts(summary, "contracts") == (0, 0, 0)
    assert summary.warnings == {"contract whose award and supplier are unknown: not imported": 1}


def test_tender_value_is_an_estimate_for_a_single_contract(engine: Engine, tmp_path: Path) -> None:
    release = {
        "ocid": "ocds-fixture-8",
        "id": "r8",
        "date": "2024-03-01T00:00:00Z",
        "tag": ["award"],
        "initiationType": "tender",
        "buyer": {"name": "Tax administration", "address": {"countryName": "Poland"}},
        "tender": {"id": "t8", "value": {"amount": 3500000, "currency": "EUR"}},
        "awards": [{"id": "a8", "suppliers": [{"name": "Nuctech"}]}],
    }
    path = tmp_path / "estimate.json"
    path.write_text(json.dumps(release))
    _import(engine, path)
    with store_scope(engine) as store:
        contract = _contract(store, "ocds:ocds-fixture-8:a8")
        assert (_amount(contract), contract.currency) == (Decimal("3500000.00"), "EUR")
        assert contract.amount_is_estimate is True


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "malformed.json",
            "malformed.json: invalid JSON at line 2, column 40: unexpected ','"
            "; `skip_invalid` imports the rest",
        ),
        (
            "truncated.json",
            "truncated.json: invalid JSON: the file ends in the middle of a value"
            "; `skip_invalid` imports the rest",
        ),
        (
            "not-ocds.json",
            "not-ocds.json: not OCDS: expected a release (with 'ocid'), a record (with 'ocid' "
            "and 'releases') or a package (with 'releases' or 'records')"
            "; `skip_invalid` imports the rest",
        ),
        (
            "mixed.json",
            "mixed.json: releases[2]: not an OCDS release: it has no 'ocid'"
            "; `skip_invalid` imports the rest",
        ),
        (
            "no-country.json",
            "no-country.json (ocid ocds-fixture-7): cannot tell its country: the buyer has no "
            "address with a country; give it with `country`",
        ),
    ],
)
def test_a_bad_file_is_refused_and_nothing_stays(engine: Engine, name: str, message: str) -> None:
    with store_scope(engine) as store:
        before = _table_sizes(store)
    with pytest.raises(InvalidInputError) as raised:
        _import(engine, FIXTURES / "releases.jsonl", FIXTURES / name)
    assert str(raised.value) == message
    with store_scope(engine) as store:
        assert _table_sizes(store) == before


def test_json_lines_errors_name_the_line(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    lines = (FIXTURES / "releases.jsonl").read_text().splitlines()
    path.write_text("\n".join([lines[0], '{"ocid": "x", "id": 1, date: 2}', lines[1]]) + "\n")
    with pytest.raises(InvalidInputError) as raised:
        _import(engine, path)
    assert str(raised.value) == (
        "bad.jsonl: invalid JSON at line 2, column 24: "
        "expecting property name enclosed in double quotes; `skip_invalid` imports the rest"
    )


def test_an_invalid_amount_names_the_release(engine: Engine, tmp_path: Path) -> None:
    package = json.loads((FIXTURES / "mixed.json").read_text())
    del package["releases"][2]
    path = tmp_path / "amount.json"
    path.write_text(json.dumps(package))
    with pytest.raises(InvalidInputError) as raised:
        _import(engine, path)
    assert str(raised.value) == (
        "amount.json: releases[1] (ocid ocds-fixture-6): invalid amount '12,5': expected a "
        "number; `skip_invalid` imports the rest"
    )


def test_skip_invalid_imports_the_good_releases(engine: Engine) -> None:
    summary = _import(
        engine, FIXTURES / "mixed.json", FIXTURES / "malformed.json", skip_invalid=True
    )
    assert counts(summary, "contracts") == (1, 0, 0)
    assert summary.rejected == [
        "mixed.json: releases[2]: not an OCDS release: it has no 'ocid'",
        "malformed.json: invalid JSON at line 2, column 40: unexpected ',' (file skipped)",
        "mixed.json: releases[1] (ocid ocds-fixture-6): invalid amount '12,5': expected a number",
    ]
    with store_scope(engine) as store:
        contract = _contract(store, "ocds:ocds-fixture-5:a5")
        assert (_amount(contract), contract.currency) == (Decimal("100.50"), "EUR")
        assert contract.jurisdiction.code == "BE"
        source = store.execute(
            select(tables.sources).where(tables.sources.c.title == "mixed.json")
        ).one()
        assert (source.publisher, source.published) == (
            "Federale Overheidsdienst Financiën",
            "2024-02-29",
        )
        assert (
            store.scalar(select(func.count()).where(tables.contracts.c.ocid == "ocds-fixture-6"))
            == 0
        )


def test_country_option_overrides_addresses(engine: Engine) -> None:
    _import(engine, FIXTURES / "no-country.json", country="United States")
    with store_scope(engine) as store:
        contract = _contract(store, "ocds:ocds-fixture-7:a7")
        assert contract.jurisdiction.code == "US"
        assert contract.vendor.key == "nuctech"


def test_progress_is_reported(engine: Engine) -> None:
    seen: list[tuple[str, int, int]] = []
    _import(
        engine,
        FIXTURES / "releases.jsonl",
        progress=lambda what, done, total: seen.append((what, done, total)),
    )
    size = (FIXTURES / "releases.jsonl").stat().st_size
    assert ("releases.jsonl", size, size) in seen
    assert seen[-1] == ("processes", 2, 2)


def test_unknown_encoding_and_missing_path(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as raised:
        _import(engine, FIXTURES / "array.json", encoding="klingon")
    assert str(raised.value) == "unknown encoding 'klingon', e.g. utf-8, iso-8859-1, cp1252"
    with pytest.raises(InvalidInputError) as missing:
        _import(engine, tmp_path / "nowhere.json")
    assert str(missing.value) == f"{tmp_path / 'nowhere.json'}: no such file or folder"
    (tmp_path / "empty.json").write_text("  \n")
    with pytest.raises(InvalidInputError) as empty:
        _import(engine, tmp_path / "empty.json")
    assert (
        str(empty.value)
        == "empty.json: the file is empty: no OCDS data; `skip_invalid` imports the rest"
    )


def test_controls_leave_buyer_and_supplier_names_and_are_counted(
    engine: Engine, tmp_path: Path
) -> None:
    release = {
        "ocid": "ocds-fixture-9",
        "id": "r9",
        "date": "2024-03-01T00:00:00Z",
        "tag": ["award"],
        "buyer": {"name": "Tax\x1b[2J office\u202e", "address": {"countryName": "Poland"}},
        "awards": [{"id": "a9", "suppliers": [{"name": "Gui\x92an\u200b Scanners"}]}],
    }
    path = tmp_path / "controls.json"
    path.write_text(json.dumps(release))
    summary = _import(engine, path)
    assert summary.warnings == {
        "buyer name: control character removed (C0/C1, zero-width or bidirectional)": 2,
        "vendor name: control character removed (C0/C1, zero-width or bidirectional)": 2,
    }
    with store_scope(engine) as store:
        contract = _contract(store, "ocds:ocds-fixture-9:a9")
        buyer, vendor = contract.buyer, contract.vendor
        assert buyer is not None and vendor is not None
        assert (buyer.name, vendor.name) == ("Tax[2J office", "Guian Scanners")
