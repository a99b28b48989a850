import io

import pytest
from sqlalchemy import select, text

from procwatch.csvexport import write_csv
from procwatch.db import connection_scope, make_engine
from procwatch.errors import DatabaseError
from procwatch.migrate import open_database
from procwatch.store import store_scope
from tests.test_csvexport import AWKWARD, AWKWARD_CSV

READ_ONLY = {
    "sqlite": "database error: attempt to write a readonly database",
    "postgresql": "database error: cannot execute UPDATE in a read-only transaction",
}


def test_a_read_engine_refuses_to_write(backend: str, db_url: str) -> None:
    engine = open_database(db_url)
    message = READ_ONLY[backend]
    with pytest.raises(DatabaseError, match=f"^{message}$"), store_scope(engine) as store:
        store.execute(text("UPDATE vendors SET name = 'changed'"))
    engine.dispose()
    engine = open_database(db_url)
    with store_scope(engine) as store:
        assert store.scalar(text("SELECT name FROM vendors")) == "Nuctech Company Limited"
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
