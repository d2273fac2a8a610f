"""The People list by strength: sorted strongest first, narrowed to a band, each row's strength."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.network.models import Strength
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
LIST = reverse("people:list")


@pytest.fixture
def three(alice):
    """A close friend seen every two weeks, a colleague called monthly, someone never in touch."""
    friend = make_person(alice, "Ana Friend", circle="friend", closeness="close")
    for weeks in range(1, 52, 2):
        make_touch(alice, friend, "coffee", NOW - timedelta(weeks=weeks))
    colleague = make_person(alice, "Bo Colleague", circle="colleague")
    for months in range(1, 4):
        make_touch(alice, colleague, "call", NOW - timedelta(days=30 * months))
    never = make_person(alice, "Aaron Never")
    return friend, colleague, never


def names_in_order(body, *names):
    return sorted(names, key=body.index)


def test_sorted_by_strength_the_strongest_come_first_and_no_history_last(signed_in, three):
    body = html.unescape(signed_in.get(LIST, {"sort": "strength"}).content.decode())
    assert names_in_order(body, "Ana Friend", "Bo Colleague", "Aaron Never") == [
        "Ana Friend",
        "Bo Colleague",
        "Aaron Never",
    ]
    assert "sorted by strongest ties first" in body


def test_the_strength_filter_narrows_the_list_to_a_band(signed_in, three):
    strong = signed_in.get(LIST, {"strength": "strong"}).content.decode()
    assert "Ana Friend" in strong and "Bo Colleague" not in strong and "Aaron Never" not in strong
    weak = signed_in.get(LIST, {"strength": "weak"}).content.decode()
    assert "Aaron Never" in weak and "Ana Friend" not in weak


def test_each_row_shows_its_strength(signed_in, three):
    friend = three[0]
    body = signed_in.get(LIST).content.decode()
    strength = Strength.objects.get(person=friend)
    assert strength.events == 26
    assert '<td class="strength"><meter' in body


def test_a_network_without_stored_strengths_gets_them_on_the_first_list(signed_in, alice, three):
    Strength.objects.filter(owner=alice).delete()
    body = signed_in.get(LIST, {"sort": "strength"}).content.decode()
    assert body.index("Ana Friend") < body.index("Aaron Never")
    assert Strength.objects.filter(owner=alice).count() == 2


def test_sorting_by_strength_makes_the_same_number_of_queries_for_many_rows(signed_in, alice, three):
    with CaptureQueriesContext(connection) as few:
        signed_in.get(LIST, {"sort": "strength", "strength": "weak"})
    for i in range(20):
        person = make_person(alice, f"Person {i}")
        make_touch(alice, person, "email", NOW - timedelta(days=300 + i))
    with CaptureQueriesContext(connection) as many:
        signed_in.get(LIST, {"sort": "strength", "strength": "weak"})
    assert len(many) == len(few)


def test_another_users_people_never_show_in_a_strength_list(signed_in, bob, three):
    theirs = make_person(bob, "Cy Theirs")
    make_touch(bob, theirs, "coffee", NOW - timedelta(days=2))
    body = signed_in.get(LIST, {"sort": "strength", "strength": "strong"}).content.decode()
    assert "Cy Theirs" not in body
