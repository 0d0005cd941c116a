#!/usr/bin/env python3
"""Generate csm's example book: a CSM's book of business in real export formats.

The book belongs to Maya Okafor, a Customer Success Manager at Brightwater
Analytics (a fictional software vendor, internal domain brightwater.example).
Its "today" is Monday 2027-03-01 in America/New_York. See README.md for the
stories the data tells and the files it writes (examples/README.md).

Standalone and deterministic: standard library only, every random choice comes
from random.Random seeded with SEED plus a fixed label, and no date depends on
the wall clock. Running it again rewrites the same files byte for byte:

    python tools/generate_examples.py            # writes into examples/
    python tools/generate_examples.py OUT_DIR    # writes elsewhere (to compare)

Layout: the declarations (people, accounts, contacts, the stories) come first;
the generators for each file follow; main() at the end writes them all.
"""

from __future__ import annotations

import csv
import io
import random
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

# --------------------------------------------------------------------------
# The book's frame
# --------------------------------------------------------------------------

SEED = 20270301
TODAY = date(2027, 3, 1)  # a Monday; the example book's fixed "today"
YEAR_START = date(2026, 3, 1)  # tickets, surveys and usage cover 2026-03-01 .. 2027-02-28
YEAR_END = date(2027, 2, 28)
EXPORTED_AT = datetime(2027, 3, 1, 6, 45)  # when the CSM pulled the exports (local time)

VENDOR = "Brightwater Analytics"
VENDOR_DOMAIN = "brightwater.example"


@dataclass(frozen=True)
class Person:
    name: str
    email: str


CSM = Person("Maya Okafor", "maya.okafor@brightwater.example")  # the book's owner
COLLEAGUE = Person("Daniel Reyes", "daniel.reyes@brightwater.example")  # owns 3 accounts (for --mine)
ACCOUNT_EXEC = Person("Sam Ito", "sam.ito@brightwater.example")
CS_MANAGER = Person("Lena Fischer", "lena.fischer@brightwater.example")
MARKETING = Person("Joanna Price", "joanna.price@brightwater.example")
SUPPORT_AGENTS = ["Alex Moreau", "Bea Nakamura", "Chris Odhiambo", "Dana Kovac", "Eli Sorensen"]

# --------------------------------------------------------------------------
# Accounts: one line each. Stories (which file shows what) are in the comments
# and in the story fields: usage profile, ticket profile, NPS profile, the date
# of the last logged touch and any explicit EBRs.
# --------------------------------------------------------------------------


@dataclass
class Account:
    key: str
    name: str
    domain: str
    website: str
    arr: int
    licences: int
    country: str
    state: str
    contract_start: str
    renewal: str
    stage: str  # Salesforce "Customer Stage"
    first_value: str | None
    owner: Person = CSM
    type: str = "Customer - Direct"
    usage: str = "steady"  # steady | growing | declining | onboarding | high
    tickets: float = 1.0  # tickets per month (generic profile)
    ticket_story: str | None = None  # spike | silent | backlog | new
    nps: str = "normal"  # normal | promoter | fall | detractor | none
    last_touch: str | None = None  # the last logged interaction (None: random inside the cadence)
    ebrs: tuple[str, ...] = ()
    # filled in by the generator
    sf_id: str = ""
    contacts: list[Contact] = field(default_factory=list)

    @property
    def segment(self) -> str:
        return "Enterprise" if self.arr >= 100_000 else "Mid-Market" if self.arr >= 20_000 else "SMB"


# The declarations are tables, one row per line: keep the formatter out of them.
# fmt: off
A = Account
ACCOUNTS: list[Account] = [
    # ---- enterprise (ARR >= $100k) ---------------------------------------------------------------
    # SPIKE: 14 tickets 2027-02-02..02-27 vs 5 in 2027-01-05..01-30, an urgent one open; meeting today (moved check-in)
    A("halvorsen", "Halvorsen Freight", "halvorsenfreight.example", "https://www.halvorsenfreight.example",
      240_000, 400, "Norway", "", "2025-10-01", "2027-09-30", "Adoption", "2024-11-20",
      usage="high", tickets=4.5, ticket_story="spike", last_touch="2027-02-22", ebrs=("2026-10-07", "2027-01-13")),
    # RENEWAL AT EXACTLY 120 DAYS (2027-06-29); touch overdue (last 2027-02-08); quarterly EBR overdue (last 2026-10-20);
    # a success-plan goal past due (2027-02-12)
    A("kestrel", "Kestrel Aerospace Components", "kestrelaero.example", "www.kestrelaero.example",
      310_000, 520, "United States", "WA", "2026-06-29", "2027-06-29", "Renewal", "2024-09-02",
      tickets=4.0, last_touch="2027-02-08", ebrs=("2026-07-15", "2026-10-20")),
    # CHAMPION LEFT: Priya Nandakumar left 2027-02-12 (contacts_updates.csv), Tomás Ruiz-Delgado is the new champion
    A("ferncliff", "Ferncliff Health Partners", "ferncliffhealth.example", "https://ferncliffhealth.example",
      185_000, 300, "United States", "MA", "2026-11-15", "2027-11-15", "Adoption", "2025-01-10",
      tickets=3.5, last_touch="2027-02-23", ebrs=("2026-10-28", "2027-01-27")),
    # ADVOCATE: promoters, growing usage, goals achieved and confirmed by the exec sponsor; upsell in the pipeline
    A("greenhollow", "Greenhollow Energy", "greenhollow.example", "https://www.greenhollow.example",
      420_000, 650, "United States", "CO", "2024-12-31", "2027-12-31", "Expansion", "2025-02-14",
      usage="growing", tickets=3.0, nps="promoter", last_touch="2027-02-24", ebrs=("2026-10-14", "2027-01-20")),
    # BACKLOG: 7 open tickets at once, the oldest waiting since 2027-01-28; no executive sponsor
    A("cobaltline", "Cobaltline Logistics", "cobaltline.example", "www.cobaltline.example",
      150_000, 260, "United States", "IL", "2026-08-15", "2027-08-15", "Adoption", "2025-10-01",
      tickets=4.5, ticket_story="backlog", nps="detractor", last_touch="2027-02-26", ebrs=("2026-09-30", "2027-01-06")),
    # ADVOCATE (proven value); renewal in 80 days; quarterly EBR due 2027-03-10 (inside the 2-week prep window)
    A("ardent", "Ardent Biosystems", "ardentbio.example", "https://www.ardentbio.example",
      128_000, 180, "United States", "CA", "2026-05-20", "2027-05-20", "Renewal", "2025-07-08",
      usage="growing", tickets=2.5, nps="promoter", last_touch="2027-02-24", ebrs=("2026-09-09", "2026-12-10")),
    # owned by the colleague
    A("solvang", "Solvang Maritime", "solvangmaritime.example", "www.solvangmaritime.example",
      205_000, 340, "Denmark", "", "2026-10-01", "2027-10-01", "Adoption", "2025-12-03",
      owner=COLLEAGUE, tickets=3.0, last_touch="2027-02-25", ebrs=("2026-10-13", "2027-01-12")),
    # ---- mid-market ($20k .. $100k) --------------------------------------------------------------
    # RENEWAL AT 119 DAYS (2027-06-28); touch overdue (last 2027-01-12); today's 15:30 meeting matches by domain only
    A("tidewater", "Tidewater Credit Union", "tidewatercu.example", "https://www.tidewatercu.example",
      64_000, 120, "United States", "VA", "2026-06-28", "2027-06-28", "Renewal", "2025-08-19",
      tickets=1.5, last_touch="2027-01-12"),
    # RENEWAL AT 60 DAYS (2027-04-30); SINGLE-THREADED (one contact); renewal call today at 13:00
    A("ostrava", "Ostrava Tooling", "ostravatooling.example", "ostravatooling.example",
      42_000, 60, "Czech Republic", "", "2026-04-30", "2027-04-30", "Renewal", "2025-06-02",
      tickets=1.0, last_touch="2027-02-18"),
    # NPS FELL: 9 (2026-05) and 9 (2026-08), latest 4 (2027-02) with a comment; usage declining
    A("marlowe", "Marlowe & Finch Legal", "marlowefinch.example", "https://www.marlowefinch.example",
      38_000, 50, "United Kingdom", "", "2026-07-31", "2027-07-31", "Adoption", "2025-09-22",
      usage="declining", tickets=1.5, nps="fall", last_touch="2027-02-15"),
    # SILENT: no ticket since 2026-10-22 (130 days); usage declining; touch overdue (last 2026-12-02)
    A("quillmark", "Quillmark Publishing", "quillmark.example", "www.quillmark.example",
      29_000, 45, "United States", "NY", "2026-09-15", "2027-09-15", "Adoption", "2024-11-05",
      usage="declining", tickets=2.0, ticket_story="silent", nps="none", last_touch="2026-12-02"),
    # ONBOARDING STALLED: signed 2027-01-15 (45 days ago), no first value, 2 of 60 seats active
    A("saltmarsh", "Saltmarsh Robotics", "saltmarshrobotics.example", "https://www.saltmarshrobotics.example",
      55_000, 60, "United States", "MA", "2027-01-15", "2028-01-15", "Onboarding", None,
      usage="onboarding", tickets=0, ticket_story="new", nps="none", last_touch="2027-02-17"),
    # ADVOCATE: promoters, growing usage, two goals achieved and confirmed; cross-sell in the pipeline
    A("lindqvist", "Lindqvist Bakeries", "lindqvistbakeries.example", "https://www.lindqvistbakeries.example",
      47_000, 70, "Sweden", "", "2026-10-31", "2027-10-31", "Expansion", "2025-03-03",
      usage="growing", tickets=1.0, nps="promoter", last_touch="2027-02-19", ebrs=("2026-11-18",)),
    A("brambleway", "Brambleway Insurance Brokers", "brambleway.example", "www.brambleway.example",
      81_000, 140, "United Kingdom", "", "2026-08-31", "2027-08-31", "Adoption", "2025-05-12",
      tickets=2.0, last_touch="2027-02-10", ebrs=("2026-10-06",)),
    # owned by the colleague
    A("corvid", "Corvid Security Labs", "corvidsec.example", "https://corvidsec.example",
      72_000, 110, "United States", "TX", "2026-12-01", "2027-12-01", "Adoption", "2025-02-20",
      owner=COLLEAGUE, tickets=2.0, last_touch="2027-02-16"),
    # touch overdue (last 2027-01-22)
    A("pellucid", "Pellucid Imaging", "pellucidimaging.example", "www.pellucidimaging.example",
      33_500, 50, "Canada", "ON", "2026-03-31", "2027-03-31", "Renewal", "2025-05-06",
      tickets=1.0, last_touch="2027-01-22"),
    A("haverford", "Haverford Property Group", "haverfordpg.example", "https://www.haverfordpg.example",
      58_000, 95, "United States", "PA", "2026-11-30", "2027-11-30", "Adoption", "2025-01-27",
      tickets=1.5, ebrs=("2026-09-15",)),
    A("juniper", "Juniper & Vale Architects", "junipervale.example", "www.junipervale.example",
      24_000, 35, "Ireland", "", "2026-09-30", "2027-09-30", "Adoption", "2025-11-10",
      tickets=0.8),
    A("riverbend", "Riverbend School District", "riverbendsd.example", "https://www.riverbendsd.example",
      36_000, 400, "United States", "OH", "2026-07-01", "2027-07-01", "Adoption", "2025-09-29",
      tickets=1.2),
    A("tessellate", "Tessellate Design Co", "tessellatedesign.example", "tessellatedesign.example",
      26_500, 30, "United States", "OR", "2026-12-15", "2027-12-15", "Adoption", "2026-02-02",
      usage="growing", tickets=0.8),
    A("mirefield", "Mirefield Water Authority", "mirefieldwater.example", "https://www.mirefieldwater.example",
      90_000, 150, "United Kingdom", "", "2026-06-01", "2027-06-01", "Adoption", "2025-08-04",
      tickets=2.0, ebrs=("2026-12-08",)),
    # ---- SMB (< $20k) --------------------------------------------------------------------------------
    # RENEWAL OVERDUE: renewal date 2027-02-15 passed, renewal opportunity still open
    A("pinecrest", "Pinecrest Dental Group", "pinecrestdental.example", "www.pinecrestdental.example",
      12_000, 20, "United States", "NC", "2026-02-15", "2027-02-15", "Renewal", "2025-04-01",
      tickets=0.6, last_touch="2027-01-25"),
    A("copperleaf", "Copperleaf Coffee Roasters", "copperleafcoffee.example", "https://copperleafcoffee.example",
      6_000, 8, "United States", "WA", "2026-03-31", "2027-03-31", "Renewal", "2025-05-20", tickets=0.3),
    A("wrenfield", "Wrenfield Veterinary", "wrenfieldvet.example", "www.wrenfieldvet.example",
      9_600, 15, "Canada", "BC", "2026-05-10", "2027-05-10", "Renewal", "2025-06-30", tickets=0.4),
    A("bluestem", "Bluestem Accounting", "bluestemcpa.example", "https://www.bluestemcpa.example",
      14_400, 22, "United States", "KS", "2026-10-01", "2027-10-01", "Adoption", "2025-11-17", tickets=0.5),
    A("harborlight", "Harborlight Yoga Studios", "harborlightyoga.example", "harborlightyoga.example",
      4_800, 6, "United States", "ME", "2026-08-01", "2027-08-01", "Adoption", "2025-09-15", tickets=0.2),
    A("oakhaven", "Oakhaven Realty", "oakhavenrealty.example", "www.oakhavenrealty.example",
      8_400, 12, "United States", "GA", "2026-11-01", "2027-11-01", "Adoption", "2025-12-01", tickets=0.3),
    A("fjordline", "Fjordline Travel", "fjordlinetravel.example", "https://www.fjordlinetravel.example",
      11_000, 18, "Norway", "", "2026-09-01", "2027-09-01", "Adoption", "2025-10-20", tickets=0.4,
      type="Customer - Channel"),
    # small ADVOCATE: promoter, growing usage, goal achieved and confirmed
    A("glimmerglass", "Glimmerglass Optics", "glimmerglassoptics.example", "www.glimmerglassoptics.example",
      16_800, 25, "United States", "NY", "2026-12-01", "2027-12-01", "Expansion", "2025-02-10",
      usage="growing", tickets=0.5, nps="promoter"),
    A("thistledown", "Thistledown Florals", "thistledownflorals.example", "thistledownflorals.example",
      3_600, 5, "United Kingdom", "", "2026-06-15", "2027-06-15", "Adoption", "2025-08-01", tickets=0.2),
    # owned by the colleague
    A("kettleby", "Kettleby Brewing Co", "kettlebybrewing.example", "https://www.kettlebybrewing.example",
      7_200, 10, "United States", "VT", "2026-04-15", "2027-04-15", "Renewal", "2025-06-09",
      owner=COLLEAGUE, tickets=0.3, type="Customer - Channel"),
    A("sandpiper", "Sandpiper Swim School", "sandpiperswim.example", "sandpiperswim.example",
      5_400, 8, "Australia", "NSW", "2026-07-20", "2027-07-20", "Adoption", "2025-08-25", tickets=0.2),
    A("ironbark", "Ironbark Fitness", "ironbarkfitness.example", "https://www.ironbarkfitness.example",
      13_200, 20, "Australia", "VIC", "2026-10-10", "2027-10-10", "Adoption", "2025-11-03", tickets=0.5),
    A("larkspur", "Larkspur Pediatrics", "larkspurpeds.example", "www.larkspurpeds.example",
      18_000, 28, "United States", "MN", "2026-12-20", "2027-12-20", "Adoption", "2026-01-26", tickets=0.6),
    # touch overdue (last 2026-11-20)
    A("moonrise", "Moonrise Bookkeeping", "moonrisebooks.example", "moonrisebooks.example",
      4_200, 5, "United States", "AZ", "2026-09-20", "2027-09-20", "Adoption", "2025-10-27",
      tickets=0.2, last_touch="2026-11-20"),
    A("quarrylane", "Quarry Lane Cycles", "quarrylanecycles.example", "https://quarrylanecycles.example",
      6_600, 9, "United Kingdom", "", "2026-05-31", "2027-05-31", "Adoption", "2025-07-14", tickets=0.3),
    A("velvetine", "Velvetine Salons", "velvetinesalons.example", "www.velvetinesalons.example",
      9_000, 14, "United States", "FL", "2027-01-31", "2028-01-31", "Adoption", "2025-03-24", tickets=0.4),
    A("driftwood", "Driftwood Dental Lab", "driftwooddentallab.example", "https://www.driftwooddentallab.example",
      15_600, 24, "United States", "CA", "2026-08-20", "2027-08-20", "Adoption", "2025-10-06", tickets=0.5),
    A("northgale", "Northgale Tutors", "northgaletutors.example", "northgaletutors.example",
      7_800, 12, "Canada", "NS", "2026-10-25", "2027-10-25", "Adoption", "2025-12-15", tickets=0.3),
    A("saffron", "Saffron Street Kitchens", "saffronstreet.example", "www.saffronstreet.example",
      10_800, 16, "United States", "IL", "2026-11-15", "2027-11-15", "Adoption", "2026-01-05", tickets=0.4),
    # touch overdue (last 2026-10-28)
    A("emberwick", "Emberwick Candles", "emberwickcandles.example", "emberwickcandles.example",
      3_000, 4, "United States", "VT", "2026-06-30", "2027-06-30", "Adoption", "2025-08-11",
      tickets=0.2, last_touch="2026-10-28"),
    A("tallgrass", "Tallgrass Landscaping", "tallgrasslandscaping.example", "www.tallgrasslandscaping.example",
      8_800, 12, "United States", "NE", "2026-04-20", "2027-04-20", "Renewal", "2025-06-16", tickets=0.3),
]
BY_KEY = {a.key: a for a in ACCOUNTS}
# fmt: on


