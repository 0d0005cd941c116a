"""What a file is, from its first bytes, so that a file given to the wrong `csm import` is told which to use."""

from __future__ import annotations

import codecs
import re

CSV_KINDS = "accounts, contacts, opportunities, tickets, surveys, usage, requests, plans or interactions"
_CONTENT_LINE = re.compile(rb"^[A-Z][A-Z0-9-]*[;:]")


def sniff(head: bytes) -> str | None:
    """'calendar', 'html', 'xlsx', 'xls', 'pdf', 'json', 'csv', or None when the start says nothing."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    text = _text_start(head)
    upper = text.upper()
    if upper.startswith((b"BEGIN:VCALENDAR", b"BEGIN:VEVENT", b"BEGIN:VTODO")):
        return "calendar"
    if upper.startswith((b"<!DOCTYPE HTML", b"<HTML", b"<HEAD", b"<BODY", b"<!--")) or (
        upper.startswith(b"<?XML") and b"<HTML" in upper
    ):
        return "html"
    if text[:1] in (b"{", b"[") and re.match(rb"^[\[{]\s*(\"|\{|\[|\]|\}|$)", text):
        return "json"
    first = text.split(b"\n", 1)[0]
    if any(mark in first for mark in (b",", b";", b"\t")) and not _CONTENT_LINE.match(first):
        return "csv"
    return None


def _text_start(head: bytes) -> bytes:
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "ignore").encode("utf-8", "ignore").lstrip()
    return head.removeprefix(codecs.BOM_UTF8).lstrip()


ADVICE = {
    "calendar": "is an iCalendar file (.ics), not a CSV export; import it with `csm import calendar {path}`",
    "html": (
        "is a web page (HTML), not an export: a sign-in or error page saved in its place? "
        "Download the export again from the tool itself"
    ),
    "xlsx": "looks like an Excel workbook or ZIP file, not CSV; save or export it as CSV (CSV UTF-8)",
    "xls": "looks like an old Excel (.xls) workbook, not CSV; save or export it as CSV (CSV UTF-8)",
    "pdf": "is a PDF document, not an export; export the data as CSV or .ics instead",
    "json": (
        "is JSON, not CSV; a folder written by `csm export --format json` is imported with `csm import book FOLDER`"
    ),
    "csv": f"is a CSV export, not a calendar; import it with `csm import KIND {{path}}` (KIND: {CSV_KINDS})",
}


def wrong_kind(path: object, found: str) -> str:
    """The message for a file of kind `found` given to the wrong import."""
    return f"{path} " + ADVICE[found].format(path=path)
