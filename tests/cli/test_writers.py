"""Writers take turns: imports and upgrades in real processes at once, on both backends.

A second writer waits for the first however long it takes, saying so on stderr, and then
completes; nothing is lost or counted twice, and each command reports what it did.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from procwatch.db import BUSY_TIMEOUT_MS, WRITER_LOCK, sqlite_path
from procwatch.migrate import HEAD
from tests.helpers import load_benchmark

WAITING = "Waiting for another import to finish...\n"
# Releases per generated file: enough that the imports overlap (about a second each).
RELEASES = 1500


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_benchmark("ocds_import")


def packages(generator: ModuleType, folder: Path, count: int) -> list[Path]:
    """Write `count` OCDS packages of RELEASES releases each, with no ocid in common."""
    paths = []
    for number in range(count):
        path = folder / f"releases-{number}.json"
        generator.write_package(path, RELEASES, first=number * RELEASES)
        paths.append(path)
    return paths


def start(url: str, *args: str, stderr: Path) -> subprocess.Popen[str]:
    environment = {key: value for key, value in os.environ.items() if key != "PROCWATCH_DB"}
    with stderr.open("w") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "procwatch", "--db", url, *args],
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
            env=environment,
        )


def contract_count(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM contracts")).scalar_one()
    engine.dispose()
    return int(count)


@contextmanager
def writer_turn_held(url: str) -> Iterator[None]:
    """Hold the writer's turn of a database from outside procwatch, as a long import would."""
    path = sqlite_path(url)
    if path is not None:
        connection = sqlite3.connect(path, isolation_level=None)
        # As a procwatch writer does: WAL first, then the write lock.
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as holder:
        holder.execute(text(f"SELECT pg_advisory_lock({WRITER_LOCK})"))
        try:
            yield
        finally:
            holder.execute(text(f"SELECT pg_advisory_unlock({WRITER_LOCK})"))
            holder.commit()
    engine.dispose()


def wait_until_all_say(files: list[Path], line: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not all(line in path.read_text() for path in files):
        assert time.monotonic() < deadline, [path.read_text() for path in files]
        time.sleep(0.1)


def test_two_imports_wait_for_a_writer_longer_than_the_busy_timeout(
    db_url: str, generator: ModuleType, tmp_path: Path
) -> None:
    before = contract_count(db_url)
    files = packages(generator, tmp_path, 2)
    errors = [tmp_path / f"stderr-{number}.txt" for number in range(2)]
    with writer_turn_held(db_url):
        imports = [
            start(db_url, "import", "ocds", str(path), stderr=error)
            for path, error in zip(files, errors, strict=True)
        ]
        wait_until_all_say(errors, WAITING)
        # Longer than SQLite's busy timeout, after which a writer used to fail "locked".
        time.sleep(BUSY_TIMEOUT_MS / 1000 + 2)
        assert all(process.poll() is None for process in imports)
    for process, error in zip(imports, errors, strict=True):
        stdout, _ = process.communicate(timeout=300)
        assert process.returncode == 0, error.read_text()
        assert error.read_text() == WAITING
        # Added, updated, unchanged: every contract of its own file is new.
        assert re.search(rf"contracts\W+{RELEASES}\W+0\W+0\W", stdout), stdout
    assert contract_count(db_url) == before + 2 * RELEASES


def test_four_imports_at_once_all_complete_with_exact_counts(
    db_url: str, generator: ModuleType, tmp_path: Path
) -> None:
    before = contract_count(db_url)
    files = packages(generator, tmp_path, 4)
    # The same file twice more: the second import of it finds every contract there.
    files += files[:1]
    errors = [tmp_path / f"stderr-{number}.txt" for number in range(len(files))]
    imports = [
        start(db_url, "import", "ocds", str(path), stderr=error)
        for path, error in zip(files, errors, strict=True)
    ]
    for process, error in zip(imports, errors, strict=True):
        process.communicate(timeout=600)
        assert process.returncode == 0, error.read_text()
        assert error.read_text() in ("", WAITING)
    assert contract_count(db_url) == before + 4 * RELEASES
    # Four writers at once: all but the first found another at work and said so.
    assert sum(error.read_text() == WAITING for error in errors) >= 1


def test_four_upgrades_of_a_new_database_report_truthfully(
    empty_db_url: str, tmp_path: Path
) -> None:
    errors = [tmp_path / f"stderr-{number}.txt" for number in range(4)]
    with writer_turn_held(empty_db_url):
        upgrades = [start(empty_db_url, "db", "upgrade", stderr=error) for error in errors]
        wait_until_all_say(errors, WAITING)
    outputs = []
    for process, error in zip(upgrades, errors, strict=True):
        stdout, _ = process.communicate(timeout=300)
        assert process.returncode == 0, error.read_text()
        outputs.append(stdout)
    assert sorted(outputs) == [
        f"Database is at revision {HEAD}: nothing to do.\n",
        f"Database is at revision {HEAD}: nothing to do.\n",
        f"Database is at revision {HEAD}: nothing to do.\n",
        f"Database upgraded from empty to revision {HEAD}.\n",
    ]
