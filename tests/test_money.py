import random
from decimal import Decimal

import pytest
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    cast,
    func,
    select,
)

from procwatch.errors import InvalidInputError
from procwatch.money import (
    amount_text,
    check_currency,
    currency_exponent,
    from_minor_units,
    from_units,
    parse_amount,
    to_minor_units,
    to_units,
)


def test_minor_units_round_trip_exactly() -> None:
    units = to_minor_units(Decimal("5870722.48"), "USD")
    assert units == 587072248
    assert from_minor_units(units, "USD") == Decimal("5870722.48")
    assert str(from_minor_units(units, "USD")) == "5870722.48"


def test_currency_exponents() -> None:
    assert to_minor_units(Decimal("1500"), "JPY") == 1500
    assert to_minor_units(Decimal("1.234"), "KWD") == 1234
    assert str(from_minor_units(350000000, "EUR")) == "3500000.00"


def test_refuses_more_decimals_than_the_currency_has() -> None:
    with pytest.raises(InvalidInputError, match=r"amount 1\.005 USD has more than 2 decimals"):
        to_minor_units(Decimal("1.005"), "USD")


def test_parse_amount_accepts_spaced_thousands() -> None:
    assert parse_amount("5 870 722.48") == Decimal("5870722.48")


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity"])
def test_parse_amount_refuses_non_numbers(text: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_amount(text)


def test_check_currency() -> None:
    assert check_currency(" usd ") == "USD"
    with pytest.raises(InvalidInputError, match="unknown currency 'XYZ'"):
        check_currency("XYZ")


def test_a_million_amounts_sum_exactly_in_minor_units() -> None:
    # The float path drifts by cents on this sum; integer minor units never do.
    total = sum(to_minor_units(Decimal("5870722.48"), "USD") for _ in range(1_000_000))
    assert from_minor_units(total, "USD") == Decimal("5870722480000.00")


@pytest.mark.parametrize(
    ("text", "currency", "units"),
    [
        ("55463.776", "MXN", (5546377, 600_000_000)),
        ("100", "USD", (10000, 0)),
        ("-1.005", "USD", (-101, 500_000_000)),
        ("1500.5", "JPY", (1500, 500_000_000)),
        ("0.00000000001", "EUR", (0, 1)),
    ],
)
def test_finer_digits_than_the_minor_unit_are_kept(
    text: str, currency: str, units: tuple[int, int]
) -> None:
    assert to_units(Decimal(text), currency) == units
    assert from_units(*units, currency) == Decimal(text)


def test_stored_units_read_back_at_the_currency_precision_or_finer() -> None:
    assert str(from_units(*to_units(Decimal("55463.776"), "MXN"), "MXN")) == "55463.776"
    assert str(from_units(*to_units(Decimal("55463.7760"), "MXN"), "MXN")) == "55463.776"
    assert str(from_units(*to_units(Decimal("100"), "USD"), "USD")) == "100.00"
    assert str(from_units(*to_units(Decimal("-1.005"), "USD"), "USD")) == "-1.005"


def test_refuses_digits_finer_than_a_billionth_of_the_minor_unit() -> None:
    with pytest.raises(InvalidInputError, match=r"1\.0000000000001 USD has more than 11 decimals"):
        to_units(Decimal("1.0000000000001"), "USD")


def _mixed_amounts(count: int) -> list[tuple[Decimal, str]]:
    generator = random.Random(13)
    currencies = ["MXN", "JPY", "KWD", "PYG", "EUR"]
    amounts = []
    for index in range(count):
        currency = currencies[index % len(currencies)]
        decimals = generator.randrange(0, currency_exponent(currency) + 10)
        # Up to ten billion of the unit, a tenth of them refunds (negative): a million of
        # them sum to far beyond any real total, and within SQLite's 64-bit SUM.
        scale = 10**decimals
        amount = Decimal(generator.randrange(-(10**9) * scale, 10**10 * scale)).scaleb(-decimals)
        amounts.append((amount, currency))
    return amounts


def test_a_million_amounts_of_mixed_precision_sum_exactly_in_the_database(engine: Engine) -> None:
    amounts = _mixed_amounts(1_000_000)
    # Every precision from whole units to a billionth of a minor unit is there.
    assert {-amount.as_tuple().exponent for amount, _ in amounts} == set(range(13))  # type: ignore[operator]
    expected: dict[str, Decimal] = {}
    for amount, currency in amounts:
        expected[currency] = expected.get(currency, Decimal(0)) + amount
    table = Table(
        "amounts",
        MetaData(),
        Column("currency", String(3)),
        Column("amount_minor", BigInteger),
        Column("amount_fraction", Integer),
    )
    with engine.begin() as connection:
        table.create(connection)
        stored = [(currency, *to_units(amount, currency)) for amount, currency in amounts]
        if connection.dialect.name == "postgresql":
            # COPY: executemany of a million rows takes most of the test's time otherwise.
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(
                "COPY amounts (currency, amount_minor, amount_fraction) FROM STDIN"
            ) as copy:
                for row in stored:
                    copy.write_row(row)
        else:
            connection.exec_driver_sql(
                "INSERT INTO amounts (currency, amount_minor, amount_fraction) VALUES (?, ?, ?)",
                stored,
            )
        rows = connection.execute(
            select(
                table.c.currency,
                func.sum(table.c.amount_minor),
                func.sum(table.c.amount_fraction),
                amount_text(
                    cast(func.sum(table.c.amount_minor), BigInteger),
                    table.c.currency,
                    cast(func.sum(table.c.amount_fraction), BigInteger),
                ),
            ).group_by(table.c.currency)
        ).all()
        table.drop(connection)
    assert {
        currency: from_units(int(minor), int(fraction), currency)
        for currency, minor, fraction, _ in rows
    } == expected
    # The database writes the same exact sums as text.
    assert {currency: Decimal(text) for currency, _, _, text in rows} == expected
