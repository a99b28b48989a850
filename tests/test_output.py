import os
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from procwatch.errors import OutputError
from procwatch.output import open_binary_output, open_output, remove_stale_temporaries


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture
def no_renames(monkeypatch: pytest.MonkeyPatch) -> None:
    # A guard, should the writer ever regress: a device is never renamed over in a test.
    def refuse(*args: object) -> None:
        raise AssertionError(f"os.replace{args} on a device path")

    monkeypatch.setattr(os, "replace", refuse)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), open_output(target) as handle:
        handle.write("half")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_write_replaces_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    with open_output(target) as handle:
        handle.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"


def test_missing_folder(tmp_path: Path) -> None:
    with (
        pytest.raises(OutputError, match=r"cannot write .*: No such file or directory$"),
        open_output(tmp_path / "no" / "x.csv"),
    ):
        pass


def test_a_new_file_gets_the_umasks_mode(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "new.csv"
    with open_output(target) as handle:
        handle.write("x\n")
    assert mode(target) == 0o644


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    shared, private = tmp_path / "shared.csv", tmp_path / "private.csv"
    for path, bits in ((shared, 0o664), (private, 0o600)):
        path.write_text("old\n", encoding="utf-8")
        path.chmod(bits)
        with open_output(path) as handle:
            handle.write("new\n")
        assert (mode(path), path.read_text(encoding="utf-8")) == (bits, "new\n")


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "latest.csv"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with open_output(link) as handle:
        handle.write("new\n")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == "new\n"
    assert mode(real) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["latest.csv"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "target.csv")
    with open_output(link) as handle:
        handle.write("new\n")
    assert link.is_symlink() and (tmp_path / "target.csv").read_text() == "new\n"


def test_a_fifo_is_written_in_place_as_it_streams(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    with open_output(fifo) as handle:
        handle.write("through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_dev_null_is_written_in_place(no_renames: None) -> None:
    before = os.stat("/dev/null")
    with open_output(Path("/dev/null")) as handle:
        handle.write("nothing\n")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_full_device_is_one_error(no_renames: None) -> None:
    # /dev/full stands for any device: the write fails as it does in a shell, nothing renamed.
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with (
        pytest.raises(OutputError, match=r"^cannot write /dev/full: No space left on device$"),
        open_output(Path("/dev/full")) as handle,
    ):
        handle.write("x" * 100_000)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_dev_stdout_is_written_in_place(tmp_path: Path) -> None:
    # In a child whose stdout is a regular file: a rename would leave that file untouched.
    sink = tmp_path / "stdout.txt"
    code = (
        "import os\n"
        "from pathlib import Path\n"
        "from procwatch.output import open_output\n"
        "def refuse(*args): raise AssertionError('renamed over /dev/stdout')\n"
        "os.replace = refuse\n"
        "with open_output(Path('/dev/stdout')) as handle:\n"
        "    handle.write('to stdout\\n')\n"
    )
    with sink.open("wb") as handle:
        subprocess.run([sys.executable, "-c", code], stdout=handle, check=True, env=os.environ)
    assert sink.read_text() == "to stdout\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stdout.txt"]


def test_dash_is_stdout_for_bytes_too(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    with open_binary_output(Path("-")) as handle:
        handle.write(b"\x89PNG")
    assert capfdbinary.readouterr().out == b"\x89PNG"


def test_a_directory_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    with (
        pytest.raises(OutputError, match=r"^cannot write .*reports: it is a directory$"),
        open_output(folder),
    ):
        pass
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_error_and_the_old_file_stays(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "report.csv"
    target.write_text("old\n", encoding="utf-8")
    folder.chmod(0o555)
    try:
        with (
            pytest.raises(OutputError, match=r"^cannot write .*report.csv: Permission denied$"),
            open_output(target) as handle,
        ):
            handle.write("new\n")
        assert target.read_text(encoding="utf-8") == "old\n"
    finally:
        folder.chmod(0o755)


def test_the_temporary_file_is_named_for_its_run(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    with open_output(target) as handle:
        handle.write("x")
        assert [p.name for p in tmp_path.iterdir()] == [f".report.csv.procwatch-{os.getpid()}.tmp"]
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_stale_temporaries_of_dead_runs_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".report.csv.procwatch-{dead.pid}.tmp"
    alive = tmp_path / f".other.csv.procwatch-{os.getppid()}.tmp"
    unrelated = tmp_path / ".report.csv.tmp"
    for path in (stale, alive, unrelated):
        path.write_text("half")
    with open_output(tmp_path / "report.csv") as handle:
        handle.write("new\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [alive.name, unrelated.name, "report.csv"]
    )
    assert remove_stale_temporaries(tmp_path) == []


def test_sigterm_removes_the_temporary_file(tmp_path: Path) -> None:
    # The CLI's handler turns SIGTERM into SystemExit; the writer unwinds and cleans up.
    target = tmp_path / "report.csv"
    target.write_text("old\n", encoding="utf-8")
    code = (
        "import signal, sys, time\n"
        "from pathlib import Path\n"
        "from procwatch.cli import _exit_on\n"
        "from procwatch.output import open_output\n"
        "signal.signal(signal.SIGTERM, _exit_on)\n"
        f"with open_output(Path({str(target)!r})) as handle:\n"
        "    handle.write('half')\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=os.environ)
    assert child.stdout is not None
    assert child.stdout.readline() == b"writing\n"
    assert len(list(tmp_path.iterdir())) == 2
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 128 + signal.SIGTERM
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]
    assert target.read_text(encoding="utf-8") == "old\n"


def test_an_unwritable_folder_is_one_error_and_the_old_file_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The read-only folder of the test above, for root too (root may write anywhere).
    target = tmp_path / "report.csv"
    target.write_text("old\n", encoding="utf-8")
    real_open = os.open

    def read_only_folder(path: object, flags: int, *args: object) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only_folder)
    with (
        pytest.raises(OutputError, match=r"^cannot write .*report.csv: Permission denied$"),
        open_output(target) as handle,
    ):
        handle.write("new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]
