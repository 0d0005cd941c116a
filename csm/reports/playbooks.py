"""Playbook runs as the CSM sees them: `csm risk show ID` (a risk, its run and the runs before it) and
`csm playbook list` (each playbook, when it opens, and its open runs). Runs are derived by the judge
(csm.domain.playbooks); what is read here beside them is the CSM's decisions on the steps of runs that ended."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING

from csm.config import DEFAULT_PLAYBOOKS, ROLE_NAMES, Config, Playbook
from csm.domain.playbooks import STEP_PREFIX, Run, Step, title_of
from csm.domain.words import rule_label
from csm.reports.items import RiskItem, TodoItem, risk_out
from csm.reports.playbook_models import PlaybookOut, RiskDetail, RunOut, StepOut

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from csm.db.runner import Runner
    from csm.db.scope import Scope
    from csm.reports.judge import Judgement


def step_out(step: Step, ids: dict[str, int | str], why: str | None = None) -> StepOut:
    state = step.state
    if why is None and state == "waiting":
        why = f"waits for step {step.after}"
    return StepOut(
        id=str(ids[step.key]) if step.key in ids else None,
        number=step.number,
        title=step.title,
        owner=step.handed_to or "you",
        due=step.due,
        state=state,
        after=step.after,
        decided_on=step.decided_on,
        deferred_until=step.deferred_until,
        why=why,
    )


def run_out(run: Run, ids: dict[str, int | str]) -> RunOut:
    risk = run.risk
    return RunOut(
        playbook=run.playbook,
        risk_id=risk.risk_id,
        account=risk.account,
        risk=f"{risk.severity} {risk.category}: {risk.evidence}",
        raised_on=risk.since,
        steps=[step_out(step, ids) for step in run.steps],
        dated_from=run.dated_from,
        dated_why=run.dated_why,
    )


def step_ids(judgement: Judgement) -> dict[str, int | str]:
    """The to-do id of every open step of the judgement (what `csm todo done` takes)."""
    return {t.rule_key: t.id for t in judgement.todos if t.rule_key is not None}


def open_steps(judgement: Judgement, account_id: int) -> list[StepOut]:
    """An account's open playbook steps (deferred ones too; not those waiting on another), soonest first: prep and
    the EBR's internal view."""
    ids = step_ids(judgement)
    steps = [(run, step) for run in judgement.runs_of(account_id) for step in run.open_steps]
    steps.sort(key=lambda pair: (pair[1].deferred_until or pair[1].due or date.max, pair[1].number))
    found = []
    for run, step in steps:
        out = step_out(step, ids)
        out.title = f"{out.title} ({run.playbook} playbook, step {step.number})"
        found.append(out)
    return found


