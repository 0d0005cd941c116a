"""The user's config.toml: every default number from DOMAIN.md, held once, validated by pydantic.

The models are plain dataclasses (cheap to create, so `csm today` starts fast); pydantic validates
them against the types and bounds written here.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, get_type_hints

from csm.errors import ConfigError
from csm.limits import MAX_AMOUNT, MAX_DAYS, MAX_MONTHS

if TYPE_CHECKING:
    from annotated_types import Ge, Le

Segment = Literal["enterprise", "mid_market", "smb"]
Band = Literal["green", "yellow", "red", "n/a"]
Severity = Literal["low", "medium", "high", "critical"]
RiskCategory = Literal["implementation", "sentiment", "support", "product", "company", "renewal"]


class Section:
    """A config table (each a dataclass, treated as read-only): unknown keys are typos, so pydantic refuses them,
    and a number must be a finite number (inf and nan are refused)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "allow_inf_nan": False}


@dataclass(eq=False)
class PerSegment(Section):
    """A number for each segment; a table in config.toml may set just some of them."""

    enterprise: int
    mid_market: int
    smb: int

    def of(self, segment: Segment) -> int:
        return int(getattr(self, segment))


@dataclass(eq=False)
class TouchDays(PerSegment):
    """Touch cadence: a logged interaction at least every ... days."""

    enterprise: Annotated[int, Ge(1), Le(MAX_DAYS)] = 14
    mid_market: Annotated[int, Ge(1), Le(MAX_DAYS)] = 30
    smb: Annotated[int, Ge(1), Le(MAX_DAYS)] = 90


@dataclass(eq=False)
class EbrMonths(PerSegment):
    """EBR cadence: enterprise quarterly, mid-market half-yearly, SMB yearly."""

    enterprise: Annotated[int, Ge(1), Le(MAX_MONTHS)] = 3
    mid_market: Annotated[int, Ge(1), Le(MAX_MONTHS)] = 6
    smb: Annotated[int, Ge(1), Le(MAX_MONTHS)] = 12


@dataclass(eq=False)
class RenewalRules(Section):
    """DOMAIN.md, date-driven triggers: renewal outreach, reminder; renewal risk window."""

    outreach_days: Annotated[int, Ge(1), Le(MAX_DAYS)] = 120
    reminder_days: Annotated[int, Ge(1), Le(MAX_DAYS)] = 60
    risk_window_days: Annotated[int, Ge(1), Le(MAX_DAYS)] = 120
    risk_health_below: Annotated[int, Ge(0), Le(100)] = 70
    # a health score on less of its weight than this is too thin to put a renewal at risk on its own
    risk_min_confidence: Annotated[float, Ge(0), Le(1)] = 0.5


@dataclass(eq=False)
class SegmentRules(Section):
    """Segment by ARR: enterprise >= $100k, mid-market >= $20k, SMB below."""

    enterprise_min_arr: Annotated[float, Ge(0)] = 100_000
    mid_market_min_arr: Annotated[float, Ge(0)] = 20_000

    def segment_for(self, arr: float | None) -> Segment:
        if arr is not None and arr >= self.enterprise_min_arr:
            return "enterprise"
        if arr is not None and arr >= self.mid_market_min_arr:
            return "mid_market"
        return "smb"


@dataclass(eq=False)
class CadenceRules(Section):
    """Touch and EBR cadence per segment; prepare EBRs two weeks ahead."""

    touch_days: TouchDays = field(default_factory=TouchDays)
    ebr_months: EbrMonths = field(default_factory=EbrMonths)
    ebr_prep_days: Annotated[int, Ge(0), Le(MAX_DAYS)] = 14
    manager_one_on_one_days: Annotated[int, Ge(1), Le(MAX_DAYS)] = 30
    # a customer meeting from today to this many days ahead covers the account's touch (no touch to-do while it is
    # scheduled) and shows beside its renewal and EBR to-dos; 0: only today's meetings
    meeting_covers_touch_days: Annotated[int, Ge(0), Le(MAX_DAYS)] = 7
    # a review meeting with the customer (an EBR, a QBR, a business review) up to this many days ahead shows beside
    # the account's EBR to-do as its plan; other meetings never cover an EBR
    review_planned_days: Annotated[int, Ge(0), Le(MAX_DAYS)] = 60


