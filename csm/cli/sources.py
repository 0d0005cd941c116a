"""`csm source add|list|remove` and `csm sync`: the exports and calendars refreshed each morning."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csm.cli.imports import DateOrderOption, Delimiter, Encoding, Kind, Source
from csm.cli.options import ColumnMaps, SkipInvalid, default_group
from csm.cli.state import AppState, state
from csm.errors import InputError, NotFoundError
from csm.render.safe import echo

if TYPE_CHECKING:
    from csm.sources.sync import Outcome

source_app = typer.Typer(
    cls=default_group("list"),
    help="Sources refreshed each morning: a file, a glob (its newest file), a folder (a vdir for a calendar, else "
    "its newest CSV), or an http(s):// or webcal:// address.",
)
# what every sync of a source says (a calendar's expansion, the reading the CSM gave it): not worth a line each morning
NOT_NEWS = (
    "recurring event expanded into",
    "recurring events expanded into",
    ", as --encoding says",
    ", as --date-order says;",
)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
KNOWN_HOSTS = (("google.com", "google"), ("office365.com", "outlook"), ("outlook.com", "outlook"),
               ("live.com", "outlook"), ("icloud.com", "icloud"), ("fastmail.com", "fastmail"))  # fmt: skip


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    md = "md"


class SyncFormat(StrEnum):
    table = "table"
    json = "json"


@source_app.command("add")
def source_add(
    kind: Annotated[
        Kind,
        typer.Argument(
            help="What it holds: any `csm import` kind (accounts, contacts, ..., calendar).",
            case_sensitive=False,
            metavar="KIND",
        ),
    ],
    location: Annotated[
        str,
        typer.Argument(
            help="A file; a glob such as '~/Downloads/report-*.csv' (its newest file); a folder (a vdir "
            "of .ics files for a calendar, else its newest CSV); or an http(s):// or webcal:// address.",
            metavar="LOCATION",
        ),
    ],
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="What csm calls it (and its calendar); default: an export's kind ('accounts', then "
            "'accounts-2'), a calendar's service (google, outlook), vdir or file name.",
            metavar="NAME",
        ),
    ] = None,
    source: Annotated[
        Source, typer.Option("--source", help="The tool that writes the export; auto-detected from the header row.")
    ] = Source.auto,
    maps: ColumnMaps = None,
    skip_invalid: SkipInvalid = False,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    date_order: DateOrderOption = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the source of this name (a new address).")
    ] = False,
    no_sync: Annotated[bool, typer.Option("--no-sync", help="Add it without syncing it now.")] = False,
) -> None:
    """Add a source: `csm sync` and `csm today` import it again whenever it changed.

    A secret in an address (a token in the query, user:password, Google's private-... key) is kept in the book and
    never printed or exported.
    """
    from csm.db.sources import add_source, all_sources, source_named
    from csm.importers.sources import parse_mapping
    from csm.sources.locations import form_of, is_loopback, masked, stored_location

    if kind == Kind.book:
        raise InputError("a whole book ('csm import book') is not a source; sources are exports and calendars")
    where = stored_location(location)
    parse_mapping(maps or [])  # a bad --map is refused now, not every morning
    reading = _reading(kind, encoding, delimiter, date_order.value if date_order else None)  # so is a bad --encoding
    if name is not None and not NAME.match(name):  # refused before a missing book is made for it
        raise InputError(f"{name!r} is not a source name: letters, digits, '.', '-' and '_', up to 64")
    app_state = state()
    app_state.create_book()  # a source is data the book keeps
    runner = app_state.runner
    chosen = name if name is not None else _default_name(runner, kind.value, where)
    if not NAME.match(chosen):
        raise InputError(f"{chosen!r} is not a source name: letters, digits, '.', '-' and '_', up to 64")
    twin = next((s for s in all_sources(runner) if s["kind"] == kind.value and s["location"] == where
                 and s["name"] != chosen), None)  # fmt: skip
    if twin is not None:
        raise InputError(
            f"the {kind.value} source '{twin['name']}' reads {masked(where)} already; 'csm sync {twin['name']}' "
            f"refreshes it (or 'csm source remove {twin['name']}' first, to give it another name)"
        )
    existing = source_named(runner, chosen)
    if existing is not None and not replace:
        raise InputError(
            f"there is already a source '{chosen}' ({existing['kind']}, {masked(str(existing['location']))}); "
            "choose another --name, or pass --replace to give it this location"
        )
    from urllib.parse import urlsplit

    if (
        form_of(where) == "url"
        and urlsplit(where).scheme.lower() == "http"
        and not is_loopback(urlsplit(where).hostname)
    ):
        echo("csm: warning: an http:// address travels unencrypted, its secret with it; use https:// if the service "
             "offers it", err=True)  # fmt: skip
    from csm.clock import now_utc

    earlier_calendar = kind == Kind.calendar and runner.rows(
        "SELECT 1 AS found FROM calendars WHERE name = :name", {"name": chosen}
    )
    with runner.transaction():
        add_source(runner, {
            "name": chosen, "kind": kind.value, "location": where, "tool": source.value, "mapping": maps or [],
            "skip_invalid": skip_invalid, "owner": app_state.config.owner, "added_at": now_utc(), **reading,
        })  # fmt: skip
    echo(f"{'Replaced' if existing else 'Added'} {kind.value} source '{chosen}': {masked(where)}")
    if earlier_calendar and existing is None:
        echo(f"Its events replace those of the calendar '{chosen}' imported before, from its first sync on.")
    if no_sync:
        echo(f"'csm sync {chosen}' imports it (and 'csm today' does, when it is due).")
        return
    added = source_named(runner, chosen)
    assert added is not None
    (outcome,) = _sync(app_state, [added], output="table")
    if outcome.failed:
        raise InputError(
            f"the source '{chosen}' is kept, but its first sync failed; fix the cause and run 'csm sync {chosen}', "
            f"or give it another location with 'csm source add {kind.value} LOCATION --name {chosen} --replace'"
        )


def _reading(kind: Kind, encoding: str | None, delimiter: str | None, date_order: str | None) -> dict[str, str | None]:
    """How the source's files are written, checked as `csm import` checks it: an encoding Python knows (kept by its
    canonical name), one delimiter character; none of them for a calendar."""
    from csm.importers.reading import delimiter_of, encoding_named

    if kind == Kind.calendar and (encoding or delimiter or date_order):
        raise InputError("--encoding, --delimiter and --date-order are for CSV exports; a calendar says its own")
    return {
        "encoding": encoding_named(encoding) if encoding else None,
        "delimiter": delimiter_of(delimiter) if delimiter else None,
        "date_order": date_order,
    }


def _default_name(runner: Any, kind: str, location: str) -> str:
    """The kind; for a calendar, its service's name, a vdir's display name or a file's stem. A name taken
    already gets -2, -3, ..."""
    from urllib.parse import urlsplit

    from csm.db.sources import source_named
    from csm.sources.locations import display_name, form_of

    form = form_of(location)
    base = kind  # an export is named for what it holds: 'contacts', then 'contacts-2'
    if kind == "calendar" and form == "url":
        host = (urlsplit(location).hostname or "").lower()
        base = next((nick for suffix, nick in KNOWN_HOSTS if host.endswith(suffix)), kind)
    elif kind == "calendar" and form == "folder":
        base = display_name(Path(location)) or Path(location).name
    elif kind == "calendar" and form == "file":
        base = Path(location).stem
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-_.")[:56] or kind
    chosen, number = cleaned, 2
    while source_named(runner, chosen) is not None:
        chosen, number = f"{cleaned}-{number}", number + 1
    return chosen


@source_app.command("list")
def source_list(
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table (Rich), json (for scripts) or md (Markdown).")
    ] = ListFormat.table,
) -> None:
    """The sources, their locations (secrets masked), when each was last found good, and what its last sync did."""
    from csm.clock import now_utc
    from csm.db.sources import all_sources
    from csm.render.listing import Column, Listing, emit
    from csm.render.sources import source_rows

    app_state = state()
    rows = source_rows([_public(s, app_state) for s in all_sources(app_state.runner)], now_utc(), app_state.zone)
    if output_format == ListFormat.json:
        from csm.render.listing import to_json

        typer.echo(to_json([{k: v for k, v in r.items() if k not in ("last_good", "status")} for r in rows]))
        return
    columns = [Column("name", "Name"), Column("kind", "Kind"), Column("location", "Location"),
               Column("last_good", "Data from"), Column("status", "Last sync")]  # fmt: skip
    empty = "No sources yet: 'csm source add calendar https://...' (see the README's 'Set up your mornings')."
    emit(Listing("Sources", columns, rows, empty), output_format.value)


def _public(source: dict[str, Any], app_state: AppState) -> dict[str, Any]:
    """A source as outputs show it: the location masked, the validators csm keeps for itself left out."""
    from csm.clock import now_utc
    from csm.sources.locations import form_of, masked

    now = now_utc()
    synced = source["synced_at"]
    age = int((now - synced).total_seconds() // 60) if synced is not None else None
    fresh = source["outcome"] != "failed" and age is not None and age <= app_state.config.sync.max_age_minutes
    return {
        "name": source["name"], "kind": source["kind"], "location": masked(str(source["location"])),
        "form": form_of(str(source["location"])), "tool": source["tool"], "mapping": source["mapping"],
        "skip_invalid": source["skip_invalid"], "encoding": source["encoding"], "delimiter": source["delimiter"],
        "date_order": source["date_order"], "owner": source["owner"], "added_at": source["added_at"],
        "checked_at": source["checked_at"], "synced_at": synced, "age_minutes": age, "fresh": fresh,
        "outcome": source["outcome"], "error": source["error"], "item": source["item"], "counts": source["counts"],
    }  # fmt: skip


@source_app.command("remove")
def source_remove(
    name: Annotated[str, typer.Argument(help="The source's name ('csm source list' shows them).", metavar="NAME")],
    keep_calendar: Annotated[
        bool, typer.Option("--keep-calendar", help="A calendar source: keep its events in the book.")
    ] = False,
) -> None:
    """Stop refreshing a source. What it imported stays in the book, but a calendar's events go with it."""
    from csm.db.calendars import remove_calendar
    from csm.db.runner import session_runner
    from csm.db.sources import remove_source

    app_state = state()
    found = _named(app_state, [name])[0]
    removed = 0
    with app_state.book.session() as session:
        runner = session_runner(session)
        remove_source(runner, name)
        if found["kind"] == "calendar" and not keep_calendar:
            removed = remove_calendar(runner, name)
    if found["kind"] == "calendar" and not keep_calendar:
        echo(f"Removed calendar source '{name}' and its {removed:,} events.")
    else:
        echo(f"Removed {found['kind']} source '{name}'; what it imported stays in the book.")


