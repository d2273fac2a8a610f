"""The owner's stamp moves with every change to what is cached under it, and only the owner's
when the change is known to be theirs."""

from kithkin.core import stamps
from kithkin.core.scopes import unscoped
from kithkin.people.models import Person
from kithkin.testing import make_person


def test_an_update_or_delete_of_one_owners_rows_moves_only_their_stamp(alice, bob):
    ana = make_person(alice, "Ana")
    make_person(bob, "Bo")
    alices, bobs = stamps.stamp(alice.pk), stamps.stamp(bob.pk)
    Person.objects.for_owner(alice).filter(pk=ana.pk).update(title="CEO")
    assert stamps.stamp(alice.pk) != alices and stamps.stamp(bob.pk) == bobs
    alices = stamps.stamp(alice.pk)
    Person.objects.for_owner(alice).filter(pk=ana.pk).delete()
    assert stamps.stamp(alice.pk) != alices and stamps.stamp(bob.pk) == bobs


def test_an_update_whose_owners_are_not_known_moves_everyones(alice, bob):
    make_person(alice, "Ana")
    make_person(bob, "Bo")
    alices, bobs = stamps.stamp(alice.pk), stamps.stamp(bob.pk)
    with unscoped():
        Person.objects.filter(full_name__in=["Ana", "Bo"]).update(title="CEO")
    assert stamps.stamp(alice.pk) != alices and stamps.stamp(bob.pk) != bobs
