"""One handler per import kind: read a row's fields, check them, and upsert the record by its key."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from csm.domain.matching import normalise_domain, normalise_name, normalise_phrase
from csm.domain.words import (
    CONTACT_ROLES,
    GOAL_STATUSES,
    INFLUENCE_LEVELS,
    INTERACTION_KINDS,
    LIFECYCLE_STAGES,
    OPPORTUNITY_KINDS,
    RENEWAL_SENTIMENTS,
    SEGMENTS,
    SENTIMENTS,
    VALUE_TYPES,
)
from csm.importers.linking import Row, RowInvalid
from csm.importers.load import as_utc
from csm.importers.values import parse_bool, parse_currency, shown, split_list

if TYPE_CHECKING:
    from csm.importers.load import Handler, Importer

# HubSpot's Buying Role options and Salesforce's Contact Role picklist (DOMAIN.md, "Stakeholder roles"),
# by their labels and API values; Other and Blocker-like roles keep their words in crm_roles
ROLE_ALIASES = {
    "executive_sponsor": "exec_sponsor",
    "exec_sponsor": "exec_sponsor",
    "sponsor": "exec_sponsor",
    "economic_buyer": "decision_maker",
    "decision_maker": "decision_maker",
    "budget_holder": "decision_maker",
    "champion": "champion",
    "influencer": "influencer",
    "blocker": "influencer",
    "legal_and_compliance": "influencer",
    "technical_buyer": "influencer",
    "evaluator": "influencer",
    "admin": "admin",
    "administrator": "admin",
    "system_administrator": "admin",
    "end_user": "user",
    # a German-language Salesforce org's Contact Role labels
    "entscheider": "decision_maker",
    "entscheidungsträger": "decision_maker",
    "wirtschaftlicher_käufer": "decision_maker",
    "beeinflusser": "influencer",
    "bewerter": "influencer",
    "technischer_käufer": "influencer",
    "geschäftsbenutzer": "user",
    "endbenutzer": "user",
    "sonstiges": "",
    "business_user": "user",
    "user": "user",
    "other": "",
}
ROLE_STRENGTH = ("exec_sponsor", "champion", "decision_maker", "influencer", "admin", "user")
SEGMENT_ALIASES = {"midmarket": "mid_market", "mid": "mid_market", "mm": "mid_market", "ent": "enterprise"}
# Zendesk writes its statuses and priorities in the language of the agent who exports: a German export's
# "Gelöst" kept as it is would count every solved ticket as open.
TICKET_STATUSES = {
    "on_hold": "hold", "on-hold": "hold", "on hold": "hold",
    "neu": "new", "offen": "open", "wartend": "pending", "angehalten": "hold", "gelöst": "solved",
    "geschlossen": "closed",
    "nouveau": "new", "ouvert": "open", "en attente": "pending", "en pause": "hold", "résolu": "solved",
    "clos": "closed", "fermé": "closed",
    "nuevo": "new", "abierto": "open", "pendiente": "pending", "en espera": "hold", "resuelto": "solved",
    "cerrado": "closed",
    "nuovo": "new", "aperto": "open", "in attesa": "pending", "sospeso": "hold", "risolto": "solved", "chiuso": "closed",
    "novo": "new", "aberto": "open", "pendente": "pending", "em espera": "hold", "resolvido": "solved",
    "fechado": "closed",
    "nieuw": "new", "in afwachting": "pending", "in de wacht": "hold", "opgelost": "solved", "gesloten": "closed",
    # the words of Freshdesk, Jira Service Management, Salesforce cases, HubSpot tickets and Intercom
    "resolved": "solved", "done": "solved", "completed": "solved", "fixed": "solved",
    "canceled": "closed", "cancelled": "closed",
    "working": "open", "in progress": "open", "in_progress": "open", "escalated": "open", "reopened": "open",
    "waiting on us": "open", "waiting for support": "open",
    "waiting on customer": "pending", "waiting on contact": "pending", "waiting for customer": "pending",
    "awaiting customer": "pending", "waiting on third party": "pending",
    "snoozed": "hold",
}  # fmt: skip
KNOWN_TICKET_STATUSES = frozenset({"new", "open", "pending", "hold", "solved", "closed", "deleted"})
TICKET_PRIORITIES = {
    "critical": "urgent", "medium": "normal",
    "niedrig": "low", "hoch": "high", "dringend": "urgent",
    "faible": "low", "basse": "low", "normale": "normal", "élevée": "high", "haute": "high", "urgente": "urgent",
    "baja": "low", "alta": "high",
    "highest": "urgent", "lowest": "low", "p1": "urgent", "p2": "high", "p3": "normal", "p4": "low",
}  # fmt: skip


def _text(value: str) -> str:
    return value


def accounts(imp: Importer, row: Row) -> str:
    name = " ".join(row.required("name", _text).split())
    name_norm = normalise_name(name)
    external_id = row.text("account_id")
    key = ("account", external_id) if external_id else ("account-name", name_norm)
    # a report of accounts with their contacts repeats each account on every contact's row: the same record
    # again is read once; the same account with other values is refused, naming both lines (a last activity
    # there may be the contact's: the first row's stands)
    cells = tuple(row.text(field) for field in sorted(row.plan.columns) if field != "last_activity_on")
    repeated: dict[tuple[str, str], tuple[str | None, ...]] = imp.memo.setdefault("account_cells", {})
    if repeated.get(key) == cells:
        imp.tally("rows repeating an account exactly (as a report of accounts with their contacts does) were read once")
        return "unchanged"
    repeated.setdefault(key, cells)
    if external_id:
        imp.once(key, row, row.column("account_id"), "account id", external_id)
    else:
        imp.once(key, row, row.column("name"), "the account", name)
    money = row.money("arr")
    revenue = row.money("company_revenue")
    contract = row.money("contract_value")
    start, renewal = row.date("contract_start"), row.date("renewal_date")
    if start is not None and renewal is not None and renewal <= start:
        raise RowInvalid(
            row.column("renewal_date"),
            f"the renewal date {renewal} is {'the day' if renewal == start else 'before'} the contract starts "
            f"({start}); check the two columns",
        )
    for amount, field in ((money, "arr"), (contract, "contract_value")):
        if amount is not None and amount[0] < 0:
            raise RowInvalid(row.column(field), f"{shown(row.text(field) or '')} is below 0; ARR cannot be negative")
    arr = money[0] if money else None
    if arr is None and contract is not None:
        months = term_months(start, renewal)
        if months is None:
            imp.tally(
                "a contract value without both term dates (start and end) is its total (TCV), not ARR; "
                "those accounts keep the ARR they had, or have none yet"
            )
        elif months < SHORTEST_ANNUALISED_TERM_MONTHS:
            imp.tally(
                f"a contract value over a term under {SHORTEST_ANNUALISED_TERM_MONTHS} months (a pilot or a trial) "
                "is not made ARR: scaling it to a year would overstate it; those accounts keep the ARR they had, "
                "or have none yet"
            )
        else:
            arr = contract[0] if months == 12 else round(contract[0] * 12 / months, 2)
            if months != 12:
                imp.tally("contract values (TCV) over a term other than one year were made ARR by their term")
    # the company's own revenue is in its home currency, which says nothing of the contract's
    currency = row.value("currency", parse_currency) or next((m[1] for m in (money, contract) if m and m[1]), None)
    values: dict[str, Any] = {
        "arr": arr,
        "company_revenue": revenue[0] if revenue else None,
        "contract_value": contract[0] if contract else None,
        "last_activity_on": row.date("last_activity_on"),
        "currency": currency,
        "segment": row.choice("segment", SEGMENTS, SEGMENT_ALIASES),
        "lifecycle_stage": _lifecycle(imp, row.text("lifecycle_stage")),
        "contract_start": start,
        "renewal_date": renewal,
        "licences": row.integer("licences"),
        "owner": _owner(row.text("owner")),
        "ebr_cadence_months": row.integer("ebr_cadence_months"),
        "renewal_sentiment": row.choice("would_renew", RENEWAL_SENTIMENTS),
        "first_value_on": row.date("first_value_on"),
    }
    if values["lifecycle_stage"] is None and row.value("is_active", parse_bool) is False:
        values["lifecycle_stage"] = "churned"
    if values["lifecycle_stage"] == "churned":
        values["arr"] = None  # a lost customer's ARR is 0 (the history says so), whatever the CRM still shows
    domains = [normalise_domain(part) for part in re.split(r"[;,\s]+", row.text("domains") or "") if part]
    linker = imp.linker
    account_id = linker.keys.get((imp.source, external_id)) if external_id else None
    by_key = account_id is not None
    if account_id is None:
        named = linker.names.get(name_norm, [])
        # another id from the same tool means another account, even under the same name
        candidates = linker.same_name(
            name, [a for a in named if not (external_id and imp.source in linker.sources_of.get(a, set()))]
        )
        if len(candidates) > 1:
            raise RowInvalid(row.column("name"), linker.alike(name, candidates))
        account_id = candidates[0] if candidates else None
    table = imp.table("accounts")
    existing = imp.find_by(table, id=account_id) if account_id is not None else None
    if existing is not None and by_key:
        values.update(name=name, name_norm=name_norm)  # the tool of record renamed it
    if values["renewal_sentiment"] and (
        existing is None or existing["renewal_sentiment"] != values["renewal_sentiment"]
    ):
        values["renewal_sentiment_on"] = imp.today
    stamp = as_utc(_now())
    outcome, account_id = imp.write(
        table,
        existing,
        values,
        on_insert={"name": name, "name_norm": name_norm, "created_at": stamp, "updated_at": stamp},
        on_update={"updated_at": stamp},
    )
    if existing is None:
        linker.remember_account(account_id, name, name_norm)
    _arr_history(imp, existing, account_id, values["arr"], churned=values["lifecycle_stage"] == "churned",
                 dates=(values["contract_start"], values["renewal_date"]))  # fmt: skip
    grew = False
    if external_id and (imp.source, external_id) not in linker.keys:
        _insert(imp, "account_keys", account_id=account_id, source=imp.source, external_id=external_id)
        linker.remember_key(account_id, imp.source, external_id)
        grew = True
    for domain in domains:
        owner = linker.domains.get(domain)
        if "." not in domain or owner == account_id:
            continue
        if owner is not None:
            imp.tally(f"domains already owned by another account were not added (e.g. {domain})")
            continue
        _insert(imp, "account_domains", account_id=account_id, domain=domain)
        linker.remember_domain(domain, account_id)
        grew = True
    return "updated" if grew and outcome == "unchanged" else outcome


def _arr_history(
    imp: Importer,
    existing: dict[str, Any] | None,
    account_id: int,
    arr: float | None,
    *,
    churned: bool,
    dates: tuple[date | None, date | None],
) -> None:
    """An account's ARR as the file gives it, kept as a dated change on the import's day: the first ARR a book
    knows opens the account's history (`new`: the opening book on the book's first day, a new logo after it); a
    different value later is an expansion or contraction; a file that marks the account churned records the
    churn, and ARR for an account the book holds as churned records its return (a reactivation). An account whose
    contract the row says is older than the book's record of it opens its history whenever it comes in."""
    from csm.db.arr import NewChange, history_began_before, record_change
    from csm.domain.arr import was_customer_already

    customer = was_customer_already(dates[0] or (existing or {}).get("contract_start"),
                                    dates[1] or (existing or {}).get("renewal_date"), imp.today)  # fmt: skip

    note = f"from the {imp.source} import"
    if existing is None:
        if churned or arr is None:
            return  # lost before the book knew it, or no ARR given: no history to open
        if "opening" not in imp.memo:
            imp.memo["opening"] = not history_began_before(imp.connection, imp.today)
        change = {"account_id": account_id, "changed_on": imp.today, "kind": "new", "arr_after": arr,
                  "opening": imp.memo["opening"] or customer, "source": imp.source,
                  "recorded_at": as_utc(_now())}  # fmt: skip
        imp.write(imp.table("arr_changes"), None, change, batched=True)
        return
    was_churned = existing["churned_on"] is not None or existing["lifecycle_stage"] == "churned"
    if churned and not was_churned:
        record_change(imp.connection, NewChange(account_id, imp.today, 0.0, "churn", reason="other",
                                                note=f"marked churned in the {imp.source} import", source=imp.source))  # fmt: skip
    elif arr is not None and (was_churned or existing["arr"] is None or round(existing["arr"], 2) != round(arr, 2)):
        opening = existing["arr"] is None and (customer or not history_began_before(imp.connection, imp.today))
        record_change(
            imp.connection, NewChange(account_id, imp.today, arr, note=note, source=imp.source, opening=opening)
        )