@dataclass(eq=False)
class SupportRules(Section):
    """Support risk thresholds per account (DOMAIN.md, Risks: Support)."""

    window_days: Annotated[int, Ge(1), Le(MAX_DAYS)] = 28
    new_tickets_max: Annotated[int, Ge(0)] = 10
    open_max: Annotated[int, Ge(0)] = 5
    open_critical_max: Annotated[int, Ge(0)] = 0
    open_high_max: Annotated[int, Ge(0)] = 2
    long_wait_days: Annotated[int, Ge(1), Le(MAX_DAYS)] = 14
    spike_increase_pct: Annotated[float, Ge(0)] = 50
    spike_min_tickets: Annotated[int, Ge(1)] = 5  # a spike needs at least this many tickets in the recent window
    silent_days: Annotated[int, Ge(1), Le(MAX_DAYS)] = 90


@dataclass(eq=False)
class SentimentRules(Section):
    """NPS bands: promoter 9-10, passive 7-8, detractor 0-6."""

    promoter_min: Annotated[int, Ge(0), Le(10)] = 9
    passive_min: Annotated[int, Ge(0), Le(10)] = 7
    nps_drop_points: Annotated[int, Ge(1)] = 2


@dataclass(eq=False)
class OnboardingRules(Section):
    """[onboarding]: when a new account should have reached first value and activation."""

    first_value_days: Annotated[int, Ge(1), Le(MAX_DAYS)] = 30
    activation_days: Annotated[int, Ge(1), Le(MAX_DAYS)] = 90
    # usage shows first value once this share of the licensed seats is active: one trial login is not value
    first_value_seat_share: Annotated[float, Ge(0), Le(1)] = 0.1


@dataclass(eq=False)
class PlanRules(Section):
    """[plan]: how far ahead a success-plan milestone becomes a to-do."""

    milestone_due_days: Annotated[int, Ge(0), Le(MAX_DAYS)] = 14


@dataclass(eq=False)
class PrepRules(Section):
    """Be at least 75% prepared before any customer interaction (DOMAIN.md, "Meeting prep")."""

    ready_min_pct: Annotated[int, Ge(0), Le(100)] = 75


@dataclass(eq=False)
class StakeholderRules(Section):
    """[stakeholders]: how long a champion may go unheard before it is a to-do."""

    champion_absent_days: Annotated[int, Ge(1), Le(MAX_DAYS)] = 60


@dataclass(eq=False)
class RetentionRules(Section):
    """Renewal outcomes and retention (DOMAIN.md, "Retention"): why customers leave, and the team roll-up's window."""

    # `csm churn --reason`: a small list a team agrees on (lower case, words joined by _); "other" is always allowed
    churn_reasons: list[str] = field(
        default_factory=lambda: [
            "budget", "competitor", "product_fit", "poor_adoption", "champion_left", "acquired",
            "support", "out_of_business", "other",
        ]
    )  # fmt: skip
    renewing_days: Annotated[int, Ge(1)] = 90  # `csm team`: ARR renewing within this many days

    def __post_init__(self) -> None:
        self.churn_reasons = [r.strip().lower().replace(" ", "_").replace("-", "_") for r in self.churn_reasons]
        if "other" not in self.churn_reasons:
            self.churn_reasons.append("other")


@dataclass(eq=False)
class SyncRules(Section):
    """Sources refreshed by `csm today` itself: the ones older than max_age_minutes, each within timeout_seconds,
    all of them within budget_seconds (a source not refreshed keeps its last good data)."""

    max_age_minutes: Annotated[int, Ge(0), Le(MAX_DAYS * 24 * 60)] = 60
    timeout_seconds: Annotated[float, Ge(0.1), Le(600)] = 5.0
    budget_seconds: Annotated[float, Ge(0.1), Le(3600)] = 10.0


