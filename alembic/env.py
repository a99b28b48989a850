"""Alembic environment: runs on a connection procwatch hands over, or on PROCWATCH_DB."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from procwatch.db import make_engine
from procwatch.settings import database_url
from procwatch.tables import metadata

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def run(connection: object) -> None:
    # Batch mode lets ALTER TABLE work on SQLite by copying the table.
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = make_engine(database_url())
    with engine.begin() as new_connection:
        run(new_connection)
