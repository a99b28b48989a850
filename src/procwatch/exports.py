"""CSV exports: summaries aggregated in SQL, full tables streamed; DataFrames for notebooks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from sqlalchemy import (
    BigInteger,
    case,
    cast,
    func,
    literal,
    select,
)

from procwatch import tables
from procwatch.money import amount_text

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Connection

STREAM_BATCH = 10_000


class CsvWriter(Protocol):
    """Write an export's CSV to a handle (spreadsheet-safe if asked); return its rows."""

    def __call__(self, connection: Connection, handle: TextIO, safe: bool = False) -> int: ...


@dataclass(frozen=True)
class Export:
    """A named CSV export and what it holds."""

    name: str
    description: str
    write: CsvWriter


CONTRACTS_SUMMARY_COLUMNS = [
    "vendor",
    "country",
    "country_name",
    "year",
    "currency",
    "contracts",
    "total",
    "unknown_values",
    "estimated_values",
]


def _contracts_summary_query() -> Any:
    contract, vendor, jurisdiction = tables.contracts.c, tables.vendors.c, tables.jurisdictions.c
    # Groups first, names after: ix_contracts_vendor_summary holds the group columns in
    # this order, so the database groups the contracts as it reads the index, without a
    # sort, and joins names to 569,449 groups instead of to a million contracts.
    grouped = (
        select(
            contract.vendor_id,
            contract.jurisdiction_id,
            contract.years,
            contract.currency,
            func.count().label("contracts"),
            func.sum(contract.amount_minor).label("total_minor"),
            func.sum(contract.amount_fraction).label("total_fraction"),
            func.sum(case((contract.amount_minor.is_(None), 1), else_=0)).label("unknown"),
            func.sum(case((contract.amount_is_estimate, 1), else_=0)).label("estimated"),
        )
        .group_by(contract.vendor_id, contract.jurisdiction_id, contract.years, contract.currency)
        .subquery()
    )
    group = grouped.c
    return (
        select(
            vendor.name,
            jurisdiction.code,
            jurisdiction.name,
            group.years,
            group.currency,
            group.contracts,
            # Integer minor units summed exactly; PostgreSQL sums a bigint as numeric, so
            # back to an integer before the database writes it as decimal text.
            amount_text(
                cast(group.total_minor, BigInteger),
                group.currency,
                cast(group.total_fraction, BigInteger),
            ),
            group.unknown,
            group.estimated,
        )
        .join(tables.vendors, vendor.id == group.vendor_id)
        .join(tables.jurisdictions, jurisdiction.id == group.jurisdiction_id)
        # Undated years and unknown currencies last, as PostgreSQL puts NULLs and SQLite
        # doesn't: both backends write the same file.
        .order_by(
            vendor.name,
            vendor.id,
            jurisdiction.code,
            group.years.is_(None),
            group.years,
            group.currency.is_(None),
            group.currency,
        )
    )


def contracts_summary_rows(connection: Connection) -> Iterator[Sequence[Any]]:
    """Yield contracts per vendor, jurisdiction, year and currency, with exact total strings."""
    for rows in _stream(connection, _contracts_summary_query()):
        yield from rows


def contracts_summary(connection: Connection) -> pd.DataFrame:
    """Return contracts per vendor, jurisdiction, year and currency, with exact totals."""
    import pandas as pd

    records = []
    for row in contracts_summary_rows(connection):
        record = dict(zip(CONTRACTS_SUMMARY_COLUMNS, row, strict=True))
        record["year"] = record["year"] or ""
        record["currency"] = record["currency"] or ""
        record["total"] = Decimal(record["total"]) if record["total"] else None
        records.append(record)
    return pd.DataFrame.from_records(records, columns=CONTRACTS_SUMMARY_COLUMNS)


def write_contracts_summary(connection: Connection, handle: TextIO, safe: bool = False) -> int:
    """Stream the contracts summary as CSV; return the number of rows."""
    return _write_csv(
        connection, CONTRACTS_SUMMARY_COLUMNS, _contracts_summary_query(), handle, safe=safe
    )


