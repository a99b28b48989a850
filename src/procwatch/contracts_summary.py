"""The contracts summary: grouped live from contracts, or read from the table kept up to date.

Grouping a million contracts and sorting 569,449 groups by vendor name took longer than the
naive query in the sqlite3 shell. So the summary is also kept in contracts_summary, in its
output's order. Database triggers list every vendor whose rows a write may change
(migration 0005), and `refresh` rebuilds those vendors' rows before a procwatch write
commits. A reader uses the table only when no vendor is listed, and groups the contracts
itself otherwise, as after a write by another tool: the answer is the same either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Subquery, case, cast, delete, exists, func, insert, select

from procwatch import tables
from procwatch.db import chunked
from procwatch.money import amount_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from procwatch.db import Reader

SUMMARY, STALE = tables.contracts_summary, tables.contracts_summary_stale


def _grouped(vendor_ids: Any = None) -> Subquery:
    contract = tables.contracts.c
    # ix_contracts_vendor_summary holds the group columns in this order, so the database
    # groups the contracts as it reads the index, with no sort, and joins the names after.
    grouped = select(
        contract.vendor_id,
        contract.jurisdiction_id,
        contract.years.label("year"),
        contract.currency,
        func.count().label("contracts"),
        func.sum(contract.amount_minor).label("total_minor"),
        func.sum(case((contract.amount_minor.is_(None), 1), else_=0)).label("unknown_values"),
        func.sum(case((contract.amount_is_estimate, 1), else_=0)).label("estimated_values"),
    ).group_by(contract.vendor_id, contract.jurisdiction_id, contract.years, contract.currency)
    if vendor_ids is not None:
        grouped = grouped.where(contract.vendor_id.in_(vendor_ids))
    return grouped.subquery()


def is_current(session: Reader) -> bool:
    """Return whether contracts_summary holds every vendor's rows as of the last write."""
    return not session.execute(select(exists().select_from(STALE))).scalar_one()


def refresh(session: Session) -> int:
    """Rebuild the rows of the vendors written since the last refresh; return how many."""
    stale = sorted(session.scalars(select(STALE.c.vendor_id).distinct()))
    vendor, jurisdiction = tables.vendors.c, tables.jurisdictions.c
    for chunk in chunked(stale):
        # The marks go first: on PostgreSQL each statement sees what was committed before
        # it, so the rows grouped below include every write whose mark this removes.
        session.execute(delete(STALE).where(STALE.c.vendor_id.in_(chunk)))
        session.execute(delete(SUMMARY).where(SUMMARY.c.vendor_id.in_(chunk)))
        grouped = _grouped(chunk)
        rows = select(
            grouped.c.vendor_id,
            vendor.name,
            grouped.c.jurisdiction_id,
            jurisdiction.code,
            grouped.c.year,
            grouped.c.currency,
            grouped.c.contracts,
            grouped.c.total_minor,
            _total_text(grouped),
            grouped.c.unknown_values,
            grouped.c.estimated_values,
        ).select_from(_named(grouped))
        session.execute(
            insert(SUMMARY).from_select([column.name for column in SUMMARY.columns], rows)
        )
    return len(stale)


def summary_query(session: Reader) -> Any:
    """Return the summary's select: from the table when it is current, else from contracts."""
    return table_query() if is_current(session) else grouped_query()


def table_query() -> Any:
    """Return the summary's select on contracts_summary, read in its index's order."""
    summary = SUMMARY.c
    source = SUMMARY.join(
        tables.jurisdictions, tables.jurisdictions.c.id == summary.jurisdiction_id
    )
    return _ordered(
        source,
        summary,
        summary.vendor_name,
        summary.vendor_id,
        summary.jurisdiction_code,
        summary.total,
    )


def grouped_query() -> Any:
    """Return the summary's select grouping the contracts themselves."""
    grouped = _grouped()
    vendor, jurisdiction = tables.vendors.c, tables.jurisdictions.c
    source = _named(grouped)
    return _ordered(
        source, grouped.c, vendor.name, vendor.id, jurisdiction.code, _total_text(grouped)
    )


def _named(grouped: Subquery) -> Any:
    return grouped.join(tables.vendors, tables.vendors.c.id == grouped.c.vendor_id).join(
        tables.jurisdictions, tables.jurisdictions.c.id == grouped.c.jurisdiction_id
    )


def _total_text(grouped: Subquery) -> Any:
    # PostgreSQL sums a bigint as numeric: back to an integer before formatting.
    return amount_text(cast(grouped.c.total_minor, BigInteger), grouped.c.currency)


def _ordered(
    source: Any, columns: Any, vendor_name: Any, vendor_id: Any, code: Any, total: Any
) -> Any:
    return (
        select(
            vendor_name,
            code,
            tables.jurisdictions.c.name,
            columns.year,
            columns.currency,
            columns.contracts,
            total,
            columns.unknown_values,
            columns.estimated_values,
        )
        .select_from(source)
        # Undated years and unknown currencies last, as PostgreSQL puts NULLs and SQLite
        # doesn't: both backends write the same file.
        .order_by(
            vendor_name,
            vendor_id,
            code,
            columns.year.is_(None),
            columns.year,
            columns.currency.is_(None),
            columns.currency,
        )
    )
