"""Books for the EBR's tests, made the way a CSM makes them (the CLI and csm's own CSV files): a risky account
added to the demo book, a messy book of half-filled records, and the text a customer can see in each format."""

from __future__ import annotations

import re
import zipfile
from html import unescape
from pathlib import Path

from tests.cli.conftest import ok
from tests.conftest import CsmRunner

RISKY = "Contoso Pharma"
PRIVATE_NOTE = "CMO is furious; the AE is thinking of a discount"
COACHING_NEXT = "Call the contact, listen for the root cause, and log what you heard"
HAND_RISK = "Audit export gap blocks GxP validation; CMO won't sign renewal without a fix date"

TICKETS = """ticket_id,created_at,account,subject,status,priority
CT-1,2027-02-10T09:00:00Z,Contoso Pharma,GxP audit trail export incomplete (1),open,high
CT-2,2027-02-12T09:00:00Z,Contoso Pharma,GxP audit trail export incomplete (2),open,high
CT-3,2027-02-15T09:00:00Z,Contoso Pharma,gxp audit trail export incomplete,open,high
CT-4,2027-02-20T09:00:00Z,Contoso Pharma,Validation report export fails,open,urgent
CT-5,2027-01-05T09:00:00Z,Contoso Pharma,Login slow,solved,normal
"""
SURVEYS = """score,responded_on,account,contact_email,survey,survey_type,comment
8,2026-08-10,Contoso Pharma,dana@contoso-pharma.example,nps,relational,Good start
5,2026-11-14,Contoso Pharma,dana@contoso-pharma.example,nps,relational,The audit export blocks us
"""


def add_risky_account(csm: CsmRunner, folder: Path) -> None:
    """Contoso Pharma: a critical hand-logged risk, a detractor NPS, open high and urgent tickets (one theme filed
    three times), a goal behind plan with no baseline, a duplicated request and a private note with coaching."""
    steps = [
        ("account", "add", RISKY, "--arr", "420000", "--renewal", "2027-05-01", "--domain", "contoso-pharma.example",
         "--segment", "enterprise"),
        ("contact", "add", RISKY, "Dana Whit", "--email", "dana@contoso-pharma.example", "--title", "Chief Medical Officer",
         "--role", "exec_sponsor"),
        ("contact", "add", RISKY, "Priya Rao", "--email", "priya@contoso-pharma.example", "--title", "Head of QA",
         "--role", "champion"),
        ("risk", "add", RISKY, "--category", "product", "--severity", "critical", "--evidence", HAND_RISK),
        ("log", RISKY, "--kind", "call", "--summary", PRIVATE_NOTE, "--next", COACHING_NEXT, "--date", "2027-02-25"),
        ("log", RISKY, "--kind", "meeting", "--summary", "Workshop on the audit trail with the QA team", "--share",
         "--next", "Send the audit trail checklist", "--date", "2027-02-18"),
        ("plan", "add", RISKY, "Validated audit trail for every study", "--unit", "studies", "--target", "12",
         "--current", "4", "--status", "at_risk", "--due", "2027-04-30"),
        ("request", "add", RISKY, "Audit trail export to S3"),
    ]  # fmt: skip
    for step in steps:
        ok(csm(*step))
    tickets, surveys = folder / "contoso_tickets.csv", folder / "contoso_surveys.csv"
    tickets.write_text(TICKETS, encoding="utf-8")
    surveys.write_text(SURVEYS, encoding="utf-8")
    ok(csm("import", "tickets", str(tickets), "--source", "csm"))
    ok(csm("import", "surveys", str(surveys), "--source", "csm"))


HOSTILE = 'Evil <script>alert(1)</script> & "Co" | Ltd [x](file:///etc/passwd)'


def build_messy_book(csm: CsmRunner) -> list[str]:
    """A book as a new CSM starts one: accounts without renewal dates, goals without baselines or numbers, no
    tickets, no surveys, no usage, contacts without roles, and a hostile name. Returns the account names."""
    steps = [
        ("account", "add", "Northwind Traders", "--arr", "12500"),
        ("account", "add", HOSTILE, "--arr", "88000", "--renewal", "2027-04-20"),
        ("account", "add", "Blank Slate Ltd"),
        ("contact", "add", "Northwind Traders", "Sam Lee"),
        ("contact", "add", "Evil", "Eve <b>Hacker</b>", "--role", "exec_sponsor", "--title", "CEO & <i>founder</i>"),
        ("plan", "add", "Northwind Traders", "Cut invoice processing time", "--target", "2", "--unit", "days"),
        ("plan", "add", "Northwind Traders", "Go live in all stores", "--status", "planned"),
        ("plan", "add", "Evil", "Goal <script>steal()</script>", "--current", "3", "--status", "achieved"),
        ("request", "add", "Evil", "Feature | with pipe"),
        ("log", "Evil", "--summary", "Private: they may churn", "--next", "Ask the AE about pricing"),
    ]  # fmt: skip
    for step in steps:
        ok(csm(*step))
    return ["Northwind Traders", HOSTILE, "Blank Slate Ltd"]


def html_text(html: str) -> str:
    """What a reader sees of an HTML page: no style sheet, no tags, entities decoded."""
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    html = re.sub(r"<title>.*?</title>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def pptx_text(path: Path) -> str:
    """Every text of a deck a customer can open: slides, speaker notes and charts (titles, series, categories)."""
    found = []
    with zipfile.ZipFile(path) as deck:
        for name in deck.namelist():
            if re.match(r"ppt/(slides|notesSlides|charts)/[^/]+\.xml$", name):
                xml = deck.read(name).decode("utf-8")
                found += [unescape(t) for t in re.findall(r"<(?:a:t|c:v)>([^<]*)</(?:a:t|c:v)>", xml)]
    return "\n".join(found)