MEASURES_SUMMARY_COLUMNS = [
    "country",
    "country_name",
    "kind",
    "measures",
    "vendors",
    "first_date",
    "last_date",
]


def _measures_summary_query() -> Any:
    measure, jurisdiction = tables.measures.c, tables.jurisdictions.c
    grouped = (
        select(
            measure.jurisdiction_id,
            measure.kind,
            func.count().label("measures"),
            func.count(measure.vendor_id.distinct()).label("vendors"),
            func.min(measure.date_start).label("first"),
            func.max(func.coalesce(measure.date_end, measure.date_start)).label("last"),
        )
        .group_by(measure.jurisdiction_id, measure.kind)
        .subquery()
    )
    return (
        select(
            jurisdiction.code,
            jurisdiction.name,
            grouped.c.kind,
            grouped.c.measures,
            grouped.c.vendors,
            grouped.c.first,
            grouped.c.last,
        )
        .join(tables.jurisdictions, jurisdiction.id == grouped.c.jurisdiction_id)
        .order_by(jurisdiction.code, grouped.c.kind)
    )


def measures_summary_rows(connection: Connection) -> Iterator[Sequence[Any]]:
    """Yield measures per jurisdiction and kind: how many, against how many vendors, when."""
    for rows in _stream(connection, _measures_summary_query()):
        yield from rows


def measures_summary(connection: Connection) -> pd.DataFrame:
    """Return measures per jurisdiction and kind: how many, against how many vendors, when."""
    import pandas as pd

    return pd.DataFrame.from_records(
        [tuple(row) for row in measures_summary_rows(connection)], columns=MEASURES_SUMMARY_COLUMNS
    )


def write_measures_summary(connection: Connection, handle: TextIO, safe: bool = False) -> int:
    """Stream the measures summary as CSV; return the number of rows."""
    return _write_csv(
        connection, MEASURES_SUMMARY_COLUMNS, _measures_summary_query(), handle, safe=safe
    )


def _write_csv(
    connection: Connection,
    columns: list[str],
    query: Any,
    handle: TextIO,
    *,
    lookups: Mapping[str, Mapping[Any, Any]] | None = None,
    safe: bool = False,
) -> int:
    """Write `columns` as a header and the query's rows, `lookups` naming the columns they fill."""
    from procwatch.csvexport import write_csv
    from procwatch.csvtext import csv_line

    handle.write(csv_line(columns))
    # Rows are written as tuples, fastest: a lookup's column name gives its position.
    selected = list(query.selected_columns.keys())
    positions = {selected.index(name): values for name, values in (lookups or {}).items()}
    return write_csv(connection, query, handle, lookups=positions, safe=safe)


CONTRACT_COLUMNS = [
    "id",
    "key",
    "vendor",
    "buyer",
    "country",
    "title",
    "procurement_method",
    "procurement_method_details",
    "amount",
    "currency",
    "amount_is_estimate",
    "date",
    "date_end",
    "places",
    "status",
    "ocid",
]

MEASURE_COLUMNS = [
    "id",
    "key",
    "vendor",
    "country",
    "authority",
    "kind",
    "scope",
    "legal_basis",
    "reason",
    "date",
    "date_end",
    "places",
    # Added with international issuers: the issuer's kind, whose decision a
    # cross-debarment enforces, and when the list published the measure.
    "issuer_kind",
    "origin",
    "listed_on",
]


def _stream(connection: Connection, query: Any) -> Iterator[Sequence[Any]]:
    from procwatch.store import stream_rows

    return stream_rows(connection, query, batch_size=STREAM_BATCH)


