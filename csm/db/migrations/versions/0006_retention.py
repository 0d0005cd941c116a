"""Keep every ARR change as a dated row (arr_changes): renewals, churn, expansion and contraction become
history instead of overwrites, so retention (GRR, NRR, logo retention) can be measured over any period.

A book from an older csm knew only each account's ARR now. Its history is opened honestly: one `new`
row per account with ARR, dated the day the account entered the book and marked `opening` (the ARR it
already had, not a new logo); an account already churned on a known day gets its churn on that day. Nothing
earlier is invented.

Revision ID: 0006_retention
Revises: 0005_real_exports
"""

from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0006_retention"
down_revision: str | None = "0005_real_exports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "arr_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("arr_before", sa.Float(), nullable=True),
        sa.Column("arr_after", sa.Float(), nullable=False),
        sa.Column("opening", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("renewal_due", sa.Date(), nullable=True),
        sa.Column("renewed_until", sa.Date(), nullable=True),
        sa.Column("term_months", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunities.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("opportunity_id", name="uq_arr_changes_opportunity_id"),
    )
    with op.batch_alter_table("arr_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_arr_changes_account_id"), ["account_id"], unique=False)
        batch_op.create_index("ix_arr_changes_account_changed", ["account_id", "changed_on"], unique=False)
    open_histories(op.get_bind())


def open_histories(connection: sa.Connection) -> None:
    """Each account's ARR as the book holds it, from the day it entered the book; a known churn on its day."""
    rows = connection.execute(
        sa.text("SELECT id, arr, created_at, churned_on, lifecycle_stage, updated_at FROM accounts ORDER BY id")
    ).all()
    for account_id, arr, created_at, churned_on, stage, updated_at in rows:
        entered = _day(created_at)
        churned = _day(churned_on)
        lost = churned is not None or stage == "churned"
        if not arr or arr <= 0 or entered is None or (lost and (churned is None or churned < entered)):
            continue  # no ARR, or lost before the book knew it: no history to open
        stamp = updated_at or created_at
        connection.execute(
            sa.text(
                "INSERT INTO arr_changes (account_id, changed_on, kind, arr_before, arr_after, opening, source, "
                "recorded_at) VALUES (:account, :on, 'new', NULL, :arr, :opening, 'migration', :stamp)"
            ),
            {"account": account_id, "on": entered, "arr": arr, "opening": True, "stamp": stamp},
        )
        if churned is not None and churned >= entered:
            connection.execute(
                sa.text(
                    "INSERT INTO arr_changes (account_id, changed_on, kind, arr_before, arr_after, opening, reason, "
                    "note, source, recorded_at) VALUES (:account, :on, 'churn', :arr, 0, :opening, 'other', "
                    "'churned before csm kept ARR history', 'migration', :stamp)"
                ),
                {"account": account_id, "on": churned, "arr": arr, "opening": False, "stamp": stamp},
            )


def _day(value: object) -> date | None:
    """A stored date or date-time as a date, whichever backend returned it."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def downgrade() -> None:
    with op.batch_alter_table("arr_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_arr_changes_account_changed")
        batch_op.drop_index(batch_op.f("ix_arr_changes_account_id"))
    op.drop_table("arr_changes")
