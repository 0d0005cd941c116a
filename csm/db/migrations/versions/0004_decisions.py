"""Derive rule to-dos and risks on every run; keep only what the CSM decided about them

Stored rule results drifted from the book: a rule that stopped firing dismissed its to-do for good,
and a look at another day could rewrite today. Now the rules' to-dos, risks and health are a pure
function of the book and the day; what is stored is the CSM's decision (done, deferred, resolved,
snoozed) keyed by the rule key. Done, deferred, resolved and snoozed carry across; rule results the
engine had dismissed or cleared by itself are dropped. Manual to-dos and risks stay where they are.

Revision ID: 0004_decisions
Revises: 0003_stored_evaluation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_decisions"
down_revision: str | None = "0003_stored_evaluation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("rule_key", sa.String(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("deferrals", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject", "rule_key", name="uq_decisions_subject_rule_key"),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_account_id"), ["account_id"], unique=False)

    # Carry the CSM's own decisions across; the engine's own dismissals and clearances go.
    op.execute(
        """INSERT INTO decisions (subject, rule_key, account_id, status, until, deferrals, reason, title, decided_on)
           SELECT 'todo', rule_key, account_id, 'done', NULL, deferrals, NULL, title, COALESCE(done_on, created_on)
           FROM tasks WHERE rule_key IS NOT NULL AND status = 'done'"""
    )
    op.execute(
        """INSERT INTO decisions (subject, rule_key, account_id, status, until, deferrals, reason, title, decided_on)
           SELECT 'todo', rule_key, account_id, 'deferred', deferred_until, deferrals, reason, title, created_on
           FROM tasks WHERE rule_key IS NOT NULL AND status = 'open' AND deferrals > 0"""
    )
    op.execute(
        """INSERT INTO decisions (subject, rule_key, account_id, status, until, deferrals, reason, title, decided_on)
           SELECT 'risk', rule_key, account_id, 'resolved', NULL, 0, NULL, evidence, COALESCE(resolved_on, raised_on)
           FROM risks WHERE rule_key IS NOT NULL AND status = 'resolved'"""
    )
    op.execute(
        """INSERT INTO decisions (subject, rule_key, account_id, status, until, deferrals, reason, title, decided_on)
           SELECT 'risk', rule_key, account_id, 'snoozed', snoozed_until, 0, NULL, evidence, raised_on
           FROM risks WHERE rule_key IS NOT NULL AND status = 'snoozed'"""
    )
    op.execute("DELETE FROM tasks WHERE rule_key IS NOT NULL")
    op.execute("DELETE FROM risks WHERE rule_key IS NOT NULL")

    op.drop_table("evaluations")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_status_urgency")
        batch_op.drop_column("urgency")
        batch_op.drop_column("rule_key")
        batch_op.add_column(sa.Column("defer_reason", sa.String(), nullable=True))
    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.drop_column("rule_key")

    # The judge reads every account's tickets at once: the recent windows by day, the open ones apart.
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index("ix_tickets_created_account", ["created_at", "account_id", "status"], unique=False)
        batch_op.create_index("ix_tickets_solved_at", ["solved_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_solved_at")
        batch_op.drop_index("ix_tickets_created_account")
    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rule_key", sa.String(), nullable=True))
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("defer_reason")
        batch_op.add_column(sa.Column("rule_key", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("urgency", sa.Float(), nullable=True))
        batch_op.create_index("ix_tasks_status_urgency", ["status", "urgency"], unique=False)
    op.create_table(
        "evaluations",
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("stamp", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("scope"),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_account_id"))
    op.drop_table("decisions")