def risk_detail(
    runner: Runner, scope: Scope, text: str, as_of: date, zone: ZoneInfo, config: Config, risks: list[RiskItem]
) -> RiskDetail:
    """One risk by its id on a day: open (among `risks`, the day's), with its run; else one logged by hand or one
    the CSM decided about (or about one of its steps), with what became of its runs."""
    from csm.db.playbooks import logged_risk, past_risk_keys
    from csm.db.scope import Scope as AccountScope
    from csm.domain.decisions import full_id, match_derived
    from csm.errors import NotFoundError
    from csm.reports.actions import item_number
    from csm.reports.judge import judge

    number = item_number(text, "risk")
    found: RiskItem | None = None
    if number is not None:
        found = next((r for r in risks if r.rule_key is None and r.id == number), None)
    else:
        by_key = {r.rule_key: r for r in risks if r.rule_key}
        wanted = text.strip().lower()
        matching = [k for k in by_key if full_id(k).startswith(wanted)]
        if len(matching) == 1:
            found = by_key[matching[0]]
    if found is not None:
        judged = judge(runner, AccountScope(account_id=found.account_id), as_of, zone, config)
        ids = step_ids(judged)
        key = found.rule_key or f"risk#{found.id}"
        run = next((r for r in judged.runs if r.risk.key == key), None)
        current = run_out(run, ids) if run is not None else None
        return RiskDetail(
            risk=risk_out(found, as_of),
            status="open",
            account=found.account,
            why=_why(found),
            run=current,
            history=_past_runs(runner, key, found.account, run.risk.since if run else found.raised_on, "cleared",
                               config, _follow_ups(judged)),
        )  # fmt: skip
    if number is not None:
        row = logged_risk(runner, number)
        if row is None:
            raise NotFoundError(f"no risk has the number {number}; 'csm risk list' shows the ids")
        _account_id, account, category, severity, evidence, status, _raised, _resolved = row
        status = str(status) if status != "open" else "not open on this day"
        return RiskDetail(
            risk=None, status=status, why=f"{severity} {category}, logged by hand: {evidence}", run=None, account=account,
            history=_past_runs(runner, f"risk#{number}", account, None, status, config),
        )  # fmt: skip
    keys = past_risk_keys(runner, scope.rows_where("d.account_id") + " OR d.account_id IS NULL", scope.params())
    key = match_derived(text, keys, what="risk", listing="csm risk list")
    status, account, said, when = _ended(runner, key)
    why = f"{rule_label(key.split(':', 1)[0])} (rule key {key})" + (f": {said}" if said else "") + when
    account_id = key.split(":")[1] if key.count(":") else ""
    follow_ups = (
        _follow_ups(judge(runner, AccountScope(account_id=int(account_id)), as_of, zone, config))
        if account_id.isdigit() else {}
    )  # fmt: skip
    return RiskDetail(
        risk=None, status=status, why=why, run=None, account=account,
        history=_past_runs(runner, key, account, None, status, config, follow_ups),
    )  # fmt: skip


def _follow_ups(judged: Judgement) -> dict[str, TodoItem]:
    """The day's playbook to-dos by step key: among them the follow-ups of runs whose risk is gone."""
    return {t.rule_key: t for t in judged.todos if t.kind == "playbook" and t.rule_key}


def _why(risk: RiskItem) -> str:
    if risk.rule_key is None:
        return f"logged by hand on {risk.raised_on}"
    since = f", since {risk.raised_on}" if risk.raised_on else ""
    return f"raised by the {risk.rule} rule ({rule_label(risk.rule)}){since}: {risk.evidence}"


def _ended(runner: Runner, key: str) -> tuple[str, str, str | None, str]:
    """What became of a rule's risk no longer open: resolved by the CSM, snoozed, or cleared by itself; with what it
    said when the CSM decided, and when ("; snoozed until 2027-03-10")."""
    from csm.db.playbooks import account_name, risk_decision

    decision = risk_decision(runner, key)
    parts = key.split(":")
    account = account_name(runner, int(parts[1])) if len(parts) > 1 and parts[1].isdigit() else None
    if decision is None:
        return "cleared", account or "?", None, ""
    status, decided_on, said, until = decision
    when = f"; snoozed until {until}" if status == "snoozed" and until else f"; {status} on {decided_on}"
    return status, account or "?", said, when


