"""`csm account search` as a card: what the words resolve to, then the accounts that hold them."""

from __future__ import annotations

from csm.render.listing import Card, Column, Listing, plain
from csm.reports.search import AccountSearch


def search_card(found: AccountSearch) -> Card:
    rows = [{**plain(m), "external_ids": [f"{k.source} {k.id}" for k in m.external_ids]} for m in found.matches]
    fields: dict[str, object] = {"resolves to": found.resolves_to or "no single account"}
    if found.problem:
        fields["why"] = found.problem
    if found.did_you_mean:
        fields["did you mean"] = found.did_you_mean
    matches = Listing(
        title="Accounts holding these words" + (" (the first; --limit shows more)" if found.more else ""),
        columns=[
            Column("name", "Account"),
            Column("external_ids", "External ids"),
            Column("segment", "Segment"),
            Column("arr", "ARR", "right", money=True),
            Column("renewal_date", "Renewal"),
            Column("owner", "Owner"),
        ],
        rows=rows,
        empty="none",
    )
    return Card(title=f"Accounts matching {found.query!r}", fields=fields, sections=[matches])
