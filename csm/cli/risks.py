"""`csm risk`: the book's risks, raised by the rules or logged by hand; resolve or snooze them."""

from __future__ import annotations

from typing import Annotated

import typer

from csm.cli.options import AsOf, Format, OutputFormat, check_choice, default_group, id_argument, parse_day
from csm.cli.reporting import emit_models, evaluate_book
from csm.cli.state import state
from csm.domain.words import RISK_CATEGORIES, RISK_SEVERITIES
from csm.render.listing import Column
from csm.render.safe import echo

risk_app = typer.Typer(
    cls=default_group("list"), help="Risks: list them (the default), log one by hand, resolve or snooze."
)
AccountArg = Annotated[str, typer.Argument(help="Account name, external id, or a unique prefix.")]


@risk_app.command("list")
def risk_list(
    account: Annotated[str | None, typer.Argument(help="Only this account's risks.")] = None,
    category: Annotated[str | None, typer.Option("--category", help=f"One of: {', '.join(RISK_CATEGORIES)}.")] = None,
    min_severity: Annotated[str | None, typer.Option("--min-severity", help="low, medium, high or critical.")] = None,
    mine: Annotated[
        bool | None, typer.Option("--mine/--all-owners", help="Only your accounts (default when the config names you).")
    ] = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Open risks in the six categories, most severe first, each with its evidence and first response."""
    from csm.reports.portfolio import risk_out

    wanted = check_choice(category, RISK_CATEGORIES, "--category")
    floor = check_choice(min_severity, RISK_SEVERITIES, "--min-severity")
    evaluation, _scope = evaluate_book(as_of, mine=mine, account=account)
    risks = [
        risk_out(r, evaluation.as_of)
        for r in evaluation.risks
        if (wanted is None or r.category == wanted)
        and (floor is None or RISK_SEVERITIES.index(r.severity) >= RISK_SEVERITIES.index(floor))
    ]
    emit_models(
        risks,
        output_format,
        title=f"Risks ({len(risks)})",
        columns=[
            Column("id", "ID", "right"),
            Column("severity", "Severity"),
            Column("category", "Category"),
            Column("account", "Account"),
            Column("evidence", "Evidence"),
        ],
        empty="No open risks.",
    )


@risk_app.command("add")
def risk_add(
    account: AccountArg,
    category: Annotated[str, typer.Option("--category", help=f"One of: {', '.join(RISK_CATEGORIES)}.")],
    evidence: Annotated[str, typer.Option("--evidence", help="What you saw, in words and numbers.")],
    severity: Annotated[str, typer.Option("--severity", help="low, medium, high or critical.")] = "medium",
    owner: Annotated[str | None, typer.Option("--owner", help="Who owns the response (default: you).")] = None,
) -> None:
    """Log a risk you saw that no rule would catch (acquisition, budget cut, new priorities...)."""
    from csm.db.accounts import resolve_account
    from csm.db.plans import add_risk

    app_state = state()
    config = app_state.config
    checked_category = check_choice(category, RISK_CATEGORIES, "--category")
    checked_severity = check_choice(severity, RISK_SEVERITIES, "--severity")
    assert checked_category is not None and checked_severity is not None
    with app_state.book.session() as session:
        found = resolve_account(session, account)
        risk = add_risk(
            session,
            found,
            category=checked_category,
            severity=checked_severity,
            evidence=evidence,
            owner=owner or config.owner,
            playbook=config.playbook(checked_category),
            today=app_state.today(),
        )
    echo(f"Logged risk {risk.id} ({risk.severity} {risk.category}) for {found.name}.")
    echo(f"First response: {risk.first_response}")


@risk_app.command("resolve")
def risk_resolve(risk_id: Annotated[int, id_argument("The risk's id.")]) -> None:
    """Mark a risk as resolved."""
    from csm.db.plans import resolve_risk

    app_state = state()
    with app_state.book.session() as session:
        risk = resolve_risk(session, risk_id, today=app_state.today())
    typer.echo(f"Resolved risk {risk.id}.")


@risk_app.command("snooze")
def risk_snooze(
    risk_id: Annotated[int, id_argument("The risk's id.")],
    until: Annotated[str, typer.Option("--until", help="When to raise it again.")],
) -> None:
    """Quiet a risk until a later day."""
    from csm.db.plans import snooze_risk

    app_state = state()
    today = app_state.today()
    with app_state.book.session() as session:
        risk = snooze_risk(session, risk_id, until=parse_day(until, today=today), today=today)
    typer.echo(f"Snoozed risk {risk.id} until {risk.snoozed_until}.")


def register(app: typer.Typer) -> None:
    app.add_typer(risk_app, name="risk")
