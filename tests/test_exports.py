import csv
import io
import tracemalloc
from decimal import Decimal

from sqlalchemy import text

from procwatch import tables
from procwatch.exports import EXPORTS, contracts_summary, write_contracts
from procwatch.store import Store
from tests.conftest import id_of, insert_rows

COLUMNS = (
    "key",
    "vendor_id",
    "jurisdiction_id",
    "title",
    "amount_minor",
    "currency",
    "amount_is_estimate",
    "date_start",
)


def add_contracts(store: Store, prefix: str, count: int) -> None:
    """Add contracts of the seed's vendor in Georgia: 0.005 KWD and up, in 2021."""
    nuctech = id_of(store, tables.vendors, "nuctech")
    georgia = id_of(store, tables.jurisdictions, "GE")
    rows = (
        (f"{prefix}-{n}", nuctech, georgia, "generated", 5 + n, "KWD", False, "2021")
        for n in range(count)
    )
    insert_rows(store, tables.contracts, COLUMNS, rows)


class NullWriter(io.TextIOBase):
    """A text handle that counts characters and keeps none of them."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def peak_memory_of_export(store: Store) -> int:
    tracemalloc.start()
    write_contracts(store.connection, NullWriter())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_the_contracts_export_streams_in_flat_memory(store: Store) -> None:
    add_contracts(store, "a", 20_000)
    smaller = peak_memory_of_export(store)
    add_contracts(store, "b", 60_000)
    larger = peak_memory_of_export(store)
    # Four times the rows, the same batches in memory: a list of all rows would grow 4x.
    assert larger < smaller * 1.5, (smaller, larger)


def test_the_contracts_export_writes_exact_amounts(store: Store) -> None:
    add_contracts(store, "k", 3)
    handle = io.StringIO()
    assert write_contracts(store.connection, handle) == 7
    rows = list(csv.DictReader(io.StringIO(handle.getvalue())))
    assert [(row["amount"], row["currency"]) for row in rows[-4:]] == [
        ("3500000.00", "EUR"),
        ("0.005", "KWD"),
        ("0.006", "KWD"),
        ("0.007", "KWD"),
    ]


def test_the_database_formats_every_currency_exponent_and_sign(store: Store) -> None:
    nuctech = id_of(store, tables.vendors, "nuctech")
    georgia = id_of(store, tables.jurisdictions, "GE")
    rows = [
        ("jpy", nuctech, georgia, "t", 1500, "JPY", False, "2021"),
        ("usd-negative", nuctech, georgia, "t", -1205, "USD", False, "2021"),
        ("eur-cents", nuctech, georgia, "t", 7, "EUR", True, "2021"),
        ("clf", nuctech, georgia, "t", 12345, "CLF", False, "2021"),
        ("none", nuctech, georgia, "t", None, None, False, "2021"),
        ("kwd-small-negative", nuctech, georgia, "t", -7, "KWD", False, "2021"),
        ("usd-zero", nuctech, georgia, "t", 0, "USD", False, "2021"),
        ("unlisted-currency", nuctech, georgia, "t", 9_007_199_254_740_993, "XTS", False, "2021"),
    ]
    insert_rows(store, tables.contracts, COLUMNS, rows)
    handle = io.StringIO()
    write_contracts(store.connection, handle)
    found = {
        row["key"]: (row["amount"], row["currency"], row["amount_is_estimate"])
        for row in csv.DictReader(io.StringIO(handle.getvalue()))
    }
    assert [found[key] for key, *_ in rows] == [
        ("1500", "JPY", "no"),
        ("-12.05", "USD", "no"),
        ("0.07", "EUR", "yes"),
        ("1.2345", "CLF", "no"),
        ("", "", "no"),
        ("-0.007", "KWD", "no"),
        ("0.00", "USD", "no"),
        # Beyond a float's 53 bits: exact only if no step goes through floating point.
        ("90071992547409.93", "XTS", "no"),
    ]


def test_the_summary_totals_are_exact_in_csv_and_dataframe(store: Store) -> None:
    add_contracts(store, "s", 100_000)
    # 5 + 6 + ... + 100004 thousandths of a dinar.
    exact = Decimal(sum(range(5, 100_005))).scaleb(-3)
    handle = io.StringIO()
    EXPORTS["contracts-summary"].write(store.connection, handle)
    rows = list(csv.DictReader(io.StringIO(handle.getvalue())))
    kuwaiti = [row for row in rows if row["currency"] == "KWD"]
    assert [(row["year"], row["contracts"], row["total"]) for row in kuwaiti] == [
        ("2021", "100000", str(exact))
    ]
    frame = contracts_summary(store.connection)
    assert frame.loc[frame["currency"] == "KWD", "total"].tolist() == [exact]
    assert frame["contracts"].sum() == 100_004


def test_the_summary_keeps_two_vendors_of_one_name_apart(store: Store) -> None:
    georgia = id_of(store, tables.jurisdictions, "GE")
    insert_rows(
        store,
        tables.vendors,
        ("key", "name", "name_key"),
        [("acme-1", "Acme", "acme"), ("acme-2", "Acme", "acme")],
    )
    acme = [row.id for row in store.execute(text("SELECT id FROM vendors WHERE name = 'Acme'"))]
    rows = [
        ("a1", acme[0], georgia, "t", 100, "EUR", False, "2021-05"),
        ("a2", acme[1], georgia, "t", 250, "EUR", True, "2021"),
        ("a3", acme[1], georgia, "t", None, None, False, "2021-02-03"),
    ]
    insert_rows(store, tables.contracts, COLUMNS, rows)
    handle = io.StringIO()
    EXPORTS["contracts-summary"].write(store.connection, handle)
    acme_rows = [row for row in csv.reader(io.StringIO(handle.getvalue())) if row[0] == "Acme"]
    assert acme_rows == [
        ["Acme", "GE", "Georgia", "2021", "EUR", "1", "1.00", "0", "0"],
        ["Acme", "GE", "Georgia", "2021", "EUR", "1", "2.50", "0", "1"],
        ["Acme", "GE", "Georgia", "2021", "", "1", "", "1", "0"],
    ]


def test_the_summary_groups_by_the_years_a_contract_spans(store: Store) -> None:
    georgia = id_of(store, tables.jurisdictions, "GE")
    poland = id_of(store, tables.jurisdictions, "PL")
    insert_rows(store, tables.vendors, ("key", "name", "name_key"), [("zeta", "Zeta", "zeta")])
    zeta = store.execute(text("SELECT id FROM vendors WHERE key = 'zeta'")).scalar_one()
    rows = [
        ("z1", zeta, georgia, "t", 100, "EUR", False, "2019-01", "2019-12-31"),
        ("z2", zeta, georgia, "t", 200, "EUR", False, "2019", None),
        ("z3", zeta, georgia, "t", 300, "EUR", False, "2018-06", "2020"),
        ("z4", zeta, georgia, "t", 400, "EUR", False, None, None),
        ("z5", zeta, georgia, "t", None, None, False, "2019-03-04", None),
        ("z6", zeta, poland, "t", 500, "EUR", False, "2017", "2017"),
    ]
    insert_rows(store, tables.contracts, (*COLUMNS, "date_end"), rows)
    handle = io.StringIO()
    EXPORTS["contracts-summary"].write(store.connection, handle)
    zeta_rows = [row[1:7] for row in csv.reader(io.StringIO(handle.getvalue())) if row[0] == "Zeta"]
    # Undated years and unknown currencies come last, on SQLite as on PostgreSQL.
    assert zeta_rows == [
        ["GE", "Georgia", "2018-2020", "EUR", "1", "3.00"],
        ["GE", "Georgia", "2019", "EUR", "2", "3.00"],
        ["GE", "Georgia", "2019", "", "1", ""],
        ["GE", "Georgia", "", "EUR", "1", "4.00"],
        ["PL", "Poland", "2017", "EUR", "1", "5.00"],
    ]


def jurisdiction_ids(store: Store, *codes: str) -> list[int]:
    query = text("SELECT id FROM jurisdictions WHERE code = :code")
    return [store.execute(query, {"code": code}).scalar_one() for code in codes]


def summary_csv(store: Store) -> list[list[str]]:
    handle = io.StringIO()
    EXPORTS["contracts-summary"].write(store.connection, handle)
    return list(csv.reader(io.StringIO(handle.getvalue())))


def test_the_summary_of_awkward_contracts(store: Store) -> None:
    georgia, poland = jurisdiction_ids(store, "GE", "PL")
    insert_rows(
        store,
        tables.vendors,
        ("key", "name", "name_key", "country_id"),
        [
            ("acme-1", "Acme", "acme", poland),
            ("acme-2", "Acme", "acme", None),
            ("zeta", "Zeta", "zeta", None),
        ],
    )
    vendor_ids = dict(store.execute(text("SELECT key, id FROM vendors")).all())
    acme, other_acme, zeta = vendor_ids["acme-1"], vendor_ids["acme-2"], vendor_ids["zeta"]
    insert_rows(
        store,
        tables.buyers,
        ("key", "name", "name_key", "jurisdiction_id"),
        [("b1", "Ministry", "ministry", georgia), ("b2", "Agency", "agency", georgia)],
    )
    buyer_ids = dict(store.execute(text("SELECT key, id FROM buyers")).all())
    big = 9_007_199_254_740_993  # beyond a float's 53 bits: exact only without floats
    rows = [
        # One vendor, two buyers: one row. Two vendors named Acme: two rows.
        ("a1", acme, georgia, 100, "EUR", False, "2021-05", None, buyer_ids["b1"]),
        ("a2", acme, georgia, 250, "EUR", True, "2021", None, buyer_ids["b2"]),
        ("a3", other_acme, georgia, None, None, False, "2021-02-03", None, None),
        ("a4", other_acme, georgia, 5, "EUR", False, "2021", None, None),
        ("z1", zeta, georgia, 100, "EUR", False, "2019-01", "2019-12-31", None),
        ("z2", zeta, georgia, -201, "EUR", False, "2019", None, None),
        ("z3", zeta, georgia, 300, "JPY", False, "2018-06", "2020", None),
        ("z4", zeta, georgia, 400, "KWD", False, None, None, None),
        ("z5", zeta, georgia, None, None, False, "2019-03-04", None, None),
        ("z6", zeta, georgia, None, None, True, "2019", None, None),
        ("z7", zeta, poland, 12_345, "CLF", False, "2017", "2017", None),
        ("z8", zeta, poland, 1, "CLF", True, "2017-01", None, None),
        ("z9", zeta, poland, -7, "KWD", False, "2017", None, None),
        ("z10", zeta, poland, big, "XTS", False, "2017", None, None),
        ("z11", zeta, poland, big, "XTS", True, "2017", None, None),
    ]
    insert_rows(
        store,
        tables.contracts,
        (*COLUMNS[:4], *COLUMNS[4:], "date_end", "buyer_id"),
        [(key, vendor, where, "t", *rest) for key, vendor, where, *rest in rows],
    )
    found = [row for row in summary_csv(store) if row[0] in ("Acme", "Zeta")]
    assert found == [
        ["Acme", "GE", "Georgia", "2021", "EUR", "2", "3.50", "0", "1"],
        ["Acme", "GE", "Georgia", "2021", "EUR", "1", "0.05", "0", "0"],
        ["Acme", "GE", "Georgia", "2021", "", "1", "", "1", "0"],
        ["Zeta", "GE", "Georgia", "2018-2020", "JPY", "1", "300", "0", "0"],
        ["Zeta", "GE", "Georgia", "2019", "EUR", "2", "-1.01", "0", "0"],
        ["Zeta", "GE", "Georgia", "2019", "", "2", "", "2", "1"],
        ["Zeta", "GE", "Georgia", "", "KWD", "1", "0.400", "0", "0"],
        ["Zeta", "PL", "Poland", "2017", "CLF", "2", "1.2346", "0", "1"],
        ["Zeta", "PL", "Poland", "2017", "KWD", "1", "-0.007", "0", "0"],
        ["Zeta", "PL", "Poland", "2017", "XTS", "2", "180143985094819.86", "0", "1"],
    ]
    frame = contracts_summary(store.connection)
    zeta_totals = frame.loc[frame["vendor"] == "Zeta", "total"].tolist()
    assert zeta_totals[-3:] == [Decimal("1.2346"), Decimal("-0.007"), Decimal(2 * big) / 100]
    assert zeta_totals[2] is None


def test_the_summary_of_a_database_made_from_the_tables(empty_db_url: str) -> None:
    # Without migrations, without the seed: what a notebook or another tool may build.
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from procwatch import tables

    engine = create_engine(empty_db_url, poolclass=NullPool)
    tables.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            tables.jurisdictions.insert(),
            [{"id": 1, "code": "GE", "name": "Georgia"}, {"id": 2, "code": "PL", "name": "Poland"}],
        )
        connection.execute(
            tables.vendors.insert(),
            [{"id": 1, "key": "n", "name": "Nuctech", "name_key": "nuctech"}],
        )
        contract = {"vendor_id": 1, "title": "t", "amount_is_estimate": False}
        connection.execute(
            tables.contracts.insert(),
            [
                {
                    **contract,
                    "key": "c1",
                    "jurisdiction_id": 1,
                    "amount_minor": 587072248,
                    "currency": "USD",
                    "date_start": "2018",
                    "date_end": "2020",
                },
                {
                    **contract,
                    "key": "c2",
                    "jurisdiction_id": 2,
                    "amount_minor": None,
                    "currency": None,
                    "date_start": "2024-03",
                    "date_end": None,
                },
                {
                    **contract,
                    "key": "c3",
                    "jurisdiction_id": 2,
                    "amount_minor": 1,
                    "currency": "USD",
                    "date_start": "2024-05-06",
                    "date_end": None,
                },
            ],
        )
    with engine.connect() as connection:
        handle = io.StringIO()
        EXPORTS["contracts-summary"].write(connection, handle)
    engine.dispose()
    assert handle.getvalue() == (
        "vendor,country,country_name,year,currency,contracts,total,unknown_values,"
        "estimated_values\n"
        "Nuctech,GE,Georgia,2018-2020,USD,1,5870722.48,0,0\n"
        "Nuctech,PL,Poland,2024,USD,1,0.01,0,0\n"
        "Nuctech,PL,Poland,2024,,1,,1,0\n"
    )
