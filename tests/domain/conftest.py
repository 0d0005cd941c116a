"""Factories for the pure rule tests: an account's facts with plain defaults, changed one fact at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from csm.config import Config, validate_config
from csm.domain.facts import AccountFacts, BookFacts, GoalFacts, Stakeholder, SupportFacts, SurveyFacts, UsageFacts
from csm.domain.health import Health
from csm.domain.risks import RiskFinding
from csm.domain.triggers import Todo
from tests.domain.real_book import judged

AS_OF = date(2027, 3, 1)


def days_ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def days_ahead(days: int) -> date:
    return AS_OF + timedelta(days=days)


def account(**facts: Any) -> AccountFacts:
    """A quiet, well-run mid-market account (no rule fires on AS_OF) with the given facts changed.

    Given `stakeholders`, the counts over the account's people are worked out from them, as the fact sheet
    counts them in SQL (all of them are taken to be the account's people, not only the notable ones)."""
    if "stakeholders" in facts:
        facts = people_counts(facts["stakeholders"]) | facts
    quiet = AccountFacts(
        id=1,
        name="Acme Corp",
        segment="mid_market",
        arr=50_000.0,
        owner="me@vendor.example",
        lifecycle_stage="adoption",
        contract_start=None,
        renewal_date=None,
        first_value_on=None,
        churned_on=None,
        ebr_cadence_months=None,
        renewal_sentiment=None,
        created_on=days_ago(40),  # in the book for 40 days: no cadence counts from further back
        last_touch_on=days_ago(5),
    )
    return replace(quiet, **facts)


def people_counts(people: tuple[Stakeholder, ...]) -> dict[str, Any]:
    active = [p for p in people if p.left_on is None]
    gone = [p.left_on for p in people if p.left_on is not None]
    others = [p.last_contact_on for p in active if p.role != "champion" and p.last_contact_on is not None]
    return {
        "active_contacts": len(active),
        "active_exec_sponsors": sum(p.role == "exec_sponsor" for p in active),
        "active_champions": sum(p.role == "champion" for p in active),
        "sole_contact": active[0].name if len(active) == 1 else None,
        "sole_contact_added_on": active[0].added_on if len(active) == 1 else None,
        "last_left_on": max(gone, default=None),
        "last_sponsor_left_on": max(
            (p.left_on for p in people if p.role == "exec_sponsor" and p.left_on), default=None
        ),
        "others_last_contact_on": max(others, default=None),
    }


def bare_account(**facts: Any) -> AccountFacts:
    """An account the book knows nothing about but its name."""
    return account(segment="smb", arr=None, owner=None, lifecycle_stage=None, **facts)


def person(
    id: int = 10,
    name: str = "Jane Roe",
    role: str | None = "champion",
    *,
    left_on: date | None = None,
    added_on: date | None = None,
    last_contact_on: date | None = None,
    title: str | None = "VP Operations",
    changed_title_on: date | None = None,
) -> Stakeholder:
    return Stakeholder(
        id=id,
        name=name,
        role=role,
        title=title,
        email=f"{name.split()[0].lower()}@acme.example",
        left_on=left_on,
        added_on=added_on or days_ago(365),
        last_contact_on=last_contact_on,
        changed_title_on=changed_title_on,
    )


def tickets(**counts: Any) -> SupportFacts:
    """Support facts of an account with a quiet, recent ticket history; counts override."""
    quiet: dict[str, Any] = {
        "new_recent": 2,
        "new_before": 2,
        "open": 1,
        "open_critical": 0,
        "open_high": 0,
        "longest_wait_days": 3,
        "last_ticket_on": days_ago(3),
    }
    return SupportFacts(**(quiet | counts))


def nps(latest: int | None, earlier_average: float | None = None, on: date | None = None) -> SurveyFacts:
    return SurveyFacts(
        latest_score=latest,
        latest_on=(on or days_ago(20)) if latest is not None else None,
        earlier_average=earlier_average,
        promoters=int(latest is not None and latest >= 9),
        passives=int(latest is not None and 7 <= latest <= 8),
        detractors=int(latest is not None and latest <= 6),
    )


def usage(
    active: int | None = 40,
    seats: int | None = 50,
    breadth: float | None = 0.5,
    *,
    earlier: int | None = None,
    first_active_on: date | None = None,
) -> UsageFacts:
    return UsageFacts(
        measured_on=days_ago(1),
        active_users=active,
        licensed_seats=seats,
        feature_breadth=breadth,
        earlier_active_users=earlier,
        first_active_on=first_active_on,
    )


def goal(
    id: int = 100, *, due: date | None, status: str = "on_track", kind: str = "goal", confirmed: bool = False
) -> GoalFacts:
    return GoalFacts(
        id=id,
        title="Cut onboarding time",
        due=due,
        status=status,
        customer_confirmed=confirmed,
        kind=kind,
        goal_title="Faster onboarding" if kind == "milestone" else None,
    )


def book(*, tickets: bool = True, surveys: bool = True, usage: bool = True) -> BookFacts:
    """A book that has every kind of data (so a missing value on an account means 'none for this account')."""
    return BookFacts(has_tickets=tickets, has_surveys=surveys, has_usage=usage, has_interactions=True)


def config_from(data: dict[str, Any]) -> Config:
    """A config as a config.toml holding `data` would give (validated, defaults filled in)."""
    return validate_config(data, "test config")


def todos_for(facts: AccountFacts, as_of: date, config: Config) -> list[Todo]:
    """The to-dos the date rules raise for the account, its facts written into a real book and judged."""
    return judged(facts, book(), as_of, config).todos


def risks_for(
    facts: AccountFacts, the_book: BookFacts, as_of: date, config: Config, health: float | None
) -> list[RiskFinding]:
    """The risks the rules raise for the account, judged in a real book, the renewal rule weighing `health`."""
    return judged(facts, the_book, as_of, config, health=health).risks


def health_of(facts: AccountFacts, the_book: BookFacts, as_of: date, config: Config) -> Health:
    """The account's health, explained, judged in a real book."""
    return judged(facts, the_book, as_of, config).health
