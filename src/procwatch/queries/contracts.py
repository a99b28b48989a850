"""Contracts with their findings, vendor, buyer and country names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, or_, select

from procwatch import tables
from procwatch.dates import PartialDate
from procwatch.errors import InvalidValueError
from procwatch.money import exact_amount
from procwatch.queries.citations import SourceRef, citations
from procwatch.resolve import name_key, resolve_country, resolve_vendor
from procwatch.store import chunked

if TYPE_CHECKING:
    from sqlalchemy import Connection


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


def list_contracts(
    connection: Connection,
    *,
    vendor: str | None = None,
    country: str | None = None,
    buyer: str | None = None,
    since: str | int | None = None,
    until: str | int | None = None,
    where: Sequence[ColumnElement[bool]] = (),
) -> list[ContractRecord]:
    """Return the contracts matching every filter given (and `where`), oldest first.

    `since` and `until` are a year, a month or a day: a contract counts from `since` if any
    part of it may reach that date, until `until` if it may have started by then.
    """
    return list(
        iter_contracts(
            connection,
            vendor=vendor,
            country=country,
            buyer=buyer,
            since=since,
            until=until,
            where=where,
        )
    )


def iter_contracts(
    connection: Connection,
    *,
    vendor: str | None = None,
    country: str | None = None,
    buyer: str | None = None,
    since: str | int | None = None,
    until: str | int | None = None,
    where: Sequence[ColumnElement[bool]] = (),
) -> Iterator[ContractRecord]:
    """Return list_contracts' contracts as an iterator that holds a batch at a time.

    The filters are checked (and a bad one raises) before the first contract is read; the
    iterator reads the rows as it goes, so `connection` must stay open until it is spent.
    """
    first = PartialDate.parse(str(since)) if since is not None else None
    last = PartialDate.parse(str(until)) if until is not None else None
    if first and last and first.earliest() > last.latest():
        raise InvalidValueError(f"`since` {since} is after `until` {until}")
    contract = tables.contracts.c
    conditions: list[ColumnElement[bool]] = list(where)
    if vendor is not None:
        conditions.append(contract.vendor_id == resolve_vendor(connection, vendor).id)
    if country is not None:
        codes = resolve_country(connection, country).related_codes
        conditions.append(tables.jurisdictions.c.code.in_(codes))
    if buyer is not None:
        # A subquery, so the planner matches names in buyers and then follows buyer_id's
        # index; as a condition on the joined table it read every contract.
        buyer_name = tables.buyers.c.name_key.contains(name_key(buyer), autoescape=True)
        conditions.append(contract.buyer_id.in_(select(tables.buyers.c.id).where(buyer_name)))
    if first is not None:
        # A contract counts from a year if any part of it (a range's end) reaches that year.
        # Two indexed comparisons rather than coalesce(), which no index can serve; a month
        # or a day is then checked on the rows of its year (below).
        year = f"{first.year:04d}"
        conditions.append(or_(contract.date_start >= year, contract.date_end >= year))
    if last is not None:
        # Before the next year, month or day after `until`, at its own precision.
        after = (last.latest() + timedelta(days=1)).isoformat()
        conditions.append(contract.date_start < after[: len(str(last))])
    found = iter_contracts_where(connection, conditions)
    if first is not None and first.month is not None:
        day = first.earliest()
        found = (c for c in found if _reaches(c, day))
    return found


def _reaches(contract: ContractRecord, day: date) -> bool:
    # Undated contracts never pass a --since (as in SQL, where NULL compares false).
    last = contract.date_end or contract.date
    return last is not None and PartialDate.parse(last).latest() >= day


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
            contract.amount_fraction,
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


# Contracts read per batch when streamed: their citations and findings are read per batch too.
STREAM_BATCH = 5_000


def contracts_where(
    connection: Connection, conditions: Sequence[ColumnElement[bool]]
) -> list[ContractRecord]:
    """Return the contracts meeting every condition, oldest first."""
    return list(iter_contracts_where(connection, conditions))


def iter_contracts_where(
    connection: Connection, conditions: Sequence[ColumnElement[bool]]
) -> Iterator[ContractRecord]:
    """Yield the contracts meeting every condition, oldest first, a batch at a time.

    `contracts -f json` on 200,000 contracts held them all, and took 541 MB: a server-side
    cursor (PostgreSQL; SQLite steps through its result) keeps one batch in memory.
    """
    contract = tables.contracts.c
    statement = (
        _contract_select()
        .where(and_(True, *conditions))
        .order_by(contract.date_start.is_(None), contract.date_start, contract.id)
        .execution_options(yield_per=STREAM_BATCH)
    )
    for rows in connection.execute(statement).partitions():
        yield from _records(connection, rows)


def _records(connection: Connection, rows: Sequence[Any]) -> list[ContractRecord]:
    ids = [row.id for row in rows]
    sources = citations(connection, tables.citations.c.contract_id, ids)
    findings = _findings(connection, ids)
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
            amount=exact_amount(row.amount_minor, row.currency, row.amount_fraction),
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


def _findings(connection: Connection, contract_ids: list[int]) -> dict[int, list[FindingRecord]]:
    finding = tables.findings.c
    rows = [
        row
        for chunk in chunked(contract_ids)
        for row in connection.execute(
            select(tables.findings).where(finding.contract_id.in_(chunk)).order_by(finding.id)
        )
    ]
    sources = citations(connection, tables.citations.c.finding_id, [row.id for row in rows])
    found: dict[int, list[FindingRecord]] = defaultdict(list)
    for row in rows:
        found[row.contract_id].append(
            FindingRecord(
                kind=row.kind,
                description=row.description,
                amount=exact_amount(row.amount_minor, row.currency),
                currency=row.currency,
                sources=sources.get(row.id, []),
            )
        )
    return found
