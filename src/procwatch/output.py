"""Write output files whole or not at all: a failed write leaves the old file untouched."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from procwatch.errors import OutputError


@contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """Yield stdout, or a temporary file that replaces `path` only when writing succeeded.

    `-` means stdout, as in sqlite-utils and ocdskit: `-o -` once left a file named "-".
    """
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    try:
        # newline="" lets the csv module write its own \r\n row endings untouched.
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
