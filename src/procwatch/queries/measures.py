"""Bans, restrictions and investigations with vendor and country names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, select

from procwatch import tables
from procwatch.domain import MeasureKind
from procwatch.queries.citations import SourceRef, citations
from procwatch.resolve import resolve_country, resolve_vendor

if TYPE_CHECKING:
    from sqlalchemy import Connection


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


def list_measures(
    connection: Connection,
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
        codes = resolve_country(connection, country).related_codes
        conditions.append(tables.jurisdictions.c.code.in_(codes))
    if vendor is not None:
        conditions.append(measure.vendor_id == resolve_vendor(connection, vendor).id)
    if kind is not None:
        conditions.append(measure.kind == kind.value)
    return measures_where(connection, conditions)


def measures_where(
    connection: Connection, conditions: Sequence[ColumnElement[bool]]
) -> list[MeasureRecord]:
    """Return the measures meeting every condition, oldest first."""
    measure, vendor, jurisdiction = tables.measures.c, tables.vendors.c, tables.jurisdictions.c
    rows = connection.execute(
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
    sources = citations(connection, tables.citations.c.measure_id, [row.id for row in rows])
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
