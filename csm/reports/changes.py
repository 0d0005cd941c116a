"""`csm changes --since DATE`: what moved in health, risks, renewals and stakeholders since a day."""

from __future__ import annotations

from datetime import date, timedelta

from csm.config import Config
from csm.db.queries import health_before
from csm.db.runner import Runner, as_date, as_datetime
from csm.db.scope import Scope
from csm.reports.engine import Evaluation
from csm.reports.models import ChangeOut


def changes_since(runner: Runner, scope: Scope, evaluation: Evaluation, since: date, config: Config) -> list[ChangeOut]:
    as_of = evaluation.as_of
    names = {a.id: a.name for a in evaluation.book.accounts}
    found: list[ChangeOut] = []
    then = health_before(runner, scope, since)
    for account in evaluation.book.accounts:
        now = evaluation.health[account.id]
        before = then.get(account.id)
        if before is None or before[1] is None or now.score is None:
            continue
        delta = now.score - before[1]
        if abs(delta) >= 5 or config.health.band(before[1]) != now.band:
            found.append(ChangeOut(account=account.name, area="health",
                                   what=f"health {before[1]:.0f} → {now.score:.0f} ({delta:+.0f}), now {now.band}",
                                   on=before[0]))  # fmt: skip
    params = {"since": since, "as_of": as_of, **scope.params()}
    for row in runner.rows(
        f"""SELECT account_id, category, severity, rule, evidence, status, raised_on, resolved_on FROM risks
            WHERE ((raised_on > :since AND raised_on <= :as_of) OR (resolved_on > :since AND resolved_on <= :as_of))
              AND {scope.rows_where()}""",
        params,
    ):
        resolved = as_date(row["resolved_on"])
        if row["status"] in ("resolved", "cleared") and resolved is not None:
            what = f"{row['severity']} {row['category']} risk {'resolved' if row['status'] == 'resolved' else 'cleared'}: {row['rule']}"
            found.append(ChangeOut(account=names.get(row["account_id"], "?"), area="risk", what=what, on=resolved))
        else:
            what = f"new {row['severity']} {row['category']} risk: {row['evidence']}"
            found.append(
                ChangeOut(
                    account=names.get(row["account_id"], "?"), area="risk", what=what, on=as_date(row["raised_on"])
                )
            )
    window = timedelta(days=config.renewal.outreach_days)
    for account in evaluation.book.accounts:
        renewal = account.renewal_date
        if renewal is None or account.is_churned:
            continue
        if since < renewal <= as_of:
            found.append(
                ChangeOut(account=account.name, area="renewal", what=f"renewal date {renewal} passed", on=renewal)
            )
        elif since < renewal - window <= as_of:
            found.append(ChangeOut(account=account.name, area="renewal",
                                   what=f"entered the {window.days}-day renewal window (renews {renewal})",
                                   on=renewal - window))  # fmt: skip
    for row in runner.rows(
        f"""SELECT c.account_id, c.name, c.role, c.left_on, c.created_at, ch.field, ch.old_value, ch.new_value,
                   ch.changed_on
            FROM contacts c LEFT JOIN contact_changes ch
              ON ch.contact_id = c.id AND ch.changed_on > :since AND ch.changed_on <= :as_of
            WHERE {scope.rows_where("c.account_id")}
              AND ((c.left_on > :since AND c.left_on <= :as_of) OR ch.id IS NOT NULL OR c.created_at > :since_start)""",
        {**params, "since_start": as_datetime(f"{since + timedelta(days=1)}T00:00:00")},
    ):
        role = (row["role"] or "contact").replace("_", " ")
        name = names.get(row["account_id"], "?")
        if row["field"] and row["field"] != "left_on":
            found.append(ChangeOut(account=name, area="stakeholder",
                                   what=f"{role} {row['name']}: {row['field']} {row['old_value'] or '—'} → {row['new_value'] or '—'}",
                                   on=as_date(row["changed_on"])))  # fmt: skip
        elif row["left_on"] is not None and since < (as_date(row["left_on"]) or since) <= as_of:
            found.append(ChangeOut(account=name, area="stakeholder", what=f"{role} {row['name']} left",
                                   on=as_date(row["left_on"])))  # fmt: skip
        else:
            created = as_datetime(row["created_at"])
            found.append(ChangeOut(account=name, area="stakeholder", what=f"new {role}: {row['name']}",
                                   on=created.date() if created else None))  # fmt: skip
    unique = {(c.account, c.area, c.what): c for c in found}
    return sorted(unique.values(), key=lambda c: (c.on or date.min, c.account, c.area), reverse=True)
