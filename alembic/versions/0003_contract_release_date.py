"""contract release date

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 11:05:00.000000

An OCDS contract row remembers the date of the newest release it reflects, so importing an
older file again never overwrites what a newer release said.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("released", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_column("released")
