"""OCDS imports give the numbers the data says: every digit, each award's value counted once."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.conftest import Procwatch

BUYER = {
    "id": "b",
    "name": "Gobierno de Jalisco",
    "roles": ["buyer"],
    "address": {"countryName": "Mexico"},
}


def _release(ocid: str, release_id: str, awards: Any, **more: Any) -> dict[str, Any]:
    return {
        "ocid": ocid,
        "id": release_id,
        "date": "2024-01-01T00:00:00Z",
        "tag": ["award"],
        "buyer": {"id": "b", "name": BUYER["name"]},
        "parties": [BUYER, *more.pop("parties", [])],
        "awards": awards,
        **more,
    }


def _write(path: Path, *releases: dict[str, Any]) -> Path:
    package = {"uri": "x", "publishedDate": "2024-02-01T00:00:00Z", "releases": list(releases)}
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    return path


def _contracts_csv(procwatch: Procwatch) -> list[dict[str, str]]:
    result = procwatch("export", "contracts")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _summary_csv(procwatch: Procwatch) -> list[dict[str, str]]:
    result = procwatch("export", "contracts-summary")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_three_decimals_in_pesos_are_kept_and_summed_exactly(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    # Jalisco publishes amounts finer than a centavo; they were refused.
    path = _write(
        tmp_path / "jalisco.json",
        _release(
            "ocds-j-1",
            "r1",
            [
                {
                    "id": "a1",
                    "value": {"amount": 55463.776, "currency": "MXN"},
                    "suppliers": [{"name": "Papelera"}],
                },
                {
                    "id": "a2",
                    "value": {"amount": 100.004, "currency": "MXN"},
                    "suppliers": [{"name": "Papelera"}],
                },
            ],
        ),
    )
    result = procwatch("import", "ocds", str(path))
    assert result.exit_code == 0, result.output
    amounts = sorted(row["amount"] for row in _contracts_csv(procwatch) if row["currency"] == "MXN")
    assert amounts == ["100.004", "55463.776"]
    json_result = procwatch("contracts", "--vendor", "Papelera", "--format", "json")
    assert sorted(row["amount"] for row in json.loads(json_result.stdout)) == [
        "100.004",
        "55463.776",
    ]
    [total] = [row for row in _summary_csv(procwatch) if row["vendor"] == "Papelera"]
    assert Decimal(total["total"]) == Decimal("55463.776") + Decimal("100.004")
    assert total["total"] == "55563.78"


def test_a_consortium_award_is_counted_once_for_the_buyer(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    award = {
        "id": "a1",
        "value": {"amount": "1000.00", "currency": "MXN"},
        "suppliers": [{"id": "s1", "name": "Alfa Obras"}, {"id": "s2", "name": "Beta Ingenieria"}],
    }
    path = _write(tmp_path / "consortium.json", _release("ocds-j-2", "r1", [award]))
    assert procwatch("import", "ocds", str(path)).exit_code == 0
    rows = {
        row["vendor"]: row
        for row in _contracts_csv(procwatch)
        if row["vendor"] in {"Alfa Obras", "Beta Ingenieria"}
    }
    assert (rows["Alfa Obras"]["amount"], rows["Beta Ingenieria"]["amount"]) == ("1000.00", "")
    # The buyer's total is the award's value, not twice it.
    total = sum(
        Decimal(row["amount"])
        for row in _contracts_csv(procwatch)
        if row["buyer"] == BUYER["name"] and row["amount"]
    )
    assert total == Decimal("1000.00")


def test_one_supplier_named_two_ways_across_releases_is_one_contract(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    # Grupo Aeroportuario: the award release names the supplier with its RFC, the contract
    # release by name alone; merged, the award lists both entries.
    first = _release(
        "ocds-gap-1",
        "r1",
        [
            {
                "id": "a1",
                "value": {"amount": "2398611059.92", "currency": "MXN"},
                "suppliers": [{"id": "MX-RFC-GAP", "name": "Obras GAP"}],
            }
        ],
        parties=[
            {
                "id": "MX-RFC-GAP",
                "name": "Obras GAP",
                "identifier": {"scheme": "MX-RFC", "id": "GAP010101AAA"},
            }
        ],
    )
    second = _release(
        "ocds-gap-1", "r2", [{"id": "a1", "suppliers": [{"name": "OBRAS GAP S.A. DE C.V."}]}]
    )
    second["date"] = "2024-03-01T00:00:00Z"
    path = _write(tmp_path / "gap.json", first, second)
    result = procwatch("import", "ocds", str(path))
    assert result.exit_code == 0, result.output
    rows = [row for row in _contracts_csv(procwatch) if row["key"].startswith("ocds:ocds-gap-1:")]
    assert [(row["vendor"], row["amount"]) for row in rows] == [("Obras GAP", "2398611059.92")]


def test_awards_given_as_an_object_are_imported(procwatch: Procwatch, tmp_path: Path) -> None:
    # Taiwan's shape.
    release = _release(
        "ocds-tw-1",
        "r1",
        {
            "id": "a1",
            "value": {"amount": "15659827", "currency": "TWD"},
            "suppliers": {"name": "Taipower"},
        },
    )
    path = _write(tmp_path / "taiwan.json", release)
    result = procwatch("import", "ocds", str(path))
    assert result.exit_code == 0, result.output
    rows = [row for row in _contracts_csv(procwatch) if row["vendor"] == "Taipower"]
    assert [(row["amount"], row["currency"]) for row in rows] == [("15659827.00", "TWD")]


def test_a_folder_stores_every_good_file_and_refuses_each_bad_one(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    folder = tmp_path / "gap"
    folder.mkdir()
    good = {
        "id": "a1",
        "value": {"amount": "10.00", "currency": "MXN"},
        "suppliers": [{"name": "Good One"}],
    }
    _write(folder / "1-good.json", _release("ocds-f-1", "r1", [good]))
    # An award without an id, as in 1 of 312 Grupo Aeroportuario files.
    _write(
        folder / "2-no-award-id.json",
        _release("ocds-f-2", "r1", [{"suppliers": [{"name": "Bad"}]}]),
    )
    (folder / "3-broken.json").write_text('{"releases": [', encoding="utf-8")
    _write(
        folder / "4-good.json",
        _release("ocds-f-4", "r1", [{**good, "suppliers": [{"name": "Good Two"}]}]),
    )
    result = procwatch("import", "ocds", str(folder))
    assert result.exit_code == 5, result.output
    assert "Refused 2 files, nothing of them imported:\n" in result.stdout
    assert (
        "  2-no-award-id.json: releases[0] (ocid ocds-f-2): an award has no id (file refused)\n"
        in result.stdout
    )
    assert "  3-broken.json: invalid JSON" in result.stdout
    vendors = sorted(row["vendor"] for row in _contracts_csv(procwatch))
    assert [name for name in vendors if name.startswith(("Good", "Bad"))] == [
        "Good One",
        "Good Two",
    ]


def test_a_bad_file_named_alone_refuses_the_command_and_says_what_gets_past_it(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "one.json", _release("ocds-f-2", "r1", [{"suppliers": [{"name": "Bad"}]}])
    )
    result = procwatch("import", "ocds", str(path))
    assert result.exit_code == 5
    assert result.stderr == (
        "Error: one.json: releases[0] (ocid ocds-f-2): an award has no id"
        "; --skip-invalid imports the rest\n"
    )


def test_sources_of_ocds_rows_say_file_publisher_date_hash_and_release(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    import hashlib

    award = {
        "id": "a1",
        "value": {"amount": "5.00", "currency": "MXN"},
        "suppliers": [{"name": "Cited"}],
    }
    path = _write(tmp_path / "cited.json", _release("ocds-c-1", "rel-9", [award]))
    package = json.loads(path.read_text(encoding="utf-8"))
    package["publisher"] = {"name": "Secretaría de Administración"}
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    assert procwatch("import", "ocds", str(path)).exit_code == 0
    [row] = json.loads(procwatch("contracts", "--vendor", "Cited", "--format", "json").stdout)
    assert row["sources"] == [
        {
            "source": f"cited.json (Secretaría de Administración, 2024-02-01) sha256:{sha256[:12]} "
            "ocds-c-1/rel-9",
            "title": "cited.json",
            "quote": None,
            "locator": "ocds-c-1/rel-9",
            "publisher": "Secretaría de Administración",
            "published": "2024-02-01",
            "sha256": sha256,
        }
    ]


def test_a_second_contract_added_later_replaces_the_award_row(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    # The award alone gives one row with its value; later the award's two contracts arrive
    # in another file: the process's rows are those of the merge, not both.
    award = {
        "id": "a1",
        "value": {"amount": "1651.52", "currency": "EUR"},
        "suppliers": [{"name": "Lusa Lda"}],
    }
    first = _write(tmp_path / "award.json", _release("ocds-pt-1", "award", [award]))
    later = _release(
        "ocds-pt-1",
        "contracts",
        [],
        contracts=[
            {"id": "c1", "awardID": "a1", "value": {"amount": "875.76", "currency": "EUR"}},
            {"id": "c2", "awardID": "a1", "value": {"amount": "775.76", "currency": "EUR"}},
        ],
    )
    later["date"] = "2024-05-01T00:00:00Z"
    second = _write(tmp_path / "contracts.json", later)
    assert procwatch("import", "ocds", str(first)).exit_code == 0
    result = procwatch("import", "ocds", str(second))
    assert result.exit_code == 0, result.output
    assert "Removed" in result.stdout
    rows = {
        row["key"]: row["amount"] for row in _contracts_csv(procwatch) if "ocds-pt-1" in row["key"]
    }
    assert rows == {"ocds:ocds-pt-1:a1:c1": "875.76", "ocds:ocds-pt-1:a1:c2": "775.76"}
    # Importing the first file again changes nothing: its release is kept already.
    again = procwatch("import", "ocds", str(first))
    assert again.exit_code == 0
    assert {row["key"] for row in _contracts_csv(procwatch) if "ocds-pt-1" in row["key"]} == set(
        rows
    )


def test_a_contract_release_alone_keeps_the_method_of_the_tender_imported_before(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    # Jalisco: the contract-stage release says "tender": null.
    tender = _release(
        "ocds-jal-1",
        "tender",
        [
            {
                "id": "a1",
                "value": {"amount": "100.00", "currency": "MXN"},
                "suppliers": [{"name": "Jal Prov"}],
            }
        ],
        tender={
            "id": "t1",
            "procurementMethod": "direct",
            "procurementMethodDetails": "Adjudicación directa",
        },
    )
    contract = _release(
        "ocds-jal-1",
        "contract",
        [],
        tender=None,
        contracts=[{"id": "c1", "awardID": "a1", "status": "active"}],
    )
    contract["date"] = "2024-06-01T00:00:00Z"
    assert procwatch("import", "ocds", str(_write(tmp_path / "t.json", tender))).exit_code == 0
    assert procwatch("import", "ocds", str(_write(tmp_path / "c.json", contract))).exit_code == 0
    [row] = [row for row in _contracts_csv(procwatch) if "ocds-jal-1" in row["key"]]
    assert (row["procurement_method"], row["amount"], row["status"]) == (
        "direct",
        "100.00",
        "active",
    )


def test_offices_sharing_their_parents_identifier_stay_distinct_buyers(
    procwatch: Procwatch, tmp_path: Path
) -> None:
    # Portugal: the Faro training centre publishes under the NIPC of the Lisbon delegation.
    def office(ocid: str, name: str, supplier: str) -> dict[str, Any]:
        party = {
            "id": "PT-NIPC-600000001",
            "name": name,
            "roles": ["buyer"],
            "identifier": {"scheme": "PT-NIPC", "id": "600000001"},
            "address": {"countryName": "Portugal"},
        }
        award = {
            "id": "a1",
            "value": {"amount": "10.00", "currency": "EUR"},
            "suppliers": [{"name": supplier}],
        }
        release = _release(ocid, "r1", [award])
        release["buyer"] = {"id": party["id"], "name": name}
        release["parties"] = [party]
        return release

    path = _write(
        tmp_path / "pt.json",
        office("ocds-pt-10", "Delegação Regional de Lisboa", "Fornecedor Um"),
        office("ocds-pt-11", "Centro de Formação de Faro", "Fornecedor Dois"),
        office("ocds-pt-12", "CENTRO DE FORMAÇÃO DE FARO", "Fornecedor Três"),
    )
    result = procwatch("import", "ocds", str(path))
    assert result.exit_code == 0, result.output
    faro = json.loads(procwatch("contracts", "--buyer", "Faro", "--format", "json").stdout)
    assert sorted(row["vendor"] for row in faro) == ["Fornecedor Dois", "Fornecedor Três"]
    assert {row["buyer"] for row in faro} == {"Centro de Formação de Faro"}
    lisbon = json.loads(procwatch("contracts", "--buyer", "Lisboa", "--format", "json").stdout)
    assert [row["vendor"] for row in lisbon] == ["Fornecedor Um"]
