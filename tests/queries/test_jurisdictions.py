from sqlalchemy import Connection

from procwatch.queries.jurisdictions import list_jurisdictions


def test_jurisdictions_know_eu_membership(connection: Connection) -> None:
    records = {r.code: r for r in list_jurisdictions(connection)}
    assert records["PL"].part_of == ["EU"]
    assert len(records["EU"].members) == 27
    assert (records["GE"].contracts, records["EU"].measures) == (3, 1)
