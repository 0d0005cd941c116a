"""The book of business as SQLModel tables: every record a CSM keeps or imports.

Dates are calendar dates; date-times are stored in UTC without a zone (the edges convert).
Imported records carry (source, external_id) so a re-import updates instead of doubling.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel


def parent(table: str, *, nullable: bool = False, cascade: bool = True, index: bool = True) -> Column[int]:
    """A foreign key column to `table.id`; children go with their account unless told otherwise."""
    return Column(
        Integer,
        ForeignKey(f"{table}.id", ondelete="CASCADE" if cascade else "SET NULL"),
        nullable=nullable,
        index=index,
    )


class Account(SQLModel, table=True):
    __tablename__ = "accounts"
    __table_args__ = (Index("ix_accounts_owner_lower", text("lower(owner)")),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_norm: str = Field(index=True)
    segment: str | None = None  # set by hand; else derived from ARR by the config's boundaries
    arr: float | None = None
    currency: str | None = None
    lifecycle_stage: str | None = None
    contract_start: date | None = None
    renewal_date: date | None = Field(default=None, index=True)
    licences: int | None = None
    owner: str | None = Field(default=None, index=True)
    ebr_cadence_months: int | None = None  # overrides the segment's EBR cadence
    renewal_sentiment: str | None = None  # "would they happily renew tomorrow?" yes / unsure / no
    renewal_sentiment_on: date | None = None
    first_value_on: date | None = None
    churned_on: date | None = None
    notes: str | None = None
    created_at: datetime
    updated_at: datetime
    # firmographics and CRM facts, never ARR: the customer company's own revenue (Salesforce AnnualRevenue),
    # a contract's total value over its whole term (TCV), and the CRM's last activity with the account
    company_revenue: float | None = None
    contract_value: float | None = None
    last_activity_on: date | None = None
    # who stands behind a playbook step's ae, support, manager and exec for this account (else [people])
    ae: str | None = None
    support_lead: str | None = None
    manager: str | None = None
    executive: str | None = None


class AccountKey(SQLModel, table=True):
    """An account's id in an outside system (Salesforce, HubSpot, Zendesk, ChurnZero, ...)."""

    __tablename__ = "account_keys"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_account_keys_source_external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    source: str
    external_id: str = Field(index=True)


class AccountDomain(SQLModel, table=True):
    """An e-mail / web domain that identifies the account's people and meetings."""

    __tablename__ = "account_domains"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    domain: str = Field(unique=True)


class Contact(SQLModel, table=True):
    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_contacts_source_external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    name: str
    email: str | None = Field(default=None, index=True)  # not unique: one inbox can be shared
    phone: str | None = None
    title: str | None = None
    role: str | None = None
    influence: str | None = None
    reports_to_id: int | None = Field(default=None, sa_column=parent("contacts", nullable=True, cascade=False))
    left_on: date | None = None
    left_to: str | None = None  # where they went: a sales lead
    source: str | None = None
    external_id: str | None = None
    created_at: datetime
    updated_at: datetime
    last_activity_on: date | None = None  # the CRM's Last Activity Date: when someone last spoke with them
    crm_roles: str | None = None  # the roles as the CRM named them ("Champion;Budget Holder"); role keeps the strongest


class ContactChange(SQLModel, table=True):
    """A stakeholder fact that changed between imports or edits (title, company, role, left)."""

    __tablename__ = "contact_changes"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=parent("contacts"))
    field: str
    old_value: str | None = None
    new_value: str | None = None
    changed_on: date
    source: str | None = None


