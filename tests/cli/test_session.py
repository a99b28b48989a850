"""A read-only PostgreSQL role runs every read command and is refused every write."""

import re

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from procwatch import migrate
from tests.conftest import Procwatch
from tests.postgres_server import PostgresServer

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def grant_reading(server: PostgresServer, url: str) -> str:
    """Create an analyst role that may read the database of `url`; return its URL."""
    database = str(make_url(url).database)
    role = server.create_role("analyst")
    server.run(
        database,
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
    )
    return server.url(database, user=role)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["contracts", "--vendor", "Nuotech", "-f", "csv"], "5870722.48,USD"),
        (["contracts", "--buyer", "revenue", "--since", "2019", "-f", "csv"], "2018-2020"),
        (["bans", "--country", "Poland", "-f", "csv"], "investigation"),
        (["vendors", "nuc", "-f", "csv"], "Nuctech Company Limited,unknown,CN"),
        (["vendor", "Nuctech", "-f", "json"], '"total": "5870722.48"'),
        (["jurisdictions", "-f", "csv"], "EU,European Union,union"),
        (["export", "contracts"], "5870722.48,USD,no,2018,2020"),
        (["export", "contracts-summary"], "GE,Georgia,2018-2020,USD,1,5870722.48,0,0"),
        (["export", "measures"], "Lithuania"),
        (["export", "measures-summary"], "LT,Lithuania,ban,1,1,2021,2021"),
        (["db", "current"], f": revision {migrate.HEAD} (current)."),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_an_analyst_runs_every_read_command(
    postgres_server: PostgresServer, db_url: str, command: list[str], expected: str
) -> None:
    result = Procwatch(grant_reading(postgres_server, db_url))(*command)
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_an_analyst_cannot_write(postgres_server: PostgresServer, db_url: str) -> None:
    analyst = grant_reading(postgres_server, db_url)
    engine = create_engine(db_url, poolclass=NullPool)
    with engine.begin() as connection:
        migrate.downgrade(connection, migrate.REVISIONS[-2])
    result = Procwatch(analyst)("db", "upgrade")
    assert result.exit_code == 4
    # PostgreSQL names what the newest migration needs: the owner of what it alters, or
    # the right to create in the schema.
    assert re.match(
        r"Error: cannot upgrade the database: (must be owner of |permission denied for )",
        result.output,
    )
    assert result.output.count("\n") == 1
    with engine.connect() as connection:
        assert migrate.status(connection).revision == migrate.REVISIONS[-2]
    engine.dispose()


def test_an_analyst_is_told_the_schema_is_out_of_date(
    postgres_server: PostgresServer, db_url: str
) -> None:
    analyst = grant_reading(postgres_server, db_url)
    engine = create_engine(db_url, poolclass=NullPool)
    with engine.begin() as connection:
        migrate.downgrade(connection, migrate.REVISIONS[-2])
    engine.dispose()
    result = Procwatch(analyst)("contracts")
    where = make_url(analyst).render_as_string(hide_password=True)
    assert result.exit_code == 4
    assert result.output == (
        f"Error: {where} is at schema revision {migrate.REVISIONS[-2]}, this procwatch needs "
        f"{migrate.HEAD}: run 'procwatch db upgrade'\n"
    )


def test_an_analyst_on_an_empty_database_is_told_who_creates_it(
    postgres_server: PostgresServer, empty_db_url: str
) -> None:
    analyst = grant_reading(postgres_server, empty_db_url)
    where = make_url(analyst).render_as_string(hide_password=True)
    result = Procwatch(analyst)("contracts", "--vendor", "Nuctech")
    assert result.exit_code == 4
    assert result.output == (
        f"Error: {where} is empty: its owner creates the schema with 'procwatch db upgrade'\n"
    )
    result = Procwatch(analyst)("db", "upgrade")
    assert result.exit_code == 4
    assert result.output == (
        "Error: cannot upgrade the database: permission denied for schema public\n"
    )
    engine = create_engine(empty_db_url, poolclass=NullPool)
    with engine.connect() as connection:
        assert (
            connection.execute(
                text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar()
            == 0
        )
    engine.dispose()
