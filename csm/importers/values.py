"""Cell values as real tools write them: dates, date-times, money, numbers, booleans and empty cells."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

# Zendesk (a Rails app) writes time zones by ActiveSupport's display names.
RAILS_ZONES = {
    "International Date Line West": "Etc/GMT+12",
    "Midway Island": "Pacific/Midway",
    "American Samoa": "Pacific/Pago_Pago",
    "Hawaii": "Pacific/Honolulu",
    "Alaska": "America/Juneau",
    "Pacific Time (US & Canada)": "America/Los_Angeles",
    "Tijuana": "America/Tijuana",
    "Mountain Time (US & Canada)": "America/Denver",
    "Arizona": "America/Phoenix",
    "Chihuahua": "America/Chihuahua",
    "Mazatlan": "America/Mazatlan",
    "Central Time (US & Canada)": "America/Chicago",
    "Saskatchewan": "America/Regina",
    "Guadalajara": "America/Mexico_City",
    "Mexico City": "America/Mexico_City",
    "Monterrey": "America/Monterrey",
    "Central America": "America/Guatemala",
    "Eastern Time (US & Canada)": "America/New_York",
    "Indiana (East)": "America/Indiana/Indianapolis",
    "Bogota": "America/Bogota",
    "Lima": "America/Lima",
    "Quito": "America/Lima",
    "Atlantic Time (Canada)": "America/Halifax",
    "Caracas": "America/Caracas",
    "La Paz": "America/La_Paz",
    "Santiago": "America/Santiago",
    "Newfoundland": "America/St_Johns",
    "Brasilia": "America/Sao_Paulo",
    "Buenos Aires": "America/Argentina/Buenos_Aires",
    "Montevideo": "America/Montevideo",
    "Georgetown": "America/Guyana",
    "Puerto Rico": "America/Puerto_Rico",
    "Greenland": "America/Godthab",
    "Mid-Atlantic": "Atlantic/South_Georgia",
    "Azores": "Atlantic/Azores",
    "Cape Verde Is.": "Atlantic/Cape_Verde",
    "Dublin": "Europe/Dublin",
    "Edinburgh": "Europe/London",
    "Lisbon": "Europe/Lisbon",
    "London": "Europe/London",
    "Casablanca": "Africa/Casablanca",
    "Monrovia": "Africa/Monrovia",
    "UTC": "Etc/UTC",
    "Belgrade": "Europe/Belgrade",
    "Bratislava": "Europe/Bratislava",
    "Budapest": "Europe/Budapest",
    "Ljubljana": "Europe/Ljubljana",
    "Prague": "Europe/Prague",
    "Sarajevo": "Europe/Sarajevo",
    "Skopje": "Europe/Skopje",
    "Warsaw": "Europe/Warsaw",
    "Zagreb": "Europe/Zagreb",
    "Brussels": "Europe/Brussels",
    "Copenhagen": "Europe/Copenhagen",
    "Madrid": "Europe/Madrid",
    "Paris": "Europe/Paris",
    "Amsterdam": "Europe/Amsterdam",
    "Berlin": "Europe/Berlin",
    "Bern": "Europe/Zurich",
    "Zurich": "Europe/Zurich",
    "Rome": "Europe/Rome",
    "Stockholm": "Europe/Stockholm",
    "Vienna": "Europe/Vienna",
    "West Central Africa": "Africa/Algiers",
    "Bucharest": "Europe/Bucharest",
    "Cairo": "Africa/Cairo",
    "Helsinki": "Europe/Helsinki",
    "Kyiv": "Europe/Kiev",
    "Riga": "Europe/Riga",
    "Sofia": "Europe/Sofia",
    "Tallinn": "Europe/Tallinn",
    "Vilnius": "Europe/Vilnius",
    "Athens": "Europe/Athens",
    "Istanbul": "Europe/Istanbul",
    "Minsk": "Europe/Minsk",
    "Jerusalem": "Asia/Jerusalem",
    "Harare": "Africa/Harare",
    "Pretoria": "Africa/Johannesburg",
    "Kaliningrad": "Europe/Kaliningrad",
    "Moscow": "Europe/Moscow",
    "St. Petersburg": "Europe/Moscow",
    "Volgograd": "Europe/Volgograd",
    "Samara": "Europe/Samara",
    "Kuwait": "Asia/Kuwait",
    "Riyadh": "Asia/Riyadh",
    "Nairobi": "Africa/Nairobi",
    "Baghdad": "Asia/Baghdad",
    "Tehran": "Asia/Tehran",
    "Abu Dhabi": "Asia/Muscat",
    "Muscat": "Asia/Muscat",
    "Baku": "Asia/Baku",
    "Tbilisi": "Asia/Tbilisi",
    "Yerevan": "Asia/Yerevan",
    "Kabul": "Asia/Kabul",
    "Ekaterinburg": "Asia/Yekaterinburg",
    "Islamabad": "Asia/Karachi",
    "Karachi": "Asia/Karachi",
    "Tashkent": "Asia/Tashkent",
    "Chennai": "Asia/Kolkata",
    "Kolkata": "Asia/Kolkata",
    "Mumbai": "Asia/Kolkata",
    "New Delhi": "Asia/Kolkata",
    "Kathmandu": "Asia/Kathmandu",
    "Astana": "Asia/Dhaka",
    "Dhaka": "Asia/Dhaka",
    "Sri Jayawardenepura": "Asia/Colombo",
    "Almaty": "Asia/Almaty",
    "Novosibirsk": "Asia/Novosibirsk",
    "Rangoon": "Asia/Rangoon",
    "Bangkok": "Asia/Bangkok",
    "Hanoi": "Asia/Bangkok",
    "Jakarta": "Asia/Jakarta",
    "Krasnoyarsk": "Asia/Krasnoyarsk",
    "Beijing": "Asia/Shanghai",
    "Chongqing": "Asia/Chongqing",
    "Hong Kong": "Asia/Hong_Kong",
    "Urumqi": "Asia/Urumqi",
    "Kuala Lumpur": "Asia/Kuala_Lumpur",
    "Singapore": "Asia/Singapore",
    "Taipei": "Asia/Taipei",
    "Perth": "Australia/Perth",
    "Irkutsk": "Asia/Irkutsk",
    "Ulaanbaatar": "Asia/Ulaanbaatar",
    "Seoul": "Asia/Seoul",
    "Osaka": "Asia/Tokyo",
    "Sapporo": "Asia/Tokyo",
    "Tokyo": "Asia/Tokyo",
    "Yakutsk": "Asia/Yakutsk",
    "Darwin": "Australia/Darwin",
    "Adelaide": "Australia/Adelaide",
    "Canberra": "Australia/Melbourne",
    "Melbourne": "Australia/Melbourne",
    "Sydney": "Australia/Sydney",
    "Brisbane": "Australia/Brisbane",
    "Hobart": "Australia/Hobart",
    "Vladivostok": "Asia/Vladivostok",
    "Guam": "Pacific/Guam",
    "Port Moresby": "Pacific/Port_Moresby",
    "Magadan": "Asia/Magadan",
    "Srednekolymsk": "Asia/Srednekolymsk",
    "Solomon Is.": "Pacific/Guadalcanal",
    "New Caledonia": "Pacific/Noumea",
    "Fiji": "Pacific/Fiji",
    "Kamchatka": "Asia/Kamchatka",
    "Marshall Is.": "Pacific/Majuro",
    "Auckland": "Pacific/Auckland",
    "Wellington": "Pacific/Auckland",
    "Nuku'alofa": "Pacific/Tongatapu",
    "Tokelau Is.": "Pacific/Fakaofo",
    "Chatham Is.": "Pacific/Chatham",
    "Samoa": "Pacific/Apia",
}
_RAILS_BY_LOWER = {name.lower(): zone for name, zone in RAILS_ZONES.items()}
# "2027-03-01 09:00 Pacific Time (US & Canada)" or "... (GMT-08:00) Pacific Time (US & Canada)"
_TRAILING_ZONE = re.compile(r"^(?P<stamp>.*?\d)\s+(?:\((?:GMT|UTC)[+-]\d{2}:\d{2}\)\s*)?(?P<zone>[A-Za-z][^\d]*)$")
_Z_AND_OFFSET = re.compile(r"Z\s*[+-]\d{2}:?\d{2}$", re.IGNORECASE)
# 15/03/2027, 03-15-27, 15.03.2027, 2027/03/15, each optionally followed by a time
_NUMERIC_DATE = re.compile(
    r"^(?P<a>\d{1,4})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})\.?(?:[T\s,]+(?P<time>.*))?$"
)
# 15-Mar-24, 15 Mar 2024, 15. März 2027 (Excel and European reports), and Mar 15, 2024 / March 1, 2027
_DAY_MONTH_NAME = re.compile(
    r"^(?P<d>\d{1,2})\.?[\s/-](?P<m>[^\W\d_]{3,10})\.?[\s/-](?P<y>\d{2}|\d{4})(?:[T\s,]+(?P<time>.*))?$"
)
_MONTH_NAME_DAY = re.compile(
    r"^(?P<m>[^\W\d_]{3,10})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?:[T\s,]+(?P<time>.*))?$"
)
_ISO_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)")
_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")
MONTHS = {
    **{m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)},
    **{m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], start=1)},
    "sept": 9, "mrz": 3, "mär": 3, "märz": 3, "mai": 5, "okt": 10, "dez": 12, "januar": 1, "februar": 2,
    "juni": 6, "juli": 7, "oktober": 10, "dezember": 12, "janv": 1, "févr": 2, "fevr": 2, "mars": 3, "avr": 4,
    "juin": 6, "juil": 7, "août": 8, "aout": 8, "déc": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12,
}  # fmt: skip
DATE_ORDERS = ("mdy", "dmy", "ymd")
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's 1900 system, counting its phantom 1900-02-29
SERIAL_RANGE = (20_000, 80_000)  # 1954-10-03 .. 2119-01-10: a serial outside this is a number, not a date
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
INT_LIMIT = 2**53  # above this a number is no count anyone means (and SQLite's integer would overflow)
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_EDGES = frozenset(_INVISIBLE + "'")
# every character str.isspace() is true of (a test holds the two equal), so clean() tells in one set lookup
# per end that a cell needs no trimming
_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
TRIMMED = frozenset(_SPACES) | _EDGES  # a cell that starts or ends with one of these needs clean()'s work
_CURRENCY_CODES = re.compile(r"^(?P<code>[A-Z]{3})\s*|\s*(?P<tail>[A-Z]{3})$")
_CURRENCY_SYMBOLS = {
    "$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF", "Fr.": "CHF",
    "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "R$": "BRL", "kr": "SEK", "zł": "PLN",
    "₩": "KRW", "₽": "RUB", "₺": "TRY",
}  # fmt: skip
TRUE_WORDS = frozenset(
    ["true", "t", "yes", "y", "1", "x", "on", "checked", "✓", "wahr", "vrai", "ja", "oui", "si", "sí"]
)
FALSE_WORDS = frozenset(["false", "f", "no", "n", "0", "off", "unchecked", "falsch", "faux", "nein", "non"])


def shown(text: str, width: int = 40) -> str:
    """A cell as an error message may echo it: quoted, escaped, and cut short."""
    return repr(text if len(text) <= width else text[: width - 1] + "…")


class ValueProblem(ValueError):
    """A cell that cannot be read as the kind of value its column needs; the message says why."""


def clean(text: str | None) -> str | None:
    """Trim every kind of whitespace (U+3000, no-break space, zero-width); an empty cell is None."""
    if not text:
        return None
    if text[0] not in TRIMMED and text[-1] not in TRIMMED:
        return text  # the common case: nothing to trim
    stripped = text.strip().strip(_INVISIBLE).strip()
    if stripped[:1] == "'" and stripped[1:2] in ("=", "+", "-", "@"):
        stripped = stripped[1:]  # the apostrophe csm export (and careful spreadsheets) put before formula-like text
    return stripped or None


# Dates --------------------------------------------------------------------------------------------


def date_evidence(text: str) -> str | None:
    """What one value says about its column's order: 'dmy' or 'mdy' (it proves that order), 'ambiguous'
    (it reads either way), 'serial' (an Excel serial date), 'fixed' (ISO, named months: order-free), or None."""
    value = text.strip()
    if _ISO_DATE_PREFIX.match(value):
        return "fixed"
    match = _NUMERIC_DATE.match(value)
    if match:
        a, b = match["a"], match["b"]
        if len(a) == 4:
            return "fixed"  # 2027/03/15: year first, then month, as every tool that writes it means
        if match["sep"] == "." or int(a) > 12 >= int(b):
            return "dmy"  # dotted dates are day-first wherever they are written
        if int(b) > 12 >= int(a):
            return "mdy"
        if int(a) > 12:
            return None
        return "fixed" if a == b else "ambiguous"
    if _DAY_MONTH_NAME.match(value) or _MONTH_NAME_DAY.match(value):
        return "fixed"
    if _SERIAL.match(value):
        return "serial"
    return None


def parse_date(text: str, order: str = "mdy", *, serials: bool = False) -> date:
    """ISO (2027-03-01), numeric dates in `order` (03/01/2027 is 1 March under mdy, 3 January under dmy;
    dotted 15.03.2027 is always day-first), month names (15-Mar-24, March 1, 2027), a date-time's own date,
    and Excel serials (46478) when `serials`."""
    value = text.strip()
    if _Z_AND_OFFSET.search(value):
        raise ValueProblem(f"{shown(text)} has both 'Z' (UTC) and an offset; which one is meant is unclear")
    day, _clock = _split_date(value, text, order, serials=serials)
    return day


def _split_date(value: str, original: str, order: str, *, serials: bool) -> tuple[date, str | None]:
    """The date of a value and the time text after it (None when there is none)."""
    match = _ISO_DATE_PREFIX.match(value)
    if match:
        rest = value[10:].lstrip("T ").strip()
        return _real_date(int(match[1]), int(match[2]), int(match[3]), original), rest or None
    numeric = _NUMERIC_DATE.match(value)
    if numeric:
        a, b, c = numeric["a"], numeric["b"], numeric["c"]
        if len(a) == 4 or (order == "ymd" and numeric["sep"] != "." and len(c) < 4):
            year, month, day = a, b, c  # ymd applies only where the year may be written first
        elif numeric["sep"] == "." or order == "dmy":
            day, month, year = a, b, c
        else:
            month, day, year = a, b, c
        return _real_date(_full_year(year), int(month), int(day), original, order), numeric["time"]
    named = _DAY_MONTH_NAME.match(value) or _MONTH_NAME_DAY.match(value)
    if named:
        month = MONTHS.get(named["m"].lower().rstrip("."))
        if month is None:
            raise ValueProblem(f"{shown(original)} is not a date: {named['m']!r} is not a month")
        return _real_date(_full_year(named["y"]), month, int(named["d"]), original), named["time"]
    if serials and _SERIAL.match(value):
        return excel_serial(value, original).date(), None
    if _SERIAL.match(value) or value.isdigit():
        raise ValueProblem(f"{shown(original)} is not a date; use YYYY-MM-DD")
    moment = _dateutil_parse(value, original, order)
    return _real_date(moment.year, moment.month, moment.day, original), None


def _full_year(written: str) -> int:
    year = int(written)
    if len(written) <= 2:
        return year + (1900 if year >= 69 else 2000)  # POSIX's pivot, as strptime's %y reads it
    return year


def _real_date(year: int, month: int, day: int, original: str, order: str | None = None) -> date:
    try:
        found = date(year, month, day)
    except ValueError:
        how = {"mdy": " (month/day/year)", "dmy": " (day/month/year)", "ymd": " (year/month/day)"}
        raise ValueProblem(f"{shown(original)} is not a real date{how.get(order or '', '')}") from None
    return in_range(found, original)


def in_range(found: date, original: str) -> date:
    if not EARLIEST <= found <= LATEST:
        raise ValueProblem(
            f"{shown(original)} is out of range: csm keeps dates from {EARLIEST.year} to {LATEST.year} "
            "(leave the cell empty for no date)"
        )
    return found


def excel_serial(value: str, original: str) -> datetime:
    """A serial day number of Excel's 1900 date system (46478 = 2027-04-01); a fraction is the time of day."""
    number = float(value.replace(",", "."))
    if not SERIAL_RANGE[0] <= number < SERIAL_RANGE[1]:
        raise ValueProblem(f"{shown(original)} is not a date; use YYYY-MM-DD")
    return datetime.combine(EXCEL_EPOCH, datetime.min.time()) + timedelta(days=number)


