"""contract years

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 14:50:00.000000

Contracts get `years`, computed by the database from date_start and date_end, and the
summary index holds it in place of the raw dates: the contracts summary then reads its rows
in group order instead of sorting a million of them (on SQLite 2.2 s against 4.7 s for the
summary's SQL, measured on a million contracts).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

YEARS_SQL = (
    "substr(date_start, 1, 4) || CASE WHEN date_end IS NOT NULL"
    " AND substr(date_end, 1, 4) <> substr(date_start, 1, 4)"
    " THEN '-' || substr(date_end, 1, 4) ELSE '' END"
)
OLD_SUMMARY = [
    "vendor_id",
    "jurisdiction_id",
    "currency",
    "date_start",
    "date_end",
    "amount_minor",
    "amount_is_estimate",
]
NEW_SUMMARY = [
    "vendor_id",
    "jurisdiction_id",
    "years",
    "currency",
    "amount_minor",
    "amount_is_estimate",
]


def upgrade() -> None:
    # PostgreSQL 15 has only stored generated columns. SQLite adds a stored one only by
    # copying the table, and dropping the old copy with foreign keys on would cascade into
    # flags and citations: a virtual column serves as well, its values live in the index.
    stored = op.get_bind().dialect.name != "sqlite"
    computed = sa.Computed(YEARS_SQL, persisted=True if stored else None)
    op.add_column("contracts", sa.Column("years", sa.String(length=9), computed, nullable=True))
    op.drop_index("ix_contracts_vendor_summary", table_name="contracts")
    op.create_index("ix_contracts_vendor_summary", "contracts", NEW_SUMMARY, unique=False)


def downgrade() -> None:
    op.drop_index("ix_contracts_vendor_summary", table_name="contracts")
    op.create_index("ix_contracts_vendor_summary", "contracts", OLD_SUMMARY, unique=False)
    op.drop_column("contracts", "years")