def write_contracts(connection: Connection, handle: TextIO, safe: bool = False) -> int:
    """Stream every contract, names resolved, as CSV; return the number of rows."""
    from procwatch.csvexport import writes_csv_itself

    if writes_csv_itself(connection):
        query = _contracts_query(names=True)
        return _write_csv(connection, CONTRACT_COLUMNS, query, handle, safe=safe)
    # Rows fetched into Python: looking up vendor, buyer and country names here, from dicts
    # read in the same transaction, took 13.0 s on a million contracts against 16.4 s for
    # SQLite's three joins per contract.
    vendor, buyer, jurisdiction = tables.vendors.c, tables.buyers.c, tables.jurisdictions.c
    vendors = {id_: name for id_, name in connection.execute(select(vendor.id, vendor.name))}
    buyers: dict[int | None, str | None] = {None: None}
    buyers.update({id_: name for id_, name in connection.execute(select(buyer.id, buyer.name))})
    codes = {
        id_: code for id_, code in connection.execute(select(jurisdiction.id, jurisdiction.code))
    }
    query = _contracts_query(names=False)
    lookups = {"vendor": vendors, "buyer": buyers, "country": codes}
    return _write_csv(connection, CONTRACT_COLUMNS, query, handle, lookups=lookups, safe=safe)


def _contracts_query(*, names: bool) -> Any:
    contract, vendor, jurisdiction = tables.contracts.c, tables.vendors.c, tables.jurisdictions.c
    buyer = tables.buyers.c
    parties = (
        (vendor.name, buyer.name, jurisdiction.code)
        if names
        else (contract.vendor_id, contract.buyer_id, contract.jurisdiction_id)
    )
    # Each column labelled with its CONTRACT_COLUMNS name, which lookups refer to.
    query = select(
        contract.id,
        contract.key,
        *(
            party.label(name)
            for party, name in zip(parties, ("vendor", "buyer", "country"), strict=True)
        ),
        contract.title,
        contract.procurement_method,
        contract.procurement_method_details,
        amount_text(contract.amount_minor, contract.currency, contract.amount_fraction).label(
            "amount"
        ),
        contract.currency,
        case((contract.amount_is_estimate, literal("yes")), else_=literal("no")).label(
            "amount_is_estimate"
        ),
        contract.date_start.label("date"),
        contract.date_end,
        contract.places,
        contract.status,
        contract.ocid,
    ).select_from(tables.contracts)
    if names:
        query = (
            query.join(tables.vendors, vendor.id == contract.vendor_id)
            .join(tables.jurisdictions, jurisdiction.id == contract.jurisdiction_id)
            .outerjoin(tables.buyers, buyer.id == contract.buyer_id)
        )
    return query.order_by(contract.id)


def write_measures(connection: Connection, handle: TextIO, safe: bool = False) -> int:
    """Stream every measure, names resolved, as CSV; return the number of rows."""
    measure, vendor, jurisdiction = tables.measures.c, tables.vendors.c, tables.jurisdictions.c
    origin = tables.jurisdictions.alias("origin")
    query = (
        select(
            measure.id,
            measure.key,
            vendor.name,
            jurisdiction.code,
            measure.authority,
            measure.kind,
            measure.scope,
            measure.legal_basis,
            measure.reason,
            measure.date_start,
            measure.date_end,
            measure.places,
            jurisdiction.kind,
            origin.c.code,
            measure.listed_on,
        )
        .join(tables.vendors, vendor.id == measure.vendor_id)
        .join(tables.jurisdictions, jurisdiction.id == measure.jurisdiction_id)
        .outerjoin(origin, origin.c.id == measure.origin_id)
        .order_by(measure.id)
    )
    return _write_csv(connection, MEASURE_COLUMNS, query, handle, safe=safe)


EXPORTS: dict[str, Export] = {
    export.name: export
    for export in (
        Export(
            "contracts-summary",
            "contracts per vendor, country, year and currency: count, exact total, "
            "unknown and estimated values",
            write_contracts_summary,
        ),
        Export(
            "measures-summary",
            "measures per country and kind: count, vendors, first and last date",
            write_measures_summary,
        ),
        Export("contracts", "every contract with vendor, buyer and country", write_contracts),
        Export("measures", "every measure with vendor and country", write_measures),
    )
}
