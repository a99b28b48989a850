"""drop the contracts summary table

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:30:00.000000

`export contracts-summary` groups the contracts itself again (procwatch.exports), so the
copy that migration 0005 kept goes: contracts_summary, contracts_summary_stale, and the
triggers (and, on PostgreSQL, the functions) that marked vendors stale. The copy made one
export of a million contracts faster (3.0 s against 6.5 s grouped) at the price of two
tables, 13 trigger objects over two dialects, a refresh before every commit and two query
paths that had to stay byte for byte the same; and a database created from the tables'
metadata without migrations reported it current and exported an empty file.

The statements are migration 0005's own, run the other way round: this upgrade is 0005's
downgrade and this downgrade is 0005's upgrade, so the two cannot drift apart. After a
downgrade every vendor is marked stale, as after 0005's upgrade: a procwatch that keeps the
copy groups the contracts until its next write rebuilds the table, so its exports stay right.
"""

from collections.abc import Sequence
from types import ModuleType

from alembic import context

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _summary_table_migration() -> ModuleType:
    script = context.script.get_revision("0005")
    assert script is not None and script.module is not None, "migration 0005 is on the path"
    return script.module


def upgrade() -> None:
    _summary_table_migration().downgrade()


def downgrade() -> None:
    _summary_table_migration().upgrade()
