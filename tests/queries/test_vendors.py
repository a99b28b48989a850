from decimal import Decimal

from procwatch import tables
from procwatch.queries.vendors import CurrencyTotal, currency_totals, list_vendors, vendor_profile
from procwatch.resolve import resolve_vendor
from procwatch.store import Store
from tests.conftest import insert_rows


def test_vendor_search_matches_aliases(store: Store) -> None:
    assert [v.name for v in list_vendors(store.connection, "nuo")] == ["Nuctech Company Limited"]
    assert list_vendors(store.connection, "acme") == []
    (nuctech,) = list_vendors(store.connection)
    assert (nuctech.country, nuctech.contracts, nuctech.measures) == ("CN", 4, 5)


def test_vendor_profile_totals_are_exact(store: Store) -> None:
    profile = vendor_profile(store.connection, "nuctech")
    assert profile.aliases == ["Nuctech", "Nuotech", "Nuotech Company Limited"]
    assert profile.country == "CN"
    assert profile.totals == [
        CurrencyTotal("EUR", 1, Decimal("3500000.00"), 1),
        CurrencyTotal("USD", 1, Decimal("5870722.48"), 0),
        CurrencyTotal(None, 2, None, 0),
    ]
    assert list(profile.measures_by_country) == ["BE", "CA", "EU", "LT", "US"]


def test_database_sums_of_many_amounts_are_exact(store: Store) -> None:
    # 200,000 amounts like 5,870,722.48 (and the seed's one): summed as binary floats they
    # come to ...722.4795; as integer minor units SQLite and PostgreSQL add them exactly.
    count = 200_000
    vendor = resolve_vendor(store.connection, "Nuctech").id
    rows = (
        (f"many-{n}", vendor, 15, "generated", 587_072_248 + n % 1000, "USD", False, "2021")
        for n in range(count)
    )
    columns = ("key", "vendor_id", "jurisdiction_id", "title", "amount_minor", "currency")
    insert_rows(store, tables.contracts, (*columns, "amount_is_estimate", "date_start"), rows)
    exact = count * 587_072_248 + (count // 1000) * sum(range(1000)) + 587_072_248
    totals = {total.currency: total for total in currency_totals(store.connection, vendor)}
    assert totals["USD"].contracts == count + 1
    assert totals["USD"].total == Decimal(exact).scaleb(-2)
    assert str(totals["USD"].total) == "1174151365722.48"
