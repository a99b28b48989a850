"""The contracts summary table: marked by every write, refreshed on commit, read when current."""

from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from procwatch import contracts_summary, db, migrate
from procwatch.contracts_summary import grouped_query, is_current, refresh, table_query
from procwatch.db import insert_many, session_scope
from procwatch.vendors import merge_vendors, undo_merge
from tests.conftest import Procwatch
from tests.test_exports import COLUMNS as EXPORT_COLUMNS

COLUMNS = (*EXPORT_COLUMNS, "date_end")
GEORGIA, POLAND = 15, 26
NUCTECH = 1
SEED_ROW = ("Nuctech Company Limited", "GE", "Georgia", "2018-2020", "USD", 1, "5870722.48", 0, 0)


def rows(session: Session, query: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in session.execute(query)]


def stale(session: Session) -> set[int]:
    return set(session.scalars(text("SELECT vendor_id FROM contracts_summary_stale")))


def add_vendors(session: Session, *names: str) -> list[int]:
    keys = [f"{name.lower()}-{n}" for n, name in enumerate(names)]
    insert_many(
        session,
        "vendors",
        ("key", "name", "name_key"),
        [(k, n, n.lower()) for k, n in zip(keys, names, strict=True)],
    )
    return [
        session.execute(text("SELECT id FROM vendors WHERE key = :k"), {"k": k}).scalar_one()
        for k in keys
    ]


def add_awkward_contracts(session: Session) -> list[int]:
    """Add two vendors of one name, ranges of years, no dates, no amounts, estimates."""
    acme, other_acme, zeta = add_vendors(session, "Acme", "Acme", "Zeta")
    insert_many(
        session,
        "contracts",
        COLUMNS,
        [
            ("a1", acme, GEORGIA, "t", 100, "EUR", False, "2021-05", None),
            ("a2", other_acme, GEORGIA, "t", 250, "EUR", True, "2021", None),
            ("a3", other_acme, GEORGIA, "t", None, None, False, "2021-02-03", None),
            ("z1", zeta, GEORGIA, "t", 100, "EUR", False, "2019-01", "2019-12-31"),
            ("z2", zeta, GEORGIA, "t", -200, "EUR", False, "2019", None),
            ("z3", zeta, GEORGIA, "t", 300, "JPY", False, "2018-06", "2020"),
            ("z4", zeta, GEORGIA, "t", 400, "KWD", False, None, None),
            ("z5", zeta, GEORGIA, "t", None, None, False, "2019-03-04", None),
            ("z6", zeta, POLAND, "t", 500, "EUR", True, "2017", "2017"),
            ("z7", zeta, POLAND, "t", 7, "EUR", True, "2017-01", None),
        ],
    )
    return [acme, other_acme, zeta]


def assert_table_matches_contracts(session: Session) -> None:
    assert is_current(session)
    assert rows(session, table_query()) == rows(session, grouped_query())


def test_a_new_database_reads_the_seed_summary_from_the_table(session: Session) -> None:
    assert is_current(session)
    assert SEED_ROW in rows(session, table_query())
    assert rows(session, table_query()) == rows(session, grouped_query())


def test_a_commit_refreshes_the_vendors_it_wrote(engine: Engine) -> None:
    with session_scope(engine) as session:
        acme, other_acme, zeta = add_awkward_contracts(session)
        assert stale(session) == {acme, other_acme, zeta}
        assert not is_current(session)
    with session_scope(engine) as session:
        assert_table_matches_contracts(session)
        zeta_rows = [row[1:] for row in rows(session, table_query()) if row[0] == "Zeta"]
    assert zeta_rows == [
        ("GE", "Georgia", "2018-2020", "JPY", 1, "300", 0, 0),
        ("GE", "Georgia", "2019", "EUR", 2, "-1.00", 0, 0),
        ("GE", "Georgia", "2019", None, 1, None, 1, 0),
        ("GE", "Georgia", None, "KWD", 1, "0.400", 0, 0),
        ("PL", "Poland", "2017", "EUR", 2, "5.07", 0, 2),
    ]


