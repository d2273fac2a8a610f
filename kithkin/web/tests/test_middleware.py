import contextvars
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from kithkin.core.scopes import NoOwnerScope
from kithkin.people.models import Person
from kithkin.testing import make_person


def everyone_named(request: HttpRequest) -> HttpResponse:
    # No for_owner on purpose: the owner scope alone has to keep other people's rows out.
    return HttpResponse(", ".join(Person.objects.order_by("full_name").values_list("full_name", flat=True)))


urlpatterns = [path("probe/", everyone_named)]
# As the root URLconf says: its 500 page falls back to a sentence where the layout's URLs do not reverse.
handler500 = "kithkin.web.errors.server_error"


def test_every_response_says_how_long_the_server_took(client, alice):
    client.force_login(alice)
    response = client.get("/")
    assert re.fullmatch(r"app;dur=\d+\.\d", response["Server-Timing"])


@pytest.mark.urls(__name__)
def test_a_signed_in_request_runs_in_its_owners_scope(client, alice, bob):
    make_person(alice, "Ana Secret")
    make_person(bob, "Bo Chen")
    client.force_login(bob)
    assert client.get("/probe/").content.decode() == "Bo Chen"
    client.force_login(alice)
    assert client.get("/probe/").content.decode() == "Ana Secret"


@pytest.mark.urls(__name__)
def test_an_anonymous_request_runs_in_no_scope(client, alice):
    make_person(alice, "Ana Secret")
    # In a fresh context, as on a server thread: the tests' own disabled scope is not inherited.
    with pytest.raises(NoOwnerScope):
        contextvars.Context().run(client.get, "/probe/")


# Issue 13, item 3
def test_a_write_to_a_busy_database_answers_503_with_retry_after_not_500(client, alice, busy_database):
    client.force_login(alice)

    with busy_database():
        response = client.post("/people/add/", {"name": "Ana Ruiz", "closeness": "active"})

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing was changed" in response.content.decode()
    assert not Person.objects.filter(full_name="Ana Ruiz").exists()


# Issue 13, item 3
def test_a_busy_database_outside_any_view_answers_503_not_500(client, alice, settings, monkeypatch):
    client.force_login(alice)
    client.raise_request_exception = False
    settings.SESSION_SAVE_EVERY_REQUEST = True  # the session middleware writes after the view

    def busy(*args: object, **kwargs: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", busy)
    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing was changed" in response.content.decode()


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


# Issue 13, item 4
def test_an_oversized_body_is_refused_from_its_content_length_before_it_is_read(client, settings):
    oversized = str(settings.MAX_REQUEST_BYTES + 1)

    response = client.generic(
        "POST",
        "/imports/",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=oversized,
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413  # a stranger's, before sign-in, sessions or CSRF
    assert "at most 21 MB" in response.content.decode()
