"""Vendors: the vendor list and one vendor's profile."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, or_, select

from procwatch import tables
from procwatch.money import exact_amount
from procwatch.queries.citations import SourceRef, citations
from procwatch.queries.contracts import ContractRecord, contracts_where
from procwatch.queries.measures import MeasureRecord, measures_where
from procwatch.resolve import name_key, resolve_vendor, vendor_of
from procwatch.store import chunked

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class VendorSummary:
    """One line of the vendor list."""

    id: int
    name: str
    kind: str
    country: str | None
    aliases: list[str]
    contracts: int
    measures: int


@dataclass(frozen=True)
class CurrencyTotal:
    """The contracts of one currency (or of unknown value, currency None) and their total."""

    currency: str | None
    contracts: int
    total: Decimal | None
    estimated: int


@dataclass(frozen=True)
class VendorProfile:
    """Everything known about one vendor."""

    id: int
    name: str
    country: str | None
    country_name: str | None
    aliases: list[str]
    identifiers: list[str]
    totals: list[CurrencyTotal]
    contracts: list[ContractRecord]
    measures_by_country: dict[str, list[MeasureRecord]]
    sources: list[SourceRef] = field(default_factory=list)
    kind: str = "unknown"


def list_vendors(connection: Connection, search: str | None = None) -> list[VendorSummary]:
    """Return vendors whose name or an alias contains `search` (normalized), by name."""
    vendor, jurisdiction = tables.vendors.c, tables.jurisdictions.c
    query = select(vendor.id, vendor.name, vendor.kind, jurisdiction.code).outerjoin(
        tables.jurisdictions, jurisdiction.id == vendor.country_id
    )
    if search:
        key = name_key(search)
        alias = tables.vendor_aliases.c
        alias_match = select(alias.vendor_id).where(alias.alias_key.contains(key, autoescape=True))
        query = query.where(
            or_(vendor.name_key.contains(key, autoescape=True), vendor.id.in_(alias_match))
        )
    rows = connection.execute(query.order_by(vendor.name, vendor.id)).all()
    ids = [row.id for row in rows]
    aliases = _aliases(connection, ids)
    contracts = _counts(connection, tables.contracts.c.vendor_id, ids)
    measures = _counts(connection, tables.measures.c.vendor_id, ids)
    return [
        VendorSummary(
            id=row.id,
            name=row.name,
            kind=row.kind,
            country=row.code,
            aliases=aliases.get(row.id, []),
            contracts=contracts.get(row.id, 0),
            measures=measures.get(row.id, 0),
        )
        for row in rows
    ]


def _aliases(connection: Connection, vendor_ids: list[int]) -> dict[int, list[str]]:
    alias = tables.vendor_aliases.c
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in chunked(vendor_ids):
        rows = connection.execute(
            select(alias.vendor_id, alias.alias)
            .where(alias.vendor_id.in_(chunk))
            .order_by(alias.alias)
        ).all()
        for vendor_id, name in rows:
            found[vendor_id].append(name)
    return found


def _counts(connection: Connection, column: Any, ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for chunk in chunked(ids):
        rows = connection.execute(
            select(column, func.count()).where(column.in_(chunk)).group_by(column)
        ).all()
        found.update({subject: count for subject, count in rows})
    return found


def currency_totals(connection: Connection, vendor_id: int) -> list[CurrencyTotal]:
    """Return a vendor's contract totals per currency, summed exactly by the database."""
    contract = tables.contracts.c
    rows = connection.execute(
        select(
            contract.currency,
            func.count(),
            func.sum(contract.amount_minor),
            func.sum(contract.amount_fraction),
            func.sum(case((contract.amount_is_estimate, 1), else_=0)),
        )
        .where(contract.vendor_id == vendor_id)
        .group_by(contract.currency)
        .order_by(contract.currency.is_(None), contract.currency)
    ).all()
    return [
        CurrencyTotal(
            currency=currency,
            contracts=count,
            total=exact_amount(total, currency, int(fraction or 0)),
            estimated=int(estimated or 0),
        )
        for currency, count, total, fraction, estimated in rows
    ]


def vendor_profile(
    connection: Connection, name: str, *, vendor_id: int | None = None
) -> VendorProfile:
    """Return a vendor's aliases, identifiers, contracts with totals, and measures by country.

    The vendor is the one `name` resolves to, or the one of `vendor_id` when given (a name
    can stand for several vendors kept apart, e.g. by country).
    """
    vendor = (
        resolve_vendor(connection, name) if vendor_id is None else vendor_of(connection, vendor_id)
    )
    jurisdiction, identifier = tables.jurisdictions.c, tables.vendor_identifiers.c
    country = (
        connection.execute(
            select(jurisdiction.code, jurisdiction.name).where(jurisdiction.id == vendor.country_id)
        ).first()
        if vendor.country_id
        else None
    )
    identifiers = connection.execute(
        select(identifier.scheme, identifier.identifier)
        .where(identifier.vendor_id == vendor.id)
        .order_by(identifier.scheme, identifier.identifier)
    ).all()
    by_country: dict[str, list[MeasureRecord]] = defaultdict(list)
    for measure in measures_where(connection, [tables.measures.c.vendor_id == vendor.id]):
        by_country[measure.country].append(measure)
    return VendorProfile(
        id=vendor.id,
        name=vendor.name,
        country=country.code if country else None,
        country_name=country.name if country else None,
        aliases=_aliases(connection, [vendor.id]).get(vendor.id, []),
        identifiers=[f"{scheme}:{value}" for scheme, value in identifiers],
        totals=currency_totals(connection, vendor.id),
        contracts=contracts_where(connection, [tables.contracts.c.vendor_id == vendor.id]),
        measures_by_country=dict(sorted(by_country.items())),
        sources=citations(connection, tables.citations.c.vendor_id, [vendor.id]).get(vendor.id, []),
        kind=connection.scalar(
            select(tables.vendors.c.kind).where(tables.vendors.c.id == vendor.id)
        )
        or "unknown",
    )
