"""What the customer may read: an interaction or note is private unless the CSM shares it (`csm log --share`),
and only shared entries reach the documents the customer sees (the EBR's "done and learned", its action items).

Every interaction an older book holds stays private: nothing was written for the customer's eyes.

Revision ID: 0008_interactions_shared
Revises: 0007_health_overrides
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_interactions_shared"
down_revision: str | None = "0007_health_overrides"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("shared")