# HubSpot's lifecycle stage is its sales funnel, written in its labels: a company still in the funnel is one we
# are evaluating with; "Customer" (or "Evangelist") says it is a customer, not where it stands with us.
CRM_FUNNEL_STAGES = {
    "subscriber": "evaluation", "lead": "evaluation", "marketing_qualified_lead": "evaluation",
    "marketingqualifiedlead": "evaluation", "sales_qualified_lead": "evaluation", "salesqualifiedlead": "evaluation",
    "opportunity": "evaluation", "customer": None, "evangelist": None, "other": None,
}  # fmt: skip


def _lifecycle(imp: Importer, text: str | None) -> str | None:
    """The account's stage with us; a CRM's funnel stage read as one where it says one, else left empty (with a
    word in the report), never a refused row."""
    if text is None:
        return None
    word = text.lower().replace("-", "_").replace(" ", "_")
    if word in LIFECYCLE_STAGES:
        return word
    if word in CRM_FUNNEL_STAGES:
        stage = CRM_FUNNEL_STAGES[word]
        if stage is None:
            imp.tally(f"lifecycle stage {shown(text)} is the CRM's sales funnel, not a stage with us; left empty")
        return stage
    imp.tally(f"lifecycle stage {shown(text)} is not one of: {', '.join(LIFECYCLE_STAGES)}; left empty")
    return None


