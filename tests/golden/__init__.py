"""Golden files: expected outputs compared with a readable diff.

Run `PROCWATCH_UPDATE_GOLDEN=1 pytest` to rewrite them from the current output, then review
the change with `git diff tests/golden/`.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent


def assert_golden(name: str, actual: str, *, url: str | None = None) -> None:
    """Fail with a unified diff unless `actual` equals the golden file `name`.

    With the `url` a report read, its database's name (a temporary PostgreSQL database's
    differs each run) reads as the SQLite file's, procwatch.db.
    """
    if url is not None:
        from procwatch.db import database_label

        actual = actual.replace(database_label(url), "procwatch.db")
    path = GOLDEN / name
    if os.environ.get("PROCWATCH_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"golden file {path} is missing; run with PROCWATCH_UPDATE_GOLDEN=1")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"golden/{name}",
            tofile="actual",
        )
        pytest.fail(
            "output differs from the golden file "
            "(PROCWATCH_UPDATE_GOLDEN=1 rewrites it):\n" + "".join(diff),
            pytrace=False,
        )