# --------------------------------------------------------------------------
# Contacts. Story accounts are spelled out; the others are drawn from the name
# pools below (same seed, same people). Roles are the HubSpot "Buying Role"
# values; influence is High / Medium / Low; reports_to names another contact
# of the same account by its key (first name, lower case).
# --------------------------------------------------------------------------


@dataclass
class Contact:
    first: str
    last: str
    title: str
    role: str
    influence: str
    reports_to: str | None = None  # the first name (lower case) of another contact at the same account
    email: str = ""
    phone: str = ""
    record_id: int = 0
    account: Account | None = None

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def key(self) -> str:
        return ascii_fold(self.first).lower()


C = Contact
EXPLICIT_CONTACTS: dict[str, list[Contact]] = {
    "halvorsen": [
        C("Ingrid", "Solberg", "Chief Operating Officer", "Executive Sponsor", "High"),
        C("Magnus", "Eriksen", "Director of Logistics Systems", "Champion", "High", "ingrid"),
        C("Sofie", "Lund", "IT Integration Lead", "Admin", "Medium", "magnus"),
        C("Henrik", "Aas", "Dispatch Supervisor", "End User", "Low", "magnus"),
    ],
    "kestrel": [
        C("Gregory", "Pham", "Chief Financial Officer", "Executive Sponsor", "High"),
        C("Dana", "Whitfield", "Director of Supply Chain", "Champion", "High", "gregory"),
        C("Luis", "Moreno", "Procurement Systems Administrator", "Admin", "Medium", "dana"),
    ],
    "ferncliff": [
        C("Alan", "Brooks", "Chief Operating Officer", "Executive Sponsor", "High"),
        C("Priya", "Nandakumar", "Director of Clinical Operations", "Champion", "High", "alan"),
        C("Keisha", "Morgan", "Clinical Systems Analyst", "Admin", "Medium", "priya"),
    ],
    "greenhollow": [
        C("Rebecca", "Thornton", "SVP Operations", "Executive Sponsor", "High"),
        C("Marcus", "Bell", "Head of Asset Analytics", "Champion", "High", "rebecca"),
        C("Yuki", "Tanaka", "Data Platform Manager", "Admin", "Medium", "marcus"),
        C("Owen", "Price", "Field Operations Manager", "End User", "Low", "marcus"),
    ],
    "cobaltline": [  # no executive sponsor
        C("Victor", "Osei", "Director of IT", "Decision Maker", "High"),
        C("Hannah", "Kowalski", "Operations Manager", "Champion", "Medium", "victor"),
        C("Raj", "Patel", "Systems Administrator", "Admin", "Medium", "victor"),
    ],
    "ardent": [
        C("Elena", "Vasquez", "VP R&D Operations", "Executive Sponsor", "High"),
        C("Nathan", "Cole", "Director of Lab Informatics", "Champion", "High", "elena"),
        C("Mei", "Lin", "LIMS Administrator", "Admin", "Medium", "nathan"),
    ],
    "solvang": [
        C("Lars", "Christensen", "Chief Executive Officer", "Executive Sponsor", "High"),
        C("Freja", "Holm", "Head of Fleet Operations", "Champion", "High", "lars"),
        C("Anders", "Møller", "IT Manager", "Admin", "Medium", "freja"),
    ],
    "tidewater": [
        C("Patricia", "Gomez", "VP Member Services", "Decision Maker", "High"),
        C("Brian", "Walsh", "Digital Services Manager", "Champion", "Medium", "patricia"),
    ],
    "ostrava": [  # single-threaded
        C("Jana", "Dvořáková", "Operations Director", "Champion", "High"),
    ],
    "marlowe": [
        C("Oliver", "Marlowe", "Managing Partner", "Executive Sponsor", "High"),
        C("Charlotte", "Reid", "Practice Manager", "Champion", "Medium", "oliver"),
    ],
    "quillmark": [
        C("Simon", "Achebe", "Head of Production", "Champion", "Medium"),
        C("Laura", "Kim", "Editorial Operations Coordinator", "End User", "Low", "simon"),
    ],
    "saltmarsh": [
        C("Dev", "Malhotra", "VP Engineering", "Executive Sponsor", "High"),
        C("Aisha", "Bello", "Engineering Program Manager", "Champion", "Medium", "dev"),
    ],
    "lindqvist": [
        C("Karin", "Lindqvist", "Chief Executive Officer", "Executive Sponsor", "High"),
        C("Erik", "Sandberg", "Head of Supply Planning", "Champion", "High", "karin"),
        C("Nora", "Berg", "Production Planner", "Admin", "Low", "erik"),
    ],
    "glimmerglass": [
        C("Isabel", "Ferreira", "Owner", "Champion", "High"),
        C("Tom", "Hadley", "Store Manager", "Admin", "Medium", "isabel"),
    ],
    "pinecrest": [  # single-threaded
        C("Grace", "Adeyemi", "Practice Administrator", "Decision Maker", "High"),
    ],
}