@dataclass(eq=False)
class HealthWeights(Section):
    """[health.weights]: each health component's weight in the score."""

    adoption: Annotated[float, Ge(0)] = 25
    sentiment: Annotated[float, Ge(0)] = 20
    support: Annotated[float, Ge(0)] = 15
    engagement: Annotated[float, Ge(0)] = 15
    success_plan: Annotated[float, Ge(0)] = 15
    financial: Annotated[float, Ge(0)] = 10


@dataclass(eq=False)
class HealthRules(Section):
    """Weighted 0-100 score; bands green >= 70, yellow 40-69, red < 40."""

    weights: HealthWeights = field(default_factory=lambda: HealthWeights())
    green_min: Annotated[int, Ge(0), Le(100)] = 70
    yellow_min: Annotated[int, Ge(0), Le(100)] = 40
    trend_days: Annotated[int, Ge(1), Le(MAX_DAYS)] = 28
    # open risks move the score: an open critical risk caps it (below green by default), a high one takes points off
    critical_risk_cap: Annotated[float, Ge(0), Le(100)] = 69.0
    high_risk_penalty: Annotated[float, Ge(0), Le(100)] = 10.0
    # a call logged as negative in the last 90 days holds the sentiment component at this at most
    negative_call_cap: Annotated[float, Ge(0), Le(100)] = 20.0

    def band(self, score: float | None) -> Band:
        if score is None:
            return "n/a"
        if score >= self.green_min:
            return "green"
        if score >= self.yellow_min:
            return "yellow"
        return "red"


@dataclass(eq=False)
class UrgencyCoefficients(Section):
    """Taskwarrior-style urgency: each term is a coefficient times a 0..1 (or count) factor."""

    due: float = 10.0
    overdue_per_day: float = 0.25
    overdue_max: float = 3.0
    stake: float = 30.0  # the account's ARR weight times the pressure on it (csm.domain.urgency)
    stake_full_arr: float = 500_000.0  # the ARR whose weight is 1
    health_red: float = 5.0
    health_yellow: float = 2.0
    risk_critical: float = 6.0
    risk_high: float = 4.0
    risk_medium: float = 2.0
    deferral: float = 1.0
    handed_out: float = -0.3  # the share taken off a step someone else does, until it is late (-1..0)
    kind: dict[str, float] = field(
        default_factory=lambda: {
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
            "one_on_one": 2.0,
            "playbook": 3.0,
        }
    )


@dataclass(eq=False)
class Response(Section):
    """A risk category's first response and escalation path, in a line each (DOMAIN.md, Risks)."""

    first_response: str
    escalation: str


DEFAULT_RESPONSES: dict[RiskCategory, Response] = {
    "implementation": Response(
        first_response="Agree a recovery plan with dates with the customer's project lead.",
        escalation="Involve the implementation or services lead if the plan slips again.",
    ),
    "sentiment": Response(
        first_response="Call the contact, listen for the root cause, and log what you heard.",
        escalation="Bring in your manager and the account executive if the cause is not fixable in 30 days.",
    ),
    "support": Response(
        first_response="Review the open tickets with support and ask for a root-cause analysis.",
        escalation="Escalate to the support manager when a critical ticket waits more than 2 days.",
    ),
    "product": Response(
        first_response="Confirm the gap, the workaround, and what it is worth to the customer.",
        escalation="Take the gap, with the ARR at stake, to the product team's next review.",
    ),
    "company": Response(
        first_response="Call now: find the new stakeholder, re-introduce the relationship, multi-thread.",
        escalation="Ask your executive sponsor to reach the customer's new executive.",
    ),
    "renewal": Response(
        first_response="Start the renewal conversation with an EBR on value delivered.",
        escalation="Bring in the account executive and your manager 90 days before the date.",
    ),
}

