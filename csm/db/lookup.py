"""Finding an account by what a CSM types, in portable SQL so that reports need no ORM."""

from __future__ import annotations

from csm.db.runner import Row, Runner
from csm.db.scope import Scope
from csm.domain.matching import normalise_name, normalise_phrase
from csm.errors import AmbiguousError, InputError, NotFoundError


def find_account(runner: Runner, query: str) -> tuple[int, str]:
    """Exact name, then external id, then a unique case-insensitive prefix (of the name, or of it after a leading
    "The"), then the normalised name.

    Fuzzy matching only suggests: an unknown or ambiguous name raises with the closest names.
    """
    text = query.strip()
    if not text:
        raise InputError("no account named: give an account name, external id or prefix")
    prefix = _escaped(text.lower()) + "%"
    for sql, params in (
        ("SELECT id, name FROM accounts WHERE name = :q", {"q": text}),
        (
            "SELECT DISTINCT a.id, a.name FROM accounts a JOIN account_keys k ON k.account_id = a.id "
            "WHERE k.external_id = :q",
            {"q": text},
        ),
        (  # a prefix of the name, or of the name after a leading "The" ("rhombus": The Rhombus Group), or of it with
            # case and accents ignored ("öresund", "Ålesund", "lumi": SQLite's lower() lowers ASCII letters only)
            "SELECT id, name FROM accounts WHERE lower(name) LIKE :q ESCAPE '\\' OR lower(name) LIKE :the ESCAPE '\\' "
            "OR (:plain <> '%' AND name_norm LIKE :plain ESCAPE '\\') ORDER BY lower(name) LIMIT 11",
            {"q": prefix, "the": "the " + prefix, "plain": _escaped(normalise_phrase(text)) + "%"},
        ),
        ("SELECT id, name FROM accounts WHERE name_norm = :q", {"q": normalise_name(text)}),
    ):
        found = runner.rows(sql, params)
        if len(found) == 1:
            return int(found[0]["id"]), str(found[0]["name"])
        if found:
            shown = ", ".join(row["name"] for row in found[:10]) + (" ..." if len(found) > 10 else "")
            raise AmbiguousError(
                f"{text!r} matches several accounts: {shown}; type more of the name or the external id"
            )
    suggestions = closest_names(text, account_names(runner))
    hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise NotFoundError(f"no account matches {text!r}{hint}")


def _escaped(text: str) -> str:
    """`text` as a LIKE pattern matches it literally (ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def closest_names(text: str, names: list[str], limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process, utils

    found = process.extract(
        text, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit, score_cutoff=60
    )
    return [name for name, _score, _index in found]


def search_accounts(runner: Runner, text: str, *, limit: int) -> list[Row]:
    """Accounts whose name (or name without its legal form) holds the text, or whose external id is the text:
    names that begin with it first, then by name; each with its external ids."""
    needle = text.strip().lower()
    escaped = _escaped(needle)
    norm = _escaped(normalise_name(text))
    found = runner.rows(
        "SELECT a.id, a.name, a.segment, a.arr, a.renewal_date, a.lifecycle_stage, a.owner FROM accounts a "
        "WHERE lower(a.name) LIKE :contains ESCAPE '\\' OR (:norm <> '' AND a.name_norm LIKE :norm_contains "
        "ESCAPE '\\') OR a.id IN (SELECT k.account_id FROM account_keys k WHERE k.external_id = :exact) "
        "ORDER BY CASE WHEN lower(a.name) LIKE :prefix ESCAPE '\\' THEN 0 ELSE 1 END, lower(a.name), a.id "
        "LIMIT :limit",
        {"contains": f"%{escaped}%", "prefix": f"{escaped}%", "norm": norm, "norm_contains": f"%{norm}%",
         "exact": text.strip(), "limit": limit},
    )  # fmt: skip
    if not found:
        return found
    marks = {f"a{i}": row["id"] for i, row in enumerate(found)}
    keys: dict[int, list[dict[str, str]]] = {}
    for key in runner.rows(
        f"SELECT account_id, source, external_id FROM account_keys WHERE account_id IN "
        f"({', '.join(':' + mark for mark in marks)}) ORDER BY source, external_id",
        marks,
    ):
        keys.setdefault(int(key["account_id"]), []).append({"source": key["source"], "id": key["external_id"]})
    return [{**row, "external_ids": keys.get(int(row["id"]), [])} for row in found]


def account_names(runner: Runner) -> list[str]:
    return [row["name"] for row in runner.rows("SELECT name FROM accounts")]


def scope_account_names(runner: Runner, scope: Scope) -> list[str]:
    """The names of the accounts a scope covers, by name."""
    return [
        row["name"]
        for row in runner.rows(
            f"SELECT a.name FROM accounts a WHERE {scope.accounts_where()} ORDER BY lower(a.name), a.id", scope.params()
        )
    ]
