from datetime import date

import pytest

from kithkin.core.errors import BadInput, NotFound
from kithkin.people.models import Email, Organization, Person, Position
from kithkin.people.services import PersonChanges, edit_person, filter_people, find_person, want_to_meet
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_person_keeps_their_name_parts_contacts_and_interests(alice):
    ana = make_person(
        alice,
        "Dr. Ana María Ruiz",
        organization="Acme",
        title="Product Lead",
        circle="former colleague",
        closeness="close",
        emails=["Ana@Acme.example"],
        phones=["+34 911 23 45 67"],
        links=["linkedin.com/in/anaruiz"],
        interests=["Fintech", "marathons", "fintech"],
        needs=["a new designer"],
        offers=["pricing advice"],
        birthday=date(1990, 5, 17),
    )
    assert (ana.given_name, ana.middle_name, ana.family_name, ana.name_prefix) == ("Ana", "María", "Ruiz", "Dr.")
    assert ana.circle == "former_colleague"
    assert [e.address for e in ana.emails.all()] == ["ana@acme.example"]
    assert [p.number for p in ana.phones.all()] == ["+34911234567"]
    assert [(link.kind, link.url) for link in ana.links.all()] == [("linkedin", "https://www.linkedin.com/in/anaruiz")]
    assert [i.text for i in ana.interests.all()] == ["Fintech", "marathons"]
    assert ana.organization.name == "Acme"
    assert Position.objects.for_owner(alice).get(person=ana).title == "Product Lead"


def test_organizations_are_one_per_name_ignoring_case(alice, bob):
    make_person(alice, "Ana", organization="Acme")
    make_person(alice, "Bo", organization="ACME")
    make_person(bob, "Cy", organization="acme")
    assert Organization.objects.for_owner(alice).count() == 1
    assert Organization.objects.for_owner(bob).count() == 1


def test_a_new_job_keeps_the_old_one_as_history(alice):
    ana = make_person(alice, "Ana", organization="Acme", title="Engineer")
    edit_person(alice, ana, PersonChanges(organization="Globex", title="CTO"))
    roles = [(p.organization.name, p.title, p.ended_on) for p in Position.objects.for_owner(alice).filter(person=ana)]
    assert roles == [("Globex", "CTO", None), ("Acme", "Engineer", date(2026, 11, 22))]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (PersonChanges(circle="frends"), "circle"),
        (PersonChanges(closeness="bestie"), "closeness"),
        (PersonChanges(cadence="often"), "cadence"),
        (PersonChanges(cadence="0"), "cadence"),
        (PersonChanges(emails=["not an email"]), "email"),
        (PersonChanges(phones=["call me"]), "phone"),
        (PersonChanges(birthday=date(2030, 1, 1)), "birthday"),
        (PersonChanges(met_on=date(2030, 1, 1)), "met-on"),
        (PersonChanges(interests=["  "]), "interest"),
    ],
)
def test_bad_input_names_the_field_and_adds_no_one(alice, changes, field):
    with pytest.raises(BadInput) as caught:
        make_person(alice, "Ana Ruiz", **{k: v for k, v in vars(changes).items() if v not in (None, ())})
    assert caught.value.field == field
    assert Person.objects.for_owner(alice).count() == 0


def test_an_empty_name_is_refused(alice):
    with pytest.raises(BadInput, match="name: must not be empty"):
        make_person(alice, "   ")


def test_an_email_already_used_by_someone_else_is_refused_and_changes_nothing(alice):
    make_person(alice, "Ana Ruiz", emails=["ana@acme.example"])
    bo = make_person(alice, "Bo Chen", organization="Initech")
    with pytest.raises(BadInput, match="already belongs to Ana Ruiz"):
        edit_person(alice, bo, PersonChanges(organization="Globex", emails=["ANA@acme.example"]))
    bo.refresh_from_db()
    assert bo.organization.name == "Initech"
    assert Email.objects.for_owner(alice).count() == 1


