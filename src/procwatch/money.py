"""Exact money: Decimal in Python, integers in the database, decimal text in CSV.

An amount is stored as two integers: `minor`, the whole minor units of its currency (rounded
down), and `fraction`, what is finer than a minor unit in FRACTION_DIGITS more decimals
(0 <= fraction < 10**FRACTION_DIGITS). 55463.776 MXN is (5546377, 600000000). Two columns
rather than one integer at a finer scale, because a 64-bit integer in billionths of a cent
would overflow at 92 million dollars, and sums of pesos, guaranies or Colombian pesos reach
trillions; each column sums exactly as an integer on SQLite and PostgreSQL, and the fraction's
sum carries into the minor units (to_units, sum_units, amount_text).
"""

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


# How many decimals finer than its currency's minor unit an amount may have.
FRACTION_DIGITS = 9
FRACTION_SCALE = 10**FRACTION_DIGITS


def storable(amount: Decimal, currency: str) -> bool:
    """Return whether an amount has no more decimals than the database keeps for its currency."""
    scaled = amount.scaleb(currency_exponent(currency) + FRACTION_DIGITS)
    return scaled == scaled.to_integral_value()


def to_units(amount: Decimal, currency: str) -> tuple[int, int]:
    """Return an amount as (minor units rounded down, the rest in FRACTION_DIGITS decimals)."""
    if not storable(amount, currency):
        digits = currency_exponent(currency) + FRACTION_DIGITS
        raise InvalidInputError(
            f"amount {amount} {currency} has more than {digits} decimals; "
            "it cannot be stored exactly"
        )
    total = int(amount.scaleb(currency_exponent(currency) + FRACTION_DIGITS))
    minor, fraction = divmod(total, FRACTION_SCALE)
    return minor, fraction


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Convert an amount to integer minor units, refusing precision the currency cannot hold."""
    minor, fraction = to_units(amount, currency)
    if fraction:
        exponent = currency_exponent(currency)
        raise InvalidInputError(
            f"amount {amount} {currency} has more than {exponent} decimals; "
            "it cannot be stored exactly"
        )
    return minor


def from_units(minor: int, fraction: int, currency: str) -> Decimal:
    """Return the exact amount of stored units: the currency's decimals, and finer digits given."""
    exponent = currency_exponent(currency)
    minor, fraction = sum_units(minor, fraction)
    if not fraction:
        return Decimal(minor).scaleb(-exponent)
    digits = FRACTION_DIGITS
    while fraction % 10 == 0:
        fraction //= 10
        digits -= 1
    return Decimal(minor * 10**digits + fraction).scaleb(-exponent - digits)


def from_minor_units(units: int, currency: str) -> Decimal:
    """Convert integer minor units back to an exact Decimal with the currency's decimals."""
    return from_units(units, 0, currency)


def exact_amount(minor: int | None, currency: str | None, fraction: int = 0) -> Decimal | None:
    """Return an exact amount from stored units, or None when either part is unknown."""
    if minor is None or currency is None:
        return None
    # PostgreSQL sums a bigint as numeric: back to an integer.
    return from_units(int(minor), int(fraction), currency)


def readable_amount(amount: Decimal | None, currency: str | None, estimate: bool = False) -> str:
    """Format an exact amount for people: `5,870,722.48 USD`, `~3,500,000.00 EUR`."""
    if amount is None:
        return "unknown"
    return f"{'~' if estimate else ''}{amount:,} {currency or ''}".strip()


def sum_units(minor: int, fraction: int) -> tuple[int, int]:
    """Return summed units with the fraction's whole minor units carried over."""
    carry, rest = divmod(fraction, FRACTION_SCALE)
    return minor + carry, rest


def amount_text(minor: Any, currency: Any, fraction: Any = None) -> ColumnElement[str]:
    """Return SQL writing stored units as their currency's exact decimal text.

    The database formats the amounts so that a bulk export can hand its rows straight from
    the cursor to its CSV writer, without a Python step per value: `587072248` USD is
    `5870722.48`. Digits finer than the minor unit follow only where there are any
    (`5546377` and `776000000` MXN is `55463.776`); `fraction` may be a sum of fractions.
    """
    from sqlalchemy import BigInteger, String, case, cast, func, literal, type_coerce

    if fraction is None:
        whole: Any = type_coerce(minor, BigInteger)
        rest: Any = literal(0)
        carried = False
    else:
        # A sum of fractions carries its whole minor units; both are non-negative.
        whole = type_coerce(minor + fraction // FRACTION_SCALE, BigInteger)
        rest = type_coerce(fraction % FRACTION_SCALE, BigInteger)
        carried = True
    # Stored rounded down: -1.005 USD is -101 cents and 0.5 of one, written as its magnitude.
    borrowed = (whole < 0) & (rest > 0)
    magnitude = type_coerce(case((borrowed, -(whole + 1)), else_=func.abs(whole)), BigInteger)
    sign = case((whole < 0, literal("-")), else_=literal(""))
    finer = case((borrowed, FRACTION_SCALE - rest), else_=rest)
    # Adding the scale before cutting off its leading 1 pads with zeros; the trailing ones go.
    digits = func.rtrim(func.substr(cast(finer + FRACTION_SCALE, String), 2), "0")

    def decimals(exponent: int) -> ColumnElement[str]:
        if exponent == 0:
            text = sign + cast(magnitude, String)
            if not carried:
                return text
            return text + case((rest == 0, literal("")), else_=literal(".") + digits)
        scale = 10**exponent
        fraction_text = func.substr(cast(magnitude % scale + scale, String), 2)
        text = sign + cast(magnitude // scale, String) + literal(".") + fraction_text
        return text + digits if carried else text

    groups: dict[int, list[str]] = {}
    for code, exponent in sorted(EXPONENTS.items()):
        groups.setdefault(exponent, []).append(code)
    return case(
        (minor.is_(None), None),
        *((currency.in_(codes), decimals(exponent)) for exponent, codes in groups.items()),
        else_=decimals(DEFAULT_EXPONENT),
    )
