import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from procwatch import tables
from procwatch.domain import Outcome
from procwatch.errors import DatabaseError
from procwatch.migrate import open_database
from procwatch.store import ANALYZE_AFTER_ROWS, IN_CHUNK, Store, store_scope, stream_rows
from tests.conftest import id_of


def contract_rows(store: Store, prefix: str, count: int) -> list[dict[str, Any]]:
    """Return contracts of the seed's vendor in Georgia, 1,000.00 USD and up."""
    vendor_id = id_of(store, tables.vendors, "nuctech")
    georgia = id_of(store, tables.jurisdictions, "GE")
    return [
        {
            "key": f"{prefix}-{n:06d}",
            "vendor_id": vendor_id,
            "jurisdiction_id": georgia,
            "title": "generated",
            "amount_minor": 100_000 + n % 100_000,
            "currency": "USD",
            "amount_is_estimate": False,
        }
        for n in range(count)
    ]


def _vendor(key: str, name: str) -> dict[str, Any]:
    return {"key": key, "name": name, "name_key": name.casefold()}


def _vendor_names(store: Store, prefix: str) -> list[str]:
    vendors = tables.vendors.c
    query = select(vendors.name).where(vendors.key.startswith(prefix)).order_by(vendors.key)
    return list(store.scalars(query))


def test_upsert_counts_what_it_did(store: Store) -> None:
    row = _vendor("acme", "Acme")
    first_id, added = store.upsert(tables.vendors, row, key=("key",))
    same_id, unchanged = store.upsert(tables.vendors, row, key=("key",))
    renamed_id, updated = store.upsert(tables.vendors, _vendor("acme", "Acme Ltd"), key=("key",))
    assert (added, unchanged, updated) == (Outcome.ADDED, Outcome.UNCHANGED, Outcome.UPDATED)
    assert first_id == same_id == renamed_id
    assert _vendor_names(store, "acme") == ["Acme Ltd"]


def test_upsert_many_counts_per_key(store: Store) -> None:
    store.insert_many(tables.vendors, [_vendor("u-a", "A"), _vendor("u-b", "B")])
    rows = [_vendor("u-a", "A"), _vendor("u-b", "B2"), _vendor("u-c", "C")]
    outcomes = store.upsert_many(tables.vendors, rows, key="key")
    assert outcomes == {"u-a": Outcome.UNCHANGED, "u-b": Outcome.UPDATED, "u-c": Outcome.ADDED}
    assert _vendor_names(store, "u-") == ["A", "B2", "C"]


def test_chunked_in_lists_reach_every_row(store: Store) -> None:
    # More values than SQLite's old 999-parameter limit and more than one chunk.
    count = IN_CHUNK + 1_500
    store.insert_many(tables.vendors, (_vendor(f"c-{n}", f"V{n}") for n in range(count)))
    keys = [f"c-{n}" for n in range(count)]
    found = store.rows_by(tables.vendors, "key", keys, ["name"])
    assert len(found) == count
    assert found["c-4999"].name == "V4999"
    ids = [row.id for row in found.values()]
    store.move(tables.vendors, ids, "country_id", id_of(store, tables.jurisdictions, "PL"))
    vendors = tables.vendors.c
    query = select(vendors.country_id).where(vendors.key.startswith("c-")).distinct()
    assert list(store.scalars(query)) == [id_of(store, tables.jurisdictions, "PL")]


def test_insert_and_update_many_go_in_batches(store: Store) -> None:
    assert store.insert_many(tables.contracts, contract_rows(store, "b", 25), batch_size=10) == 25
    contracts = tables.contracts.c
    changed = [{"key": f"b-{n:06d}", "title": "renamed"} for n in range(5)]
    assert store.update_many(tables.contracts, changed, key="key") == 5
    titles = store.scalars(select(contracts.title).where(contracts.key.like("b-%")))
    assert sorted(titles) == ["generated"] * 20 + ["renamed"] * 5


def test_an_error_rolls_everything_back(engine: Engine) -> None:
    with pytest.raises(ZeroDivisionError), store_scope(engine) as store:
        store.insert_many(tables.vendors, [_vendor("gone", "Gone")])
        1 / 0  # noqa: B018
    with store_scope(engine) as store:
        assert _vendor_names(store, "gone") == []


