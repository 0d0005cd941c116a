"""Sources remember how their file is written: --encoding, --delimiter and --date-order given to `csm source
add`, so each morning's sync reads a cp1250 or `;`-delimited day-first export as the CSM said, with no manual
step. Three nullable columns: an older source reads its files as before (detected, the config's date_order).

Revision ID: 0013_source_reading
Revises: 0012_ticket_index
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_source_reading"
down_revision: str | None = "0012_ticket_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("encoding", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("delimiter", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("date_order", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("date_order")
        batch_op.drop_column("delimiter")
        batch_op.drop_column("encoding")