ROLES = ("me", "ae", "support", "manager", "exec")  # who a playbook step may be handed to, besides an e-mail
ROLE_NAMES = {"me": "you", "ae": "AE", "support": "Support", "manager": "Manager", "exec": "Exec"}
TITLE_FIELDS = ("account", "contact", "evidence", "severity", "category", "renewal_date")


@dataclass(eq=False)
class PlaybookWhen(Section):
    """Which risks a playbook opens on; every key set must hold (an empty table: every risk)."""

    category: RiskCategory | None = None
    rule: str | None = None  # the rule that raised the risk (`csm risk list --format json` names it)
    severity: Severity | None = None  # this severity or above
    segment: Segment | None = None
    days_to_renewal_under: Annotated[int, Ge(1), Le(MAX_DAYS)] | None = None


@dataclass(eq=False)
class PlaybookStep(Section):
    """One step: a title (a template with {account}, {contact}, {evidence} ...), who does it, when it is due."""

    title: str
    owner: str = "me"  # me, ae, support, manager, exec, or an e-mail
    due_days: Annotated[int, Ge(0), Le(MAX_DAYS)] = 0  # after the day the risk was raised
    after: Annotated[int, Ge(1)] | None = None  # the number of the step it waits for (an earlier one)
    before_renewal_days: Annotated[int, Ge(0), Le(MAX_DAYS)] | None = None  # due this long before the renewal instead
    # still due once the risk has cleared (or been resolved), in a run the CSM began: the follow-up after a fix
    outlives_risk: bool = False

    def __post_init__(self) -> None:
        self.owner = self.owner.strip().lower()


@dataclass(eq=False)
class Playbook(Section):
    """Owned, dated work a risk opens (DOMAIN.md, Playbooks): ordered steps, the escalation among them."""

    name: str
    steps: list[PlaybookStep]
    when: PlaybookWhen = field(default_factory=lambda: PlaybookWhen())


def _steps(*steps: tuple[str, str, int, int | None]) -> list[PlaybookStep]:
    return [PlaybookStep(title, owner, due, after) for title, owner, due, after in steps]


