"""Jurisdictions with their unions, members and record counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from procwatch import tables
from procwatch.resolve import memberships

if TYPE_CHECKING:
    from sqlalchemy import Connection


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


def list_jurisdictions(connection: Connection) -> list[JurisdictionRecord]:
    """Return every jurisdiction with its memberships and record counts, by code."""
    jurisdiction, contract, measure = tables.jurisdictions.c, tables.contracts.c, tables.measures.c
    part_of, members = memberships(connection)
    contracts: dict[int, int] = dict(
        connection.execute(
            select(contract.jurisdiction_id, func.count()).group_by(contract.jurisdiction_id)
        ).all()
    )
    measures: dict[int, int] = dict(
        connection.execute(
            select(measure.jurisdiction_id, func.count()).group_by(measure.jurisdiction_id)
        ).all()
    )
    rows = connection.execute(
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
