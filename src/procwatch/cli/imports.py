"""procwatch imports: the recorded import runs, newest first."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from procwatch.importers.runs import ImportRun

# The outcomes a run's summary shows, in the import summary's order.
_SHOWN = (Outcome.ADDED, Outcome.UPDATED, Outcome.UNCHANGED, Outcome.REMOVED)

COLUMNS = [
    Column("#", lambda r: r.id, justify="right", no_wrap=True),
    Column("Finished", lambda r: r.finished_at.removesuffix(" UTC"), no_wrap=True),
    Column("Kind", lambda r: f"{r.kind} ({r.preset})" if r.preset else r.kind),
    # The file's name; JSON and CSV give the path as typed and the whole SHA-256.
    Column("File", lambda r: "; ".join(PurePath(p).name for p in r.path.split("; "))),
    Column("SHA-256", lambda r: (r.sha256 or "")[:8], no_wrap=True, wide=True),
    Column("Records", lambda r: _outcomes(r), no_wrap=True),
    Column("Warnings", lambda r: r.warnings, justify="right"),
]


def _outcomes(run: ImportRun) -> str:
    # Totals over every table the import wrote, the outcomes it had only.
    totals = [(outcome, run.total(outcome)) for outcome in _SHOWN]
    return ", ".join(f"{count} {outcome.value}" for outcome, count in totals if count) or "none"


def imports(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List the imports run on this database, newest first: file, SHA-256, when (UTC), counts.

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