def test_two_vendors_of_one_name_keep_their_own_rows(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_awkward_contracts(session)
    with session_scope(engine) as session:
        acme_rows = [row[3:] for row in rows(session, table_query()) if row[0] == "Acme"]
    assert acme_rows == [
        ("2021", "EUR", 1, "1.00", 0, 0),
        ("2021", "EUR", 1, "2.50", 0, 1),
        ("2021", None, 1, None, 1, 0),
    ]


WRITES = {
    "a new contract": (
        "INSERT INTO contracts (key, vendor_id, jurisdiction_id, title, amount_is_estimate)"
        " VALUES ('new', :zeta, 15, 't', false)",
        {"zeta"},
    ),
    "a changed amount": ("UPDATE contracts SET amount_minor = 1 WHERE key = 'z1'", {"zeta"}),
    "a changed date": ("UPDATE contracts SET date_end = '2030' WHERE key = 'z1'", {"zeta"}),
    "a moved contract": (
        "UPDATE contracts SET vendor_id = :acme WHERE key = 'z1'",
        {"zeta", "acme"},
    ),
    "a deleted contract": ("DELETE FROM contracts WHERE key = 'z1'", {"zeta"}),
    "a renamed vendor": ("UPDATE vendors SET name = 'Zed' WHERE id = :zeta", {"zeta"}),
    "a recoded country": (
        "UPDATE jurisdictions SET code = 'XP' WHERE id = 26",
        {"zeta", "nuctech"},
    ),
    "a new title": ("UPDATE contracts SET title = 'other' WHERE key = 'z1'", set()),
    "the same name": ("UPDATE vendors SET name = name WHERE id = :zeta", set()),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_a_write_marks_the_vendors_whose_rows_it_changes(engine: Engine, write: str) -> None:
    with session_scope(engine) as session:
        acme, _, zeta = add_awkward_contracts(session)
    ids = {"acme": acme, "zeta": zeta, "nuctech": NUCTECH}
    statement, marked = WRITES[write]
    with session_scope(engine) as session:
        session.execute(
            text(statement), {name: ids[name] for name in ids if f":{name}" in statement}
        )
        assert stale(session) == {ids[name] for name in marked}
    with session_scope(engine) as session:
        assert_table_matches_contracts(session)


def test_a_write_by_another_tool_is_read_from_the_contracts(
    engine: Engine, db_url: str, procwatch: Procwatch
) -> None:
    other_tool = create_engine(db_url, poolclass=NullPool)
    with other_tool.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO contracts (key, vendor_id, jurisdiction_id, title, amount_minor,"
                " currency, amount_is_estimate, date_start)"
                " VALUES ('elsewhere', 1, 26, 't', 123, 'EUR', false, '2025')"
            )
        )
    other_tool.dispose()
    result = procwatch("export", "contracts-summary")
    assert result.exit_code == 0, result.output
    assert "Nuctech Company Limited,PL,Poland,2025,EUR,1,1.23,0,0" in result.output
    # The read neither refreshed the table nor failed for want of it.
    with session_scope(engine) as session:
        assert stale(session) == {NUCTECH}
        refresh(session)
        assert_table_matches_contracts(session)


def test_a_merge_and_its_undoing_refresh_both_vendors(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_awkward_contracts(session)
    with session_scope(engine) as session:
        record = merge_vendors(session, "Zeta", "Nuctech")
    with session_scope(engine) as session:
        assert_table_matches_contracts(session)
        assert not any(row[0] == "Nuctech Company Limited" for row in rows(session, table_query()))
    with session_scope(engine) as session:
        undo_merge(session, record.id)
    with session_scope(engine) as session:
        assert_table_matches_contracts(session)
        assert SEED_ROW in rows(session, table_query())


def test_a_refresh_works_in_chunks(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "IN_CHUNK", 2)
    with session_scope(engine) as session:
        session.execute(
            text("INSERT INTO contracts_summary_stale (vendor_id) SELECT id FROM vendors")
        )
        add_awkward_contracts(session)
        assert refresh(session) == 4
        assert_table_matches_contracts(session)


def test_an_upgrade_builds_the_table_for_the_contracts_already_there(
    engine: Engine, db_url: str
) -> None:
    with session_scope(engine) as session:
        add_awkward_contracts(session)
    raw = create_engine(db_url, poolclass=NullPool)
    with raw.begin() as connection:
        migrate.downgrade(connection, "0004")
    assert migrate.upgrade_database(db_url) == ("0004", migrate.HEAD)
    with session_scope(engine) as session:
        assert_table_matches_contracts(session)
        assert len(rows(session, table_query())) == 12
    raw.dispose()


def test_truncating_the_contracts_marks_every_vendor(backend: str, engine: Engine) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; a DELETE fires the row triggers")
    with session_scope(engine) as session:
        acme, other_acme, zeta = add_awkward_contracts(session)
    with session_scope(engine) as session:
        session.execute(text("TRUNCATE contracts CASCADE"))
        assert stale(session) == {NUCTECH, acme, other_acme, zeta}
    with session_scope(engine) as session:
        assert rows(session, table_query()) == []
        assert is_current(session)


def test_the_summary_module_reads_the_table_only_when_current(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert contracts_summary.summary_query(session).compare(table_query())
        session.execute(text("INSERT INTO contracts_summary_stale (vendor_id) VALUES (1)"))
        assert contracts_summary.summary_query(session).compare(grouped_query())


def test_a_read_session_leaves_the_marks_for_a_writer(engine: Engine, db_url: str) -> None:
    other_tool = create_engine(db_url, poolclass=NullPool)
    with other_tool.begin() as connection:
        connection.execute(text("UPDATE vendors SET name = 'Nuctech Co.' WHERE id = 1"))
    other_tool.dispose()
    reader = migrate.open_database(db_url)
    with session_scope(reader) as session:
        assert not is_current(session)
    reader.dispose()
    with session_scope(engine) as session:
        assert stale(session) == {NUCTECH}
    with session_scope(engine) as session:
        assert_table_matches_contracts(session)
        assert ("Nuctech Co.", *SEED_ROW[1:]) in rows(session, table_query())
