"""The People page: search as you type, filters, sorting, paging and the bulk edit."""

from datetime import timedelta

import pytest
from django.urls import reverse

from kithkin.core.errors import BadInput
from kithkin.followups.models import FollowUp
from kithkin.people.models import Interest, Person
from kithkin.people.services import PersonChanges, bulk_edit_people, edit_person, search_people
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")

LIST = reverse("people:list")


def check_in_of(owner, person) -> FollowUp:
    (check_in,) = FollowUp.objects.for_owner(owner).pending().filter(person=person, kind="check_in")
    return check_in


# --- search --------------------------------------------------------------------------------


def test_search_ignores_accents_and_case_in_any_script(alice):
    make_person(alice, "José Ðorđević", organization="Łódź Labs")
    make_person(alice, "Jose Perez")
    make_person(alice, "Σοφία Παπαδοπούλου")
    assert sorted(p.full_name for p in search_people(alice, "jose")) == ["Jose Perez", "José Ðorđević"]
    assert [p.full_name for p in search_people(alice, "DJORD")] == []  # no invented letters
    assert [p.full_name for p in search_people(alice, "ĐOR lodz")] == ["José Ðorđević"]
    assert [p.full_name for p in search_people(alice, "σοφια")] == ["Σοφία Παπαδοπούλου"]


def test_search_follows_every_change_to_what_it_reads(alice):
    ana = make_person(alice, "Ana Ruiz", emails=["ana@acme.example"])
    assert [p.full_name for p in search_people(alice, "acme.example")] == ["Ana Ruiz"]
    edit_person(alice, ana, PersonChanges(remove_emails=["ana@acme.example"], organization="Globex", title="CFO"))
    assert list(search_people(alice, "acme.example")) == []
    assert [p.full_name for p in search_people(alice, "globex cfo")] == ["Ana Ruiz"]
    bulk_edit_people(alice, [ana.pk], add_interests=["sailing"])
    assert [p.full_name for p in search_people(alice, "sailing")] == ["Ana Ruiz"]
    bulk_edit_people(alice, [ana.pk], remove_interest="sailing")
    assert list(search_people(alice, "sailing")) == []


def test_search_never_finds_another_users_people(alice, bob):
    make_person(bob, "Ana Ruiz", interests=["fintech"])
    assert list(search_people(alice, "ana")) == [] and list(search_people(alice, "fintech")) == []


def test_every_word_must_match_somewhere(alice):
    make_person(alice, "Ana Ruiz", organization="Acme", interests=["marathons"])
    make_person(alice, "Bo Chen", organization="Acme")
    found = search_people(alice, "acme marathon")
    assert [p.full_name for p in found] == ["Ana Ruiz"]


def test_a_bulk_cadence_sets_never_or_days_or_back_to_the_closeness_default(alice):
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    bulk_edit_people(alice, [ana.pk], cadence="never")
    ana.refresh_from_db()
    assert ana.is_cadence_never and not FollowUp.objects.for_owner(alice).filter(kind="check_in").exists()
    bulk_edit_people(alice, [ana.pk], cadence="14")
    assert check_in_of(alice, ana).due_at == ana.created_at + timedelta(days=14)
    bulk_edit_people(alice, [ana.pk], cadence="default")
    ana.refresh_from_db()
    assert (ana.cadence_days, ana.is_cadence_never) == (None, False)
    assert check_in_of(alice, ana).due_at == ana.created_at + timedelta(days=30)


def test_a_bulk_edit_adds_interests_once_and_removes_one(alice):
    ana = make_person(alice, "Ana Ruiz", interests=["Fintech", "golf"])
    bo = make_person(alice, "Bo Chen")
    result = bulk_edit_people(alice, [ana.pk, bo.pk], add_interests=["fintech", "Marathons"], remove_interest="Golf")
    assert result.describe() == "Updated 2 people: added interests fintech, Marathons, removed interest golf"
    texts = lambda p: sorted(Interest.objects.for_owner(alice).filter(person=p).values_list("text", flat=True))  # noqa: E731
    assert texts(ana) == ["Fintech", "Marathons"]
    assert texts(bo) == ["Marathons", "fintech"]


def test_apply_to_all_matching_never_reaches_another_users_people(alice, bob):
    make_person(bob, "Bo Chen")
    make_person(alice, "Ana Ruiz")
    result = bulk_edit_people(alice, Person.objects.all(), closeness="inner")
    assert result.count == 1
    assert Person.objects.for_owner(bob).get().closeness == "active"


def test_bulk_edit_validates_everything_before_changing_anything(alice):
    ana = make_person(alice, "Ana Ruiz")
    good = {"closeness": "inner", "add_interests": ["chess"]}
    for bad in ({"circle": "best friend"}, {"cadence": "0"}, {"add_interests": ["chess", "x" * 301]}):
        with pytest.raises(BadInput):
            bulk_edit_people(alice, [ana.pk], **{**good, **bad})
    ana.refresh_from_db()
    assert ana.closeness == "active" and ana.circle == "" and not Interest.objects.for_owner(alice).exists()
