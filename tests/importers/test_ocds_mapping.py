"""Compiled releases to contract facts: one supplier per party, a consortium's value once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from procwatch.importers import ImportSummary
from procwatch.importers.ocds_mapping import ProcessFacts, map_process

BUYER = {"id": "b", "name": "Aeropuerto", "address": {"countryName": "Mexico"}}


def _release(
    awards: Any, parties: list[dict[str, Any]] | None = None, **more: Any
) -> dict[str, Any]:
    return {
        "ocid": "ocds-test-1",
        "buyer": {"id": "b", "name": "Aeropuerto"},
        "parties": [BUYER, *(parties or [])],
        "awards": awards,
        **more,
    }


def _map(release: dict[str, Any]) -> tuple[ProcessFacts, ImportSummary]:
    summary = ImportSummary()
    return map_process(release, summary.warn), summary


def _rows(facts: ProcessFacts) -> list[tuple[str, str | None, Decimal | None, str | None]]:
    return [
        (row.key, row.supplier.name if row.supplier else None, row.amount, row.shares_value_of)
        for row in facts.contracts
    ]


def test_a_supplier_named_with_and_without_its_identifier_is_one_supplier() -> None:
    # As merging leaves it: the same company once from the parties, once by name alone.
    award = {
        "id": "a1",
        "value": {"amount": "2398611059.92", "currency": "MXN"},
        "suppliers": [
            {"id": "MX-RFC-ABC010101AAA", "name": "Constructora ABC"},
            {"name": "CONSTRUCTORA ABC, S.A. DE C.V."},
        ],
    }
    parties = [
        {
            "id": "MX-RFC-ABC010101AAA",
            "name": "Constructora ABC",
            "identifier": {"scheme": "MX-RFC", "id": "ABC010101AAA"},
        }
    ]
    facts, summary = _map(_release([award], parties))
    assert _rows(facts) == [
        ("ocds:ocds-test-1:a1", "Constructora ABC", Decimal("2398611059.92"), None)
    ]
    assert facts.contracts[0].supplier is not None
    assert facts.contracts[0].supplier.identifiers == (("MX-RFC", "ABC010101AAA"),)
    assert not summary.warnings


def test_the_same_identifier_under_two_names_is_one_supplier() -> None:
    award = {
        "id": "a1",
        "value": {"amount": "10", "currency": "EUR"},
        "suppliers": [
            {"name": "Alpha Lda", "identifier": {"scheme": "PT-NIF", "id": "501"}},
            {"name": "Alpha, Limitada", "identifier": {"scheme": "PT-NIF", "id": "501"}},
        ],
    }
    facts, _ = _map(_release([award]))
    assert _rows(facts) == [("ocds:ocds-test-1:a1", "Alpha Lda", Decimal("10"), None)]


def test_a_consortium_counts_the_award_value_once() -> None:
    award = {
        "id": "a3",
        "value": {"amount": "4500000", "currency": "EUR"},
        "suppliers": [
            {"id": "s1", "name": "Rapiscan Systems B.V."},
            {"id": "s2", "name": "Van der Lande B.V."},
        ],
    }
    facts, _ = _map(_release([award]))
    assert _rows(facts) == [
        ("ocds:ocds-test-1:a3:s1", "Rapiscan Systems B.V.", Decimal("4500000"), None),
        ("ocds:ocds-test-1:a3:s2", "Van der Lande B.V.", None, "ocds:ocds-test-1:a3:s1"),
    ]
    assert facts.contracts[1].currency is None


def test_two_companies_of_one_name_with_different_identifiers_are_two_suppliers() -> None:
    award = {
        "id": "a1",
        "value": {"amount": "10", "currency": "EUR"},
        "suppliers": [
            {"name": "Alpha", "identifier": {"scheme": "PT-NIF", "id": "501"}},
            {"name": "Alpha", "identifier": {"scheme": "PT-NIF", "id": "502"}},
        ],
    }
    facts, _ = _map(_release([award]))
    assert [row[2:] for row in _rows(facts)] == [
        (Decimal("10"), None),
        (None, "ocds:ocds-test-1:a1:1"),
    ]


def test_awards_contracts_and_suppliers_given_as_objects_are_read_as_one_item_lists() -> None:
    # Taiwan's shape: the standard's arrays published as single objects.
    release = _release(
        {
            "id": "a1",
            "value": {"amount": "15659827", "currency": "TWD"},
            "suppliers": {"name": "台灣電力股份有限公司"},
        },
        contracts={"id": "c1", "awardID": "a1", "value": {"amount": "15659827", "currency": "TWD"}},
    )
    facts, summary = _map(release)
    assert _rows(facts) == [
        ("ocds:ocds-test-1:a1", "台灣電力股份有限公司", Decimal("15659827"), None)
    ]
    assert facts.contracts[0].ids == {"a1", "c1"}
    assert not summary.warnings


def test_values_that_cannot_be_stored_are_counted_with_the_ocid() -> None:
    release = _release(
        [
            {"id": "a1", "value": {"amount": "5"}, "suppliers": [{"name": "One"}]},
            {
                "id": "a2",
                "value": {"amount": "5", "currency": "XYZ"},
                "suppliers": [{"name": "Two"}],
            },
            {"id": "a3", "value": {"amount": "5", "currency": "MXN"}},
        ]
    )
    facts, summary = _map(release)
    assert [row[2] for row in _rows(facts)] == [None, None]
    assert summary.warnings == {
        "amount without a currency: not stored": 1,
        "amount with an unknown currency code: not stored": 1,
        "award without a named supplier: no contract imported": 1,
    }
    assert set(summary.first_at.values()) == {"ocid ocds-test-1"}


def test_three_decimals_in_a_two_decimal_currency_are_kept() -> None:
    release = _release(
        [
            {
                "id": "a1",
                "value": {"amount": Decimal("55463.776"), "currency": "MXN"},
                "suppliers": [{"name": "X"}],
            }
        ]
    )
    facts, summary = _map(release)
    assert facts.contracts[0].amount == Decimal("55463.776")
    assert not summary.warnings


def test_float_noise_beyond_a_billionth_of_a_cent_is_rounded_with_a_warning() -> None:
    release = _release(
        [
            {
                "id": "a1",
                "value": {"amount": Decimal("0.30000000000000004"), "currency": "USD"},
                "suppliers": [{"name": "X"}],
            }
        ]
    )
    facts, summary = _map(release)
    assert facts.contracts[0].amount == Decimal("0.30000000000")
    assert summary.warnings == {"amount with more than 11 decimals: rounded to 11": 1}


def test_control_characters_never_reach_a_name_and_mojibake_is_counted() -> None:
    # A cp1252 file read as Latin-1: its curly quotes become C1 control characters.
    award = {
        "id": "a1",
        "suppliers": [
            {"name": "\x93Comercial\x94 del Norte"},
            {"name": "Distribuidora M\ufffdxico"},
            {"name": "Servicios\nIntegrales"},
        ],
        "title": "Compra de equipo",
    }
    release = _release([award])
    release["parties"][0] = {**BUYER, "address": {"countryName": "M?XICO"}}
    facts, summary = _map(release)
    assert [row.supplier.name for row in facts.contracts if row.supplier] == [
        "Comercial del Norte",
        "Distribuidora M\ufffdxico",
        "Servicios Integrales",
    ]
    assert facts.country == "M?XICO"
    assert summary.warnings == {
        "vendor name: control character removed (C0/C1, zero-width or bidirectional)": 2,
        "vendor name with U+FFFD (a character lost before publication): kept as published": 1,
        "a country name with '?' in place of a letter (like 'M?XICO'): kept as published": 1,
    }
    assert (
        summary.first_at[
            "vendor name with U+FFFD (a character lost before publication): kept as published"
        ]
        == "ocid ocds-test-1"
    )


def test_control_characters_leave_titles_with_a_hint_at_the_encoding() -> None:
    award = {"id": "a1", "suppliers": [{"name": "X"}], "title": "Equipo \x96 c\u00f3mputo"}
    facts, summary = _map(_release([award]))
    assert facts.contracts[0].title == "Equipo  cómputo"
    assert summary.warnings == {
        "a title with C1 control characters (a cp1252 file read as Latin-1? try `encoding` "
        "cp1252): they are removed": 1
    }
