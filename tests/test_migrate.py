from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from procwatch import migrate
from procwatch.errors import DatabaseError
from procwatch.models import Base


def test_revisions_constant_matches_the_migration_scripts() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    ordered = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    assert tuple(ordered) == migrate.REVISIONS
    assert scripts.get_current_head() == migrate.HEAD


def test_migrated_blank_database_matches_the_models(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'blank.db'}")
    with engine.begin() as connection:
        migrate.upgrade(connection)
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'cycle.db'}")
    with engine.begin() as connection:
        migrate.upgrade(connection)
        migrate.downgrade(connection, "base")
        tables = connection.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
            )
        ).all()
        assert tables == []
        migrate.upgrade(connection)
        assert migrate.status(connection).is_current


def test_open_database_creates_migrates_and_seeds(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "procwatch.db"
    engine = migrate.open_database(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM contracts")).scalar() == 4
    engine.dispose()


def test_out_of_date_database_is_refused(db_path: Path) -> None:
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    with pytest.raises(DatabaseError, match="newer than this procwatch knows; upgrade procwatch"):
        migrate.open_database(f"sqlite:///{db_path}")


def test_older_revision_asks_for_upgrade(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrate, "REVISIONS", ("0001", "0002"))
    monkeypatch.setattr(migrate, "HEAD", "0002")
    with pytest.raises(DatabaseError) as raised:
        migrate.require_current(migrate.Status(empty=False, revision="0001"), "x.db")
    assert str(raised.value) == (
        "x.db is at schema revision 0001, this procwatch needs 0002: run 'procwatch db upgrade'"
    )
