"""How an import reads the fields a real file writes in more than one form: phone numbers as
tel: URIs, profile links, internationalised email addresses, birthdays without a year."""

from __future__ import annotations

from typing import Any

import pytest

from kithkin.imports.plan import ImportOptions
from kithkin.imports.services import import_file
from kithkin.people.models import Person, Phone

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
