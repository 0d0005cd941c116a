"""The user's config.toml as pydantic models, holding every default number from DOMAIN.md once."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from csm.errors import ConfigError

Segment = Literal["enterprise", "mid_market", "smb"]
Band = Literal["green", "yellow", "red", "n/a"]
RiskCategory = Literal["implementation", "sentiment", "support", "product", "company", "renewal"]


class Section(BaseModel):
    """A config table: unknown keys are typos, so they are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PerSegment(Section):
    enterprise: int
    mid_market: int
    smb: int

    def of(self, segment: Segment) -> int:
        return int(getattr(self, segment))


class RenewalRules(Section):
    """DOMAIN.md, date-driven triggers: renewal outreach, reminder; renewal risk window."""

    outreach_days: int = Field(120, ge=1)
    reminder_days: int = Field(60, ge=1)
    risk_window_days: int = Field(120, ge=1)
    risk_health_below: int = Field(70, ge=0, le=100)


class SegmentRules(Section):
    """Segment by ARR: enterprise >= $100k, mid-market >= $20k, SMB below."""

    enterprise_min_arr: float = Field(100_000, ge=0)
    mid_market_min_arr: float = Field(20_000, ge=0)

    def segment_for(self, arr: float | None) -> Segment:
        if arr is not None and arr >= self.enterprise_min_arr:
            return "enterprise"
        if arr is not None and arr >= self.mid_market_min_arr:
            return "mid_market"
        return "smb"


class CadenceRules(Section):
    """Touch and EBR cadence per segment; prepare EBRs two weeks ahead."""

    touch_days: PerSegment = PerSegment(enterprise=14, mid_market=30, smb=90)
    ebr_months: PerSegment = PerSegment(enterprise=3, mid_market=6, smb=12)
    ebr_prep_days: int = Field(14, ge=0)
    manager_one_on_one_days: int = Field(30, ge=1)


class SupportRules(Section):
    """Support risk thresholds per account (DOMAIN.md, Risks: Support)."""

    window_days: int = Field(28, ge=1)
    new_tickets_max: int = Field(10, ge=0)
    open_max: int = Field(5, ge=0)
    open_critical_max: int = Field(0, ge=0)
    open_high_max: int = Field(2, ge=0)
    long_wait_days: int = Field(14, ge=1)
    spike_increase_pct: float = Field(50, ge=0)
    spike_min_tickets: int = Field(3, ge=1)  # a spike from a quiet month needs at least this many tickets
    silent_days: int = Field(90, ge=1)


class SentimentRules(Section):
    """NPS bands: promoter 9-10, passive 7-8, detractor 0-6."""

    promoter_min: int = Field(9, ge=0, le=10)
    passive_min: int = Field(7, ge=0, le=10)
    nps_drop_points: int = Field(2, ge=1)


class OnboardingRules(Section):
    first_value_days: int = Field(30, ge=1)
    activation_days: int = Field(90, ge=1)


class PlanRules(Section):
    milestone_due_days: int = Field(14, ge=0)


class StakeholderRules(Section):
    champion_absent_days: int = Field(60, ge=1)


class HealthWeights(Section):
    adoption: float = Field(25, ge=0)
    sentiment: float = Field(20, ge=0)
    support: float = Field(15, ge=0)
    engagement: float = Field(15, ge=0)
    success_plan: float = Field(15, ge=0)
    financial: float = Field(10, ge=0)


class HealthRules(Section):
    """Weighted 0-100 score; bands green >= 70, yellow 40-69, red < 40."""

    weights: HealthWeights = HealthWeights()
    green_min: int = Field(70, ge=0, le=100)
    yellow_min: int = Field(40, ge=0, le=100)
    trend_days: int = Field(28, ge=1)

    def band(self, score: float | None) -> Band:
        if score is None:
            return "n/a"
        if score >= self.green_min:
            return "green"
        if score >= self.yellow_min:
            return "yellow"
        return "red"


class UrgencyCoefficients(Section):
    """Taskwarrior-style urgency: each term is a coefficient times a 0..1 (or count) factor."""

    due: float = 12.0
    overdue_per_day: float = 0.5
    overdue_max: float = 10.0
    arr: float = 4.0
    renewal: float = 6.0
    health_red: float = 5.0
    health_yellow: float = 2.0
    risk_critical: float = 6.0
    risk_high: float = 4.0
    risk_medium: float = 2.0
    deferral: float = 1.0
    kind: dict[str, float] = {
        "renewal_overdue": 8.0,
        "champion_change": 6.0,
        "renewal_reminder": 4.0,
        "renewal_outreach": 4.0,
        "onboarding": 4.0,
        "ebr_due": 3.0,
        "milestone_due": 3.0,
        "touch_overdue": 2.0,
        "deferred": 1.0,
        "manual": 2.0,
    }


