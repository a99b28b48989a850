from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool

from procwatch import migrate, tables
from procwatch.errors import DatabaseError, Remedy


def test_revisions_constant_matches_the_migration_scripts() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    ordered = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    assert tuple(ordered) == migrate.REVISIONS
    assert scripts.get_current_head() == migrate.HEAD


def test_migrated_blank_database_matches_the_schema(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url, poolclass=NullPool)
    with engine.begin() as connection:
        migrate.upgrade(connection)
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, tables.metadata) == []


def test_upgrade_downgrade_upgrade(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url, poolclass=NullPool)
    with engine.begin() as connection:
        migrate.upgrade(connection)
        assert set(inspect(connection).get_table_names()) == {
            *tables.metadata.tables,
            "alembic_version",
        }
        migrate.downgrade(connection, "base")
        assert inspect(connection).get_table_names() == ["alembic_version"]
        migrate.upgrade(connection)
        assert migrate.status(connection).is_current
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, tables.metadata) == []


def test_each_revision_downgrades_to_the_one_before(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url, poolclass=NullPool)
    with engine.begin() as connection:
        migrate.upgrade(connection)
        for previous in reversed(migrate.REVISIONS[:-1]):
            migrate.downgrade(connection, previous)
            assert migrate.status(connection).revision == previous
        migrate.upgrade(connection)
        assert migrate.status(connection).is_current


def test_open_database_creates_migrates_and_seeds(empty_db_url: str) -> None:
    engine = migrate.open_database(empty_db_url, write=True)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM contracts")).scalar() == 4
        assert migrate.status(connection).is_current
    engine.dispose()


