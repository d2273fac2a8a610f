"""The Ask page and the Ask box on People and Today: results with why, someone else's people
never shown, a clear error, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.finder import semantic
from kithkin.testing import make_person, make_user

pytestmark = pytest.mark.usefixtures("frozen")
PAGE = "/ask/"


@pytest.fixture
def network(alice):
    make_person(alice, "Ana Ruiz", location="Berlin", title="Recruiter", offers=["can advise on hiring"])
    make_person(alice, "Bo Chen", location="Lisbon", title="Software Engineer", interests=["marathons"])


def test_the_page_lists_who_matches_with_why(signed_in, network):
    assert reverse("finder:ask") == PAGE
    # By words alone: with the semantic extra, Bo might follow Ana as close in meaning.
    with semantic.using(None):
        page = signed_in.get(PAGE, {"q": "who in Berlin could advise on hiring"}).content.decode()
    assert "Looking for: in berlin · offers hiring" in page
    assert "Ana Ruiz" in page and "in Berlin · offers “can advise on hiring”" in page
    assert "Bo Chen" not in page


def test_the_page_without_a_question_shows_the_box_and_examples(signed_in, network):
    page = signed_in.get(PAGE).content.decode()
    assert 'id="ask-q"' in page and "former colleagues into marathons" in page


def test_another_users_people_are_never_listed(signed_in, network):
    make_person(make_user("bob"), "Bob Recruiter", location="Berlin", offers=["can advise on hiring"])
    page = signed_in.get(PAGE, {"q": "who in Berlin could advise on hiring"}).content.decode()
    assert "Bob Recruiter" not in page and "Ana Ruiz" in page


def test_a_question_with_nothing_to_look_for_says_so(signed_in, network):
    response = signed_in.get(PAGE, {"q": "who do I know"})
    assert response.status_code == 400
    assert "nothing to look for" in response.content.decode()


def test_people_and_today_have_the_ask_box(signed_in, network):
    for url in ("/people/", "/"):
        page = signed_in.get(url).content.decode()
        assert 'action="/ask/"' in page, url


def test_the_page_makes_a_fixed_number_of_queries(signed_in, alice, network):
    for i in range(12):
        make_person(alice, f"Recruiter {i}", location="Berlin", interests=["chess"], offers=["can advise on hiring"])
    signed_in.get(PAGE, {"q": "recruiters in Berlin"})  # the first question may write the index
    with CaptureQueriesContext(connection) as few:
        signed_in.get(PAGE, {"q": "who in Berlin could advise on hiring"})
    for i in range(12, 30):
        make_person(alice, f"Recruiter {i}", location="Berlin", interests=["chess"], offers=["can advise on hiring"])
    # With the semantic extra, the first question after new people reads them once.
    signed_in.get(PAGE, {"q": "recruiters in Berlin"})
    with CaptureQueriesContext(connection) as many:
        signed_in.get(PAGE, {"q": "who in Berlin could advise on hiring"})
    assert len(many) == len(few)
