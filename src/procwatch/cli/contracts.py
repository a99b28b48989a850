"""procwatch contracts: list contracts by vendor, country, buyer and years."""

from typing import Annotated

import typer

from procwatch.cli.render import (
    Column,
    FormatOption,
    LimitOption,
    OutputFormat,
    OutputOption,
    amount_text,
    period_text,
)
from procwatch.cli.session import open_connection

VendorOption = Annotated[
    str | None,
    typer.Option("--vendor", "-v", help="Vendor name or alias, e.g. Nuctech."),
]
CountryOption = Annotated[
    str | None,
    typer.Option("--country", "-c", help="ISO code or English name, e.g. GE, BEL, Poland, EU."),
]

COLUMNS = [
    Column("Date", lambda r: period_text(r.date, r.date_end), no_wrap=True),
    Column("Vendor", lambda r: r.vendor, collapse=True),
    Column("Buyer", lambda r: r.buyer, collapse=True),
    Column("Country", lambda r: r.country, collapse=True, no_wrap=True),
    Column("Title", lambda r: r.title),
    Column("Method", lambda r: _method(r.procurement_method, r.procurement_method_details)),
    Column(
        "Amount",
        lambda r: amount_text(r.amount, r.currency, r.amount_is_estimate),
        justify="right",
        no_wrap=True,
    ),
]


def _method(method: str | None, details: str | None) -> str:
    if method and details:
        return f"{method} ({details})"
    return method or details or ""


def contracts(
    ctx: typer.Context,
    vendor: VendorOption = None,
    country: CountryOption = None,
    buyer: Annotated[
        str | None,
        typer.Option("--buyer", "-b", help="Text in the buyer's name, e.g. 'Revenue Service'."),
    ] = None,
    since: Annotated[
        int | None,
        typer.Option("--since", help="Only contracts running in or after this year."),
    ] = None,
    until: Annotated[
        int | None,
        typer.Option("--until", help="Only contracts starting in or before this year."),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List contracts, oldest first, filtered by vendor, country, buyer and years."""
    from procwatch.cli.render import render
    from procwatch.queries.contracts import ContractRecord, list_contracts

    with open_connection(ctx) as connection:
        records = list_contracts(
            connection, vendor=vendor, country=country, buyer=buyer, since=since, until=until
        )
    render(
        records, COLUMNS, fmt, output, title="Contracts", record_type=ContractRecord, limit=limit
    )
