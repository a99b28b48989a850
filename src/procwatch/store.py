"""The unit of work: one connection and transaction, counted upserts, bulk writes, chunked IN.

Every writer (seed, importers, vendor merges) goes through a `Store`, in the spirit of
nomenklatura's db.Session: the caller opens it with `store_scope`, which commits or rolls
back, and runs the steps registered with `before_commit` (ANALYZE after bulk loads) first.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import (
    ClauseElement,
    Column,
    ColumnElement,
    Connection,
    CursorResult,
    Engine,
    Executable,
    Row,
    ScalarResult,
    Select,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.sql.compiler import SQLCompiler

from procwatch.db import database_errors
from procwatch.domain import Outcome
from procwatch.errors import DatabaseError

# A transaction that bulk-inserts this many rows refreshes the statistics of those tables.
ANALYZE_AFTER_ROWS = 10_000
# SQLite refuses statements with more than 32,766 bound values: IN lists go in chunks.
IN_CHUNK = 5000
BATCH_ROWS = 10_000
T = TypeVar("T")
Step = Callable[["Store"], None]
# A row or select of any columns (SQLAlchemy 2.1 types them by a variadic tuple).
AnyRow: TypeAlias = Row[*tuple[Any, ...]]
AnySelect: TypeAlias = Select[*tuple[Any, ...]]


def chunked(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """Yield slices of a list of values small enough for one IN (...) on every backend."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Store:
    """One connection in one transaction, and every way procwatch writes to it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._steps: list[Step] = []
        # Rows bulk-inserted per table in this transaction, for the ANALYZE before commit.
        self.loaded: Counter[str] = Counter()

    def execute(
        self,
        statement: Executable,
        parameters: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    ) -> CursorResult[*tuple[Any, ...]]:
        """Run one statement on the store's connection (executemany with a list of rows)."""
        return self.connection.execute(statement, parameters)

    def scalars(self, statement: Executable) -> ScalarResult[Any]:
        """Run a select and return its first column."""
        return self.connection.scalars(statement)

    def scalar(self, statement: Executable) -> Any:
        """Run a select and return the first column of its first row, or None."""
        return self.connection.scalar(statement)

    def find(self, table: Table, **match: Any) -> AnyRow | None:
        """Return the first row of a table whose columns have these values, or None."""
        query = select(table).where(*(table.c[name] == value for name, value in match.items()))
        return self.connection.execute(query.limit(1)).first()

    def insert(self, table: Table, values: Mapping[str, Any]) -> int:
        """Insert one row and return its id."""
        statement = insert(table).values(dict(values)).returning(table.c.id)
        return int(self.connection.execute(statement).scalar_one())

    def upsert(
        self, table: Table, row: Mapping[str, Any], key: Sequence[str]
    ) -> tuple[int, Outcome]:
        """Add a row, or update the one with the same `key` columns; return its id and outcome."""
        found = self.find(table, **{name: row[name] for name in key})
        if found is None:
            return self.insert(table, row), Outcome.ADDED
        changed = {name: value for name, value in row.items() if found._mapping[name] != value}
        if not changed:
            return found.id, Outcome.UNCHANGED
        self.connection.execute(update(table).where(table.c.id == found.id).values(changed))
        return found.id, Outcome.UPDATED

    def upsert_many(
        self, table: Table, rows: Sequence[Mapping[str, Any]], key: str
    ) -> dict[Any, Outcome]:
        """Add rows and update those whose `key` exists with other values; outcome per key."""
        outcomes, stored = self.upsert_plan(table, rows, key)
        self.insert_many(table, [row for row in rows if outcomes[row[key]] is Outcome.ADDED])
        self.update_many(
            table,
            [
                {**row, "id": stored[row[key]].id}
                for row in rows
                if outcomes[row[key]] is Outcome.UPDATED
            ],
        )
        return outcomes

    def upsert_plan(
        self, table: Table, rows: Sequence[Mapping[str, Any]], key: str
    ) -> tuple[dict[Any, Outcome], dict[Any, AnyRow]]:
        """Return what upsert_many would do to each row, and the stored rows it would update.

        For writers that must know what will change before it does (an import's changes).
        """
        columns = list(rows[0]) if rows else [key]
        stored = self.rows_by(table, key, [row[key] for row in rows], columns)
        outcomes: dict[Any, Outcome] = {}
        for row in rows:
            before = stored.get(row[key])
            if before is None:
                outcomes[row[key]] = Outcome.ADDED
            elif any(before._mapping[name] != row[name] for name in columns):
                outcomes[row[key]] = Outcome.UPDATED
            else:
                outcomes[row[key]] = Outcome.UNCHANGED
        return outcomes, stored

    def rows_by(
        self, table: Table, key: str, values: Sequence[Any], columns: Iterable[str] = ()
    ) -> dict[Any, AnyRow]:
        """Return the rows (id, key and `columns`) whose `key` column is one of `values`."""
        names = dict.fromkeys(["id", key, *columns])
        query = select(*(table.c[name] for name in names))
        return {row._mapping[key]: row for row in self.select_in(query, table.c[key], values)}

    def select_in(
        self, query: AnySelect, column: Column[Any], values: Sequence[Any]
    ) -> Iterator[AnyRow]:
        """Yield the rows of a query restricted to `column IN values`, however many values."""
        for chunk in chunked(values):
            yield from self.connection.execute(query.where(column.in_(chunk)))

    def insert_many(
        self, table: Table, rows: Iterable[Mapping[str, Any]], *, batch_size: int = BATCH_ROWS
    ) -> int:
        """Insert rows (all with the same columns) through the driver's executemany."""
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        columns = list(first)
        values = (_values(row, columns) for row in itertools.chain([first], rows))
        return self.insert_rows(table, columns, values, batch_size=batch_size)

    def insert_rows(
        self,
        table: Table,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        batch_size: int = BATCH_ROWS,
    ) -> int:
        """Insert tuples of `columns` through the driver's executemany; return how many.

        Core insert() with dicts was about 3 times slower on bulk loads, the ORM 20 times:
        the driver takes tuples as they are. Bulk generators (benchmarks) call this directly.
        """
        statement, count = self._insert_sql(table.name, columns), 0
        for batch in _batches(rows, batch_size):
            self.connection.exec_driver_sql(statement, batch)
            count += len(batch)
        self.loaded[table.name] += count
        return count

    def update_many(self, table: Table, rows: Sequence[Mapping[str, Any]], key: str = "id") -> int:
        """Update rows found by their `key` column through the driver's executemany."""
        if not rows:
            return 0
        columns = [name for name in rows[0] if name != key]
        marker = self._marker()
        assignments = ", ".join(f"{name} = {marker}" for name in columns)
        statement = f"UPDATE {table.name} SET {assignments} WHERE {key} = {marker}"
        values = [(*_values(row, columns), row[key]) for row in rows]
        self.connection.exec_driver_sql(statement, values)
        return len(rows)

    def update(self, table: Table, row_id: int, **values: Any) -> None:
        """Set columns of the row with this id."""
        self.connection.execute(update(table).where(table.c.id == row_id).values(values))

    def move(self, table: Table, ids: Sequence[int], column: str, value: Any) -> None:
        """Set one column of the rows with these ids (a merge moving rows to another vendor)."""
        for chunk in chunked(ids):
            self.connection.execute(
                update(table).where(table.c.id.in_(chunk)).values({column: value})
            )

    def delete(self, table: Table, *where: ColumnElement[bool]) -> int:
        """Delete the rows of a table that match every condition; return how many."""
        return int(self.connection.execute(delete(table).where(*where)).rowcount)

    def stream(
        self, statement: ClauseElement, *, batch_size: int = BATCH_ROWS
    ) -> Iterator[Sequence[Any]]:
        """Yield a query's rows in batches straight from the driver's cursor."""
        return stream_rows(self.connection, statement, batch_size=batch_size)

    def before_commit(self, step: Step) -> None:
        """Run `step` once just before the transaction commits (not on rollback)."""
        self._steps.append(step)

    def analyze(self, tables: Iterable[str]) -> None:
        """Refresh the planner's statistics of tables, as after a bulk load."""
        analyze(self.connection, tables)

    def commit(self) -> None:
        """Run the steps before commit, commit, and go on in a new transaction."""
        self.finish()
        self.connection.commit()

    def rollback(self) -> None:
        """Undo the transaction and forget its steps; go on in a new transaction."""
        self._steps, self.loaded = [], Counter()
        self.connection.rollback()

    def finish(self) -> None:
        """Run the steps registered for before commit, then the statistics a bulk load needs."""
        steps, self._steps = self._steps, []
        for step in steps:
            step(self)
        # Without fresh statistics SQLite's planner took a name search on a million contracts
        # for a scan of them all (0.87 s against 44 ms after ANALYZE), and statistics taken on
        # the seed's four contracts are worse than none: once per committed transaction.
        loaded, self.loaded = self.loaded, Counter()
        if sum(loaded.values()) >= ANALYZE_AFTER_ROWS:
            self.analyze(sorted(name for name, count in loaded.items() if count))

    def _marker(self) -> str:
        return "?" if self.connection.dialect.paramstyle == "qmark" else "%s"

    def _insert_sql(self, table: str, columns: Sequence[str]) -> str:
        markers = ", ".join([self._marker()] * len(columns))
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({markers})"


