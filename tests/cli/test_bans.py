import json

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
