"""Read functions: each takes a Session and returns plain dataclasses, never ORM objects.

They select from the Core tables of tables.py, not the ORM classes of models.py: a read
command then neither imports the classes nor configures their mappers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from procwatch import tables
from procwatch.db import chunked
from procwatch.errors import InvalidInputError
from procwatch.money import from_minor_units
from procwatch.resolve import memberships, name_key, resolve_country, resolve_vendor
from procwatch.tables import MeasureKind


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
    contract = tables.contracts.c
    conditions: list[ColumnElement[bool]] = list(where)
    if vendor is not None:
        conditions.append(contract.vendor_id == resolve_vendor(session, vendor).id)
    if country is not None:
        codes = resolve_country(session, country).related_codes
        conditions.append(tables.jurisdictions.c.code.in_(codes))
    if buyer is not None:
        # A subquery, so the planner matches names in buyers and then follows buyer_id's
        # index; as a condition on the joined table it read every contract.
        buyer_name = tables.buyers.c.name_key.contains(name_key(buyer), autoescape=True)
        conditions.append(contract.buyer_id.in_(select(tables.buyers.c.id).where(buyer_name)))
    if since is not None:
        # A contract counts from a year if any part of it (a range's end) reaches that year.
        # Two indexed comparisons rather than coalesce(), which no index can serve.
        year = f"{since:04d}"
        conditions.append(or_(contract.date_start >= year, contract.date_end >= year))
    if until is not None:
        conditions.append(contract.date_start < f"{until + 1:04d}")
    return _contracts(session, conditions)


def _contract_select() -> Select[Any]:
    contract, vendor, buyer = tables.contracts.c, tables.vendors.c, tables.buyers.c
    jurisdiction = tables.jurisdictions.c
    return (
        select(
            contract.id,
            contract.key,
            vendor.name.label("vendor"),
            buyer.name.label("buyer"),
            jurisdiction.code.label("country"),
            jurisdiction.name.label("country_name"),
            contract.title,
            contract.procurement_method,
            contract.procurement_method_details,
            contract.amount_minor,
            contract.currency,
            contract.amount_is_estimate,
            contract.date_start,
            contract.date_end,
            contract.places,
            contract.status,
            contract.ocid,
        )
        .select_from(tables.contracts)
        .join(tables.vendors, vendor.id == contract.vendor_id)
        .join(tables.jurisdictions, jurisdiction.id == contract.jurisdiction_id)
        .outerjoin(tables.buyers, buyer.id == contract.buyer_id)
    )


def _contracts(session: Session, conditions: Sequence[ColumnElement[bool]]) -> list[ContractRecord]:
    contract = tables.contracts.c
    rows = session.execute(
        _contract_select()
        .where(and_(True, *conditions))
        .order_by(contract.date_start.is_(None), contract.date_start, contract.id)
    ).all()
    ids = [row.id for row in rows]
    sources = _citations(session, tables.citations.c.contract_id, ids)
    findings = _findings(session, ids)
    return [
        ContractRecord(
            id=row.id,
            key=row.key,
            vendor=row.vendor,
            buyer=row.buyer,
            country=row.country,
            country_name=row.country_name,
            title=row.title,
            procurement_method=row.procurement_method,
            procurement_method_details=row.procurement_method_details,
            amount=_amount(row.amount_minor, row.currency),
            currency=row.currency,
            amount_is_estimate=row.amount_is_estimate,
            date=row.date_start,
            date_end=row.date_end,
            places=row.places,
            status=row.status,
            ocid=row.ocid,
            findings=findings.get(row.id, []),
            sources=sources.get(row.id, []),
        )
        for row in rows
    ]


def _amount(minor: int | None, currency: str | None) -> Decimal | None:
    if minor is None or currency is None:
        return None
    return from_minor_units(minor, currency)


def _citations(session: Session, column: Any, ids: Iterable[int]) -> dict[int, list[SourceRef]]:
    citation, source = tables.citations.c, tables.sources.c
    found: dict[int, list[SourceRef]] = defaultdict(list)
    id_list = list(ids)
    # Chunks keep the IN list under SQLite's bound-parameter limit on large result sets.
    for chunk in chunked(id_list):
        rows = session.execute(
            select(column, source.key, source.title, citation.quote, citation.locator)
            .join(tables.sources, source.id == citation.source_id)
            .where(column.in_(chunk))
            .order_by(citation.id)
        ).all()
        for subject, key, title, quote, locator in rows:
            found[subject].append(SourceRef(key, title, quote, locator))
    return found


def _findings(session: Session, contract_ids: list[int]) -> dict[int, list[FindingRecord]]:
    finding = tables.findings.c
    rows = [
        row
        for chunk in chunked(contract_ids)
        for row in session.execute(
            select(tables.findings).where(finding.contract_id.in_(chunk)).order_by(finding.id)
        )
    ]
    sources = _citations(session, tables.citations.c.finding_id, [row.id for row in rows])
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
    measure = tables.measures.c
    conditions: list[ColumnElement[bool]] = []
    if country is not None:
        codes = resolve_country(session, country).related_codes
        conditions.append(tables.jurisdictions.c.code.in_(codes))
    if vendor is not None:
        conditions.append(measure.vendor_id == resolve_vendor(session, vendor).id)
    if kind is not None:
        conditions.append(measure.kind == kind.value)
    return _measures(session, conditions)


def _measures(session: Session, conditions: Sequence[ColumnElement[bool]]) -> list[MeasureRecord]:
    measure, vendor, jurisdiction = tables.measures.c, tables.vendors.c, tables.jurisdictions.c
    rows = session.execute(
        select(
            tables.measures,
            vendor.name.label("vendor"),
            jurisdiction.code.label("country"),
            jurisdiction.name.label("country_name"),
        )
        .join(tables.vendors, vendor.id == measure.vendor_id)
        .join(tables.jurisdictions, jurisdiction.id == measure.jurisdiction_id)
        .where(and_(True, *conditions))
        .order_by(measure.date_start.is_(None), measure.date_start, measure.id)
    ).all()
    sources = _citations(session, tables.citations.c.measure_id, [row.id for row in rows])
    return [
        MeasureRecord(
            id=row.id,
            key=row.key,
            vendor=row.vendor,
            country=row.country,
            country_name=row.country_name,
            authority=row.authority,
            kind=row.kind,
            scope=row.scope,
            legal_basis=row.legal_basis,
            reason=row.reason,
            date=row.date_start,
            date_end=row.date_end,
            places=row.places,
            sources=sources.get(row.id, []),
        )
        for row in rows
    ]


def list_vendors(session: Session, search: str | None = None) -> list[VendorSummary]:
    """Return vendors whose name or an alias contains `search` (normalized), by name."""
    vendor, jurisdiction = tables.vendors.c, tables.jurisdictions.c
    query = select(vendor.id, vendor.name, jurisdiction.code).outerjoin(
        tables.jurisdictions, jurisdiction.id == vendor.country_id
    )
    if search:
        key = name_key(search)
        alias = tables.vendor_aliases.c
        alias_match = select(alias.vendor_id).where(alias.alias_key.contains(key, autoescape=True))
        query = query.where(
            or_(vendor.name_key.contains(key, autoescape=True), vendor.id.in_(alias_match))
        )
    rows = session.execute(query.order_by(vendor.name, vendor.id)).all()
    ids = [row.id for row in rows]
    aliases = _aliases(session, ids)
    contracts = _counts(session, tables.contracts.c.vendor_id, ids)
    measures = _counts(session, tables.measures.c.vendor_id, ids)
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
    alias = tables.vendor_aliases.c
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in chunked(vendor_ids):
        rows = session.execute(
            select(alias.vendor_id, alias.alias)
            .where(alias.vendor_id.in_(chunk))
            .order_by(alias.alias)
        ).all()
        for vendor_id, name in rows:
            found[vendor_id].append(name)
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
    contract = tables.contracts.c
    rows = session.execute(
        select(
            contract.currency,
            func.count(),
            func.sum(contract.amount_minor),
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
            total=_amount(total, currency),
            estimated=int(estimated or 0),
        )
        for currency, count, total, estimated in rows
    ]


def vendor_profile(session: Session, name: str) -> VendorProfile:
    """Return a vendor's aliases, identifiers, contracts with totals, and measures by country."""
    vendor = resolve_vendor(session, name)
    jurisdiction, identifier = tables.jurisdictions.c, tables.vendor_identifiers.c
    country = (
        session.execute(
            select(jurisdiction.code, jurisdiction.name).where(jurisdiction.id == vendor.country_id)
        ).first()
        if vendor.country_id
        else None
    )
    identifiers = session.execute(
        select(identifier.scheme, identifier.identifier)
        .where(identifier.vendor_id == vendor.id)
        .order_by(identifier.scheme, identifier.identifier)
    ).all()
    by_country: dict[str, list[MeasureRecord]] = defaultdict(list)
    for measure in _measures(session, [tables.measures.c.vendor_id == vendor.id]):
        by_country[measure.country].append(measure)
    return VendorProfile(
        id=vendor.id,
        name=vendor.name,
        country=country.code if country else None,
        country_name=country.name if country else None,
        aliases=_aliases(session, [vendor.id]).get(vendor.id, []),
        identifiers=[f"{scheme}:{value}" for scheme, value in identifiers],
        totals=currency_totals(session, vendor.id),
        contracts=_contracts(session, [tables.contracts.c.vendor_id == vendor.id]),
        measures_by_country=dict(sorted(by_country.items())),
        sources=_citations(session, tables.citations.c.vendor_id, [vendor.id]).get(vendor.id, []),
    )


def list_jurisdictions(session: Session) -> list[JurisdictionRecord]:
    """Return every jurisdiction with its memberships and record counts, by code."""
    jurisdiction, contract, measure = tables.jurisdictions.c, tables.contracts.c, tables.measures.c
    part_of, members = memberships(session)
    contracts: dict[int, int] = dict(
        session.execute(
            select(contract.jurisdiction_id, func.count()).group_by(contract.jurisdiction_id)
        ).all()
    )
    measures: dict[int, int] = dict(
        session.execute(
            select(measure.jurisdiction_id, func.count()).group_by(measure.jurisdiction_id)
        ).all()
    )
    rows = session.execute(
        select(jurisdiction.id, jurisdiction.code, jurisdiction.name, jurisdiction.kind).order_by(
            jurisdiction.code
        )
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
        for row in rows
    ]