def _past_runs(
    runner: Runner,
    risk_key: str,
    account: str,
    current_since: date | None,
    ended: str,
    config: Config,
    follow_ups: dict[str, TodoItem] | None = None,
) -> list[RunOut]:
    """The risk's runs other than the open one, from the CSM's decisions on their steps: each decided step as it
    was left, a follow-up still due (among `follow_ups`, the day's to-dos) open, the others retired with the reason
    the run ended (the risk was resolved, or cleared by itself)."""
    from csm.db.playbooks import risk_decision, step_history
    from csm.domain.playbooks import parse_step_key

    decision = risk_decision(runner, risk_key) if not risk_key.startswith("risk#") else None
    evidence = decision[2] if decision is not None and decision[2] else "its evidence"
    runs: dict[tuple[str, date | None], dict[int, tuple[str, date | None, str | None]]] = {}
    for key, status, day, title in step_history(runner, risk_key):
        parsed = parse_step_key(key)
        if parsed is None or parsed[2] != risk_key or (parsed[3] == current_since and ended == "cleared"):
            continue
        runs.setdefault((parsed[0], parsed[3]), {})[parsed[1]] = (status, day, title)
    found = []
    for (name, since), decided in sorted(runs.items(), key=lambda item: item[0][1] or date.min, reverse=True):
        why = ended
        if decision is not None and decision[0] == "resolved" and (since is None or decision[1] >= since):
            why = "resolved"
        if why == "snoozed":
            why = "risk snoozed"
        reason = {"resolved": "risk resolved", "cleared": "risk cleared"}.get(why, why)
        playbook = next((p for p in config.playbooks if p.name == name), None)
        count = max([len(playbook.steps) if playbook else 0, *decided])
        steps = []
        for number in range(1, count + 1):
            status, decided_on, title = decided.get(number, ("retired", None, None))
            template = playbook.steps[number - 1].title if playbook and number <= len(playbook.steps) else ""
            owner = playbook.steps[number - 1].owner if playbook and number <= len(playbook.steps) else "me"
            due_now = (follow_ups or {}).get(f"{STEP_PREFIX}{name}:{number}:{risk_key}@{since or 'undated'}")
            if due_now is not None:
                steps.append(
                    StepOut(
                        id=str(due_now.id), number=number, title=due_now.title, owner=_role(owner),
                        due=due_now.due, state="deferred" if due_now.deferred_until else "open",
                        deferred_until=due_now.deferred_until, why=f"the follow-up, still due ({reason})",
                    )
                )  # fmt: skip
                continue
            steps.append(
                StepOut(
                    id=None, number=number, title=title or title_of(template, account, evidence=evidence),
                    owner=_role(owner),
                    due=None, state=status if status in ("done", "dismissed") else "retired", decided_on=decided_on,
                    why=None if status in ("done", "dismissed") else reason,
                )
            )  # fmt: skip
        found.append(RunOut(name, risk_key, account, risk_key, since, steps, status=why))
    return found


def _role(owner: str) -> str:
    return "you" if owner == "me" else ROLE_NAMES.get(owner, owner)


def playbook_list(judgement: Judgement, config: Config) -> list[PlaybookOut]:
    """Every playbook in force, in the order a risk is matched against them, with its open runs on the day."""
    runs = Counter(run.playbook for run in judgement.runs)
    steps = Counter(run.playbook for run in judgement.runs for _ in run.open_steps)
    late = Counter(
        run.playbook for run in judgement.runs for s in run.open_steps
        if (s.deferred_until or s.due) is not None and (s.deferred_until or s.due) < judgement.as_of  # type: ignore[operator]
    )  # fmt: skip
    defaults = [asdict(p) for p in DEFAULT_PLAYBOOKS]
    return [
        PlaybookOut(
            name=p.name, when=when_words(p), steps=len(p.steps),
            owners=sorted({_role(s.owner) for s in p.steps}), open_runs=runs[p.name], open_steps=steps[p.name],
            late_steps=late[p.name], default=asdict(p) in defaults,
        )
        for p in config.playbooks
    ]  # fmt: skip


def when_words(playbook: Playbook) -> str:
    when = playbook.when
    parts = []
    if when.severity is not None:
        parts.append(f"{when.severity} or worse")
    if when.category is not None:
        parts.append(f"{when.category} risks")
    else:
        parts.append("risks")
    if when.rule is not None:
        parts.append(f"raised by {when.rule}")
    if when.segment is not None:
        parts.append(f"on {when.segment.replace('_', '-')} accounts")
    if when.days_to_renewal_under is not None:
        parts.append(f"under {when.days_to_renewal_under} days before the renewal")
    return " ".join(parts)
