"""A user's template renders within a time limit and a document's size: a runaway loop is stopped, in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CsmRunner

RUNAWAY = {
    "a loop that writes nothing": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "a loop that writes forever": "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "a loop of string building": "{% set ns = namespace(s='') %}{% for i in range(100000) %}{% for j in range(100000) %}"
    "{% set ns.s = ns.s ~ 'x' %}{% endfor %}{% endfor %}",
}


@pytest.fixture
def limited(csm: CsmRunner, config_path: Path) -> CsmRunner:
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text("template_time_limit_seconds = 0.5\n")
    assert csm("account", "add", "Acme Corp", "--arr", "1000").code == 0
    return csm


@pytest.mark.parametrize("body", RUNAWAY.values(), ids=RUNAWAY.keys())
@pytest.mark.parametrize("command", [("prep", "Acme Corp", "--format", "md"), ("ebr", "Acme Corp", "--format", "html")])
def test_a_runaway_template_is_stopped_at_its_time_limit(
    limited: CsmRunner, tmp_path: Path, body: str, command: tuple[str, ...]
) -> None:
    template = tmp_path / "runaway.j2"
    template.write_text(body)
    run = limited(*command, "--template", str(template))
    assert run.code == 1
    assert f"template {template} stopped: it ran longer than 0.5 seconds (template_time_limit_seconds)" in run.err
    assert run.out == ""


@pytest.mark.parametrize(
    "body", ["{{ 'x' * 10**10 }}", "{{ [1] * 10**10 }}", "{{ 10 ** 1000000 }}", "{{ '%0999999999d' % 1 }}"]
)
def test_a_template_cannot_build_a_value_too_big_to_interrupt(limited: CsmRunner, tmp_path: Path, body: str) -> None:
    template = tmp_path / "huge.j2"
    template.write_text(body)
    run = limited("prep", "Acme Corp", "--format", "md", "--template", str(template))
    assert run.code == 1 and f"template {template} failed" in run.err


def test_the_packaged_templates_render_well_within_the_limit(limited: CsmRunner) -> None:
    assert limited("prep", "Acme Corp", "--format", "md").code == 0
    assert limited("ebr", "Acme Corp", "--format", "html").code == 0


def test_the_time_limit_is_a_config_value_with_bounds(limited: CsmRunner, config_path: Path) -> None:
    config_path.write_text("template_time_limit_seconds = 0\n")
    run = limited("prep", "Acme Corp", "--format", "md")
    assert run.code == 1 and "template_time_limit_seconds" in run.err
