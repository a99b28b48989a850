import gc
import io

import pytest
from sqlalchemy import Connection, literal, select, text, union_all

from procwatch.csvexport import write_csv
from procwatch.errors import DatabaseError


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


def test_write_csv_quotes_like_csv_writer_on_every_backend(connection: Connection) -> None:
    handle = BytesBackedText()
    count = write_csv(connection, select(AWKWARD.c.n, AWKWARD.c.s).order_by(AWKWARD.c.n), handle)
    assert count == 7
    assert handle.text() == AWKWARD_CSV


def test_write_csv_writes_to_a_text_only_handle(connection: Connection) -> None:
    handle = io.StringIO()
    handle.write("n,s\n")
    write_csv(connection, select(AWKWARD.c.n, AWKWARD.c.s).order_by(AWKWARD.c.n), handle)
    assert handle.getvalue() == "n,s\n" + AWKWARD_CSV


def test_write_csv_turns_driver_errors_into_database_errors(connection: Connection) -> None:
    query = select(text("x")).select_from(text("no_such_table"))
    with pytest.raises(DatabaseError, match=r"^database error: .*no_such_table"):
        write_csv(connection, query, io.StringIO())
    assert gc.isenabled(), "the collector paused for the rows runs again after an error"
    # PostgreSQL aborts the transaction; the fixture's commit would find it so.
    connection.rollback()


def test_write_csv_leaves_a_paused_collector_paused(connection: Connection) -> None:
    gc.disable()
    try:
        write_csv(connection, select(AWKWARD.c.n, AWKWARD.c.s), io.StringIO())
        assert not gc.isenabled()
    finally:
        gc.enable()
