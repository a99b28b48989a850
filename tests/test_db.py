import gc
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import Engine, literal, select, text, union_all
from sqlalchemy.orm import Session

from procwatch.db import (
    ANALYZE_AFTER_ROWS,
    connection_scope,
    insert_many,
    make_engine,
    session_scope,
    stream_rows,
    write_csv,
)
from procwatch.errors import DatabaseError
from procwatch.migrate import open_database

CONTRACT_COLUMNS = (
    "key",
    "vendor_id",
    "jurisdiction_id",
    "title",
    "amount_minor",
    "currency",
    "amount_is_estimate",
)


def contract_rows(prefix: str, count: int) -> list[tuple[object, ...]]:
    """Return contracts of the seed's vendor (id 1) in Georgia (id 15), 1,000.00 USD and up."""
    return [
        (f"{prefix}-{n:06d}", 1, 15, "generated", 100_000 + n % 100_000, "USD", False)
        for n in range(count)
    ]


READ_ONLY = {
    "sqlite": "database error: attempt to write a readonly database",
    "postgresql": "database error: cannot execute UPDATE in a read-only transaction",
}


def test_a_read_engine_refuses_to_write(backend: str, db_url: str) -> None:
    engine = open_database(db_url)
    message = READ_ONLY[backend]
    with pytest.raises(DatabaseError, match=f"^{message}$"), session_scope(engine) as session:
        session.execute(text("UPDATE vendors SET name = 'changed'"))
    engine.dispose()
    engine = open_database(db_url)
    with session_scope(engine) as session:
        assert session.scalar(text("SELECT name FROM vendors")) == "Nuctech Company Limited"
    engine.dispose()


def test_a_read_connection_refuses_to_write_and_reads_what_is_there(
    backend: str, db_url: str
) -> None:
    engine = open_database(db_url)
    message = READ_ONLY[backend]
    with pytest.raises(DatabaseError, match=f"^{message}$"), connection_scope(engine) as c:
        c.execute(text("UPDATE vendors SET name = 'changed'"))
    with connection_scope(engine) as connection:
        assert connection.scalar(text("SELECT name FROM vendors")) == "Nuctech Company Limited"
        handle = io.StringIO()
        write_csv(connection, select(AWKWARD.c.n, AWKWARD.c.s).order_by(AWKWARD.c.n), handle)
        assert handle.getvalue() == AWKWARD_CSV
    engine.dispose()


def test_a_connection_scope_rolls_back_on_error(db_url: str) -> None:
    open_database(db_url).dispose()
    engine = make_engine(db_url)
    with pytest.raises(ZeroDivisionError), connection_scope(engine) as connection:
        connection.execute(text("UPDATE vendors SET name = 'changed'"))
        1 / 0  # noqa: B018
    with connection_scope(engine) as connection:
        assert connection.scalar(text("SELECT name FROM vendors")) == "Nuctech Company Limited"
    engine.dispose()


def test_insert_many_counts_rows_in_batches(session: Session) -> None:
    jurisdiction = session.scalar(text("SELECT id FROM jurisdictions WHERE code = 'GE'"))
    assert jurisdiction == 15, "contract_rows() assumes Georgia's id in the seed"
    count = insert_many(
        session, "contracts", CONTRACT_COLUMNS, contract_rows("b", 25), batch_size=10
    )
    assert count == 25
    assert session.scalar(text("SELECT count(*) FROM contracts WHERE key LIKE 'b-%'")) == 25


