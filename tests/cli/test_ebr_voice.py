"""The EBR is the customer's document (DOMAIN.md, "Two voices"): in every format (Markdown, the HTML's text, the
deck's slides, notes and charts, the JSON) no internal vocabulary, private note, coaching prompt or noise from
missing values reaches it, on every account of the demo book, on a risky account and on a messy book; and
`--internal` keeps the CSM's own voice where it belongs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.conftest import ok
from tests.cli.ebr_books import (
    COACHING_NEXT,
    HAND_RISK,
    PRIVATE_NOTE,
    RISKY,
    add_risky_account,
    build_messy_book,
    html_text,
    pptx_text,
)
from tests.conftest import CsmRunner

# What is internal, each with why. A pattern (a regular expression, matched without case) that appears in a
# customer's document is a leak.
FORBIDDEN: list[tuple[str, str]] = [
    (r"\(limit \d+", "a rule's threshold: 'more than 2 open high priority (limit 2)'"),
    (r"\b(detractor|promoter|passive)s?\b", "NPS categories: how csm files the customer's answer, not theirs"),
    (r"\((critical|high|medium|low)\)", "a risk's severity"),
    (r"\bseverity\b|\bcritical/urgent\b", "severities"),
    (r"\bhealth\b", "the health score and its trend are the CSM's"),
    (r"\b(green|yellow|red)\b", "health bands"),
    (r"\bbands?\b|\bscore\b", "scores and bands"),
    (r"\b(exec sponsor|champion|decision maker|influencer|single-threaded|multi-threaded)\b",
     "stakeholder labels csm gives the customer's people"),
    (r"[a-z]+_[a-z_]+", "snake_case: rule ids, statuses and fields (ticket_spike, at_risk, feature_gap_renewal)"),
    (r"listen for the root cause|log what you heard|congratulate them|thank the people who|check the fixes held|"
     r"have the status ready|bring a date for each|start the renewal conversation|silence is a warning|"
     r"find and log the successor|re-introduce the relationship|plan a follow-up|I asked our team",
     "coaching prompts for the CSM"),
    (r"\bcsm (plan|log|ebr|contact|todo|risk|health)\b", "csm commands"),
    (r"\bARR asking\b|\bforecast\b|would (they )?happily renew", "the CSM's renewal judgement and other customers' ARR"),
    (r"\bprivate\b|\binternal\b|\brehearsal\b", "the rehearsal's labels"),
    (r"→ \?|\(now \?\)|\s\?\s|\?$", "a missing value printed as '?'"),
    (r"\b0 (accounts?|customers?)\b|\(s\)", "noise: counts of zero, '(s)' plurals"),
    (r"\(\d+\) \(\d+\)", "a repeated theme with its count twice"),
    (r"\bNone\b|\bnull\b|\bnan\b", "a missing value printed as Python or JSON"),
]  # fmt: skip
PRIVATE_TEXTS = [
    PRIVATE_NOTE, COACHING_NEXT, HAND_RISK, "won't sign renewal",
    "Sent the case study draft to Marcus",  # the demo's private e-mail note at Greenhollow
    "Marcus happy to be a reference", "Private: they may churn", "Ask the AE about pricing",
]  # fmt: skip


def leaks(text: str, rules: list[str] | None = None, account: str = "") -> list[str]:
    """Every forbidden pattern, private text or rule id found in `text` (the account's own name aside: 'Ferncliff
    Health Partners' is a name), with the line it is on."""
    found = []
    for line in text.replace(account, "«account»").splitlines() if account else text.splitlines():
        for pattern, why in FORBIDDEN:
            if re.search(pattern, line, flags=re.I):
                found.append(f"{why}: {line.strip()[:160]}")
        for private in PRIVATE_TEXTS + (rules or []):
            if private.lower() in line.lower():
                found.append(f"private or internal text {private!r}: {line.strip()[:160]}")
    return found


def customer_texts(csm: CsmRunner, account: str, folder: Path) -> dict[str, str]:
    """The customer's EBR of `account` in every format, as the text a reader sees."""
    deck = folder / "deck.pptx"
    ok(csm("ebr", account, "--out", str(deck), "--force"))
    return {
        "md": ok(csm("ebr", account)).out,
        "html": html_text(ok(csm("ebr", account, "--format", "html")).out),
        "pptx": pptx_text(deck),
    }


def rule_ids(csm: CsmRunner, account: str) -> list[str]:
    internal = ok(csm("ebr", account, "--internal", "--format", "json")).json()["internal"]
    return sorted({r["rule"] for r in internal["risks"]} | {r["evidence"] for r in internal["risks"]})


def test_no_internal_vocabulary_in_any_format_of_any_demo_account(demo: CsmRunner, tmp_path: Path) -> None:
    accounts = [a["name"] for a in ok(demo("account", "list", "--format", "json")).json()]
    assert len(accounts) == 42
    found = {}
    for account in accounts:
        rules = rule_ids(demo, account)
        for kind, text in customer_texts(demo, account, tmp_path).items():
            if problems := leaks(text, rules, account):
                found[f"{account} ({kind})"] = problems
    assert not found, found


def test_a_risky_account_reads_in_the_customers_words(demo: CsmRunner, tmp_path: Path) -> None:
    add_risky_account(demo, tmp_path)
    internal = ok(demo("ebr", RISKY, "--internal", "--format", "json")).json()["internal"]
    assert {r["severity"] for r in internal["risks"]} >= {"critical"}  # the book really is risky
    assert any(r["rule"] == "nps_detractor" for r in internal["risks"])
    texts = customer_texts(demo, RISKY, tmp_path)
    for kind, text in texts.items():
        assert not leaks(text, rule_ids(demo, RISKY)), (kind, leaks(text))
    markdown = texts["md"]
    # the facts in their words: the open tickets, one theme for the subject filed three times, the goal's numbers
    assert "GxP audit trail export incomplete (3 tickets)" in markdown
    assert "1 urgent ticket open: Validation report export fails (ticket CT-4, open 9 days)" in markdown
    assert "4 studies (target 12), 33% of the way" not in markdown  # no baseline: no progress share is invented
    assert "**Validated audit trail for every study**: 4 studies (target 12) — behind plan" in markdown
    # the shared meeting is theirs to read; its next step is an action item
    assert "Workshop on the audit trail with the QA team" in markdown
    assert "| Send the audit trail checklist | Maya Okafor | 25 February 2027 |" in markdown
    pack = ok(demo("ebr", RISKY, "--format", "json")).json()
    assert pack["internal"] is None and "risks" not in pack and "health" not in pack


def test_the_internal_view_keeps_the_csms_voice(demo: CsmRunner, tmp_path: Path) -> None:
    add_risky_account(demo, tmp_path)
    markdown = ok(demo("ebr", RISKY, "--internal")).out
    assert markdown.startswith("> **Internal rehearsal: not for the customer.**")
    for text in (HAND_RISK, PRIVATE_NOTE, "critical product", "detractor"):
        assert text in markdown, text
    deck = tmp_path / "rehearsal.pptx"
    ok(demo("ebr", RISKY, "--internal", "--out", str(deck)))
    assert "INTERNAL REHEARSAL: NOT FOR THE CUSTOMER" in pptx_text(deck)
    assert HAND_RISK in pptx_text(deck)


def test_a_messy_book_prints_no_noise(csm: CsmRunner, tmp_path: Path) -> None:
    for account in build_messy_book(csm):
        texts = customer_texts(csm, account.split(" ")[0], tmp_path)
        for kind, text in texts.items():
            assert not leaks(text), (account, kind, leaks(text))
        markdown = texts["md"]
        assert "## Action items" in markdown and "Send the review summary and the agreed objectives" in markdown
    northwind = ok(csm("ebr", "Northwind Traders")).out
    assert "**Cut invoice processing time**: target 2 days — planned" in northwind
    assert "Cut invoice processing time: reach 2 days" in northwind
    assert "Support:" not in northwind  # the book holds no tickets: nothing is said about support
    blank = ok(csm("ebr", "Blank Slate Ltd")).out
    assert "No goals are recorded yet" in blank and "Agree the first measurable goals" in blank
    # no usage and no tickets in the book: no adoption and support section of empty months and zeros
    for account in ("Northwind Traders", "Blank Slate Ltd"):
        assert "Adoption and support" not in ok(csm("ebr", account)).out
        assert 'id="trends"' not in ok(csm("ebr", account, "--format", "html")).out
    assert "\n\n\n" not in northwind  # no empty section leaves a gap behind


def test_only_the_columns_and_charts_with_data_are_shown(demo: CsmRunner, tmp_path: Path) -> None:
    add_risky_account(demo, tmp_path)  # tickets, but no usage figure, no note on the request, nothing confirmed
    markdown = ok(demo("ebr", RISKY)).out
    assert "| Month | Tickets opened |\n| --- | ---: |\n| Mar 2026 | 0 |" in markdown  # 0 tickets is a real zero
    assert "Active users" not in markdown
    page = ok(demo("ebr", RISKY, "--format", "html")).out
    assert "Active users against licensed seats" not in page and "No data for these months" not in page
    assert "Support tickets opened per month" in page
    for header in ("Why it matters", "Confirmed by", "Progress"):
        assert f"<th>{header}</th>" not in page, header
    assert "Audit trail export to S3 stands on" in markdown  # one request: it stands
    green = ok(demo("ebr", "Greenhollow Energy", "--format", "html")).out
    for header in ("Why it matters", "Confirmed by", "Progress"):
        assert f"<th>{header}</th>" in green, header


@pytest.mark.parametrize("share", [True, False], ids=["shared", "private"])
def test_only_shared_interactions_reach_done_and_learned(csm: CsmRunner, share: bool) -> None:
    ok(csm("account", "add", "Acme Corp", "--arr", "50000"))
    flag = "--share" if share else "--private"
    logged = ok(csm("log", "Acme", "--kind", "meeting", "--summary", "Trained 40 admins on the new console", flag))
    assert ("(shared)" in logged.out) is share
    summary = ok(csm("ebr", "Acme", "--format", "json")).json()["executive_summary"]["done_and_learned"]
    assert (summary["text"] == "1 March 2027: Trained 40 admins on the new console.") is share
    assert (summary["text"] == "") is not share


def test_the_shared_column_of_csms_own_interactions_csv(csm: CsmRunner, tmp_path: Path) -> None:
    ok(csm("account", "add", "Acme Corp", "--arr", "50000"))
    rows = tmp_path / "interactions.csv"
    rows.write_text(
        "summary,occurred_on,account,kind,shared\n"
        "Kickoff with the project team,2027-02-01,Acme Corp,meeting,yes\n"
        "Internal: pricing worry,2027-02-02,Acme Corp,note,no\n",
        encoding="utf-8",
    )
    ok(csm("import", "interactions", str(rows)))
    text = ok(csm("ebr", "Acme")).out
    assert "1 February 2027: Kickoff with the project team." in text
    assert "pricing worry" not in text
    exported = tmp_path / "export"
    ok(csm("export", str(exported)))
    lines = (exported / "interactions.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",shared") and lines[1].endswith(",yes") and lines[2].endswith(",no")