# Generic contacts: how many per account (the first one is the main contact).
CONTACT_COUNTS = {"Enterprise": (3, 4), "Mid-Market": (2, 3), "SMB": (1, 2)}
SINGLE_THREADED = {"ostrava", "pinecrest", "harborlight", "thistledown", "moonrise", "emberwick", "sandpiper"}
FIRST_NAMES = [
    "Amara",
    "Ben",
    "Camila",
    "Darius",
    "Elif",
    "Felix",
    "Gemma",
    "Hiro",
    "Ines",
    "Jonah",
    "Kavya",
    "Liam",
    "Maren",
    "Niko",
    "Olga",
    "Pedro",
    "Quinn",
    "Rosa",
    "Stefan",
    "Tara",
    "Uma",
    "Viktor",
    "Wen",
    "Xavier",
    "Yara",
    "Zane",
    "Aoife",
    "Bruno",
    "Chiara",
    "Diego",
    "Esther",
    "Farid",
    "Greta",
    "Hamza",
    "Ivy",
    "Jasper",
    "Kenji",
    "Leila",
    "Mateo",
    "Nadia",
    "Omar",
    "Paula",
    "Ruth",
    "Sven",
    "Talia",
    "Ulrich",
    "Vera",
    "Will",
]
LAST_NAMES = [
    "Abara",
    "Bergstrom",
    "Castillo",
    "Dubois",
    "Engel",
    "Fitzgerald",
    "Garcia",
    "Hosseini",
    "Ibsen",
    "Jensen",
    "Kaur",
    "Laine",
    "Mbeki",
    "Novak",
    "O'Connor",
    "Petrov",
    "Quintero",
    "Rahman",
    "Schmidt",
    "Takahashi",
    "Umarov",
    "Varga",
    "Whitaker",
    "Xu",
    "Yilmaz",
    "Zielinski",
    "Andersen",
    "Brennan",
    "Costa",
    "Delgado",
    "Eklund",
    "Fontaine",
    "Gallagher",
    "Haddad",
    "Iyer",
    "Jovanovic",
    "Keller",
    "Lindgren",
    "Mensah",
    "Nguyen",
]
ROLE_TEMPLATES = {
    "Enterprise": [
        ("Executive Sponsor", "High", ["VP Operations", "Chief Digital Officer", "SVP Finance"]),
        ("Champion", "High", ["Director of Operations", "Head of Business Systems"]),
        ("Admin", "Medium", ["Systems Administrator", "Platform Owner"]),
        ("End User", "Low", ["Operations Analyst", "Team Lead"]),
    ],
    "Mid-Market": [
        ("Champion", "High", ["Operations Manager", "Head of Operations", "Director of Finance"]),
        ("Decision Maker", "High", ["Chief Operating Officer", "Managing Director", "CFO"]),
        ("Admin", "Medium", ["IT Manager", "Office Manager", "Business Systems Analyst"]),
    ],
    "SMB": [
        ("Champion", "High", ["Owner", "General Manager", "Practice Manager", "Office Manager"]),
        ("End User", "Low", ["Bookkeeper", "Front Desk Lead", "Assistant Manager"]),
    ],
}

# The stakeholder changes the CSM recorded (contacts_updates.csv, native format).
CHAMPION_LEFT = ("ferncliff", "priya", "2027-02-12")
NEW_CHAMPION = C("Tomás", "Ruiz-Delgado", "Senior Manager, Clinical Operations", "Champion", "High", "alan")

COUNTRY_PHONE = {
    "United States": "+1",
    "Canada": "+1",
    "United Kingdom": "+44",
    "Norway": "+47",
    "Sweden": "+46",
    "Denmark": "+45",
    "Czech Republic": "+420",
    "Ireland": "+353",
    "Australia": "+61",
}

# --------------------------------------------------------------------------
# Success plans (plans.csv): explicit goals. Proven value = achieved and confirmed.
# Columns: account key, goal, value_type, metric, unit, baseline, target, current, due, status, confirmed_by, evidence
# --------------------------------------------------------------------------

# fmt: off
GOALS = [
    ("greenhollow", "Cut turbine inspection reporting time", "save_time", "hours per monthly inspection report", "hours",
     40, 10, 8, "2026-12-31", "achieved", "Rebecca Thornton (SVP Operations)",
     "January 2027 operations review: 8 h per report, down from 40 h; slide signed off by Rebecca"),
    ("greenhollow", "Reduce unplanned downtime with predictive alerts", "save_money", "unplanned downtime per quarter",
     "hours", 320, 200, 235, "2027-06-30", "on_track", "", "Q4 2026: 235 h (Q3: 268 h)"),
    ("lindqvist", "Reduce waste from overproduction", "save_money", "waste as share of output", "%",
     9.5, 6.0, 5.8, "2026-12-31", "achieved", "Karin Lindqvist (CEO)",
     "Q4 2026 waste report: 5.8% (from 9.5%), about SEK 1.9M saved a year; quoted in the EBR minutes"),
    ("lindqvist", "Plan all bakeries in one tool", "save_time", "bakeries planned in Brightwater", "bakeries",
     3, 14, 14, "2026-09-30", "achieved", "Erik Sandberg (Head of Supply Planning)", "All 14 bakeries live since 2026-09-21"),
    ("ardent", "Automate weekly QC reporting", "save_time", "analyst hours per week on QC reports", "hours",
     12, 2, 1.5, "2026-10-31", "achieved", "Elena Vasquez (VP R&D Operations)", "E-mail from Elena 2026-11-09 confirming 1.5 h/week"),
    ("ardent", "Shorten sample-to-result turnaround", "save_time", "median turnaround", "days",
     6, 4, 4.2, "2027-03-12", "on_track", "", "February median 4.2 days (LIMS export)"),
    ("kestrel", "Cut supplier onboarding time", "save_time", "days to onboard a new supplier", "days",
     45, 20, 31, "2027-02-12", "at_risk", "", "Stalled at 31 days: ERP connector not rolled out to the Everett plant"),
    ("kestrel", "Lower cost of supplier quality escapes", "save_money", "cost of quality escapes per year", "USD",
     1_200_000, 800_000, 1_050_000, "2027-06-30", "on_track", "", "Trailing 12 months per Dana's Q4 report"),
    ("halvorsen", "Real-time shipment visibility for every depot", "save_time", "depots live on real-time tracking",
     "depots", 0, 12, 9, "2027-03-12", "at_risk", "", "Rollout paused while the EDI feed failures are fixed"),
    ("ferncliff", "Reduce patient appointment no-shows", "make_money", "no-show rate", "%",
     14, 9, 11, "2027-09-30", "on_track", "", "Reminder workflows live in 3 of 5 clinics"),
    ("cobaltline", "Lower cost per tracked shipment", "save_money", "cost per tracked shipment", "USD",
     1.80, 1.20, 1.55, "2027-05-31", "at_risk", "", "Savings eaten by manual rework while tickets are open"),
    ("tidewater", "Faster online member onboarding", "save_time", "minutes to open an account online", "minutes",
     25, 8, 12, "2027-06-01", "on_track", "", "Pilot branch average 12 min"),
    ("ostrava", "Cut tool changeover downtime", "save_money", "changeover downtime per week", "hours",
     30, 18, 19, "2027-03-08", "on_track", "", "Last 4 weeks average 19 h"),
    ("marlowe", "Capture more billable time", "make_money", "billable hours captured per lawyer per month", "hours",
     110, 125, 108, "2027-06-30", "at_risk", "", "Down from 118 in the autumn: fewer lawyers logging time daily"),
    ("saltmarsh", "First production dashboard live", "save_time", "engineering teams using dashboards", "teams",
     0, 4, 0, "2027-03-10", "at_risk", "", "Kickoff done 2027-01-19; data connection not configured yet"),
    ("brambleway", "Quote renewals within one day", "save_time", "days to quote a renewal", "days",
     5, 1, 1, "2026-11-30", "achieved", "", "Internal report; not yet reviewed with the customer"),
    ("mirefield", "Faster leak response", "save_money", "hours from leak alert to crew dispatch", "hours",
     18, 6, 7, "2027-04-30", "on_track", "", "January average 7 h"),
    ("haverford", "Cut the maintenance backlog", "save_time", "open work orders", "work orders",
     420, 150, 160, "2027-03-31", "on_track", "", "160 open on 2027-02-26"),
    ("solvang", "Automate fuel consumption reporting", "save_time", "hours per monthly fuel report", "hours",
     16, 2, 2, "2026-12-15", "achieved", "Freja Holm (Head of Fleet Operations)", "Confirmed in the January EBR"),
    ("glimmerglass", "Grow repeat orders", "make_money", "repeat orders per month", "orders",
     40, 60, 63, "2026-12-31", "achieved", "Isabel Ferreira (Owner)", "Isabel's note after the December review: 63 repeat orders"),
    ("juniper", "Project hours visible to every partner", "save_time", "partners using the hours dashboard weekly",
     "partners", 1, 6, 2, "2027-05-31", "planned", "", ""),
]
# fmt: on

# --------------------------------------------------------------------------
# Feature requests (requests.csv): feature -> [(account key, requested on, note)]
# --------------------------------------------------------------------------

REQUESTS = {
    "SSO with Okta SCIM": [
        ("kestrel", "2026-09-14", "Security review requires SCIM deprovisioning before the renewal"),
        ("ferncliff", "2026-10-02", "HIPAA audit finding: manual user removal"),
        ("cobaltline", "2026-11-19", "420 warehouse users; joiners/leavers handled by hand"),
        ("saltmarsh", "2027-01-20", "Asked at kickoff; blocks the rollout to all engineers"),
        ("tidewater", "2027-01-12", "Examiner asked for automated access reviews"),
        ("brambleway", "2027-02-03", "Okta is their standard since January"),
    ],
    "Salesforce two-way sync": [
        ("halvorsen", "2026-08-20", "Shipment status back into Salesforce cases"),
        ("marlowe", "2026-11-04", "Matter data lives in Salesforce; double entry today"),
        ("haverford", "2026-12-09", "Leases in Salesforce, work orders in Brightwater"),
        ("lindqvist", "2027-02-02", "Wholesale orders from Salesforce into planning"),
    ],
    "Custom report builder": [
        ("greenhollow", "2026-06-11", "Board pack needs custom layouts"),
        ("ardent", "2026-07-22", "Regulatory reports in their own template"),
        ("quillmark", "2026-09-03", "Per-title cost reports; exporting to Excel meanwhile"),
        ("mirefield", "2026-10-27", "Regulator (Ofwat) quarterly return"),
        ("bluestem", "2026-12-01", "Client-ready reports without spreadsheets"),
    ],
    "Audit log export to S3": [
        ("ferncliff", "2026-12-14", "Retention of 6 years for compliance"),
        ("mirefield", "2027-01-18", "SIEM ingestion"),
        ("corvid", "2027-02-09", "Their own SOC wants the raw events"),
    ],
    "Offline mode for the mobile app": [("halvorsen", "2026-11-25", "Drivers lose signal in the fjords")],
    "Czech language UI": [("ostrava", "2026-10-14", "Shop-floor staff do not read English")],
    "Scheduled PDF exports": [("pinecrest", "2026-09-08", "Weekly chair utilisation to the partners")],
    "Multi-currency dashboards": [("solvang", "2026-12-02", "DKK, EUR and USD side by side")],
    "Dark mode": [("tessellate", "2027-01-26", "Designers work late; nice to have")],
    "Bulk user import from CSV": [("riverbend", "2026-08-24", "400 teachers every August")],
}

# --------------------------------------------------------------------------
# Opportunities (opportunities_salesforce.csv): (account key, name suffix, type, stage, amount, close date, forecast)
# Renewals of the current term are derived from the accounts; these are the extras.
# --------------------------------------------------------------------------

