"""Playbooks: who stands behind a step's ae, support, manager and exec for an account (accounts.ae, support_lead,
manager, executive), and a rule to-do handed to someone (decisions.assignee, assigned_on: `csm todo assign`).

The steps themselves are derived from the open risks on each day, like every rule to-do: nothing else is stored.

Revision ID: 0011_playbooks
Revises: 0007_health_overrides
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_playbooks"
down_revision: str | None = "0010_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PEOPLE = ("ae", "support_lead", "manager", "executive")


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        for column in PEOPLE:
            batch_op.add_column(sa.Column(column, sa.String(), nullable=True))
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignee", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("assigned_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("assigned_on")
        batch_op.drop_column("assignee")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        for column in PEOPLE:
            batch_op.drop_column(column)
