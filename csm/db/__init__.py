"""Storage: the only package that knows SQL.

The schema's revisions are listed here so that opening a current book costs one cheap
query and no Alembic import; tests check this list against the migration scripts.
"""

REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_contact_changes",
    "0003_stored_evaluation",
    "0004_decisions",
    "0005_real_exports",
    "0006_retention",
    "0007_health_overrides",
    "0008_interactions_shared",
    "0009_calendar_rsvp",
    "0010_sources",
    "0011_playbooks",
    "0012_ticket_index",
    "0013_source_reading",
    "0014_opportunity_currency",
)
HEAD_REVISION = REVISIONS[-1]
