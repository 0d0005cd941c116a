"""Owners and account names written with accents, in any case, composed or decomposed (as Mac tools write them):
SQLite's lower() lowers ASCII letters only, so 'ÉMILE ZOLA' stored was not the config's 'Émile Zola', and the
CSM's whole book fell out of `today`; 'öresund' found no 'Öresund Tech AB'."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csm.cli import app
from csm.domain.matching import lowered_forms
from tests.conftest import CsmRunner, Run

NFD = unicodedata.normalize("NFD", "Émile Zola")
ACCOUNTS = (
    "name,arr,owner,renewal_date\n"
    "Lumière SA,120000,Émile Zola,2027-04-15\n"
    "Renard SARL,30000,ÉMILE ZOLA,2027-03-20\n"
    f"Nordlys AS,50000,{NFD},2027-05-01\n"
    "Öresund Tech AB,20000,émile zola,2027-06-01\n"
    "Other Co,10000,Someone Else,2027-04-01\n"
)


def _book(book_url: str, env: dict[str, str], tmp_path: Path) -> CsmRunner:
    config = tmp_path / "owner-config.toml"
    config.write_text('owner = "emile@vendor.example"\nowner_aliases = ["Émile Zola"]\n', encoding="utf-8")
    values = {**env, "CSM_DB": book_url, "CSM_CONFIG": str(config)}

    def run(*args: str) -> Run:
        return Run(CliRunner().invoke(app, list(args), env=values))

    assert run("init").code == 0
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(ACCOUNTS, encoding="utf-8")
    imported = run("import", "accounts", str(accounts))
    assert imported.code == 0, imported.err
    return run


def test_every_spelling_of_the_csms_name_is_theirs(book_url: str, env: dict[str, str], tmp_path: Path) -> None:
    csm = _book(book_url, env, tmp_path)
    summary = csm("today", "--format", "json").json()["summary"]
    assert (summary["accounts"], summary["arr"], summary["others_left_out"]) == (4, 220_000.0, 1)
    mine = csm("account", "list", "--mine", "--format", "json").json()
    assert sorted(a["name"] for a in mine) == ["Lumière SA", "Nordlys AS", "Renard SARL", "Öresund Tech AB"]
    renewals = csm("renewals", "--format", "json").json()["renewals"]
    assert sorted(r["account"] for r in renewals) == ["Lumière SA", "Nordlys AS", "Renard SARL", "Öresund Tech AB"]
    page = csm("team", "--owner", "ÉMILE ZOLA", "--format", "json").json()
    assert (page["owner"], page["summary"]["accounts"], page["summary"]["arr"]) == ("Émile Zola", 4, 220_000.0)


def test_an_accented_name_is_found_by_any_case_of_its_prefix(
    book_url: str, env: dict[str, str], tmp_path: Path
) -> None:
    csm = _book(book_url, env, tmp_path)
    for typed, name in (("öresund", "Öresund Tech AB"), ("ÖRES", "Öresund Tech AB"), ("lumiè", "Lumière SA"),
                        ("LUMI", "Lumière SA"), ("oresund", "Öresund Tech AB")):  # fmt: skip
        shown = csm("prep", typed, "--format", "json")
        assert shown.code == 0, (typed, shown.err)
        assert shown.json()["account"] == name, typed


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.sampled_from("abcdeéèöüßøåçñÉÖÜØÅÇÑ Zz"), min_size=1, max_size=12),
    st.sampled_from(["as is", "upper", "title", "lower"]),
    st.sampled_from(["NFC", "NFD"]),
)
def test_sqlite_lower_of_any_spelling_is_among_the_forms_compared(name: str, case: str, form: str) -> None:
    written = {"as is": name, "upper": name.upper(), "title": name.title(), "lower": name.lower()}[case]
    stored = unicodedata.normalize(form, written)  # type: ignore[arg-type]
    with sqlite3.connect(":memory:") as connection:
        (lowered,) = connection.execute("SELECT lower(?)", (stored,)).fetchone()
    if written.lower() != name.lower():  # 'ß'.upper() is 'SS': another spelling, not another case
        return
    assert lowered in lowered_forms(name) or sum(not c.isascii() for c in name) > 6
