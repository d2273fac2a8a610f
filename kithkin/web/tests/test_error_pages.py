"""Error pages wear the layout of every other page; the 500 page renders with no request at all."""

import pytest
from django.test import RequestFactory
from django.views import defaults

from kithkin.testing import make_person

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
