import csv
import io
import json

from tests.conftest import Procwatch


def test_vendors_search_by_alias(procwatch: Procwatch) -> None:
    result = procwatch("vendors", "nuotech", "-f", "json")
    assert result.exit_code == 0, result.output
    (vendor,) = json.loads(result.stdout)
    assert vendor["name"] == "Nuctech Company Limited"
    assert vendor["aliases"] == ["Nuctech", "Nuotech", "Nuotech Company Limited"]
    assert (vendor["contracts"], vendor["measures"]) == (4, 5)


def test_vendors_without_search_lists_all(procwatch: Procwatch) -> None:
    result = procwatch("vendors", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("1,Nuctech Company Limited,CN,")


def test_vendors_search_without_match_is_empty(procwatch: Procwatch) -> None:
    result = procwatch("vendors", "acme", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_vendor_profile_json(procwatch: Procwatch) -> None:
    result = procwatch("vendor", "Nuctech", "--format", "json")
    assert result.exit_code == 0, result.output
    profile = json.loads(result.stdout)
    assert profile["country"] == "CN"
    assert profile["totals"] == [
        {"currency": "EUR", "contracts": 1, "total": "3500000.00", "estimated": 1},
        {"currency": "USD", "contracts": 1, "total": "5870722.48", "estimated": 0},
        {"currency": None, "contracts": 2, "total": None, "estimated": 0},
    ]
    assert sorted(profile["measures_by_country"]) == ["BE", "CA", "EU", "LT", "US"]
    assert len(profile["contracts"]) == 4


def test_vendor_profile_table(procwatch: Procwatch) -> None:
    result = procwatch("vendor", "Nuotech Company Limited")
    assert result.exit_code == 0
    assert "Home country: China (CN)" in result.stdout
    assert "5,870,722.48" in result.stdout


def test_vendor_profile_csv_lists_contracts_and_measures(procwatch: Procwatch) -> None:
    result = procwatch("vendor", "nuctech", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["record"] for row in rows].count("contract") == 4
    assert [row["record"] for row in rows].count("measure") == 5


def test_unknown_vendor_profile(procwatch: Procwatch) -> None:
    result = procwatch("vendor", "Acme")
    assert result.exit_code == 3
    assert result.stderr == "Error: no vendor named 'Acme'\n"
