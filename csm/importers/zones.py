"""Calendar TZIDs as Outlook, Exchange, Google and Apple write them, resolved to IANA zones.

Order of trust for a TZID (the first that answers wins):
1. an IANA name ("Europe/Berlin", also "/vendor/Europe/Berlin");
2. a Windows zone ID ("W. Europe Standard Time"), by the CLDR windowsZones table that
   icalendar ships. The mapped IANA zone beats the file's own VTIMEZONE because Outlook's
   VTIMEZONEs can be wrong (khal's tz_windows_format.ics labels "New Zealand Standard Time"
   with CET rules); like khal we read that file as Pacific/Auckland, 13:00 NZDT = 00:00Z;
3. an Outlook display name ("(UTC-05:00) Eastern Time (US & Canada)") by the table below;
4. the file's own VTIMEZONE ("Customized Time Zone" and any other private name);
5. the fixed offset in a display name's "(UTC+hh:mm)" prefix, without daylight saving.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Used only if icalendar's CLDR table cannot be imported (it moved between icalendar releases).
COMMON_WINDOWS_ZONES: dict[str, str] = {
    "UTC": "UTC",
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest",
    "Central European Standard Time": "Europe/Warsaw",
    "E. Europe Standard Time": "Europe/Chisinau",
    "FLE Standard Time": "Europe/Kiev",
    "GTB Standard Time": "Europe/Bucharest",
    "Russian Standard Time": "Europe/Moscow",
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "US Mountain Standard Time": "America/Phoenix",
    "Pacific Standard Time": "America/Los_Angeles",
    "Alaskan Standard Time": "America/Anchorage",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "Atlantic Standard Time": "America/Halifax",
    "E. South America Standard Time": "America/Sao_Paulo",
    "India Standard Time": "Asia/Calcutta",
    "China Standard Time": "Asia/Shanghai",
    "Singapore Standard Time": "Asia/Singapore",
    "Tokyo Standard Time": "Asia/Tokyo",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "New Zealand Standard Time": "Pacific/Auckland",
    "Jordan Standard Time": "Asia/Amman",
}

# Windows display names (the text after "(UTC±hh:mm) "), keyed by display_key().
DISPLAY_NAMES: dict[str, str] = {
    "international date line west": "Etc/GMT+12",
    "hawaii": "Pacific/Honolulu",
    "alaska": "America/Anchorage",
    "pacific time (us & canada)": "America/Los_Angeles",
    "pacific time (us & canada); tijuana": "America/Los_Angeles",
    "baja california": "America/Tijuana",
    "arizona": "America/Phoenix",
    "mountain time (us & canada)": "America/Denver",
    "chihuahua, la paz, mazatlan": "America/Mazatlan",
    "central time (us & canada)": "America/Chicago",
    "guadalajara, mexico city, monterrey": "America/Mexico_City",
    "saskatchewan": "America/Regina",
    "central america": "America/Guatemala",
    "eastern time (us & canada)": "America/New_York",
    "indiana (east)": "America/Indiana/Indianapolis",
    "bogota, lima, quito, rio branco": "America/Bogota",
    "bogota, lima, quito": "America/Bogota",
    "atlantic time (canada)": "America/Halifax",
    "caracas": "America/Caracas",
    "santiago": "America/Santiago",
    "newfoundland": "America/St_Johns",
    "brasilia": "America/Sao_Paulo",
    "city of buenos aires": "America/Argentina/Buenos_Aires",
    "buenos aires": "America/Argentina/Buenos_Aires",
    "coordinated universal time": "UTC",
    "dublin, edinburgh, lisbon, london": "Europe/London",
    "greenwich mean time : dublin, edinburgh, lisbon, london": "Europe/London",
    "monrovia, reykjavik": "Atlantic/Reykjavik",
    "amsterdam, berlin, bern, rome, stockholm, vienna": "Europe/Berlin",
    "belgrade, bratislava, budapest, ljubljana, prague": "Europe/Budapest",
    "brussels, copenhagen, madrid, paris": "Europe/Paris",
    "sarajevo, skopje, warsaw, zagreb": "Europe/Warsaw",
    "west central africa": "Africa/Lagos",
    "athens, bucharest": "Europe/Bucharest",
    "athens, bucharest, istanbul": "Europe/Bucharest",
    "helsinki, kyiv, riga, sofia, tallinn, vilnius": "Europe/Helsinki",
    "helsinki, kiev, riga, sofia, tallinn, vilnius": "Europe/Helsinki",
    "jerusalem": "Asia/Jerusalem",
    "cairo": "Africa/Cairo",
    "harare, pretoria": "Africa/Johannesburg",
    "istanbul": "Europe/Istanbul",
    "moscow, st. petersburg": "Europe/Moscow",
    "moscow, st. petersburg, volgograd": "Europe/Moscow",
    "kuwait, riyadh": "Asia/Riyadh",
    "nairobi": "Africa/Nairobi",
    "abu dhabi, muscat": "Asia/Dubai",
    "islamabad, karachi": "Asia/Karachi",
    "chennai, kolkata, mumbai, new delhi": "Asia/Kolkata",
    "kathmandu": "Asia/Kathmandu",
    "dhaka": "Asia/Dhaka",
    "bangkok, hanoi, jakarta": "Asia/Bangkok",
    "beijing, chongqing, hong kong, urumqi": "Asia/Shanghai",
    "kuala lumpur, singapore": "Asia/Singapore",
    "perth": "Australia/Perth",
    "taipei": "Asia/Taipei",
    "osaka, sapporo, tokyo": "Asia/Tokyo",
    "seoul": "Asia/Seoul",
    "adelaide": "Australia/Adelaide",
    "darwin": "Australia/Darwin",
    "brisbane": "Australia/Brisbane",
    "canberra, melbourne, sydney": "Australia/Sydney",
    "hobart": "Australia/Hobart",
    "auckland, wellington": "Pacific/Auckland",
    "fiji": "Pacific/Fiji",
}

_DISPLAY = re.compile(
    r"^\s*\((?:UTC|GMT)\s*(?:(?P<sign>[+-])(?P<hours>\d{1,2}):?(?P<minutes>\d{2})?)?\)\s*(?P<rest>.*)$"
)


@cache
def windows_zones() -> Mapping[str, str]:
    """The CLDR windowsZones mapping (Windows zone ID → IANA), as icalendar ships it."""
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:
        return COMMON_WINDOWS_ZONES
    return {**COMMON_WINDOWS_ZONES, **WINDOWS_TO_OLSON}


@cache
def iana_zone(name: str) -> ZoneInfo | None:
    """The IANA zone of that exact name, or None (never raises for odd names)."""
    if not name or name != name.strip() or "\x00" in name or name.startswith(("/", ".")):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def display_key(text: str) -> str:
    """'Brasília' and 'BRASILIA ' → 'brasilia': accents, case and spacing ignored."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().split())


