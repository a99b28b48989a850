"""Shared fixtures: every test gets its own database and a CLI runner pointed at it.

Database fixtures run once per backend: SQLite always, PostgreSQL when
PROCWATCH_TEST_POSTGRES_URL names a server (e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/postgres); without it the PostgreSQL half
is skipped with that reason in the summary.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, Table, select
from typer.testing import CliRunner

from procwatch.cli import app
from procwatch.migrate import open_database
from procwatch.store import Store, store_scope
from tests.postgres_server import ENV_POSTGRES, PostgresServer

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


# 2025-06-01 12:00 UTC: the moment golden reports say they were generated, and their "today".
FIXED_EPOCH = "1748779200"


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fix the reports' clock (SOURCE_DATE_EPOCH), so golden files do not change each day."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Return the PostgreSQL server of PROCWATCH_TEST_POSTGRES_URL, or skip saying how to set it."""
    url = os.environ.get(ENV_POSTGRES)
    if not url:
        pytest.skip(f"PostgreSQL half skipped: set {ENV_POSTGRES} to a server URL to run it")
    server = PostgresServer(url, prefix=f"pwtest_{uuid.uuid4().hex[:10]}")
    yield server
    server.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Return the database backend this run of the test uses."""
    return str(request.param)


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    open_database(f"sqlite:///{path}", write=True).dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_template(postgres_server: PostgresServer) -> str:
    # Migrating and seeding once, then copying with CREATE DATABASE ... TEMPLATE, is a tenth
    # of the cost of migrating every test's database.
    name = postgres_server.create_database("template")
    open_database(postgres_server.url(name), write=True).dispose()
    return name


@pytest.fixture
def db_path(tmp_path: Path, _seeded_template: Path) -> Path:
    """Return a fresh copy of a migrated, seeded SQLite database."""
    path = tmp_path / "procwatch.db"
    shutil.copy(_seeded_template, path)
    return path


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """Return the SQLAlchemy URL of a fresh migrated, seeded database of the backend."""
    if backend == "sqlite":
        yield f"sqlite:///{request.getfixturevalue('db_path')}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database("test", template=request.getfixturevalue("_postgres_template"))
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def empty_db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Return the URL of an empty database (no tables) of the backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database("empty")
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """Return an engine on the fresh database."""
    engine = open_database(db_url, write=True)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> Iterator[Store]:
    """Return a store on the fresh database, committed at the end of the test."""
    with store_scope(engine) as store:
        yield store


@pytest.fixture
def connection(store: Store) -> Connection:
    """Return the connection of the test's store, for the read functions."""
    return store.connection


def id_of(connection: Connection | Store, table: Table, key: str) -> int:
    """Return the id of a table's row by its key (its code for jurisdictions)."""
    column = table.c.code if table.name == "jurisdictions" else table.c.key
    found = connection.scalar(select(table.c.id).where(column == key))
    assert found is not None, f"no {table.name} with key {key!r}"
    return int(found)


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


def insert_rows(
    store: Store, table: Table, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Insert rows given as tuples in `columns` order, for tests that generate many."""
    return store.insert_rows(table, columns, rows)
