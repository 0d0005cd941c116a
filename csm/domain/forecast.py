"""The renewal forecast: each open renewal as commit, likely, at risk or lost, and why (DOMAIN.md, "Risks:
Renewal" and "Sentiment"). Pure: the account's signals in, a category and its reasons out.

    lost      the CRM forecasts the deal lost (Omitted / Closed Lost), or you judged they would not renew and
              health is red
    at risk   an open critical or high risk (the renewal rule's among them), red health, "would renew: no",
              a detractor's latest NPS, or the renewal date passed
    commit    the CRM forecast is Commit (or Closed), or you judged they would renew with green health
    likely    everything else: nothing points to a loss, nothing commits it yet

The first that holds wins; the reasons of the others are kept as context ("the CRM says Commit").
"""

from __future__ import annotations

from dataclasses import dataclass

from csm.config import Config
from csm.domain.words import rule_label, score_words

CRM_LOST = ("omitted", "omit", "lost", "closed lost", "closed_lost", "not forecasted")
CRM_COMMIT = ("commit", "closed", "closed won", "closed_won")


@dataclass(frozen=True, slots=True)
class Signals:
    days: int  # to the renewal date (negative: overdue)
    health: float | None
    band: str
    worst_risk: str | None  # severity of the worst open risk
    worst_rule: str | None
    would_renew: str | None  # yes / unsure / no
    latest_nps: int | None
    crm_forecast: str | None  # the renewal opportunity's forecast category, as the CRM names it


@dataclass(frozen=True, slots=True)
class Outlook:
    category: str  # commit, likely, at_risk, lost
    why: list[str]


def renewal_outlook(s: Signals, config: Config) -> Outlook:
    crm = (s.crm_forecast or "").strip().lower()
    health = f"health {score_words(s.health)} ({s.band})" if s.health is not None else None
    lost, at_risk, commit = [], [], []
    if crm in CRM_LOST:
        lost.append(f"the CRM forecasts it {s.crm_forecast}")
    if s.would_renew == "no" and s.band == "red":
        lost.append(f"you judged they would not renew, and {health}")
    if s.worst_risk in ("critical", "high"):
        at_risk.append(
            f"a {s.worst_risk} risk is open ({rule_label(s.worst_rule) if s.worst_rule else 'raised by hand'})"
        )
    if s.band == "red" and health:
        at_risk.append(health)
    if s.would_renew == "no":
        at_risk.append("you judged they would not renew")
    if s.latest_nps is not None and s.latest_nps < config.sentiment.passive_min:
        at_risk.append(f"latest NPS {s.latest_nps} (a detractor)")
    if s.days < 0:
        at_risk.append(f"the renewal date passed {-s.days} days ago")
    if crm in CRM_COMMIT:
        commit.append(f"the CRM forecast is {s.crm_forecast}")
    if s.would_renew == "yes" and s.band == "green":
        commit.append(f"you judged they would renew, and {health}")
    for category, reasons in (("lost", lost), ("at_risk", at_risk), ("commit", commit)):
        if reasons:
            context = [f"though {r}" for r in commit if category != "commit"]
            return Outlook(category, reasons + context)
    likely = [
        health or "no health score",
        "no high or critical risk",
        f"would renew: {s.would_renew or 'not recorded'}",
    ]
    if s.crm_forecast:
        likely.append(f"CRM: {s.crm_forecast}")
    return Outlook("likely", likely)