def test_the_same_email_may_belong_to_people_of_different_owners(alice, bob):
    make_person(alice, "Ana", emails=["ana@acme.example"])
    make_person(bob, "Ana", emails=["ana@acme.example"])
    assert Email.objects.count() == 2


def test_a_prospect_needs_a_why(alice):
    with pytest.raises(BadInput, match="why"):
        want_to_meet(alice, "Grace Hopper", " ")
    grace = want_to_meet(alice, "Grace Hopper", "Wrote the first compiler")
    assert grace.is_prospect and grace.prospect_status == "find_a_way_in"


def test_edit_adds_and_removes_list_values(alice):
    ana = make_person(alice, interests=["fintech", "jazz"], emails=["a@x.example"])
    edit_person(
        alice, ana, PersonChanges(interests=["chess"], remove_interests=["JAZZ"], remove_emails=["a@x.example"])
    )
    assert [i.text for i in ana.interests.all()] == ["fintech", "chess"]
    assert ana.emails.count() == 0


def test_met_through_must_be_another_of_my_people(alice, bob):
    ana = make_person(alice, "Ana")
    bo = make_person(alice, "Bo", met_through=ana)
    assert bo.met_through == ana
    with pytest.raises(BadInput, match="themselves"):
        edit_person(alice, ana, PersonChanges(met_through=ana))
    with pytest.raises(NotFound):
        make_person(bob, "Cy", met_through=ana)


class TestFindPerson:
    def test_by_id_email_full_name_or_word_starts(self, alice):
        ana = make_person(alice, "Ana Ruiz", emails=["ana@acme.example"])
        make_person(alice, "Bo Chen")
        assert find_person(alice, str(ana.pk)) == ana
        assert find_person(alice, f"#{ana.pk}") == ana
        assert find_person(alice, "ANA@acme.example") == ana
        assert find_person(alice, "ana ruiz") == ana
        assert find_person(alice, "ana") == ana
        assert find_person(alice, "an ru") == ana

    def test_an_ambiguous_name_lists_the_candidates(self, alice):
        first = make_person(alice, "Ana Ruiz", organization="Acme")
        second = make_person(alice, "Ana Ruiz", organization="Globex")
        with pytest.raises(BadInput) as caught:
            find_person(alice, "Ana Ruiz")
        assert f"Ana Ruiz (#{first.pk}, Acme)" in caught.value.message
        assert f"Ana Ruiz (#{second.pk}, Globex)" in caught.value.message

    def test_an_unknown_name_suggests_the_closest(self, alice):
        make_person(alice, "Ana Ruiz")
        with pytest.raises(NotFound, match=r"closest: Ana Ruiz"):
            find_person(alice, "Anna Ruis")

    def test_another_owners_people_are_invisible(self, alice, bob):
        ana = make_person(alice, "Ana Ruiz", emails=["ana@acme.example"])
        for ref in (str(ana.pk), "ana@acme.example", "Ana Ruiz"):
            with pytest.raises(NotFound):
                find_person(bob, ref)


def test_filters_combine(alice):
    make_person(alice, "Ana", circle="friend", interests=["fintech"], organization="Acme")
    make_person(alice, "Bo", circle="client", interests=["fintech"])
    make_person(alice, "Cy", circle="friend")
    names = lambda **f: sorted(p.full_name for p in filter_people(alice, **f))  # noqa: E731
    assert names(interest="Fintech") == ["Ana", "Bo"]
    assert names(circle="friend", interest="fintech") == ["Ana"]
    assert names(organization="acme") == ["Ana"]
    assert names(search="acm") == ["Ana"]


def test_a_word_start_is_not_confused_with_names_that_contain_it(alice):
    for i in range(250):
        make_person(alice, f"Diana Person{i:03d}")
    ana = make_person(alice, "Ana Zwick")
    assert find_person(alice, "ana") == ana
