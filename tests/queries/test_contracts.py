from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, select

from procwatch import tables
from procwatch.errors import InvalidValueError
from procwatch.queries.contracts import list_contracts
from procwatch.store import Store
from tests.conftest import insert_rows


def test_contracts_of_nuctech(store: Store) -> None:
    records = list_contracts(store.connection, vendor="Nuotech")
    assert [(r.country, r.date, r.date_end, r.amount, r.currency) for r in records] == [
        ("GE", "2008", None, None, None),
        ("GE", "2012", None, None, None),
        ("GE", "2018", "2020", Decimal("5870722.48"), "USD"),
        ("PL", "2024-03", None, Decimal("3500000.00"), "EUR"),
    ]
    poland = records[-1]
    assert poland.amount_is_estimate is True
    assert poland.buyer == "Tax administration in Rzeszów"
    kazbegi = records[1]
    assert kazbegi.procurement_method == "direct"
    assert kazbegi.procurement_method_details == "simplified procurement"
    assert kazbegi.places == "Kazbegi customs checkpoint; Red Bridge customs checkpoint"
    assert [(f.kind, f.amount, f.currency) for f in kazbegi.findings] == [
        ("overpayment", Decimal("215368.00"), "USD")
    ]
    assert all(r.sources and r.sources[0].quote for r in records)


def test_contract_filters(store: Store) -> None:
    keys = lambda **kw: [r.key for r in list_contracts(store.connection, **kw)]  # noqa: E731
    assert keys(country="PL") == ["pl-2024-03-xray-rzeszow"]
    assert keys(country="EU") == ["pl-2024-03-xray-rzeszow"]
    assert keys(buyer="revenue service") == [
        "ge-2012-xray-kazbegi-red-bridge",
        "ge-2018-2020-services-spare-parts",
    ]
    # A 2018-2020 range runs into 2019 and 2020.
    assert keys(since=2019, until=2020) == ["ge-2018-2020-services-spare-parts"]
    assert keys(since=2024) == ["pl-2024-03-xray-rzeszow"]
    assert keys(until=2008) == ["ge-2008-inspection-complexes"]
    assert keys(country="France") == []


def test_since_after_until_is_refused(store: Store) -> None:
    with pytest.raises(InvalidValueError, match=r"^`since` 2024 is after `until` 2020$"):
        list_contracts(store.connection, since=2024, until=2020)


def _plans(store: Store, run: Callable[[], object]) -> list[str]:
    """Run a query function; return SQLite's plan lines for every SELECT it sent."""
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.startswith("SELECT"):
            statements.append((statement, parameters))

    engine = store.connection.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return [
        row[-1]
        for statement, parameters in statements
        for row in store.connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    ]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"vendor": "Nuotech"},
            "SEARCH contracts USING INDEX ix_contracts_vendor_summary (vendor_id=?)",
        ),
        ({"buyer": "rzesz"}, "SEARCH contracts USING INDEX ix_contracts_buyer_id (buyer_id=?)"),
        (
            {"country": "PL"},
            "SEARCH contracts USING INDEX ix_contracts_jurisdiction_date (jurisdiction_id=?)",
        ),
        ({"since": 2024}, "SEARCH contracts USING INDEX ix_contracts_date_end (date_end>?)"),
        ({"until": 2001}, "SEARCH contracts USING INDEX ix_contracts_date_start (date_start<?)"),
    ],
    ids=lambda value: ",".join(value) if isinstance(value, dict) else "",
)
def test_contract_filters_use_an_index_after_a_bulk_load(
    store: Store, filters: dict[str, Any], expected: str
) -> None:
    # 20,000 contracts of one vendor with 1,000 buyers in Georgia across 2000-2019, then
    # the ANALYZE that follows a bulk load: each filter must reach its contracts by an index.
    buyers = [(f"plan-buyer-{n}", f"Agency {n}", f"agency {n}", 15) for n in range(1000)]
    insert_rows(store, tables.buyers, ("key", "name", "name_key", "jurisdiction_id"), buyers)
    ids = store.scalars(
        select(tables.buyers.c.id).where(tables.buyers.c.key.startswith("plan-"))
    ).all()
    rows = (
        (f"plan-{n}", 1, ids[n % 1000], 15, "generated", False, f"{2000 + n % 20}")
        for n in range(20_000)
    )
    columns = ("key", "vendor_id", "buyer_id", "jurisdiction_id", "title")
    insert_rows(store, tables.contracts, (*columns, "amount_is_estimate", "date_start"), rows)
    store.commit()
    plans = _plans(store, lambda: list_contracts(store.connection, **filters))
    assert expected in plans
    assert not [line for line in plans if line.startswith("SCAN contracts")]


def test_listings_stay_under_the_bound_value_limit(store: Store) -> None:
    # SQLite refuses statements with more values than its limit (32,766 by default, more in
    # some builds): findings and sources of a long listing are fetched in chunks.
    if store.connection.dialect.name == "sqlite":
        import sqlite3

        driver = store.connection.connection.dbapi_connection
        driver.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 6_000)  # type: ignore[union-attr]
    rows = ((f"many-{n}", 1, 15, "generated", False, "2021") for n in range(7_000))
    columns = ("key", "vendor_id", "jurisdiction_id", "title", "amount_is_estimate", "date_start")
    insert_rows(store, tables.contracts, columns, rows)
    records = list_contracts(store.connection, vendor="Nuctech")
    assert len(records) == 7_004
    assert [f.kind for r in records for f in r.findings] == ["overpayment"]
