"""Internationalised email addresses (SMTPUTF8) on the Add form."""

import pytest
from django.urls import reverse

from kithkin.people.models import Email, Person

ADD = reverse("people:add")

pytestmark = pytest.mark.usefixtures("frozen")


# Issue 13, item 15
def test_the_add_form_accepts_an_internationalised_address_and_knows_it_in_idna_form(signed_in, alice):
    page = signed_in.get(ADD).content.decode()
    assert 'name="email"' in page and 'type="email"' not in page  # browsers refuse "søren@bücher.de"

    response = signed_in.post(ADD, {"name": "Søren Lefèvre", "email": "Søren.Lefevre@Bücher.de", "closeness": "active"})

    assert response.status_code == 302
    assert list(Email.objects.for_owner(alice).values_list("address", flat=True)) == ["søren.lefevre@bücher.de"]
    again = signed_in.post(
        ADD, {"name": "S. Lefèvre", "email": "søren.lefevre@xn--bcher-kva.de", "closeness": "active"}
    )
    assert "same email søren.lefevre@bücher.de" in again.content.decode()
    assert Person.objects.for_owner(alice).count() == 1


# Issue 13, item 15
def test_an_address_that_is_not_one_is_refused_next_to_its_field(signed_in, alice):
    response = signed_in.post(ADD, {"name": "Søren", "email": "søren@localhost", "closeness": "active"})
    assert response.status_code == 400
    assert "is not an email address" in response.content.decode()
    assert not Person.objects.for_owner(alice).exists()
