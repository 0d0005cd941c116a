"""`csm account search`: what a name resolves to by the rules every command uses, the names holding the words,
and the closest names when it names none; suggestions only, never a pick."""

from __future__ import annotations

from typing import Any

from tests.cli.conftest import ok
from tests.conftest import CsmRunner


def search(csm: CsmRunner, *args: str) -> dict[str, Any]:
    return ok(csm("account", "search", *args, "--format", "json")).json()  # type: ignore[no-any-return]


def test_a_crm_id_resolves_to_its_account_with_its_external_ids(demo: CsmRunner) -> None:
    found = search(demo, "001Dn00000Gq3ssIAB")
    assert found["resolves_to"] == "Solvang Maritime" and found["problem"] is None
    assert [m["name"] for m in found["matches"]] == ["Solvang Maritime"]
    match = found["matches"][0]
    assert match["external_ids"] == [{"source": "salesforce", "id": "001Dn00000Gq3ssIAB"}]
    assert (match["segment"], match["arr"], match["renewal_date"]) == ("enterprise", 205000.0, "2027-10-01")
    assert found["did_you_mean"] == []


def test_an_ambiguous_prefix_resolves_to_none_and_lists_names_beginning_with_it_first(demo: CsmRunner) -> None:
    found = search(demo, "p")
    assert found["resolves_to"] is None
    assert "matches several accounts: Pellucid Imaging, Pinecrest Dental Group" in found["problem"]
    names = [m["name"] for m in found["matches"]]
    assert names[:2] == ["Pellucid Imaging", "Pinecrest Dental Group"]
    assert all("p" in name.lower() for name in names) and len(names) == 13 and found["more"] is False
    first = search(demo, "p", "--limit", "5")
    assert [m["name"] for m in first["matches"]] == names[:5] and first["more"] is True


def test_a_typo_matches_nothing_and_suggests_the_closest_names(demo: CsmRunner) -> None:
    found = search(demo, "halvorsn")
    assert found["resolves_to"] is None and found["matches"] == []
    assert found["problem"] == "no account matches 'halvorsn'; did you mean 'Halvorsen Freight'?"
    assert found["did_you_mean"][0] == "Halvorsen Freight"


def test_like_wildcards_in_the_words_are_literal(demo: CsmRunner) -> None:
    for text in ("%", "_", "\\"):
        assert search(demo, text)["matches"] == []


def test_the_words_are_found_inside_a_name_and_the_table_says_what_they_resolve_to(demo: CsmRunner) -> None:
    assert [m["name"] for m in search(demo, "freight")["matches"]] == ["Halvorsen Freight"]
    table = ok(demo("account", "search", "halv")).out
    assert "resolves to" in table and "Halvorsen Freight" in table


def test_empty_words_exit_1(demo: CsmRunner) -> None:
    run = demo("account", "search", " ")
    assert run.code == 1 and "give a name" in run.err
