"""amounts exact at any precision; consortium rows share one value; OCDS releases kept

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 14:00:00.000000

`contracts.amount_fraction` keeps the digits of an amount finer than its currency's minor
unit, in billionths of it (money.py says why two integer columns rather than one): 55463.776
MXN was refused, it is now 5546377 and 600000000. Every row stored before has none, hence 0.
The summary index carries the new column too, so `export contracts-summary` still reads its
sums from the index alone.

`contracts.shares_value_of` marks a consortium member's row: the key of the row of the same
award that carries the award's value, which is counted there once.

`ocds_releases` keeps every release of every OCDS process, compressed, so that an import
merges new releases with those of earlier imports (importers/ocds_history.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_SUMMARY = [
    "vendor_id",
    "jurisdiction_id",
    "years",
    "currency",
    "amount_minor",
    "amount_is_estimate",
]
NEW_SUMMARY = [*OLD_SUMMARY[:5], "amount_fraction", OLD_SUMMARY[5]]


def upgrade() -> None:
    op.add_column(
        "contracts",
        sa.Column("amount_fraction", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("contracts", sa.Column("shares_value_of", sa.String(length=300), nullable=True))
    op.drop_index("ix_contracts_vendor_summary", table_name="contracts")
    op.create_index("ix_contracts_vendor_summary", "contracts", NEW_SUMMARY, unique=False)
    op.create_table(
        "ocds_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ocid", sa.String(length=200), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("release_id", sa.Text(), nullable=True),
        sa.Column("date", sa.String(length=40), nullable=True),
        sa.Column("compiled", sa.Boolean(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_ocds_releases_source_id_sources"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_ocds_releases"),
        sa.UniqueConstraint("ocid", "digest", name="ocid_digest"),
    )


def downgrade() -> None:
    op.drop_table("ocds_releases")
    # Finer digits cannot be kept by the older schema: such amounts go, as it would refuse them.
    op.execute(
        "UPDATE contracts SET amount_minor = NULL, currency = NULL WHERE amount_fraction <> 0"
    )
    op.drop_index("ix_contracts_vendor_summary", table_name="contracts")
    op.create_index("ix_contracts_vendor_summary", "contracts", OLD_SUMMARY, unique=False)
    op.drop_column("contracts", "shares_value_of")
    op.drop_column("contracts", "amount_fraction")
