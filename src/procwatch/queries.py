"""Read functions: each takes a Session and returns plain dataclasses, never ORM objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from procwatch.db import chunked
from procwatch.errors import InvalidInputError
from procwatch.models import (
    Buyer,
    Citation,
    Contract,
    Finding,
    Jurisdiction,
    Measure,
    MeasureKind,
    Source,
    Vendor,
    VendorAlias,
    VendorIdentifier,
)
from procwatch.money import from_minor_units
from procwatch.resolve import memberships, name_key, resolve_country, resolve_vendor


@dataclass(frozen=True)
class SourceRef:
    """A citation: the source and the sentence of it that supports a record."""

    source: str
    title: str
    quote: str | None
    locator: str | None = None


@dataclass(frozen=True)
class FindingRecord:
    """A documented problem with a contract."""

    kind: str
    description: str
    amount: Decimal | None
    currency: str | None
    sources: list[SourceRef]


@dataclass(frozen=True)
class ContractRecord:
    """A contract with vendor, buyer and country names resolved."""

    id: int
    key: str
    vendor: str
    buyer: str | None
    country: str
    country_name: str
    title: str
    procurement_method: str | None
    procurement_method_details: str | None
    amount: Decimal | None
    currency: str | None
    amount_is_estimate: bool
    date: str | None
    date_end: str | None
    places: str | None
    status: str | None
    ocid: str | None
    findings: list[FindingRecord]
    sources: list[SourceRef]


@dataclass(frozen=True)
class MeasureRecord:
    """A ban, restriction or investigation with vendor and country names resolved."""

    id: int
    key: str
    vendor: str
    country: str
    country_name: str
    authority: str | None
    kind: str
    scope: str | None
    legal_basis: str | None
    reason: str | None
    date: str | None
    date_end: str | None
    places: str | None
    sources: list[SourceRef]


@dataclass(frozen=True)
class VendorSummary:
    """One line of the vendor list."""

    id: int
    name: str
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


@dataclass(frozen=True)
class JurisdictionRecord:
    """A jurisdiction with its unions or members and how much the database holds about it."""

    code: str
    name: str
    kind: str
    part_of: list[str]
    members: list[str]
    contracts: int
    measures: int


def list_contracts(
    session: Session,
    *,
    vendor: str | None = None,
    country: str | None = None,
    buyer: str | None = None,
    since: int | None = None,
    until: int | None = None,
    where: Sequence[ColumnElement[bool]] = (),
) -> list[ContractRecord]:
    """Return the contracts matching every filter given (and `where`), oldest first."""
    if since is not None and until is not None and since > until:
        raise InvalidInputError(f"--since {since} is after --until {until}")
    conditions: list[ColumnElement[bool]] = list(where)
    if vendor is not None:
        conditions.append(Contract.vendor_id == resolve_vendor(session, vendor).id)
    if country is not None:
        codes = resolve_country(session, country).related_codes
        conditions.append(Jurisdiction.code.in_(codes))
    if buyer is not None:
        # A subquery, so the planner matches names in buyers and then follows buyer_id's
        # index; as a condition on the joined table it read every contract.
        buyers = select(Buyer.id).where(Buyer.name_key.contains(name_key(buyer), autoescape=True))
        conditions.append(Contract.buyer_id.in_(buyers))
    if since is not None:
        # A contract counts from a year if any part of it (a range's end) reaches that year.
        # Two indexed comparisons rather than coalesce(), which no index can serve.
        year = f"{since:04d}"
        conditions.append(or_(Contract.date_start >= year, Contract.date_end >= year))
    if until is not None:
        conditions.append(Contract.date_start < f"{until + 1:04d}")
    return _contracts(session, conditions)


def _contract_select() -> Select[Contract, str, str | None, str, str]:
    return (
        select(Contract, Vendor.name, Buyer.name, Jurisdiction.code, Jurisdiction.name)
        .join(Vendor, Vendor.id == Contract.vendor_id)
        .join(Jurisdiction, Jurisdiction.id == Contract.jurisdiction_id)
        .outerjoin(Buyer, Buyer.id == Contract.buyer_id)
    )


def _contracts(session: Session, conditions: Sequence[ColumnElement[bool]]) -> list[ContractRecord]:
    rows = session.execute(
        _contract_select()
        .where(and_(True, *conditions))
        .order_by(Contract.date_start.is_(None), Contract.date_start, Contract.id)
    ).all()
    ids = [row[0].id for row in rows]
    sources = _citations(session, Citation.contract_id, ids)
    findings = _findings(session, ids)
    return [
        ContractRecord(
            id=contract.id,
            key=contract.key,
            vendor=vendor_name,
            buyer=buyer_name,
            country=code,
            country_name=country_name,
            title=contract.title,
            procurement_method=contract.procurement_method,
            procurement_method_details=contract.procurement_method_details,
            amount=_amount(contract.amount_minor, contract.currency),
            currency=contract.currency,
            amount_is_estimate=contract.amount_is_estimate,
            date=contract.date_start,
            date_end=contract.date_end,
            places=contract.places,
            status=contract.status,
            ocid=contract.ocid,
            findings=findings.get(contract.id, []),
            sources=sources.get(contract.id, []),
        )
        for contract, vendor_name, buyer_name, code, country_name in rows
    ]


def _amount(minor: int | None, currency: str | None) -> Decimal | None:
    if minor is None or currency is None:
        return None
    return from_minor_units(minor, currency)


def _citations(session: Session, column: Any, ids: Iterable[int]) -> dict[int, list[SourceRef]]:
    found: dict[int, list[SourceRef]] = defaultdict(list)
    id_list = list(ids)
    # Chunks keep the IN list under SQLite's bound-parameter limit on large result sets.
    for chunk in chunked(id_list):
        rows = session.execute(
            select(column, Source.key, Source.title, Citation.quote, Citation.locator)
            .join(Source, Source.id == Citation.source_id)
            .where(column.in_(chunk))
            .order_by(Citation.id)
        ).all()
        for subject, key, title, quote, locator in rows:
            found[subject].append(SourceRef(key, title, quote, locator))
    return found


def _findings(session: Session, contract_ids: list[int]) -> dict[int, list[FindingRecord]]:
    rows = [
        row
        for chunk in chunked(contract_ids)
        for row in session.scalars(
            select(Finding).where(Finding.contract_id.in_(chunk)).order_by(Finding.id)
        )
    ]
    sources = _citations(session, Citation.finding_id, [row.id for row in rows])
    found: dict[int, list[FindingRecord]] = defaultdict(list)
    for row in rows:
        found[row.contract_id].append(
            FindingRecord(
                kind=row.kind,
                description=row.description,
                amount=_amount(row.amount_minor, row.currency),
                currency=row.currency,
                sources=sources.get(row.id, []),
            )
        )
    return found


def list_measures(
    session: Session,
    *,
    country: str | None = None,
    vendor: str | None = None,
    kind: MeasureKind | None = None,
) -> list[MeasureRecord]:
    """Return the measures matching every filter given, oldest first.

    A member state's list includes its unions' measures (an EU investigation concerns
    Poland too), and a union's list includes its members' measures.
    """
    conditions: list[ColumnElement[bool]] = []
    if country is not None:
        codes = resolve_country(session, country).related_codes
        conditions.append(Jurisdiction.code.in_(codes))
    if vendor is not None:
        conditions.append(Measure.vendor_id == resolve_vendor(session, vendor).id)
    if kind is not None:
        conditions.append(Measure.kind == kind.value)
    return _measures(session, conditions)


def _measures(session: Session, conditions: Sequence[ColumnElement[bool]]) -> list[MeasureRecord]:
    rows = session.execute(
        select(Measure, Vendor.name, Jurisdiction.code, Jurisdiction.name)
        .join(Vendor, Vendor.id == Measure.vendor_id)
        .join(Jurisdiction, Jurisdiction.id == Measure.jurisdiction_id)
        .where(and_(True, *conditions))
        .order_by(Measure.date_start.is_(None), Measure.date_start, Measure.id)
    ).all()
    sources = _citations(session, Citation.measure_id, [row[0].id for row in rows])
    return [
        MeasureRecord(
            id=measure.id,
            key=measure.key,
            vendor=vendor_name,
            country=code,
            country_name=country_name,
            authority=measure.authority,
            kind=measure.kind,
            scope=measure.scope,
            legal_basis=measure.legal_basis,
            reason=measure.reason,
            date=measure.date_start,
            date_end=measure.date_end,
            places=measure.places,
            sources=sources.get(measure.id, []),
        )
        for measure, vendor_name, code, country_name in rows
    ]


def list_vendors(session: Session, search: str | None = None) -> list[VendorSummary]:
    """Return vendors whose name or an alias contains `search` (normalized), by name."""
    query = select(Vendor.id, Vendor.name, Jurisdiction.code).outerjoin(
        Jurisdiction, Jurisdiction.id == Vendor.country_id
    )
    if search:
        key = name_key(search)
        alias_match = select(VendorAlias.vendor_id).where(
            VendorAlias.alias_key.contains(key, autoescape=True)
        )
        query = query.where(
            or_(Vendor.name_key.contains(key, autoescape=True), Vendor.id.in_(alias_match))
        )
    rows = session.execute(query.order_by(Vendor.name, Vendor.id)).all()
    ids = [row.id for row in rows]
    aliases = _aliases(session, ids)
    contracts = _counts(session, Contract.vendor_id, ids)
    measures = _counts(session, Measure.vendor_id, ids)
    return [
        VendorSummary(
            id=row.id,
            name=row.name,
            country=row.code,
            aliases=aliases.get(row.id, []),
            contracts=contracts.get(row.id, 0),
            measures=measures.get(row.id, 0),
        )
        for row in rows
    ]


def _aliases(session: Session, vendor_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in chunked(vendor_ids):
        rows = session.execute(
            select(VendorAlias.vendor_id, VendorAlias.alias)
            .where(VendorAlias.vendor_id.in_(chunk))
            .order_by(VendorAlias.alias)
        ).all()
        for vendor_id, alias in rows:
            found[vendor_id].append(alias)
    return found


def _counts(session: Session, column: Any, ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for chunk in chunked(ids):
        rows = session.execute(
            select(column, func.count()).where(column.in_(chunk)).group_by(column)
        ).all()
        found.update({subject: count for subject, count in rows})
    return found


def currency_totals(session: Session, vendor_id: int) -> list[CurrencyTotal]:
    """Return a vendor's contract totals per currency, summed exactly by the database."""
    rows = session.execute(
        select(
            Contract.currency,
            func.count(),
            func.sum(Contract.amount_minor),
            func.sum(case((Contract.amount_is_estimate, 1), else_=0)),
        )
        .where(Contract.vendor_id == vendor_id)
        .group_by(Contract.currency)
        .order_by(Contract.currency.is_(None), Contract.currency)
    ).all()
    return [
        CurrencyTotal(
            currency=currency,
            contracts=count,
            total=_amount(total, currency),
            estimated=int(estimated or 0),
        )
        for currency, count, total, estimated in rows
    ]


