"""A CSV row read through its column plan, and the link from a row to an account in the book."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

from csm.domain.matching import (
    FREE_MAIL_DOMAINS,
    normalise_domain,
    normalise_email,
    normalise_name,
    registrable_domain,
)
from csm.domain.words import listed
from csm.importers.columns import ColumnReadings
from csm.importers.reading import Record
from csm.importers.sources import ColumnPlan
from csm.importers.values import (
    TRIMMED,
    ValueProblem,
    clean,
    parse_date,
    parse_datetime,
    parse_fraction,
    parse_int,
    parse_money,
    parse_number,
    shown,
    split_list,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

T = TypeVar("T")
EMAIL_FIELDS = ("email", "contact_email", "requester_email")


class RowInvalid(Exception):
    """A row that cannot be imported: the column at fault (if one) and why."""

    def __init__(self, column: str | None, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


class Row:
    """One record seen as csm fields: the first non-empty cell among a field's columns wins."""

    def __init__(self, record: Record, plan: ColumnPlan, readings: ColumnReadings | None = None) -> None:
        self.record = record
        self.plan = plan
        self.readings = readings or ColumnReadings()
        self.line = record.line
        self.bad_emails: list[str] = []
        self._seen = self._first_cells()

    def _found(self, name: str) -> tuple[str | None, str | None]:
        """(the column the field's value comes from, its cleaned text): the first non-empty cell wins."""
        found = self._seen.get(name)
        if found is None:
            columns = self.plan.columns.get(name, ())
            found = (columns[0] if columns else None, None)
            self._seen[name] = found
        return found

    def _first_cells(self) -> dict[str, tuple[str | None, str | None]]:
        cells = self.record.cells
        seen: dict[str, tuple[str | None, str | None]] = {}
        for name, columns in self.plan.columns.items():
            for column in columns:
                value = cells.get(column)
                if not value:
                    continue
                if value[0] in TRIMMED or value[-1] in TRIMMED:  # clean(), called only when there is work for it
                    value = clean(value)
                    if value is None:
                        continue
                seen[name] = (column, value)
                break
        return seen

    def column(self, name: str) -> str | None:
        return self._found(name)[0]

    def text(self, name: str) -> str | None:
        found = self._seen.get(name)  # a field with no cell has no text: only column() needs _found's default
        return None if found is None else found[1]

    def value(self, name: str, parse: Callable[[str], T]) -> T | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            return parse(text)
        except ValueProblem as exc:
            raise RowInvalid(self.column(name), str(exc)) from None

    def _read(self, name: str, parse: Callable[[str, str], T]) -> T | None:
        """The field's text parsed with what the file decided about the column it came from."""
        column, text = self._found(name)
        if text is None or column is None:
            return None
        try:
            return parse(text, column)
        except ValueProblem as exc:
            raise RowInvalid(column, str(exc)) from None

    def date(self, name: str) -> date | None:
        """A date in its column's order; Excel serials are read too."""
        return self._dated(name, lambda text, order: parse_date(text, order, serials=True))

    def moment(self, name: str, zone: tzinfo = UTC) -> datetime | None:
        return self._dated(name, lambda text, order: parse_datetime(text, zone=zone, order=order, serials=True), zone)

    def _dated(self, name: str, parse: Callable[[str, str], T], *also: Any) -> T | None:
        """The field's date or time in its column's order, read once per import and text (`also`: what else the
        reading depends on, a zone); every value is still checked against its column (`order`)."""
        column, text = self._found(name)
        if text is None or column is None:
            return None
        try:
            order = self.readings.order(column, text, self.line)
            parsed = self.readings.parsed
            key = (text, order, *also)
            found = parsed.get(key)
            if found is None:
                found = parsed[key] = parse(text, order)
                _bound(parsed)
            return found
        except ValueProblem as exc:
            raise RowInvalid(column, str(exc)) from None

    def money(self, name: str) -> tuple[float, str | None] | None:
        readings, line = self.readings, self.line
        return self._read(name, lambda text, column: parse_money(text, readings.decimal(column, text, line)))

    def number(self, name: str) -> float | None:
        readings, line = self.readings, self.line
        return self._read(name, lambda text, column: parse_number(text, readings.decimal(column, text, line)))

    def integer(self, name: str) -> int | None:
        readings, line = self.readings, self.line
        return self._read(name, lambda text, column: parse_int(text, readings.decimal(column, text, line)))

    def fraction(self, name: str) -> float | None:
        readings, line = self.readings, self.line
        return self._read(name, lambda text, column: parse_fraction(text, readings.decimal(column, text, line)))

    def required(self, name: str, parse: Callable[[str], T]) -> T:
        found = self.value(name, parse)
        return self.needed(name, found)

    def needed(self, name: str, found: T | None) -> T:
        if found is None:
            raise RowInvalid(self.column(name), f"'{name}' is empty; it is required")
        return found

    def choice(self, name: str, allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> str | None:
        text = self.text(name)
        if text is None:
            return None
        word = text.lower().replace("-", "_").replace(" ", "_")
        word = (aliases or {}).get(word, word)
        if word not in allowed:
            raise RowInvalid(self.column(name), f"{shown(text)} is not one of: {', '.join(allowed)}")
        return word

    def email(self, name: str) -> str | None:
        """An e-mail address, or None; a value that is no address (a hash, a name) is set aside, not fatal."""
        text = self.text(name)
        if text is None:
            return None
        email = normalise_email(text)
        if email is None or "." not in email.rsplit("@", 1)[1]:
            self.bad_emails.append(self.column(name) or name)
            return None
        return email


PARSED_KEPT = 20_000  # dates and times read once per import and text: exports repeat days, seldom seconds


def _bound(parsed: dict[tuple[Any, ...], Any]) -> None:
    if len(parsed) > PARSED_KEPT:
        parsed.clear()


class Linker:
    """Accounts by external id, e-mail domain and normalised name, loaded once per import."""

    def __init__(self, connection: Connection, source: str) -> None:
        from sqlalchemy import text

        self.source = source
        self._links: dict[
            tuple[str | None, ...], int | str
        ] = {}  # (ids, e-mail host, domain, name) → account or why not
        self.keys: dict[tuple[str, str], int] = {}
        self.by_id: dict[str, set[int]] = {}
        self.sources_of: dict[int, set[str]] = {}
        for key_source, external_id, account_id in connection.execute(
            text("SELECT source, external_id, account_id FROM account_keys")
        ):
            self.remember_key(account_id, key_source, external_id)
        self.domains: dict[str, int] = {
            domain: account_id
            for domain, account_id in connection.execute(text("SELECT domain, account_id FROM account_domains"))
        }
        self.names: dict[str, list[int]] = {}
        self.labels: dict[int, str] = {}
        for account_id, name, name_norm in connection.execute(text("SELECT id, name, name_norm FROM accounts")):
            self.remember_account(account_id, name, name_norm)

    def remember_key(self, account_id: int, source: str, external_id: str) -> None:
        self._links.clear()
        self.keys[(source, external_id)] = account_id
        self.by_id.setdefault(external_id, set()).add(account_id)
        self.sources_of.setdefault(account_id, set()).add(source)

    def remember_account(self, account_id: int, name: str, name_norm: str) -> None:
        self._links.clear()
        self.names.setdefault(name_norm, []).append(account_id)
        self.labels[account_id] = name

    def same_name(self, name: str, candidates: list[int]) -> list[int]:
        """Of accounts whose names match but for case, punctuation and legal form, the one named exactly so
        where there is one ('Acme GmbH' beside 'Acme Inc.'); else all of them."""
        if len(candidates) < 2:
            return candidates
        wanted = " ".join(name.split()).casefold()
        exact = [a for a in candidates if " ".join(self.labels.get(a, "").split()).casefold() == wanted]
        return exact if len(exact) == 1 else candidates

    def alike(self, name: str, accounts: list[int]) -> str:
        """Why `name` links to none of several accounts that match it but for case, punctuation and legal form."""
        named = listed(sorted(shown(self.labels.get(a, "?")) for a in accounts))
        return f"{shown(name)} is as near to {named} (legal forms aside); give an account id"

    def remember_domain(self, domain: str, account_id: int) -> None:
        self._links.clear()
        self.domains[domain] = account_id

    def by_external_id(self, external_id: str) -> int | None:
        """This source's id first, then the same id from any tool (csm's own files may carry any of them)."""
        found = self.keys.get((self.source, external_id))
        if found is not None:
            return found
        anywhere = self.by_id.get(external_id, set())
        return next(iter(anywhere)) if len(anywhere) == 1 else None

    def link(self, row: Row, email: str | None) -> int:
        """Account id, then e-mail domain, then normalised account name; a row that links to nothing is invalid.
        Rows that give the same id, e-mail domain and name link the same way, so each is worked out once."""
        ids, name = row.text("account_id"), row.text("account")
        found = self.resolve(ids, email.rpartition("@")[2] if email else None, row.text("requester_domain"), name)
        if isinstance(found, int):
            return found
        column = row.column("account_id") if ids else (row.column("account") if name else None)
        raise RowInvalid(column, found)

    def resolve(self, ids: str | None, host: str | None, requester_domain: str | None, name: str | None) -> int | str:
        """The account that a row's account id, e-mail host, requester domain and account name link to, or why
        none: worked out once per import for each combination."""
        key = (ids, host, requester_domain, name)
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = self._resolve(*key)
        return found

    def _resolve(self, ids: str | None, host: str | None, requester_domain: str | None, name: str | None) -> int | str:
        """The account id, or why there is none."""
        tried: list[str] = []
        if ids is not None:
            for external_id in split_list(ids):
                found = self.by_external_id(external_id)
                if found is not None:
                    return found
            tried.append(f"account id {shown(ids)} is not in the book")
        domains = [registrable_domain(host)] if host else []
        if requester_domain:
            domains.append(normalise_domain(requester_domain))
        for domain in dict.fromkeys(domains):  # the requester's own and the file's, each tried (and named) once
            if domain in FREE_MAIL_DOMAINS:
                tried.append(f"{domain} is a free-mail domain")
                continue
            found = self.domains.get(domain)
            if found is not None:
                return found
            tried.append(f"no account has the domain {domain}")
        if name is not None:
            matches = self.same_name(name, self.names.get(normalise_name(name), []))
            if len(matches) == 1:
                return matches[0]
            if matches:
                tried.append(self.alike(name, matches))
            else:
                tried.append(f"no account is named {shown(name)}")
        if not tried:
            return "no account link: account id, e-mail and account name are all empty"
        return "links to no account: " + "; ".join(tried) + " (import the accounts first?)"
