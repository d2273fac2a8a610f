"""Bulk builders pause the work of strengths person by person and work everyone's out once."""

import pytest

from kithkin.demo import build_demo_network
from kithkin.network.models import Strength
from kithkin.network.services import refresh_strengths, strengths_paused
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_touch_logged_while_paused_leaves_strengths_for_the_caller(alice):
    ana = make_person(alice, "Ana Ruiz")
    with strengths_paused():
        make_touch(alice, ana, "coffee", NOW)
    assert not Strength.objects.filter(person=ana).exists()
    make_touch(alice, ana, "call", NOW)
    assert Strength.objects.get(person=ana).events == 2


def test_the_demo_network_has_every_strength_as_worked_out_from_scratch(alice):
    build_demo_network(alice, people=40)
    built = {row.person_id: (row.log_key, row.peak, row.events) for row in Strength.objects.filter(owner=alice)}
    assert built
    refresh_strengths(alice)
    again = {row.person_id: (row.log_key, row.peak, row.events) for row in Strength.objects.filter(owner=alice)}
    assert again.keys() == built.keys()
    for pk, (key, peak, events) in built.items():
        assert again[pk] == (pytest.approx(key), pytest.approx(peak), events)