def parse_datetime(text: str, *, zone: tzinfo = UTC, order: str = "mdy", serials: bool = False) -> datetime:
    """An aware UTC date-time; a value without an offset is read in `zone` (UTC unless the source says)."""
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value)  # the common case: ISO, with an offset, a Z or neither
    except ValueError:
        moment, zone = _written_moment(value, text, zone, order, serials)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    in_range(moment.date(), text)
    return moment.astimezone(UTC)


def _written_moment(value: str, text: str, zone: tzinfo, order: str, serials: bool) -> tuple[datetime, tzinfo]:
    """A date-time as exports write it other than ISO, and the zone it is read in when it names none."""
    if _Z_AND_OFFSET.search(value):
        raise ValueProblem(f"{shown(text)} has both 'Z' (UTC) and an offset; which one is meant is unclear")
    # 'UTC+01:00', 'GMT-8', '(GMT-08:00)': the offset as people mean it (dateutil reads GMT+1 the POSIX way, as -1)
    value = _GMT_OFFSET.sub(lambda m: f"{m['sign']}{int(m['h']):02d}:{m['m'] or '00'}", value)
    if value[-1:].isalpha() or value[-1:] == ")":
        named = _named_zone(value) or _abbreviated_zone(value, text)
        if named is not None:
            value, zone = named
    try:
        return datetime.fromisoformat(value), zone
    except ValueError:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00")), zone
        except ValueError:
            return _other_moment(value, text, order, serials), zone


