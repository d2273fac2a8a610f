"""The demo network pauses strengths while it builds, and works everyone's out once at the end."""

import pytest

from kithkin.demo import build_demo_network
from kithkin.network.models import Strength
from kithkin.network.services import refresh_strengths

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_demo_network_has_every_strength_as_worked_out_from_scratch(alice):
    build_demo_network(alice, people=40)
    built = {row.person_id: (row.log_key, row.peak, row.events) for row in Strength.objects.filter(owner=alice)}
    assert built
    refresh_strengths(alice)
    again = {row.person_id: (row.log_key, row.peak, row.events) for row in Strength.objects.filter(owner=alice)}
    assert again.keys() == built.keys()
    for pk, (key, peak, events) in built.items():
        assert again[pk] == (pytest.approx(key), pytest.approx(peak), events)
