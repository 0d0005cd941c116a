"""Opportunities keep their currency: a deal in euros on a dollar account is no longer summed into the account's
open expansion at face value. One nullable column: an older deal has no currency of its own and is read in its
account's, as before.

Revision ID: 0014_opportunity_currency
Revises: 0013_source_reading
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_opportunity_currency"
down_revision: str | None = "0013_source_reading"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("currency", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_column("currency")