# a shorter term is a pilot or a trial, whose total says little about a year: scaling by 12/months would more than double it
SHORTEST_ANNUALISED_TERM_MONTHS = 6


def term_months(start: Any, end: Any) -> int | None:
    """A contract's term in whole months (a part month of 15 days or more counts as one); None when either date
    is missing."""
    if start is None or end is None or end <= start:
        return None
    from dateutil.relativedelta import relativedelta

    # 2026-04-01..2027-03-31 is one year: an end date is often the last day of the term, not the day after
    span = relativedelta(end + timedelta(days=1), start)
    months = span.years * 12 + span.months + (1 if span.days >= 15 else 0)
    return months


def _owner(text: str | None) -> str | None:
    """Owners are kept as lower-case e-mails where the tool gives one; a person's name stays as written."""
    return text.lower() if text and "@" in text else text


def contacts(imp: Importer, row: Row) -> str:
    first, last = row.text("first_name"), row.text("last_name")
    name = row.text("name") or " ".join(part for part in (first, last) if part)
    if not name:
        raise RowInvalid(row.column("name") or row.column("first_name"), "the contact has no name")
    name = " ".join(name.split())
    email = row.email("email")
    account_id = imp.linker.link(row, email)
    external_id = row.text("contact_id")
    values: dict[str, Any] = {
        "account_id": account_id,
        "email": email,
        "phone": row.text("phone"),
        "title": row.text("title"),
        "influence": row.choice("influence", INFLUENCE_LEVELS),
        "left_on": row.date("left_on"),
        "last_activity_on": row.date("last_activity_on"),
    }
    values.update(_roles(imp, row))
    if external_id:
        imp.once(("contact", external_id), row, row.column("contact_id"), "contact id", external_id)
    elif email:
        imp.once(("contact-email", account_id, email), row, row.column("email"), f"the e-mail {email}")
    else:
        imp.once(("contact-name", account_id, name.lower()), row, row.column("name"), "the contact", name)
    table = imp.table("contacts")
    existing = imp.find_by(table, source=imp.source, external_id=external_id) if external_id else None
    if existing is None:
        existing = _contact_at(imp, row, account_id, name, email)
        if existing is not None and external_id:
            if existing["external_id"] not in (None, external_id):
                existing = None  # a different person in the tool of record
            else:
                values.update(source=imp.source, external_id=external_id)
    elif existing["name"] != name:
        values["name"] = name
    if existing is not None:
        for field, old, new in (
            ("title", existing["title"], values["title"]),
            ("account", imp.linker.labels.get(existing["account_id"]), imp.linker.labels.get(account_id)),
        ):
            if new is not None and old is not None and old != new:
                _insert(
                    imp,
                    "contact_changes",
                    contact_id=existing["id"],
                    field=field,
                    old_value=old,
                    new_value=new,
                    changed_on=imp.today,
                    source=imp.source,
                )
    stamp = as_utc(_now())
    outcome, contact_id = imp.write(
        table,
        existing,
        values,
        on_insert={
            "name": name,
            "source": imp.source if external_id else None,
            "external_id": external_id,
            "created_at": stamp,
            "updated_at": stamp,
        },
        on_update={"updated_at": stamp},
    )
    manager = row.text("reports_to")
    if manager:
        imp.after.append(lambda: _reports_to(imp, contact_id, account_id, manager, row.line))
    return outcome


