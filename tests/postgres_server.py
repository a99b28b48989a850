"""Create and drop uniquely named PostgreSQL databases and roles for tests."""

from __future__ import annotations

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

ENV_POSTGRES = "PROCWATCH_TEST_POSTGRES_URL"


class PostgresServer:
    """A PostgreSQL server reached through an administrator's URL.

    Names carry a per-session prefix, since several people may run the tests against the
    same server at once; whatever a test leaves behind is dropped when the session ends.
    """

    def __init__(self, url: str, prefix: str) -> None:
        self.base = make_url(url)
        self.prefix = prefix
        # CREATE DATABASE cannot run inside a transaction block.
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.databases: list[str] = []
        self.roles: list[str] = []
        self.count = 0

    def _name(self, label: str) -> str:
        self.count += 1
        return f"{self.prefix}_{label}_{self.count}"

    def url(self, database: str, user: str | None = None) -> str:
        """Return the URL of a database on this server, as the admin or as another role."""
        url = self.base.set(database=database)
        if user is not None:
            url = url.set(username=user, password=None)
        return url.render_as_string(hide_password=False)

    def create_database(self, label: str, template: str | None = None) -> str:
        """Create an empty database, or a copy of a template database; return its name."""
        name = self._name(label)
        copy = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name}{copy}")
        self.databases.append(name)
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, closing any connection a failed test left open."""
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.databases.remove(name)

    def create_role(self, label: str) -> str:
        """Create a login role with no privileges beyond PUBLIC's; return its name."""
        name = self._name(label)
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE ROLE {name} LOGIN")
        self.roles.append(name)
        return name

    def run(self, database: str, *statements: str) -> None:
        """Run SQL statements as the administrator in one database."""
        engine = create_engine(self.url(database), poolclass=NullPool)
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
        engine.dispose()

    def close(self) -> None:
        """Drop every database and role this session created and still holds."""
        for name in list(self.databases):
            self.drop_database(name)
        with self.admin.connect() as connection:
            for role in self.roles:
                connection.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
        self.admin.dispose()
