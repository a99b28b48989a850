"""vendor kinds

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 13:30:00.000000

Vendors get `kind`: organisation, person or unknown (procwatch.tables.VendorKind), as the
list that named them says (the UN and OFAC lists say individual or entity; the banks' lists
name persons with a title). Vendors already stored are `unknown`: nothing they came with
said otherwise, and the next import of their list sets it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here as the migration wrote them: VendorKind may grow, this revision does not.
KINDS = ("organisation", "person", "unknown")
CHECK = "kind IN (" + ", ".join(f"'{kind}'" for kind in KINDS) + ")"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its CHECK in place; adding a table constraint would copy
        # the table, and dropping the old copy with foreign keys on cascades into citations.
        op.execute(
            "ALTER TABLE vendors ADD COLUMN kind VARCHAR(16) DEFAULT 'unknown' NOT NULL"
            f" CONSTRAINT ck_vendors_kind CHECK ({CHECK})"
        )
        return
    op.add_column(
        "vendors",
        sa.Column("kind", sa.String(length=16), server_default="unknown", nullable=False),
    )
    op.create_check_constraint(op.f("ck_vendors_kind"), "vendors", CHECK)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_vendors_kind"), "vendors", type_="check")
    op.drop_column("vendors", "kind")
