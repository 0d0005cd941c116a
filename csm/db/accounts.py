"""Accounts and their stakeholders: finding one by what a CSM types, and keeping them by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from csm.clock import now_utc
from csm.db.lookup import closest_names, find_account
from csm.db.models import Account, AccountDomain, AccountKey, Contact, ContactChange
from csm.db.scope import owner_forms
from csm.domain.matching import normalise_domain, normalise_email, normalise_name
from csm.errors import AmbiguousError, InputError, NotFoundError


def resolve_account(session: Session, query: str) -> Account:
    """The account a CSM means (see csm.db.lookup.find_account), loaded for editing."""
    from csm.db.runner import ConnectionRunner

    account_id, _name = find_account(ConnectionRunner(session.connection()), query)
    account = session.get(Account, account_id)
    assert account is not None
    return account


@dataclass(frozen=True)
class AccountFields:
    """What a CSM can set on an account by hand; None leaves a field as it is."""

    arr: float | None = None
    renewal_date: date | None = None
    segment: str | None = None
    lifecycle_stage: str | None = None
    contract_start: date | None = None
    licences: int | None = None
    owner: str | None = None
    ebr_cadence_months: int | None = None
    renewal_sentiment: str | None = None
    first_value_on: date | None = None
    notes: str | None = None
    currency: str | None = None  # ISO code
    ae: str | None = None  # who stands behind a playbook step's ae, support, manager, exec here ("" clears one)
    support_lead: str | None = None
    manager: str | None = None
    executive: str | None = None


PEOPLE_FIELDS = ("ae", "support_lead", "manager", "executive")


def add_account(
    session: Session,
    name: str,
    fields: AccountFields,
    *,
    domains: list[str],
    external_id: str | None,
    today: date,
    separate: bool = False,
) -> Account:
    """A new account; one whose name matches another's but for case, punctuation and legal form is refused as the
    same company, unless `separate` says it is another legal entity (the names must still differ as written)."""
    clean = " ".join(name.split())
    if not clean:
        raise InputError("an account needs a name")
    norm = normalise_name(clean)
    clashes = session.exec(select(Account).where(Account.name_norm == norm)).all()
    same = next((c for c in clashes if c.name.casefold() == clean.casefold()), None)
    if same is not None:
        raise InputError(f"an account named {same.name!r} already exists; edit it with 'csm account edit'")
    if clashes and not separate:
        raise InputError(
            f"an account named {clashes[0].name!r} already exists ({clean!r} is the same name but for its legal "
            f"form); edit it with 'csm account edit', or add {clean!r} as another legal entity with --separate"
        )
    stamp = now_utc()
    account = Account(name=clean, name_norm=norm, created_at=stamp, updated_at=stamp)
    _apply(account, fields, today)
    session.add(account)
    session.flush()
    assert account.id is not None
    add_domains(session, account.id, domains)
    if external_id:
        add_external_id(session, account.id, external_id)
    return account


def edit_account(
    session: Session,
    account: Account,
    fields: AccountFields,
    *,
    rename: str | None,
    domains: list[str],
    external_id: str | None,
    today: date,
) -> Account:
    if rename:
        clean = " ".join(rename.split())
        norm = normalise_name(clean)
        clash = session.exec(select(Account).where(Account.name_norm == norm, Account.id != account.id)).first()
        if clash is not None:
            raise InputError(f"another account is already named {clash.name!r}")
        account.name, account.name_norm = clean, norm
    _apply(account, fields, today)
    account.updated_at = now_utc()
    session.add(account)
    assert account.id is not None
    add_domains(session, account.id, domains)
    if external_id:
        add_external_id(session, account.id, external_id)
    return account


def _apply(account: Account, fields: AccountFields, today: date) -> None:
    for key, value in vars(fields).items():
        if value is not None:
            setattr(account, key, value if value != "" or key not in PEOPLE_FIELDS else None)
    if fields.renewal_sentiment is not None:
        account.renewal_sentiment_on = today


def add_domains(session: Session, account_id: int, domains: list[str]) -> None:
    for raw in domains:
        domain = normalise_domain(raw)
        if not domain or "." not in domain:
            raise InputError(f"{raw!r} is not a domain such as acme.com")
        owner = session.exec(select(AccountDomain).where(AccountDomain.domain == domain)).first()
        if owner is None:
            session.add(AccountDomain(account_id=account_id, domain=domain))
        elif owner.account_id != account_id:
            other = session.get(Account, owner.account_id)
            raise InputError(f"the domain {domain} already belongs to {other.name if other else 'another account'}")


def add_external_id(session: Session, account_id: int, external_id: str, source: str = "csm") -> None:
    existing = session.exec(
        select(AccountKey).where(AccountKey.source == source, AccountKey.external_id == external_id)
    ).first()
    if existing is None:
        session.add(AccountKey(account_id=account_id, source=source, external_id=external_id))
    elif existing.account_id != account_id:
        raise InputError(f"the external id {external_id} already belongs to another account")


def account_domains(session: Session, account_id: int) -> list[str]:
    return list(
        session.exec(
            select(AccountDomain.domain).where(AccountDomain.account_id == account_id).order_by(AccountDomain.domain)
        ).all()
    )


def account_external_ids(session: Session, account_id: int) -> list[tuple[str, str]]:
    rows = session.exec(
        select(AccountKey.source, AccountKey.external_id).where(AccountKey.account_id == account_id)
    ).all()
    return [(source, external_id) for source, external_id in rows]


def list_accounts(session: Session, *, owners: Sequence[str] = ()) -> list[Account]:
    query = select(Account).order_by(func.lower(Account.name))
    if owners:
        query = query.where(func.lower(Account.owner).in_(owner_forms(owners)))
    return list(session.exec(query).all())


@dataclass(frozen=True)
class ContactFields:
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    role: str | None = None
    influence: str | None = None


def add_contact(
    session: Session, account: Account, name: str, fields: ContactFields, *, reports_to: str | None
) -> Contact:
    clean = " ".join(name.split())
    if not clean:
        raise InputError("a contact needs a name")
    assert account.id is not None
    email = normalise_email(fields.email) if fields.email else None
    if fields.email and email is None:
        raise InputError(f"{fields.email!r} is not an e-mail address")
    same_person = [func.lower(Contact.name) == clean.lower()]
    if email:
        same_person.append(col(Contact.email) == email)
    duplicate = session.exec(select(Contact).where(Contact.account_id == account.id, or_(*same_person))).first()
    if duplicate is not None:
        raise InputError(f"{duplicate.name} is already a contact at {account.name}; use 'csm contact edit'")
    stamp = now_utc()
    contact = Contact(account_id=account.id, name=clean, created_at=stamp, updated_at=stamp)
    for key, value in vars(fields).items():
        if value is not None:
            setattr(contact, key, value)
    contact.email = email
    if reports_to:
        contact.reports_to_id = resolve_contact(session, account, reports_to).id
    session.add(contact)
    session.flush()
    return contact


def resolve_contact(session: Session, account: Account, query: str) -> Contact:
    """A contact of the account by e-mail, exact name, or unique case-insensitive name prefix."""
    text = query.strip().lower()
    contacts = list(session.exec(select(Contact).where(Contact.account_id == account.id)).all())
    for matches in (
        [c for c in contacts if (c.email or "") == text],
        [c for c in contacts if c.name.lower() == text],
        [c for c in contacts if c.name.lower().startswith(text)],
    ):
        if len(matches) == 1:
            return matches[0]
        if matches:
            names = ", ".join(c.name for c in matches)
            raise AmbiguousError(f"{query!r} matches several contacts at {account.name}: {names}")
    suggestions = closest_names(query, [c.name for c in contacts])
    hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise NotFoundError(f"{account.name} has no contact matching {query!r}{hint}")


def edit_contact(
    session: Session,
    contact: Contact,
    fields: ContactFields,
    *,
    rename: str | None,
    reports_to: Contact | None,
    today: date,
    source: str = "csm",
) -> Contact:
    """Change a contact, recording title and role changes as stakeholder history."""
    updates: dict[str, Any] = {k: v for k, v in vars(fields).items() if v is not None}
    if "email" in updates:
        email = normalise_email(updates["email"])
        if email is None:
            raise InputError(f"{updates['email']!r} is not an e-mail address")
        updates["email"] = email
    if rename:
        updates["name"] = " ".join(rename.split())
    if reports_to is not None:
        if reports_to.id == contact.id:
            raise InputError("a contact cannot report to themselves")
        updates["reports_to_id"] = reports_to.id
    for key, value in updates.items():
        old = getattr(contact, key)
        if old != value and key in ("title", "role") and contact.id is not None:
            session.add(
                ContactChange(
                    contact_id=contact.id,
                    field=key,
                    old_value=old,
                    new_value=value,
                    changed_on=today,
                    source=source,
                )
            )
        setattr(contact, key, value)
    contact.updated_at = now_utc()
    session.add(contact)
    return contact


def mark_contact_left(session: Session, contact: Contact, *, on: date, went_to: str | None, today: date) -> None:
    """Record a stakeholder leaving (the engine then raises a champion_change to-do for key roles)."""
    if contact.left_on is not None:
        raise InputError(f"{contact.name} is already recorded as having left on {contact.left_on}")
    assert contact.id is not None
    contact.left_on = on
    contact.left_to = went_to
    contact.updated_at = now_utc()
    session.add(contact)
    session.add(
        ContactChange(contact_id=contact.id, field="left_on", new_value=on.isoformat(), changed_on=today, source="csm")
    )


def list_contacts(session: Session, account: Account | None) -> list[tuple[Contact, str, str | None]]:
    """Contacts with their account name and manager's name, account by account."""
    from sqlalchemy.orm import aliased

    manager = aliased(Contact)
    query = (
        select(Contact, Account.name, manager.name)
        .join(Account, col(Account.id) == Contact.account_id)
        .outerjoin(manager, col(manager.id) == Contact.reports_to_id)
        .order_by(func.lower(Account.name), func.lower(Contact.name))
    )
    if account is not None:
        query = query.where(Contact.account_id == account.id)
    return [(contact, account_name, manager_name) for contact, account_name, manager_name in session.exec(query)]
