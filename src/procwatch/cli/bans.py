"""procwatch bans: list bans, restrictions and investigations."""

import enum
from typing import Annotated

import typer

from procwatch.cli.contracts import CountryOption, VendorOption
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


class Kind(enum.StrEnum):
    """The kinds of measure, as the --kind option spells them."""

    ban = "ban"
    restriction = "restriction"
    investigation = "investigation"


KIND_TITLES = {
    Kind.ban: "Bans",
    Kind.restriction: "Restrictions",
    Kind.investigation: "Investigations",
}
COLUMNS = [
    Column("Date", lambda r: period_text(r.date, r.date_end), no_wrap=True),
    Column("Country", lambda r: r.country, no_wrap=True),
    Column("Kind", lambda r: r.kind, no_wrap=True),
    Column("Vendor", lambda r: r.vendor),
    Column("Authority", lambda r: r.authority, wide=True),
    Column("Scope", lambda r: r.scope),
    Column("Reason", lambda r: r.reason),
]


def bans(
    ctx: typer.Context,
    country: CountryOption = None,
    vendor: VendorOption = None,
    kind: Annotated[
        Kind | None,
        typer.Option("--kind", "-k", help="Only this kind of measure.", case_sensitive=False),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List bans, restrictions and investigations (all kinds unless --kind is given).

    A member state's list includes measures of the unions it belongs to (the EU), and a
    union's list includes its member states' measures.
    """
    from procwatch.cli.render import render
    from procwatch.cli.titles import query_title
    from procwatch.domain import MeasureKind
    from procwatch.queries.measures import MeasureRecord, list_measures

    with open_connection(ctx) as connection:
        records = list_measures(
            connection,
            country=country,
            vendor=vendor,
            kind=MeasureKind(kind.value) if kind else None,
        )
    title = query_title(
        KIND_TITLES[kind] if kind else "Measures",
        records,
        vendor=vendor,
        country=country,
        of="against",
    )
    render(
        records,
        COLUMNS,
        fmt,
        output,
        csv_safe=csv_safe,
        title=title,
        record_type=MeasureRecord,
        limit=limit,
        hide={"Vendor"} if vendor else set(),
    )
