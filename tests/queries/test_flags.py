from itertools import product
from types import SimpleNamespace

from sqlalchemy import Column, Connection, MetaData, String, Table, insert, select

from procwatch.queries.flags import in_force_when_signed
from procwatch.screening.periods import Period
from procwatch.screening.periods import in_force_when_signed as rule

# Dates of every precision around one pivot day, and the ends of months and years, where a
# coarse date's last day and the next period's first day meet.
DATES = [
    None, "2019", "2020", "2021", "2020-02", "2020-03", "2020-04", "2020-12",
    "2020-02-29", "2020-03-01", "2020-03-14", "2020-03-15", "2020-03-31", "2020-12-31",
]  # fmt: skip
CONTRACT_ENDS = [None, "2020", "2021", "2020-03", "2020-03-15"]


def test_sql_rule_is_the_periods_rule(connection: Connection) -> None:
    cases = [
        (ms, me, cs, ce)
        for ms, me, cs, ce in product(DATES, DATES, DATES, CONTRACT_ENDS)
        if not (cs is None and ce is not None)
    ]
    # A temporary table: SQLite cannot name the columns of a VALUES list.
    table = Table(
        "flag_cases",
        MetaData(),
        *(Column(name, String(10)) for name in ("id", "ms", "me", "cs", "ce")),
        prefixes=["TEMPORARY"],
    )
    table.create(connection)
    rows = [
        {"id": f"{n:05d}", "ms": ms, "me": me, "cs": cs, "ce": ce}
        for n, (ms, me, cs, ce) in enumerate(cases)
    ]
    connection.execute(insert(table), rows)
    measure = SimpleNamespace(date_start=table.c.ms, date_end=table.c.me)
    contract = SimpleNamespace(date_start=table.c.cs, date_end=table.c.ce)
    found = list(
        connection.execute(
            select(in_force_when_signed(measure, contract)).order_by(table.c.id)
        ).scalars()
    )
    expected = [rule(Period.of(ms, me), Period.of(cs, ce)).value for ms, me, cs, ce in cases]
    assert len(cases) > 10_000
    assert found == expected
    assert {"yes", "possibly", "no"} == set(found)
