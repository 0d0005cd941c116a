"""Finding an account by what a CSM types, in portable SQL so that reports need no ORM."""

from __future__ import annotations

from csm.db.runner import Runner
from csm.domain.matching import normalise_name
from csm.errors import AmbiguousError, InputError, NotFoundError


def find_account(runner: Runner, query: str) -> tuple[int, str]:
    """Exact name, then external id, then a unique case-insensitive prefix, then the normalised name.

    Fuzzy matching only suggests: an unknown or ambiguous name raises with the closest names.
    """
    text = query.strip()
    if not text:
        raise InputError("no account named: give an account name, external id or prefix")
    prefix = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    for sql, params in (
        ("SELECT id, name FROM accounts WHERE name = :q", {"q": text}),
        (
            "SELECT DISTINCT a.id, a.name FROM accounts a JOIN account_keys k ON k.account_id = a.id "
            "WHERE k.external_id = :q",
            {"q": text},
        ),
        (
            "SELECT id, name FROM accounts WHERE lower(name) LIKE :q ESCAPE '\\' ORDER BY lower(name) LIMIT 11",
            {"q": prefix},
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
    names = [row["name"] for row in runner.rows("SELECT name FROM accounts")]
    suggestions = closest_names(text, names)
    hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise NotFoundError(f"no account matches {text!r}{hint}")


def closest_names(text: str, names: list[str], limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process, utils

    found = process.extract(
        text, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit, score_cutoff=60
    )
    return [name for name, _score, _index in found]
