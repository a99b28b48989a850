"""Load data/seed/ into the database idempotently: loading twice leaves the same database."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from procwatch.dates import parse_optional
from procwatch.errors import InvalidInputError, ProcwatchError
from procwatch.models import (
    Base,
    Buyer,
    Citation,
    Contract,
    Finding,
    Jurisdiction,
    JurisdictionMembership,
    Measure,
    Source,
    Vendor,
    VendorAlias,
)
from procwatch.money import check_currency, parse_amount, to_minor_units
from procwatch.resolve import name_key
from procwatch.tables import MeasureKind, ProcurementMethod

Row = dict[str, str]
M = TypeVar("M", bound=Base)


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


def load_seed(session: Session, folder: Path | None = None) -> SeedCounts:
    """Load every seed file in dependency order; update rows that exist, add the others."""
    loader = _Loader(session, folder or seed_dir())
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
    session.flush()
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
    def __init__(self, session: Session, folder: Path) -> None:
        self.session = session
        self.folder = folder
        self.counts = SeedCounts()

    def _by_key(self, model: type[M], key: str, table: str) -> M:
        found = self.session.scalars(select(model).where(model.key == key)).first()  # type: ignore[attr-defined]
        if found is None:
            raise InvalidInputError(f"no {table} with key {key!r}")
        return found

    def _upsert(self, model: type[M], table: str, match: dict[str, Any], **values: Any) -> M:
        found = self.session.scalars(select(model).filter_by(**match)).first()
        if found is None:
            found = model(**match, **values)
            self.session.add(found)
            self.counts.count(table)
        else:
            for name, value in values.items():
                setattr(found, name, value)
        self.session.flush()
        return found

    def _jurisdiction(self, code: str) -> Jurisdiction:
        found = self.session.scalars(select(Jurisdiction).where(Jurisdiction.code == code)).first()
        if found is None:
            raise InvalidInputError(f"no jurisdiction with code {code!r}")
        return found

    def _cite(self, source_key: str, quote: str, **subject: int) -> None:
        source = self._by_key(Source, source_key, "source")
        self._upsert(Citation, "citations", {"source_id": source.id, "quote": quote, **subject})

    def jurisdictions(self, row: Row) -> None:
        self._upsert(
            Jurisdiction, "jurisdictions", {"code": row["code"]}, name=row["name"], kind=row["kind"]
        )

    def memberships(self, row: Row) -> None:
        union, member = self._jurisdiction(row["union"]), self._jurisdiction(row["member"])
        self._upsert(
            JurisdictionMembership, "memberships", {"union_id": union.id, "member_id": member.id}
        )

    def sources(self, row: Row) -> None:
        self._upsert(
            Source,
            "sources",
            {"key": row["key"]},
            title=row["title"],
            publisher=_text(row["publisher"]),
            url=_text(row["url"]),
            published=_date(row["published"]),
            path=_text(row["path"]),
        )

    def vendors(self, row: Row) -> None:
        country = self._jurisdiction(row["country"]).id if row["country"] else None
        vendor = self._upsert(
            Vendor,
            "vendors",
            {"key": row["key"]},
            name=row["name"],
            name_key=name_key(row["name"]),
            country_id=country,
        )
        self._cite(row["source"], row["quote"], vendor_id=vendor.id)

    def vendor_aliases(self, row: Row) -> None:
        vendor = self._by_key(Vendor, row["vendor"], "vendor")
        self._upsert(
            VendorAlias,
            "vendor_aliases",
            {"vendor_id": vendor.id, "alias": row["alias"]},
            alias_key=name_key(row["alias"]),
        )
        self._cite(row["source"], row["quote"], vendor_id=vendor.id)

    def buyers(self, row: Row) -> None:
        buyer = self._upsert(
            Buyer,
            "buyers",
            {"key": row["key"]},
            name=row["name"],
            name_key=name_key(row["name"]),
            jurisdiction_id=self._jurisdiction(row["country"]).id,
        )
        self._cite(row["source"], row["quote"], buyer_id=buyer.id)

    def contracts(self, row: Row) -> None:
        amount, currency = _money(row["amount"], row["currency"])
        contract = self._upsert(
            Contract,
            "contracts",
            {"key": row["key"]},
            vendor_id=self._by_key(Vendor, row["vendor"], "vendor").id,
            buyer_id=self._by_key(Buyer, row["buyer"], "buyer").id if row["buyer"] else None,
            jurisdiction_id=self._jurisdiction(row["country"]).id,
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
        self._cite(row["source"], row["quote"], contract_id=contract.id)

    def findings(self, row: Row) -> None:
        contract = self._by_key(Contract, row["contract"], "contract")
        amount, currency = _money(row["amount"], row["currency"])
        finding = self._upsert(
            Finding,
            "findings",
            {"contract_id": contract.id, "kind": row["kind"]},
            description=row["description"],
            amount_minor=amount,
            currency=currency,
        )
        self._cite(row["source"], row["quote"], finding_id=finding.id)

    def measures(self, row: Row) -> None:
        kind = _choice(row["kind"], MeasureKind)
        if kind is None:
            raise InvalidInputError("a measure needs a kind")
        measure = self._upsert(
            Measure,
            "measures",
            {"key": row["key"]},
            vendor_id=self._by_key(Vendor, row["vendor"], "vendor").id,
            jurisdiction_id=self._jurisdiction(row["country"]).id,
            authority=_text(row["authority"]),
            kind=kind,
            scope=_text(row["scope"]),
            legal_basis=_text(row["legal_basis"]),
            reason=_text(row["reason"]),
            date_start=_date(row["date"]),
            date_end=_date(row["date_end"]),
            places=_text(row["places"]),
        )
        self._cite(row["source"], row["quote"], measure_id=measure.id)

    def citations(self, row: Row) -> None:
        models: dict[str, tuple[type[Base], str]] = {
            "vendors": (Vendor, "vendor_id"),
            "buyers": (Buyer, "buyer_id"),
            "contracts": (Contract, "contract_id"),
            "measures": (Measure, "measure_id"),
        }
        if row["table"] not in models:
            raise InvalidInputError(f"citations can name {', '.join(models)}, not {row['table']!r}")
        model, column = models[row["table"]]
        subject = self._by_key(model, row["key"], row["table"])
        self._cite(row["source"], row["quote"], **{column: subject.id})  # type: ignore[attr-defined]