def _named_zone(value: str) -> tuple[str, tzinfo] | None:
    """'2027-03-01 09:00 Pacific Time (US & Canada)' → ('2027-03-01 09:00', America/Los_Angeles)."""
    cut = len(value.rstrip(_ZONE_NAME_CHARS))
    found = _zone_named(value[cut:])
    if found is None:
        named = _TRAILING_ZONE.match(value)  # "... (GMT-08:00) Pacific Time (US & Canada)"
        if not named or named.group("zone").strip().lower() not in _RAILS_BY_LOWER:
            return None
        return named.group("stamp"), ZoneInfo(_RAILS_BY_LOWER[named.group("zone").strip().lower()])
    return value[:cut], found


_ZONE_NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ()&.,'-/"

# Zone abbreviations that mean one offset wherever CRM exports come from. CST (US Central or China), IST (India,
# Israel or Ireland), BST (British Summer or Bangladesh) and AST are left out on purpose: they are refused.
ZONE_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "UT": 0, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3,
    "MSK": 3, "EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8,
    "HST": -10, "JST": 9, "KST": 9, "SGT": 8, "HKT": 8, "AWST": 8, "ACST": 9.5, "ACDT": 10.5, "AEST": 10,
    "AEDT": 11, "NZST": 12, "NZDT": 13,
}  # fmt: skip
_GMT_OFFSET = re.compile(r"\s*\(?(?:UTC|GMT)\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\)?$")
_TRAILING_ABBREVIATION = re.compile(r"^(?P<stamp>.*\d(?:\s*[AaPp]\.?[Mm]\.?)?)\s+(?P<zone>[A-Z]{2,5})$")


