"""The Suggested introductions page: the issue's acceptance in the browser's terms, proposing with
one click, hiding a pair for good, and another user's people."""

import html

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.introductions.models import DeclinedMatch, Introduction
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def cy_and_dee(alice):
    return (
        make_person(alice, "Cy Ng", needs=["a senior designer"]),
        make_person(alice, "Dee Park", offers=["product design mentoring"], emails=["dee@example.com"]),
    )


def body(response):
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_page_lists_the_pair_with_its_reason_strengths_and_both_buttons(signed_in, cy_and_dee):
    text = body(signed_in.get(reverse("introductions:suggested")))
    assert "Cy needs a senior designer; Dee offers product design mentoring." in text
    assert "Your strength with Cy: 0 · with Dee: 0" in text
    assert ">Propose</button>" in text and ">Not a good match</button>" in text


def test_the_introductions_page_links_to_the_suggestions(signed_in, cy_and_dee):
    assert reverse("introductions:suggested") in body(signed_in.get(reverse("introductions:list")))


def test_proposing_creates_the_introduction_at_proposed_and_shows_the_first_message(signed_in, alice, cy_and_dee):
    cy, dee = cy_and_dee
    response = signed_in.post(reverse("introductions:suggested_propose"), {"a": cy.pk, "b": dee.pk})
    intro = Introduction.objects.get(owner=alice)
    assert intro.state == Introduction.State.PROPOSED and (intro.person_a, intro.person_b) == (dee, cy)
    assert response["Location"] == reverse("introductions:detail", args=[intro.pk])
    text = body(signed_in.get(response["Location"]))
    assert "Proposed introducing Dee Park to Cy Ng. First, ask Dee" in text
    assert "The message to Dee" in text and "product design mentoring" in text
    assert "Cy Ng" not in body(signed_in.get(reverse("introductions:suggested")))


def test_not_a_good_match_hides_the_pair_for_good_in_place_or_by_redirect(signed_in, alice, cy_and_dee):
    cy, dee = cy_and_dee
    url = reverse("introductions:suggested_hide")
    response = signed_in.post(url, {"a": cy.pk, "b": dee.pk}, headers={"HX-Request": "true"})
    assert (response.status_code, response.content) == (200, b"")
    assert DeclinedMatch.objects.filter(owner=alice).count() == 1
    assert "Dee offers" not in body(signed_in.get(reverse("introductions:suggested")))
    response = signed_in.post(url, {"a": dee.pk, "b": cy.pk})
    assert response["Location"] == reverse("introductions:suggested")
    assert DeclinedMatch.objects.filter(owner=alice).count() == 1


def test_another_users_people_are_a_404_and_change_nothing(signed_in, bob, cy_and_dee):
    cy, _dee = cy_and_dee
    theirs = make_person(bob, "Bob's Designer", offers=["design mentoring"])
    for name in ("introductions:suggested_propose", "introductions:suggested_hide"):
        assert signed_in.post(reverse(name), {"a": cy.pk, "b": theirs.pk}).status_code == 404
        assert signed_in.post(reverse(name), {"a": "x", "b": cy.pk}).status_code == 404
    assert not Introduction.objects.exists() and not DeclinedMatch.objects.exists()
    assert "Bob's Designer" not in body(signed_in.get(reverse("introductions:suggested")))


def test_a_pair_nothing_of_whom_meets_is_refused_with_a_message(signed_in, alice, cy_and_dee):
    cy, _dee = cy_and_dee
    eve = make_person(alice, "Eve Stone", title="Accountant")
    response = signed_in.post(reverse("introductions:suggested_propose"), {"a": cy.pk, "b": eve.pk}, follow=True)
    assert "Nothing Cy Ng needs meets Eve Stone" in body(response)
    assert not Introduction.objects.exists()


def test_the_buttons_post_with_the_csrf_token_and_a_get_changes_nothing(alice, cy_and_dee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    cy, dee = cy_and_dee
    assert client.post(reverse("introductions:suggested_propose"), {"a": cy.pk, "b": dee.pk}).status_code == 403
    assert 'name="csrfmiddlewaretoken"' in body(client.get(reverse("introductions:suggested")))
    assert client.get(reverse("introductions:suggested_propose"), {"a": cy.pk, "b": dee.pk}).status_code == 405
    assert not Introduction.objects.exists()


def test_the_page_takes_the_same_few_queries_however_many_pairs(signed_in, alice, cy_and_dee):
    def count():
        with CaptureQueriesContext(connection) as queries:
            body(signed_in.get(reverse("introductions:suggested")))
        return len(queries)

    few = count()
    for n in range(10):
        make_person(alice, f"Needy {n}", needs=["a designer"])
        make_person(alice, f"Helper {n}", title="Designer", organization=f"Studio {n}")
    assert count() == few
