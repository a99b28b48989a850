"""procwatch jurisdictions: the countries and unions the database knows."""

import typer

from procwatch.cli.render import (
    Column,
    CsvSafeOption,
    FormatOption,
    LimitOption,
    OutputFormat,
    OutputOption,
)
from procwatch.cli.session import open_connection

COLUMNS = [
    Column("Code", lambda r: r.code),
    Column("Name", lambda r: r.name),
    Column("Kind", lambda r: r.kind),
    Column("Part of", lambda r: ", ".join(r.part_of)),
    Column("Members", lambda r: len(r.members) or ""),
    Column("Contracts", lambda r: r.contracts, justify="right"),
    Column("Measures", lambda r: r.measures, justify="right"),
]


def jurisdictions(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List jurisdictions with their unions, members and record counts."""
    from procwatch.cli.render import render
    from procwatch.queries.jurisdictions import JurisdictionRecord, list_jurisdictions

    with open_connection(ctx) as connection:
        records = list_jurisdictions(connection)
    render(
        records,
        COLUMNS,
        fmt,
        output,
        csv_safe=csv_safe,
        title="Jurisdictions",
        record_type=JurisdictionRecord,
        limit=limit,
    )