class Interaction(SQLModel, table=True):
    __tablename__ = "interactions"
    __table_args__ = (Index("ix_interactions_account_occurred", "account_id", "occurred_on"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    kind: str
    occurred_on: date
    summary: str
    next_steps: str | None = None
    attendees: str | None = None  # names or e-mails as typed, comma-separated
    sentiment: str | None = None  # how it went, when the CSM said: positive, neutral or negative
    created_at: datetime
    # private unless shared: only a shared entry may appear in a document the customer reads (the EBR)
    shared: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class InteractionContact(SQLModel, table=True):
    """Which known contacts took part in an interaction (for multi-threading and champion absence)."""

    __tablename__ = "interaction_contacts"
    __table_args__ = (UniqueConstraint("interaction_id", "contact_id"),)

    id: int | None = Field(default=None, primary_key=True)
    interaction_id: int = Field(sa_column=parent("interactions"))
    contact_id: int = Field(sa_column=parent("contacts"))


class Task(SQLModel, table=True):
    """A to-do the CSM wrote down: typed by hand, an interaction's next step, or an EBR's action item.

    The to-dos that rules raise are not stored: they are derived from the book on each day (see Decision).
    """

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_status_due", "status", "due"),)

    id: int | None = Field(default=None, primary_key=True)
    title: str
    account_id: int | None = Field(default=None, sa_column=parent("accounts", nullable=True))
    kind: str = "manual"
    status: str = "open"
    due: date | None = None
    deferrals: int = 0
    deferred_until: date | None = None
    reason: str | None = None  # why it exists (next step, EBR action item, by hand)
    defer_reason: str | None = None  # why it waits, as the CSM said when deferring it
    owner: str | None = None
    interaction_id: int | None = Field(default=None, sa_column=parent("interactions", nullable=True, cascade=False))
    created_on: date
    done_on: date | None = None


class Opportunity(SQLModel, table=True):
    __tablename__ = "opportunities"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_opportunities_source_external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    name: str
    kind: str = "renewal"
    amount: float | None = None
    currency: str | None = None  # the deal's own (ISO code), when the export gives one; else its account's
    stage: str | None = None
    close_date: date | None = Field(default=None, index=True)
    forecast_category: str | None = None
    is_closed: bool = False
    is_won: bool = False
    source: str | None = None
    external_id: str | None = None


class Ticket(SQLModel, table=True):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_tickets_source_external_id"),
        Index("ix_tickets_account_created", "account_id", "created_at"),
        Index("ix_tickets_created_account", "created_at", "account_id", "status"),
        Index("ix_tickets_solved_at", "solved_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts", index=False))  # ix_tickets_account_created leads with it
    source: str
    external_id: str
    subject: str | None = None
    status: str = "open"  # new / open / pending / hold / solved / closed
    priority: str | None = None  # low / normal / high / urgent (urgent = critical)
    requester_email: str | None = None
    created_at: datetime
    solved_at: datetime | None = None


class SurveyResponse(SQLModel, table=True):
    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_survey_responses_source_external_id"),
        Index("ix_survey_responses_account_responded", "account_id", "responded_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    contact_id: int | None = Field(default=None, sa_column=parent("contacts", nullable=True, cascade=False))
    survey: str = "nps"  # nps, csat, ces, ...
    survey_type: str = "relational"  # relational or transactional
    responded_on: date
    score: int
    comment: str | None = None
    source: str
    external_id: str


class UsageSnapshot(SQLModel, table=True):
    __tablename__ = "usage_snapshots"
    __table_args__ = (UniqueConstraint("account_id", "measured_on"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    measured_on: date
    active_users: int | None = None
    licensed_seats: int | None = None
    feature_breadth: float | None = None  # share of key features in use, 0..1


class Goal(SQLModel, table=True):
    """A success-plan goal: the measurable outcome the customer bought for."""

    __tablename__ = "goals"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    title: str
    value_type: str | None = None  # make_money / save_money / save_time
    metric: str | None = None
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    due: date | None = None
    status: str = "planned"
    customer_confirmed: bool = False
    confirmed_by: str | None = None
    confirmed_on: date | None = None
    evidence: str | None = None
    created_on: date


class Milestone(SQLModel, table=True):
    __tablename__ = "milestones"

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(sa_column=parent("goals"))
    title: str
    due: date | None = Field(default=None, index=True)
    status: str = "planned"
    done_on: date | None = None


class Risk(SQLModel, table=True):
    """A risk the CSM logged by hand; the risks that rules raise are derived, not stored (see Decision)."""

    __tablename__ = "risks"
    __table_args__ = (
        Index("ix_risks_status_account", "status", "account_id"),
        Index("ix_risks_status_severity", "status", "severity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    category: str
    severity: str
    rule: str = "manual"
    evidence: str
    owner: str | None = None
    first_response: str | None = None
    escalation: str | None = None
    status: str = "open"
    snoozed_until: date | None = None
    raised_on: date
    resolved_on: date | None = None


class FeatureRequest(SQLModel, table=True):
    __tablename__ = "feature_requests"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_feature_requests_source_external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    feature: str
    feature_norm: str = Field(index=True)
    requested_on: date
    notes: str | None = None
    source: str | None = None
    external_id: str | None = None


class Calendar(SQLModel, table=True):
    """One imported calendar file; re-importing it replaces its events."""

    __tablename__ = "calendars"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    imported_at: datetime
    expanded_from: date
    expanded_until: date
    # the file's recurring series (and their time zones) as iCalendar text, so that a day outside
    # [expanded_from, expanded_until] can be expanded when a report asks for it
    series: str | None = None


class CalendarEvent(SQLModel, table=True):
    """One occurrence of a calendar event (recurrences are expanded at import, as khal does).

    Timed events store UTC instants; all-day and floating events store local wall time,
    placed in the user's zone when read.
    """

    __tablename__ = "calendar_events"
    __table_args__ = (
        Index("ix_calendar_events_starts", "starts_at"),
        Index("ix_calendar_events_start_date", "start_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    calendar_id: int = Field(sa_column=parent("calendars"))
    uid: str
    recurrence_id: str | None = None
    rrule: str | None = None
    title: str
    location: str | None = None
    status: str | None = None
    all_day: bool = False
    floating: bool = False
    starts_at: datetime | None = None  # UTC (or local wall time when floating)
    ends_at: datetime | None = None
    start_date: date  # first local day the event touches
    end_date: date  # last local day the event touches (inclusive)
    attendees: str = "[]"  # JSON list of e-mail addresses
    organizer: str | None = None
    answers: str | None = None  # JSON object: attendee address -> RSVP (accepted, tentative, declined, ...)
    account_id: int | None = Field(default=None, sa_column=parent("accounts", nullable=True, cascade=False))
    # what csm.domain.meetings reads of it, again whenever accounts or contacts change (csm.db.calendars.rematch);
    # NULL in a book from before 0007 until then: a meeting with an account, accepted
    kind: str | None = None  # customer, internal, external, personal
    rsvp: str | None = None  # the CSM's own answer; NULL when the calendar does not say


class HealthSnapshot(SQLModel, table=True):
    __tablename__ = "health_snapshots"
    __table_args__ = (UniqueConstraint("account_id", "taken_on"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    taken_on: date
    score: float | None = None
    band: str
    confidence: float
    components: str = "[]"  # JSON: name, score, weight, inputs


class EbrNote(SQLModel, table=True):
    """The CSM's own words for the EBR's executive summary, kept beside what csm drafts."""

    __tablename__ = "ebr_notes"
    __table_args__ = (UniqueConstraint("account_id", name="uq_ebr_notes_account_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    problem: str | None = None
    impact: str | None = None
    root_cause: str | None = None
    recommendation: str | None = None
    done_and_learned: str | None = None
    updated_at: datetime


class Decision(SQLModel, table=True):
    """What the CSM decided about a to-do or risk that a rule raises, keyed by the rule key.

    Rule to-dos and risks are derived from the book's facts on each day; only these decisions are
    stored. A decision counts from `decided_on` on, and lasts while the facts it was made on hold:
    the rule key names those facts (the renewal date, the contact, the survey answer), and a resolved
    or snoozed risk comes back when its rule stops firing and fires again later.
    """

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("subject", "rule_key", name="uq_decisions_subject_rule_key"),)

    id: int | None = Field(default=None, primary_key=True)
    subject: str  # todo or risk
    rule_key: str
    account_id: int | None = Field(default=None, sa_column=parent("accounts", nullable=True))
    status: str  # todo: done, deferred, dismissed; risk: resolved, snoozed
    until: date | None = None  # deferred or snoozed until this day
    deferrals: int = 0  # how many times a to-do was deferred, kept whatever it says now
    reason: str | None = None  # why: the deferral's reason, or a note on the resolution
    title: str | None = None  # what the to-do or risk said when the decision was made
    decided_on: date
    assignee: str | None = None  # `csm todo assign --to`: who the to-do (a playbook step) is handed to
    assigned_on: date | None = None


class ArrChange(SQLModel, table=True):
    """One dated change of an account's ARR: its history, never overwritten (DOMAIN.md, "Retention").

    `kind` is new, expansion, contraction, renewal, churn, reactivation or correction. new, expansion,
    contraction and reactivation are read from the values (csm.domain.arr.rechained keeps them true when an
    earlier change is recorded later); renewal, churn and correction are what the CSM or the CRM said. A
    correction fixes a typo: its value replaces the value it corrects, back to that value's day, and is never
    counted as expansion or contraction. `opening` marks the ARR an account already had when it entered the
    book (its history starts there; it is not a new logo).
    """

    __tablename__ = "arr_changes"
    __table_args__ = (
        Index("ix_arr_changes_account_changed", "account_id", "changed_on"),
        UniqueConstraint("opportunity_id", name="uq_arr_changes_opportunity_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    changed_on: date
    kind: str
    arr_before: float | None = None  # None: the book knew no ARR before this change
    arr_after: float
    opening: bool = False
    reason: str | None = None  # a churn's reason, from the config's list
    note: str | None = None  # the CSM's or the CRM's own words
    renewal_due: date | None = None  # a renewal or churn: the renewal date it closed
    renewed_until: date | None = None  # a renewal: the new renewal date
    term_months: int | None = None  # a renewal: the new term
    source: str = "csm"  # csm (by hand), the import's tool, or the migration
    # the closed deal it came from (one change per deal: the unique constraint is its index)
    opportunity_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("opportunities.id", ondelete="SET NULL"), nullable=True),
    )
    recorded_at: datetime


class HealthOverride(SQLModel, table=True):
    """The CSM's own call on an account's health band, with why and until when; a row with no band clears it.
    Kept as history: the override in force on a day is the latest set on or before it."""

    __tablename__ = "health_overrides"
    __table_args__ = (Index("ix_health_overrides_account_set", "account_id", "set_on"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=parent("accounts"))
    band: str | None = None
    reason: str | None = None
    set_on: date
    until: date | None = None
    set_by: str | None = None
    recorded_at: datetime


class BookState(SQLModel, table=True):
    """One row: the book's revision, moved by every change to it (what a cache of judgements is keyed on)."""

    __tablename__ = "book_state"

    id: int | None = Field(default=None, primary_key=True)
    revision: int = 0


class Source(SQLModel, table=True):
    """Where an import comes from each morning: a file, a glob (its newest file), a folder (a vdir of .ics
    files for a calendar, else its newest CSV) or an http(s)/webcal URL, refreshed by `csm sync` and `csm today`.

    `location` is kept as given, secrets and all (a calendar's secret address is its only key); it is never
    printed or exported: csm.sources.locations.masked is how every output shows it. What the source was last
    seen as (ETag, Last-Modified, size and mtime, the hash of what was imported) makes an unchanged one a skip.
    """

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("name", name="uq_sources_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str  # also the name of the calendar a calendar source fills
    kind: str  # a `csm import` kind
    location: str
    tool: str = "auto"  # `--source`: the tool that writes the export
    mapping: str = "[]"  # JSON list of "CSV column=field"
    skip_invalid: bool = False
    # how its files are written, as `csm source add` was told (None: detected; the config's date_order)
    encoding: str | None = None
    delimiter: str | None = None
    date_order: str | None = None
    owner: str | None = None  # who added it, in a team book (the config's owner)
    added_at: datetime
    checked_at: datetime | None = None  # the last sync, whatever its outcome
    synced_at: datetime | None = None  # the last sync that found the data good: what the book holds is from then
    outcome: str | None = None  # new, updated, unchanged or failed
    error: str | None = None  # why the last sync failed, secrets masked
    item: str | None = None  # the file a glob or folder gave last
    counts: str | None = None  # JSON: the last import's new / updated / unchanged / skipped
    etag: str | None = None
    last_modified: str | None = None
    fingerprint: str | None = None  # files: size and mtime (a folder: of every file), to skip reading them
    content_hash: str | None = None  # sha256 of the bytes last imported
