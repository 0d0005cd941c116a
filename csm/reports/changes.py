"""`csm changes --since DATE`: what moved in health, risks, renewals (and the renewals, churns and ARR changes
recorded), and stakeholders since a day.

Both days are judged: a risk is new when it fires now and did not then, cleared when it fired then and
no longer does, resolved when the CSM said so in between. Health then is the snapshot stored for that
day where one exists (a past the book may no longer recompute), else the score the book gives for it.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db.changes import ArrMove, arr_moves, contact_changes, decisions_between
from csm.db.health import health_before
from csm.db.runner import Runner
from csm.db.scope import Scope
from csm.domain.words import money, score_words
from csm.reports.judge import Judgement, judge
from csm.reports.portfolio_models import ChangeOut


def changes_since(
    runner: Runner, scope: Scope, now: Judgement, since: date, zone: ZoneInfo, config: Config
) -> list[ChangeOut]:
    as_of = now.as_of
    then = judge(runner, scope, since, zone, config, todos=False)
    names = {a.id: a.name for a in now.book.accounts}
    found: list[ChangeOut] = []
    snapshots = health_before(runner, scope, since)
    for account in now.book.accounts:
        score = now.health[account.id].score
        snapshot = snapshots.get(account.id)
        before = snapshot[1] if snapshot is not None and snapshot[0] == since else None
        if before is None and account.id in then.health:
            before = then.health[account.id].score
        if before is None or score is None:
            continue
        delta = score - before
        band = now.health[account.id].band
        if abs(delta) >= 5 or config.health.band(before) != band:
            found.append(ChangeOut(account=account.name, area="health",
                                   what=f"health {score_words(before)} → {score_words(score)} ({'+' if delta > 0 else ''}{score_words(delta)}), now {band}", on=since))  # fmt: skip
    earlier = {r.rule_key or r.id: r for r in then.risks}
    current = {r.rule_key or r.id: r for r in now.risks}
    resolved = decisions_between(runner, scope, since, as_of)
    # the same rule on the same account under a new key (a newer NPS answer, a new renewal date): one risk that
    # moved on, not one cleared and one new
    gone = {(r.account, r.rule): key for key, r in earlier.items() if key not in current and r.rule != "manual"}
    for key, risk in current.items():
        if key in earlier:
            continue
        on = risk.raised_on if risk.raised_on and risk.raised_on > since else as_of
        replaced = gone.pop((risk.account, risk.rule), None) if risk.rule != "manual" else None
        if replaced is not None and str(replaced) not in resolved:
            was = earlier.pop(replaced)
            found.append(ChangeOut(account=risk.account, area="risk",
                                   what=f"{risk.severity} {risk.category} risk still open, now: {risk.evidence} "
                                        f"(was {was.severity}: {was.evidence})", on=on))  # fmt: skip
            continue
        found.append(ChangeOut(account=risk.account, area="risk",
                               what=f"new {risk.severity} {risk.category} risk: {risk.evidence}", on=on))  # fmt: skip
    for key, risk in earlier.items():
        if key in current:
            continue
        decided = resolved.get(str(key))
        verb = "resolved" if decided is not None else "cleared"
        found.append(ChangeOut(account=risk.account, area="risk",
                               what=f"{risk.severity} {risk.category} risk {verb}: {risk.evidence}",
                               on=decided or as_of))  # fmt: skip
    window = timedelta(days=config.renewal.outreach_days)
    for account in now.book.accounts:
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
    for move in arr_moves(runner, scope, since, as_of):
        found.append(ChangeOut(account=names.get(move.account_id, "?"), area=_area(move.kind),
                               what=arr_move_words(move), on=move.on))  # fmt: skip
    for change in contact_changes(runner, scope, since, as_of):
        name = names.get(change.account_id, "?")
        role = (change.role or "contact").replace("_", " ")
        if change.field and change.field != "left_on":
            what = f"{role} {change.name}: {change.field} {change.old_value or '—'} → {change.new_value or '—'}"
        elif change.left_on is not None:
            what = f"{role} {change.name} left"
        else:
            what = f"new {role}: {change.name}"
        found.append(ChangeOut(account=name, area="stakeholder", what=what, on=change.on))
    unique = {(c.account, c.area, c.what): c for c in found}
    return sorted(unique.values(), key=lambda c: (c.on or date.min, c.account, c.area), reverse=True)


def _area(kind: str) -> str:
    return "renewal" if kind in ("renewal", "churn") else "arr"


def arr_move_words(move: ArrMove) -> str:
    """ "renewal of 2027-02-15 recorded: ARR $12k → $50k (+317%); renews next on 2028-02-15"."""
    before, after = money(move.before, move.currency), money(move.after, move.currency)
    moved = f"ARR {before} → {after}" if move.before is not None else f"ARR {after}"
    if move.before and move.after != move.before:
        change = (move.after - move.before) / move.before * 100
        moved += f" ({'+' if change > 0 else ''}{change:.0f}%)"
    if move.kind == "renewal":
        due = f" of {move.renewal_due}" if move.renewal_due else ""
        until = f"; renews next on {move.renewed_until}" if move.renewed_until else ""
        return f"renewal{due} recorded: {moved}{until}"
    if move.kind == "churn":
        why = f" ({move.reason.replace('_', ' ')})" if move.reason else ""
        return f"churned{why}: {before} of ARR lost"
    words = {"new": "new logo", "expansion": "expansion", "contraction": "contraction",
             "reactivation": "reactivated", "correction": "ARR corrected"}  # fmt: skip
    return f"{words.get(move.kind, move.kind)}: {moved}"
