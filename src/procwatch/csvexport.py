"""Write a query's rows as CSV: PostgreSQL's COPY, or the driver's cursor and csvtext."""

from __future__ import annotations

import codecs
import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TextIO

from sqlalchemy import Connection, Select, String, func

from procwatch.csvtext import csv_lines
from procwatch.store import driver_error as _driver_error
from procwatch.store import for_driver, stream_rows


def writes_csv_itself(connection: Connection) -> bool:
    """Return whether the database writes CSV itself (PostgreSQL's COPY) for write_csv."""
    return connection.dialect.name == "postgresql"


def write_csv(
    connection: Connection,
    statement: Select[Any],
    handle: TextIO,
    *,
    lookups: Mapping[int, Mapping[Any, Any]] | None = None,
    safe: bool = False,
) -> int:
    """Write a query's rows to `handle` as CSV lines (no header); return how many.

    PostgreSQL writes the CSV itself (COPY ... TO STDOUT), two to three times faster than
    fetching the rows into Python; elsewhere the driver's cursor feeds csvtext.csv_lines,
    which writes the values of `lookups` in place of a column's own (names for ids, say). A
    database that writes its own CSV never runs Python on the rows: `lookups` is for the
    others only. `safe` is csvtext's spreadsheet-safe form, which only Python writes.
    """
    if writes_csv_itself(connection) and not safe:
        assert not lookups, "rows written by the database cannot be looked up"
        return _copy_csv(connection, statement, handle)
    count = 0
    with _collector_paused():
        for rows in stream_rows(connection, statement):
            handle.write(csv_lines(rows, lookups, safe=safe))
            count += len(rows)
    return count


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector, which walked every fetched row several times.

    Rows and their CSV lines hold no reference cycles, and on a million contracts the
    collector's walks took a tenth of the export's time.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _copy_csv(connection: Connection, statement: Select[Any], handle: TextIO) -> int:
    # COPY quotes an empty string ("") to tell it from NULL, where csv_lines writes both
    # as nothing: NULLIF keeps the two backends' files byte for byte the same.
    statement = statement.with_only_columns(
        *(
            func.nullif(column, "") if isinstance(column.type, String) else column
            for column in statement.selected_columns
        )
    )
    driver, sql, parameters = for_driver(connection, statement)
    handle.flush()
    # The rows arrive as UTF-8 bytes, one per message: a UTF-8 file takes them as they are.
    sink = getattr(handle, "buffer", None)
    if sink is None or codecs.lookup(getattr(handle, "encoding", None) or "ascii").name != "utf-8":
        sink = _TextSink(handle)
    cursor = driver.cursor()
    try:
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", parameters) as copy:
            for data in copy:
                sink.write(data)
        count: int = cursor.rowcount
    except connection.dialect.loaded_dbapi.Error as error:
        raise _driver_error(error) from None
    finally:
        cursor.close()
    sink.flush()
    return count


class _TextSink:
    """Decode UTF-8 chunks into a text handle (stdout in another encoding, StringIO)."""

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes | memoryview) -> None:
        self._handle.write(self._decoder.decode(data))

    def flush(self) -> None:
        self._handle.write(self._decoder.decode(b"", final=True))
        self._handle.flush()
