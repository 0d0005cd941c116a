"""`csm account ...` and `csm contact ...`: accounts and stakeholders kept by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from csm.cli.options import AccountFilter, Format, OutputFormat, check_choice, finite_number, one_account, parse_day
from csm.cli.state import state
from csm.domain.words import (
    CONTACT_ROLES,
    INFLUENCE_LEVELS,
    LIFECYCLE_STAGES,
    RENEWAL_SENTIMENTS,
    SEGMENTS,
    currency_code,
    deferred_words,
    money,
)
from csm.limits import MAX_COUNT, MAX_MONTHS
from csm.render.listing import Card, Column, Listing, emit
from csm.render.safe import echo

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel import Session

    from csm.config import Config
    from csm.db.accounts import AccountFields
    from csm.db.models import Contact
    from csm.reports.outcomes import ArrMoved

account_app = typer.Typer(help="Accounts in your book: add, list, show, edit.", no_args_is_help=True)
contact_app = typer.Typer(help="Stakeholders: add, list, edit, and record who left.", no_args_is_help=True)

AccountArg = Annotated[str, typer.Argument(help="Account name, external id, or a unique prefix of the name.")]
Arr = Annotated[
    float | None,
    typer.Option("--arr", help="Annual recurring revenue.", parser=finite_number(minimum=0), metavar="AMOUNT"),
]
Currency = Annotated[
    str | None,
    typer.Option(
        "--currency", help="The ISO code of its money (EUR, GBP, ...; default USD); never converted.", metavar="CODE"
    ),
]
Renewal = Annotated[
    str | None,
    typer.Option("--renewal", help="Renewal (contract end) date: YYYY-MM-DD, +6m, next month...", metavar="DATE"),
]
Domains = Annotated[list[str] | None, typer.Option("--domain", help="E-mail domain of its people (repeatable).")]
Segment = Annotated[str | None, typer.Option("--segment", help=f"Set by hand: {', '.join(SEGMENTS)}.")]
ExternalId = Annotated[str | None, typer.Option("--external-id", help="Its id in your CRM.")]
Stage = Annotated[str | None, typer.Option("--stage", help=f"Lifecycle stage: {', '.join(LIFECYCLE_STAGES)}.")]
ContractStart = Annotated[
    str | None,
    typer.Option("--contract-start", help="Contract start date: YYYY-MM-DD, -1y, last month...", metavar="DATE"),
]
Licences = Annotated[int | None, typer.Option("--licences", help="Licensed seats.", min=0, max=MAX_COUNT)]
Owner = Annotated[str | None, typer.Option("--owner", help="The CSM who owns it (e-mail).")]
EbrMonths = Annotated[
    int | None,
    typer.Option("--ebr-every", help="EBR cadence in months (overrides the segment's).", min=1, max=MAX_MONTHS),
]
Sentiment = Annotated[
    str | None,
    typer.Option("--would-renew", help="Your judgement: would they happily renew tomorrow? yes, unsure or no."),
]
FirstValue = Annotated[
    str | None,
    typer.Option(
        "--first-value", help="Date the customer first saw value (YYYY-MM-DD, yesterday, -2w...).", metavar="DATE"
    ),
]
Notes = Annotated[str | None, typer.Option("--notes", help="Free-text notes.")]
ArrOn = Annotated[
    str | None,
    typer.Option(
        "--on", help="The day the ARR given by --arr took effect (default today; YYYY-MM-DD, -3d...).", metavar="DATE"
    ),
]
PEOPLE_HELP = 'an e-mail or "Name <e-mail>"; "" goes back to the config\'s [people]'
Ae = Annotated[str | None, typer.Option("--ae", help=f"This account's AE for playbook steps: {PEOPLE_HELP}.")]
SupportLead = Annotated[str | None, typer.Option("--support", help=f"Its support lead: {PEOPLE_HELP}.")]
Manager = Annotated[str | None, typer.Option("--manager", help=f"The CSM's manager for it: {PEOPLE_HELP}.")]
Executive = Annotated[str | None, typer.Option("--exec", help=f"Our executive sponsor for it: {PEOPLE_HELP}.")]
Correct = Annotated[
    bool,
    typer.Option(
        "--correct", help="--arr fixes a typo: kept as a correction, never counted as expansion or contraction."
    ),
]


def _account_fields(
    *,
    arr: float | None,
    renewal: str | None,
    segment: str | None,
    stage: str | None,
    contract_start: str | None,
    licences: int | None,
    owner: str | None,
    ebr_every: int | None,
    would_renew: str | None,
    first_value: str | None,
    notes: str | None,
    currency: str | None = None,
) -> AccountFields:
    from csm.db.accounts import AccountFields

    today = state().today()
    return AccountFields(
        arr=arr,
        renewal_date=parse_day(renewal, option="--renewal", today=today) if renewal else None,
        segment=check_choice(segment, SEGMENTS, "--segment"),
        lifecycle_stage=check_choice(stage, LIFECYCLE_STAGES, "--stage"),
        contract_start=parse_day(contract_start, option="--contract-start", today=today) if contract_start else None,
        licences=licences,
        owner=owner.strip().lower() if owner else None,
        ebr_cadence_months=ebr_every,
        renewal_sentiment=check_choice(would_renew, RENEWAL_SENTIMENTS, "--would-renew"),
        first_value_on=parse_day(first_value, option="--first-value", today=today) if first_value else None,
        notes=notes,
        currency=_currency(currency),
    )


def _currency(code: str | None) -> str | None:
    if code is None:
        return None
    from csm.errors import InputError
    from csm.importers.values import ValueProblem, parse_currency

    try:
        return parse_currency(code)
    except ValueProblem as exc:
        raise InputError(f"--currency: {exc}") from None


def _with_people(
    fields: AccountFields, *, ae: str | None, support: str | None, manager: str | None, executive: str | None
) -> AccountFields:
    from dataclasses import replace

    from csm.domain.playbooks import person

    def checked(value: str | None, option: str) -> str | None:
        return None if value is None else person(value, option)

    return replace(
        fields, ae=checked(ae, "--ae"), support_lead=checked(support, "--support"),
        manager=checked(manager, "--manager"), executive=checked(executive, "--exec"),
    )  # fmt: skip


@account_app.command("add")
def account_add(
    name: Annotated[str, typer.Argument(help="The account's name.")],
    arr: Arr = None,
    currency: Currency = None,
    renewal: Renewal = None,
    domain: Domains = None,
    segment: Segment = None,
    external_id: ExternalId = None,
    stage: Stage = None,
    contract_start: ContractStart = None,
    licences: Licences = None,
    owner: Owner = None,
    ebr_every: EbrMonths = None,
    would_renew: Sentiment = None,
    first_value: FirstValue = None,
    notes: Notes = None,
    on: ArrOn = None,
    separate: Annotated[
        bool,
        typer.Option(
            "--separate",
            help="Add it beside an account whose name is the same but for its legal form: another legal entity "
            "(Acme GmbH beside Acme Inc.).",
        ),
    ] = False,
) -> None:
    """Add an account to your book. Its ARR opens its ARR history on --on (default today): a new logo, or the ARR
    it already had when you start your book, or when its --contract-start is over 30 days back (or its --renewal
    has come): an old customer is no new logo."""
    from csm.db.accounts import add_account
    from csm.reports.outcomes import record_arr

    app_state = state()
    today = app_state.today()
    fields = _account_fields(
        arr=None, renewal=renewal, segment=segment, stage=_no_churn(stage), contract_start=contract_start,
        licences=licences, owner=owner or app_state.config.owner, ebr_every=ebr_every,
        would_renew=would_renew, first_value=first_value, notes=notes, currency=currency,
    )  # fmt: skip
    with app_state.adding() as book, book.session() as session:
        account = add_account(
            session, name, fields, domains=domain or [], external_id=external_id, today=today, separate=separate
        )
        assert account.id is not None
        rematched = meetings_follow(session, app_state.config)
        moved = (
            record_arr(session, account.id, arr, on=parse_day(on, option="--on", today=today) if on else today, correct=False,
                       today=today)
            if arr is not None else None
        )  # fmt: skip
    echo(f"Added {account.name} (id {account.id}).")
    if moved is not None and moved.kind is not None:
        echo(_arr_words(moved, account.currency))
    _rematched_words(rematched)


def _no_churn(stage: str | None) -> str | None:
    if stage is not None and stage.strip().lower() == "churned":
        from csm.errors import InputError

        raise InputError("record a lost customer with 'csm churn ACCOUNT --reason R': it keeps the ARR history and why")
    return stage


def _arr_words(moved: ArrMoved, currency: str | None) -> str:
    from csm.domain.arr import change_words

    assert moved.kind is not None
    words = change_words(moved.kind, moved.on, moved.before, moved.after, opening=moved.opening, currency=currency)
    return f"ARR history: {words}."


@account_app.command("edit")
def account_edit(
    account: AccountArg,
    name: Annotated[str | None, typer.Option("--name", help="Rename the account.")] = None,
    arr: Arr = None,
    currency: Currency = None,
    renewal: Renewal = None,
    domain: Domains = None,
    segment: Segment = None,
    external_id: ExternalId = None,
    stage: Stage = None,
    contract_start: ContractStart = None,
    licences: Licences = None,
    owner: Owner = None,
    ebr_every: EbrMonths = None,
    would_renew: Sentiment = None,
    first_value: FirstValue = None,
    notes: Notes = None,
    on: ArrOn = None,
    correct: Correct = False,
    ae: Ae = None,
    support: SupportLead = None,
    manager: Manager = None,
    executive: Executive = None,
) -> None:
    """Change an account's facts; options not given stay as they are. A new --arr is kept in the ARR history,
    dated --on (default today): an expansion, a contraction, a reactivation after a churn, or with --correct a
    correction."""
    from csm.db.accounts import edit_account, resolve_account
    from csm.errors import InputError
    from csm.reports.outcomes import record_arr

    if arr is None and (on is not None or correct):
        raise InputError("--on and --correct date or qualify a new ARR: give it with --arr")
    app_state = state()
    today = app_state.today()
    fields = _account_fields(
        arr=None, renewal=renewal, segment=segment, stage=_no_churn(stage), contract_start=contract_start,
        licences=licences, owner=owner, ebr_every=ebr_every, would_renew=would_renew,
        first_value=first_value, notes=notes, currency=currency,
    )  # fmt: skip
    fields = _with_people(fields, ae=ae, support=support, manager=manager, executive=executive)
    with app_state.book.session() as session:
        found = resolve_account(session, account)
        assert found.id is not None
        edit_account(
            session, found, fields, rename=name, domains=domain or [], external_id=external_id, today=today,
        )  # fmt: skip
        session.flush()
        rematched = meetings_follow(session, app_state.config)
        moved = (
            record_arr(session, found.id, arr, on=parse_day(on, option="--on", today=today) if on else today, correct=correct,
                       today=today)
            if arr is not None else None
        )  # fmt: skip
    echo(f"Updated {found.name}.")
    if moved is not None:
        echo(
            _arr_words(moved, found.currency) if moved.kind
            else f"ARR unchanged: it was already {money(moved.after, found.currency)} on {moved.on}."
        )  # fmt: skip
    _rematched_words(rematched)


@account_app.command("list")
def account_list(
    output_format: Format = OutputFormat.table,
    mine: Annotated[bool, typer.Option("--mine", help="Only accounts owned by the config's owner.")] = False,
    owner: Annotated[str | None, typer.Option("--owner", help="Only accounts owned by this CSM.")] = None,
    show_all: ShowAll = False,
) -> None:
    """List the accounts in your book."""
    from csm.db.accounts import list_accounts

    app_state = state()
    config = app_state.config
    scope = app_state.scope(mine=mine, owner=owner) if (mine or owner) else None
    with app_state.book.session() as session:
        accounts = list_accounts(session, owners=scope.owners if scope else ())
    rows: list[dict[str, object]] = [
        {
            "id": a.id,
            "name": a.name,
            "segment": a.segment or config.segments.segment_for(a.arr),
            "arr": a.arr,
            "currency": a.currency,
            "renewal_date": a.renewal_date,
            "lifecycle_stage": a.lifecycle_stage,
            "owner": a.owner,
        }
        for a in accounts
    ]
    emit(
        Listing(
            title=f"Accounts ({len(rows)})",
            columns=[
                Column("name", "Account"),
                Column("segment", "Segment"),
                Column("arr", "ARR", "right", money=True),
                Column("renewal_date", "Renewal"),
                Column("lifecycle_stage", "Stage"),
                Column("owner", "Owner"),
            ],
            rows=rows,
            empty="No accounts yet. Add one with 'csm account add NAME' or 'csm import accounts FILE'.",
        ),
        output_format,
        show_all=show_all,
    )


@account_app.command("search")
def account_search(
    text: Annotated[str, typer.Argument(help="A name, part of a name, or an external id.")],
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many accounts.", min=1, max=1000)] = 20,
    output_format: Format = OutputFormat.table,
) -> None:
    """Find accounts: the one ACCOUNT would name in any command, the names holding the words, and the closest names."""
    from csm.render.search import search_card
    from csm.reports.search import account_search as search

    app_state = state()
    found = search(app_state.runner, text, app_state.config, limit=limit)
    if output_format == OutputFormat.json:
        from csm.cli.reporting import emit_model

        emit_model(found)
        return
    emit(search_card(found), output_format)


@account_app.command("show")
def account_show(account: AccountArg, output_format: Format = OutputFormat.table) -> None:
    """Show one account: its facts, people, recent interactions and open to-dos."""
    from csm.cli.activity import open_todos
    from csm.db.accounts import account_domains, account_external_ids, list_contacts, resolve_account
    from csm.db.activity import list_interactions
    from csm.render.today import as_listed

    app_state = state()
    config = app_state.config
    today = app_state.today()
    with app_state.book.session() as session:
        found = resolve_account(session, account)
        assert found.id is not None
        domains = account_domains(session, found.id)
        keys = account_external_ids(session, found.id)
        contacts = list_contacts(session, found)
        interactions = list_interactions(session, found, limit=5)
    todos, _total = open_todos(app_state, account_id=found.id)  # the day's, as `csm todo list -a` gives them
    churned = found.churned_on is not None or found.lifecycle_stage == "churned"
    days = (found.renewal_date - today).days if found.renewal_date and not churned else None  # a lost one renews never
    card = Card(
        title=found.name,
        fields={
            "name": found.name,
            "segment": found.segment or config.segments.segment_for(found.arr),
            "arr": found.arr,
            "currency": currency_code(found.currency),
            "lifecycle_stage": found.lifecycle_stage,
            "renewal_date": found.renewal_date,
            "days_to_renewal": days,
            "contract_start": found.contract_start,
            "licences": found.licences,
            "owner": found.owner,
            "would_renew": found.renewal_sentiment,
            "domains": domains,
            "external_ids": [f"{source}:{value}" for source, value in keys],
            "notes": found.notes,
            # who stands behind its playbook steps, where the account names its own (else the config's [people])
            **{
                key: getattr(found, key)
                for key in ("ae", "support_lead", "manager", "executive")
                if getattr(found, key)
            },
        },
        currency=found.currency,
        sections=[
            contact_listing(contacts, title="Contacts"),
            Listing(
                title="Recent interactions",
                columns=[Column("date", "Date"), Column("kind", "Kind"), Column("summary", "Summary")],
                rows=[{"date": i.occurred_on, "kind": i.kind, "summary": i.summary} for i in interactions],
                empty="none logged ('csm log ACCOUNT --kind call --summary ...')",
            ),
            Listing(
                title="Open to-dos",
                columns=[
                    Column("id", "ID", "right"),
                    Column("due", "Due"),
                    Column("title", "To-do"),
                    Column("deferred", "Deferred"),
                ],
                rows=[
                    {
                        "id": t.id,
                        "due": t.due,
                        "title": t.title,
                        "deferred": deferred_words(t.deferrals, t.defer_reason).removeprefix("deferred ") or None,
                    }
                    # a table shows its meeting and whom it is handed to after its title, as todo list does; JSON
                    # keeps the title as it is (todo list --format json has those in fields of their own)
                    for t in (todos if output_format == OutputFormat.json else map(as_listed, todos))
                ],
                empty="none",
            ),
        ],
    )
    emit(card, output_format)


def contact_listing(rows: Sequence[tuple[Contact, str, str | None]], *, title: str) -> Listing:
    records: list[dict[str, object]] = []
    for contact, account_name, manager in rows:
        records.append(
            {
                "id": contact.id,
                "account": account_name,
                "name": contact.name,
                "email": contact.email,
                "title": contact.title,
                "role": contact.role,
                "influence": contact.influence,
                "reports_to": manager,
                "left_on": contact.left_on,
            }
        )
    return Listing(
        title=title,
        columns=[
            Column("name", "Name"),
            Column("role", "Role"),
            Column("title", "Title"),
            Column("email", "E-mail"),
            Column("reports_to", "Reports to"),
            Column("left_on", "Left"),
        ],
        rows=records,
        empty="none yet ('csm contact add ACCOUNT NAME --role champion')",
    )


ShowAll = Annotated[bool, typer.Option("--all", help="Print every row, not just what fits the screen.")]
Email = Annotated[str | None, typer.Option("--email", help="E-mail address.")]
Title = Annotated[str | None, typer.Option("--title", help="Job title.")]
Role = Annotated[str | None, typer.Option("--role", help=f"Role: {', '.join(CONTACT_ROLES)}.")]
Influence = Annotated[str | None, typer.Option("--influence", help="Influence: high, medium or low.")]
Phone = Annotated[str | None, typer.Option("--phone", help="Phone number.")]
ReportsTo = Annotated[str | None, typer.Option("--reports-to", help="Their manager (a contact at the account).")]


@contact_app.command("add")
def contact_add(
    account: AccountArg,
    name: Annotated[str, typer.Argument(help="The person's name.")],
    email: Email = None,
    title: Title = None,
    role: Role = None,
    influence: Influence = None,
    phone: Phone = None,
    reports_to: ReportsTo = None,
) -> None:
    """Add a stakeholder to an account."""
    from csm.db.accounts import ContactFields, add_contact, resolve_account

    fields = ContactFields(
        email=email,
        phone=phone,
        title=title,
        role=check_choice(role, CONTACT_ROLES, "--role"),
        influence=check_choice(influence, INFLUENCE_LEVELS, "--influence"),
    )
    app_state = state()
    with app_state.book.session() as session:
        found = resolve_account(session, account)
        contact = add_contact(session, found, name, fields, reports_to=reports_to)
        rematched = meetings_follow(session, app_state.config)
    echo(f"Added {contact.name} to {found.name} (contact id {contact.id}).")
    _rematched_words(rematched)


@contact_app.command("list")
def contact_list(
    account: Annotated[str | None, typer.Argument(help="Only this account's contacts.")] = None,
    account_option: AccountFilter = None,
    output_format: Format = OutputFormat.table,
    show_all: ShowAll = False,
) -> None:
    """List stakeholders, for one account or the whole book."""
    from csm.db.accounts import list_contacts, resolve_account

    account = one_account(account, account_option)

    with state().book.session() as session:
        found = resolve_account(session, account) if account else None
        rows = list_contacts(session, found)
    listing = contact_listing(rows, title=f"Contacts at {found.name}" if found else f"Contacts ({len(rows)})")
    if found is None:
        listing.columns.insert(0, Column("account", "Account"))
    emit(listing, output_format, show_all=show_all)


@contact_app.command("edit")
def contact_edit(
    account: AccountArg,
    contact: Annotated[str, typer.Argument(help="The contact's name, prefix or e-mail.")],
    name: Annotated[str | None, typer.Option("--name", help="Rename the contact.")] = None,
    email: Email = None,
    title: Title = None,
    role: Role = None,
    influence: Influence = None,
    phone: Phone = None,
    reports_to: ReportsTo = None,
) -> None:
    """Change a stakeholder's details; title and role changes are kept as history."""
    from csm.db.accounts import ContactFields, edit_contact, resolve_account, resolve_contact

    app_state = state()
    fields = ContactFields(
        email=email,
        phone=phone,
        title=title,
        role=check_choice(role, CONTACT_ROLES, "--role"),
        influence=check_choice(influence, INFLUENCE_LEVELS, "--influence"),
    )
    with app_state.book.session() as session:
        found = resolve_account(session, account)
        person = resolve_contact(session, found, contact)
        manager = resolve_contact(session, found, reports_to) if reports_to else None
        edit_contact(session, person, fields, rename=name, reports_to=manager, today=app_state.today())
        rematched = meetings_follow(session, app_state.config)
    echo(f"Updated {person.name} at {found.name}.")
    _rematched_words(rematched)