EXTRA_OPPORTUNITIES = [
    ("greenhollow", "Upsell - 150 field seats", "Upsell", "Proposal/Price Quote", 84_000, "2027-04-15", "Best Case"),
    ("greenhollow", "Upsell - 150 seats (2026)", "Upsell", "Closed Won", 96_000, "2026-11-30", "Closed"),
    ("lindqvist", "Cross-sell - Demand Forecasting", "Cross-sell", "Needs Analysis", 18_000, "2027-05-31", "Pipeline"),
    ("ardent", "Upsell - second lab site", "Upsell", "Value Proposition", 32_000, "2027-05-20", "Pipeline"),
    ("halvorsen", "Cross-sell - Driver App", "Cross-sell", "Closed Lost", 45_000, "2026-12-18", "Omitted"),
    ("saltmarsh", "New Business", "New Business", "Closed Won", 55_000, "2027-01-12", "Closed"),
    ("glimmerglass", "Upsell - 10 seats", "Upsell", "Qualification", 4_800, "2027-04-30", "Pipeline"),
    ("mirefield", "Cross-sell - Field Crew Scheduling", "Cross-sell", "Prospecting", 27_000, "2027-08-31", "Pipeline"),
    ("corvid", "Upsell - SOC team seats", "Upsell", "Negotiation/Review", 14_000, "2027-03-31", "Commit"),
]

# ARR history: the renewal before the current term, closed won at the current ARR divided by this uplift (a
# renewal up, flat or down: 0.9 means the current term renewed 10% lower). With the current term's renewal (closed
# won at the ARR the account has now) they give metrics something real: 2026's renewals up and down, an expansion.
PRIOR_TERM_UPLIFT = {
    "kestrel": 1.06, "ardent": 1.04, "cobaltline": 1.05, "tidewater": 1.03, "mirefield": 1.0, "brambleway": 1.05,
    "ferncliff": 1.04, "emberwick": 0.9, "haverford": 0.92, "lindqvist": 1.05, "riverbend": 1.0,
    "velvetine": 1.05, "quillmark": 1.04, "marlowe": 1.0, "bluestem": 1.03, "ostrava": 1.05,
}  # fmt: skip

# Renewal opportunities: stage and forecast for each account renewing within ~7 months (else default).
RENEWAL_STAGES = {
    "pinecrest": ("Negotiation/Review", "Commit"),  # overdue: renewal date passed, not closed
    "copperleaf": ("Proposal/Price Quote", "Commit"),
    "pellucid": ("Negotiation/Review", "Commit"),
    "kettleby": ("Proposal/Price Quote", "Best Case"),
    "tallgrass": ("Qualification", "Pipeline"),
    "ostrava": ("Proposal/Price Quote", "Best Case"),
    "wrenfield": ("Qualification", "Pipeline"),
    "ardent": ("Value Proposition", "Best Case"),
    "quarrylane": ("Qualification", "Pipeline"),
    "mirefield": ("Needs Analysis", "Pipeline"),
    "thistledown": ("Prospecting", "Pipeline"),
    "tidewater": ("Prospecting", "Pipeline"),
    "kestrel": ("Prospecting", "Pipeline"),
    "emberwick": ("Prospecting", "Pipeline"),
    "riverbend": ("Prospecting", "Pipeline"),
}

# ==========================================================================
# Generation below
# ==========================================================================


def rng(label: str) -> random.Random:
    """A generator of its own for each purpose, so that editing one story leaves the others unchanged."""
    return random.Random(f"{SEED}:{label}")


def d(text: str) -> date:
    return date.fromisoformat(text)


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def email_for(first: str, last: str, domain: str) -> str:
    local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    return f"{ascii_fold(local)}@{domain}"


def money(amount: float) -> str:
    return f"${amount:,.2f}"


def us_date(day: date | str) -> str:
    day = d(day) if isinstance(day, str) else day
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def ny_offset(moment: datetime) -> str:
    """UTC offset of America/New_York at a local time (US rule: 2nd Sunday of March .. 1st Sunday of November)."""
    year = moment.year
    march = date(year, 3, 8) + timedelta(days=(6 - date(year, 3, 8).weekday()) % 7)
    november = date(year, 11, 1) + timedelta(days=(6 - date(year, 11, 1).weekday()) % 7)
    dst = datetime(year, march.month, march.day, 2) <= moment < datetime(year, november.month, november.day, 2)
    return "-0400" if dst else "-0500"


def zendesk_time(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment:%Y-%m-%d %H:%M:%S} {ny_offset(moment)}"


def days(start: date, end: date):
    for n in range((end - start).days + 1):
        yield start + timedelta(days=n)


# ---- Salesforce ids ---------------------------------------------------------------------------------

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def sf_id18(id15: str) -> str:
    """Salesforce's 18-character id: the 15-character id plus its case-checksum suffix."""
    suffix = ""
    for chunk in (id15[0:5], id15[5:10], id15[10:15]):
        bits = sum(1 << i for i, ch in enumerate(chunk) if "A" <= ch <= "Z")
        suffix += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[bits]
    return id15 + suffix


def sf_ids(prefix: str, count: int, label: str) -> list[str]:
    r = rng(label)
    seen: set[str] = set()
    out = []
    while len(out) < count:
        id15 = prefix + "Dn0000" + "".join(r.choice(BASE62) for _ in range(6))
        if id15 not in seen:
            seen.add(id15)
            out.append(sf_id18(id15))
    return out


# ---- people ----------------------------------------------------------------------------------------


def phone_for(account: Account, r: random.Random) -> str:
    code = COUNTRY_PHONE[account.country]
    if code == "+1":
        return f"+1 ({r.randint(201, 989)}) 555-01{r.randint(0, 99):02d}"
    return f"{code} 555 {r.randint(100, 999)} {r.randint(100, 999)}"


def build_people() -> None:
    for account, sf_id in zip(ACCOUNTS, sf_ids("001", len(ACCOUNTS), "account-ids"), strict=True):
        account.sf_id = sf_id
    used_names: set[str] = set()
    record_ids = rng("hubspot-record-ids")
    next_record = 51_200_000_000
    for account in ACCOUNTS:
        r = rng(f"contacts:{account.key}")
        if account.key in EXPLICIT_CONTACTS:
            contacts = EXPLICIT_CONTACTS[account.key]
        else:
            low, high = CONTACT_COUNTS[account.segment]
            count = 1 if account.key in SINGLE_THREADED else r.randint(low, high)
            templates = ROLE_TEMPLATES[account.segment][:count]
            contacts = []
            for role, influence, titles in templates:
                while True:
                    first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
                    if f"{first} {last}" not in used_names and all(c.first != first for c in contacts):
                        break
                reports_to = contacts[0].key if contacts else None
                contacts.append(C(first, last, r.choice(titles), role, influence, reports_to))
        for contact in contacts:
            used_names.add(contact.name)
            contact.account = account
            contact.email = email_for(contact.first, contact.last, account.domain)
            contact.phone = phone_for(account, r)
            next_record += record_ids.randint(1_000, 90_000)
            contact.record_id = next_record
        account.contacts = contacts
    NEW_CHAMPION.account = BY_KEY["ferncliff"]
    NEW_CHAMPION.email = email_for(NEW_CHAMPION.first, NEW_CHAMPION.last, NEW_CHAMPION.account.domain)
    NEW_CHAMPION.phone = "+1 (617) 555-0188"


def contact(account_key: str, first_key: str) -> Contact:
    return next(c for c in BY_KEY[account_key].contacts if c.key == first_key)


# ---- writing CSV -----------------------------------------------------------------------------------


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list],
    *,
    quote_all=False,
    crlf=False,
    bom=False,
    footer: list[str] | None = None,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\r\n" if crlf else "\n"
    )
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    if footer is not None:
        buffer.write("\r\n" if crlf else "\n")
        for line in footer:
            writer.writerow([line])
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def salesforce_footer(count: int) -> list[str]:
    return [
        f"Grand Totals ({count} records)",
        "Confidential Information - Do Not Distribute",
        "Copyright (c) 2000-2027 salesforce.com, inc. All rights reserved.",
        f"Generated By:  {CSM.name}  {EXPORTED_AT.month}/{EXPORTED_AT.day}/{EXPORTED_AT.year} 6:45 AM",
    ]


# ---- accounts_salesforce.csv ----------------------------------------------------------------------


def accounts_file(out: Path) -> None:
    header = [
        "Account ID",
        "Account Name",
        "Type",
        "Website",
        "ARR",  # the report label of a custom ARR__c field; Annual Revenue is the customer's own revenue
        "Account Owner",
        "Billing State/Province",
        "Billing Country",
        "Segment",
        "Customer Stage",
        "Contract Start",
        "Renewal Date",
        "Licenses",
        "First Value Date",
    ]
    rows = []
    for a in sorted(ACCOUNTS, key=lambda a: a.name.lower()):
        rows.append(
            [
                a.sf_id,
                a.name,
                a.type,
                a.website,
                money(a.arr),
                a.owner.name,
                a.state,
                a.country,
                a.segment,
                a.stage,
                us_date(a.contract_start),
                us_date(a.renewal),
                str(a.licences),
                us_date(a.first_value) if a.first_value else "",
            ]
        )
    write_csv(
        out / "accounts_salesforce.csv",
        header,
        rows,
        quote_all=True,
        crlf=True,
        bom=True,
        footer=salesforce_footer(len(rows)),
    )


# ---- opportunities_salesforce.csv -----------------------------------------------------------------


def opportunities_file(out: Path) -> None:
    specs = []
    history = []
    for a in ACCOUNTS:
        renewal = d(a.renewal)
        fiscal = f"FY{(renewal.year + 1) % 100:02d}"
        if a.key in RENEWAL_STAGES:
            stage, forecast = RENEWAL_STAGES[a.key]
        elif renewal > TODAY:
            stage, forecast = ("Prospecting", "Pipeline")
        else:
            stage, forecast = ("Closed Won", "Closed")
        if renewal <= TODAY + timedelta(days=240) or a.key in RENEWAL_STAGES:
            specs.append((a, f"Renewal {fiscal}", "Renewal", stage, a.arr, renewal, forecast))
        start = d(a.contract_start)
        if start <= TODAY and a.key != "saltmarsh":  # the renewal that started the current term, at the ARR before
            # any upsell won during the term (the ARR now includes it)
            upsold = sum(
                amount
                for key, _suffix, kind, stage, amount, close, _forecast in EXTRA_OPPORTUNITIES
                if key == a.key and kind in ("Upsell", "Cross-sell") and stage == "Closed Won" and d(close) > start
            )
            current = a.arr - upsold
            spec = (a, f"Renewal FY{(start.year + 1) % 100:02d}", "Renewal", "Closed Won", current, start, "Closed")
            (specs if start >= YEAR_START else history).append(spec)
            if a.key in PRIOR_TERM_UPLIFT:
                before = start.replace(year=start.year - 1)
                amount = round(current / PRIOR_TERM_UPLIFT[a.key], -2)
                history.append(
                    (a, f"Renewal FY{start.year % 100:02d}", "Renewal", "Closed Won", amount, before, "Closed")
                )
    for key, suffix, kind, stage, amount, close, forecast in EXTRA_OPPORTUNITIES:
        specs.append((BY_KEY[key], suffix, kind, stage, amount, d(close), forecast))
    specs.sort(key=lambda s: (s[5], s[0].name, s[1]))
    ids = sf_ids("006", len(specs), "opportunity-ids")
    # the earlier renewals (ARR history) get ids of their own, so the other deals keep theirs
    history.sort(key=lambda s: (s[5], s[0].name, s[1]))
    ids += sf_ids("006", len(history), "history-opportunity-ids")
    specs += history
    order = sorted(range(len(specs)), key=lambda i: (specs[i][5], specs[i][0].name, specs[i][1]))
    specs, ids = [specs[i] for i in order], [ids[i] for i in order]
    header = [
        "Opportunity ID",
        "Opportunity Name",
        "Account ID",
        "Account Name",
        "Type",
        "Stage",
        "Amount",
        "Close Date",
        "Forecast Category",
        "Opportunity Owner",
    ]
    rows = [
        [
            oid,
            f"{a.name} - {suffix}",
            a.sf_id,
            a.name,
            kind,
            stage,
            money(amount),
            us_date(close),
            forecast,
            a.owner.name,
        ]
        for oid, (a, suffix, kind, stage, amount, close, forecast) in zip(ids, specs, strict=True)
    ]
    write_csv(
        out / "opportunities_salesforce.csv",
        header,
        rows,
        quote_all=True,
        crlf=True,
        bom=True,
        footer=salesforce_footer(len(rows)),
    )


