"""Names, e-mails and domains as CSMs and CRMs spell them, reduced to comparable keys."""

from __future__ import annotations

import re
import unicodedata

LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "llc",
        "ltd",
        "limited",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "bv",
        "nv",
        "oy",
        "ab",
        "kk",
        "pty",
        "pte",
        "srl",
        "spa",
    ]
)
FREE_MAIL_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.de",
        "web.de",
        "qq.com",
        "163.com",
    ]
)
_NON_WORD = re.compile(r"[^\w]+")


def normalise_name(name: str) -> str:
    """'Acme, Inc.' and 'ACME Inc' → 'acme': case, accents, punctuation and legal suffixes ignored."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    words = [w for w in _NON_WORD.sub(" ", folded.replace("&", " and ").lower()).split() if w]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words) or name.strip().lower()


def normalise_email(email: str | None) -> str | None:
    """Lower-case and strip whitespace anywhere (calendar line folding can leave it inside addresses)."""
    if not email:
        return None
    cleaned = "".join(email.split()).lower().removeprefix("mailto:")
    return cleaned if "@" in cleaned else None


def email_domain(email: str | None) -> str | None:
    cleaned = normalise_email(email)
    return cleaned.rsplit("@", 1)[1] if cleaned else None


def normalise_domain(value: str) -> str:
    """'https://www.Acme.com/about' or '@acme.com' → 'acme.com'."""
    text = value.strip().lower()
    text = re.sub(r"^[a-z]+://", "", text).split("/", 1)[0].lstrip("@")
    return text.removeprefix("www.")