MULTI_THREAD = _steps(
    ("Ask {contact} to introduce you to two more people at {account}, a sponsor among them", "me", 7, None),
    ("Meet the executive who owns {account}'s outcome, with {contact}", "me", 30, 1),
    ("Escalation: one of our executives reaches out to {account}'s executive", "exec", 45, None),
)
DEFAULT_PLAYBOOKS: tuple[Playbook, ...] = (
    Playbook("implementation", _steps(
        ("Agree a recovery plan with dates with {contact} at {account}", "me", 3, None),
        ("Check {account}'s recovery plan is on its dates", "me", 14, 1),
        ("Escalation: bring the services lead in if {account}'s plan slipped ({evidence})", "manager", 21, 2),
    ), PlaybookWhen(category="implementation")),
    Playbook("sentiment", _steps(
        ("Call {contact} at {account}, listen for the root cause, and log what you heard", "me", 2, None),
        ("Agree a fix for what {contact} raised, with dates, and tell them", "me", 9, 1),
        ("Escalation: review {account} with the AE and your manager if the cause is not fixed", "ae", 30, None),
    ), PlaybookWhen(category="sentiment")),
    Playbook("support_silence", _steps(
        ("Check {account}'s usage: {evidence}", "me", 2, None),
        ("Call {contact} at {account}: are they still using the product, and is anything in the way?", "me", 5, 1),
        ("Escalation: review {account}'s usage and renewal with the AE if they stopped using the product", "ae",
         14, 2),
    ), PlaybookWhen(category="support", rule="support_silence")),
    Playbook("support", [
        *_steps(
            ("Review {account}'s open tickets with support: {evidence}", "me", 0, None),
            ("Root-cause analysis of {account}'s tickets, sent to the CSM", "support", 5, 1),
            ("Tell {contact} at {account} what the root-cause analysis found", "me", 7, 2),
        ),
        PlaybookStep("Confirm with {contact} that {account}'s fix held", "me", 21, 3, outlives_risk=True),
        PlaybookStep("Escalation: if {account}'s tickets are not moving, the support manager takes them over",
                     "support", 2, None),
    ], PlaybookWhen(category="support")),
    Playbook("product", _steps(
        ("Confirm the gap, the workaround and what it is worth to {account}: {evidence}", "me", 3, None),
        ("Agree with the AE what the gap puts at stake in {account}'s renewal", "ae", 10, 1),
        ("Escalation: take {account}'s gap, with the ARR at stake, to the product team's next review", "manager",
         14, 1),
    ), PlaybookWhen(category="product")),
    Playbook("champion_left", _steps(
        ("Call {account} now: find the new stakeholder and re-introduce the relationship", "me", 1, None),
        ("Multi-thread {account}: meet two more people, a sponsor among them", "me", 14, 1),
        ("Escalation: reach {account}'s new executive, executive to executive", "exec", 14, None),
    ), PlaybookWhen(category="company", rule="champion_left")),
    # an enterprise account with no sponsor, and a relationship that hangs on one thread; a small account's one
    # thread (a low risk) is no case for our executives: it stays a risk, with no playbook
    Playbook("company", MULTI_THREAD, PlaybookWhen(category="company", rule="no_exec_sponsor")),
    Playbook("company", MULTI_THREAD, PlaybookWhen(category="company", severity="medium")),
    Playbook("renewal", [
        *_steps(
            ("Plan {account}'s renewal: an EBR on value delivered, then the conversation", "me", 3, None),
            ("Agree {account}'s renewal plan and terms with the CSM", "ae", 10, 1),
        ),
        PlaybookStep("Escalation: bring the AE and your manager into {account}'s renewal ({evidence})", "manager",
                     0, None, before_renewal_days=90),
    ], PlaybookWhen(category="renewal")),
)  # fmt: skip


@dataclass(eq=False)
class People(Section):
    """Who stands behind a playbook step's `ae`, `support`, `manager` and `exec` (an account may name its own:
    `csm account edit --ae EMAIL`): "Dana Lee <dana.lee@example.com>", an e-mail, or a name."""

    ae: str | None = None
    support: str | None = None
    manager: str | None = None
    exec: str | None = None

    def of(self, role: str) -> str | None:
        return getattr(self, role, None) if role in ROLES[1:] else None


@dataclass(eq=False)
class Config(Section):
    """The whole config; every field has DOMAIN.md's default."""

    timezone: str | None = None
    owner: str | None = None
    owner_aliases: list[str] = field(default_factory=list)  # how CRM exports name you (--mine); your other addresses
    internal_domains: list[str] = field(default_factory=list)
    templates_dir: str | None = None
    # how imports read dates such as 03/04/2027 when no value in the column proves the order
    date_order: Literal["mdy", "dmy", "ymd"] = "mdy"
    template_time_limit_seconds: Annotated[float, Ge(0.1), Le(3600)] = 10.0  # a user template past it is stopped
    renewal: RenewalRules = field(default_factory=lambda: RenewalRules())
    segments: SegmentRules = field(default_factory=lambda: SegmentRules())
    cadence: CadenceRules = field(default_factory=lambda: CadenceRules())
    support: SupportRules = field(default_factory=lambda: SupportRules())
    sentiment: SentimentRules = field(default_factory=lambda: SentimentRules())
    onboarding: OnboardingRules = field(default_factory=lambda: OnboardingRules())
    plan: PlanRules = field(default_factory=lambda: PlanRules())
    prep: PrepRules = field(default_factory=lambda: PrepRules())
    stakeholders: StakeholderRules = field(default_factory=lambda: StakeholderRules())
    retention: RetentionRules = field(default_factory=lambda: RetentionRules())
    sync: SyncRules = field(default_factory=lambda: SyncRules())
    health: HealthRules = field(default_factory=lambda: HealthRules())
    urgency: UrgencyCoefficients = field(default_factory=lambda: UrgencyCoefficients())
    responses: dict[RiskCategory, Response] = field(default_factory=lambda: dict(DEFAULT_RESPONSES))
    people: People = field(default_factory=lambda: People())
    # yours first, in order, then each default (one per category, two for a rule of their own) whose name none of
    # yours takes
    playbooks: list[Playbook] = field(default_factory=lambda: list(DEFAULT_PLAYBOOKS))

    def __post_init__(self) -> None:
        # addresses and names are compared lower-case everywhere
        self.owner = self.owner.strip().lower() if self.owner else None
        self.owner_aliases = [a.strip().lower() for a in self.owner_aliases if a.strip()]
        self.internal_domains = [d.strip().lower().lstrip("@") for d in self.internal_domains if d.strip()]
        named = {p.name for p in self.playbooks}
        self.playbooks = [*self.playbooks, *(p for p in DEFAULT_PLAYBOOKS if p.name not in named)]

    def response(self, category: str) -> Response:
        """The first response and escalation path for a risk category (the default where unset)."""
        chosen = self.responses.get(category) or DEFAULT_RESPONSES.get(category)  # type: ignore[call-overload]
        return chosen or Response(first_response="Call the customer.", escalation="Tell your manager.")


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


