"""procwatch contracts: list contracts by vendor, country, buyer and years."""

import dataclasses
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from procwatch.cli.options import SinceOption, UntilOption
from procwatch.cli.render import (
    Column,
    CsvSafeOption,
    FormatOption,
    LimitOption,
    OutputFormat,
    OutputOption,
    period_text,
)
from procwatch.cli.session import open_connection
from procwatch.money import readable_amount

VendorOption = Annotated[
    str | None,
    typer.Option("--vendor", "-v", help="Vendor name or alias, e.g. Nuctech."),
]
CountryOption = Annotated[
    str | None,
    typer.Option(
        "--country",
        "-c",
        help="ISO code or name, e.g. GE, BEL, Poland, EU; or an international issuer, "
        "e.g. WBG, 'World Bank'.",
    ),
]

COLUMNS = [
    Column("Date", lambda r: period_text(r.date, r.date_end), no_wrap=True),
    Column("Vendor", lambda r: r.vendor),
    Column("Buyer", lambda r: r.buyer),
    Column("Country", lambda r: r.country, no_wrap=True),
    Column("Title", lambda r: r.title),
    Column(
        "Method", lambda r: _method(r.procurement_method, r.procurement_method_details), wide=True
    ),
    Column(
        "Amount",
        lambda r: readable_amount(r.amount, r.currency, r.amount_is_estimate),
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
    since: SinceOption = None,
    until: UntilOption = None,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List contracts, oldest first, filtered by vendor, country, buyer and years."""
    from procwatch.cli.options import check_range
    from procwatch.cli.render import render
    from procwatch.cli.titles import query_title
    from procwatch.queries.contracts import ContractRecord, iter_contracts

    check_range(since, until)
    with open_connection(ctx) as connection:
        found = iter_contracts(
            connection, vendor=vendor, country=country, buyer=buyer, since=since, until=until
        )
        # A table needs every row (titles, widths); the other formats stream them as read.
        records = list(found) if fmt is OutputFormat.table else []
        title = query_title(
            "Contracts",
            records,
            vendor=vendor,
            country=country,
            buyer=buyer,
            since=since,
            until=until,
        )
        render(
            records if fmt is OutputFormat.table else found,
            columns_for(vendor),
            fmt,
            output,
            csv_safe=csv_safe,
            title=title,
            record_type=ContractRecord,
            limit=limit,
            hide=fixed_columns(records, vendor=vendor, country=country),
        )


def columns_for(vendor: str | None) -> list[Column]:
    """Return the listing's columns: every vendor's contracts leave the buyer to wide
    terminals (and CSV, JSON), so that at 80 columns vendor and title stay readable."""
    return [
        dataclasses.replace(c, wide=True) if c.title == "Buyer" and not vendor else c
        for c in COLUMNS
    ]


def fixed_columns(records: Sequence[Any], *, vendor: str | None, country: str | None) -> set[str]:
    """Return the columns a query fixed: the title states them instead."""
    hide = {"Vendor"} if vendor else set()
    if country and len({record.country for record in records}) == 1:
        hide.add("Country")
    return hide