def named_zone(tzid: str) -> tzinfo | None:
    """Steps 1-3 of the module rule: a zone known by name alone, without the file's VTIMEZONEs."""
    cleaned = tzid.strip().strip('"').strip()
    zone = iana_zone(cleaned) or iana_zone(cleaned.strip("/"))
    if zone is None and cleaned.startswith("/"):
        parts = cleaned.strip("/").split("/")
        zone = next((z for i in range(1, len(parts)) if (z := iana_zone("/".join(parts[i:]))) is not None), None)
    if zone is None and cleaned in windows_zones():
        zone = iana_zone(windows_zones()[cleaned])
    if zone is None:
        match = _DISPLAY.match(cleaned)
        if match and display_key(match["rest"]) in DISPLAY_NAMES:
            zone = iana_zone(DISPLAY_NAMES[display_key(match["rest"])])
    return zone


def offset_zone(tzid: str) -> tzinfo | None:
    """Step 5: the fixed offset of '(UTC-03:00) Somewhere', or None if the name carries none."""
    match = _DISPLAY.match(tzid.strip().strip('"'))
    if match is None:
        return None
    if match["sign"] is None:
        return UTC
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    if hours > 14 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if match["sign"] == "-" else delta)


def resolve_zone(tzid: str, file_zones: Mapping[str, tzinfo]) -> tzinfo | None:
    """The whole module rule: name, Windows ID, display name, the file's VTIMEZONE, then the offset."""
    return named_zone(tzid) or file_zones.get(tzid.strip().strip('"')) or offset_zone(tzid)
