import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from procwatch.cli import app
from procwatch.migrate import HEAD, open_database
from procwatch.store import store_scope
from tests.conftest import Procwatch


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def test_first_command_creates_migrates_and_seeds_the_default_database(tmp_path: Path) -> None:
    result = run("contracts", "--vendor", "Nuctech", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 5
    assert (tmp_path / "default" / "procwatch.db").exists()


def test_procwatch_db_environment_variable(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "env.db"
    monkeypatch.setenv("PROCWATCH_DB", str(path))
    assert (
        run("db", "current").stdout
        == f"{path}: empty; the first command creates it at revision {HEAD}.\n"
    )
    assert run("jurisdictions").exit_code == 0
    assert run("db", "current").stdout == f"{path}: revision {HEAD} (current).\n"


def test_db_upgrade_and_seed(procwatch: Procwatch) -> None:
    assert procwatch("db", "upgrade").stdout == f"Database is at revision {HEAD}: nothing to do.\n"
    assert procwatch("db", "seed").stdout == "Seed loaded: nothing new.\n"


def test_db_upgrade_creates_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    result = run("--db", str(path), "db", "upgrade")
    assert result.stdout == f"Database upgraded from empty to revision {HEAD}.\n"


def test_not_a_database_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    result = run("--db", str(path), "contracts")
    assert result.exit_code == 4
    assert result.stderr == f"Error: {path} is not a procwatch database (not an SQLite file)\n"
    assert path.read_text(encoding="utf-8") == "hello"


def test_an_old_sqlite_library_is_refused_before_the_file_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 22, 0))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.22.0")
    path = tmp_path / "new.db"
    result = run("--db", str(path), "contracts")
    assert result.exit_code == 4
    assert result.stderr == "Error: procwatch needs SQLite 3.31 or newer; this Python has 3.22.0\n"
    assert not path.exists()


def test_someone_elses_sqlite_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as store:
        store.execute("CREATE TABLE notes (body TEXT)")
    before = path.read_bytes()
    for command in (["contracts"], ["db", "upgrade"], ["db", "seed"], ["db", "current"]):
        result = run("--db", str(path), *command)
        assert result.exit_code == 4, command
        assert result.stderr == f"Error: {path} is not a procwatch database\n"
    with sqlite3.connect(path) as store:
        tables = store.execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("notes",)]
    assert len(before) == path.stat().st_size


def test_database_newer_than_this_program(db_url: str, procwatch: Procwatch) -> None:
    engine = create_engine(db_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    result = procwatch("contracts")
    assert result.exit_code == 4
    assert result.stderr.startswith("Error: ")
    assert result.stderr.endswith(
        " has schema revision 9999, newer than this procwatch knows; upgrade procwatch\n"
    )
    assert procwatch("db", "upgrade").exit_code == 4


def test_database_path_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = run("--db", str(blocker / "sub" / "procwatch.db"), "contracts")
    assert result.exit_code == 4
    assert result.stderr == (
        f"Error: cannot create the database {blocker / 'sub' / 'procwatch.db'}: "
        f"{blocker} is not a directory\n"
    )


def test_invalid_database_url() -> None:
    result = run("--db", "nosuchdialect://x/y", "contracts")
    assert result.exit_code == 4
    assert result.stderr.startswith("Error: cannot use database URL 'nosuchdialect://x/y'")


def test_failed_seed_changes_nothing(
    procwatch: Procwatch,
    db_path: Path,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from procwatch.seed import seed_dir

    broken = tmp_path / "seed"
    broken.mkdir()
    for path in seed_dir().glob("*.csv"):
        (broken / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    # A new, valid contract row first, then a measure with an unknown kind: all or nothing.
    with (broken / "contracts.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "ge-new,nuctech,ge-revenue-service,GE,New,,,,,no,2025,,,,nuctech-raids-georgia,q\n"
        )
    with (broken / "measures.csv").open("a", encoding="utf-8") as handle:
        handle.write("xx,nuctech,GE,,embargo,,,,2025,,,nuctech-raids-georgia,q\n")
    monkeypatch.setattr("procwatch.seed.seed_dir", lambda: broken)
    result = procwatch("db", "seed")
    assert result.exit_code == 5
    assert result.stderr == (
        "Error: measures.csv line 7: 'embargo' is not one of ban, restriction, investigation\n"
    )
    assert len(procwatch("contracts", "-f", "csv").stdout.splitlines()) == 5


def test_two_seeds_into_a_new_database_at_once_create_it_once(empty_db_url: str) -> None:
    seeds = [
        subprocess.Popen(
            [sys.executable, "-m", "procwatch", "--db", empty_db_url, "db", "seed"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [seed.communicate(timeout=120) for seed in seeds]
    assert [seed.returncode for seed in seeds] == [0, 0], outputs
    assert sorted(out for out, _ in outputs) == ["Seed loaded: nothing new.\n"] * 2
    engine = open_database(empty_db_url)
    with store_scope(engine) as store:
        assert store.scalar(text("SELECT count(*) FROM contracts")) == 4
        assert store.scalar(text("SELECT count(*) FROM citations")) == 20
        assert store.scalar(text("SELECT version_num FROM alembic_version")) == HEAD
    engine.dispose()


def test_db_current_of_a_database(procwatch) -> None:  # type: ignore[no-untyped-def]
    result = procwatch("db", "current")
    assert result.exit_code == 0
    assert result.output.endswith(f": revision {HEAD} (current).\n")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "postgresql+psycopg2://user:SECRETPASS@host/db",
            "Error: cannot use database URL 'postgresql+psycopg2://user:***@host/db': "
            "No module named 'psycopg2'",
        ),
        (
            "mysql://u:SECRETPASS@h/d",
            "Error: cannot use database URL 'mysql://u:***@h/d': No module named 'MySQLdb'",
        ),
        (
            "sqlite://u:SECRETPASS@h/d",
            "Error: cannot use database URL 'sqlite://u:***@h/d': "
            "Invalid SQLite URL: sqlite://u:***@h/d",
        ),
        (
            "postgresql://u:SECRETPASS@h:abc/d",
            "Error: invalid database URL 'postgresql://u:***@h:abc/d'",
        ),
        (
            "nosuch://u:SECRETPASS@h/d",
            "Error: cannot use database URL 'nosuch://u:***@h/d': "
            "Can't load plugin: sqlalchemy.dialects:nosuch",
        ),
    ],
)
def test_a_database_password_is_never_printed(url: str, message: str) -> None:
    result = run("--db", url, "contracts")
    assert result.exit_code == 4
    assert "SECRETPASS" not in result.output
    assert result.output.strip() == message