def _roles(imp: Importer, row: Row) -> dict[str, str | None]:
    """The strongest of the roles a CRM gives (a multi-select keeps them all in crm_roles); an unknown role
    imports the contact without one and is reported, never refused."""
    text = row.text("role")
    if text is None:
        return {}
    named = [part.strip() for part in re.split(r"[;|]", text) if part.strip()]
    roles = [role_of(part) for part in named]
    unknown = [part for part, role in zip(named, roles, strict=True) if role is None]
    for part in unknown:
        imp.tally(
            f"the role {shown(part)} is not one csm knows; imported without a role (the CRM's roles are kept beside the contact)"
        )
    known = [role for role in roles if role]
    strongest = min(known, key=ROLE_STRENGTH.index) if known else None
    single_native = len(named) == 1 and named[0].lower().replace(" ", "_") == strongest
    return {"role": strongest, "crm_roles": None if single_native else "; ".join(named)}


def role_of(text: str) -> str | None:
    """A CRM's role option as csm's role ('' for a known option with no csm role, such as HubSpot's Other)."""
    word = re.sub(r"[^a-z]+", "_", text.lower()).strip("_")
    if word in ROLE_ALIASES:
        return ROLE_ALIASES[word]
    return word if word in CONTACT_ROLES else None


def _contact_at(imp: Importer, row: Row, account_id: int, name: str, email: str | None) -> dict[str, Any] | None:
    """The same person at the same account by e-mail, else by name; a shared inbox is never merged silently."""
    from sqlalchemy import func, select

    table = imp.table("contacts")
    if email:
        found = [
            dict(r)
            for r in imp.connection.execute(
                select(table).where(table.c.account_id == account_id, table.c.email == email)
            ).mappings()
        ]
        same = [c for c in found if c["name"].lower() == name.lower()]
        if same:
            return same[0]
        if found:
            raise RowInvalid(
                row.column("email"),
                f"the e-mail {email} belongs to {found[0]['name']} already; one inbox shared by several people "
                "is not merged: give the row a contact id, or fix the name or e-mail",
            )
    return imp.find(table, table.c.account_id == account_id, func.lower(table.c.name) == name.lower())


