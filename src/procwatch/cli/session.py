"""Open the database named by --db / PROCWATCH_DB for one command."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session


def database_option(ctx: typer.Context) -> str | None:
    """Return the --db value given to the root command."""
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, str) else None


@contextmanager
def open_session(ctx: typer.Context, *, write: bool = False) -> Iterator["Session"]:
    """Yield a session on a ready database; it commits at the end or rolls back on error."""
    from procwatch.db import session_scope

    with _ready_engine(ctx, write=write) as engine, session_scope(engine) as session:
        yield session


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
