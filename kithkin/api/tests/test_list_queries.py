"""Every list of these routers makes as many queries for a page of twenty as for a page of two."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.events.services import EventPlan, add_event, met
from kithkin.exchanges.services import record_ask, save_and_share_resource
from kithkin.goals.services import add_goal
from kithkin.introductions.services import propose_introduction
from kithkin.testing import NOW, make_person

pytestmark = pytest.mark.usefixtures("frozen")


def add_rows(owner, start, count):
    for n in range(start, start + count):
        ana = make_person(owner, f"Ana {n}", organization=f"Org {n}")
        bo = make_person(owner, f"Bo {n}")
        record_ask(owner, ana, f"ask {n}")
        propose_introduction(owner, ana, bo, "both like maps")
        event = add_event(owner, EventPlan(name=f"Event {n}", starts_at=NOW - timedelta(days=n + 1))).event
        met(owner, event, [ana])
        add_goal(owner, f"Goal {n}", organizations=[f"Org {n}"], people=[bo])
        save_and_share_resource(owner, f"https://example.com/{n}", [ana], topics=["maps"])


def queries(api, path):
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/asks", "/introductions", "/events", "/goals", "/resources", "/imports"])
def test_a_longer_list_makes_no_more_queries(api, alice, path):
    add_rows(alice, 0, 2)
    few = queries(api, path)
    add_rows(alice, 2, 8)
    assert queries(api, path) <= few
