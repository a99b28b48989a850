"""query path indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 10:40:00.000000

The contracts summary groups a million contracts by vendor, country, currency and dates:
an index holding those columns lets it read the index alone (on SQLite about 1.5 times
faster than looking each contract up through ix_contracts_vendor_id, which it replaces:
its first column serves vendor lookups just as well). `--since` compares date_end too.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMMARY_COLUMNS = [
    "vendor_id",
    "jurisdiction_id",
    "currency",
    "date_start",
    "date_end",
    "amount_minor",
    "amount_is_estimate",
]


def upgrade() -> None:
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contracts_vendor_id"))
        batch_op.create_index("ix_contracts_vendor_summary", SUMMARY_COLUMNS, unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_date_end"), ["date_end"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contracts_date_end"))
        batch_op.drop_index("ix_contracts_vendor_summary")
        batch_op.create_index(batch_op.f("ix_contracts_vendor_id"), ["vendor_id"], unique=False)
