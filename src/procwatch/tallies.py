"""Contract counts per year and totals per currency: what a terminal shows of thousands."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from procwatch.money import readable_amount


class Priced(Protocol):
    """A contract as tallies read it: a date, and an amount that may be an estimate."""

    @property
    def date(self) -> str | None: ...
    @property
    def amount(self) -> Decimal | str | None: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def amount_is_estimate(self) -> bool: ...


@dataclass(frozen=True)
class Tally:
    """How many contracts, in which years, for how much."""

    contracts: int
    by_year: str
    totals: str


def tally(contracts: Iterable[Priced]) -> Tally:
    """Count contracts per year (`2019: 3, 2020: 1`) and total them per currency (`~` where
    an estimate is in the sum; values of unknown amount are counted, not guessed)."""
    years: Counter[str] = Counter()
    totals: dict[str, Decimal] = defaultdict(Decimal)
    estimated: set[str] = set()
    unknown = count = 0
    for contract in contracts:
        count += 1
        years[contract.date[:4] if contract.date else "undated"] += 1
        if contract.amount is None or contract.currency is None:
            unknown += 1
            continue
        totals[contract.currency] += Decimal(contract.amount)
        if contract.amount_is_estimate:
            estimated.add(contract.currency)
    parts = [
        readable_amount(total, currency, currency in estimated)
        for currency, total in sorted(totals.items())
    ]
    if unknown:
        parts.append(f"{unknown:,} of unknown value")
    by_year = ", ".join(f"{year}: {n:,}" for year, n in sorted(years.items()))
    return Tally(contracts=count, by_year=by_year, totals="; ".join(parts))