MAX_CONFIG_BYTES = 1024**2


def load_config(path: Path) -> Config:
    """Read the config file (a missing file means all defaults); errors name the key and the file.

    pydantic validates a file the first time csm sees its exact content; the validated result is
    kept in the cache folder, so an unchanged file costs `csm today` no pydantic import.
    """
    config = Config()
    if path.exists():
        from csm.errors import CsmError
        from csm.files import check_readable

        try:
            check_readable(path, MAX_CONFIG_BYTES, "config file")
            raw = path.read_bytes()
        except CsmError as exc:
            raise ConfigError(str(exc)) from None
        except OSError as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        stamp = validated_cache(raw)
        cached = read_cached(stamp)
        if cached is not None:  # this exact file validated before: neither TOML nor pydantic is needed
            config = cached
        else:
            config = validate_config(_parsed(raw, path), str(path))
            write_cached(stamp, config)
    zone = os.environ.get("CSM_TIMEZONE")
    if zone:
        try:
            check_timezone(zone)
        except ValueError as exc:
            raise ConfigError(f"CSM_TIMEZONE: {exc}") from exc
        config = replace(config, timezone=zone)
    return config


def _parsed(raw: bytes, path: Path) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc


def validate_config(data: dict[str, Any], source: str) -> Config:
    """pydantic's validation of a config mapping; the first problem is reported with its key and source."""
    import annotated_types
    from pydantic import TypeAdapter, ValidationError

    # The bounds in the annotations are read only here, so `csm today` never imports annotated_types.
    globals().update(Ge=annotated_types.Ge, Le=annotated_types.Le)
    check_values(data, source)
    data = _legacy_responses(data)
    try:
        # strict, as JSON: `true` is not 1 and "5" is not 5 (TOML has the types; a mistyped one is a mistake)
        config = TypeAdapter(Config).validate_json(json.dumps(data), strict=True)
        if config.timezone is not None:
            try:
                check_timezone(config.timezone)
            except ValueError as exc:
                raise ConfigError(f"config file {source}: invalid value for 'timezone': {exc}") from exc
    except ValidationError as exc:
        errors = exc.errors()
        first = next((e for e in errors if e["type"] == "unexpected_keyword_argument"), errors[0])
        key = ".".join(str(part) for part in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        if first["type"] == "unexpected_keyword_argument":
            raise ConfigError(f"config file {source}: unknown key '{key}'{_did_you_mean(first['loc'])}{more}") from exc
        message = first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"config file {source}: invalid value for '{key}': {message}{more}") from exc
    if config.renewal.reminder_days > config.renewal.outreach_days:
        raise ConfigError(
            f"config file {source}: renewal.reminder_days ({config.renewal.reminder_days}) comes after "
            f"renewal.outreach_days ({config.renewal.outreach_days}); the reminder is the later, shorter window"
        )
    check_playbooks(config, len(data.get("playbooks") or []), source)
    return config


