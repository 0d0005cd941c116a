"""The config file: DOMAIN.md's defaults, the user's overrides, and clear errors naming key and file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csm.config import Config, load_config
from csm.errors import ConfigError
from tests.conftest import CsmRunner


def test_defaults_are_the_numbers_in_domain_md(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert config.renewal.outreach_days == 120
    assert config.renewal.reminder_days == 60
    assert config.support.new_tickets_max == 10
    assert config.support.open_max == 5
    assert config.support.open_high_max == 2
    assert config.support.long_wait_days == 14
    assert config.support.spike_increase_pct == 50
    assert config.support.silent_days == 90
    assert config.cadence.touch_days.of("enterprise") == 14
    assert config.cadence.touch_days.of("mid_market") == 30
    assert config.cadence.touch_days.of("smb") == 90
    assert config.cadence.ebr_months.of("enterprise") == 3
    assert config.cadence.ebr_prep_days == 14
    assert config.onboarding.first_value_days == 30
    assert config.onboarding.activation_days == 90
    assert (config.health.green_min, config.health.yellow_min) == (70, 40)


def test_segment_boundaries_follow_arr() -> None:
    segments = Config().segments
    assert segments.segment_for(100_000) == "enterprise"
    assert segments.segment_for(99_999.99) == "mid_market"
    assert segments.segment_for(20_000) == "mid_market"
    assert segments.segment_for(19_999) == "smb"
    assert segments.segment_for(None) == "smb"


def test_health_bands_at_their_edges() -> None:
    health = Config().health
    assert [health.band(s) for s in (70, 69.9, 40, 39.9, None)] == ["green", "yellow", "yellow", "red", "n/a"]


def test_user_values_override_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'timezone = "Europe/Berlin"\nowner = "Me@Vendor.example"\ninternal_domains = ["@Vendor.example"]\n'
        "[renewal]\noutreach_days = 150\n[cadence.touch_days]\nenterprise = 7\nmid_market = 21\nsmb = 60\n"
    )
    config = load_config(path)
    assert config.timezone == "Europe/Berlin"
    assert config.owner == "me@vendor.example"
    assert config.internal_domains == ["vendor.example"]
    assert config.renewal.outreach_days == 150
    assert config.renewal.reminder_days == 60
    assert config.cadence.touch_days.of("enterprise") == 7


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[renewal]\noutreach_days = 'soon'\n", "renewal.outreach_days"),
        ("[support]\nopen_max = -1\n", "support.open_max"),
        ("[renewal]\noutreach_dayz = 100\n", "renewal.outreach_dayz"),
        ('timezone = "Mars/Olympus"\n', "timezone"),
    ],
)
def test_an_invalid_value_names_the_key_and_the_file(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"'{key}'" in str(caught.value)
    assert str(path) in str(caught.value)


def test_invalid_config_exits_1_without_traceback(csm: CsmRunner, config_path: Path) -> None:
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text("[health]\ngreen_min = 'high'\n")
    run = csm("config", "show")
    assert run.code == 1
    assert "health.green_min" in run.err and str(config_path) in run.err
    assert "Traceback" not in run.err


def test_broken_toml_is_reported_with_the_file(csm: CsmRunner, config_path: Path) -> None:
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text("[renewal\n")
    run = csm("account", "list")
    assert run.code == 1
    assert "not valid TOML" in run.err and str(config_path) in run.err


def test_config_path_and_show(csm: CsmRunner, config_path: Path) -> None:
    assert csm("config", "path").out.strip() == str(config_path)
    shown = csm("config", "show", "--format", "json")
    assert shown.code == 0
    data = json.loads(shown.out)
    assert data["renewal"]["outreach_days"] == 120
    assert data["timezone"] == "America/New_York"  # CSM_TIMEZONE wins over the file
    toml = csm("config", "show").out
    assert "[renewal]" in toml and "outreach_days = 120" in toml


def test_unknown_csm_timezone_is_refused(csm: CsmRunner, env: dict[str, str]) -> None:
    env["CSM_TIMEZONE"] = "Nowhere/Special"
    run = csm("config", "show")
    assert run.code == 1
    assert "CSM_TIMEZONE" in run.err


def test_an_unchanged_config_is_read_again_without_pydantic(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = tmp_path / "config.toml"
    path.write_text('owner = "Me@Vendor.example"\n[renewal]\noutreach_days = 150\n')
    probe = (
        "import sys; from pathlib import Path; from csm.config import load_config; "
        f"c = load_config(Path({str(path)!r})); "
        "print(c.renewal.outreach_days, c.owner, 'pydantic' in sys.modules, 'tomllib' in sys.modules)"
    )
    env = {**os.environ, "CSM_CACHE_DIR": str(tmp_path / "cache")}
    run = [sys.executable, "-c", probe]
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout.split()
    second = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout.split()
    assert first == ["150", "me@vendor.example", "True", "True"]
    assert second == ["150", "me@vendor.example", "False", "False"]  # neither validated nor even parsed again
    path.write_text("[renewal]\noutreach_days = -3\n")
    third = subprocess.run(run, capture_output=True, text=True, env=env)
    assert third.returncode != 0 and "renewal.outreach_days" in third.stderr


def test_a_config_read_back_from_the_cache_is_the_one_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every table, list of tables and mapping of tables comes back as the section it was, with its values."""
    from csm.config import Playbook, PlaybookStep, Response, _tagged, load_config, validated_cache

    monkeypatch.setenv("CSM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CSM_TIMEZONE", raising=False)
    path = tmp_path / "config.toml"
    path.write_text(
        'owner = "Me@Vendor.example"\nowner_aliases = ["Me Myself"]\ntimezone = "Europe/Berlin"\n'
        "[cadence.touch_days]\nenterprise = 10\n"
        '[responses.support]\nfirst_response = "Call support."\nescalation = "Call the VP."\n'
        '[[playbooks]]\nname = "rescue"\nwhen = { category = "support", severity = "high" }\n'
        '[[playbooks.steps]]\ntitle = "Call {contact}"\nowner = " AE "\ndue_days = 2\n'
        '[[playbooks.steps]]\ntitle = "Write to {account}"\nafter = 1\nbefore_renewal_days = 30\n'
    )
    validated = load_config(path)
    assert validated_cache(path.read_bytes()).exists()  # type: ignore[union-attr]
    cached = load_config(path)
    assert cached is not validated
    assert _tagged(cached) == _tagged(validated)
    rescue = cached.playbooks[0]
    assert isinstance(rescue, Playbook) and rescue.name == "rescue" and rescue.when.severity == "high"
    assert [type(s) for s in rescue.steps] == [PlaybookStep, PlaybookStep]
    assert [(s.owner, s.due_days, s.after, s.before_renewal_days) for s in rescue.steps] == [
        ("ae", 2, None, None), ("me", 0, 1, 30)
    ]  # fmt: skip
    assert (
        isinstance(cached.responses["support"], Response) and cached.responses["support"].escalation == "Call the VP."
    )
    assert (cached.owner, cached.owner_aliases, cached.timezone) == (
        "me@vendor.example",
        ["me myself"],
        "Europe/Berlin",
    )
    assert cached.cadence.touch_days.enterprise == 10 and len(cached.playbooks) == len(validated.playbooks)


