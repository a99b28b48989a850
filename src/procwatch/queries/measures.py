"""Bans, restrictions and investigations with vendor and country names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, or_, select

from procwatch import tables
from procwatch.domain import JurisdictionKind, MeasureKind
from procwatch.queries.citations import SourceRef, citations
from procwatch.resolve import resolve_country, resolve_vendor

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class IssuerRef:
    """Who decided a measure: a country, a union or an international organisation."""

    code: str
    name: str
    kind: str

    @property
    def is_international(self) -> bool:
        """Return whether the issuer is an international organisation (a bank, the UN)."""
        return self.kind == JurisdictionKind.INTERNATIONAL

    @property
    def titled(self) -> str:
        """Return the issuer's name as a sentence says it: "the World Bank Group", "Lithuania"."""
        return f"the {self.name}" if self.is_international else self.name


@dataclass(frozen=True)
class MeasureRecord:
    """A ban, restriction or investigation with vendor and country names resolved."""

    id: int
    key: str
    vendor: str
    # The issuer's code and name (country, country_name: the names the outputs always had).
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
    issuer: IssuerRef
    # Whose decision this measure enforces (a cross-debarment), None for the issuer's own.
    origin: IssuerRef | None
    # When the list published it, where it says so.
    listed_on: str | None


def list_measures(
    connection: Connection,
    *,
    country: str | None = None,
    vendor: str | None = None,
    kind: MeasureKind | None = None,
) -> list[MeasureRecord]:
    """Return the measures matching every filter given, oldest first.

    A member state's list includes its unions' measures (an EU investigation concerns
    Poland too), and a union's list includes its members' measures. An international
    issuer's list holds its own decisions, and the other issuers' enforcements of them.
    """
    measure = tables.measures.c
    conditions: list[ColumnElement[bool]] = []
    if country is not None:
        issuer = resolve_country(connection, country)
        if issuer.kind is JurisdictionKind.INTERNATIONAL:
            # The banks enforce each other's debarments: their own lists are theirs alone.
            codes: tuple[str, ...] = (issuer.code,)
        else:
            codes = issuer.related_codes
        origins = select(tables.jurisdictions.c.id).where(tables.jurisdictions.c.code.in_(codes))
        conditions.append(
            or_(tables.jurisdictions.c.code.in_(codes), measure.origin_id.in_(origins))
        )
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
    origin = tables.jurisdictions.alias("origin")
    rows = connection.execute(
        select(
            tables.measures,
            vendor.name.label("vendor"),
            jurisdiction.code.label("country"),
            jurisdiction.name.label("country_name"),
            jurisdiction.kind.label("issuer_kind"),
            origin.c.code.label("origin_code"),
            origin.c.name.label("origin_name"),
            origin.c.kind.label("origin_kind"),
        )
        .join(tables.vendors, vendor.id == measure.vendor_id)
        .join(tables.jurisdictions, jurisdiction.id == measure.jurisdiction_id)
        .outerjoin(origin, origin.c.id == measure.origin_id)
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
            issuer=IssuerRef(row.country, row.country_name, row.issuer_kind),
            origin=None
            if row.origin_code is None
            else IssuerRef(row.origin_code, row.origin_name, row.origin_kind),
            listed_on=row.listed_on,
        )
        for row in rows
    ]
