"""Tickets lose ix_tickets_account_id: ix_tickets_account_created leads with account_id, so it serves every
lookup by account (and the cascade from accounts) the single-column index did. Each ticket written kept both
up to date: a 100,000-row import built one index more than it needed (about 40 ms on SQLite).

Revision ID: 0012_ticket_index
Revises: 0011_playbooks
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_ticket_index"
down_revision: str | None = "0011_playbooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_tickets_account_id", table_name="tickets")


def downgrade() -> None:
    op.create_index("ix_tickets_account_id", "tickets", ["account_id"])
