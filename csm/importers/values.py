"""Cell values as real tools write them: dates, date-times, money, numbers, booleans and empty cells."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, tzinfo
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
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_ISO_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)")
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_CURRENCY_CODES = re.compile(r"^(?P<code>[A-Z]{3})\s*|\s*(?P<tail>[A-Z]{3})$")
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF", "A$": "AUD", "C$": "CAD"}
TRUE_WORDS = frozenset(
    ["true", "t", "yes", "y", "1", "x", "on", "checked", "✓", "wahr", "vrai", "ja", "oui", "si", "sí"]
)
FALSE_WORDS = frozenset(["false", "f", "no", "n", "0", "off", "unchecked", "falsch", "faux", "nein", "non"])


class ValueProblem(ValueError):
    """A cell that cannot be read as the kind of value its column needs; the message says why."""


def clean(text: str | None) -> str | None:
    """Trim every kind of whitespace (U+3000, no-break space, zero-width); an empty cell is None."""
    if text is None:
        return None
    stripped = text.strip().strip(_INVISIBLE).strip()
    if stripped[:1] == "'" and stripped[1:2] in ("=", "+", "-", "@"):
        stripped = stripped[1:]  # the apostrophe csm export (and careful spreadsheets) put before formula-like text
    return stripped or None


def parse_date(text: str) -> date:
    """ISO (2027-03-01), US (03/01/2027, month first as US tools write it), or a date-time's own date."""
    value = text.strip()
    if _Z_AND_OFFSET.search(value):
        raise ValueProblem(f"{text!r} has both 'Z' (UTC) and an offset; which one is meant is unclear")
    match = _ISO_DATE_PREFIX.match(value)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise ValueProblem(f"{text!r} is not a real date") from None
    us = _US_DATE.match(value)
    if us:
        month, day, year = (int(part) for part in us.groups())
        year = year + 2000 if year < 100 else year
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueProblem(f"{text!r} is not a real date (month/day/year)") from None
    return _dateutil_parse(value, text).date()


def parse_datetime(text: str, *, zone: tzinfo = UTC) -> datetime:
    """An aware UTC date-time; a value without an offset is read in `zone` (UTC unless the source says)."""
    value = text.strip()
    if _Z_AND_OFFSET.search(value):
        raise ValueProblem(f"{text!r} has both 'Z' (UTC) and an offset; which one is meant is unclear")
    named = _TRAILING_ZONE.match(value)
    if named and named.group("zone").strip().lower() in _RAILS_BY_LOWER:
        zone = ZoneInfo(_RAILS_BY_LOWER[named.group("zone").strip().lower()])
        value = named.group("stamp")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        moment = _US_moment(value) or _dateutil_parse(value, text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _US_moment(value: str) -> datetime | None:
    head, _, rest = value.partition(" ")
    if not _US_DATE.match(head):
        return None
    day = parse_date(head)
    clock = _dateutil_parse(rest, value) if rest else datetime(day.year, day.month, day.day)
    return clock.replace(year=day.year, month=day.month, day=day.day)


def _dateutil_parse(value: str, original: str) -> datetime:
    from dateutil import parser

    try:
        return parser.parse(value, dayfirst=False, yearfirst=True)
    except (ValueError, OverflowError, parser.ParserError):
        raise ValueProblem(f"{original!r} is not a date; use YYYY-MM-DD") from None


def parse_money(text: str) -> tuple[float, str | None]:
    """'$1,200.50', 'USD 1200', '1.200,50 €', '(300)', '6.0E7' → (amount, ISO currency or None)."""
    value = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    currency: str | None = None
    negative = value.startswith("(") and value.endswith(")")
    value = value.strip("()").strip()
    for symbol, code in sorted(_CURRENCY_SYMBOLS.items(), key=lambda item: -len(item[0])):
        if value.startswith(symbol) or value.endswith(symbol):
            currency = code
            value = value.removeprefix(symbol).removesuffix(symbol).strip()
            break
    coded = _CURRENCY_CODES.search(value)
    if coded:
        currency = coded.group("code") or coded.group("tail")
        value = _CURRENCY_CODES.sub("", value).strip()
    if value.startswith("-"):
        negative, value = not negative, value[1:].strip()
    number = _plain_number(value.replace(" ", "").replace("'", ""))
    if number is None:
        raise ValueProblem(f"{text!r} is not an amount of money")
    return (-number if negative else number), currency


def _plain_number(value: str) -> float | None:
    """Decide which of ',' and '.' is the decimal mark: the last one when both appear."""
    if not value or not re.fullmatch(r"[\d.,]+(?:[eE][+-]?\d+)?", value):
        return None
    if "," in value and "." in value:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        value = value.replace(thousands, "").replace(decimal, ".")
    elif "," in value:
        head, _, tail = value.rpartition(",")
        # 1,200 and 1,200,000 group thousands; 1200,5 is a decimal comma
        value = value.replace(",", "") if value.count(",") > 1 or len(tail) == 3 else f"{head}.{tail}"
    elif value.count(".") > 1:
        value = value.replace(".", "")
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None  # 1e309 is infinity: not an amount anyone means


def parse_number(text: str) -> float:
    """A plain number such as '12', '12.5', '1,200' or '12,5'."""
    number = _plain_number(text.strip().replace(" ", "").removeprefix("+"))
    if number is None and text.strip().startswith("-"):
        positive = _plain_number(text.strip()[1:])
        number = -positive if positive is not None else None
    if number is None:
        raise ValueProblem(f"{text!r} is not a number")
    return number


def parse_int(text: str) -> int:
    number = parse_number(text)
    if number != int(number):
        raise ValueProblem(f"{text!r} is not a whole number")
    return int(number)


def parse_fraction(text: str) -> float:
    """A share between 0 and 1: '0.45' or '45%'."""
    value = text.strip()
    share = parse_number(value[:-1]) / 100 if value.endswith("%") else parse_number(value)
    if not 0 <= share <= 1:
        raise ValueProblem(f"{text!r} is not a share between 0 and 1 (or 0% and 100%)")
    return share


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueProblem(f"{text!r} is not yes/no or true/false")


def split_list(text: str) -> list[str]:
    """Lists inside one cell are separated by semicolons (HubSpot's associated ids, csm's own lists)."""
    return [item for item in (clean(part) for part in text.split(";")) if item]
