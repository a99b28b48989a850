"""Open the database named by --db / PROCWATCH_DB for one command."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from procwatch.store import Store


def database_option(ctx: typer.Context) -> str | None:
    """Return the --db value given to the root command."""
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, str) else None


@contextmanager
def open_store(ctx: typer.Context) -> Iterator["Store"]:
    """Yield a store on a ready database; it commits at the end or rolls back on error."""
    from procwatch.store import store_scope

    with _ready_engine(ctx, write=True) as engine, store_scope(engine) as store:
        yield store


@contextmanager
def open_connection(ctx: typer.Context) -> Iterator["Connection"]:
    """Yield a read-only connection on a ready database, for commands that only select."""
    from procwatch.db import connection_scope

    with _ready_engine(ctx, write=False) as engine, connection_scope(engine) as connection:
        yield connection


def say_waiting() -> Callable[[], None]:
    """Return a callback that says once that this command waits for another writer."""
    said = False

    def say() -> None:
        # A command's transactions each take a turn: one line however many times it waits.
        nonlocal said
        if not said:
            typer.echo("Waiting for another import to finish...", err=True)
            said = True

    return say


@contextmanager
def _ready_engine(ctx: typer.Context, *, write: bool) -> Iterator["Engine"]:
    from procwatch.migrate import open_database
    from procwatch.settings import database_url

    url = database_url(database_option(ctx))
    engine = open_database(url, write=write, on_wait=say_waiting() if write else None)
    try:
        yield engine
    finally:
        engine.dispose()
