"""Exact money: Decimal in Python, integer minor units in the database."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from procwatch.errors import InvalidInputError

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
