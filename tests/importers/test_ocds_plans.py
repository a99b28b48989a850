"""The OCDS import's per-batch lookups reach contracts by an index, on both backends.

The plan of each lookup is taken while the import runs, on its own store and inside
its transaction, with the statistics the planner has at that moment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from procwatch.importers import ocds
from procwatch.importers.ocds import import_ocds
from procwatch.store import Store
from tests.helpers import load_benchmark

RELEASES = 4_000


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    generator = load_benchmark("ocds_import")
    path = tmp_path_factory.mktemp("ocds") / "releases.json"
    generator.write_package(path, RELEASES)
    return path


def at_each_lookup(store: Store, run: Any) -> list[tuple[int, int, str]]:
    """Run the import; at each key lookup on contracts return the contracts stored, the
    planner's estimate of them, and the lookup's plan."""
    seen: list[tuple[int, int, str]] = []
    engine = store.connection.engine
    postgres = engine.dialect.name == "postgresql"

    def explain(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        lookup = statement.startswith("SELECT contracts.id") and " IN (" in statement
        if not lookup or not re.search(r'WHERE contracts\."?key"? IN', statement):
            return
        raw = conn.connection.dbapi_connection.cursor()
        raw.execute("SELECT count(*) FROM contracts")
        stored = raw.fetchone()[0]
        if postgres:
            raw.execute("EXPLAIN SELECT * FROM contracts")
            estimate = int(re.search(r"rows=(\d+)", raw.fetchone()[0]).group(1))  # type: ignore[union-attr]
            raw.execute(f"EXPLAIN {statement}", parameters)
        else:
            raw.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            found = None
            if raw.fetchone():
                raw.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'contracts' LIMIT 1")
                found = raw.fetchone()
            estimate = int(found[0].split()[0]) if found else 0
            raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        seen.append((stored, estimate, "\n".join(str(row[-1]) for row in raw.fetchall())))
        raw.close()

    event.listen(engine, "before_cursor_execute", explain)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", explain)
    return seen


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    # Statistics first at 1,000 contracts, then at 2,000, in batches of 100 processes: a
    # smaller import than the real thresholds' and batches', in the same proportions.
    monkeypatch.setattr(ocds, "ANALYZE_FIRST", 1_000)
    monkeypatch.setattr(ocds, "BATCH_PROCESSES", 100)


@pytest.mark.usefixtures("small_steps")
def test_the_planner_knows_how_many_contracts_the_import_has_stored(
    store: Store, package: Path
) -> None:
    seen = at_each_lookup(store, lambda: import_ocds(store, [package]))
    later = [(stored, estimate) for stored, estimate, _ in seen if stored >= 2_000]
    assert len(later) >= 10
    assert all(estimate >= stored / 2 for stored, estimate in later), later


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.usefixtures("small_steps")
def test_without_fresh_statistics_postgresql_misjudges_the_table(
    store: Store, package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the statistics are for: taken on a new database's four contracts, they had
    # PostgreSQL plan each batch's lookup for a small table, and scan the whole of it
    # (0.7-1.3 s a batch at 40,000 contracts, benchmarks/ocds_import.py).
    monkeypatch.setattr(ocds, "ANALYZE_FIRST", 10**9)
    seen = at_each_lookup(store, lambda: import_ocds(store, [package]))
    assert any(estimate < stored / 4 for stored, estimate, _ in seen if stored >= 2_000)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.usefixtures("small_steps")
def test_key_lookups_search_the_unique_index(store: Store, package: Path) -> None:
    seen = at_each_lookup(store, lambda: import_ocds(store, [package]))
    plans = [plan for stored, _, plan in seen if stored >= 2_000]
    assert plans
    for plan in plans:
        assert re.fullmatch(
            r"SEARCH contracts USING (COVERING )?INDEX sqlite_autoindex_contracts_1 \(key=\?\)",
            plan,
        ), plan
