"""A tie's strength on a person's page: the number, trend and status in words, why, a sparkline."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.testing import NOW, make_person, make_touch
from kithkin.web.network.panels import sparkline

pytestmark = pytest.mark.usefixtures("frozen")


def page_of(client, person):
    return html.unescape(client.get(reverse("people:detail", args=[person.pk])).content.decode())


def test_someone_with_history_shows_strength_why_and_a_sparkline(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", circle="friend", closeness="close")
    for weeks in range(2, 60, 2):
        make_touch(alice, ana, "coffee", NOW - timedelta(weeks=weeks))
    page = page_of(signed_in, ana)
    assert 'id="strength-heading"' in page
    assert "coffee 2 weeks ago" in page
    assert "touches this year" in page
    assert '<svg class="sparkline"' in page and "<polyline" in page
    assert "Strength over the last two years: from 0 to" in page
    assert "style=" not in page.split('id="strength"')[1].split("</section>")[0]


def test_a_fading_close_tie_says_so_in_words(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", circle="friend", closeness="close")
    for weeks in range(18, 70, 2):
        make_touch(alice, ana, "coffee", NOW - timedelta(weeks=weeks))
    card = page_of(signed_in, ana).split('id="strength"')[1].split("</section>")[0]
    assert "fading" in card and ("at risk" in card or "dormant" in card)


def test_someone_without_history_gets_a_sentence_instead(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    card = page_of(signed_in, ana).split('id="strength"')[1].split("</section>")[0]
    assert "No touches with Ana yet" in card and "<svg" not in card


def test_someone_you_want_to_meet_gets_a_sentence_instead(signed_in, alice):
    bo = make_person(alice, "Bo Chen", is_prospect=True, why="Runs the fintech meetup")
    card = page_of(signed_in, bo).split('id="strength"')[1].split("</section>")[0]
    assert "You have not met Bo yet" in card and "<svg" not in card


def test_the_panel_makes_the_same_number_of_queries_for_a_long_history(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "call", NOW - timedelta(days=3))
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("people:detail", args=[ana.pk]))
    for day in range(4, 200, 3):
        make_touch(alice, ana, "coffee", NOW - timedelta(days=day))
    with CaptureQueriesContext(connection) as many:
        signed_in.get(reverse("people:detail", args=[ana.pk]))
    assert len(many) == len(few)


def test_another_users_person_page_is_a_404(signed_in, bob):
    theirs = make_person(bob, "Cy Bob's")
    make_touch(bob, theirs, "coffee", NOW - timedelta(days=3))
    assert signed_in.get(reverse("people:detail", args=[theirs.pk])).status_code == 404


def test_the_sparkline_runs_left_to_right_with_a_hundred_at_the_top():
    line = sparkline([0.0, 50.0, 100.0])
    assert line.points == "0.0,30.0 60.0,16.0 120.0,2.0"
    assert line.label == "Strength over the last two years: from 0 to 100"
