"""procwatch changes: what imports of lists changed, watched vendors first."""

from __future__ import annotations

from typing import Annotated

import typer

from procwatch.cli.options import SinceOption
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
    Column("#", lambda r: r.run_id, justify="right", no_wrap=True),
    Column("Vendor", lambda r: ("★ " if r.watched else "") + (r.vendor or r.vendor_key)),
    Column("Contract", lambda r: r.contract or ""),
    Column("Change", lambda r: f"{r.flag or 'level'}: {r.before} → {r.after}"),
]


def changes(
    ctx: typer.Context,
    since: SinceOption = None,
    run_id: Annotated[
        int | None,
        typer.Option("--import", help="The changes of this import (procwatch imports lists them)."),
    ] = None,
    watched: Annotated[
        bool, typer.Option("--watched", help="Only the vendors on the watchlist.")
    ] = False,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help="Exit 7 when something changed, 0 when nothing did (for cron jobs).",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List what imports of lists changed: contracts that now (no longer) carry
    PW-SIGNED-WHILE-BANNED or -INVESTIGATED, and vendors whose level rose or fell; watched
    vendors first (★ in a table). Default: the last import; --since DATE: every import
    since."""
    from procwatch.cli.render import render
    from procwatch.dates import PartialDate
    from procwatch.errors import ExitCode, InvalidInputError
    from procwatch.screening.changes import ChangeRecord, list_changes
    from procwatch.screening.watch import watched_vendor_keys

    if since is not None and run_id is not None:
        raise InvalidInputError("give --since or --import, not both")
    with open_connection(ctx) as connection:
        found = list_changes(
            connection,
            run_id=run_id,
            since=PartialDate.parse(since).earliest() if since else None,
            watched=lambda: watched_vendor_keys(connection),
            watched_only=watched,
        )
    render(
        found,
        COLUMNS,
        fmt,
        output,
        csv_safe=csv_safe,
        title="Changes",
        record_type=ChangeRecord,
        limit=limit,
    )
    if exit_code and found:
        raise typer.Exit(ExitCode.CHANGED)


def print_changes(ctx: typer.Context, run_id: int) -> None:
    """Print what an import just changed, watched vendors first, or that nothing changed."""
    from procwatch.cli.render import build_table, make_console
    from procwatch.screening.changes import list_changes
    from procwatch.screening.watch import watched_vendor_keys

    with open_connection(ctx) as connection:
        found = list_changes(
            connection, run_id=run_id, watched=lambda: watched_vendor_keys(connection)
        )
    console = make_console()
    if not found:
        console.print("No contract's measure flag and no vendor's level changed.")
        return
    console.print(build_table(found[:TERMINAL_ROWS], COLUMNS, f"Changes of import {run_id}"))
    if len(found) > TERMINAL_ROWS:
        console.print(f"{len(found) - TERMINAL_ROWS:,} more: procwatch changes --import {run_id}")


# An import shows this many of its changes; `procwatch changes` shows them all.
TERMINAL_ROWS = 20
