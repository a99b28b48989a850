"""procwatch imports: the recorded import runs, newest first."""

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
from procwatch.domain import Outcome

# The outcomes a run's summary shows, in the import summary's order.
_SHOWN = (Outcome.ADDED, Outcome.UPDATED, Outcome.UNCHANGED, Outcome.REMOVED)

COLUMNS = [
    Column("Import", lambda r: r.id, justify="right"),
    Column("Finished", lambda r: r.finished_at),
    Column("Kind", lambda r: r.kind),
    Column("Preset", lambda r: r.preset or ""),
    Column("File", lambda r: r.path),
    Column("SHA-256", lambda r: (r.sha256 or "")[:12]),
    *(
        Column(outcome.value.capitalize(), lambda r, o=outcome: r.total(o), justify="right")
        for outcome in _SHOWN
    ),
    Column("Warnings", lambda r: r.warnings, justify="right"),
]


def imports(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List the imports run on this database, newest first: file, SHA-256, when, counts.

    Counts are totals over the tables an import wrote; JSON gives them per table, and the
    full SHA-256.
    """
    from procwatch.cli.render import render
    from procwatch.importers.runs import ImportRun, list_runs

    with open_connection(ctx) as connection:
        records = list_runs(connection)
    render(
        records,
        COLUMNS,
        fmt,
        output,
        csv_safe=csv_safe,
        title="Imports",
        record_type=ImportRun,
        limit=limit,
    )