# ---- interactions.csv (native) ---------------------------------------------------------------------

CADENCE = {"Enterprise": 14, "Mid-Market": 30, "SMB": 90}
HISTORY_FROM = date(2026, 9, 1)
LAST_LOGGABLE = date(2027, 2, 26)  # the Friday before "today"

# Story interactions: (account key, date, kind, summary, next steps, attendee first-name keys)
# fmt: off
STORY_INTERACTIONS = [
    ("halvorsen", "2027-02-02", "call", "Bi-weekly check-in: depot rollout 9 of 12; new EDI release went live Feb 1", "",
     ["magnus", "sofie"]),
    ("halvorsen", "2027-02-16", "call", "Bi-weekly check-in: Magnus reports repeated EDI feed failures since the Feb 1 "
     "release; dispatch teams frustrated", "", ["magnus", "sofie"]),
    ("halvorsen", "2027-02-22", "call", "Escalation call about the ticket surge (EDI feed, shipment sync). Asked Support "
     "for a root-cause analysis", "Share Support's root-cause analysis with Magnus by 2027-03-03", ["magnus", "ingrid"]),
    ("kestrel", "2027-02-08", "call", "Dana: supplier onboarding still 31 days; Everett plant not on the ERP connector",
     "Book the Q1 EBR with Gregory Pham and prepare the value summary before renewal talks", ["dana"]),
    ("ferncliff", "2027-02-09", "call", "Monthly check-in with Priya: no-show reminders live in 3 clinics", "", ["priya"]),
    ("ferncliff", "2027-02-16", "call", "Keisha told me Priya Nandakumar left on Feb 12 to become VP Operations at "
     "Halcyon Medical Group (prospect: passed to Sam Ito). Tomás Ruiz-Delgado takes over as champion", "", ["keisha"]),
    ("ferncliff", "2027-02-23", "meeting", "Intro meeting with Tomás Ruiz-Delgado (new champion) and Alan Brooks",
     "Onsite in Boston on 2027-03-04 to re-introduce the success plan to Tomás", ["alan"]),
    ("greenhollow", "2027-02-11", "meeting", "Bi-weekly sync: predictive alerts on 3 more wind farms; Marcus happy to "
     "be a reference", "", ["marcus", "yuki"]),
    ("greenhollow", "2027-02-24", "email", "Sent the case study draft to Marcus for review (their sync on Feb 25 was "
     "cancelled)", "", ["marcus"]),
    ("cobaltline", "2027-02-26", "meeting", "Ticket backlog review: 7 open, oldest from Jan 28; Hannah escalating "
     "internally", "Get a Support owner for the 3 oldest tickets", ["hannah", "raj"]),
    ("ardent", "2027-02-24", "meeting", "Q1 EBR planning with Nathan: turnaround goal due Mar 12, renewal May 20", "",
     ["nathan"]),
    ("tidewater", "2027-01-12", "call", "Brian: member portal project starts in March; asked about Okta SCIM", "",
     ["brian"]),
    ("ostrava", "2027-02-18", "call", "Renewal prep with Jana: changeover goal almost met; she asked for a Czech UI",
     "Send the renewal quote (3% uplift) before the 2027-03-01 call", ["jana"]),
    ("marlowe", "2027-02-15", "email", "Asked Charlotte for a call about her NPS answer (4); she replied next week is "
     "fine", "Hold the NPS follow-up call with Charlotte and find the root cause", ["charlotte"]),
    ("quillmark", "2026-12-02", "call", "Simon: team reorganised, fewer editors using the platform", "", ["simon"]),
    ("saltmarsh", "2027-01-19", "meeting", "Onboarding kickoff: goals, stakeholders, data sources; SSO requested", "",
     ["dev", "aisha"]),
    ("saltmarsh", "2027-02-17", "call", "Aisha: data connection blocked by their security review; no dashboards yet",
     "Get the security questionnaire to Aisha and book an onboarding reset", ["aisha"]),
    ("lindqvist", "2027-02-19", "call", "Erik agreed to a case-study interview on Mar 3; interested in forecasting", "",
     ["erik"]),
    ("pinecrest", "2027-01-25", "call", "Renewal: Grace needs the partners' sign-off; renewal date Feb 15",
     "Chase the signed renewal order form", ["grace"]),
    ("pellucid", "2027-01-22", "call", "Quarterly check-in; renewal on Mar 31 discussed", "", None),
    ("moonrise", "2026-11-20", "email", "Sent the year-end close checklist", "", None),
    ("emberwick", "2026-10-28", "email", "Shared the holiday-season inventory tips webinar", "", None),
]
# fmt: on
EBR_SUMMARY = "{quarter} EBR: value delivered against the success plan, adoption trend, roadmap; next objectives agreed"
GENERIC_SUMMARIES = [
    ("call", "Check-in call: adoption and open questions"),
    ("call", "Monthly check-in: usage review and upcoming changes"),
    ("email", "Sent release notes and the new training videos"),
    ("meeting", "Workshop on dashboards with the team"),
    ("call", "Reviewed open support tickets together"),
    ("email", "Shared best practices for their use case"),
    ("meeting", "Admin training session"),
    ("call", "Discussed goals for the next quarter"),
]


