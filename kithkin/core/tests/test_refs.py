import pytest

from kithkin.core.errors import BadInput, NotFound
from kithkin.core.refs import by_id, parse_ref, ref_id
from kithkin.people.models import Person
from kithkin.testing import make_person


@pytest.mark.parametrize(
    ("ref", "expected"), [("12", 12), ("#12", 12), (" #12 ", 12), (12, 12), ("Ana", None), ("", None)]
)
def test_an_id_is_written_with_or_without_a_hash(ref, expected):
    assert ref_id(ref) == expected


def test_anything_else_is_a_name_with_its_spaces_tidied():
    assert parse_ref("  Ana   Ruiz ", "person") == "Ana Ruiz"
    assert parse_ref("#7", "person") == 7


def test_nothing_at_all_is_refused_on_the_field():
    with pytest.raises(BadInput, match="person: must not be empty"):
        parse_ref("   ", "person")


def test_an_id_matching_nothing_of_the_owners_is_not_found_by_its_noun(alice, bob):
    theirs = make_person(bob, "Bo Chen")
    mine = make_person(alice, "Ana Ruiz")
    assert by_id(Person.objects.for_owner(alice), mine.pk, field="person", noun="person") == mine
    with pytest.raises(NotFound, match=f"^person: no person has id {theirs.pk}$"):
        by_id(Person.objects.for_owner(alice), theirs.pk, field="person", noun="person")
