"""The owner's stamp moves with every change to what is cached under it, and only the owner's
when the change is known to be theirs."""

import pytest

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


class CountedCache:
    """The cache, counting each stamp moved."""

    def __init__(self) -> None:
        from django.core.cache import cache

        self.cache = cache
        self.moved: list[str] = []

    def incr(self, key: str) -> int:
        self.moved.append(key)
        return int(self.cache.incr(key))

    def __getattr__(self, name: str) -> object:
        return getattr(self.cache, name)


def test_the_writes_of_a_moved_once_block_move_the_owners_stamp_once_when_it_ends(alice, monkeypatch):
    ana = make_person(alice, "Ana")
    before = stamps.stamp(alice.pk)
    counted = CountedCache()
    monkeypatch.setattr(stamps, "cache", counted)
    with stamps.moved_once():
        Person.objects.for_owner(alice).filter(pk=ana.pk).update(title="CEO")
        with stamps.moved_once():  # an inner block leaves it to the outer one
            Person.objects.for_owner(alice).filter(pk=ana.pk).update(title="CTO")
        make_person(alice, "Bo")
        assert counted.moved == []
    assert counted.moved == [f"stamp:owner:{alice.pk}"]
    assert stamps.stamp(alice.pk) != before


def test_a_stamp_read_within_moved_once_moves_with_what_was_written_before(alice):
    ana = make_person(alice, "Ana")
    before = stamps.stamp(alice.pk)
    with stamps.moved_once():
        Person.objects.for_owner(alice).filter(pk=ana.pk).update(title="CEO")
        during = stamps.stamp(alice.pk)
        assert during != before
        Person.objects.for_owner(alice).filter(pk=ana.pk).update(title="CTO")
    assert stamps.stamp(alice.pk) not in (before, during)


def test_a_moved_once_block_that_fails_still_moves_the_stamp(alice):
    ana = make_person(alice, "Ana")
    before = stamps.stamp(alice.pk)
    with pytest.raises(RuntimeError), stamps.moved_once():
        Person.objects.for_owner(alice).filter(pk=ana.pk).update(title="CEO")
        raise RuntimeError
    assert stamps.stamp(alice.pk) != before
