"""Engines, SQLite pragmas and writers' turns: the one place that knows SQLite from PostgreSQL."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    make_url,
)
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError

from procwatch.errors import DatabaseError

BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys off unless asked, per connection; WAL lets readers run
    # beside one writer, and the busy timeout makes a second writer wait instead of failing.
    # The driver's own transaction handling skips DDL; we emit BEGIN ourselves (_begin) so
    # that migrations and seeding are all or nothing, as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _use_wal(cursor)
    cursor.close()


def _use_wal(cursor: Any) -> None:
    # Switching to WAL needs a moment of exclusive access, and SQLite may answer "locked"
    # without waiting when two processes open a new file at once: ask again, briefly.
    import time

    if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    for attempt in range(50):
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == 49:
                raise
            time.sleep(0.1)


def _sqlite_read_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # query_only turns any write a read command might attempt into an error. A reader never
    # switches the journal mode: procwatch's files are WAL since their creation, and a file
    # that is not procwatch's must not change by a byte before it is refused.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA query_only = ON")
    cursor.close()


# Called once when a writer finds another writer at work and starts waiting for its turn.
OnWait = Callable[[], None]

# A writer waits this long without a word before it says that it waits for another one.
QUIET_WAIT_MS = 500


def _sqlite_turn(on_wait: OnWait | None) -> Callable[[Any], None]:
    def begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so a second writer waits instead of
        # failing when a read transaction cannot be upgraded to a write. SQLite's busy
        # timeout alone would give up after it ("database is locked") however near the
        # first writer is to its commit: a writer asks again until its turn comes.
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {QUIET_WAIT_MS}")
        try:
            if _try_begin_immediate(connection):
                return
            if on_wait is not None:
                on_wait()
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            while not _try_begin_immediate(connection):
                pass
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    return begin


def _try_begin_immediate(connection: Any) -> bool:
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except OperationalError as error:
        if getattr(error.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY:
            return False
        raise
    return True


def _begin_deferred(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


# Any constant would do: writers to one PostgreSQL database agree on it to take turns.
WRITER_LOCK = 0x70726F63


def _postgres_turn(on_wait: OnWait | None) -> Callable[[Any], None]:
    def begin(connection: Any) -> None:
        # One writer at a time, as on SQLite: a second import waits for the first to commit
        # and then sees its rows, instead of failing on the same keys or migrating the
        # schema twice. The lock is the transaction's: a killed writer's ends with it.
        taken = connection.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({WRITER_LOCK})")
        if taken.scalar():
            return
        if on_wait is not None:
            on_wait()
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")

    return begin


def _begin_read_only(connection: Any) -> None:
    # One snapshot for the whole command, as SQLite gives a read transaction: a command
    # that runs several statements (a vendor's profile, a check report) reads one state of
    # the database, and a commit in between must not slip into the later ones only.
    connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def table_names(connection: Any) -> set[str]:
    """Return the names of the database's tables (in the current schema on PostgreSQL)."""
    # A catalogue query instead of SQLAlchemy's inspector: every command checks the schema
    # first, and the inspector's import alone costs about 17 ms of start-up.
    if connection.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return {name for (name,) in connection.exec_driver_sql(query)}


def is_sqlite(url: str) -> bool:
    """Return whether a database URL names SQLite."""
    return url.startswith("sqlite")


def creates_on_first_use(url: str) -> bool:
    """Return whether any command may create this database: a SQLite file, not a server's."""
    return is_sqlite(url)