def quarter_name(day: date) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def build_interactions() -> list[tuple[Account, date, str, str, str, list[str]]]:
    items = []
    for key, when, kind, summary, next_steps, who in STORY_INTERACTIONS:
        a = BY_KEY[key]
        emails = [contact(key, k).email for k in who] if who else [a.contacts[0].email]
        items.append((a, d(when), kind, summary, next_steps, emails))
    for a in ACCOUNTS:
        r = rng(f"interactions:{a.key}")
        for ebr in a.ebrs:
            attendees = [c.email for c in a.contacts if c.role in ("Executive Sponsor", "Champion", "Decision Maker")]
            items.append((a, d(ebr), "ebr", EBR_SUMMARY.format(quarter=quarter_name(d(ebr))), "", attendees))
        cadence = CADENCE[a.segment]
        story_days = [i[1] for i in items if i[0] is a]
        if a.last_touch:
            last = d(a.last_touch)
        else:
            last = LAST_LOGGABLE - timedelta(days=r.randint(1, int(cadence * 0.6)))
            while last.weekday() >= 5:
                last -= timedelta(days=1)
        if not story_days or max(story_days) < last:
            kind, summary = r.choice(GENERIC_SUMMARIES)
            items.append((a, last, kind, summary, "", [r.choice(a.contacts).email]))
        # older history, roughly at the segment's cadence, never after the last touch nor too close to another entry
        existing = [i[1] for i in items if i[0] is a]
        cursor = last
        while True:
            cursor -= timedelta(days=max(3, int(cadence * r.uniform(0.5, 1.0))))
            if cursor < HISTORY_FROM:
                break
            while cursor.weekday() >= 5:
                cursor -= timedelta(days=1)
            if any(abs((cursor - e).days) < max(3, cadence // 3) for e in existing):
                continue
            kind, summary = r.choice(GENERIC_SUMMARIES)
            items.append((a, cursor, kind, summary, "", [r.choice(a.contacts).email]))
            existing.append(cursor)
    items.sort(key=lambda i: (i[1], i[0].name, i[2]))
    # one entry per (account, day, kind, summary): the upsert key
    seen, unique = set(), []
    for item in items:
        k = (item[0].key, item[1], item[2], item[3])
        if k not in seen:
            seen.add(k)
            unique.append(item)
    return unique


def interactions_file(out: Path, items) -> None:
    header = ["account_id", "account", "occurred_on", "kind", "summary", "next_steps", "attendees"]
    rows = [
        [a.sf_id, a.name, day.isoformat(), kind, summary, next_steps, ";".join(emails)]
        for a, day, kind, summary, next_steps, emails in items
    ]
    write_csv(out / "interactions.csv", header, rows)


# ---- contacts_hubspot.csv and contacts_updates.csv ---------------------------------------------------


def contacts_files(out: Path, interactions) -> None:
    last_activity: dict[str, date] = {}
    for _a, day, _k, _s, _n, emails in interactions:
        for e in emails:
            last_activity[e] = max(day, last_activity.get(e, day))
    header = [
        "Record ID",
        "First Name",
        "Last Name",
        "Email",
        "Phone Number",
        "Job Title",
        "Company Name",
        "Associated Company IDs",
        "Contact owner",
        "Lifecycle Stage",
        "Create Date",
        "Last Activity Date",
        "Buying Role",
        "Influence",
        "Reports To",
    ]
    rows = []
    for a in ACCOUNTS:
        r = rng(f"hubspot:{a.key}")
        advocate = a.nps == "promoter"
        for c in a.contacts:
            first_seen = d(a.first_value) if a.first_value else d(a.contract_start)
            created = first_seen - timedelta(days=r.randint(20, 120))
            created_at = f"{created.isoformat()} {r.randint(8, 17):02d}:{r.choice([0, 5, 12, 20, 31, 44, 58]):02d}"
            seen = last_activity.get(c.email)
            activity = f"{seen.isoformat()} {r.randint(9, 16):02d}:{r.choice([0, 15, 30, 45]):02d}" if seen else ""
            boss = contact(a.key, c.reports_to).email if c.reports_to else ""
            stage = "Evangelist" if advocate and c.role == "Champion" else "Customer"
            rows.append(
                [
                    str(c.record_id),
                    c.first,
                    c.last,
                    c.email,
                    c.phone,
                    c.title,
                    a.name,
                    "",
                    a.owner.name,
                    stage,
                    created_at,
                    activity,
                    c.role,
                    c.influence,
                    boss,
                ]
            )
    rows.sort(key=lambda row: int(row[0]))
    write_csv(out / "contacts_hubspot.csv", header, rows, quote_all=True)

    # What the CSM recorded by hand: the champion who left and the new champion (native csm contacts format).
    account_key, first_key, left_on = CHAMPION_LEFT
    a = BY_KEY[account_key]
    left = contact(account_key, first_key)
    n = NEW_CHAMPION
    header = ["account_id", "account", "name", "email", "phone", "title", "role", "influence", "reports_to", "left_on"]
    rows = [
        [
            a.sf_id,
            a.name,
            left.name,
            left.email,
            left.phone,
            left.title,
            "champion",
            "high",
            contact(account_key, left.reports_to).email,
            left_on,
        ],
        [
            a.sf_id,
            a.name,
            n.name,
            n.email,
            n.phone,
            n.title,
            "champion",
            "high",
            contact(account_key, n.reports_to).email,
            "",
        ],
    ]
    write_csv(out / "contacts_updates.csv", header, rows)


# ---- tickets_zendesk.csv --------------------------------------------------------------------------

PRODUCT_AREAS = {
    "Integrations": [
        "EDI feed failing with timeout",
        "Shipment sync delayed by hours",
        "Webhook deliveries failing",
        "Salesforce connector stopped syncing",
        "ERP import rejected rows",
    ],
    "Dashboards": [
        "Dashboard not loading",
        "Chart shows wrong totals",
        "Filter resets after refresh",
        "Shared dashboard link expired",
    ],
    "SSO / Login": [
        "Users cannot log in with SSO",
        "Password reset e-mail not received",
        "New user stuck at MFA",
        "Session expires too quickly",
    ],
    "Reporting": [
        "Scheduled report not delivered",
        "Export to Excel truncates columns",
        "Report totals differ from UI",
        "How to add a custom field to a report",
    ],
    "Data import": ["CSV import fails on dates", "Duplicate records after import", "Import stuck at 90%"],
    "Billing": ["Invoice shows wrong seat count", "Update billing contact", "Request for W-9 / VAT details"],
    "Mobile app": ["Mobile app crashes on start", "Photos not uploading from the app", "Push notifications missing"],
}
AREA_WEIGHTS = [
    ("Integrations", 3),
    ("Dashboards", 3),
    ("SSO / Login", 2),
    ("Reporting", 3),
    ("Data import", 2),
    ("Billing", 1),
    ("Mobile app", 1),
]
VIA = [("Web Form", 5), ("Mail", 4), ("Chat", 2), ("Phone call (incoming)", 1)]
PRIORITIES = [("Low", 20), ("Normal", 60), ("High", 17), ("Urgent", 3)]
TYPES = {
    "Integrations": "Incident",
    "Dashboards": "Incident",
    "SSO / Login": "Problem",
    "Reporting": "Question",
    "Data import": "Incident",
    "Billing": "Task",
    "Mobile app": "Incident",
}
CSAT_SINCE = date(
    2026, 12, 1
)  # the post-ticket CSAT survey (surveys.csv) started then; Zendesk ratings go back further
WINDOW_LAST = (date(2027, 2, 1), date(2027, 2, 28))  # the last 28 days before TODAY
WINDOW_PRIOR = (date(2027, 1, 4), date(2027, 1, 31))  # the 28 days before those
BOUNDARY_DAYS = {date(2027, 1, 3), date(2027, 1, 4), date(2027, 1, 31), date(2027, 2, 1)}  # kept free of tickets


def weighted(r: random.Random, pairs):
    return r.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


@dataclass
class Ticket:
    account: Account
    created: datetime
    area: str
    subject: str
    priority: str
    status: str = "closed"
    requester: tuple[str, str] = ("", "")
    id: int = 0


def in_window(day: date, window) -> bool:
    return window[0] <= day <= window[1]


def business_time(r: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, r.randint(8, 17), r.randint(0, 59), r.randint(0, 59))


def random_weekday(r: random.Random, start: date, end: date) -> date:
    choices = [x for x in days(start, end) if x.weekday() < 5 and x not in BOUNDARY_DAYS]
    return r.choice(choices)


def new_ticket(
    r: random.Random,
    a: Account,
    day: date,
    area: str | None = None,
    subject: str | None = None,
    priority: str | None = None,
) -> Ticket:
    area = area or weighted(r, AREA_WEIGHTS)
    return Ticket(
        a, business_time(r, day), area, subject or r.choice(PRODUCT_AREAS[area]), priority or weighted(r, PRIORITIES)
    )


def story_tickets(a: Account, r: random.Random) -> list[Ticket]:
    """The tickets from 2027-01-04 on for the spike and backlog accounts, spelled out."""
    if a.ticket_story == "spike":
        jan = [
            ("2027-01-07", "Dashboards", None, "Normal"),
            ("2027-01-12", "Reporting", None, "Low"),
            ("2027-01-19", "Integrations", "Webhook deliveries failing", "Normal"),
            ("2027-01-26", "SSO / Login", None, "Normal"),
            ("2027-01-29", "Billing", None, "Low"),
        ]
        feb = [
            ("2027-02-02", "EDI feed failing with timeout", "High", "closed"),
            ("2027-02-03", "Shipment sync delayed by hours", "Normal", "closed"),
            ("2027-02-04", "EDI feed failing with timeout", "High", "closed"),
            ("2027-02-08", "Shipment sync delayed by hours", "Normal", "closed"),
            ("2027-02-09", "ERP import rejected rows", "Normal", "closed"),
            ("2027-02-11", "EDI feed failing with timeout", "Urgent", "closed"),
            ("2027-02-15", "Shipment sync delayed by hours", "Normal", "closed"),
            ("2027-02-17", "Webhook deliveries failing", "Normal", "solved"),
            ("2027-02-19", "EDI feed failing with timeout", "High", "solved"),
            ("2027-02-22", "Shipment sync delayed by hours", "Normal", "open"),
            ("2027-02-23", "EDI acknowledgements missing for depot Bergen", "High", "open"),
            ("2027-02-24", "Shipment sync delayed by hours", "Normal", "pending"),
            ("2027-02-25", "EDI feed down for all depots", "Urgent", "open"),
            ("2027-02-26", "Shipment sync delayed by hours", "Normal", "new"),
        ]
        out = [new_ticket(r, a, d(day), area, subject, prio) for day, area, subject, prio in jan]
        for day, subject, prio, status in feb:
            t = new_ticket(r, a, d(day), "Integrations", subject, prio)
            t.status = status
            out.append(t)
        return out
    if a.ticket_story == "backlog":
        spec = [
            ("2027-01-06", "Reporting", "closed", "Normal"),
            ("2027-01-11", "Data import", "closed", "Normal"),
            ("2027-01-14", "Dashboards", "closed", "Low"),
            ("2027-01-20", "Reporting", "closed", "Normal"),
            ("2027-01-25", "Data import", "closed", "High"),
            ("2027-01-28", "Data import", "open", "Normal"),
            ("2027-02-05", "Integrations", "pending", "Normal"),
            ("2027-02-10", "Dashboards", "open", "High"),
            ("2027-02-12", "Reporting", "closed", "Low"),
            ("2027-02-17", "Data import", "open", "Normal"),
            ("2027-02-19", "Reporting", "new", "Low"),
            ("2027-02-23", "Integrations", "open", "Normal"),
            ("2027-02-25", "Data import", "pending", "High"),
        ]
        out = []
        for day, area, status, prio in spec:
            t = new_ticket(r, a, d(day), area, None, prio)
            t.status = status
            out.append(t)
        return out
    if a.ticket_story == "new":
        out = [
            new_ticket(r, a, d("2027-01-20"), "SSO / Login", "How do we set up SSO with Okta?", "Normal"),
            new_ticket(r, a, d("2027-02-09"), "Data import", "Data connection blocked by our firewall", "Normal"),
        ]
        return out
    return []


def build_tickets() -> list[Ticket]:
    tickets: list[Ticket] = []
    for a in ACCOUNTS:
        r = rng(f"tickets:{a.key}")
        mine: list[Ticket] = []
        story = a.ticket_story in ("spike", "backlog", "new")
        generic_end = date(2027, 1, 2) if story else YEAR_END
        if a.ticket_story == "silent":
            generic_end = date(2026, 10, 21)
        start = max(YEAR_START, d(a.contract_start)) if a.stage == "Onboarding" else YEAR_START
        for day in days(start, generic_end):
            if day.weekday() >= 5 or day in BOUNDARY_DAYS:
                continue
            rate = a.tickets
            if a.ticket_story == "silent":
                rate *= 1.0 - 0.6 * (day - YEAR_START).days / 240  # fading away
            if r.random() < rate * 12 / 261:
                mine.append(new_ticket(r, a, day))
        if a.ticket_story == "silent":
            mine.append(new_ticket(r, a, date(2026, 10, 22), "Reporting", "Export to Excel truncates columns", "Low"))
        mine += story_tickets(a, r)
        if not story and a.ticket_story != "silent":
            # no support volume increase for the ordinary accounts: last 28 days <= the 28 before
            last = [t for t in mine if in_window(t.created.date(), WINDOW_LAST)]
            prior = [t for t in mine if in_window(t.created.date(), WINDOW_PRIOR)]
            while len(last) > len(prior):
                moved = last.pop()
                moved.created -= timedelta(days=28)
                prior.append(moved)
            # and never silent: at least one ticket in the last 90 days
            if not any(t.created.date() >= date(2026, 12, 1) for t in mine):
                mine.append(new_ticket(r, a, random_weekday(r, date(2026, 12, 7), date(2027, 1, 29))))
        set_status_and_requester(a, mine, r)
        tickets += mine
    tickets.sort(key=lambda t: t.created)
    for n, t in enumerate(tickets):
        t.id = 48_213 + n
    return tickets


def set_status_and_requester(a: Account, mine: list[Ticket], r: random.Random) -> None:
    extra_users = []
    for _ in range(2):
        first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
        extra_users.append((f"{first} {last}", email_for(first, last, a.domain)))
    open_left = 2
    for t in sorted(mine, key=lambda t: t.created):
        day = t.created.date()
        people = [
            c
            for c in a.contacts
            if not (a.key == CHAMPION_LEFT[0] and c.key == CHAMPION_LEFT[1] and day >= d(CHAMPION_LEFT[2]))
        ]
        if a.key == "ferncliff" and day >= date(2027, 2, 16) and r.random() < 0.5:
            t.requester = (NEW_CHAMPION.name, NEW_CHAMPION.email)
        elif r.random() < 0.75:
            c = r.choice(people)
            t.requester = (c.name, c.email)
        else:
            t.requester = r.choice(extra_users)
        if a.ticket_story in ("spike", "backlog"):
            if t.status == "closed" and (TODAY - day).days <= 5:
                t.status = "solved"
            continue
        # ordinary accounts: everything older than 12 days is solved; a few recent ones still open, never urgent/high
        age = (TODAY - day).days
        if age <= 12 and open_left and r.random() < 0.5:
            t.status = r.choice(["new", "open", "open", "pending"])
            if t.priority in ("High", "Urgent"):
                t.priority = "Normal"
            open_left -= 1
        else:
            t.status = "solved" if age <= 5 else "closed"


def tickets_file(out: Path, tickets: list[Ticket]) -> list[tuple[Ticket, int, str]]:
    """Writes the Zendesk export; returns the tickets that got a satisfaction rating (ticket, score 1-5, comment)."""
    header = [
        "Summation column",
        "Id",
        "Requester",
        "Requester id",
        "Requester external id",
        "Requester email",
        "Requester domain",
        "Submitter",
        "Assignee",
        "Group",
        "Subject",
        "Tags",
        "Status",
        "Priority",
        "Via",
        "Ticket type",
        "Created at",
        "Updated at",
        "Assigned at",
        "Organization",
        "Due date",
        "Initially assigned at",
        "Solved at",
        "Resolution time",
        "Satisfaction Score",
        "Reopens",
        "Replies",
        "First reply time in minutes",
        "First reply time in minutes within business hours",
        "Full resolution time in minutes",
        "Full resolution time in minutes within business hours",
        "Product area [list]",
    ]
    r = rng("zendesk")
    user_ids: dict[str, int] = {}
    rows, rated = [], []
    export_limit = datetime(2027, 2, 28, 22, 0)
    for t in tickets:
        email = t.requester[1]
        if email not in user_ids:
            user_ids[email] = 381_000_000_000 + r.randint(1_000_000, 999_999_999)
        first_reply = r.randint(4, 240) if t.status != "new" else None
        assigned = t.created + timedelta(minutes=r.randint(2, 90)) if t.status != "new" else None
        solved = None
        if t.status in ("solved", "closed"):
            hours = r.choice([1, 2, 3, 5, 8, 20, 26, 48, 72, 120]) + r.random()
            solved = min(t.created + timedelta(hours=hours), export_limit - timedelta(hours=2))
        if t.status == "closed" and solved + timedelta(days=4) > export_limit:
            t.status = "solved"  # Zendesk closes solved tickets 4 days later
        if t.status == "closed":
            updated = solved + timedelta(days=4)
        elif solved:
            updated = solved + timedelta(minutes=r.randint(1, 50))
        elif t.account.ticket_story == "backlog" and t.created.date() < date(2027, 2, 12):
            updated = t.created + timedelta(days=r.randint(1, 3), minutes=r.randint(0, 300))  # stale: nobody answered
        else:
            updated = min(t.created + timedelta(hours=r.randint(1, 30)), export_limit)
        group = (
            "Tier 2 Support"
            if t.priority in ("High", "Urgent") or t.area == "Integrations"
            else ("Billing" if t.area == "Billing" else "Tier 1 Support")
        )
        assignee = r.choice(SUPPORT_AGENTS) if assigned else ""
        via = weighted(r, VIA)
        submitter = assignee if via == "Phone call (incoming)" and assignee else t.requester[0]
        tags = " ".join(
            sorted(
                {
                    t.area.lower().replace(" / ", "_").replace(" ", "_"),
                    t.account.segment.lower().replace("-", "_"),
                    t.priority.lower(),
                }
                | ({"escalated"} if t.priority == "Urgent" else set())
            )
        )
        score, rating = "", None
        if solved:
            roll = r.random()
            if roll < 0.02 or (
                t.account.ticket_story == "spike" and t.created.date() >= date(2027, 2, 1) and roll < 0.5
            ):
                score, rating = "Bad", (r.choice([1, 2]), "Took too long and the problem came back")
            elif roll < 0.12:
                score, rating = (
                    "Good",
                    (
                        r.choice([4, 5, 5]),
                        r.choice(["Quick and friendly, thanks", "Solved on the first reply", "Clear explanation"]),
                    ),
                )
            else:
                score = r.choice(["Offered", "Unoffered", "Unoffered"])
        if rating and t.created.date() >= CSAT_SINCE:
            rated.append((t, rating[0], rating[1]))
        replies = r.randint(1, 6) if t.status != "new" else 0
        full = int((solved - t.created).total_seconds() // 60) if solved else None
        rows.append(
            [
                "",
                str(t.id),
                t.requester[0],
                str(user_ids[email]),
                "",
                email,
                t.account.domain,
                submitter,
                assignee,
                group,
                t.subject,
                tags,
                t.status.capitalize(),
                t.priority,
                via,
                TYPES[t.area],
                zendesk_time(t.created),
                zendesk_time(updated),
                zendesk_time(assigned),
                t.account.name,
                "",
                zendesk_time(assigned),
                zendesk_time(solved),
                str(round(full / 60)) if full is not None else "",
                score,
                str(r.choice([0, 0, 0, 0, 1])) if solved else "0",
                str(replies),
                str(first_reply) if first_reply is not None else "",
                str(min(first_reply, r.randint(3, 120))) if first_reply is not None else "",
                str(full) if full is not None else "",
                str(int(full * 0.4)) if full is not None else "",
                t.area.lower().replace(" / ", "_").replace(" ", "_"),
            ]
        )
    write_csv(out / "tickets_zendesk.csv", header, rows)
    return rated


# ---- surveys.csv (native) --------------------------------------------------------------------------

NPS_WAVES = [
    (date(2026, 5, 11), date(2026, 5, 22)),
    (date(2026, 8, 10), date(2026, 8, 21)),
    (date(2026, 11, 9), date(2026, 11, 20)),
    (date(2027, 2, 1), date(2027, 2, 12)),
]
PROMOTER_COMMENTS = [
    "Saves my team hours every week",
    "Great support and a product that keeps improving",
    "We could not run planning without it",
    "Our CSM really understands our business",
    "",
]
PASSIVE_COMMENTS = ["Does the job; reporting could be more flexible", "Good, but SSO setup was painful", "", ""]
DETRACTOR_COMMENTS = ["Too many open tickets and slow answers", "Hard to get our data in", ""]
# Explicit NPS stories: account key -> [(wave index, contact key, score, comment)]
NPS_STORIES = {
    "marlowe": [
        (0, "charlotte", 9, "Time capture finally works for the whole firm"),
        (1, "charlotte", 9, "Very happy with the rollout"),
        (1, "oliver", 8, ""),
        (
            3,
            "charlotte",
            4,
            "Since the autumn update the time entry screen is slow and lawyers stopped "
            "logging daily; nobody followed up on our ticket",
        ),
    ],
    "quillmark": [(0, "simon", 8, "")],
    "halvorsen": [(0, "magnus", 9, ""), (1, "ingrid", 8, ""), (2, "magnus", 8, "Depot rollout going well")],
    "cobaltline": [
        (1, "hannah", 7, ""),
        (2, "hannah", 6, "Tickets take weeks to close"),
        (3, "victor", 6, "Open tickets pile up; need faster answers"),
    ],
    "ferncliff": [(0, "priya", 9, "Reminder workflows are a big win"), (2, "priya", 9, ""), (2, "alan", 8, "")],
}


def build_surveys(rated) -> list[list]:
    rows = []
    for a in ACCOUNTS:
        r = rng(f"nps:{a.key}")
        responses = []  # (day, contact, score, comment)
        if a.key in NPS_STORIES:
            for wave, who, score, comment in NPS_STORIES[a.key]:
                responses.append((random_weekday(r, *NPS_WAVES[wave]), contact(a.key, who), score, comment))
        elif a.nps != "none":
            base = r.choice([7, 7, 8, 8, 9, 9, 10]) if a.nps == "normal" else 10
            respondents = [c for c in a.contacts if c.role != "End User"] or a.contacts
            for wave in NPS_WAVES:
                for c in respondents:
                    if r.random() < (0.75 if a.nps == "promoter" else 0.35):
                        score = min(10, base + r.choice([-1, 0, 0, 0, 1]))
                        if a.nps == "promoter":
                            score = max(9, score)
                        responses.append((random_weekday(r, *wave), c, score, ""))
            responses.sort(key=lambda x: x[0])
            if responses:  # no sentiment drop for ordinary accounts: the latest answer within 1 of the best before
                best_before = max((s for _d, _c, s, _x in responses[:-1]), default=responses[-1][2])
                day, c, score, _ = responses[-1]
                responses[-1] = (day, c, max(score, best_before - 1), "")
        for day, c, score, comment in sorted(responses, key=lambda x: (x[0], x[1].email)):
            if not comment and r.random() < 0.4:
                pool = PROMOTER_COMMENTS if score >= 9 else PASSIVE_COMMENTS if score >= 7 else DETRACTOR_COMMENTS
                comment = r.choice(pool)
            rows.append([a, c.email, "nps", "relational", score, day, comment])
    for t, score, comment in rated:  # post-ticket CSAT (1-5), from the tickets rated Good or Bad
        rows.append(
            [
                t.account,
                t.requester[1],
                "csat",
                "transactional",
                score,
                t.created.date() + timedelta(days=1 if t.created.weekday() < 4 else 3),
                comment,
            ]
        )
    for who, score, day, comment in [
        (("saltmarsh", "aisha"), 4, "2027-01-20", "Kickoff was clear and well run"),
        (("saltmarsh", "dev"), 3, "2027-01-21", "Too many steps before we see data"),
    ]:
        rows.append([BY_KEY[who[0]], contact(*who).email, "csat", "transactional", score, d(day), comment])
    rows.sort(key=lambda row: (row[5], row[0].name, row[1], row[2]))
    return rows


def surveys_file(out: Path, rows) -> None:
    header = [
        "response_id",
        "account_id",
        "account",
        "contact_email",
        "survey",
        "survey_type",
        "score",
        "responded_on",
        "comment",
    ]
    counters: dict[str, int] = {}
    data = []
    for a, email, survey, kind, score, day, comment in rows:
        counters[survey] = counters.get(survey, 0) + 1
        data.append(
            [
                f"{survey.upper()}-{counters[survey]:04d}",
                a.sf_id,
                a.name,
                email,
                survey,
                kind,
                str(score),
                day.isoformat(),
                comment,
            ]
        )
    write_csv(out / "surveys.csv", header, data)


# ---- usage.csv (native) ------------------------------------------------------------------------------


def month_ends() -> list[date]:
    ends = []
    for n in range(12):
        year, month = (2026 + (2 + n) // 12, (2 + n) % 12 + 1)  # 2026-03 .. 2027-02
        nxt = date(year + month // 12, month % 12 + 1, 1)
        ends.append(nxt - timedelta(days=1))
    return ends


def usage_file(out: Path) -> None:
    header = ["account_id", "account", "measured_on", "active_users", "licensed_seats", "feature_breadth"]
    rows = []
    for a in ACCOUNTS:
        r = rng(f"usage:{a.key}")
        ratio0 = r.uniform(0.66, 0.82)
        breadth0 = r.uniform(0.45, 0.65)
        for n, day in enumerate(month_ends()):
            seats = a.licences
            if a.key == "greenhollow" and day < date(2026, 11, 30):
                seats = 500  # the 150-seat upsell closed 2026-11-30
            t = n / 11
            if a.usage == "onboarding":
                if day < d(a.contract_start):
                    continue
                ratio, breadth = (1 / seats, 0.05) if day.month == 1 else (2 / seats, 0.08)
            elif a.usage == "growing":
                ratio, breadth = 0.58 + 0.32 * t, 0.42 + 0.36 * t
            elif a.usage == "declining":
                fade = max(0.0, (n - 5) / 6)  # steady until August, then falls
                ratio, breadth = 0.84 - 0.52 * fade, 0.6 - 0.3 * fade
            elif a.usage == "high":
                ratio, breadth = 0.86, 0.7
            else:
                ratio, breadth = ratio0, breadth0
            if a.usage != "onboarding":
                ratio = min(0.98, max(0.02, ratio + r.uniform(-0.025, 0.025)))
                breadth = min(0.95, max(0.02, breadth + r.uniform(-0.02, 0.02)))
            rows.append(
                [a.sf_id, a.name, day.isoformat(), str(max(1, round(seats * ratio))), str(seats), f"{breadth:.2f}"]
            )
    write_csv(out / "usage.csv", header, rows)


# ---- plans.csv and requests.csv (native) -------------------------------------------------------------


def number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def plans_file(out: Path) -> None:
    header = [
        "account_id",
        "account",
        "goal",
        "value_type",
        "metric",
        "unit",
        "baseline",
        "target",
        "current",
        "due",
        "status",
        "customer_confirmed",
        "confirmed_by",
        "evidence",
    ]
    rows = [
        [
            BY_KEY[k].sf_id,
            BY_KEY[k].name,
            goal,
            vt,
            metric,
            unit,
            number(b),
            number(t),
            number(c),
            due,
            status,
            "true" if confirmed else "false",
            confirmed,
            evidence,
        ]
        for k, goal, vt, metric, unit, b, t, c, due, status, confirmed, evidence in GOALS
    ]
    write_csv(out / "plans.csv", header, rows)


def requests_file(out: Path) -> None:
    header = ["request_id", "account_id", "account", "feature", "requested_on", "email", "notes"]
    items = []
    for feature, asks in REQUESTS.items():
        for key, day, note in asks:
            a = BY_KEY[key]
            champion = next((c for c in a.contacts if c.role == "Champion"), a.contacts[0])
            if a.key == "ferncliff" and d(day) < d(CHAMPION_LEFT[2]):
                champion = contact("ferncliff", "priya")
            items.append((d(day), a, feature, champion.email, note))
    items.sort(key=lambda i: (i[0], i[1].name))
    rows = [
        [f"FR-{n:03d}", a.sf_id, a.name, feature, day.isoformat(), email, note]
        for n, (day, a, feature, email, note) in enumerate(items, start=101)
    ]
    write_csv(out / "requests.csv", header, rows)


# ---- calendar_outlook.ics ----------------------------------------------------------------------------

TZID = "Eastern Standard Time"
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:16011104T020000",
    "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
    "TZOFFSETFROM:-0400",
    "TZOFFSETTO:-0500",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:16010311T020000",
    "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
    "TZOFFSETFROM:-0500",
    "TZOFFSETTO:-0400",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
]


@dataclass
class Event:
    key: str  # a label, only to derive a stable UID
    summary: str
    start: str  # "2027-03-01 10:30" (Eastern), or "2027-03-04" for an all-day event
    end: str
    attendees: list[tuple[str, str, str]]  # (name, e-mail, PARTSTAT)
    location: str = "Microsoft Teams Meeting"
    description: str = ""
    rrule: str = ""
    exdates: tuple[str, ...] = ()
    recurrence_id: str = ""  # for an override: the original start of the occurrence
    status: str = "CONFIRMED"
    busy: str = "BUSY"


def att(account_key: str, first_key: str, partstat: str = "ACCEPTED") -> tuple[str, str, str]:
    c = contact(account_key, first_key)
    return (c.name, c.email, partstat)


def person(p: Person, partstat: str = "ACCEPTED") -> tuple[str, str, str]:
    return (p.name, p.email, partstat)


def calendar_events() -> list[Event]:
    tomas = (NEW_CHAMPION.name, NEW_CHAMPION.email, "ACCEPTED")
    teams = "Microsoft Teams meeting\nJoin on your computer or mobile app\nhttps://teams.example/l/meetup-join/"
    return [
        # internal weekly stand-up, Mondays and Thursdays; Thursday 2027-02-25 skipped (company all-hands)
        Event(
            "standup",
            "CS team stand-up",
            "2026-09-07 09:00",
            "2026-09-07 09:15",
            [person(COLLEAGUE), person(CS_MANAGER)],
            rrule="FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH;WKST=SU",
            exdates=("2027-02-25 09:00",),
            description="Twice-weekly sync of the CS team: renewals, escalations, asks.",
        ),
        # bi-weekly customer check-in (spike account); the 2027-03-02 occurrence moved to Monday 2027-03-01 10:30
        Event(
            "halvorsen-biweekly",
            "Halvorsen Freight / Brightwater bi-weekly check-in",
            "2026-10-13 10:00",
            "2026-10-13 10:45",
            [att("halvorsen", "magnus"), att("halvorsen", "sofie")],
            rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=SU",
            description=teams + "halvorsen-biweekly",
        ),
        Event(
            "halvorsen-biweekly",
            "Halvorsen Freight / Brightwater check-in (moved: ticket spike review)",
            "2027-03-01 10:30",
            "2027-03-01 11:15",
            [att("halvorsen", "magnus"), att("halvorsen", "sofie"), att("halvorsen", "ingrid", "TENTATIVE")],
            recurrence_id="2027-03-02 10:00",
            description="Moved up a day: review of the February ticket surge (EDI feed) and the root-cause "
            "analysis from Support.\n" + teams + "halvorsen-biweekly",
        ),
        # bi-weekly customer sync (advocate); the 2027-02-25 occurrence cancelled
        Event(
            "greenhollow-biweekly",
            "Greenhollow Energy bi-weekly sync",
            "2026-09-10 14:00",
            "2026-09-10 14:30",
            [att("greenhollow", "marcus"), att("greenhollow", "yuki")],
            rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;WKST=SU",
            description=teams + "greenhollow-biweekly",
        ),
        Event(
            "greenhollow-biweekly",
            "Canceled: Greenhollow Energy bi-weekly sync",
            "2027-02-25 14:00",
            "2027-02-25 14:30",
            [att("greenhollow", "marcus"), att("greenhollow", "yuki")],
            recurrence_id="2027-02-25 14:00",
            status="CANCELLED",
            busy="FREE",
            description="Marcus is at their board meeting; see you in two weeks.",
        ),
        # the week's one-off meetings
        Event(
            "ferncliff-intro",
            "Intro: Tomás Ruiz-Delgado (Ferncliff) and Brightwater",
            "2027-02-23 11:00",
            "2027-02-23 11:45",
            [tomas, att("ferncliff", "alan")],
            description=teams + "ferncliff-intro",
        ),
        Event(
            "ardent-ebr-planning",
            "Q1 EBR planning",
            "2027-02-24 10:00",
            "2027-02-24 10:30",
            [att("ardent", "nathan")],
            description=teams + "ardent-ebr-planning",
        ),
        Event(
            "cobaltline-backlog",
            "Ticket backlog review",
            "2027-02-26 14:00",
            "2027-02-26 14:45",
            [att("cobaltline", "hannah"), att("cobaltline", "raj"), person(CS_MANAGER)],
            description=teams + "cobaltline-backlog",
        ),
        # demo day, Monday 2027-03-01 (besides the stand-up and the moved Halvorsen check-in)
        Event(
            "ostrava-renewal",
            "Renewal discussion",
            "2027-03-01 13:00",
            "2027-03-01 13:30",
            [att("ostrava", "jana"), person(ACCOUNT_EXEC)],
            description=teams + "ostrava-renewal",
        ),
        Event(
            "tidewater-portal",
            "Member portal rollout planning",
            "2027-03-01 15:30",
            "2027-03-01 16:00",
            [("Rachel Dunmore", "rachel.dunmore@tidewatercu.example", "ACCEPTED")],  # not a known contact: domain
            description=teams + "tidewater-portal",
        ),
        # later in the week
        Event(
            "kestrel-prep",
            "Prep: Kestrel Aerospace Components EBR and renewal",
            "2027-03-02 11:00",
            "2027-03-02 11:30",
            [person(ACCOUNT_EXEC), person(CS_MANAGER)],
            location="Teams / Room 4B",
            description="Internal only. Value summary, supplier-onboarding goal (past due), Okta SCIM ask.",
        ),
        Event(
            "marlowe-nps",
            "NPS follow-up with Charlotte",
            "2027-03-02 14:00",
            "2027-03-02 14:30",
            [att("marlowe", "charlotte")],
            description=teams + "marlowe-nps",
        ),
        Event(
            "lindqvist-case-study",
            "Case study interview",
            "2027-03-03 10:00",
            "2027-03-03 11:00",
            [att("lindqvist", "erik"), person(MARKETING)],
            description=teams + "lindqvist-case-study",
        ),
        Event(
            "ferncliff-onsite",
            "Onsite: Ferncliff Health Partners (Boston)",
            "2027-03-04",
            "2027-03-05",
            [tomas, att("ferncliff", "keisha", "TENTATIVE")],
            location="Ferncliff Health Partners, 200 Harbor St, Boston, MA",
            busy="OOF",
            description="Full day onsite: success plan with the new champion.",
        ),
        Event(
            "saltmarsh-reset",
            "Onboarding reset",
            "2027-03-05 13:00",
            "2027-03-05 13:45",
            [att("saltmarsh", "aisha"), att("saltmarsh", "dev", "NEEDS-ACTION")],
            description=teams + "saltmarsh-reset",
        ),
    ]


def ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> list[str]:
    """RFC 5545 folding: at most 75 octets per line, continuation lines start with one space."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = 75 if not out else 74
        if size + n > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def ics_local(text: str) -> str:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").strftime("%Y%m%dT%H%M%S")


def outlook_uid(key: str) -> str:
    r = rng(f"uid:{key}")
    created = f"{r.getrandbits(64):016X}"
    return (
        "040000008200E00074C5B7101A82E00800000000"
        + created
        + "0000000000000000"
        + "10000000"
        + f"{r.getrandbits(128):032X}"
    )


def calendar_file(out: Path) -> None:
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "X-CALSTART:20260907T130000Z",
        "X-CALEND:20270306T000000Z",
        "X-WR-CALNAME:Calendar",
        "X-WR-RELCALID:{0000002E-5C3A-1B7E-9F2D-4A61C0D8E123}",
        "X-PRIMARY-CALENDAR:TRUE",
        f'X-OWNER;CN="{CSM.name}":mailto:{CSM.email}',
        f'X-MS-OLK-WKHRSTART;TZID="{TZID}":080000',
        f'X-MS-OLK-WKHREND;TZID="{TZID}":170000',
        "X-MS-OLK-WKHRDAYS:MO,TU,WE,TH,FR",
        *VTIMEZONE,
    ]
    for ev in calendar_events():
        r = rng(f"event:{ev.key}:{ev.recurrence_id}")
        all_day = len(ev.start) == 10
        first = datetime.fromisoformat(ev.start if not all_day else ev.start + " 00:00")
        created = first - timedelta(days=r.randint(3, 20), minutes=r.randint(0, 600))
        body = []
        for name, email, partstat in ev.attendees:
            body.append(f'ATTENDEE;CN="{name}";ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};RSVP=TRUE:mailto:{email}')
        body += ["CLASS:PUBLIC", f"CREATED:{created:%Y%m%dT%H%M%S}Z"]
        if ev.description:
            body.append(f"DESCRIPTION:{ics_escape(ev.description)}\\n")
        if all_day:
            body += [
                f"DTEND;VALUE=DATE:{ev.end.replace('-', '')}",
                "DTSTAMP:20270226T221500Z",
                f"DTSTART;VALUE=DATE:{ev.start.replace('-', '')}",
            ]
        else:
            body += [
                f'DTEND;TZID="{TZID}":{ics_local(ev.end)}',
                "DTSTAMP:20270226T221500Z",
                f'DTSTART;TZID="{TZID}":{ics_local(ev.start)}',
            ]
        for ex in ev.exdates:
            body.append(f'EXDATE;TZID="{TZID}":{ics_local(ex)}')
        body += [
            f"LAST-MODIFIED:{created + timedelta(hours=r.randint(1, 200)):%Y%m%dT%H%M%S}Z",
            f"LOCATION:{ics_escape(ev.location)}",
            f'ORGANIZER;CN="{CSM.name}":mailto:{CSM.email}',
            "PRIORITY:5",
        ]
        if ev.recurrence_id:
            body.append(f'RECURRENCE-ID;TZID="{TZID}":{ics_local(ev.recurrence_id)}')
        if ev.rrule:
            body.append(f"RRULE:{ev.rrule}")
        body += [
            "SEQUENCE:1" if ev.recurrence_id else "SEQUENCE:0",
            f"STATUS:{ev.status}",
            f"SUMMARY;LANGUAGE=en-us:{ics_escape(ev.summary)}",
            "TRANSP:TRANSPARENT" if ev.busy == "FREE" else "TRANSP:OPAQUE",
            f"UID:{outlook_uid(ev.key)}",
            f"X-MICROSOFT-CDO-BUSYSTATUS:{ev.busy}",
            "X-MICROSOFT-CDO-IMPORTANCE:1",
            "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY",
            "X-MICROSOFT-DISALLOW-COUNTER:FALSE",
            "X-MS-OLK-AUTOFILLLOCATION:FALSE",
            "X-MS-OLK-CONFTYPE:0",
        ]
        if all_day:
            body.append("X-MICROSOFT-CDO-ALLDAYEVENT:TRUE")
        if ev.status != "CANCELLED":
            body += ["BEGIN:VALARM", "TRIGGER:-PT15M", "ACTION:DISPLAY", "DESCRIPTION:Reminder", "END:VALARM"]
        lines += ["BEGIN:VEVENT", *body, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    folded = [part for line in lines for part in fold(line)]
    (out / "calendar_outlook.ics").write_bytes(("\r\n".join(folded) + "\r\n").encode("utf-8"))


# ---- main ------------------------------------------------------------------------------------------


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "examples"
    out.mkdir(parents=True, exist_ok=True)
    build_people()
    interactions = build_interactions()
    accounts_file(out)
    contacts_files(out, interactions)
    opportunities_file(out)
    rated = tickets_file(out, build_tickets())
    surveys_file(out, build_surveys(rated))
    usage_file(out)
    plans_file(out)
    requests_file(out)
    interactions_file(out, interactions)
    calendar_file(out)


if __name__ == "__main__":
    main(sys.argv)
