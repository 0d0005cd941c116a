"""Company names and domains as CRMs and calendars spell them, reduced to the keys csm compares."""

from __future__ import annotations

import pytest

from csm.domain.matching import email_domain, normalise_domain, normalise_name


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Initech S.p.A.", "initech"),
        ("Kestrel Analytics LLP", "kestrel analytics"),
        ("Sony K.K.", "sony"),
        ("Acme, Inc.", "acme"),
        ("ACME Inc", "acme"),
        ("Müller Logistik GmbH & Co. KG", "muller logistik"),
        ("Nokia Oyj", "nokia"),
        ("Volvo AB", "volvo"),
        ("Philips N.V.", "philips"),
        ("Fiat S.r.l.", "fiat"),
        ("Łódź Sp. z o.o.", "lodz"),
        ("Škoda Auto a.s.", "skoda auto"),
        ("Ørsted A/S", "orsted"),
        ("Equinor ASA", "equinor"),
        ("Petrobras S.A.", "petrobras"),
        ("Tata Consultancy Services Limited", "tata consultancy services"),
        ("Atlassian Pty Ltd", "atlassian"),
        ("Grab Holdings Pte. Ltd.", "grab holdings"),
        ("Bäckerei Süß AG", "backerei suss"),
        ("Ltd", "ltd"),  # nothing but a legal form: kept
    ],
)
def test_names_compare_without_legal_forms_of_many_countries(name: str, key: str) -> None:
    assert normalise_name(name) == key


@pytest.mark.parametrize(
    ("value", "domain"),
    [
        ("eu.app.acme.co.uk", "acme.co.uk"),
        ("https://www.Acme.com/about?x=1", "acme.com"),
        ("@acme.com", "acme.com"),
        ("acme.com:8443", "acme.com"),
        ("shop.acme.com.au", "acme.com.au"),
        ("x.acme.example", "acme.example"),  # a reserved name under no public suffix: its last two labels
    ],
)
def test_domains_compare_by_registrable_domain(value: str, domain: str) -> None:
    assert normalise_domain(value) == domain


def test_an_e_mail_counts_by_its_registrable_domain() -> None:
    assert email_domain("Bob@EU.App.Acme.co.uk") == "acme.co.uk"
