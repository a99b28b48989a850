"""Load data/seed/ into the database idempotently: loading twice leaves the same database."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Table

from procwatch import tables
from procwatch.dates import parse_optional
from procwatch.domain import MeasureKind, Outcome, ProcurementMethod
from procwatch.errors import InvalidInputError, ProcwatchError
from procwatch.money import check_currency, parse_amount, to_minor_units
from procwatch.resolve import name_key
from procwatch.store import Store

Row = dict[str, str]


def seed_dir() -> Path:
    """Return the seed folder: inside the installed package, or the checkout's data/seed."""
    packaged = Path(__file__).parent / "_seed"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "seed"


@dataclass
class SeedCounts:
    """How many rows of each table the seed added (0 everywhere on a second load)."""

    added: dict[str, int] = field(default_factory=dict)

    def count(self, table: str) -> None:
        """Count one added row of a table."""
        self.added[table] = self.added.get(table, 0) + 1


def load_seed(store: Store, folder: Path | None = None) -> SeedCounts:
    """Load every seed file in dependency order; update rows that exist, add the others."""
    loader = _Loader(store, folder or seed_dir())
    for table in (
        "jurisdictions",
        "memberships",
        "sources",
        "vendors",
        "vendor_aliases",
        "buyers",
        "contracts",
        "findings",
        "measures",
        "citations",
    ):
        for line, row in _read(loader.folder / f"{table}.csv"):
            try:
                getattr(loader, table)(row)
            except ProcwatchError as error:
                raise InvalidInputError(f"{table}.csv line {line}: {error}") from None
            except (KeyError, ValueError) as error:
                raise InvalidInputError(f"{table}.csv line {line}: bad value {error}") from None
    return loader.counts


def _read(path: Path) -> Iterator[tuple[int, Row]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                yield reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items()}
    except FileNotFoundError:
        raise InvalidInputError(f"seed file {path} is missing") from None


def _text(value: str) -> str | None:
    return value or None


def _yes(value: str) -> bool:
    if value.lower() in ("yes", "true", "1"):
        return True
    if value.lower() in ("", "no", "false", "0"):
        return False
    raise InvalidInputError(f"expected yes or no, got {value!r}")


def _date(value: str) -> str | None:
    parsed = parse_optional(value)
    return None if parsed is None else str(parsed)


def _choice(value: str, allowed: type[MeasureKind] | type[ProcurementMethod]) -> str | None:
    if not value:
        return None
    names = [member.value for member in allowed]
    if value not in names:
        raise InvalidInputError(f"{value!r} is not one of {', '.join(names)}")
    return value


def _money(amount: str, currency: str) -> tuple[int | None, str | None]:
    if not amount:
        return None, _text(currency) and check_currency(currency)
    if not currency:
        raise InvalidInputError(f"amount {amount} has no currency")
    code = check_currency(currency)
    value: Decimal = parse_amount(amount)
    return to_minor_units(value, code), code