DAMAGED_CACHES = [
    '{"s": "NoSuchSection", "f": {}}',  # a section this code does not have
    '{"renewal": {"outreach_days": 3}}',  # the untagged shape of an older csm
    '{"s": "Config", "f": []}',
    '{"d": 5}',
    '{"s": "Config", "f": {"owner": {"s": "People", "f": {}}}}',  # fails in the section's __post_init__
    '{"s": "Config", "f": {"playbooks": {"l": [5]}}}',
    "[" * 100_000,  # deeper than json can read
    "",
]


@pytest.mark.parametrize("damaged", DAMAGED_CACHES)
@pytest.mark.parametrize("with_digest", [True, False])
def test_a_cached_config_this_code_cannot_read_is_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damaged: str, with_digest: bool
) -> None:
    """Damaged (its digest line does not match) or unreadable (it does, yet it builds no config): validated again."""
    import hashlib

    from csm.config import load_config, validated_cache

    monkeypatch.setenv("CSM_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "config.toml"
    path.write_text("[renewal]\noutreach_days = 150\n")
    load_config(path)
    stamp = validated_cache(path.read_bytes())
    assert stamp is not None and stamp.exists()
    digest = hashlib.sha256(damaged.encode()).hexdigest() if with_digest else "0" * 64
    stamp.write_text(f"{digest}\n{damaged}")
    assert load_config(path).renewal.outreach_days == 150