def test_a_new_sqlite_file_is_created_in_new_folders(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "procwatch.db"
    engine = migrate.open_database(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM contracts")).scalar() == 4
    engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_read_command_does_not_create_a_server_database(empty_db_url: str) -> None:
    with pytest.raises(DatabaseError) as raised:
        migrate.open_database(empty_db_url)
    assert str(raised.value).endswith("is empty: its owner creates the schema")
    assert raised.value.remedy is Remedy.CREATE_SCHEMA
    engine = create_engine(empty_db_url, poolclass=NullPool)
    with engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    engine.dispose()


def test_a_newer_database_is_refused(db_url: str) -> None:
    engine = create_engine(db_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    with pytest.raises(DatabaseError, match=r"newer than this procwatch knows; upgrade procwatch$"):
        migrate.open_database(db_url)


def test_an_older_database_is_refused_by_reads_and_upgraded_by_db_upgrade(
    empty_db_url: str,
) -> None:
    engine = create_engine(empty_db_url, poolclass=NullPool)
    with engine.begin() as connection:
        migrate.upgrade(connection, migrate.REVISIONS[0])
    old = migrate.REVISIONS[0]
    if old == migrate.HEAD:
        pytest.skip("only one revision exists")
    with pytest.raises(DatabaseError, match=rf"at schema revision {old}, this procwatch needs"):
        migrate.open_database(empty_db_url)
    with engine.connect() as connection:
        assert migrate.status(connection).revision == old
    assert migrate.upgrade_database(empty_db_url) == (old, migrate.HEAD)
    engine.dispose()


def test_describe_revision_of_an_empty_database(backend: str, empty_db_url: str) -> None:
    creator = "the first command" if backend == "sqlite" else "'procwatch db upgrade'"
    assert migrate.describe_revision(empty_db_url).endswith(
        f": empty; {creator} creates it at revision {migrate.HEAD}."
    )


def test_0004_computes_years_for_the_contracts_already_there(db_url: str) -> None:
    engine = create_engine(db_url, poolclass=NullPool)
    with engine.begin() as connection:
        migrate.downgrade(connection, "0003")
        assert "years" not in {c["name"] for c in inspect(connection).get_columns("contracts")}
        connection.execute(
            text(
                "INSERT INTO contracts (key, vendor_id, jurisdiction_id, title, "
                "amount_is_estimate, date_start, date_end) VALUES "
                "('span', 1, 15, 't', false, '2019-11', '2021-02-03'), "
                "('same-year', 1, 15, 't', false, '2020-01-05', '2020-12')"
            )
        )
        migrate.upgrade(connection)
        years = dict(connection.execute(text("SELECT key, years FROM contracts")).all())
        index = {i["name"]: i["column_names"] for i in inspect(connection).get_indexes("contracts")}
    engine.dispose()
    # The seed's four contracts (a year, a month, a 2018-2020 range) and the two above.
    assert sorted(years.values(), key=str) == [
        "2008",
        "2012",
        "2018-2020",
        "2019-2021",
        "2020",
        "2024",
    ]
    assert years["span"] == "2019-2021"
    assert index["ix_contracts_vendor_summary"][:4] == [
        "vendor_id",
        "jurisdiction_id",
        "years",
        "currency",
    ]


def test_0006_recomputes_name_keys_and_merges_nothing(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url, poolclass=NullPool)
    with engine.begin() as connection:
        migrate.upgrade(connection, "0005")
        run = connection.execute
        run(
            text(
                "INSERT INTO jurisdictions (id, code, name, kind) VALUES (1, 'US', 'US', 'country')"
            )
        )
        # Keys as 0005 computed them: "Co. Ltd." and "Group" dropped, AG and GmbH alike.
        for number, name, key in [
            (1, "Hikvision Digital Technology Co. Ltd.", "hikvision digital technology"),
            (2, "Deutsche Bank AG", "deutsche bank"),
            (3, "Deutsche Bank GmbH", "deutsche bank"),
            (4, "Nanshan Group", "nanshan"),
        ]:
            run(
                text(
                    "INSERT INTO vendors (id, key, name, name_key) VALUES (:id, :key, :name, :nk)"
                ),
                {"id": number, "key": f"v{number}", "name": name, "nk": key},
            )
        run(
            text(
                "INSERT INTO vendor_aliases (vendor_id, alias, alias_key)"
                " VALUES (1, 'HIKVISION CO LTD', 'hikvision')"
            )
        )
        for number, key in [
            (1, "list:hikvision-digital-technology:-"),
            (2, "list:deutsche-bank:-"),
        ]:
            run(
                text(
                    "INSERT INTO measures (key, vendor_id, jurisdiction_id, kind)"
                    " VALUES (:key, :vendor, 1, 'ban')"
                ),
                {"key": key, "vendor": number},
            )
        migrate.upgrade(connection)

        def keys() -> list[tuple[object, ...]]:
            return [
                *run(text("SELECT id, name_key FROM vendors ORDER BY id")).tuples(),
                *run(text("SELECT vendor_id, alias_key FROM vendor_aliases")).tuples(),
                *run(text("SELECT vendor_id, key FROM measures ORDER BY vendor_id")).tuples(),
            ]

        assert keys() == [
            (1, "hikvision digital technology #limited"),
            (2, "deutsche bank #stock"),
            (3, "deutsche bank #limited"),
            (4, "nanshan group"),
            (1, "hikvision #limited"),
            # Importing the list again finds its measure under the key it now builds.
            (1, "list:hikvision-digital-technology-#limited:-"),
            (2, "list:deutsche-bank-#stock:-"),
        ]
        assert run(text("SELECT count(*) FROM vendors")).scalar() == 4
        migrate.downgrade(connection, "0005")
        assert keys() == [
            (1, "hikvision digital technology"),
            (2, "deutsche bank"),
            (3, "deutsche bank"),
            (4, "nanshan"),
            (1, "hikvision"),
            (1, "list:hikvision-digital-technology:-"),
            (2, "list:deutsche-bank:-"),
        ]


def summary_copy_objects(connection: Connection) -> set[str]:
    """Return the tables, indexes, triggers and functions of migration 0005's summary copy."""
    if connection.dialect.name == "sqlite":
        query = (
            "SELECT type || ' ' || name FROM sqlite_master WHERE name LIKE '%contracts_summary%'"
        )
    else:
        query = (
            "SELECT 'table ' || tablename FROM pg_tables WHERE tablename LIKE 'contracts_summary%'"
            " UNION SELECT 'index ' || indexname FROM pg_indexes"
            " WHERE indexname LIKE 'ix_contracts_summary%'"
            " UNION SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal"
            " UNION SELECT 'function ' || proname FROM pg_proc"
            " WHERE proname LIKE 'contracts_summary%'"
        )
    return set(connection.execute(text(query)).scalars())


SUMMARY_COPY = {
    "table contracts_summary",
    "table contracts_summary_stale",
    "index ix_contracts_summary_vendor_id",
    "index ix_contracts_summary_order",
    "trigger contracts_summary_jurisdiction_code",
    "trigger contracts_summary_vendor_name",
}
SQLITE_TRIGGERS = {
    "trigger contracts_summary_insert",
    "trigger contracts_summary_update",
    "trigger contracts_summary_delete",
}
POSTGRESQL_TRIGGERS = {
    "trigger contracts_summary_contract",
    "trigger contracts_summary_truncate",
    "function contracts_summary_mark_contract",
    "function contracts_summary_mark_all",
    "function contracts_summary_mark_vendor",
    "function contracts_summary_mark_jurisdiction",
}


def test_0007_drops_the_summary_copy_and_its_downgrade_restores_it(
    backend: str, db_url: str
) -> None:
    engine = create_engine(db_url, poolclass=NullPool)
    with engine.begin() as connection:
        assert summary_copy_objects(connection) == set()
        migrate.downgrade(connection, "0006")
        own = SQLITE_TRIGGERS if backend == "sqlite" else POSTGRESQL_TRIGGERS
        assert summary_copy_objects(connection) == SUMMARY_COPY | own
        # Every vendor with contracts is marked stale, so a procwatch that keeps the copy groups the
        # contracts until its next write rebuilds the copy; and the triggers mark writes.
        stale = text("SELECT DISTINCT vendor_id FROM contracts_summary_stale")
        with_contracts = set(connection.execute(text("SELECT vendor_id FROM contracts")).scalars())
        assert set(connection.execute(stale).scalars()) == with_contracts
        connection.execute(text("DELETE FROM contracts_summary_stale"))
        connection.execute(
            text("UPDATE contracts SET amount_minor = 1 WHERE key = 'pl-2024-03-xray-rzeszow'")
        )
        assert len(set(connection.execute(stale).scalars())) == 1
        migrate.upgrade(connection)
        assert summary_copy_objects(connection) == set()
        assert migrate.status(connection).is_current
    engine.dispose()


def test_0008_adds_the_issuers_to_a_seeded_database_and_loses_nothing(db_url: str) -> None:
    engine = create_engine(db_url, poolclass=NullPool)
    run_counts = text(
        "SELECT (SELECT count(*) FROM jurisdiction_memberships),"
        " (SELECT count(*) FROM citations), (SELECT count(*) FROM measures)"
    )
    issuers = text(
        "SELECT code, kind FROM jurisdictions WHERE kind = 'international' ORDER BY code"
    )
    with engine.begin() as connection:
        migrate.downgrade(connection, "0007")
        assert connection.execute(issuers).all() == []
        memberships, citations, measures = connection.execute(run_counts).one()
        assert memberships == 27  # the EU's members alone
        migrate.upgrade(connection)
        assert [code for code, _ in connection.execute(issuers)] == [
            "ADB",
            "AFDB",
            "EBRD",
            "IDB",
            "UN",
            "WBG",
        ]
        # Rebuilding a table on SQLite would have cascade-deleted memberships or citations.
        assert tuple(connection.execute(run_counts).one()) == (
            memberships + 20,
            citations,
            measures,
        )
        wbg = connection.execute(text("SELECT id FROM jurisdictions WHERE code = 'WBG'")).scalar()
        connection.execute(
            text("UPDATE measures SET origin_id = :wbg, listed_on = '2024-12'"), {"wbg": wbg}
        )
    engine.dispose()


def test_0008_keeps_the_kind_check(db_url: str) -> None:
    engine = create_engine(db_url, poolclass=NullPool)
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text("INSERT INTO jurisdictions (code, name, kind) VALUES ('X1', 'X', 'x')")
        )
    engine.dispose()


def test_0008_downgrade_keeps_issuers_that_measures_name(db_url: str) -> None:
    engine = create_engine(db_url, poolclass=NullPool)
    with engine.begin() as connection:
        wbg = connection.execute(text("SELECT id FROM jurisdictions WHERE code = 'WBG'")).scalar()
        connection.execute(
            text("UPDATE measures SET jurisdiction_id = :wbg WHERE key = 'lt-2021-equipment-ban'"),
            {"wbg": wbg},
        )
        migrate.downgrade(connection, "0007")
        kinds = text("SELECT code, kind FROM jurisdictions WHERE code IN ('WBG', 'EBRD', 'UN')")
        assert connection.execute(kinds).all() == [("WBG", "union")]
        columns = {column["name"] for column in inspect(connection).get_columns("measures")}
        assert {"origin_id", "listed_on"} & columns == set()
        migrate.upgrade(connection)
        assert migrate.status(connection).is_current
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, tables.metadata) == []
    engine.dispose()
