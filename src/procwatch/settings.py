"""Where the database lives: --db, then PROCWATCH_DB, then the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DB = "PROCWATCH_DB"
DEFAULT_FILENAME = "procwatch.db"


def default_db_path() -> Path:
    """Return the default SQLite file in the user's data directory."""
    # platformdirs is imported here so that `procwatch --help` does not pay for it.
    from platformdirs import user_data_path

    return user_data_path("procwatch", appauthor=False) / DEFAULT_FILENAME


def database_url(option: str | None = None) -> str:
    """Return the SQLAlchemy URL chosen by the --db option, PROCWATCH_DB or the default."""
    value = option or os.environ.get(ENV_DB) or str(default_db_path())
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"