def _reports_to(imp: Importer, contact_id: int, account_id: int, manager: str, line: int) -> None:
    from sqlalchemy import func, or_, select, update

    table = imp.table("contacts")
    key = manager.strip().lower()
    found = imp.connection.execute(
        select(table.c.id).where(
            table.c.account_id == account_id,
            or_(table.c.email == key, func.lower(table.c.name) == key, table.c.external_id == manager.strip()),
        )
    ).all()
    if len(found) != 1 or found[0][0] == contact_id:
        imp.report.warnings.append(
            f"line {line}: reports_to {shown(manager)} is not one contact at the same account; left empty"
        )
        return
    imp.connection.execute(update(table).where(table.c.id == contact_id).values(reports_to_id=found[0][0]))


def opportunities(imp: Importer, row: Row) -> str:
    name = row.required("name", _text)
    account_id = imp.linker.link(row, None)
    external_id = row.text("opportunity_id")
    money = row.money("amount")
    stage = row.text("stage")
    closed_by_stage = bool(stage and re.search(r"closed\s*(won|lost)", stage, re.IGNORECASE))
    won_by_stage = bool(stage and re.search(r"closed\s*won", stage, re.IGNORECASE))
    is_closed = row.value("is_closed", parse_bool)
    is_won = row.value("is_won", parse_bool)
    currency = row.value("currency", parse_currency) or (money[1] if money else None)
    values: dict[str, Any] = {
        "account_id": account_id,
        "name": name,
        "kind": _opportunity_kind(imp, row),
        "amount": money[0] if money else None,
        "currency": currency,
        "stage": stage,
        "close_date": row.date("close_date"),
        "forecast_category": row.text("forecast_category"),
        "is_closed": is_closed if is_closed is not None else (closed_by_stage or None),
        "is_won": is_won if is_won is not None else (won_by_stage or None),
    }
    table = imp.table("opportunities")
    if external_id:
        imp.once(("opportunity", external_id), row, row.column("opportunity_id"), "opportunity id", external_id)
        existing = imp.known(table, {"source": imp.source}, external_id=external_id)
    else:
        imp.once(("opportunity", account_id, name.lower()), row, row.column("name"), "the opportunity", name)
        existing = imp.known(table, account_id=account_id, name=name)
    on_insert = {"source": imp.source, "external_id": external_id}
    outcome = imp.write(table, existing, values, on_insert=on_insert, batched=True)[0]
    deal = {**(existing or {}), **{k: v for k, v in values.items() if v is not None}}
    deal["currency"] = currency
    if deal.get("is_closed") and deal.get("kind") in ("renewal", "new_business", "upsell", "cross_sell"):
        deals = imp.memo.setdefault("deals", [])
        if not deals:
            imp.after.append(lambda: _record_deals(imp))
        deals.append((external_id, deal, row.text("loss_reason")))
    return outcome


