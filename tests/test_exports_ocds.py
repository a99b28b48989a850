"""OCDS export: valid against the official 1.1.5 schema, exact values, and a round trip."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from procwatch.db import make_engine
from procwatch.errors import InvalidValueError, NotFoundError
from procwatch.exports_ocds import write_release_package
from procwatch.importers.ocds import import_ocds
from procwatch.migrate import upgrade
from procwatch.store import store_scope

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ocds"
PUBLISHED = "2024-05-01T00:00:00Z"
SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/"


def _export(engine: Engine, **options: Any) -> str:
    handle = io.StringIO()
    with store_scope(engine) as store:
        write_release_package(store.connection, handle, published=PUBLISHED, **options)
    return handle.getvalue()


def _import(engine: Engine, *paths: Path, **options: Any) -> None:
    with store_scope(engine) as store:
        import_ocds(store, list(paths), **options)


def _import_samples(engine: Engine, shared_data: Path) -> None:
    ocds = shared_data / "ocds"
    _import(engine, ocds / "moldova-records", country="MD")
    _import(engine, ocds / "paraguay-releases", country="PY")
    _import(engine, ocds / "uk-contracts-finder-releases")
    _import(
        engine,
        *(ocds / "packages" / name for name in ("release-package-1.json", "record-package-1.json")),
    )
    _import(
        engine,
        ocds / "packages" / "release-package_encoding-iso-8859-1.json",
        encoding="iso-8859-1",
    )
    _import(engine, FIXTURES / "releases.jsonl", FIXTURES / "array.json")


def _releases(text: str) -> dict[str, dict[str, Any]]:
    package = json.loads(text, parse_float=Decimal)
    return {release["ocid"]: release for release in package["releases"]}


@pytest.fixture
def validate(shared_data: Path) -> Any:
    """Return a function that asserts a package is valid against the OCDS 1.1.5 schema."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    folder = shared_data / "ocds-schema" / "1__1__5"
    resources = {
        name: json.loads((folder / name).read_text())
        for name in ("release-schema.json", "release-package-schema.json")
    }
    registry = Registry().with_resources(
        (SCHEMA_URL + name, Resource.from_contents(schema, default_specification=DRAFT4))
        for name, schema in resources.items()
    )
    validator = jsonschema.Draft4Validator(
        resources["release-package-schema.json"],
        registry=registry,
        format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
    )

    def check(text: str) -> None:
        errors = [
            f"{error.json_path}: {error.message}"
            for error in validator.iter_errors(json.loads(text))
        ]
        assert errors == []

    return check


def test_export_is_valid_ocds(engine: Engine, shared_data: Path, validate: Any) -> None:
    _import_samples(engine, shared_data)
    text = _export(engine)
    validate(text)
    package = json.loads(text)
    assert package["version"] == "1.1"
    assert package["publishedDate"] == PUBLISHED
    assert package["publisher"] == {"name": "procwatch"}
    releases = _releases(text)
    # Imported processes keep their ocid; the seed's contracts get one from the prefix.
    assert sorted(releases) == [
        "OCDS-87SD3T-AD-SF-DRM-063-2015",
        "OCDS-87SD3T-SEFIN-DRM-AD-024-2016",
        "ocds-03ad3f-273637",
        "ocds-03ad3f-274231",
        "ocds-07smqs-993235",
        "ocds-fixture-1",
        "ocds-fixture-2",
        "ocds-fixture-3",
        "ocds-fixture-4",
        "ocds-ngfbwp-16949496",
        "ocds-ngfbwp-17180016",
        "ocds-ngfbwp-17481081",
        "ocds-ngfbwp-17634378",
        "ocds-procwatch-ge-2008-inspection-complexes",
        "ocds-procwatch-ge-2012-xray-kazbegi-red-bridge",
        "ocds-procwatch-ge-2018-2020-services-spare-parts",
        "ocds-procwatch-pl-2024-03-xray-rzeszow",
    ]
    mexico = releases["OCDS-87SD3T-SEFIN-DRM-AD-024-2016"]
    assert mexico["parties"][0] == {
        "name": "SECRETARÍA DE FINANZAS",
        "id": "GDF9712054NA",
        "identifier": {"id": "GDF9712054NA"},
        "address": {"countryName": "Mexico"},
        "roles": ["buyer"],
    }
    consortium = releases["ocds-fixture-3"]
    assert [award["id"] for award in consortium["awards"]] == ["a3:1", "a3:2"]
    assert [party["id"] for party in consortium["parties"]] == [
        "buyer-1",
        "NL-KVK-12345678",
        "NL-KVK-87654321",
    ]


