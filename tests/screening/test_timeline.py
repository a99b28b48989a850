from decimal import Decimal

from sqlalchemy import Connection, insert

from procwatch import tables
from procwatch.resolve import name_key
from procwatch.screening.timeline import vendor_timeline


def test_timeline_of_nuctech(connection: Connection) -> None:
    timeline = vendor_timeline(connection, "Nuctech")
    assert timeline.vendor == "Nuctech Company Limited"
    assert [(e.date, e.country, e.kind) for e in timeline.events] == [
        ("2008", "GE", "contract"),
        ("2012", "GE", "contract"),
        ("2018", "GE", "contract"),
        ("2020", "CA", "restriction"),
        ("2020", "US", "restriction"),
        ("2021", "LT", "ban"),
        ("2023", "BE", "ban"),
        ("2024-03", "PL", "contract"),
        ("2024-04-23", "EU", "investigation"),
    ]
    services = timeline.events[2]
    assert (services.date_end, services.amount, services.currency) == (
        "2020",
        Decimal("5870722.48"),
        "USD",
    )
    assert all(event.sources for event in timeline.events)


def test_timeline_of_a_vendor_with_nothing(connection: Connection) -> None:
    connection.execute(
        insert(tables.vendors).values(
            key="acme", name="Acme Scanners Ltd", name_key=name_key("Acme Scanners")
        )
    )
    assert vendor_timeline(connection, "Acme Scanners").events == []
