"""A birthday without a year leaves every export and the backup without one, and comes back so."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth.models import User

from kithkin.exports.backup import export_document, restore_document
from kithkin.exports.services import export_csv, export_vcard
from kithkin.lib.birthdays import NO_YEAR
from kithkin.people.models import Person
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


# Issue 13, item 14
def test_a_birthday_without_a_year_is_exported_and_backed_up_without_one(alice):
    make_person(alice, "Simon Perreault", birthday=date(NO_YEAR, 2, 3))
    people = Person.objects.for_owner(alice)

    assert "BDAY:--0203" in export_vcard(alice, people)
    assert ",--02-03," in export_csv(alice, people)
    document = export_document(alice)
    (simon,) = document["data"]["people.person"]
    assert simon["birthday"] == "--02-03"

    carol = User.objects.create(username="carol")
    restore_document(carol, json.loads(json.dumps(document)))
    restored = Person.objects.for_owner(carol).get()
    assert restored.birthday == date(NO_YEAR, 2, 3)
    assert restored.birthday_key == "02-03"
    assert export_document(carol)["data"]["people.person"][0]["birthday"] == "--02-03"
