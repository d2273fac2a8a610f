"""How an import reads the fields a real file writes in more than one form: phone numbers as
tel: URIs, profile links, internationalised email addresses, birthdays without a year."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps

from kithkin.imports.plan import ImportOptions
from kithkin.imports.services import import_file
from kithkin.people.merge import find_duplicate_pairs
from kithkin.people.models import Email, Link, Person, Phone
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


def run(owner: Any, text: str, fmt: str = "vcard", name: str = "contacts.vcf", **options: Any) -> Any:
    return import_file(owner, fmt, text.encode(), name, options=ImportOptions(**options))


# Issue 13, item 12
def test_a_tel_uri_with_an_extension_is_imported_with_its_extension(alice):
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Simon Perreault\r\n"
        'TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-418-656-9254;ext=102\r\n'
        "END:VCARD\r\n"
    )

    result = run(alice, card)

    assert result.created == 1
    assert not [s for s in result.plan.skipped if s.field == "phone"]
    simon = Person.objects.for_owner(alice).get()
    assert list(Phone.objects.for_owner(alice).filter(person=simon).values_list("number", flat=True)) == [
        "+14186569254;ext=102"
    ]


LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


# Issue 13, item 13
def test_reimporting_linkedin_files_whose_profile_urls_differ_only_in_form_adds_nobody(alice):
    first = run(
        alice,
        LINKEDIN_HEADER + "Alex,Johnson,https://www.linkedin.com/in/alex-johnson/,,Acme,Engineer,09 Oct 2024\n",
        fmt="linkedin",
        name="Connections.csv",
    )
    assert first.created == 1
    for url, company in (
        ("linkedin.com/in/alex-johnson", "Globex"),
        ("http://de.linkedin.com/in/Alex-Johnson?trk=public_profile", "Initech"),
        ("https://www.linkedin.com/in/alex-johnson/#about", "Initech"),
    ):
        again = run(
            alice,
            LINKEDIN_HEADER + f"Alex,Johnson,{url},,{company},Engineer,09 Oct 2024\n",
            fmt="linkedin",
            name="Connections.csv",
        )
        assert again.created == 0, url

    alex = Person.objects.for_owner(alice).get()
    assert list(Link.objects.for_owner(alice).filter(person=alex).values_list("url", flat=True)) == [
        "https://www.linkedin.com/in/alex-johnson"
    ]


# Issue 13, item 13
def test_stored_links_are_migrated_to_their_canonical_form_one_per_person(alice):
    canonicalise_links = import_module("kithkin.people.migrations.0002_canonical_links").canonicalise_links
    alex = make_person(alice, "Alex Johnson")
    other = make_person(alice, "Alex J.")
    for person, url in (
        (alex, "https://www.linkedin.com/in/alex-johnson/"),
        (alex, "http://de.linkedin.com/in/Alex-Johnson?trk=x"),
        (alex, "https://www.linkedin.com/in/alex-johnson"),
        (alex, "http://Alex.example/Blog/"),
        (other, "linkedin.com/in/ALEX-JOHNSON"),
    ):
        Link.objects.create(owner=alice, person=person, url=url, kind="linkedin" if "linkedin" in url else "website")

    canonicalise_links(django_apps, None)

    def urls(person: Person) -> list[str]:
        return sorted(Link.objects.for_owner(alice).filter(person=person).values_list("url", flat=True))

    assert urls(alex) == ["http://alex.example/Blog", "https://www.linkedin.com/in/alex-johnson"]
    assert urls(other) == ["https://www.linkedin.com/in/alex-johnson"]  # both people stay
    pair = find_duplicate_pairs(alice)[0]
    assert {pair.first.pk, pair.second.pk} == {alex.pk, other.pk}
    assert "Both have the LinkedIn profile linkedin.com/in/alex-johnson" in pair.evidence


# Issue 13, item 17
def test_a_value_left_out_of_a_card_is_reported_on_its_own_line(alice):
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nNOTE:met at the fair\r\n"
        "TEL:call me\r\nEMAIL:ana at acme\r\nURL:javascript:alert(1)\r\nBDAY:2099-01-01\r\nEND:VCARD\r\n"
    )

    result = run(alice, card)

    assert sorted((s.line, s.field) for s in result.plan.skipped) == [
        (5, "phone"),
        (6, "email"),
        (7, "link"),
        (8, "birthday"),
    ]


# Issue 13, item 17
def test_two_cards_of_one_person_keep_a_phone_once_in_national_and_international_form(alice):
    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nEMAIL:ana@acme.example\r\nTEL:+34 911 23 45 67\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nEMAIL:ana@acme.example\r\nTEL:911 23 45 67\r\n"
        "TEL:+34 600 123 456\r\nEND:VCARD\r\n"
    )

    run(alice, cards)  # no phone region is set: "911 23 45 67" is read in Spain, as the card's other numbers

    assert sorted(Phone.objects.for_owner(alice).values_list("number", flat=True)) == ["+34600123456", "+34911234567"]


# Issue 13, item 15
def test_an_internationalised_address_is_imported_and_matches_its_idna_form(alice):
    first = run(
        alice, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Søren Lefèvre\r\nEMAIL:søren@xn--bcher-kva.de\r\nEND:VCARD\r\n"
    )
    assert first.created == 1
    assert list(Email.objects.for_owner(alice).values_list("address", flat=True)) == ["søren@bücher.de"]

    again = run(alice, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:S. Lefèvre\r\nEMAIL:Søren@Bücher.de\r\nEND:VCARD\r\n")

    assert again.created == 0
    assert not again.plan.skipped


# Issue 13, item 15
def test_stored_addresses_with_an_idna_domain_are_migrated_to_unicode(alice, bob):
    canonicalise_emails = import_module("kithkin.people.migrations.0003_canonical_emails").canonicalise_emails
    ana = make_person(alice, "Ana Ruiz")
    other = make_person(alice, "Ana R.")
    for owner, person, address in (
        (alice, ana, "ana@xn--bcher-kva.de"),
        (alice, other, "ana@bücher.de"),  # already there in Unicode: the IDNA one above stays
        (alice, other, "bo@xn--bcher-kva.de"),
        (bob, make_person(bob, "Ana Ruiz"), "ana@xn--bcher-kva.de"),
    ):
        Email.objects.create(owner=owner, person=person, address=address)

    canonicalise_emails(django_apps, None)

    assert sorted(Email.objects.for_owner(alice).values_list("address", flat=True)) == [
        "ana@bücher.de",
        "ana@xn--bcher-kva.de",
        "bo@bücher.de",
    ]
    assert list(Email.objects.for_owner(bob).values_list("address", flat=True)) == ["ana@bücher.de"]