def _abbreviated_zone(value: str, original: str) -> tuple[str, tzinfo] | None:
    """'2027-03-01 09:00 CET' → ('2027-03-01 09:00', UTC+01:00); an abbreviation that may mean two offsets, or
    none csm knows, is refused rather than read as the file's own zone."""
    found = _TRAILING_ABBREVIATION.match(value)
    if found is None or found["zone"] in ("AM", "PM"):
        return None
    hours = ZONE_ABBREVIATIONS.get(found["zone"])
    if hours is None:
        raise ValueProblem(
            f"{shown(original)} names its time zone {found['zone']!r}, which can mean more than one offset or "
            "none csm knows; write the offset instead (e.g. +01:00)"
        )
    return found["stamp"], timezone(timedelta(hours=hours))


@lru_cache(maxsize=512)
def _zone_named(suffix: str) -> tzinfo | None:
    name = _RAILS_BY_LOWER.get(suffix.strip().lower())
    return ZoneInfo(name) if name else None


def _other_moment(value: str, original: str, order: str, serials: bool) -> datetime:
    """A date in any of parse_date's forms followed by a time as people write it (14:05, 2:05 PM); a form of
    its own ("Mon, 01 Mar 2027 09:00:00") is read whole by dateutil, time and all."""
    if serials and _SERIAL.match(value):
        return excel_serial(value, original)
    known_forms = (_ISO_DATE_PREFIX, _NUMERIC_DATE, _DAY_MONTH_NAME, _MONTH_NAME_DAY)
    if not any(form.match(value) for form in known_forms):
        return _dateutil_parse(value, original, order)
    try:
        day, clock = _split_date(value, original, order, serials=False)
    except ValueProblem:
        if _NUMERIC_DATE.match(value) or _ISO_DATE_PREFIX.match(value):
            raise
        return _dateutil_parse(value, original, order)
    if not clock:
        return datetime(day.year, day.month, day.day)
    time_of_day = _dateutil_parse(clock, original, order, whole=False)
    return datetime.combine(day, time_of_day.timetz())


