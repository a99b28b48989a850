"""import runs and what they changed; screening decisions; a watchlist

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 04:10:00.000000

`import_runs` records every `import ocds` and `import measures` (file, SHA-256, when, counts);
`import_changes` what each run changed in the flags of contracts and the levels of vendors.
`review_decisions` keeps a reviewer's same/different/unsure judgement of a screened name
against a vendor, by the vendor's key so it survives re-imports. `watchlist` names the
vendors and counterparties whose changes are reported first. All four start empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Frozen here as the migration wrote them: the enums may grow, this revision does not.
def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade() -> None:
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("preset", sa.String(length=32), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("warnings", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(_in("kind", ("ocds", "measures")), name="ck_import_runs_kind"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name="fk_import_runs_source_id_sources",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_import_runs"),
    )
    op.create_index("ix_import_runs_source_id", "import_runs", ["source_id"], unique=False)
    op.create_table(
        "import_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_key", sa.String(length=300), nullable=False),
        sa.Column("vendor_key", sa.String(length=200), nullable=False),
        sa.Column("flag", sa.String(length=40), nullable=True),
        sa.Column("before", sa.String(length=16), nullable=False),
        sa.Column("after", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            _in("subject", ("contract", "vendor")), name="ck_import_changes_subject"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["import_runs.id"],
            name="fk_import_changes_run_id_import_runs",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_import_changes"),
    )
    op.create_index("ix_import_changes_run_id", "import_changes", ["run_id"], unique=False)
    op.create_index("ix_import_changes_vendor_key", "import_changes", ["vendor_key"], unique=False)
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("name_key", sa.String(length=500), nullable=False),
        sa.Column("vendor_key", sa.String(length=200), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            _in("verdict", ("same", "different", "unsure")), name="ck_review_decisions_verdict"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_review_decisions"),
        sa.UniqueConstraint("name_key", "vendor_key", name="name_key"),
    )
    op.create_index(
        "ix_review_decisions_vendor_key", "review_decisions", ["vendor_key"], unique=False
    )
    op.create_table(
        "watchlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("name_key", sa.String(length=500), nullable=False),
        sa.Column("vendor_key", sa.String(length=200), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_watchlist"),
        sa.UniqueConstraint("name_key", name="uq_watchlist_name_key"),
    )


def downgrade() -> None:
    op.drop_table("watchlist")
    op.drop_table("review_decisions")
    op.drop_table("import_changes")
    op.drop_table("import_runs")