def _legacy_responses(data: dict[str, Any]) -> dict[str, Any]:
    """A config written before playbooks had steps: `[playbooks.CATEGORY]` tables held a category's first response
    and escalation, which are `[responses.CATEGORY]` now."""
    old = data.get("playbooks")
    if isinstance(old, dict) and "responses" not in data:
        return {**{k: v for k, v in data.items() if k != "playbooks"}, "responses": old}
    return data


def check_playbooks(config: Config, own: int, source: str) -> None:
    """What the types cannot say of the first `own` playbooks (the file's): names once each, owners csm knows,
    `after` an earlier step, titles that use only the fields csm fills in."""
    from string import Formatter

    from csm.domain.words import RULE_LABELS

    def refuse(key: str, message: str) -> None:
        raise ConfigError(f"config file {source}: invalid value for '{key}': {message}")

    seen: set[str] = set()
    for n, playbook in enumerate(config.playbooks[:own]):
        where = f"playbooks.{n}"
        if not playbook.name.strip():
            refuse(f"{where}.name", "a playbook needs a name")
        if any(mark in playbook.name for mark in ":@"):
            refuse(f"{where}.name", f"{playbook.name!r}: a playbook's name cannot hold ':' or '@'")
        if playbook.name in seen:
            refuse(f"{where}.name", f"two playbooks are named {playbook.name!r}")
        seen.add(playbook.name)
        if not playbook.steps:
            refuse(f"{where}.steps", f"playbook {playbook.name!r} has no steps")
        rule = playbook.when.rule
        if rule is not None and rule not in RULE_LABELS and rule != "manual":
            refuse(f"{where}.when.rule", f"no rule is named {rule!r}; one of: manual, {', '.join(RULE_LABELS)}")
        for number, step in enumerate(playbook.steps, start=1):
            key = f"{where}.steps.{number - 1}"
            if not step.title.strip():
                refuse(f"{key}.title", f"step {number} of {playbook.name!r} has no title")
            try:
                parts = list(Formatter().parse(step.title))
            except ValueError as exc:
                refuse(f"{key}.title", f"{exc} (write {{{{ and }}}} for a brace itself)")
            for _text, name, spec, conversion in parts:
                if name is not None and (name not in TITLE_FIELDS or spec or conversion):
                    refuse(f"{key}.title", f"{{{name}}} is not a field csm fills in; use {', '.join(TITLE_FIELDS)}")
            owner = step.owner.strip().lower()
            if owner not in ROLES and not _is_address(owner):
                refuse(f"{key}.owner", f"{step.owner!r} is neither one of {', '.join(ROLES)} nor an e-mail address")
            if step.after is not None and step.after >= number:
                refuse(f"{key}.after", f"step {number} waits for step {step.after}, which is not an earlier step "
                       "(steps are numbered from 1)")  # fmt: skip


def _is_address(text: str) -> bool:
    local, at, domain = text.partition("@")
    return bool(at and local and "." in domain and " " not in text)


def check_values(data: Any, source: str, key: str = "") -> None:
    """What pydantic would take but csm cannot compute with: numbers beyond csm's range, dates and times."""
    if isinstance(data, dict):
        for name, value in data.items():
            check_values(value, source, f"{key}.{name}" if key else str(name))
    elif isinstance(data, list):
        for value in data:
            check_values(value, source, key)
    elif isinstance(data, int | float) and not isinstance(data, bool) and abs(data) > MAX_AMOUNT:
        raise ConfigError(f"config file {source}: invalid value for '{key}': {data:g} is out of range")
    elif hasattr(data, "isoformat"):  # TOML dates and times: no config key is one
        raise ConfigError(
            f"config file {source}: invalid value for '{key}': a date or time, where a text or number goes"
        )


