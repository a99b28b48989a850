"""An import killed with SIGKILL leaves the database whole, with all or nothing of the file.

A generated package (benchmarks/ocds_import.py) is imported in a child process, killed at
several moments spread over a full run (reading, merging, writing, committing), and after
each kill the database must pass its integrity check and hold either none of the file's
contracts or all of them; a last import then completes with the exact count.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from procwatch.migrate import open_database
from tests.helpers import load_benchmark, procwatch_command

PROCESSES = 400
# Moments of a full run, as fractions of its duration, at which the import is killed.
KILL_AT = (0.3, 0.6, 0.9)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a generated release package of PROCESSES processes, one contract each."""
    path = tmp_path_factory.mktemp("crash") / "package.json"
    load_benchmark("ocds_import").write_package(path, PROCESSES)
    return path


def _start(url: str, package: Path) -> subprocess.Popen[bytes]:
    command = procwatch_command("import", "ocds", package, db=url)
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _contracts(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT COUNT(*) FROM contracts WHERE ocid LIKE 'ocds-bench-%'")
        ).scalar_one()
    engine.dispose()
    return int(count)


def _check_whole(url: str, backend: str) -> None:
    if backend == "sqlite":
        path = url.removeprefix("sqlite:///")
        connection = sqlite3.connect(path)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            connection.close()
    # procwatch itself opens the database cleanly (revision checked, nothing to repair).
    open_database(url, write=False).dispose()


def test_a_killed_import_leaves_all_or_nothing(
    db_url: str, backend: str, package: Path, request: pytest.FixtureRequest
) -> None:
    started = time.monotonic()
    timing = _start(db_url, package)
    assert timing.wait(timeout=600) == 0, timing.stderr.read() if timing.stderr else ""
    duration = time.monotonic() - started
    assert _contracts(db_url) == PROCESSES
    # The timed run imported the file; the kills below run on a second, fresh database.
    if backend == "sqlite":
        url = db_url.replace("procwatch.db", "crash.db")
        open_database(url, write=True).dispose()
    else:
        server = request.getfixturevalue("postgres_server")
        template = request.getfixturevalue("_postgres_template")
        url = server.url(server.create_database("crash", template=template))
    outcomes = []
    for fraction in KILL_AT:
        child = _start(url, package)
        time.sleep(duration * fraction)
        finished = child.poll() is not None
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        _check_whole(url, backend)
        count = _contracts(url)
        assert count in (0, PROCESSES), f"killed at {fraction:.0%}: {count} contracts"
        outcomes.append((fraction, finished, count))
    final = _start(url, package)
    assert final.wait(timeout=600) == 0, final.stderr.read() if final.stderr else ""
    _check_whole(url, backend)
    assert _contracts(url) == PROCESSES
    # Shown with -s: where each kill landed (the run had finished or not, contracts after).
    print(f"{backend}: full run {duration:.1f} s; kills {outcomes}")
    # At least one kill must have landed in the middle of an import for the test to mean
    # anything; a machine so slow that every kill came first still checks the database.
    assert any(not finished for _, finished, _ in outcomes), outcomes
