"""Error pages wear the layout of every other page; the 500 page renders with no request at all."""

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.views import defaults

from kithkin.testing import make_person
from kithkin.web.errors import server_error

STYLED = 'href="/static/kithkin/kithkin.css"'


# Issue 13, item 20
def test_a_missing_page_is_a_styled_404_with_the_navigation(signed_in):
    response = signed_in.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert STYLED in body and "<h1>Page not found</h1>" in body
    assert 'aria-label="Main"' in body and 'href="/people/"' in body  # the signed-in navigation


# Issue 13, item 20
def test_someone_elses_object_gets_the_same_styled_404(client, alice, bob):
    ana = make_person(alice, "Ana Ruiz")
    client.force_login(bob)
    response = client.get(f"/people/{ana.pk}/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode() and "Ana" not in response.content.decode()


# Issue 13, item 20
@pytest.mark.parametrize(
    ("view", "code", "title"),
    [
        (defaults.server_error, 500, "Something went wrong"),
        (defaults.bad_request, 400, "Bad request"),
        (defaults.permission_denied, 403, "Not allowed"),
    ],
)
def test_error_pages_render_in_the_layout_even_without_a_signed_in_request(db, view, code, title):
    request = RequestFactory().get("/")
    response = view(request) if code == 500 else view(request, Exception("x"))
    assert response.status_code == code
    body = response.content.decode()
    assert STYLED in body and f"<h1>{title}</h1>" in body and 'class="brand"' in body


HEADER = '<header class="site-head">'


# Issue 17: the error pages wear the app's header, and say what happened in a sentence
def test_the_404_page_has_the_site_header_a_sentence_and_the_way_back_to_today(signed_in):
    body = signed_in.get("/no-such-page/").content.decode()
    assert HEADER in body and 'class="brand"' in body and 'aria-current="page"' not in body
    assert "Nothing is here: the address may be mistyped" in body
    assert '<a href="/" role="button">Back to Today</a>' in body
    assert "Error 404" not in body


def test_the_500_page_has_the_site_header_even_with_the_database_down(db):
    def down(*args):
        raise OperationalError("the database is down")

    request = RequestFactory().get("/")
    with connection.execute_wrapper(down):
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert HEADER in body and 'class="brand"' in body and "<h1>Something went wrong</h1>" in body
    assert '<html lang="en" data-theme="system">' in body and '<meta name="color-scheme" content="light dark">' in body
    assert '<a href="/" role="button">Back to Today</a>' in body
    assert 'aria-label="Main"' in body and 'href="/people/"' not in body  # no signed-in navigation


def test_the_busy_page_outside_a_view_wears_the_layout_too(db):
    request = RequestFactory().get("/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 503 and HEADER in body and "<h1>Kithkin is busy for a moment</h1>" in body
    assert STYLED in body and "Try again in 5 seconds." in body


def test_the_500_page_answers_in_a_sentence_when_even_the_layout_cannot_be_drawn(db, settings):
    settings.ROOT_URLCONF = "kithkin.web.tests.test_error_pages"  # no URL of the layout reverses
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "<h1>Something went wrong</h1>" in response.content.decode()


urlpatterns: list = []