def _did_you_mean(location: tuple[int | str, ...]) -> str:
    """Suggest the known key closest to a misspelt one."""
    import difflib

    table: Any = Config
    for part in location[:-1]:
        hints = get_type_hints(table, localns=_BOUNDS_UNREAD) if isinstance(table, type) else {}
        table = hints.get(str(part))
    if not (isinstance(table, type) and is_dataclass(table)):
        return ""
    close = difflib.get_close_matches(str(location[-1]), [f.name for f in fields(table)], n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def as_dict(config: Config) -> dict[str, Any]:
    """The config as plain TOML/JSON data, unset values left out."""

    def drop_none(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: drop_none(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [drop_none(v) for v in value]
        return value

    return drop_none(asdict(config))  # type: ignore[no-any-return]


def config_stamp(config: Config) -> str:
    """Identifies the rules' numbers (and csm's code) that an evaluation was made with."""
    from csm import code_stamp

    text = json.dumps(as_dict(config), sort_keys=True, default=str) + code_stamp()
    return hashlib.sha256(text.encode()).hexdigest()[:24]


_BOUNDS_UNREAD = {"Ge": lambda bound: bound, "Le": lambda bound: bound}  # bounds matter only to pydantic


def validated_cache(raw: bytes) -> Path | None:
    from csm import code_stamp

    folder = os.environ.get("CSM_CACHE_DIR")
    if not folder:
        from platformdirs import user_cache_dir

        folder = user_cache_dir("csm")
    digest = hashlib.sha256(code_stamp().encode() + b"\0" + raw).hexdigest()[:24]
    return Path(folder) / f"config-{digest}.json"


def read_cached(stamp: Path | None) -> Config | None:
    """The config validated before from this exact file, or None: no entry, or one damaged (its first line is the
    digest of the rest) or that this code cannot read. It is only a cache: whatever is wrong with it, csm validates
    the file again."""
    if stamp is None:
        return None
    try:
        digest, _, text = stamp.read_text(encoding="utf-8").partition("\n")
        if hashlib.sha256(text.encode()).hexdigest() != digest:
            return None
        config = _untagged(json.loads(text))
    except Exception:
        return None
    return config if isinstance(config, Config) else None


def write_cached(stamp: Path | None, config: Config) -> None:
    """Keep the validated result; a cache that cannot be written only costs speed."""
    if stamp is None:
        return
    from csm.errors import CsmError
    from csm.files import private_folder, write_private

    text = json.dumps(_tagged(config))
    try:
        private_folder(stamp.parent)
        write_private(stamp, f"{hashlib.sha256(text.encode()).hexdigest()}\n{text}", overwrite=True)
    except (OSError, CsmError):
        pass


# The cached config names each node's kind, so that reading it back needs no type hints (evaluating them costs
# every command a few ms): {"s": section class, "f": fields}, {"d": mapping}, {"l": list}; anything else a value.
def _tagged(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {"s": type(value).__name__, "f": {f.name: _tagged(getattr(value, f.name)) for f in fields(value)}}
    if isinstance(value, dict):
        return {"d": {key: _tagged(item) for key, item in value.items()}}
    if isinstance(value, list | tuple):
        return {"l": [_tagged(item) for item in value]}
    return value


def _untagged(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "s" in value:
        return _SECTIONS[value["s"]](**{key: _untagged(item) for key, item in value["f"].items()})
    if "d" in value:
        return {key: _untagged(item) for key, item in value["d"].items()}
    return [_untagged(item) for item in value["l"]]


def _sections(cls: type) -> dict[str, type]:
    found = {cls.__name__: cls}
    sub: type
    for sub in cls.__subclasses__():
        found.update(_sections(sub))
    return found


_SECTIONS = _sections(Section)
