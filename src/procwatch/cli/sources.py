"""procwatch sources: the lists, OCDS publications and documents the database holds."""

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
    Column("Kind", lambda s: s.kind, no_wrap=True),
    Column("Title", lambda s: s.title),
    Column("Publisher", lambda s: s.publisher or ""),
    Column("Date", lambda s: s.date or "", no_wrap=True),
    Column("SHA-256", lambda s: (s.sha256 or "")[:12], no_wrap=True, wide=True),
    # The day only, so the table fits 80 columns; CSV and JSON give the time, in UTC.
    Column("Imported", lambda s: (s.imported_at or "")[:10], no_wrap=True),
    Column("Rows", lambda s: f"{s.rows:,}", justify="right"),
]


def sources(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List the sources answers rest on: lists, OCDS files and documents, with dates and rows.

    A list is a file `import measures` read (its date: the list's own, else the day it was
    imported; rows: its measures); an OCDS source a file `import ocds` read (its date: the
    span of its contracts' dates; rows: its contracts); a document any other source, such as
    the seed's article (rows: the facts citing it). CSV and JSON give the full SHA-256 and
    each list's issuers.
    """
    from procwatch.cli.render import render
    from procwatch.queries.coverage import CoveredSource, coverage

    with open_connection(ctx) as connection:
        records = coverage(connection).sources
    render(
        records,
        COLUMNS,
        fmt,
        output,
        csv_safe=csv_safe,
        title="Sources",
        record_type=CoveredSource,
        limit=limit,
    )
