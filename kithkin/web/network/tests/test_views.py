"""The Rekindle page: the cards, acting on one (htmx or a plain form), someone else's person, and
a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.interactions.models import Touch
from kithkin.network.models import RekindleChoice
from kithkin.network.tests.scenarios import three_ties
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
PAGE = "/rekindle/"


@pytest.fixture
def three(alice):
    return three_ties(alice)


def test_the_page_shows_the_quiet_friend_with_the_opener_copy_and_mailto(signed_in, three):
    friend, _colleague, _acquaintance = three
    friend.emails.create(owner=friend.owner, address="fran@example.com")
    assert reverse("network:rekindle") == PAGE
    page = signed_in.get(PAGE).content.decode()
    assert "Fran Ortega" in page and "Cole Baptiste" not in page
    assert f'href="/people/{friend.pk}/"' in page
    assert "I miss our coffees" in page
    assert f'data-copy="opener-{friend.pk}"' in page
    assert 'href="mailto:fran@example.com?subject=' in page
    assert "I reached out" in page and "Snooze for a quarter" in page and "Let this one go" in page
    assert re.search(r'aria-current="page">(<svg .*?</svg>)?Rekindle</a>', page, re.S)  # in More, after its icon


def test_an_empty_list_says_what_would_appear(signed_in):
    page = signed_in.get(PAGE).content.decode()
    assert "No quiet ties to revive" in page


def test_i_reached_out_logs_a_message_and_htmx_gets_the_card_back(signed_in, three):
    friend, _colleague, _acquaintance = three
    response = signed_in.post(reverse("network:reached_out", args=[friend.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="rekindle-{friend.pk}"' in response.content.decode()
    assert Touch.objects.filter(participants__person=friend, kind="message", initiated_by="me").exists()
    assert "Fran Ortega" not in signed_in.get(PAGE).content.decode()


def test_snooze_and_let_go_work_without_javascript_and_take_them_off(signed_in, three):
    friend, _colleague, _acquaintance = three
    card = f'id="rekindle-{friend.pk}"'
    response = signed_in.post(reverse("network:snooze", args=[friend.pk]))
    assert response.status_code == 302 and response["Location"] == PAGE
    assert RekindleChoice.objects.get(person=friend).snoozed_until == NOW + timedelta(days=91)
    assert card not in signed_in.get(PAGE).content.decode()
    signed_in.post(reverse("network:keep", args=[friend.pk]))
    assert card in signed_in.get(PAGE).content.decode()
    signed_in.post(reverse("network:let_go", args=[friend.pk]), headers={"HX-Request": "true"})
    assert RekindleChoice.objects.get(person=friend).let_go_at == NOW
    assert card not in signed_in.get(PAGE).content.decode()


def test_another_users_person_is_not_found(client, bob, three):
    friend, _colleague, _acquaintance = three
    client.force_login(bob)
    for name in ("reached_out", "snooze", "let_go", "keep"):
        assert client.post(reverse(f"network:{name}", args=[friend.pk])).status_code == 404
    assert not RekindleChoice.objects.exists()
    assert "Fran Ortega" not in client.get(PAGE).content.decode()


def test_the_page_costs_the_same_queries_however_many_people_are_on_it(signed_in, alice, three):
    def old_friend(k):
        person = make_person(
            alice, f"Old Friend {k}", circle="friend", interests=["jazz"], emails=[f"o{k}@example.com"]
        )
        for j in range(6):
            make_touch(alice, person, "coffee", NOW - timedelta(days=300 + 14 * j), advice="read" if j == 0 else "")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(PAGE).status_code == 200
        return len(queries)

    old_friend(0)
    few = count()
    for k in range(1, 12):
        old_friend(k)
    assert count() == few
