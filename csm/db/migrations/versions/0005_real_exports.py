"""Real exports read right: firmographics and last activity kept apart from ARR, CRM roles kept, calendar
series kept for expansion on demand, and stored names and domains re-normalised (legal forms removed,
domains compared by registrable domain).

Revision ID: 0005_real_exports
Revises: 0004_decisions
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_real_exports"
down_revision: str | None = "0004_decisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("company_revenue", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("contract_value", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("last_activity_on", sa.Date(), nullable=True))
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_activity_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("crm_roles", sa.String(), nullable=True))
    with op.batch_alter_table("calendars", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series", sa.Text(), nullable=True))
    renormalise(op.get_bind())


def renormalise(connection: sa.Connection) -> None:
    """Names and domains as csm compares them now; a domain that now equals another row's is kept once,
    by the account that already stored it in that form (else the older row)."""
    from csm.domain.matching import normalise_domain, normalise_name, normalise_phrase

    for account_id, name in connection.execute(sa.text("SELECT id, name FROM accounts")).all():
        connection.execute(
            sa.text("UPDATE accounts SET name_norm = :norm WHERE id = :id"),
            {"norm": normalise_name(name), "id": account_id},
        )
    for request_id, feature in connection.execute(sa.text("SELECT id, feature FROM feature_requests")).all():
        connection.execute(
            sa.text("UPDATE feature_requests SET feature_norm = :norm WHERE id = :id"),
            {"norm": normalise_phrase(feature), "id": request_id},
        )
    rows = connection.execute(sa.text("SELECT id, domain FROM account_domains ORDER BY id")).all()
    wanted = {row_id: normalise_domain(domain) for row_id, domain in rows}
    keeper: dict[str, int] = {}
    for row_id, _domain in sorted(rows, key=lambda row: (row[1] != wanted[row[0]], row[0])):
        keeper.setdefault(wanted[row_id], row_id)
    for row_id, _domain in rows:
        if keeper[wanted[row_id]] != row_id:
            connection.execute(sa.text("DELETE FROM account_domains WHERE id = :id"), {"id": row_id})
    for row_id, domain in rows:
        if keeper[wanted[row_id]] == row_id and domain != wanted[row_id]:
            connection.execute(
                sa.text("UPDATE account_domains SET domain = :domain WHERE id = :id"),
                {"domain": wanted[row_id], "id": row_id},
            )


def downgrade() -> None:
    with op.batch_alter_table("calendars", schema=None) as batch_op:
        batch_op.drop_column("series")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("crm_roles")
        batch_op.drop_column("last_activity_on")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("last_activity_on")
        batch_op.drop_column("contract_value")
        batch_op.drop_column("company_revenue")
