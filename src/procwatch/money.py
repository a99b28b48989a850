"""Exact money: Decimal in Python, integer minor units in the database, decimal text in CSV."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from procwatch.errors import InvalidInputError

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

# ISO 4217 minor-unit exponents that differ from the usual DEFAULT_EXPONENT decimals.
DEFAULT_EXPONENT = 2
EXPONENTS: dict[str, int] = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(["CLF", "UYW"], 4),
}


def currency_exponent(currency: str) -> int:
    """Return the number of decimals of an ISO 4217 currency."""
    return EXPONENTS.get(currency, DEFAULT_EXPONENT)


def check_currency(code: str) -> str:
    """Return an upper-case ISO 4217 code, or raise InvalidInputError."""
    import pycountry

    value = code.strip().upper()
    if len(value) != 3 or pycountry.currencies.get(alpha_3=value) is None:
        raise InvalidInputError(f"unknown currency {code!r}: expected an ISO 4217 code like USD")
    return value


def parse_amount(text: str | int | Decimal) -> Decimal:
    """Parse an amount written as a plain decimal number; floats are refused on purpose."""
    if isinstance(text, Decimal):
        value = text
    else:
        try:
            value = Decimal(str(text).strip().replace(" ", "").replace("_", ""))
        except InvalidOperation:
            raise InvalidInputError(f"invalid amount {text!r}: expected a number") from None
    if not value.is_finite():
        raise InvalidInputError(f"invalid amount {text!r}: expected a finite number")
    return value


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Convert an amount to integer minor units, refusing precision the currency cannot hold."""
    exponent = currency_exponent(currency)
    scaled = amount.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise InvalidInputError(
            f"amount {amount} {currency} has more than {exponent} decimals; "
            "it cannot be stored exactly"
        )
    return int(scaled)


def from_minor_units(units: int, currency: str) -> Decimal:
    """Convert integer minor units back to an exact Decimal with the currency's decimals."""
    return Decimal(units).scaleb(-currency_exponent(currency))


def amount_text(minor: Any, currency: Any) -> ColumnElement[str]:
    """Return SQL writing integer minor units as their currency's exact decimal text.

    The database formats the amounts so that a bulk export can hand its rows straight from
    the cursor to its CSV writer, without a Python step per value: `587072248` USD is
    `5870722.48`.
    """
    from sqlalchemy import BigInteger, String, case, cast, func, literal, type_coerce

    magnitude = type_coerce(func.abs(minor), BigInteger)
    sign = case((minor < 0, literal("-")), else_=literal(""))

    def decimals(exponent: int) -> ColumnElement[str]:
        if exponent == 0:
            return sign + cast(magnitude, String)
        scale = 10**exponent
        # Adding the scale before cutting off its leading 1 pads the fraction with zeros.
        fraction = func.substr(cast(magnitude % scale + scale, String), 2)
        return sign + cast(magnitude // scale, String) + literal(".") + fraction

    groups: dict[int, list[str]] = {}
    for code, exponent in sorted(EXPONENTS.items()):
        groups.setdefault(exponent, []).append(code)
    return case(
        (minor.is_(None), None),
        *((currency.in_(codes), decimals(exponent)) for exponent, codes in groups.items()),
        else_=decimals(DEFAULT_EXPONENT),
    )
