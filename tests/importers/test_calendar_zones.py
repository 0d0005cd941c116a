"""Outlook, Exchange and Google zone names resolve to the IANA zone a CSM expects."""

from __future__ import annotations

from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from csm.importers.zones import named_zone, resolve_zone


@pytest.mark.parametrize(
    ("tzid", "iana"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("/freeassociation.sourceforge.net/Tzfile/Europe/Berlin", "Europe/Berlin"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("New Zealand Standard Time", "Pacific/Auckland"),
        ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
        ("(GMT+10:00) Canberra, Melbourne, Sydney", "Australia/Sydney"),
        ("(UTC-03:00) Brasília", "America/Sao_Paulo"),
        ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"),
    ],
)
def test_known_names_map_to_iana(tzid: str, iana: str) -> None:
    assert named_zone(tzid) == ZoneInfo(iana)


def test_private_name_uses_the_files_vtimezone() -> None:
    own = timezone(timedelta(hours=3))
    assert resolve_zone("Customized Time Zone", {"Customized Time Zone": own}) is own


def test_unknown_display_name_falls_back_to_its_offset() -> None:
    assert resolve_zone("(UTC+05:30) Somewhere New", {}) == timezone(timedelta(hours=5, minutes=30))


@pytest.mark.parametrize("tzid", ["Germany/Berlin", "", "../../etc/passwd", "Customized Time Zone", "\x00"])
def test_nonsense_is_unknown_not_an_error(tzid: str) -> None:
    assert resolve_zone(tzid, {}) is None
