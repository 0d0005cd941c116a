"""Keep the day's evaluation so `csm today` reads it instead of judging the whole book on every run.

A revision counter moves with every change to the book; the engine records, per scope, which
revision, day and config it evaluated; to-dos keep their urgency so the list is one ordered query;
owners are indexed as compared (lower-case) for --mine in a team book.

Revision ID: 0003_stored_evaluation
Revises: 0002_contact_changes
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_stored_evaluation"
down_revision: str | None = "0002_contact_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "book_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO book_state (id, revision) VALUES (1, 0)")
    # one row per scope (the whole book, or one CSM's accounts in a team book)
    op.create_table(
        "evaluations",
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("stamp", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("scope"),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index("ix_accounts_owner_lower", [sa.text("lower(owner)")], unique=False)
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgency", sa.Float(), nullable=True))
        batch_op.create_index("ix_tasks_status_urgency", ["status", "urgency"], unique=False)
    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.create_index("ix_risks_status_severity", ["status", "severity"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.drop_index("ix_risks_status_severity")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_status_urgency")
        batch_op.drop_column("urgency")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_accounts_owner_lower")
    op.drop_table("evaluations")
    op.drop_table("book_state")
