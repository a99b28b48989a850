from decimal import Decimal

import pytest

from procwatch.errors import InvalidInputError
from procwatch.money import check_currency, from_minor_units, parse_amount, to_minor_units


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