def vendor_profile(session: Session, name: str) -> VendorProfile:
    """Return a vendor's aliases, identifiers, contracts with totals, and measures by country."""
    vendor = resolve_vendor(session, name)
    country = session.get(Jurisdiction, vendor.country_id) if vendor.country_id else None
    identifiers = session.scalars(
        select(VendorIdentifier)
        .where(VendorIdentifier.vendor_id == vendor.id)
        .order_by(VendorIdentifier.scheme, VendorIdentifier.identifier)
    ).all()
    by_country: dict[str, list[MeasureRecord]] = defaultdict(list)
    for measure in _measures(session, [Measure.vendor_id == vendor.id]):
        by_country[measure.country].append(measure)
    return VendorProfile(
        id=vendor.id,
        name=vendor.name,
        country=country.code if country else None,
        country_name=country.name if country else None,
        aliases=_aliases(session, [vendor.id]).get(vendor.id, []),
        identifiers=[f"{item.scheme}:{item.identifier}" for item in identifiers],
        totals=currency_totals(session, vendor.id),
        contracts=_contracts(session, [Contract.vendor_id == vendor.id]),
        measures_by_country=dict(sorted(by_country.items())),
        sources=_citations(session, Citation.vendor_id, [vendor.id]).get(vendor.id, []),
    )


def list_jurisdictions(session: Session) -> list[JurisdictionRecord]:
    """Return every jurisdiction with its memberships and record counts, by code."""
    part_of, members = memberships(session)
    contracts: dict[int, int] = dict(
        session.execute(
            select(Contract.jurisdiction_id, func.count()).group_by(Contract.jurisdiction_id)
        ).all()
    )
    measures: dict[int, int] = dict(
        session.execute(
            select(Measure.jurisdiction_id, func.count()).group_by(Measure.jurisdiction_id)
        ).all()
    )
    return [
        JurisdictionRecord(
            code=row.code,
            name=row.name,
            kind=row.kind,
            part_of=part_of.get(row.code, []),
            members=members.get(row.code, []),
            contracts=contracts.get(row.id, 0),
            measures=measures.get(row.id, 0),
        )
        for row in session.scalars(select(Jurisdiction).order_by(Jurisdiction.code))
    ]