@contact_app.command("left")
def contact_left(
    account: AccountArg,
    contact: Annotated[str, typer.Argument(help="The contact's name, prefix or e-mail.")],
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="When they left (default today; YYYY-MM-DD, last friday, 2 weeks ago...).", metavar="DATE"
        ),
    ] = None,
    went_to: Annotated[str | None, typer.Option("--to", help="Where they went, if known (a sales lead).")] = None,
) -> None:
    """Record that a stakeholder left; a champion or sponsor leaving raises a to-do to act now."""
    from csm.cli.reporting import judge_book
    from csm.db.accounts import mark_contact_left, resolve_account, resolve_contact

    app_state = state()
    today = app_state.today()
    with app_state.book.session() as session:
        found = resolve_account(session, account)
        person = resolve_contact(session, found, contact)
        left_on = parse_day(on, option="--on", today=today) if on else today
        mark_contact_left(session, person, on=left_on, went_to=went_to, today=today)
        rematched = meetings_follow(session, app_state.config)
    echo(f"Recorded that {person.name} left {found.name} on {left_on}.")
    _rematched_words(rematched)
    evaluation, _scope = judge_book(None, account_id=found.id)
    for todo in evaluation.todos:
        if todo.rule_key == f"champion_change:{person.id}":
            echo(f"To-do {todo.id}: {todo.title}")


def meetings_follow(session: Session, config: Config) -> int:
    """Stored meetings matched again after a change to accounts or contacts (no calendar import needed)."""
    from csm.db.calendars import rematch_in

    return rematch_in(session, config)


def _rematched_words(count: int) -> None:
    if count:
        echo(f"{count} calendar meeting{'s' if count != 1 else ''} matched again to the book's accounts.")


def register(app: typer.Typer) -> None:
    app.add_typer(account_app, name="account")
    app.add_typer(contact_app, name="contact")
