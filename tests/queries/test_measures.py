import pytest
from sqlalchemy import Connection

from procwatch.domain import MeasureKind
from procwatch.queries.measures import list_measures


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        # A member state's list carries the EU-level investigation too.
        ("Lithuania", [("LT", "ban", "2021"), ("EU", "investigation", "2024-04-23")]),
        ("BE", [("BE", "ban", "2023"), ("EU", "investigation", "2024-04-23")]),
        ("United States", [("US", "restriction", "2020")]),
        ("CA", [("CA", "restriction", "2020")]),
        ("PL", [("EU", "investigation", "2024-04-23")]),
        (
            "EU",
            [("LT", "ban", "2021"), ("BE", "ban", "2023"), ("EU", "investigation", "2024-04-23")],
        ),
        ("Georgia", []),
    ],
)
def test_measures_by_country(
    connection: Connection, country: str, expected: list[tuple[str, ...]]
) -> None:
    records = list_measures(connection, country=country)
    assert [(r.country, r.kind, r.date) for r in records] == expected


def test_eu_measure_details(connection: Connection) -> None:
    (raid,) = list_measures(connection, country="EU", kind=MeasureKind.INVESTIGATION)
    assert raid.authority == "European Commission"
    assert raid.legal_basis == "Foreign Subsidies Regulation"
    assert raid.places == "Rotterdam, Netherlands; Warsaw, Poland"
    assert len(raid.sources) == 3


def test_measures_by_kind(connection: Connection) -> None:
    assert [r.country for r in list_measures(connection, kind=MeasureKind.RESTRICTION)] == [
        "US",
        "CA",
    ]