def sqlite_path(url: str) -> Path | None:
    """Return the file of a SQLite URL, or None for other databases and in-memory SQLite."""
    if not is_sqlite(url):
        return None
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def _check_sqlite_file(path: Path) -> None:
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    if path.exists():
        with path.open("rb") as handle:
            header = handle.read(16)
        if header and header != b"SQLite format 3\x00":
            raise DatabaseError(f"{path} is not a procwatch database (not an SQLite file)")
        return
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise DatabaseError(f"cannot create the database {path}: {blocking} is not a directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseError(f"cannot create the database {path}: {error.strerror}") from None
    if not path.parent.is_dir() or not _writable(path.parent):
        raise DatabaseError(f"cannot create the database {path}: permission denied")


# Computed columns (contracts.years) need 3.31; older libraries fail deep in a migration.
SQLITE_MINIMUM = (3, 31, 0)


def _check_sqlite_version() -> None:
    if sqlite3.sqlite_version_info < SQLITE_MINIMUM:
        needed = ".".join(map(str, SQLITE_MINIMUM[:2]))
        raise DatabaseError(
            f"procwatch needs SQLite {needed} or newer; this Python has {sqlite3.sqlite_version}"
        )


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def read_only_place(path: Path) -> bool:
    """Return whether a SQLite file exists where procwatch cannot write it or its sidecars."""
    # WAL keeps -wal and -shm files beside the database: a reader needs them too, unless it
    # opens the file read-only or immutable.
    return path.exists() and not (os.access(path, os.W_OK) and _writable(path.parent))


def _read_only_uri(path: Path) -> str:
    """Return the URI that opens a SQLite file for reading without creating or changing a file."""
    from urllib.parse import quote

    # Without a -wal file every committed row is in the database file itself: immutable
    # then reads it with no lock and no sidecar at all. A -wal file may hold rows not yet
    # copied back, so it is read as well, read-only.
    mode = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
    return f"file:{quote(str(path.resolve()))}?{mode}"


_QUERY_PASSWORD = re.compile(r"((?:^|&)password=)[^&]*", re.IGNORECASE)


def masked_url(url: str) -> str:
    """Return a database URL fit to print: its password, if any, shown as ***."""
    # Plain string work, not make_url, so that a URL SQLAlchemy cannot parse is masked too.
    # A password may hold '/', ':' or '@': everything from the user's ':' to the last '@'
    # before the query is the password's, and libpq also takes one as ?password=.
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    location, mark, query = rest.partition("?")
    at = location.rfind("@")
    colon = location.find(":", 0, at)
    if at > 0 and colon >= 0 and "/" not in location[:colon]:
        location = f"{location[:colon]}:***{location[at:]}"
    query = _QUERY_PASSWORD.sub(r"\1***", query)
    return f"{scheme}://{location}{mark}{query}"


def database_label(url: str) -> str:
    """Name a database for a report's reader: a SQLite file's name, or server/database."""
    path = sqlite_path(url)
    if path is not None:
        return path.name
    if is_sqlite(url):
        return "in-memory SQLite"
    try:
        parsed = make_url(url)
        server = parsed.host or "localhost"
        if parsed.port:
            server += f":{parsed.port}"
    except (ArgumentError, ValueError):
        return masked_url(url)
    # No user and no password: who read the database is not the report's business.
    return f"{server}/{parsed.database or ''}"


def make_engine(
    url: str, *, write: bool = True, look_only: bool = False, on_wait: OnWait | None = None
) -> Engine:
    """Create an engine for a SQLAlchemy URL; SQLite files get their folder and pragmas.

    A writer takes its turn: it waits for any other procwatch writer to the database to
    commit, however long that takes, calling `on_wait` once if it has to. A read engine of
    a SQLite file in a read-only place, or one that only looks (`look_only`), opens it
    read-only and changes no file.
    """
    shown = masked_url(url)
    try:
        parsed = make_url(url)
        # The port is parsed lazily: a non-numeric one fails here rather than deep in a driver.
        _ = parsed.port
    except (ArgumentError, ValueError):
        raise DatabaseError(f"invalid database URL {shown!r}") from None
    names_a_file = is_sqlite(url) and parsed.username is None and parsed.host is None
    if not names_a_file and (url.count("@") > 1 or "@" in url.partition("?")[2]):
        # SQLAlchemy ends a password at its first '@', and reads a URL whose query holds one
        # as user:password@host: part of the password would go out as the host's name, and
        # into the driver's "cannot resolve host" message.
        raise DatabaseError(f"invalid database URL {shown!r}: write an '@' in a password as %40")
    if is_sqlite(url):
        _check_sqlite_version()
    path = sqlite_path(url)
    options: dict[str, Any] = {}
    if path is not None:
        _check_sqlite_file(path)
        if write and read_only_place(path):
            raise DatabaseError(
                f"cannot write to the database {path}: the file or its folder is read-only"
            )
        if not write and (look_only or read_only_place(path)):
            uri = _read_only_uri(path)
            options["creator"] = lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    try:
        engine = create_engine(parsed, future=True, **options)
    except (ArgumentError, ImportError, ValueError) as error:
        message = str(error).replace(url, shown).strip().splitlines()[0]
        raise DatabaseError(f"cannot use database URL {shown!r}: {message}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas if write else _sqlite_read_pragmas)
        event.listen(engine, "begin", _sqlite_turn(on_wait) if write else _begin_deferred)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _postgres_turn(on_wait) if write else _begin_read_only)
    return engine


def describe(error: SQLAlchemyError) -> str:
    """Return the driver's one-line message for a database error."""
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


@contextmanager
def connection_scope(engine: Engine) -> Iterator[Connection]:
    """Open a connection in a transaction that commits on success and rolls back on any error."""
    with database_errors(), engine.connect() as connection, connection.begin():
        yield connection


@contextmanager
def database_errors() -> Iterator[None]:
    try:
        yield
    except (OperationalError, SQLAlchemyDatabaseError) as error:
        if isinstance(getattr(error, "orig", None), sqlite3.DatabaseError) and (
            "file is not a database" in str(error)
        ):
            raise DatabaseError("the file is not a procwatch database") from None
        raise DatabaseError(f"database error: {describe(error)}") from None
