"""Helpers the test modules share: import outcomes, a procwatch process, benchmark scripts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from procwatch.importers import Outcome

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def counts(summary: Any, table: str) -> tuple[int, int, int]:
    """Return how many rows of `table` an import added, updated and left unchanged."""
    # Lists add, update or leave measures; only OCDS processes also remove rows.
    added, updated, unchanged = (
        summary.get(table, outcome)
        for outcome in (Outcome.ADDED, Outcome.UPDATED, Outcome.UNCHANGED)
    )
    return added, updated, unchanged


def procwatch_command(*args: str | Path, db: str | Path | None = None) -> list[str]:
    """Return the command line that runs procwatch as its own process (on `db` if given)."""
    database = ["--db", str(db)] if db is not None else []
    return [sys.executable, "-m", "procwatch", *database, *map(str, args)]


def load_benchmark(name: str) -> ModuleType:
    """Load benchmarks/NAME.py, which is a script and not a package, as a module."""
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up by name while the class is made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
