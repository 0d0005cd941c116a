"""Health that listens to the CSM: how a logged call went (interactions.sentiment), and the CSM's own call on an
account's health band (health_overrides: kept as history, so a look at an earlier day shows what held then).

Revision ID: 0007_health_overrides
Revises: 0006_retention
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_health_overrides"
down_revision: str | None = "0006_retention"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sentiment", sa.String(), nullable=True))
    op.create_table(
        "health_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(), nullable=True),  # NULL: the override was cleared that day
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("set_on", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("set_by", sa.String(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("health_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_health_overrides_account_id"), ["account_id"], unique=False)
        batch_op.create_index("ix_health_overrides_account_set", ["account_id", "set_on"], unique=False)


def downgrade() -> None:
    op.drop_table("health_overrides")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("sentiment")