@contextmanager
def store_scope(engine: Engine) -> Iterator[Store]:
    """Open a store whose transaction commits on success and rolls back on any error."""
    with database_errors(), engine.connect() as connection:
        store = Store(connection)
        try:
            yield store
            store.commit()
        except BaseException:
            store.rollback()
            raise


@contextmanager
def store_on(connection: Connection) -> Iterator[Store]:
    """Write through a store inside a transaction the caller owns (a migration's, say)."""
    store = Store(connection)
    yield store
    store.finish()


def analyze(connection: Connection, tables: Iterable[str]) -> None:
    """Refresh the planner's statistics of tables, as after a bulk load."""
    # Full statistics, not SQLite's analysis_limit sample: a sample of the first index pages
    # told the planner a million contracts held 1,000 per vendor and 2,000 per country, and
    # the CSV export then sorted every row instead of reading them in order. A full
    # ANALYZE of a million contracts takes well under a second.
    for table in tables:
        connection.exec_driver_sql(f"ANALYZE {table}")


def _batches(rows: Iterable[T], size: int = BATCH_ROWS) -> Iterator[list[T]]:
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _values(row: Mapping[str, Any], columns: Collection[str]) -> tuple[Any, ...]:
    return tuple(row[name] for name in columns)


def stream_rows(
    connection: Connection, statement: ClauseElement, *, batch_size: int = BATCH_ROWS
) -> Iterator[Sequence[Any]]:
    """Yield a query's rows in batches straight from the driver's cursor.

    PostgreSQL gets a named (server-side) cursor, so the server holds the result and memory
    stays flat; SQLite's cursor steps through the result as it is fetched. Skipping
    SQLAlchemy's row objects makes a full CSV export about a tenth faster.
    """
    driver, sql, parameters = for_driver(connection, statement)
    if connection.dialect.name == "postgresql":
        cursor = driver.cursor(name="procwatch_stream")
    else:
        cursor = driver.cursor()
    try:
        cursor.execute(sql, parameters)
        while rows := cursor.fetchmany(batch_size):
            yield rows
    except connection.dialect.loaded_dbapi.Error as error:
        raise driver_error(error) from None
    finally:
        cursor.close()


def for_driver(connection: Connection, statement: ClauseElement) -> tuple[Any, str, Any]:
    """Return the DB-API connection, and the statement's SQL and parameters for it."""
    driver = connection.connection.dbapi_connection
    assert driver is not None, "an open connection is always checked out"
    # IN lists become plain parameters here, as SQLAlchemy does when it executes itself.
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    assert isinstance(compiled, SQLCompiler), "a query compiles to SQL"
    parameters: Any = (
        tuple(compiled.params[name] for name in compiled.positiontup or ())
        if compiled.positional
        else compiled.params
    )
    return driver, str(compiled), parameters


def driver_error(error: Exception) -> DatabaseError:
    """Return the DatabaseError for an error the driver raised outside SQLAlchemy."""
    return DatabaseError(f"database error: {str(error).strip().splitlines()[0]}")