def _has_statistics(backend: str, session: Session) -> bool:
    if backend == "sqlite":
        tables = session.execute(text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'"))
        if tables.first() is None:
            return False
        query = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'contracts'"
    else:
        query = "SELECT count(*) FROM pg_stats WHERE tablename = 'contracts'"
    return bool(session.scalar(text(query)))


def test_a_bulk_load_refreshes_the_planner_statistics(backend: str, engine: Engine) -> None:
    with session_scope(engine) as session:
        assert not _has_statistics(backend, session)
        insert_many(session, "contracts", CONTRACT_COLUMNS, contract_rows("small", 10))
    with session_scope(engine) as session:
        assert not _has_statistics(backend, session), "a small insert leaves statistics alone"
        insert_many(
            session, "contracts", CONTRACT_COLUMNS, contract_rows("bulk", ANALYZE_AFTER_ROWS)
        )
    with session_scope(engine) as session:
        assert _has_statistics(backend, session)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_streaming_on_postgresql_uses_a_server_side_cursor(session: Session) -> None:
    insert_many(session, "contracts", CONTRACT_COLUMNS, contract_rows("s", 50))
    batches = stream_rows(session, text("SELECT key FROM contracts ORDER BY id"), batch_size=20)
    first = next(batches)
    cursors = session.execute(text("SELECT name FROM pg_cursors")).scalars().all()
    assert cursors == ["procwatch_stream"]
    assert len(first) == 20
    assert sum(len(batch) for batch in batches) == 54 - 20


def test_stream_rows_turns_driver_errors_into_database_errors(session: Session) -> None:
    with pytest.raises(DatabaseError, match=r"^database error: .*no_such_table"):
        list(stream_rows(session, text("SELECT * FROM no_such_table")))
    # PostgreSQL aborts the transaction; the fixture's commit would find it so.
    session.rollback()


class BytesBackedText(io.TextIOWrapper):
    """A text handle over bytes, as stdout and output files are: write_csv may use .buffer."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", newline="")

    def text(self) -> str:
        self.flush()
        raw = self.buffer
        assert isinstance(raw, io.BytesIO)
        return raw.getvalue().decode("utf-8")


AWKWARD = union_all(
    select(literal(1).label("n"), literal("plain").label("s")),
    select(literal(2), literal('comma, "quote"')),
    select(literal(3), literal("two\nlines")),
    select(literal(4), literal("")),
    select(literal(5), literal(None)),
    select(literal(6), literal("Rzeszów 中文")),
    select(literal(7), literal("carriage\rreturn")),
).subquery()
AWKWARD_CSV = (
    '1,plain\n2,"comma, ""quote"""\n3,"two\nlines"\n4,\n5,\n6,Rzeszów 中文\n7,"carriage\rreturn"\n'
)


def test_write_csv_quotes_like_csv_writer_on_every_backend(session: Session) -> None:
    handle = BytesBackedText()
    count = write_csv(session, select(AWKWARD.c.n, AWKWARD.c.s).order_by(AWKWARD.c.n), handle)
    assert count == 7
    assert handle.text() == AWKWARD_CSV


def test_write_csv_writes_to_a_text_only_handle(session: Session) -> None:
    handle = io.StringIO()
    handle.write("n,s\n")
    write_csv(session, select(AWKWARD.c.n, AWKWARD.c.s).order_by(AWKWARD.c.n), handle)
    assert handle.getvalue() == "n,s\n" + AWKWARD_CSV


def test_write_csv_turns_driver_errors_into_database_errors(session: Session) -> None:
    query = select(text("x")).select_from(text("no_such_table"))
    with pytest.raises(DatabaseError, match=r"^database error: .*no_such_table"):
        write_csv(session, query, io.StringIO())
    assert gc.isenabled(), "the collector paused for the rows runs again after an error"
    # PostgreSQL aborts the transaction; the fixture's commit would find it so.
    session.rollback()


def test_write_csv_leaves_a_paused_collector_paused(session: Session) -> None:
    gc.disable()
    try:
        write_csv(session, select(AWKWARD.c.n, AWKWARD.c.s), io.StringIO())
        assert not gc.isenabled()
    finally:
        gc.enable()


LOADER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from procwatch.db import insert_many, session_scope
    from procwatch.migrate import open_database
    from tests.test_db import CONTRACT_COLUMNS, contract_rows

    url, prefix, count, ready, other = sys.argv[1:]
    engine = open_database(url, write=True)
    # Both processes start writing at the same moment, so their transactions overlap.
    Path(ready).touch()
    while not Path(other).exists():
        time.sleep(0.01)
    with session_scope(engine) as session:
        insert_many(session, "contracts", CONTRACT_COLUMNS, contract_rows(prefix, int(count)))
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
    with session_scope(engine) as session:
        counts = session.execute(
            text(
                "SELECT substr(key, 1, 3), count(*), count(DISTINCT key), sum(amount_minor)"
                " FROM contracts WHERE key LIKE 'one-%' OR key LIKE 'two-%'"
                " GROUP BY substr(key, 1, 3) ORDER BY 1"
            )
        ).all()
    engine.dispose()
    total = sum(row[4] for row in contract_rows("x", count))
    assert [tuple(row) for row in counts] == [
        ("one", count, count, total),
        ("two", count, count, total),
    ]
