"""The OCDS importer's temporary spool: removed on every exit Python sees, and after kill -9
by the next import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import pytest

from procwatch.errors import InvalidInputError, ProcwatchError
from procwatch.importers.ocds import SPOOL_PREFIX, import_ocds, remove_stale_spools
from procwatch.store import Store
from tests.helpers import load_benchmark, procwatch_command


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_benchmark("ocds_import")


@pytest.fixture
def temp(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def spools(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{SPOOL_PREFIX}*"))


def start_import(db_path: Path, package: Path, temp: Path) -> subprocess.Popen[bytes]:
    environment = {key: value for key, value in os.environ.items() if key != "PROCWATCH_DB"}
    environment["TMPDIR"] = str(temp)
    return subprocess.Popen(
        procwatch_command("import", "ocds", package, db=db_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environment,
    )


def wait_for_spool(process: subprocess.Popen[bytes], temp: Path) -> Path:
    """Wait until the import has spooled some releases; return its spool folder."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the import ended before it was interrupted"
        found = spools(temp)
        spool = found[0] / "spool.sqlite" if found else None
        if spool is not None and spool.is_file() and spool.stat().st_size > 100_000:
            return found[0]
        time.sleep(0.05)
    raise AssertionError("no spool appeared")


def contracts(db_path: Path) -> int:
    connection = sqlite3.connect(db_path)
    count = connection.execute("SELECT count(*) FROM contracts").fetchone()[0]
    connection.close()
    return int(count)


@pytest.fixture(scope="module")
def big_package(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ocds") / "big.json"
    generator.write_package(path, 20_000)
    return path


def test_a_spool_is_named_after_its_process(
    store: Store,
    generator: ModuleType,
    temp: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    package = tmp_path / "small.json"
    generator.write_package(package, 50)
    seen: list[list[Path]] = []
    import_ocds(store, [package], progress=lambda *_: seen.append(spools(temp)))
    assert seen
    prefix = f"{SPOOL_PREFIX}{os.getpid()}-"
    assert all(len(found) == 1 and found[0].name.startswith(prefix) for found in seen)
    assert spools(temp) == []


def test_an_error_removes_the_spool(
    store: Store, temp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    bad = tmp_path / "bad.json"
    bad.write_text('[{"ocid": "ocds-1", "id": "1", "date": "2024-01-01T00:00:00Z"}, {"id": 2}]')
    with pytest.raises(InvalidInputError):
        import_ocds(store, [bad], country="MD")
    assert spools(temp) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_remove_the_spool_and_store_nothing(
    db_path: Path, big_package: Path, temp: Path, signum: signal.Signals
) -> None:
    before = contracts(db_path)
    process = start_import(db_path, big_package, temp)
    wait_for_spool(process, temp)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, stderr
    assert b"Traceback" not in stderr
    assert spools(temp) == []
    assert contracts(db_path) == before


def test_the_next_import_removes_the_spool_of_a_killed_one(
    db_path: Path, big_package: Path, generator: ModuleType, temp: Path, tmp_path: Path
) -> None:
    before = contracts(db_path)
    process = start_import(db_path, big_package, temp)
    stale = wait_for_spool(process, temp)
    process.kill()
    process.wait()
    assert stale.is_dir(), "kill -9 leaves the spool behind"
    small = tmp_path / "small.json"
    generator.write_package(small, 50)
    second = start_import(db_path, small, temp)
    _, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr
    assert not stale.exists()
    assert spools(temp) == []
    assert contracts(db_path) == before + 50


def test_only_spools_of_dead_processes_are_removed(temp: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = int(finished.stdout)
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        names = [
            f"{SPOOL_PREFIX}{dead}-abc",
            f"{SPOOL_PREFIX}{running.pid}-def",
            f"{SPOOL_PREFIX}{os.getpid()}-ghi",
            f"{SPOOL_PREFIX}notapid-jkl",
            "someone-else-123",
        ]
        for name in names:
            (temp / name).mkdir()
            (temp / name / "spool.sqlite").write_bytes(b"x")
        assert remove_stale_spools(temp) == [temp / names[0]]
        assert sorted(path.name for path in temp.iterdir()) == sorted(names[1:])
    finally:
        running.kill()
        running.wait()


def test_a_missing_temporary_folder_is_one_error(
    store: Store, generator: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "gone"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    package = tmp_path / "small.json"
    generator.write_package(package, 5)
    with pytest.raises(ProcwatchError) as raised:
        import_ocds(store, [package])
    assert str(raised.value) == (
        f"cannot keep the releases in the temporary folder {missing}: No such file or "
        "directory; free some space there or point TMPDIR at another folder"
    )


def test_a_full_temporary_folder_is_one_error_and_stores_nothing(
    db_path: Path, big_package: Path, temp: Path
) -> None:
    mount = f"mount -t tmpfs -o size=256k tmpfs {temp}"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", mount], capture_output=True, check=False)
    if os.geteuid() != 0 or probe.returncode != 0:
        pytest.skip("needs a private mount namespace (unshare -m, as root) for a small tmpfs")
    before = contracts(db_path)
    environment = {key: value for key, value in os.environ.items() if key != "PROCWATCH_DB"}
    environment["TMPDIR"] = str(temp)
    command = procwatch_command("import", "ocds", db=db_path)
    finished = subprocess.run(
        ["unshare", "-m", "sh", "-c", f'{mount} && exec "$@"', "sh", *command, str(big_package)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert finished.returncode == 1, finished.stderr
    assert finished.stderr == (
        f"Error: cannot keep the releases in the temporary folder {temp}: database or disk is "
        "full; free some space there or point TMPDIR at another folder\n"
    )
    assert contracts(db_path) == before
