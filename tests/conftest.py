"""Shared fixtures: every test gets its own database and a CLI runner pointed at it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from procwatch.cli import app
from procwatch.db import session_scope
from procwatch.migrate import open_database

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No test may touch the user's real database: the default location moves to tmp_path.
    monkeypatch.delenv("PROCWATCH_DB", raising=False)
    # Rich reads the terminal width from COLUMNS: tests see the same 80 columns everywhere.
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(
        "procwatch.settings.default_db_path", lambda: tmp_path / "default" / "procwatch.db"
    )


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    open_database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, _seeded_template: Path) -> Path:
    """Return a fresh copy of a migrated, seeded SQLite database."""
    path = tmp_path / "procwatch.db"
    shutil.copy(_seeded_template, path)
    return path


@pytest.fixture
def db_url(db_path: Path) -> str:
    """Return the SQLAlchemy URL of a fresh migrated, seeded database."""
    return f"sqlite:///{db_path}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """Return an engine on the fresh database."""
    engine = open_database(db_url, write=True)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """Return a session on the fresh database, committed at the end of the test."""
    with session_scope(engine) as session:
        yield session


class Procwatch:
    """Runs `procwatch --db URL ...` in-process and returns Typer's result."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return self.runner.invoke(app, ["--db", self.url, *args], input=input)


@pytest.fixture
def procwatch(db_url: str) -> Procwatch:
    """Return a CLI runner bound to the fresh database."""
    return Procwatch(db_url)


@pytest.fixture
def shared_data() -> Path:
    """Return ../shared/data, skipping the test where it is absent (a user's fresh clone)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real sample data not found at {SHARED_DATA}")
    return SHARED_DATA