class _UnplacedZone(Exception):
    """A zone name in a value that csm cannot place at one offset."""


def _zone_of(name: str | None, offset: int | None) -> tzinfo | None:
    """dateutil's tzinfos: an offset as written (+01:00), an abbreviation of one offset, nothing; never the
    machine's own zone for a name it happens to share (dateutil's fallback), never a name dropped."""
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    if name is None:
        return None
    hours = ZONE_ABBREVIATIONS.get(name.upper())
    if hours is None:
        raise _UnplacedZone(name)
    return timezone(timedelta(hours=hours))


# two days that share no part: a value that leaves its year, month or day out reads differently on each
_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))


def _dateutil_parse(value: str, original: str, order: str = "mdy", *, whole: bool = True) -> datetime:
    """A date-time by dateutil. `whole`: the value must give its year, month and day (dateutil would take a
    missing one from the wall clock's today); otherwise it is the time of day after a date read already."""
    from dateutil import parser

    def parsed(default: datetime) -> datetime:
        return parser.parse(value, default=default, dayfirst=order == "dmy", yearfirst=order == "ymd",
                            tzinfos=_zone_of)  # fmt: skip

    try:
        found = parsed(_DEFAULTS[0])
        if whole and found.date() != parsed(_DEFAULTS[1]).date():
            raise ValueProblem(f"{shown(original)} is not a whole date (year, month and day); use YYYY-MM-DD")
        return found
    except _UnplacedZone as exc:
        raise ValueProblem(
            f"{shown(original)} names its time zone {str(exc)!r}, which can mean more than one offset or none csm "
            "knows; write the offset instead (e.g. +01:00)"
        ) from None
    except ValueProblem:
        raise
    except (ValueError, OverflowError, parser.ParserError):
        raise ValueProblem(f"{shown(original)} is not a date; use YYYY-MM-DD") from None