def _record_deals(imp: Importer) -> None:
    """Closed deals as renewal outcomes (DOMAIN.md, "Retention"), once each, oldest first: a renewal closed won is
    `csm renew` on its close date at its amount (moving the renewal date on when it is the account's current one),
    closed lost is `csm churn`; new business closed won opens a new logo's history, and an upsell or cross-sell
    closed won adds its amount as an expansion. A deal imported again with another amount, close date or reason
    updates its change."""

    from sqlalchemy import text

    deals = sorted(imp.memo.get("deals", []), key=lambda d: d[1]["close_date"] or date.max)
    for external_id, deal, loss_reason in deals:
        where = (
            "source = :source AND external_id = :external" if external_id else "account_id = :account AND name = :name"
        )
        found = imp.connection.execute(
            text(f"SELECT id FROM opportunities WHERE {where}"),
            {"source": imp.source, "external": external_id, "account": deal["account_id"], "name": deal["name"]},
        ).first()
        if found is not None:
            _record_deal(imp, int(found[0]), deal, loss_reason)


def _record_deal(imp: Importer, opportunity_id: int, deal: dict[str, Any], loss_reason: str | None) -> None:
    from csm.db import arr
    from csm.domain.arr import churn_reason_of, renews_current, same_money
    from csm.domain.words import currency_code

    connection, account_id, close, amount = imp.connection, deal["account_id"], deal["close_date"], deal["amount"]
    won, kind = bool(deal.get("is_won")), deal["kind"]
    if kind != "renewal" and not won:
        return  # a lost sale changes no ARR
    if won and amount is not None and deal["currency"] is not None:  # a loss takes no amount: its churn holds
        held = arr.account_state(connection, account_id)["currency"]
        if currency_code(deal["currency"]) != currency_code(held):
            imp.tally(
                "closed deals in another currency than their account's are not recorded as ARR changes (csm never "
                "converts); give the account its currency (a currency column in the accounts export, or 'csm "
                "account edit NAME --currency CODE'), or record the outcome with 'csm renew --arr'"
            )
            return
    if close is None or close > imp.today:
        imp.tally("closed deals with no close date, or one after today, are not recorded as ARR changes")
        return
    reason = churn_reason_of(loss_reason, imp.memo.get("churn_reasons", ("other",)))
    note = loss_reason or f"{deal['name']}: closed {'won' if won else 'lost'} in {imp.source}"
    recorded = arr.change_of_deal(connection, opportunity_id)
    if recorded is not None and (recorded["kind"] == "churn") == (not won):
        changes: dict[str, Any] = {}
        if recorded["changed_on"] != close:
            changes["changed_on"] = close
        if kind in ("upsell", "cross_sell") and amount is not None:
            before = arr.value_before(connection, account_id, close - timedelta(days=1))
            if before is not None and not same_money(recorded["arr_after"], before + amount):
                changes["arr_after"] = float(before + amount)
        elif won and amount is not None and not same_money(recorded["arr_after"], amount):
            changes["arr_after"] = float(amount)
        if not won and (recorded["reason"], recorded["note"]) != (reason, note):
            changes.update(reason=reason, note=note)
        if changes:
            arr.update_change(connection, recorded["id"], account_id, **changes)
        return
    if recorded is not None:  # the deal flipped between won and lost: record it as it is now
        arr.delete_change(connection, recorded["id"], account_id)
    history = arr.history(connection, account_id)
    if kind in ("upsell", "cross_sell"):
        before = arr.value_before(connection, account_id, close)
        if amount is None or not history or before is None or not any(r.on <= close for r in history):
            imp.tally("upsells and cross-sells closed won before the book knew the account's ARR are not recorded "
                      "(the ARR they added arrives with the account's ARR)")  # fmt: skip
            return
        arr.record_change(connection, arr.NewChange(account_id, close, before + float(amount), note=deal["name"],
                                                    source=imp.source, opportunity_id=opportunity_id))  # fmt: skip
        return
    if kind == "new_business":
        if amount is None or any(r.on <= close for r in history):
            imp.tally("new business closed won on accounts with earlier ARR (or no amount) is not a new logo")
            return
        arr.record_change(connection, arr.NewChange(account_id, close, float(amount), note=deal["name"],
                                                    source=imp.source, opportunity_id=opportunity_id))  # fmt: skip
        return
    if not won:
        if history and history[-1].kind == "churn" and history[-1].on <= close:
            imp.tally("renewals closed lost on accounts already recorded as churned were not recorded again")
            return
        arr.churn_account(connection, account_id, on=close, reason=reason, note=note, source=imp.source,
                          opportunity_id=opportunity_id)  # fmt: skip
        return
    state = arr.account_state(connection, account_id)
    if amount is None and arr.value_before(connection, account_id, close) is None:
        imp.tally("renewals closed won with no amount, on accounts with no ARR, are not recorded as outcomes")
        return
    arr.renew_account(
        connection, account_id, on=close, arr=None if amount is None else float(amount), note=deal["name"],
        source=imp.source, opportunity_id=opportunity_id,
        roll=renews_current(state["renewal_date"], close) and not arr.is_churned(state),
    )  # fmt: skip


