"""The one writer of output files: what a shell redirection would do, and never worse.

A regular file (or a new one) is replaced whole or not at all, through a temporary file next
to it that keeps the old file's permission bits (a new file gets the umask's); a symbolic
link is followed, so that its target is replaced and the link kept; anything else (a FIFO, a
device, /dev/stdout) is written in place as it streams, since renaming over it would destroy
it (`-o /dev/full` once replaced the device with a regular file). `-` is stdout.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from procwatch.errors import OutputError

# `.report.csv.procwatch-4242.tmp`: the pid tells a later run whether its writer is gone.
_TEMPORARY = re.compile(r"^\..+\.procwatch-(\d+)\.tmp$")
# Paths into these trees are devices and the kernel's views of open files (/dev/stdout is
# /proc/self/fd/1): never a file to replace, whatever their link resolves to.
_IN_PLACE_TREES = ("/dev/", "/proc/")


@contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """Yield stdout for None or `-`, else a UTF-8 text handle on `path` (see the module)."""
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    with open_binary_output(path) as raw:
        # newline="" lets the csv module write its own row endings untouched.
        handle = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        try:
            yield handle
            handle.flush()
        finally:
            # open_binary_output closes (and renames) the file, not the wrapper; after a
            # failed flush detaching fails too, and that error is the one already raised.
            with contextlib.suppress(ValueError, OSError):
                handle.detach()


@contextmanager
def open_binary_output(path: Path | None) -> Iterator[BinaryIO]:
    """Yield stdout's bytes for None or `-`, else a binary handle on `path` (see the module)."""
    if path is None or str(path) == "-":
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target, mode, in_place = _target(path)
    if in_place:
        with _failing_as_output_error(path):
            handle = open(target, "wb")  # noqa: SIM115 (closed below, after the body ran)
        with _failing_as_output_error(path), handle:
            yield handle
        return
    folder = target.parent
    remove_stale_temporaries(folder)
    temporary = folder / f".{target.name}.procwatch-{os.getpid()}.tmp"
    with _failing_as_output_error(path):
        # 0o666 less the umask, as a shell's `>` creates a file; an existing file's own bits.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with _failing_as_output_error(path):
            if mode is not None:
                os.fchmod(descriptor, stat.S_IMODE(mode))
        with _failing_as_output_error(path):
            with os.fdopen(descriptor, "wb") as handle:
                yield handle
            os.replace(temporary, target)
    except BaseException:
        # Errors, Ctrl-C and SIGTERM/SIGHUP (cli raises SystemExit for them) all unwind here.
        temporary.unlink(missing_ok=True)
        raise


def _target(path: Path) -> tuple[Path, int | None, bool]:
    """Return the file to write (a link's target), its mode (None when it does not exist),
    and whether to write it in place rather than replace it."""
    absolute = os.path.abspath(path)
    real = Path(os.path.realpath(absolute))
    if absolute.startswith(_IN_PLACE_TREES) or str(real).startswith(_IN_PLACE_TREES):
        # Whatever the kernel's link resolves to (/dev/stdout to a regular file when stdout
        # is redirected to one, or to "pipe:[42]"): the path as given, written in place.
        return Path(absolute), None, True
    try:
        mode: int | None = real.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {path}: it is a directory")
    return real, mode, mode is not None and not stat.S_ISREG(mode)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files that killed procwatch runs left in `folder`; return them."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _TEMPORARY.match(name)
        if match and not _alive(int(match.group(1))):
            try:
                (folder / name).unlink()
            except OSError:
                continue
            removed.append(folder / name)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        # This run's own name: a file left by an earlier run that had the same pid.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    except OverflowError:
        return False
    return True


@contextmanager
def _failing_as_output_error(path: Path) -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        raise  # the reader left: the CLI ends quietly, as other Unix tools do
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