def test_export_values(engine: Engine, shared_data: Path) -> None:
    _import_samples(engine, shared_data)
    releases = _releases(_export(engine))
    moldova = releases["ocds-ngfbwp-16949496"]
    assert moldova["tender"] == {
        "id": "ocds-ngfbwp-16949496",
        "procurementMethodDetails": "Cerere a ofertelor de preţuri",
    }
    assert moldova["awards"][0]["value"] == {"amount": Decimal("203179.71"), "currency": "MDL"}
    assert moldova["contracts"][0] == {
        "id": "award-17956599",
        "awardID": "award-17956599",
        "value": {"amount": Decimal("203179.71"), "currency": "MDL"},
        "period": {"startDate": "2017-02-14T00:00:00Z", "endDate": "2017-12-31T00:00:00Z"},
    }
    fixture = releases["ocds-fixture-1"]
    assert fixture["buyer"] == {"id": "MD-IDNO-1003600000001", "name": "Agenția Achiziții Publice"}
    assert fixture["tender"]["procurementMethod"] == "open"
    nuctech = fixture["parties"][1]
    assert nuctech == {
        "name": "Nuctech Company Limited",
        "id": "MD-IDNO-1010600000002",
        "identifier": {"scheme": "MD-IDNO", "id": "1010600000002"},
        "address": {"countryName": "China"},
        "roles": ["supplier"],
    }
    spare_parts = releases["ocds-procwatch-ge-2018-2020-services-spare-parts"]
    assert spare_parts["contracts"][0]["period"] == {
        "startDate": "2018-01-01T00:00:00Z",
        "endDate": "2020-12-31T00:00:00Z",
    }
    assert spare_parts["awards"][0]["value"] == {
        "amount": Decimal("5870722.48"),
        "currency": "USD",
    }
    # An estimated amount is the tender's value, never an award's.
    poland = releases["ocds-procwatch-pl-2024-03-xray-rzeszow"]
    assert poland["tender"]["value"] == {"amount": Decimal("3500000.00"), "currency": "EUR"}
    assert "value" not in poland["awards"][0]


def _empty_database(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        upgrade(connection)
    return engine


def test_round_trip_gives_the_same_package(tmp_path: Path, shared_data: Path) -> None:
    first_db = _empty_database(tmp_path / "first.db")
    _import_samples(first_db, shared_data)
    first = _export(first_db)
    package = tmp_path / "export.json"
    package.write_text(first, encoding="utf-8")
    second_db = _empty_database(tmp_path / "second.db")
    _import(second_db, package)
    assert _export(second_db) == first
    first_db.dispose()
    second_db.dispose()


def test_filters_and_prefix(engine: Engine) -> None:
    _import(engine, FIXTURES / "releases.jsonl", FIXTURES / "array.json")
    portugal = _releases(_export(engine, country="PT"))
    assert list(portugal) == ["ocds-fixture-2"]
    nuctech = _releases(_export(engine, vendor="Nuotech", ocid_prefix="ocds-213czf"))
    assert sorted(nuctech) == [
        "ocds-213czf-ge-2008-inspection-complexes",
        "ocds-213czf-ge-2012-xray-kazbegi-red-bridge",
        "ocds-213czf-ge-2018-2020-services-spare-parts",
        "ocds-213czf-pl-2024-03-xray-rzeszow",
        "ocds-fixture-1",
    ]


def test_nothing_to_export(engine: Engine) -> None:
    with pytest.raises(NotFoundError) as raised:
        _export(engine, country="Moldova")
    assert str(raised.value) == "no contracts to export for country 'Moldova'"


def test_bad_options(engine: Engine) -> None:
    with pytest.raises(InvalidValueError) as raised, store_scope(engine) as store:
        write_release_package(store.connection, io.StringIO(), published="yesterday")
    assert str(raised.value) == (
        "invalid published date 'yesterday': expected ISO 8601, e.g. 2024-05-01T12:00:00Z"
    )
    with pytest.raises(InvalidValueError) as empty:
        _export(engine, ocid_prefix=" ")
    assert str(empty.value) == "the ocid prefix is empty: give one like ocds-213czf"
