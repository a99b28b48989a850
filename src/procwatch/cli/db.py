"""procwatch db: upgrade the schema, show its revision, load the seed."""

import typer

from procwatch.cli.session import database_option, say_waiting

app = typer.Typer(
    help="Manage the database: schema revision and seed data.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create the database or upgrade its schema to this procwatch's revision."""
    from procwatch.migrate import upgrade_database
    from procwatch.settings import database_url

    before, after = upgrade_database(database_url(database_option(ctx)), on_wait=say_waiting())
    if before == after:
        typer.echo(f"Database is at revision {after}: nothing to do.")
    else:
        typer.echo(f"Database upgraded from {before or 'empty'} to revision {after}.")


@app.command("current")
def current(ctx: typer.Context) -> None:
    """Show the database's schema revision and whether it is current."""
    from procwatch.migrate import describe_revision
    from procwatch.settings import database_url

    typer.echo(describe_revision(database_url(database_option(ctx))))


@app.command("seed")
def seed(ctx: typer.Context) -> None:
    """Load the seed facts again (idempotent: existing rows are updated, not duplicated)."""
    from procwatch.cli.session import open_store
    from procwatch.seed import load_seed

    with open_store(ctx) as store:
        counts = load_seed(store)
    added = ", ".join(f"{count} {table}" for table, count in sorted(counts.added.items()))
    typer.echo(f"Seed loaded: {added or 'nothing new'}.")