class _Loader:
    def __init__(self, store: Store, folder: Path) -> None:
        self.store = store
        self.folder = folder
        self.counts = SeedCounts()

    def _by_key(self, table: Table, key: str, what: str) -> int:
        found = self.store.find(table, key=key)
        if found is None:
            raise InvalidInputError(f"no {what} with key {key!r}")
        return int(found.id)

    def _upsert(self, table: Table, counted: str, match: dict[str, Any], **values: Any) -> int:
        row_id, outcome = self.store.upsert(table, {**match, **values}, key=tuple(match))
        if outcome is Outcome.ADDED:
            self.counts.count(counted)
        return row_id

    def _jurisdiction(self, code: str) -> int:
        found = self.store.find(tables.jurisdictions, code=code)
        if found is None:
            raise InvalidInputError(f"no jurisdiction with code {code!r}")
        return int(found.id)

    def _cite(self, source_key: str, quote: str, **subject: int) -> None:
        source_id = self._by_key(tables.sources, source_key, "source")
        self._upsert(
            tables.citations, "citations", {"source_id": source_id, "quote": quote, **subject}
        )

    def jurisdictions(self, row: Row) -> None:
        self._upsert(
            tables.jurisdictions,
            "jurisdictions",
            {"code": row["code"]},
            name=row["name"],
            kind=row["kind"],
        )

    def memberships(self, row: Row) -> None:
        union, member = self._jurisdiction(row["union"]), self._jurisdiction(row["member"])
        match = {"union_id": union, "member_id": member}
        if self.store.find(tables.jurisdiction_memberships, **match) is None:
            # The table has no id column: a membership is its pair of jurisdictions.
            self.store.insert_many(tables.jurisdiction_memberships, [match])
            self.counts.count("memberships")

    def sources(self, row: Row) -> None:
        self._upsert(
            tables.sources,
            "sources",
            {"key": row["key"]},
            title=row["title"],
            publisher=_text(row["publisher"]),
            url=_text(row["url"]),
            published=_date(row["published"]),
            path=_text(row["path"]),
        )

    def vendors(self, row: Row) -> None:
        country = self._jurisdiction(row["country"]) if row["country"] else None
        vendor_id = self._upsert(
            tables.vendors,
            "vendors",
            {"key": row["key"]},
            name=row["name"],
            name_key=name_key(row["name"]),
            country_id=country,
        )
        self._cite(row["source"], row["quote"], vendor_id=vendor_id)

    def vendor_aliases(self, row: Row) -> None:
        vendor_id = self._by_key(tables.vendors, row["vendor"], "vendor")
        self._upsert(
            tables.vendor_aliases,
            "vendor_aliases",
            {"vendor_id": vendor_id, "alias": row["alias"]},
            alias_key=name_key(row["alias"]),
        )
        self._cite(row["source"], row["quote"], vendor_id=vendor_id)

    def buyers(self, row: Row) -> None:
        buyer_id = self._upsert(
            tables.buyers,
            "buyers",
            {"key": row["key"]},
            name=row["name"],
            name_key=name_key(row["name"]),
            jurisdiction_id=self._jurisdiction(row["country"]),
        )
        self._cite(row["source"], row["quote"], buyer_id=buyer_id)

    def contracts(self, row: Row) -> None:
        amount, currency = _money(row["amount"], row["currency"])
        buyer = self._by_key(tables.buyers, row["buyer"], "buyer") if row["buyer"] else None
        contract_id = self._upsert(
            tables.contracts,
            "contracts",
            {"key": row["key"]},
            vendor_id=self._by_key(tables.vendors, row["vendor"], "vendor"),
            buyer_id=buyer,
            jurisdiction_id=self._jurisdiction(row["country"]),
            title=row["title"],
            procurement_method=_choice(row["procurement_method"], ProcurementMethod),
            procurement_method_details=_text(row["procurement_method_details"]),
            amount_minor=amount,
            currency=currency,
            amount_is_estimate=_yes(row["amount_is_estimate"]),
            date_start=_date(row["date"]),
            date_end=_date(row["date_end"]),
            places=_text(row["places"]),
            status=_text(row["status"]),
        )
        self._cite(row["source"], row["quote"], contract_id=contract_id)

    def findings(self, row: Row) -> None:
        contract_id = self._by_key(tables.contracts, row["contract"], "contract")
        amount, currency = _money(row["amount"], row["currency"])
        finding_id = self._upsert(
            tables.findings,
            "findings",
            {"contract_id": contract_id, "kind": row["kind"]},
            description=row["description"],
            amount_minor=amount,
            currency=currency,
        )
        self._cite(row["source"], row["quote"], finding_id=finding_id)

    def measures(self, row: Row) -> None:
        kind = _choice(row["kind"], MeasureKind)
        if kind is None:
            raise InvalidInputError("a measure needs a kind")
        measure_id = self._upsert(
            tables.measures,
            "measures",
            {"key": row["key"]},
            vendor_id=self._by_key(tables.vendors, row["vendor"], "vendor"),
            jurisdiction_id=self._jurisdiction(row["country"]),
            authority=_text(row["authority"]),
            kind=kind,
            scope=_text(row["scope"]),
            legal_basis=_text(row["legal_basis"]),
            reason=_text(row["reason"]),
            date_start=_date(row["date"]),
            date_end=_date(row["date_end"]),
            places=_text(row["places"]),
        )
        self._cite(row["source"], row["quote"], measure_id=measure_id)

    def citations(self, row: Row) -> None:
        subjects = {
            "vendors": (tables.vendors, "vendor_id"),
            "buyers": (tables.buyers, "buyer_id"),
            "contracts": (tables.contracts, "contract_id"),
            "measures": (tables.measures, "measure_id"),
        }
        if row["table"] not in subjects:
            raise InvalidInputError(
                f"citations can name {', '.join(subjects)}, not {row['table']!r}"
            )
        table, column = subjects[row["table"]]
        subject_id = self._by_key(table, row["key"], row["table"])
        self._cite(row["source"], row["quote"], **{column: subject_id})
