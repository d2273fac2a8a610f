"""Logging a touch: what it writes, in a few statements whatever the size of the history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.core import stamps
from kithkin.followups.models import FollowUp
from kithkin.interactions.services import log_touch
from kithkin.network.models import Strength
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def statements(owner, person, kind):
    with CaptureQueriesContext(connection) as queries:
        log_touch(owner, [person], kind, NOW - timedelta(hours=1))
    return [q["sql"] for q in queries.captured_queries]


def test_a_call_is_logged_in_the_same_few_statements_for_a_long_history_as_for_a_short_one(alice):
    ana, bo = make_person(alice, "Ana Ruiz", closeness="close"), make_person(alice, "Bo Chen", closeness="close")
    make_touch(alice, ana, "call", NOW - timedelta(days=30))
    for days in range(40, 400, 9):
        make_touch(alice, bo, "call", NOW - timedelta(days=days))
    short, long = statements(alice, ana, "call"), statements(alice, bo, "call")
    # Its savepoint and its release, the touch, its person, their last touch, their strength (three
    # reads and a write), the people as the follow-ups read them, their check-in (a read and a write)
    # and whether anyone introduced them to you.
    assert len(short) == len(long) == 13, "\n".join(long)


def test_a_coffee_adds_one_statement_for_its_thank_you(alice):
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    make_touch(alice, ana, "coffee", NOW - timedelta(hours=3))
    assert len(statements(alice, ana, "coffee")) == 14
    assert FollowUp.objects.for_owner(alice).filter(kind="thank_you", person=ana).count() == 2  # one a coffee


def test_logging_a_touch_writes_the_last_touch_the_strength_and_the_check_in(alice):
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    make_touch(alice, ana, "coffee", NOW - timedelta(days=30))
    touch = make_touch(alice, ana, "call", NOW - timedelta(hours=2))
    assert Person.objects.get(pk=ana.pk).last_touch_at == touch.happened_at
    assert Strength.objects.get(person=ana).events == 2
    (check_in,) = FollowUp.objects.for_owner(alice).filter(kind="check_in", person=ana)
    assert check_in.due_at > touch.happened_at


def test_logging_a_touch_moves_the_owners_stamp_once_after_its_writes(alice, monkeypatch):
    from kithkin.core.tests.test_stamps import CountedCache

    ana = make_person(alice, "Ana Ruiz", closeness="close")
    before = stamps.stamp(alice.pk)
    counted = CountedCache()
    monkeypatch.setattr(stamps, "cache", counted)
    make_touch(alice, ana, "coffee", NOW - timedelta(hours=2))  # a touch, a person, two follow-ups
    assert counted.moved == [f"stamp:owner:{alice.pk}"]
    assert stamps.stamp(alice.pk) != before
