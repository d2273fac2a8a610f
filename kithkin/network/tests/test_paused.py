"""Bulk builders pause the work of strengths person by person and work everyone's out once."""

import pytest

from kithkin.network.models import Strength
from kithkin.network.services import strengths_paused
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_touch_logged_while_paused_leaves_strengths_for_the_caller(alice):
    ana = make_person(alice, "Ana Ruiz")
    with strengths_paused():
        make_touch(alice, ana, "coffee", NOW)
    assert not Strength.objects.filter(person=ana).exists()
    make_touch(alice, ana, "call", NOW)
    assert Strength.objects.get(person=ana).events == 2
