"""The Insights page: every chart as an accessible SVG with its table, for the signed-in user only,
in a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.network.tests.scenarios import three_ties
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
PAGE = "/insights/"


@pytest.fixture
def network(alice):
    three_ties(alice)
    make_person(alice, "Ana Ruiz", circle="friend", organization="Acme <Labs>")
    make_person(alice, "Bo Chen", circle="friend", is_prospect=True, why="Runs the fintech meetup")


def test_the_page_draws_each_chart_as_an_image_with_a_title_a_description_and_a_table(signed_in, network):
    assert reverse("insights:page") == PAGE
    page = signed_in.get(PAGE).content.decode()
    assert page.count('role="img"') == 9
    assert page.count("<desc id=") == 9
    assert page.count('<details class="numbers">') == 9
    assert "<title id=" in page and "People by circle and closeness" in page
    assert re.search(r'aria-current="page">(<svg .*?</svg>)?Insights</a>', page, re.S)  # in More, after its icon
    assert "4 people in it, and 1 you want to meet" in page
    # The friend circle: Fran, Ana and the prospect Bo, as the People list counts it.
    assert '<a href="/people/?circle=friend">Friend</a></th>\n          <td>3</td>' in page
    assert "Acme &lt;Labs&gt;" in page and "Acme <Labs>" not in page
    assert "Dunbar" in page and "under by" in page


def test_an_empty_network_still_answers(signed_in):
    page = signed_in.get(PAGE)
    assert page.status_code == 200
    assert "Nobody in your network has an organization yet." in page.content.decode()


def test_someone_elses_network_is_never_counted(client, network, bob):
    three_ties(bob)
    for i in range(3):
        person = make_person(bob, f"Bob Friend {i}", circle="friend", organization="Bobcorp")
        make_touch(bob, person, "call", NOW - timedelta(days=3))
    client.force_login(bob)
    page = client.get(PAGE).content.decode()
    assert "6 people in it, and 0 you want to meet" in page
    assert "Acme" not in page and "Bobcorp" in page


def test_the_page_takes_as_many_queries_for_many_people_as_for_a_few(signed_in, alice, network):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(PAGE).status_code == 200
        return len(queries)

    few = count()
    for i in range(15):
        person = make_person(alice, f"Person {i}", organization=f"Org {i % 4}", circle="colleague")
        make_touch(alice, person, "call", NOW - timedelta(days=i * 9))
    assert count() == few
