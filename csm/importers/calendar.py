"""Calendar files (.ics) → one CalendarEvent row per occurrence, matched to accounts (issue 3, part 5).

Parsing is icalendar's and recurrence is recurring-ical-events'; this module only decides
what the book keeps: occurrences expanded once at import (as khal does) so that `csm today`
runs one indexed range query and never re-reads the file. Rules:
- a recurring series is expanded within [today - 400 days, today + 800 days]; a one-off event
  is always kept; cancelled events and cancelled occurrences are dropped;
- timed events keep their UTC instants, floating ones their wall time (floating=True), all-day
  ones their dates; start_date/end_date are the first and last day touched in the user's zone;
- TZIDs are read as csm.importers.zones says; Google's X-WR-TIMEZONE gives UTC and floating
  times the calendar's zone, as Google shows them;
- every attendee's RSVP (PARTSTAT) is kept; csm.domain.meetings reads each meeting's account, its kind
  (customer, internal, external, personal) and the CSM's own answer, stored beside it;
- a file icalendar cannot read at all is an InputError and nothing is written; one broken
  event (no start, an invalid date) is skipped with a warning naming it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from csm.db.calendars import occurrence_content, occurrence_key
from csm.domain.matching import normalise_email
from csm.domain.meetings import ANSWERS, CALENDAR_OWNER, AccountMatcher, Me, Reading
from csm.domain.words import plural
from csm.errors import InputError
from csm.importers.budget import MAX_SECONDS_PER_FILE, Budget, rule_problem
from csm.importers.report import ImportReport
from csm.importers.zones import named_zone, resolve_zone

if TYPE_CHECKING:
    from sqlmodel import Session

    from csm.config import Config

WINDOW_PAST = timedelta(days=400)
WINDOW_FUTURE = timedelta(days=800)
DATE_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")
SERIES_PROPERTIES = ("RRULE", "RDATE", "RECURRENCE-ID")
MAX_CALENDAR_BYTES = 64 * 1024**2  # a year of a busy calendar is a few MB; the whole file is parsed in memory
MAX_OCCURRENCES_PER_SERIES = 2000  # daily for the whole window fits; a MINUTELY rule would fill the book
_TICK = timedelta(microseconds=1)
EXPANSION_CHUNK = timedelta(days=31)


@dataclass(frozen=True)
class Occurrence:
    """One instance of an event as the file means it: start/end are dates, aware or floating datetimes."""

    uid: str
    recurrence_id: str | None
    rrule: str | None
    title: str
    location: str | None
    status: str | None
    start: date
    end: date
    attendees: tuple[str, ...]
    organizer: str | None
    answers: tuple[tuple[str, str], ...] = ()  # (address, PARTSTAT as csm.domain.meetings.ANSWERS words)


def import_calendar(
    session: Session, path: Path, *, config: Config, today: date, dry_run: bool, name: str | None = None
) -> ImportReport:
    """Replace the calendar `name` (default: the file's stem) with the file's occurrences."""
    report = ImportReport(kind="calendar", source="ics", file=path, dry_run=dry_run)
    window = (today - WINDOW_PAST, today + WINDOW_FUTURE)
    calendar = read_calendar(path, report)
    give_uids(calendar)
    series = series_text(calendar)
    occurrences = expand_calendar(calendar, window, report)
    warn_if_empty(calendar, occurrences, window, report)
    warn_if_not_yours(calendar, occurrences, Me.of(config), report)
    zone: tzinfo = ZoneInfo(config.timezone) if config.timezone else UTC
    from csm.db.bulk import hold_for_import

    hold_for_import(session.connection())  # before the first read: two imports of one calendar take turns
    rows = occurrence_rows(occurrences, zone, load_matcher(session, config))
    target = _once_in_the_book(session, name, path.stem, rows, report, dry_run)
    before = stored_occurrences(session, target)
    for row in rows:
        known = before.get(occurrence_key(row))
        if known is None:
            report.new += 1
        elif known == occurrence_content(row):
            report.unchanged += 1
        else:
            report.updated += 1
    if series is not None:
        repeating = {o.uid for o in occurrences if o.rrule or o.recurrence_id}
        meetings = sum(1 for o in occurrences if o.uid in repeating)
        expanded = (
            f"{plural(len(repeating), 'recurring event')} expanded into {plural(meetings, 'meeting')}"
            if repeating
            else "recurring events expanded (none has a meeting then)"
        )
        report.warnings.append(
            f"{expanded} from {window[0]} to {window[1]} (the new and unchanged counts are meetings); a report asking "
            "for a day outside those is expanded when it asks"
        )
    if not dry_run:
        replace_calendar(session, target, rows, window, series)
    return report


def _once_in_the_book(
    session: Session, name: str | None, stem: str, rows: list[dict[str, Any]], report: ImportReport, dry_run: bool
) -> str:
    """The calendar the file is; an occurrence that another calendar holds too (an invitation in a shared calendar
    and in yours) is taken from it, so that it shows once and as this newer file has it. A file not named (no
    --name) that is not yet in the book, but half or more of whose events another calendar holds, is that calendar
    exported again under another file name ("calendar (1).ics"): it replaces it."""
    from csm.db.calendars import drop_calendar, other_calendars, remove_occurrences
    from csm.db.runner import ConnectionRunner

    target = name or stem
    runner = ConnectionRunner(session.connection())
    others = other_calendars(runner, target)
    if not others or not rows:
        return target
    uids = {row["uid"] for row in rows}
    if name is None and not stored_occurrences(session, target):
        best, (their_uids, _keys) = max(others.items(), key=lambda item: (len(uids & item[1][0]), item[0]))
        shared = len(uids & their_uids)
        if shared * 2 >= len(uids):
            report.warnings.append(
                f"{shared} of the file's {plural(len(uids), 'event')} are in the calendar '{best}' already: this is "
                "that calendar exported again, so it replaces it"
            )
            target = best
            others.pop(best)
    keys = {occurrence_key(row) for row in rows}
    for calendar, (_uids, held) in sorted(others.items()):
        twice = [event_id for key, event_id in held.items() if key in keys]
        if not twice:
            continue
        whole = len(twice) == len(held)
        if whole:  # its series go too: a day outside the window would expand them again
            report.warnings.append(
                f"every meeting of the calendar '{calendar}' is in this file: it is replaced by '{target}'"
            )
        else:
            report.warnings.append(
                f"{plural(len(twice), 'meeting')} of the calendar '{calendar}' {'is' if len(twice) == 1 else 'are'} "
                f"in this file too: {'it is' if len(twice) == 1 else 'they are'} shown once, as this file has "
                f"{'it' if len(twice) == 1 else 'them'}"
            )
        if dry_run:
            continue
        if whole:
            drop_calendar(session, calendar)
        else:
            remove_occurrences(session, twice)
    return target


def occurrence_rows(occurrences: Iterable[Occurrence], zone: tzinfo, matcher: AccountMatcher) -> list[dict[str, Any]]:
    readings: dict[tuple[Any, ...], Reading] = {}  # a series repeats its attendees, answers and title
    rows = []
    for item in occurrences:
        key = (item.attendees, item.organizer, item.title, item.answers)
        if key not in readings:
            readings[key] = matcher.read(item.attendees, item.organizer, item.title, dict(item.answers))
        rows.append(event_row(item, zone, readings[key]))
    return rows


def load_matcher(session: Session, config: Config) -> AccountMatcher:
    """The book's contacts, domains and names, read once per import."""
    from csm.db.calendars import matching_facts
    from csm.db.runner import ConnectionRunner

    return AccountMatcher.from_facts(*matching_facts(ConnectionRunner(session.connection())), config)


def warn_if_empty(
    calendar: Any, occurrences: list[Occurrence], window: tuple[date, date], report: ImportReport
) -> None:
    """A calendar that imports nothing says why: only tasks, or only events outside the window."""
    if occurrences:
        return
    kinds = Counter(c.name for c in calendar.subcomponents)
    if not kinds["VEVENT"] and kinds["VTODO"]:
        report.warnings.append(
            f"the file holds only tasks ({kinds['VTODO']} VTODO), no events: nothing to show on an agenda; "
            "export the calendar itself, not its task list"
        )
    elif not kinds["VEVENT"]:
        report.warnings.append("the file holds no events")
    elif not report.skipped:
        report.warnings.append(
            f"no event of the file falls between {window[0]} and {window[1]} (its series ended or start later); "
            "nothing to show on today's agenda"
        )


def warn_if_not_yours(calendar: Any, occurrences: list[Occurrence], me: Me, report: ImportReport) -> None:
    """Your own answers are found through `owner` and `owner_aliases`: say so when the file shows they miss it
    (Google names a calendar by its owner's address; or meetings answered, none of them by you)."""
    named = normalise_email(str(calendar.get("X-WR-CALNAME", "")))
    if named and named not in me.addresses:
        set_it = f'add "{named}" to owner_aliases' if me.addresses else f'set owner = "{named}"'
        report.warnings.append(
            f"the file is the calendar of {named}, not an address of yours in the config (owner, owner_aliases): "
            f"csm cannot tell which meetings you declined; {set_it} in config.toml and import it again"
        )
        return
    answered = [o for o in occurrences if any(address != CALENDAR_OWNER for address, _ in o.answers)]
    if not answered or any(me.answer(dict(o.answers), o.organizer) is not None for o in answered):
        return
    if not me.addresses:
        report.warnings.append(
            "no owner in the config: csm cannot tell which meetings you declined or who your colleagues are; "
            'set owner = "you@company.example" (and owner_aliases for your other addresses) in config.toml'
        )
    else:
        report.warnings.append(
            f"{plural(len(answered), 'meeting')} with answers, none of them yours (owner, owner_aliases): "
            "if you answer invitations from another address, add it to owner_aliases in config.toml"
        )


def stored_occurrences(session: Session, name: str) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """The occurrences this calendar holds now (an earlier import of the same file): each key, with what an import
    may change of it."""
    from sqlmodel import select

    from csm.db.models import Calendar, CalendarEvent

    stored = session.exec(select(CalendarEvent).join(Calendar).where(Calendar.name == name)).all()
    return {occurrence_key(row): occurrence_content(row) for row in (event.model_dump() for event in stored)}


# Reading -----------------------------------------------------------------------------------


def read_calendar(path: Path, report: ImportReport) -> Any:
    """The file as one icalendar Calendar; a file icalendar rejects whole is retried leniently."""
    try:
        size = path.stat().st_size
        if size > MAX_CALENDAR_BYTES:
            raise InputError(
                f"{path} is {size / 1024**2:.0f} MB; csm reads calendar files up to "
                f"{MAX_CALENDAR_BYTES // 1024**2} MB (export a shorter date range)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the calendar file {path}: {exc.strerror or exc}") from exc
    refuse_other_kinds(path, data[:4096])
    try:
        components = parse_components(data, lenient=False)
    except Exception as strict_error:  # icalendar raises ValueError, KeyError, IndexError... on bad input
        try:
            components = parse_components(data, lenient=True)
        except Exception:
            raise InputError(f"{path} is not a calendar file icalendar can read: {strict_error}") from strict_error
        dropped = drop_broken_components(components)
        report.warnings.append(
            f"icalendar rejected the file ({strict_error}); imported what could be read"
            + (f", dropped {', '.join(dropped)}" if dropped else "")
        )
    calendar = merge_components(components, path)
    note_event_lines(calendar, data)
    return calendar


def note_event_lines(calendar: Any, data: bytes) -> None:
    """Give each event the file's line of its BEGIN:VEVENT and of each of its properties (`file_lines`), so that
    a warning about it can name the line; left out when the file's events and the calendar's do not pair up."""
    found: list[dict[str, int]] = []
    depth = 0  # inside an event: 1, inside its VALARM: 2
    for number, line in enumerate(data.splitlines(), start=1):
        if line[:1] in (b" ", b"\t"):
            continue  # a folded line continues the property above
        name = line.split(b":", 1)[0].split(b";", 1)[0].strip().upper().decode("ascii", "replace")
        value = line.split(b":", 1)[1].strip().upper() if b":" in line else b""
        if name == "BEGIN" and value == b"VEVENT":
            found.append({"BEGIN": number})
            depth = 1
        elif depth and name == "BEGIN":
            depth += 1
        elif depth and name == "END":
            depth -= 1
        elif depth == 1:
            found[-1].setdefault(name, number)
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    if len(events) == len(found):
        for event, lines in zip(events, found, strict=True):
            event.file_lines = lines


def line_of(event: Any, prop: str | None = None) -> str:
    """'line 14: ' for the event's property (else its BEGIN:VEVENT) in the file it was read from; '' where unknown
    (a series expanded again from the book)."""
    lines: dict[str, int] = getattr(event, "file_lines", {})
    number = lines.get(prop or "BEGIN", lines.get("BEGIN"))
    return f"line {number}: " if number is not None else ""


def refuse_other_kinds(path: Path, head: bytes) -> None:
    """A CSV, web page, workbook or JSON file given as a calendar is named, with the import that reads it."""
    from csm.importers.kinds import sniff, wrong_kind

    found = sniff(head)
    if found not in (None, "calendar"):
        raise InputError(wrong_kind(path, found))


def series_text(calendar: Any) -> str | None:
    """The file's recurring series and time zones as iCalendar text (None when it has no series), kept so
    that days outside the import's window can be expanded later exactly as the import would have."""
    from icalendar import Calendar

    uids = {str(c.get("UID", "")) for c in calendar.subcomponents if c.name == "VEVENT" and _is_series(c)}
    uids.discard("")
    if not uids:
        return None
    kept = Calendar()
    for key in ("X-WR-TIMEZONE", "PRODID"):
        if key in calendar:
            kept[key] = calendar[key]
    for component in calendar.subcomponents:
        if component.name == "VTIMEZONE" or (component.name == "VEVENT" and str(component.get("UID", "")) in uids):
            kept.add_component(component)
    return str(kept.to_ical().decode("utf-8", "replace"))


def _is_series(event: Any) -> bool:
    return any(p in event for p in SERIES_PROPERTIES)


def parse_components(data: bytes, *, lenient: bool) -> list[Any]:
    """icalendar's parse; leniently, a bad property in any component is recorded, not raised."""
    from icalendar import Calendar

    if not lenient:
        return list(Calendar.from_ical(data, multiple=True))
    from icalendar.parser.ical.component import ComponentIcalParser

    class LenientParser(ComponentIcalParser):
        def parse_and_add_property(self, name: str, *args: Any) -> None:
            try:
                super().parse_and_add_property(name, *args)
            except (ValueError, TypeError) as exc:
                if self.component is None:
                    raise
                self.component.errors.append((name, str(exc)))

    parser = LenientParser(data, Calendar._get_component_factory(), Calendar.types_factory)
    return list(parser.parse())


def drop_broken_components(components: Iterable[Any]) -> list[str]:
    """Remove sub-components other than events that carry parse errors; say which went."""
    dropped: list[str] = []
    for component in components:
        kept = []
        for sub in component.subcomponents:
            if sub.errors and sub.name != "VEVENT":
                dropped.append(f"a {sub.name} ({sub.errors[0][1]})")
            else:
                kept.append(sub)
        component.subcomponents[:] = kept
    return dropped


def merge_components(components: Sequence[Any], path: Path) -> Any:
    """One Calendar from the file's VCALENDARs and any bare top-level VEVENT/VTIMEZONE."""
    from icalendar import Calendar

    merged = Calendar()
    found = False
    for component in components:
        if component.name == "VCALENDAR":
            found = True
            for key in ("X-WR-TIMEZONE", "X-WR-CALNAME"):  # Google's zone, and its owner's address
                if key in component and key not in merged:
                    merged[key] = component[key]
            for sub in component.subcomponents:
                merged.add_component(sub)
        elif component.name in ("VEVENT", "VTIMEZONE"):
            found = True
            merged.add_component(component)
    if not found:
        raise InputError(
            f"{path} holds no complete calendar (no BEGIN:VCALENDAR ... END:VCALENDAR); "
            "is the file truncated or not an .ics file?"
        )
    if "PRODID" in first_calendar(components):
        merged["PRODID"] = first_calendar(components)["PRODID"]
    return merged


def first_calendar(components: Sequence[Any]) -> Any:
    return next((c for c in components if c.name == "VCALENDAR"), {})


# Preparing events --------------------------------------------------------------------------


def event_label(event: Any) -> str:
    """How a warning names an event: its UID, else its summary."""
    uid = str(event.get("UID", "")).strip()
    summary = str(event.get("SUMMARY", "")).strip()
    if uid and summary:
        return f"{summary!r} (UID {uid})"
    return repr(uid or summary) if uid or summary else "without UID or summary"


def event_problem(event: Any) -> tuple[str, str] | None:
    """Why an event cannot be placed on a calendar (no or invalid start, invalid dates), with the property at
    fault; or None."""
    for prop, message in event.errors:
        if prop in (*DATE_PROPERTIES, "DURATION", "RRULE"):
            return prop, f"invalid {prop}: {message}"
    start = event.get("DTSTART")
    if start is None:
        return "BEGIN", "no start (DTSTART)"
    if isinstance(start, list) or not isinstance(getattr(start, "dt", None), date):
        return "DTSTART", "invalid start (DTSTART)"
    return None


def give_uids(calendar: Any) -> None:
    """Every event gets a UID (recurrence needs a key; re-import replaces the calendar anyway)."""
    for index, event in enumerate(c for c in calendar.subcomponents if c.name == "VEVENT"):
        if not str(event.get("UID", "")).strip():
            event["UID"] = f"csm-no-uid-{index}"


def usable_events(calendar: Any, report: ImportReport) -> list[Any]:
    """The calendar's events minus the broken ones, each reported; every event gets a UID."""
    events = []
    for index, event in enumerate(c for c in calendar.subcomponents if c.name == "VEVENT"):
        problem = event_problem(event)
        if problem is not None:
            prop, why = problem
            report.warnings.append(f"{line_of(event, prop)}skipped event {event_label(event)}: {why}")
            report.skipped += 1
            continue
        if not str(event.get("UID", "")).strip():
            event["UID"] = f"csm-no-uid-{index}"  # recurrence needs a key; re-import replaces anyway
        events.append(event)
    return events


def file_zones(calendar: Any, report: ImportReport) -> dict[str, tzinfo]:
    """The file's own VTIMEZONEs, built per file (icalendar's global cache would mix files)."""
    zones: dict[str, tzinfo] = {}
    for component in calendar.subcomponents:
        if component.name != "VTIMEZONE":
            continue
        tzid = str(component.get("TZID", "")).strip()
        try:
            zones[tzid] = component.to_tz(lookup_tzid=False)
        except Exception as exc:  # a broken VTIMEZONE only matters if an event needs it
            report.warnings.append(f"ignored the time zone definition {tzid!r}: {exc}")
    return zones


def date_values(event: Any) -> Iterator[tuple[Any, Any]]:
    """(value holder, its property) for every date or date-time value in the event."""
    for name in DATE_PROPERTIES:
        props = event.get(name)
        for prop in props if isinstance(props, list) else [props] if props is not None else []:
            for holder in getattr(prop, "dts", [prop]):
                yield holder, prop


def localise_event(
    event: Any, zones: dict[str, tzinfo], report: ImportReport, *, floating: tzinfo | None = None
) -> None:
    """Give every TZID'd date-time the zone csm.importers.zones resolves (the wall time is the file's), and
    floating ones the `floating` zone where the file means one."""
    unknown: set[str] = set()
    for holder, prop in date_values(event):
        tzid = prop.params.get("TZID")
        value = getattr(holder, "dt", None)
        if not isinstance(value, datetime):
            continue
        if not tzid:
            if floating is not None and value.tzinfo is None:
                holder.dt = value.replace(tzinfo=floating)
            continue
        zone = resolve_zone(str(tzid), zones)
        if zone is None:
            unknown.add(str(tzid))
        holder.dt = value.replace(tzinfo=zone)
    for tzid in sorted(unknown):
        report.warnings.append(
            f"{line_of(event, 'DTSTART')}event {event_label(event)}: unknown time zone {tzid!r}; read as floating time"
        )


def align_all_day_overrides(events: Sequence[Any]) -> None:
    """An all-day series' override may name its instance by a local midnight (Exchange does):

    compare it by that wall date, never by its UTC instant, which falls on the previous day
    east of Greenwich.
    """
    from icalendar.prop import vDDDTypes

    all_day = {str(e["UID"]) for e in events if "RECURRENCE-ID" not in e and not isinstance(e["DTSTART"].dt, datetime)}
    for event in events:
        recurrence = event.get("RECURRENCE-ID")
        if str(event["UID"]) in all_day and isinstance(getattr(recurrence, "dt", None), datetime):
            event["RECURRENCE-ID"] = vDDDTypes(recurrence.dt.date())


def google_zone(calendar: Any, report: ImportReport) -> Any:
    """Read UTC and floating times in X-WR-TIMEZONE, as Google Calendar shows them."""
    declared = calendar.get("X-WR-TIMEZONE")
    if declared is None:
        return calendar
    zone = named_zone(str(declared))
    if zone is None:
        report.warnings.append(f"ignored X-WR-TIMEZONE {str(declared)!r}: not a known time zone")
        return calendar
    import x_wr_timezone  # type: ignore[import-untyped]

    try:
        return x_wr_timezone.to_standard(calendar, timezone=zone)
    except Exception as exc:  # the calendar stays usable as plain RFC 5545
        report.warnings.append(f"ignored X-WR-TIMEZONE {str(declared)!r}: {exc}")
        return calendar


# Expanding ---------------------------------------------------------------------------------


def expand_calendar(
    calendar: Any, window: tuple[date, date], report: ImportReport, *, series_only: bool = False
) -> list[Occurrence]:
    """Every live occurrence: one-off events whatever their date (unless `series_only`), series within the
    window, each series within the file's expansion budget."""
    from icalendar import Calendar

    zones = file_zones(calendar, report)
    events = usable_events(calendar, report)
    floating = exchange_zone(calendar, zones)
    for event in events:
        date_only_values(event)
        localise_event(event, zones, report, floating=floating)
    if floating is None and len(zones) > 1:
        _say_floating_in_many_zones(events, zones, report)
    align_all_day_overrides(events)
    prepared = Calendar()
    for key in ("X-WR-TIMEZONE",):
        if key in calendar:
            prepared[key] = calendar[key]
    for event in events:
        prepared.add_component(event)
    converted = [c for c in google_zone(prepared, report).subcomponents if c.name == "VEVENT"]
    if converted is not events and len(converted) == len(events):  # x-wr-timezone copies: keep the file's lines
        for copy, original in zip(converted, events, strict=True):
            copy.file_lines = getattr(original, "file_lines", {})
    events = converted
    series: dict[str, list[Any]] = defaultdict(list)
    occurrences: list[Occurrence] = []
    for event in events:
        if _is_series(event):
            series[str(event["UID"])].append(event)
    budget = Budget()
    for event in events:
        uid = str(event["UID"])
        if uid in series:
            if event is series[uid][0]:
                keep_override_durations(series[uid], report)
                occurrences.extend(expand_series(series[uid], window, report, budget))
        elif not series_only:
            occurrences.extend(single_occurrence(event, report))
    return [o for o in occurrences if o.status != "CANCELLED"]


def date_only_values(event: Any) -> None:
    """A VALUE=DATE value is a date even with a TZID beside it (a yearly holiday written by a zone-minded
    tool): icalendar reads it as local midnight, which would show as a midnight meeting."""
    from icalendar.prop import vDDDTypes

    for name in DATE_PROPERTIES:
        props = event.get(name)
        for prop in props if isinstance(props, list) else [props] if props is not None else []:
            if str(prop.params.get("VALUE", "")).upper() != "DATE":
                continue
            for holder in getattr(prop, "dts", [prop]):
                if isinstance(getattr(holder, "dt", None), datetime):
                    holder.dt = holder.dt.date()
            prop.params.pop("TZID", None)
            if name == "DTSTART" or name == "DTEND":
                event[name] = vDDDTypes(prop.dt)


def _say_floating_in_many_zones(events: list[Any], zones: dict[str, tzinfo], report: ImportReport) -> None:
    """A floating time in a file of one VTIMEZONE means that zone; in a file of several it could mean any of them,
    so it is read in the user's own zone, and the report says so."""
    floating = sum(
        1
        for e in events
        if isinstance(start := getattr(e.get("DTSTART"), "dt", None), datetime) and start.tzinfo is None
    )
    if floating:
        report.warnings.append(
            f"{plural(floating, 'event')} with a floating time (no zone) in a file that defines "
            f"{len(zones)} time zones ({', '.join(sorted(zones))}): read in your own time zone"
        )


def exchange_zone(calendar: Any, zones: dict[str, tzinfo]) -> tzinfo | None:
    """Exchange and Outlook write floating times meaning the one VTIMEZONE their file carries."""
    product = str(calendar.get("PRODID", "")).lower()
    if (
        "X-WR-TIMEZONE" in calendar
        or len(zones) != 1
        or not any(name in product for name in ("microsoft", "exchange", "outlook"))
    ):
        return None
    tzid = next(iter(zones))
    return resolve_zone(tzid, zones)


def keep_override_durations(components: list[Any], report: ImportReport) -> None:
    """An override whose DTEND is before its DTSTART keeps its start and takes the series' duration (swapping
    them would make a two-day meeting of a typo)."""
    from icalendar.prop import vDDDTypes

    master = next((c for c in components if "RECURRENCE-ID" not in c), None)
    if master is None:
        return
    start = master["DTSTART"].dt
    duration = event_end(master, start) - start
    for component in components:
        if component is master or "DTEND" not in component:
            continue
        begin, end = component["DTSTART"].dt, component["DTEND"].dt
        if type(begin) is type(end) and _comparable(begin, end) and end < begin:
            component["DTEND"] = vDDDTypes(begin + duration)
            report.warnings.append(
                f"{line_of(component, 'DTEND')}event {event_label(component)}: its end was before its start; kept the start and the series' duration"
            )


def _comparable(first: date, second: date) -> bool:
    if isinstance(first, datetime) and isinstance(second, datetime):
        return (first.tzinfo is None) == (second.tzinfo is None)
    return True


def single_occurrence(event: Any, report: ImportReport) -> list[Occurrence]:
    """A one-off event as its one occurrence (kept whatever its date)."""
    try:
        start = event["DTSTART"].dt
        return [occurrence(event, start, event_end(event, start), recurrence_id=None, rrule=None)]
    except Exception as exc:  # one bad event must not stop the import
        report.warnings.append(f"{line_of(event)}skipped event {event_label(event)}: {exc}")
        report.skipped += 1
        return []


def expand_series(
    components: list[Any], window: tuple[date, date], report: ImportReport, budget: Budget | None = None
) -> list[Occurrence]:
    """The occurrences of one UID's master and overrides inside the window, within the file's budget."""
    import recurring_ical_events
    from icalendar import Calendar

    budget = budget or Budget()
    series = Calendar()
    for component in components:
        series.add_component(component)
    master = next((c for c in components if "RECURRENCE-ID" not in c), None)
    rrule = master.get("RRULE") if master is not None else None
    rule = rrule.to_ical().decode() if rrule is not None and not isinstance(rrule, list) else None
    problem = rule_problem(rrule, master["DTSTART"].dt, window[1], budget) if master is not None else None
    if problem is None and budget.out_of_time():
        problem = f"the file's expansion took over {MAX_SECONDS_PER_FILE:.0f} s"
    if problem is not None:
        report.warnings.append(
            f"{line_of(master, 'RRULE')}skipped recurring event {event_label(components[0])}: {problem}"
        )
        report.skipped += 1
        return []
    found: list[Occurrence] = []
    try:
        for item in occurrences_in(recurring_ical_events.of(series), window):
            if len(found) == MAX_OCCURRENCES_PER_SERIES or budget.out_of_time():
                why = "the file's time limit" if budget.out_of_time() else f"the first {len(found)} occurrences"
                report.warnings.append(
                    f"{line_of(master, 'RRULE')}recurring event {event_label(components[0])}: kept {why} only"
                )
                break
            start = item["DTSTART"].dt
            found.append(
                occurrence(item, start, event_end(item, start), recurrence_id=recurrence_key(item), rrule=rule)
            )
        return found
    except Exception as exc:  # a series the library cannot expand is skipped, the rest imports
        report.warnings.append(f"{line_of(master, 'RRULE')}skipped recurring event {event_label(components[0])}: {exc}")
        report.skipped += 1
        return []


def occurrences_in(query: Any, window: tuple[date, date]) -> Iterator[Any]:
    """The series' occurrences touching the window, in start order, a month at a time, so that the caller's
    limits stop the work early (the library's open-ended after() stalls on dense rules)."""
    seen: set[Any] = set()
    chunk_start = window[0]
    while chunk_start < window[1]:
        chunk_end = min(chunk_start + EXPANSION_CHUNK, window[1])
        items = sorted(query.between(chunk_start, chunk_end), key=lambda item: _sort_key(item["DTSTART"].dt))
        for item in items:
            key = (item["DTSTART"].dt, str(item.get("RECURRENCE-ID", "")))
            if key not in seen:
                seen.add(key)
                yield item
        chunk_start = chunk_end


def _sort_key(value: date) -> tuple[date, str]:
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return (moment.astimezone(UTC).date(), moment.astimezone(UTC).isoformat())
    return (value, "")


def day_of(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def recurrence_key(component: Any) -> str | None:
    value = getattr(component.get("RECURRENCE-ID"), "dt", None)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    if isinstance(value, datetime):
        return value.strftime("%Y%m%dT%H%M%S")
    return value.strftime("%Y%m%d") if isinstance(value, date) else None


def event_end(event: Any, start: date) -> date:
    """DTEND, else DTSTART + DURATION, else RFC 5545's default (one day, or an instant)."""
    end_prop = event.get("DTEND")
    end = getattr(end_prop, "dt", None)
    if end is None and event.get("DURATION") is not None:
        duration = event["DURATION"].dt
        end = start + duration if isinstance(duration, timedelta) else None
    if end is None or isinstance(end, datetime) != isinstance(start, datetime):
        end = start if isinstance(start, datetime) else start + timedelta(days=1)
    if isinstance(start, datetime) and isinstance(end, datetime) and (start.tzinfo is None) != (end.tzinfo is None):
        end = end.replace(tzinfo=start.tzinfo)
    return end if end >= start else start


def occurrence(component: Any, start: date, end: date, *, recurrence_id: str | None, rrule: str | None) -> Occurrence:
    if _outlook_all_day(component, start, end):
        assert isinstance(start, datetime) and isinstance(end, datetime)
        start, end = start.date(), end.date()
    summary = str(component.get("SUMMARY", "")).strip()
    location = str(component.get("LOCATION", "")).strip()
    status = str(component.get("STATUS", "")).strip().upper()
    return Occurrence(
        uid=str(component["UID"]),
        recurrence_id=recurrence_id,
        rrule=rrule,
        title=summary or "(no title)",
        location=location or None,
        status=status or None,
        start=start,
        end=end,
        attendees=attendee_addresses(component.get("ATTENDEE")),
        organizer=address_of(component["ORGANIZER"]) if "ORGANIZER" in component else None,
        answers=attendee_answers(component.get("ATTENDEE"), component.get("X-MICROSOFT-CDO-BUSYSTATUS")),
    )


def _outlook_all_day(component: Any, start: date, end: date) -> bool:
    """Outlook writes an all-day event as midnight to midnight in its zone, marked X-MICROSOFT-CDO-ALLDAYEVENT: a day
    (or days), not a meeting at midnight."""
    if str(component.get("X-MICROSOFT-CDO-ALLDAYEVENT", "")).strip().upper() != "TRUE":
        return False
    return (
        isinstance(start, datetime)
        and isinstance(end, datetime)
        and end > start
        and start.time() == end.time() == time(0)
    )


def address_of(value: Any) -> str | None:
    """A calendar user's address: the mailto: value, else its EMAIL parameter (RFC 7986; Apple's servers write
    `EMAIL=ann@acme.example` beside a `urn:uuid:` value), lower-cased without whitespace (folding can leave some)."""
    params = getattr(value, "params", None) or {}
    return normalise_email(str(value)) or normalise_email(str(params.get("EMAIL", "")))


def attendee_addresses(value: Any) -> tuple[str, ...]:
    """Each attendee's address in file order, once."""
    values = value if isinstance(value, list) else [value] if value is not None else []
    return tuple(dict.fromkeys(a for v in values if (a := address_of(v))))


def attendee_answers(value: Any, busy_status: Any = None) -> tuple[tuple[str, str], ...]:
    """Each attendee's RSVP (PARTSTAT) where the file gives one (an address listed twice keeps its first), and the
    calendar owner's tentative answer where Outlook's busy status gives it."""
    values = value if isinstance(value, list) else [value] if value is not None else []
    found: dict[str, str] = {}
    for item in values:
        address = address_of(item)
        params = getattr(item, "params", None) or {}
        answer = ANSWERS.get(str(params.get("PARTSTAT", "")).strip().upper())
        if address and answer and address not in found:
            found[address] = answer
    if str(busy_status or "").strip().upper() == "TENTATIVE":
        found[CALENDAR_OWNER] = "tentative"
    return tuple(found.items())


# Rows and storage --------------------------------------------------------------------------


def event_row(item: Occurrence, zone: tzinfo, reading: Reading | None) -> dict[str, Any]:
    """The CalendarEvent columns for one occurrence, its days counted in the user's zone; `reading` is what
    csm.domain.meetings makes of it (None: not read yet)."""
    row: dict[str, Any] = {
        "uid": item.uid,
        "recurrence_id": item.recurrence_id,
        "rrule": item.rrule,
        "title": item.title,
        "location": item.location,
        "status": item.status,
        "attendees": json.dumps(list(item.attendees)),
        "organizer": item.organizer,
        "answers": json.dumps(dict(item.answers)) if item.answers else None,
        "account_id": reading.account_id if reading else None,
        "kind": reading.kind if reading else None,
        "rsvp": reading.rsvp if reading else None,
        "all_day": False,
        "floating": False,
        "starts_at": None,
        "ends_at": None,
    }
    start, end = item.start, item.end
    if not isinstance(start, datetime):
        last = end - timedelta(days=1) if end > start else start  # DTEND of a DATE is exclusive
        return row | {"all_day": True, "start_date": start, "end_date": last}
    assert isinstance(end, datetime)
    if start.tzinfo is None:
        # The column only takes aware values: a floating wall time is labelled UTC, as khal's
        # recs_float stores it, and the reader re-labels it with the user's zone.
        row |= {"floating": True, "starts_at": start.replace(tzinfo=UTC), "ends_at": end.replace(tzinfo=UTC)}
    else:
        row |= {"starts_at": start.astimezone(UTC), "ends_at": end.astimezone(UTC)}
        start, end = start.astimezone(zone), end.astimezone(zone)
    last_moment = end - _TICK if end > start else start  # an event ending at midnight ends the day before
    return row | {"start_date": start.date(), "end_date": last_moment.date()}


def replace_calendar(
    session: Session, name: str, rows: list[dict[str, Any]], window: tuple[date, date], series: str | None = None
) -> None:
    """The calendar's previous events go, these come, in the caller's transaction."""
    from sqlalchemy import delete, insert
    from sqlmodel import select

    from csm.clock import now_utc
    from csm.db.models import Calendar, CalendarEvent

    calendar = session.exec(select(Calendar).where(Calendar.name == name)).first()
    if calendar is None:
        calendar = Calendar(
            name=name, imported_at=now_utc(), expanded_from=window[0], expanded_until=window[1], series=series
        )
        session.add(calendar)
        session.flush()
    else:
        session.execute(delete(CalendarEvent).where(CalendarEvent.calendar_id == calendar.id))  # type: ignore[arg-type]
        calendar.imported_at = now_utc()
        calendar.expanded_from, calendar.expanded_until = window
        calendar.series = series
        session.add(calendar)
    if rows:
        session.execute(insert(CalendarEvent), [row | {"calendar_id": calendar.id} for row in rows])
    session.flush()
