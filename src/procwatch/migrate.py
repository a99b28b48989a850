"""Schema revisions: check them cheaply, upgrade them with Alembic, create new databases."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from procwatch.db import OnWait, describe, table_names
from procwatch.errors import DatabaseError, Remedy

if TYPE_CHECKING:
    from alembic.config import Config

# The revisions of alembic/versions in order, oldest first. Kept here so that checking a
# database needs only its alembic_version row, not Alembic; a test keeps it in step.
REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
)
HEAD = REVISIONS[-1]


@dataclass(frozen=True)
class Status:
    """What a database holds: nothing yet, procwatch's schema at a revision, or something else."""

    empty: bool
    revision: str | None

    @property
    def is_current(self) -> bool:
        """Return whether the schema is at this program's head revision."""
        return self.revision == HEAD


def migrations_dir() -> Path:
    """Return the Alembic script folder: inside the installed package, or the checkout's."""
    packaged = Path(__file__).parent / "_alembic"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "alembic"


def alembic_config(connection: Connection | None = None) -> Config:
    """Return an Alembic config for the migrations, optionally bound to a connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def status(connection: Connection) -> Status:
    """Return the state of a database's schema."""
    tables = table_names(connection)
    if not tables:
        return Status(empty=True, revision=None)
    if "alembic_version" not in tables:
        return Status(empty=False, revision=None)
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return Status(empty=False, revision=revision)


def require_current(found: Status, where: str) -> None:
    """Raise DatabaseError unless the schema is procwatch's at this program's head."""
    if found.is_current:
        return
    if found.revision is None:
        raise DatabaseError(f"{where} is not a procwatch database")
    if found.revision in REVISIONS:
        raise DatabaseError(
            f"{where} is at schema revision {found.revision}, this procwatch needs {HEAD}",
            remedy=Remedy.UPGRADE_SCHEMA,
        )
    raise DatabaseError(
        f"{where} has schema revision {found.revision}, newer than this procwatch knows; "
        "upgrade procwatch"
    )


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Run the migrations up to a revision on a connection inside its transaction."""
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    """Run the migrations down to a revision on a connection inside its transaction."""
    from alembic import command

    command.downgrade(alembic_config(connection), revision)


def open_status(engine: Engine) -> Status:
    """Connect and return the schema state, turning connection failures into DatabaseError."""
    try:
        with engine.connect() as connection:
            return status(connection)
    except SQLAlchemyError as error:
        raise DatabaseError(f"cannot open the database: {describe(error)}") from None


def initialize(engine: Engine) -> bool:
    """Create the schema and load the seed in one transaction; return False if it was there."""
    from procwatch.seed import load_seed
    from procwatch.store import store_on

    with engine.begin() as connection:
        # Another process may have created it while this one waited for the writer's lock.
        if not status(connection).empty:
            return False
        upgrade(connection)
        with store_on(connection) as store:
            load_seed(store)
    return True


def identify(url: str) -> None:
    """Refuse an existing SQLite file that is not procwatch's, after a look that changes nothing.

    A writer's connection switches the file to WAL (header bytes 18-19, -wal and -shm files)
    before it can read a table: someone else's database, or a newer procwatch's, is looked
    at read-only first, and refused untouched.
    """
    from procwatch.db import make_engine, sqlite_path

    path = sqlite_path(url)
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return
    engine = make_engine(url, write=False, look_only=True)
    try:
        found = open_status(engine)
    finally:
        engine.dispose()
    if not found.empty and found.revision not in REVISIONS:
        require_current(found, _where(url))


def open_database(url: str, *, write: bool = False, on_wait: OnWait | None = None) -> Engine:
    """Return an engine for a ready database; a new empty one is created, migrated and seeded.

    A read engine (write=False) never migrates and runs read-only transactions. It creates
    only a new SQLite file, the user's own; an empty server database is its owner's to
    create with `procwatch db upgrade`, so that analysts never end up owning the schema.
    A writer waits for its turn (see make_engine), calling `on_wait` if it has to.
    """
    from procwatch.db import creates_on_first_use, make_engine

    if write:
        identify(url)
    engine = make_engine(url, write=write, on_wait=on_wait)
    try:
        found = open_status(engine)
        if found.empty:
            if not write and not creates_on_first_use(url):
                raise DatabaseError(
                    f"{_where(url)} is empty: its owner creates the schema",
                    remedy=Remedy.CREATE_SCHEMA,
                )
            _create(url, engine if write else None, on_wait)
            found = open_status(engine)
        require_current(found, _where(url))
    except BaseException:
        engine.dispose()
        raise
    return engine


def _create(url: str, engine: Engine | None, on_wait: OnWait | None) -> None:
    from procwatch.db import make_engine

    creator = engine or make_engine(url, write=True, on_wait=on_wait)
    try:
        initialize(creator)
    except SQLAlchemyError as error:
        raise DatabaseError(f"cannot create the database: {describe(error)}") from None
    finally:
        if creator is not engine:
            creator.dispose()


def _where(url: str) -> str:
    from procwatch.db import masked_url, sqlite_path

    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return masked_url(url)


def upgrade_database(url: str, on_wait: OnWait | None = None) -> tuple[str | None, str]:
    """Create or upgrade a database to the head revision; return the revisions before and after.

    Of several upgrades at once, one migrates; the others wait for it (calling `on_wait`)
    and return the revision it left as both before and after.
    """
    from procwatch.db import make_engine

    identify(url)
    engine = make_engine(url, write=True, on_wait=on_wait)
    try:
        found = open_status(engine)
        if found.empty:
            if initialize(engine):
                return None, HEAD
            found = open_status(engine)
        if found.revision is None or found.revision not in REVISIONS:
            require_current(found, _where(url))
        if found.revision != HEAD:
            with engine.begin() as connection:
                # Read again inside the writer's turn: another upgrade may have run meanwhile.
                found = status(connection)
                if found.revision != HEAD:
                    upgrade(connection)
        return found.revision, HEAD
    except SQLAlchemyError as error:
        raise DatabaseError(f"cannot upgrade the database: {describe(error)}") from None
    finally:
        engine.dispose()


def describe_revision(url: str) -> str:
    """Return one line saying the database's schema revision and whether it is current."""
    from procwatch.db import make_engine

    engine = make_engine(url, write=False)
    try:
        found = open_status(engine)
    finally:
        engine.dispose()
    if found.empty:
        from procwatch.db import creates_on_first_use

        creator = "the first command" if creates_on_first_use(url) else "'procwatch db upgrade'"
        return f"{_where(url)}: empty; {creator} creates it at revision {HEAD}."
    if found.is_current:
        return f"{_where(url)}: revision {found.revision} (current)."
    require_current(found, _where(url))
    raise AssertionError("require_current raises for every revision that is not current")
