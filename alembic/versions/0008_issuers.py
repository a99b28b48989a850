"""international issuers and cross-debarments

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:40:00.000000

A measure may be decided by an international organisation: jurisdictions.kind takes
"international" beside "country" and "union", and a database that is already seeded gains
the development banks and the UN Security Council (the rows of data/seed/jurisdictions.csv,
frozen below) with the banks' 2010 mutual enforcement of debarments as memberships, each
bank bound by every other's decisions. A blank database gains nothing here: the seed that
follows its migration adds them.

measures gain origin_id (whose decision a cross-debarment enforces; NULL for the issuer's
own) and listed_on (when the list published the measure).

On SQLite the kind's CHECK constraint is widened in place, by the procedure SQLite documents
for changes that leave the stored rows as they are (ALTER TABLE, "making other kinds of table
schema changes"): rebuilding the table would cascade-delete every membership, because
dropping a table with foreign keys on deletes its rows first, and foreign keys cannot be
turned off inside the migration's transaction. The downgrade narrows it again after turning
every international issuer that something still refers to into a union (the only other kind
0007 knows without a territory), and deleting the rest.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_CHECK = "kind IN ('country', 'union')"
_NEW_CHECK = "kind IN ('country', 'union', 'international')"

ISSUERS = (
    ("WBG", "World Bank Group"),
    ("EBRD", "European Bank for Reconstruction and Development"),
    ("ADB", "Asian Development Bank"),
    ("AFDB", "African Development Bank Group"),
    ("IDB", "Inter-American Development Bank Group"),
    ("UN", "United Nations Security Council"),
)
# The parties to the Agreement for Mutual Enforcement of Debarment Decisions (2010).
MUTUAL_ENFORCEMENT = ("WBG", "EBRD", "ADB", "AFDB", "IDB")

_jurisdictions = sa.table(
    "jurisdictions", sa.column("id"), sa.column("code"), sa.column("name"), sa.column("kind")
)
_memberships = sa.table("jurisdiction_memberships", sa.column("union_id"), sa.column("member_id"))


def upgrade() -> None:
    _set_check(_OLD_CHECK, _NEW_CHECK)
    if op.get_context().dialect.name == "sqlite":
        # SQLite adds a column with a reference in place; a named constraint keeps the name
        # the naming convention gives on PostgreSQL.
        op.execute(
            "ALTER TABLE measures ADD COLUMN origin_id INTEGER"
            " CONSTRAINT fk_measures_origin_id_jurisdictions REFERENCES jurisdictions (id)"
        )
    else:
        op.add_column("measures", sa.Column("origin_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_measures_origin_id_jurisdictions"),
            "measures",
            "jurisdictions",
            ["origin_id"],
            ["id"],
        )
    op.add_column("measures", sa.Column("listed_on", sa.String(length=10), nullable=True))
    op.create_index(op.f("ix_measures_origin_id"), "measures", ["origin_id"], unique=False)
    _add_issuers(op.get_bind())


def downgrade() -> None:
    connection = op.get_bind()
    op.drop_index(op.f("ix_measures_origin_id"), table_name="measures")
    if op.get_context().dialect.name == "sqlite":
        op.execute("ALTER TABLE measures DROP COLUMN listed_on")
        # SQLite drops a column only when nothing constrains it: the reference goes first.
        _replace_sql(
            "measures",
            ", origin_id INTEGER CONSTRAINT fk_measures_origin_id_jurisdictions"
            " REFERENCES jurisdictions (id)",
            ", origin_id INTEGER",
        )
        op.execute("ALTER TABLE measures DROP COLUMN origin_id")
    else:
        op.drop_constraint(
            op.f("fk_measures_origin_id_jurisdictions"), "measures", type_="foreignkey"
        )
        op.drop_column("measures", "listed_on")
        op.drop_column("measures", "origin_id")
    _remove_issuers(connection)
    _set_check(_NEW_CHECK, _OLD_CHECK)


def _add_issuers(connection: sa.Connection) -> None:
    known = dict(connection.execute(sa.select(_jurisdictions.c.code, _jurisdictions.c.id)).all())
    if not known:
        return
    new = [
        {"code": code, "name": name, "kind": "international"}
        for code, name in ISSUERS
        if code not in known
    ]
    if new:
        if connection.dialect.name == "postgresql":
            # Rows written with explicit ids (a copied database) leave the id sequence behind.
            connection.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('jurisdictions', 'id'),"
                " (SELECT max(id) FROM jurisdictions))"
            )
        connection.execute(_jurisdictions.insert(), new)
    ids = dict(connection.execute(sa.select(_jurisdictions.c.code, _jurisdictions.c.id)).all())
    pairs = set(
        connection.execute(sa.select(_memberships.c.union_id, _memberships.c.member_id)).all()
    )
    rows = [
        {"union_id": ids[bound_by], "member_id": ids[bank]}
        for bound_by in MUTUAL_ENFORCEMENT
        for bank in MUTUAL_ENFORCEMENT
        if bank != bound_by and (ids[bound_by], ids[bank]) not in pairs
    ]
    if rows:
        connection.execute(_memberships.insert(), rows)


def _remove_issuers(connection: sa.Connection) -> None:
    international = dict(
        connection.execute(
            sa.select(_jurisdictions.c.id, _jurisdictions.c.code).where(
                _jurisdictions.c.kind == "international"
            )
        ).all()
    )
    if not international:
        return
    ids = list(international)
    connection.execute(
        _memberships.delete().where(
            _memberships.c.union_id.in_(ids) & _memberships.c.member_id.in_(ids)
        )
    )
    used: set[int] = set()
    for table, column in (
        ("measures", "jurisdiction_id"),
        ("contracts", "jurisdiction_id"),
        ("buyers", "jurisdiction_id"),
        ("vendors", "country_id"),
        ("jurisdiction_memberships", "union_id"),
        ("jurisdiction_memberships", "member_id"),
    ):
        referring = sa.table(table, sa.column(column))
        used.update(
            connection.execute(
                sa.select(referring.c[column]).where(referring.c[column].in_(ids)).distinct()
            ).scalars()
        )
    unused = [i for i in ids if i not in used]
    if unused:
        connection.execute(_jurisdictions.delete().where(_jurisdictions.c.id.in_(unused)))
    if used:
        connection.execute(
            _jurisdictions.update()
            .where(_jurisdictions.c.id.in_(sorted(used)))
            .values(kind="union")
        )


def _set_check(old: str, new: str) -> None:
    if op.get_context().dialect.name == "sqlite":
        _replace_sql("jurisdictions", old, new)
    else:
        op.drop_constraint(op.f("ck_jurisdictions_kind"), "jurisdictions", type_="check")
        op.create_check_constraint(op.f("ck_jurisdictions_kind"), "jurisdictions", new)


def _replace_sql(table: str, old: str, new: str) -> None:
    # SQLite's documented in-place schema edit: the stored rows already satisfy the new
    # definition (a wider CHECK, a column that loses only its reference), so no row moves.
    connection = op.get_bind()
    found = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    if old not in found:
        raise RuntimeError(f"table {table} is not as revision 0008 expects: {found}")
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    connection.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
        (found.replace(old, new), table),
    )
    connection.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    connection.exec_driver_sql("PRAGMA writable_schema = OFF")
