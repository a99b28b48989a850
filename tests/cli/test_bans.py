import json
from pathlib import Path

import pytest

from tests.conftest import Procwatch


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("Lithuania", [("LT", "ban", "2021"), ("EU", "investigation", "2024-04-23")]),
        ("BE", [("BE", "ban", "2023"), ("EU", "investigation", "2024-04-23")]),
        ("United States", [("US", "restriction", "2020")]),
        ("CA", [("CA", "restriction", "2020")]),
        (
            "EU",
            [("LT", "ban", "2021"), ("BE", "ban", "2023"), ("EU", "investigation", "2024-04-23")],
        ),
    ],
)
def test_bans_by_country(
    procwatch: Procwatch, country: str, expected: list[tuple[str, ...]]
) -> None:
    result = procwatch("bans", "--country", country, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(r["country"], r["kind"], r["date"]) for r in json.loads(result.stdout)] == expected


def test_belgian_ban_details(procwatch: Procwatch) -> None:
    result = procwatch("bans", "--country", "BEL", "--kind", "ban", "-f", "json")
    (ban,) = json.loads(result.stdout)
    assert ban["authority"] == "Belgian customs"
    assert ban["scope"] == "Use of Nuctech technology in customs inspections"
    assert ban["reason"].startswith("To protect national security")
    assert ban["vendor"] == "Nuctech Company Limited"
    assert {"id", "vendor", "country", "authority", "kind", "scope", "reason", "date"} <= set(ban)
    assert len(ban["sources"]) == 2


def test_bans_table(procwatch: Procwatch) -> None:
    result = procwatch("bans", "--vendor", "nuctech")
    assert result.exit_code == 0
    for code in ("LT", "BE", "US", "CA", "EU"):
        assert code in result.stdout


def test_bad_kind_is_a_usage_error(procwatch: Procwatch) -> None:
    assert procwatch("bans", "--kind", "embargo").exit_code == 2


BANKS = Path(__file__).resolve().parents[1] / "fixtures" / "measures" / "bank-debarments.csv"


def test_an_international_issuer_lists_its_decisions_and_their_enforcements(
    procwatch: Procwatch,
) -> None:
    assert procwatch("import", "measures", str(BANKS)).exit_code == 0
    result = procwatch("bans", "--country", "World Bank", "-f", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    # The World Bank's own debarment, and the ADB's and EBRD's enforcements of it; not the
    # EBRD's enforcement of the IDB's debarment.
    assert sorted((r["issuer"]["code"], (r["origin"] or {}).get("code")) for r in rows) == [
        ("ADB", "WBG"),
        ("EBRD", "WBG"),
        ("WBG", None),
    ]
    assert rows[0]["issuer"] == {"code": "WBG", "name": "World Bank Group", "kind": "international"}
    table = procwatch("bans", "--country", "WBG")
    assert "Measures decided by the World Bank Group" in table.stdout
    assert "EBRD for WBG" in table.stdout


def test_bans_of_the_un_security_council_by_name(procwatch: Procwatch, tmp_path: Path) -> None:
    path = tmp_path / "un.csv"
    path.write_text("Name,Listed\nAcme Shipping Co.,2015-07-01\n", encoding="utf-8")
    imported = procwatch(
        "import",
        "measures",
        str(path),
        "--map",
        "name=Name",
        "--map",
        "listed=Listed",
        "--kind",
        "ban",
        "--issuer",
        "UN Security Council",
    )
    assert imported.exit_code == 0, imported.output
    rows = json.loads(procwatch("bans", "--country", "UNSC", "-f", "json").stdout)
    assert [(r["vendor"], r["country"], r["listed_on"]) for r in rows] == [
        ("Acme Shipping Co.", "UN", "2015-07-01")
    ]