def _named(app_state: AppState, names: list[str]) -> list[dict[str, Any]]:
    """The sources of these names, in the order given; an unknown name is an error naming the known ones."""
    from csm.db.sources import all_sources

    sources = {str(s["name"]): s for s in all_sources(app_state.runner)}
    unknown = [n for n in names if n not in sources]
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], list(sources), n=3)
        hint = (
            f"; did you mean {', '.join(repr(c) for c in close)}?"
            if close
            else (f"; the sources are: {', '.join(sources)}" if sources else "; there are none yet ('csm source add')")
        )
        raise NotFoundError(f"no source named {unknown[0]!r}{hint}")
    return [sources[n] for n in dict.fromkeys(names)]


def sync(
    names: Annotated[
        list[str] | None, typer.Argument(help="The sources to refresh (default: all of yours).", metavar="[NAME]...")
    ] = None,
    output_format: Annotated[
        SyncFormat, typer.Option("--format", "-f", help="One line per source, or JSON for scripts.")
    ] = SyncFormat.table,
) -> None:
    """Refresh sources now: fetch or read each, skip it if unchanged, else import it (all or nothing), accounts
    before contacts, tickets and calendars. Exit code 1 when any failed; the others are still imported.

    Without NAME: every source, but in a team book (your config names an `owner`) only yours and those added
    without an owner; another CSM's file or folder is on their machine. By NAME: any source."""
    from csm.cli.today import source_owners
    from csm.db.sources import all_sources, owned_by

    app_state = state()
    every = all_sources(app_state.runner)
    owners = source_owners(app_state, mine=None)
    chosen = _named(app_state, names) if names else [s for s in every if owned_by(s, owners)]
    others = [str(s["name"]) for s in every if not names and not owned_by(s, owners)]
    if others and output_format == SyncFormat.table:
        from csm.domain.words import plural

        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        echo(f"Left out {plural(len(others), 'source')} other CSMs added ({shown}); 'csm sync NAME' syncs one.")
    if not chosen and output_format == SyncFormat.table:
        if not others:
            echo("No sources to sync: add one with 'csm source add KIND LOCATION' (see 'csm source add --help').")
        return
    outcomes = _sync(app_state, chosen, output=output_format.value) if chosen else []
    if output_format == SyncFormat.json:
        from dataclasses import asdict

        from csm.render.listing import to_json

        typer.echo(to_json({"sources": [asdict(o) for o in outcomes], "failed": [o.name for o in outcomes if o.failed],
                            "left_out": others}))  # fmt: skip
    failed = [o.name for o in outcomes if o.failed]
    if failed:
        raise InputError(f"{len(failed)} of {len(outcomes)} sources failed: {', '.join(failed)}")


def _sync(app_state: AppState, sources: list[dict[str, Any]], *, output: str) -> list[Outcome]:
    from csm.render.sources import outcome_line
    from csm.sources.sync import sync_sources

    def shown(outcome: Outcome) -> None:
        if output == "table":
            echo(outcome_line(outcome))
            for warning in outcome.warnings:
                if not any(said in warning for said in NOT_NEWS):
                    echo(f"csm: warning: {outcome.kind} '{outcome.name}': {warning}", err=True)

    return sync_sources(app_state, sources, timeout=app_state.config.sync.timeout_seconds, on_outcome=shown,
                        silent=output != "table")  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(source_app, name="source")
    app.command()(sync)