class Playbook(Section):
    first_response: str
    escalation: str


DEFAULT_PLAYBOOKS: dict[RiskCategory, Playbook] = {
    "implementation": Playbook(
        first_response="Agree a recovery plan with dates with the customer's project lead.",
        escalation="Involve the implementation or services lead if the plan slips again.",
    ),
    "sentiment": Playbook(
        first_response="Call the contact, listen for the root cause, and log what you heard.",
        escalation="Bring in your manager and the account executive if the cause is not fixable in 30 days.",
    ),
    "support": Playbook(
        first_response="Review the open tickets with support and ask for a root-cause analysis.",
        escalation="Escalate to the support manager when a critical ticket waits more than 2 days.",
    ),
    "product": Playbook(
        first_response="Confirm the gap, the workaround, and what it is worth to the customer.",
        escalation="Take the gap, with the ARR at stake, to the product team's next review.",
    ),
    "company": Playbook(
        first_response="Call now: find the new stakeholder, re-introduce the relationship, multi-thread.",
        escalation="Ask your executive sponsor to reach the customer's new executive.",
    ),
    "renewal": Playbook(
        first_response="Start the renewal conversation with an EBR on value delivered.",
        escalation="Bring in the account executive and your manager 90 days before the date.",
    ),
}


class Config(Section):
    """The whole config; every field has DOMAIN.md's default."""

    timezone: str | None = None
    owner: str | None = None
    owner_aliases: list[str] = []  # how CRM exports name you ("Maya Okafor", a user id), for --mine
    internal_domains: list[str] = []
    templates_dir: str | None = None
    renewal: RenewalRules = RenewalRules()
    segments: SegmentRules = SegmentRules()
    cadence: CadenceRules = CadenceRules()
    support: SupportRules = SupportRules()
    sentiment: SentimentRules = SentimentRules()
    onboarding: OnboardingRules = OnboardingRules()
    plan: PlanRules = PlanRules()
    stakeholders: StakeholderRules = StakeholderRules()
    health: HealthRules = HealthRules()
    urgency: UrgencyCoefficients = UrgencyCoefficients()
    playbooks: dict[RiskCategory, Playbook] = DEFAULT_PLAYBOOKS

    def playbook(self, category: str) -> Playbook:
        """The first response and escalation path for a risk category (the default where unset)."""
        chosen = self.playbooks.get(category) or DEFAULT_PLAYBOOKS.get(category)  # type: ignore[call-overload]
        return chosen or Playbook(first_response="Call the customer.", escalation="Tell your manager.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            check_timezone(value)
        return value

    @field_validator("internal_domains")
    @classmethod
    def _lower_domains(cls, value: list[str]) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in value if d.strip()]

    @field_validator("owner_aliases")
    @classmethod
    def _lower_aliases(cls, value: list[str]) -> list[str]:
        return [alias.strip().lower() for alias in value if alias.strip()]

    @field_validator("owner")
    @classmethod
    def _lower_owner(cls, value: str | None) -> str | None:
        return value.strip().lower() if value else None


def check_timezone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as 'America/New_York'") from exc


def default_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("csm")) / "config.toml"


def config_path(explicit: str | None = None) -> Path:
    """The config file: --config, else CSM_CONFIG, else the platform's config folder."""
    chosen = explicit or os.environ.get("CSM_CONFIG")
    return Path(chosen).expanduser() if chosen else default_config_path()


def load_config(path: Path) -> Config:
    """Read the config file (a missing file means all defaults); exit-worthy errors name the key and file."""
    data: dict[str, object] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = first["msg"].removeprefix("Value error, ")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"config file {path}: invalid value for '{key}': {message}{more}") from exc
    zone = os.environ.get("CSM_TIMEZONE")
    if zone:
        try:
            check_timezone(zone)
        except ValueError as exc:
            raise ConfigError(f"CSM_TIMEZONE: {exc}") from exc
        config = config.model_copy(update={"timezone": zone})
    return config
