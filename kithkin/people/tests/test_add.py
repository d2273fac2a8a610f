import pytest
from django.urls import reverse

from kithkin.core.errors import BadInput
from kithkin.lib.addresses import Entry
from kithkin.people.duplicates import fold_name, likely_duplicates, name_patterns, preview_paste
from kithkin.people.models import Person
from kithkin.people.services import add_people
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")

PASTE = reverse("people:paste")
CONFIRM = reverse("people:paste_confirm")


def names(owner):
    return sorted(Person.objects.for_owner(owner).values_list("full_name", flat=True))


def preview(client, text):
    response = client.post(PASTE, {"text": text})
    assert response.status_code == 200
    return response


# --- the form -------------------------------------------------------------------------------


def test_names_fold_to_lower_case_without_accents():
    assert fold_name("  José-Luis  NÚÑEZ ") == "jose luis nunez"
    assert fold_name("Søren Łukasz Zoë") == "soren lukasz zoe"


def test_name_patterns_let_vowels_and_then_inner_consonants_carry_accents():
    assert name_patterns("Jose Nunez") == ("J_s__N_n_z", "J____N____")
    assert name_patterns("Søren Łukasz") == ("S_r_n___k_sz", "S_______k___")


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("José Núñez", "jose nunez"),
        ("Jose Nunez", "José Núñez"),
        ("François Dvořák", "Francois Dvorak"),
        ("Zoë Yılmaz", "Zoe Yilmaz"),
    ],
)
def test_the_same_name_is_found_whichever_side_has_the_accents(alice, stored, typed):
    person = make_person(alice, stored)
    make_person(alice, "Someone Else")
    assert [c.person for c in likely_duplicates(alice, name=typed)] == [person]


@pytest.mark.parametrize(
    ("existing", "organization", "new", "reason"),
    [
        ("John Smith", "Acme", "Jon Smith", "close name, also at Acme"),
        ("Sarah Khan", "Acme", "Sara Khan", "close name, also at Acme"),
        ("Bo Chen", "Acme", "Chen Bo", "close name, also at Acme"),
        ("Ana María Ruiz", "Acme", "Ana Ruiz", "close name, also at Acme"),
        ("Ana Ruiz", "Acme", "Ana Ruiz", "same name, also at Acme"),
    ],
)
def test_close_names_at_the_same_organization_are_likely_duplicates(alice, existing, organization, new, reason):
    person = make_person(alice, existing, organization=organization)
    found = likely_duplicates(alice, name=new, organization=organization.upper())
    assert [(c.person, c.kind, c.reason) for c in found] == [(person, "organization", reason)]


@pytest.mark.parametrize(
    ("existing", "new"), [("Mia Lee", "Mia Li"), ("Ana Ruiz", "Ana Diaz"), ("Ana Ruiz", "Bo Ruiz")]
)
def test_different_names_at_the_same_organization_are_not_duplicates(alice, existing, new):
    make_person(alice, existing, organization="Acme")
    assert likely_duplicates(alice, name=new, organization="Acme") == []


def test_a_close_name_elsewhere_is_not_a_duplicate_but_the_same_name_is(alice):
    john = make_person(alice, "John Smith", organization="Globex")
    shouting = make_person(alice, "JOHN SMÍTH")
    assert likely_duplicates(alice, name="Jon Smith", organization="Acme") == []
    found = likely_duplicates(alice, name="john smith", organization="Acme")
    assert [(c.person, c.kind, c.reason) for c in found] == [
        (shouting, "name", "same name"),
        (john, "name", "same name"),
    ]


def test_a_close_name_with_an_address_at_the_same_domain_is_a_likely_duplicate(alice):
    ana = make_person(alice, "Ana Ruiz", emails=["a.ruiz@acme.example"])
    found = likely_duplicates(alice, name="Anna Ruiz", emails=["anna@acme.example"])
    assert [(c.person, c.kind, c.reason) for c in found] == [
        (ana, "domain", "close name, same email domain acme.example")
    ]


def test_free_mail_domains_say_nothing_about_where_people_work(alice):
    make_person(alice, "Ana Ruiz", emails=["ana.ruiz@gmail.com"])
    assert likely_duplicates(alice, name="Anna Ruiz", emails=["anna.r@gmail.com"]) == []


def test_the_same_email_comes_first(alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme", emails=["ana@acme.example"])
    found = likely_duplicates(alice, name="Ana Ruiz", emails=["ana@acme.example"], organization="Acme")
    assert [(c.person, c.kind, c.is_same_email) for c in found] == [(ana, "email", True)]


def test_another_users_people_are_never_duplicates(alice, bob):
    make_person(bob, "Ana Ruiz", organization="Acme", emails=["ana@acme.example"])
    assert likely_duplicates(alice, name="Ana Ruiz", emails=["ana@acme.example"], organization="Acme") == []


# --- pasting a list --------------------------------------------------------------------------


def test_add_people_is_all_or_nothing_and_names_the_line_and_field(alice):
    make_person(alice, "Kim Park", emails=["kim@hooli.example"])
    entries = [Entry(1, "Ana Ruiz", "ana@acme.example"), Entry(4, "Kim P.", "kim@hooli.example")]
    with pytest.raises(BadInput) as caught:
        add_people(alice, entries)
    assert caught.value.field == "email"
    assert caught.value.message.startswith("line 4 (Kim P.): email kim@hooli.example already belongs to Kim Park")
    assert names(alice) == ["Kim Park"]


def test_the_preview_of_thirty_lines_reads_only_the_people_who_might_match(alice):
    for i in range(30):
        make_person(alice, f"Person {i}")
    found = preview_paste(alice, "Nobody Here <nobody@acme.example>")
    assert [r.status for r in found.rows] == ["new"]
