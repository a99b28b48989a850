"""procwatch watch add / list / remove: the vendors and counterparties to hear about first."""

from __future__ import annotations

from typing import Annotated

import typer

from procwatch.cli.render import (
    Column,
    CsvSafeOption,
    FormatOption,
    LimitOption,
    OutputFormat,
    OutputOption,
)
from procwatch.cli.session import open_connection, open_store

app = typer.Typer(
    help="Keep a watchlist of vendors and counterparties; `changes --watched` reports on them.",
    rich_markup_mode=None,
)

Names = Annotated[list[str], typer.Argument(help="Vendor or counterparty names.")]

COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Known vendors", lambda r: "; ".join(r.vendors) or "none yet"),
    Column("How", lambda r: r.how),
    Column("Added", lambda r: r.added_at, no_wrap=True),
]


@app.command("add")
def add(ctx: typer.Context, names: Names) -> None:
    """Watch names: a known vendor by its record, any other name matched as screen does."""
    from procwatch.screening.watch import watch

    with open_store(ctx) as store:
        added = watch(store, names)
    typer.echo(f"Watching {added} more name{'s' if added != 1 else ''}.")


@app.command("list")
def list_(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List the watched names, each with the known vendors it stands for now."""
    from procwatch.cli.render import render
    from procwatch.screening.watch import WatchEntry, watchlist

    with open_connection(ctx) as connection:
        found = watchlist(connection)
    render(
        found,
        COLUMNS,
        fmt,
        output,
        csv_safe=csv_safe,
        title="Watchlist",
        record_type=WatchEntry,
        limit=limit,
    )


@app.command("remove")
def remove(ctx: typer.Context, names: Names) -> None:
    """Stop watching names."""
    from procwatch.screening.watch import unwatch

    with open_store(ctx) as store:
        removed = unwatch(store, names)
    typer.echo(f"Removed {removed} name{'s' if removed != 1 else ''} from the watchlist.")