def test_steps_run_before_commit_and_not_on_rollback(engine: Engine) -> None:
    ran: list[str] = []

    def step(store: Store) -> None:
        ran.append("step")
        store.insert_many(tables.vendors, [_vendor("stepped", "Stepped")])

    with store_scope(engine) as store:
        store.before_commit(step)
        assert ran == []
    with pytest.raises(ZeroDivisionError), store_scope(engine) as store:
        store.before_commit(step)
        1 / 0  # noqa: B018
    with store_scope(engine) as store:
        assert ran == ["step"]
        assert _vendor_names(store, "stepped") == ["Stepped"]


def _has_statistics(backend: str, store: Store) -> bool:
    if backend == "sqlite":
        found = store.execute(text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'"))
        if found.first() is None:
            return False
        query = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'contracts'"
    else:
        query = "SELECT count(*) FROM pg_stats WHERE tablename = 'contracts'"
    return bool(store.scalar(text(query)))


def test_a_bulk_load_refreshes_the_planner_statistics(backend: str, engine: Engine) -> None:
    with store_scope(engine) as store:
        assert not _has_statistics(backend, store)
        store.insert_many(tables.contracts, contract_rows(store, "small", 10))
    with store_scope(engine) as store:
        assert not _has_statistics(backend, store), "a small insert leaves statistics alone"
        store.insert_many(tables.contracts, contract_rows(store, "bulk", ANALYZE_AFTER_ROWS))
    with store_scope(engine) as store:
        assert _has_statistics(backend, store)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_streaming_on_postgresql_uses_a_server_side_cursor(store: Store) -> None:
    store.insert_many(tables.contracts, contract_rows(store, "s", 50))
    batches = store.stream(text("SELECT key FROM contracts ORDER BY id"), batch_size=20)
    first = next(batches)
    cursors = store.execute(text("SELECT name FROM pg_cursors")).scalars().all()
    assert cursors == ["procwatch_stream"]
    assert len(first) == 20
    assert sum(len(batch) for batch in batches) == 54 - 20


def test_stream_rows_turns_driver_errors_into_database_errors(store: Store) -> None:
    with pytest.raises(DatabaseError, match=r"^database error: .*no_such_table"):
        list(stream_rows(store.connection, text("SELECT * FROM no_such_table")))
    # PostgreSQL aborts the transaction; the fixture's commit would find it so.
    store.connection.rollback()


LOADER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from procwatch import tables
    from procwatch.migrate import open_database
    from procwatch.store import store_scope
    from tests.test_store import contract_rows

    url, prefix, count, ready, other = sys.argv[1:]
    engine = open_database(url, write=True)
    # Both processes start writing at the same moment, so their transactions overlap.
    Path(ready).touch()
    while not Path(other).exists():
        time.sleep(0.01)
    with store_scope(engine) as store:
        store.insert_many(tables.contracts, contract_rows(store, prefix, int(count)))
    engine.dispose()
    """
)


def test_two_bulk_loads_at_once_both_complete(db_url: str, tmp_path: Path) -> None:
    count = 30_000
    root = Path(__file__).resolve().parents[1]
    loads = [
        subprocess.Popen(
            [sys.executable, "-c", LOADER, db_url, prefix, str(count), ready, other],
            cwd=root,
            stderr=subprocess.PIPE,
            text=True,
        )
        for prefix, ready, other in (
            ("one", str(tmp_path / "one"), str(tmp_path / "two")),
            ("two", str(tmp_path / "two"), str(tmp_path / "one")),
        )
    ]
    for load in loads:
        _, errors = load.communicate(timeout=300)
        assert load.returncode == 0, errors
    engine = open_database(db_url)
    with store_scope(engine) as store:
        counts = store.execute(
            text(
                "SELECT substr(key, 1, 3), count(*), count(DISTINCT key), sum(amount_minor)"
                " FROM contracts WHERE key LIKE 'one-%' OR key LIKE 'two-%'"
                " GROUP BY substr(key, 1, 3) ORDER BY 1"
            )
        ).all()
        total = sum(row["amount_minor"] for row in contract_rows(store, "x", count))
    engine.dispose()
    assert [tuple(row) for row in counts] == [
        ("one", count, count, total),
        ("two", count, count, total),
    ]
