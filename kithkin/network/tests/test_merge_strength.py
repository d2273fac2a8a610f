"""Merging two people who both have a history leaves one strength, worked out from both."""

from datetime import timedelta

import pytest

from kithkin.network.models import Strength
from kithkin.people.merge import merge_people
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def test_merging_two_people_with_history_keeps_one_strength_from_both_histories(alice):
    keep, drop = make_person(alice, "Ana Ruiz"), make_person(alice, "Ana R.")
    make_touch(alice, keep, "coffee", NOW - timedelta(days=10))
    make_touch(alice, drop, "call", NOW - timedelta(days=40))
    make_touch(alice, drop, "call", NOW - timedelta(days=70))
    merge_people(alice, keep, drop)
    (row,) = Strength.objects.filter(owner=alice)
    assert row.person_id == keep.pk and row.events == 3