# Numbers ------------------------------------------------------------------------------------------


def number_evidence(text: str) -> str | None:
    """What one value says about its column's decimal mark: '.' or ',' (proved), 'ambiguous' (1.200, 1,200),
    or None (no mark at all, or not a number)."""
    digits = re.sub(r"[^\d.,]", "", text)
    if "," in digits and "." in digits:
        return "," if digits.rfind(",") > digits.rfind(".") else "."
    for mark in (",", "."):
        if mark in digits:
            if digits.count(mark) > 1:
                return "," if mark == "." else "."  # repeated: it groups thousands
            tail = digits.rpartition(mark)[2]
            return "ambiguous" if len(tail) == 3 else mark
    return None


def parse_currency(text: str) -> str:
    """A currency column's value as its ISO code: 'eur' is EUR, '€' is EUR; anything else is no currency."""
    value = text.strip()
    if len(value) == 3 and value.isascii() and value.isalpha():
        return value.upper()
    code = _CURRENCY_SYMBOLS.get(value)
    if code is None:
        raise ValueProblem(f"{shown(text)} is not a currency code such as USD, EUR or GBP")
    return code


def parse_money(text: str, decimal: str | None = None) -> tuple[float, str | None]:
    """'$1,200.50', 'USD 1200', '1.200,50 €', '(300)', '6.0E7' → (amount, ISO currency or None).

    `decimal` is the column's decimal mark where the file decided it; without it, '1.200' is 1.2."""
    value = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    currency: str | None = None
    negative = value.startswith("(") and value.endswith(")")
    value = value.strip("()").strip()
    if value.startswith("-"):
        negative, value = not negative, value[1:].strip()
    for symbol, code in sorted(_CURRENCY_SYMBOLS.items(), key=lambda item: -len(item[0])):
        if value.startswith(symbol) or value.endswith(symbol):
            prefix = value.startswith(symbol)
            rest = value.removeprefix(symbol) if prefix else value.removesuffix(symbol)
            if symbol[-1].isalpha() and (rest[:1] if prefix else rest[-1:]).isalpha():
                continue  # 'kr' or 'Fr.' inside a word is no currency
            currency = code
            value = rest.strip()
            break
    coded = _CURRENCY_CODES.search(value)
    if coded:
        currency = coded.group("code") or coded.group("tail")
        value = _CURRENCY_CODES.sub("", value).strip()
    if currency is not None and not value.strip("-–—") and any(dash in text for dash in "-–—"):
        return 0.0, currency  # Excel's accounting format writes zero as a dash ("$ -  ")
    if value.startswith("-"):
        negative, value = not negative, value[1:].strip()
    number = _plain_number(value.replace(" ", "").replace("'", "").replace("’", ""), decimal)
    if number is None:
        raise ValueProblem(f"{shown(text)} is not an amount of money")
    return (-number if negative else number), currency