def _opportunity_kind(imp: Importer, row: Row) -> str | None:
    if imp.source == "csm":
        return row.choice("kind", OPPORTUNITY_KINDS)
    text = row.text("kind")
    if text is None:
        return None
    word = text.lower().replace("-", "_").replace(" ", "_")
    for needle, kind in (
        ("renew", "renewal"),
        ("existingbusiness", "renewal"),
        ("upsell", "upsell"),
        ("upgrade", "upsell"),
        ("expansion", "upsell"),
        ("add_on", "upsell"),
        ("cross", "cross_sell"),
        ("new", "new_business"),
    ):
        if needle in word:
            return kind
    imp.tally(
        f"opportunity types such as {shown(text)} are not renewal, upsell, cross-sell or new business; "
        "kept as 'other' (not counted as renewals)"
    )
    return "other"


def tickets(imp: Importer, row: Row) -> str:
    ticket_id = row.required("ticket_id", _text)
    email = row.email("requester_email")
    account_id = imp.linker.link(row, email)
    imp.once(("ticket", ticket_id), row, row.column("ticket_id"), "ticket id", ticket_id)
    solved = row.moment("solved_at")
    values: dict[str, Any] = {
        "account_id": account_id,
        "subject": row.text("subject"),
        "status": (status := ticket_status(row.text("status"))),
        "priority": ticket_priority(row.text("priority")),
        "requester_email": email,
        "created_at": as_utc(row.needed("created_at", row.moment("created_at"))),
        "solved_at": as_utc(solved) if solved else None,
    }
    if status not in KNOWN_TICKET_STATUSES:
        imp.tally(unknown_status_warning(status))
    table = imp.table("tickets")
    existing = imp.known(table, {"source": imp.source}, external_id=ticket_id)
    on_insert = {"source": imp.source, "external_id": ticket_id}
    return imp.write(table, existing, values, on_insert=on_insert, batched=True)[0]


def ticket_status(text: str | None) -> str:
    """A ticket's status in csm's words (open when the cell is empty); the row and column imports share it."""
    status = (text or "open").lower()
    return TICKET_STATUSES.get(status, status)


def unknown_status_warning(status: str) -> str:
    """The report's word on a status csm has no meaning for (a custom Zendesk status, a language not mapped)."""
    return (
        f"ticket status {shown(status)} is not one csm knows (new, open, pending, hold, solved, closed); "
        "such tickets count as open unless they have a solved time"
    )


def ticket_priority(text: str | None) -> str | None:
    priority = (text or "").lower()
    return TICKET_PRIORITIES.get(priority, priority) if priority else None


def surveys(imp: Importer, row: Row) -> str:
    score = row.needed("score", row.integer("score"))
    responded_on = row.needed("responded_on", row.date("responded_on"))
    email = row.email("contact_email")
    account_id = imp.linker.link(row, email)
    survey = (row.text("survey") or "nps").lower()
    if score < 0 or (survey == "nps" and score > 10):
        raise RowInvalid(row.column("score"), f"{score} is not a {survey.upper()} score (0-10)")
    response_id = row.text("response_id") or f"{account_id}|{email or ''}|{responded_on}|{survey}"
    imp.once(("survey", response_id), row, row.column("response_id") or row.column("score"), "the same response")
    table = imp.table("survey_responses")
    contact = None
    if email:
        contacts_table = imp.table("contacts")
        contact = imp.known(contacts_table, account_id=account_id, email=email)
    values: dict[str, Any] = {
        "account_id": account_id,
        "contact_id": contact["id"] if contact else None,
        "survey": survey,
        "survey_type": row.choice("survey_type", ("relational", "transactional")),
        "responded_on": responded_on,
        "score": score,
        "comment": row.text("comment"),
    }
    existing = imp.known(table, {"source": imp.source}, external_id=response_id)
    on_insert = {"source": imp.source, "external_id": response_id}
    return imp.write(table, existing, values, on_insert=on_insert, batched=True)[0]


def usage(imp: Importer, row: Row) -> str:
    measured_on = row.needed("measured_on", row.date("measured_on"))
    account_id = imp.linker.link(row, None)
    imp.once(("usage", account_id, measured_on), row, row.column("measured_on"), f"usage of {measured_on}")
    values = {
        "account_id": account_id,
        "measured_on": measured_on,
        "active_users": row.integer("active_users"),
        "licensed_seats": row.integer("licensed_seats"),
        "feature_breadth": row.fraction("feature_breadth"),
    }
    table = imp.table("usage_snapshots")
    existing = imp.known(table, account_id=account_id, measured_on=measured_on)
    return imp.write(table, existing, values, batched=True)[0]


