"""Strength on the command line: `show` and `people`, as text and JSON, sorted and filtered."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.testing import NOW, make_person, make_touch, make_user, run_json

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def three(kithkin):
    """A close friend seen every two weeks for a year and then nothing for four months, a
    colleague called monthly until last week, someone never in touch."""
    me = get_or_create_local_owner()
    friend = make_person(me, "Ana Friend", circle="friend", closeness="close")
    for weeks in range(17, 70, 2):
        make_touch(me, friend, "coffee", NOW - timedelta(weeks=weeks))
    colleague = make_person(me, "Bo Colleague", circle="colleague")
    for months in range(0, 12):
        make_touch(me, colleague, "call", NOW - timedelta(days=7 + 30 * months))
    never = make_person(me, "Cy Never")
    return friend, colleague, never


def test_show_json_carries_strength_trend_status_and_why(kithkin, three):
    friend = run_json(kithkin, "show", "Ana Friend")
    assert isinstance(friend["strength"], int) and 0 < friend["strength"] <= 100
    assert friend["trend"] == "fading" and friend["status"] in {"at_risk", "dormant"}
    assert any("coffee" in reason for reason in friend["strength_why"])
    never = run_json(kithkin, "show", "Cy Never")
    assert (never["strength"], never["trend"], never["status"], never["strength_why"]) == (0, "steady", "active", [])


def test_show_prints_a_strength_line(kithkin, three):
    code, out, _ = kithkin("show", "Bo Colleague")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("Strength "))
    assert line.startswith("Strength ") and " · active — " in line and "12 touches this year" in line


def test_people_json_carries_strength_for_every_row(kithkin, three):
    rows = {r["name"]: r for r in run_json(kithkin, "people")}
    assert rows["Ana Friend"]["trend"] == "fading" and rows["Ana Friend"]["status"] in {"at_risk", "dormant"}
    assert rows["Bo Colleague"]["status"] == "active" and rows["Bo Colleague"]["strength"] > 0
    assert (rows["Cy Never"]["strength"], rows["Cy Never"]["status"]) == (0, "active")


def test_people_sorted_by_strength_puts_the_strongest_first_and_no_history_last(kithkin, three):
    rows = run_json(kithkin, "people", "--sort", "strength")
    assert [r["strength"] for r in rows] == sorted((r["strength"] for r in rows), reverse=True)
    assert rows[-1]["name"] == "Cy Never"


def test_the_strength_filter_narrows_people(kithkin, three):
    weak = run_json(kithkin, "people", "--strength", "weak")
    assert "Cy Never" in [r["name"] for r in weak]
    assert all(r["strength"] < 30 for r in weak)
    strong = run_json(kithkin, "people", "--strength", "strong")
    assert all(r["strength"] >= 60 for r in strong) and "Cy Never" not in [r["name"] for r in strong]
    code, _, err = kithkin("people", "--strength", "mighty")
    assert code != 0 and "--strength" in err


def test_people_json_makes_the_same_number_of_queries_for_many_rows(kithkin, three):
    with CaptureQueriesContext(connection) as few:
        run_json(kithkin, "people", "--sort", "strength")
    me = get_or_create_local_owner()
    for i in range(40):
        make_touch(me, make_person(me, f"Person {i}"), "email", NOW - timedelta(days=10 + i))
    with CaptureQueriesContext(connection) as many:
        run_json(kithkin, "people", "--sort", "strength")
    assert len(many) == len(few)


def test_another_users_people_are_not_in_the_list(kithkin, three):
    other = make_user("bob")
    theirs = make_person(other, "Dee Theirs")
    make_touch(other, theirs, "coffee", NOW - timedelta(days=1))
    assert "Dee Theirs" not in [r["name"] for r in run_json(kithkin, "people", "--sort", "strength")]
    code, _, _ = kithkin("show", str(theirs.pk), "--json")
    assert code != 0