def _plain_number(value: str, decimal: str | None = None) -> float | None:
    """Decide which of ',' and '.' is the decimal mark: the last one when both appear, else the column's
    (`decimal`), else the old habit: 1,200 groups thousands and 1.5 / 1,5 are decimals."""
    match = re.fullmatch(r"([\d.,]+)([eE][+-]?\d+)?", value)
    if not match:
        return None
    mantissa, exponent = match[1], match[2] or ""
    marks = [mark for mark in (",", ".") if mark in mantissa]
    if len(marks) == 2:
        mark = "," if mantissa.rfind(",") > mantissa.rfind(".") else "."
        if decimal is not None and mark != decimal:
            return None  # 1,200.50 in a column whose decimal mark is ','
        head, _, tail = mantissa.rpartition(mark)
        thousands = "." if mark == "," else ","
        if mark in head or not _grouped(head, thousands):
            return None
        mantissa = f"{head.replace(thousands, '')}.{tail}"
    elif marks:
        mark = marks[0]
        head, _, tail = mantissa.rpartition(mark)
        grouping = mantissa.count(mark) > 1 or (decimal is not None and decimal != mark and not exponent)
        if decimal is None and mark == "," and len(tail) == 3 and not exponent:
            grouping = True
        if grouping:
            if decimal == mark or not _grouped(mantissa, mark):
                return None
            mantissa = mantissa.replace(mark, "")
        else:
            mantissa = f"{head}.{tail}"
    try:
        number = float(mantissa + exponent)
    except ValueError:
        return None
    return number if math.isfinite(number) else None  # 1e309 is infinity: not an amount anyone means


def _grouped(value: str, mark: str) -> bool:
    """'1,200,000' groups by threes after its first group; '1,20,0' does not (and is no number)."""
    if mark not in value:
        return True
    first, *rest = value.split(mark)
    return 1 <= len(first) <= 3 and all(len(group) == 3 for group in rest)


def parse_number(text: str, decimal: str | None = None) -> float:
    """A plain number such as '12', '12.5', '1,200', '12,5', '1.200' (when the column's mark is ',')."""
    value = text.strip().replace(" ", "").replace("\u00a0", "").replace("'", "").removeprefix("+")
    negative = value.startswith("-") or (value.startswith("(") and value.endswith(")"))
    number = _plain_number(value.strip("()").removeprefix("-"), decimal)
    if number is None:
        raise ValueProblem(f"{shown(text)} is not a number")
    if abs(number) >= INT_LIMIT:
        raise ValueProblem(f"{shown(text)} is out of range (numbers up to {INT_LIMIT:,})")
    return -number if negative else number


def parse_int(text: str, decimal: str | None = None) -> int:
    number = parse_number(text, decimal)
    if number != int(number):
        raise ValueProblem(f"{shown(text)} is not a whole number")
    return int(number)


def parse_fraction(text: str, decimal: str | None = None) -> float:
    """A share between 0 and 1: '0.45' or '45%'."""
    value = text.strip()
    share = parse_number(value[:-1], decimal) / 100 if value.endswith("%") else parse_number(value, decimal)
    if not 0 <= share <= 1:
        raise ValueProblem(f"{shown(text)} is not a share between 0 and 1 (or 0% and 100%)")
    return share


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueProblem(f"{shown(text)} is not yes/no or true/false")


def split_list(text: str) -> list[str]:
    """Lists inside one cell are separated by semicolons (HubSpot's associated ids, csm's own lists)."""
    return [item for item in (clean(part) for part in text.split(";")) if item]
