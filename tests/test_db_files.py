"""SQLite files procwatch must not change: someone else's, a newer procwatch's, a read-only one.

Each test compares the file's bytes and its folder's listing before and after. Running as
root, chmod stops nothing: read-only places are made real with a read-only bind mount in a
private mount namespace, or by running procwatch as `nobody`, where the system allows it;
the branch procwatch takes is also checked in-process by answering os.access as for a
read-only file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from procwatch.cli import app

OCDS = Path(__file__).resolve().parent / "fixtures" / "ocds"
READ_COMMANDS = [
    ["contracts", "--vendor", "Nuctech", "--format", "csv"],
    ["jurisdictions"],
    ["db", "current"],
    ["export", "contracts"],
]
WRITE_COMMANDS = [["db", "upgrade"], ["db", "seed"], ["vendors", "merge", "a", "b"]]


def snapshot(path: Path) -> tuple[bytes, list[str]]:
    return path.read_bytes(), sorted(os.listdir(path.parent))


def run(path: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--db", str(path), *args])


def an_ocds_file() -> Path:
    return sorted(OCDS.glob("*.json"))[0]


@pytest.fixture
def foreign_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    connection.execute("INSERT INTO notes (text) VALUES ('mine, not procwatch''s')")
    connection.commit()
    connection.close()
    return path


@pytest.fixture
def newer_procwatch(db_path: Path) -> Path:
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.close()
    return db_path


def test_a_foreign_sqlite_file_is_refused_unchanged(foreign_sqlite: Path) -> None:
    before = snapshot(foreign_sqlite)
    # Header bytes 18-19 are 1 (rollback journal); a WAL switch would make them 2.
    assert before[0][18:20] == b"\x01\x01"
    commands = [*READ_COMMANDS, *WRITE_COMMANDS, ["import", "ocds", str(an_ocds_file())]]
    for command in commands:
        result = run(foreign_sqlite, *command)
        assert result.exit_code == 4, (command, result.output)
        assert result.stderr == f"Error: {foreign_sqlite} is not a procwatch database\n", command
        assert snapshot(foreign_sqlite) == before, command


def test_a_garbage_file_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"\x00\xffnot a database\n" * 500)
    before = snapshot(path)
    for command in [*READ_COMMANDS, *WRITE_COMMANDS]:
        result = run(path, *command)
        assert result.exit_code == 4, (command, result.output)
        assert result.stderr == f"Error: {path} is not a procwatch database (not an SQLite file)\n"
        assert snapshot(path) == before, command


def test_a_newer_procwatch_file_is_refused_unchanged(newer_procwatch: Path) -> None:
    before = snapshot(newer_procwatch)
    assert before[0][18:20] == b"\x02\x02", "procwatch's files are WAL"
    message = (
        f"Error: {newer_procwatch} has schema revision 0099, newer than this procwatch knows; "
        "upgrade procwatch\n"
    )
    for command in [*READ_COMMANDS, *WRITE_COMMANDS, ["import", "ocds", str(an_ocds_file())]]:
        result = run(newer_procwatch, *command)
        assert result.exit_code == 4, (command, result.output)
        assert result.stderr == message, command
        assert snapshot(newer_procwatch) == before, command


def read_only_message(path: Path) -> str:
    return f"Error: cannot write to the database {path}: the file or its folder is read-only\n"


def test_read_only_branch_opens_immutable_and_leaves_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root may write anything: answer os.access as an unprivileged user of a 0444 file would.
    real_access = os.access

    def access(path: object, mode: int) -> bool:
        return not mode & os.W_OK and real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr("procwatch.db.os.access", access)
    before = snapshot(db_path)
    for command in READ_COMMANDS:
        result = run(db_path, *command)
        assert result.exit_code == 0, (command, result.output)
        assert snapshot(db_path) == before, command
    assert run(db_path, "contracts", "--format", "csv").stdout.count("\n") == 5
    for command in [*WRITE_COMMANDS, ["import", "ocds", str(an_ocds_file())]]:
        result = run(db_path, *command)
        assert result.exit_code == 4, (command, result.output)
        assert result.stderr == read_only_message(db_path), command
        assert snapshot(db_path) == before, command


@pytest.fixture
def public_folder(db_path: Path) -> Iterator[Path]:
    """Return a folder under the system's temp folder that another user can reach."""
    folder = Path(tempfile.mkdtemp(prefix="procwatch-test-"))
    folder.chmod(0o755)
    shutil.copy(db_path, folder / "procwatch.db")
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder)


def procwatch_as(prefix: list[str], path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "PROCWATCH_DB"}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "procwatch", "--db", str(path), *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        cwd="/",
    )


NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def as_nobody_works() -> bool:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    check = subprocess.run([*NOBODY, sys.executable, "-c", "import procwatch"], check=False)
    return check.returncode == 0


@pytest.mark.parametrize("place", ["read-only folder", "0444 file"])
def test_read_commands_as_another_user_in_a_read_only_place(
    public_folder: Path, place: str
) -> None:
    if not as_nobody_works():
        pytest.skip("needs root and setpriv to run procwatch as nobody")
    path = public_folder / "procwatch.db"
    path.chmod(0o644)
    if place == "read-only folder":
        public_folder.chmod(0o555)
    else:
        # The folder is nobody's to write; the file is not.
        public_folder.chmod(0o777)
        path.chmod(0o444)
    before = snapshot(path)
    for command in READ_COMMANDS:
        result = procwatch_as(NOBODY, path, *command)
        assert result.returncode == 0, (command, result.stderr)
        assert snapshot(path) == before, command
    result = procwatch_as(NOBODY, path, "contracts", "--format", "csv")
    assert result.stdout.count("\n") == 5
    for command in WRITE_COMMANDS:
        result = procwatch_as(NOBODY, path, *command)
        assert (result.returncode, result.stderr) == (4, read_only_message(path)), command
        assert snapshot(path) == before, command


def test_read_commands_on_a_read_only_mount(public_folder: Path) -> None:
    folder = public_folder
    mount = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", mount], capture_output=True, check=False)
    if os.geteuid() != 0 or probe.returncode != 0:
        pytest.skip("needs a private mount namespace (unshare -m, as root) for a read-only mount")
    path = folder / "procwatch.db"
    before = snapshot(path)
    for command in [*READ_COMMANDS, *WRITE_COMMANDS]:
        inside = f'{mount} && exec "$@"'
        result = procwatch_as(["unshare", "-m", "sh", "-c", inside, "sh"], path, *command)
        if command in WRITE_COMMANDS:
            assert (result.returncode, result.stderr) == (4, read_only_message(path)), command
        else:
            assert result.returncode == 0, (command, result.stderr)
        assert snapshot(path) == before, command
