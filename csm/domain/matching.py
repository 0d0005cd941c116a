"""Names, e-mails and domains as CSMs and CRMs spell them, reduced to comparable keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

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
# letters that Unicode does not decompose into a base letter and a mark ('ß' is casefolded to 'ss')
_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


@lru_cache(maxsize=65_536)
def normalise_name(name: str) -> str:
    """'Acme, Inc.', 'ACME Inc' and 'Acme GmbH & Co. KG' → 'acme': case, accents, punctuation and legal forms
    ignored. The legal forms are cleanco's table (200 forms of 60-odd countries: S.p.A., K.K., LLP, Oyj,
    Sp. z o.o., ...); a name that is nothing but a legal form is kept as it is."""
    base = _legal_base(name.strip())
    return normalise_phrase(base) if base.strip() else normalise_phrase(name)


def lowered_forms(text: str, most_letters: int = 6) -> list[str]:
    """Every form SQL's `lower()` can give of `text` written in any case, composed or decomposed: what to compare
    `lower(column)` with. PostgreSQL lowers every letter, as Python does; SQLite lowers ASCII letters only, so a
    stored 'Émile Zola' or 'ÉMILE ZOLA' is 'Émile zola' to it; Mac tools write 'Jörg' decomposed (NFD). Each
    non-ASCII letter is taken both ways (the first `most_letters` of them: at most 2**6 forms)."""
    lowered = unicodedata.normalize("NFC", text).lower()
    cased = [at for at, c in enumerate(lowered) if not c.isascii() and len(c.upper()) == 1 and c.upper() != c]
    cased = cased[:most_letters]
    forms: dict[str, None] = {}
    for picks in range(2 ** len(cased)):
        letters = list(lowered)
        for n, at in enumerate(cased):
            if picks >> n & 1:
                letters[at] = letters[at].upper()
        form = "".join(letters)
        forms[form] = forms[unicodedata.normalize("NFD", form)] = None
    return list(forms)


def normalise_phrase(text: str) -> str:
    """'SSO with Okta (SCIM)' → 'sso with okta scim': case, accents and punctuation ignored, every word kept."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED)).encode("ascii", "ignore").decode()
    folded = folded or text
    words = [w for w in _NON_WORD.sub(" ", folded.replace("&", " and ").lower()).split() if w]
    return " ".join(words) or text.strip().lower()


def _legal_base(name: str) -> str:
    from cleanco import basename

    base = name
    for _ in range(3):  # "Acme Holdings Corporation Ltd": a form may follow a form
        shorter = str(basename(base))
        if shorter == base or not shorter.strip():
            break
        base = shorter
    return base


def normalise_email(email: str | None) -> str | None:
    """Lower-case and strip whitespace anywhere (calendar line folding can leave it inside addresses)."""
    if not email:
        return None
    cleaned = "".join(email.split()).lower().removeprefix("mailto:")
    return cleaned if "@" in cleaned else None


def email_domain(email: str | None) -> str | None:
    """The registrable domain of an address: bob@eu.app.acme.co.uk → acme.co.uk."""
    cleaned = normalise_email(email)
    return registrable_domain(cleaned.rsplit("@", 1)[1]) if cleaned else None


def normalise_domain(value: str) -> str:
    """'https://www.Acme.com/about', '@acme.com' or 'eu.app.acme.co.uk' → the registrable domain."""
    text = value.strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).split("/", 1)[0].split("?", 1)[0].lstrip("@")
    host = text.rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    return registrable_domain(host)


@lru_cache(maxsize=65_536)
def registrable_domain(host: str) -> str:
    """The part of a host name an organisation registers, by the public suffix list (tldextract's bundled
    snapshot, never fetched): eu.app.acme.co.uk → acme.co.uk. A host under no known suffix (acme.example,
    intranet.local) keeps its last two labels; an IP address stays whole."""
    host = host.strip().strip(".").lower()
    if not host or re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return host
    parts = _public_suffixes()(host)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}"
    labels = host.split(".")
    return ".".join(labels[-2:])


@lru_cache(maxsize=1)
def _public_suffixes() -> Any:
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)