def requests(imp: Importer, row: Row) -> str:
    feature = " ".join(row.required("feature", _text).split())
    account_id = imp.linker.link(row, row.email("email"))
    request_id = row.text("request_id")
    table = imp.table("feature_requests")
    values = {
        "account_id": account_id,
        "feature": feature,
        "feature_norm": normalise_phrase(feature),
        "requested_on": row.date("requested_on"),
        "notes": row.text("notes"),
    }
    if request_id:
        imp.once(("request", request_id), row, row.column("request_id"), "request id", request_id)
        existing = imp.find_by(table, source=imp.source, external_id=request_id)
    else:
        imp.once(("request", account_id, values["feature_norm"]), row, row.column("feature"), "the request", feature)
        existing = imp.find_by(table, account_id=account_id, feature_norm=values["feature_norm"])
    on_insert = {"source": imp.source, "external_id": request_id, "requested_on": values["requested_on"] or imp.today}
    return imp.write(
        table, existing, {k: v for k, v in values.items() if k != "requested_on" or v}, on_insert=on_insert
    )[0]


def plans(imp: Importer, row: Row) -> str:
    title = " ".join(row.required("goal", _text).split())
    account_id = imp.linker.link(row, None)
    imp.once(("goal", account_id, title.lower()), row, row.column("goal"), "the goal", title)
    confirmed = row.value("customer_confirmed", parse_bool)
    values: dict[str, Any] = {
        "account_id": account_id,
        "title": title,
        "value_type": row.choice("value_type", VALUE_TYPES),
        "metric": row.text("metric"),
        "unit": row.text("unit"),
        "baseline": row.number("baseline"),
        "target": row.number("target"),
        "current": row.number("current"),
        "due": row.date("due"),
        "status": row.choice("status", GOAL_STATUSES),
        "customer_confirmed": confirmed,
        "confirmed_by": row.text("confirmed_by"),
        "evidence": row.text("evidence"),
    }
    confirmed_on = row.date("confirmed_on")  # when the file says; never the day it was imported (that is not when)
    if confirmed_on is not None:
        values["confirmed_on"] = confirmed_on
    table = imp.table("goals")
    existing = imp.find_by(table, account_id=account_id, title=title)
    return imp.write(table, existing, values, on_insert={"created_on": imp.today})[0]


def interactions(imp: Importer, row: Row) -> str:
    from sqlalchemy import select

    summary = row.required("summary", _text)
    occurred_on = row.needed("occurred_on", row.date("occurred_on"))
    account_id = imp.linker.link(row, None)
    kind = row.choice("kind", INTERACTION_KINDS) or "note"
    imp.once(
        ("interaction", account_id, occurred_on, kind, summary), row, row.column("summary"), "the same interaction"
    )
    attendees = [a.lower() for a in split_list(row.text("attendees") or "")]
    table = imp.table("interactions")
    existing = imp.find_by(table, account_id=account_id, occurred_on=occurred_on, kind=kind, summary=summary)
    values = {
        "account_id": account_id,
        "kind": kind,
        "occurred_on": occurred_on,
        "summary": summary,
        "next_steps": row.text("next_steps"),
        "attendees": ", ".join(attendees) or None,
        "sentiment": row.choice("sentiment", SENTIMENTS),
    }
    shared = row.value("shared", parse_bool)
    if shared is not None or existing is None:  # a file without the column keeps what the CSM decided
        values["shared"] = bool(shared)
    outcome, interaction_id = imp.write(table, existing, values, on_insert={"created_at": as_utc(_now())})
    if outcome == "new" and attendees:
        contacts_table = imp.table("contacts")
        known = imp.connection.execute(
            select(contacts_table.c.id).where(
                contacts_table.c.account_id == account_id, contacts_table.c.email.in_(attendees)
            )
        ).all()
        for (contact_id,) in known:
            _insert(imp, "interaction_contacts", interaction_id=interaction_id, contact_id=contact_id)
    return outcome


def _insert(imp: Importer, table_name: str, **values: Any) -> None:
    from sqlalchemy import insert

    imp.connection.execute(insert(imp.table(table_name)).values(**values))


def _now() -> Any:
    from csm.clock import now_utc

    return now_utc()


HANDLERS: dict[str, Handler] = {
    "accounts": accounts,
    "contacts": contacts,
    "opportunities": opportunities,
    "tickets": tickets,
    "surveys": surveys,
    "usage": usage,
    "requests": requests,
    "plans": plans,
    "interactions": interactions,
}
