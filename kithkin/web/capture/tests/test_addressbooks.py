"""Settings → Connected accounts → Address books: add one, look at its first sync, import it,
sync it now, remove it; against a real CardDAV server (Radicale on 127.0.0.1)."""

from datetime import timedelta

import pytest

from kithkin.capture import addressbooks
from kithkin.capture.models import Source
from kithkin.capture.secrets import seal
from kithkin.capture.tests.conftest import card, carddav  # noqa: F401  (carddav is a fixture)
from kithkin.imports.models import Import
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person

pytestmark = pytest.mark.usefixtures("frozen")
PASSWORD = "s3cret-app-password"
PAGE = "/connections/"


def form(served, **changes):
    return {"url": served.url, "username": "ana", "password": PASSWORD, **changes}


def test_adding_an_address_book_shows_its_first_sync_and_imports_it_only_when_asked(
    signed_in,
    alice,
    carddav,  # noqa: F811
):
    known = make_person(alice, "Ana Ruiz", emails=["ana@acme.example"])
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example", tel="+34 600 123 456"))
    carddav.put("bo", card("Bo Li", email="bo@li.example", org="Li & Co"))

    response = signed_in.post("/connections/addressbooks/add/", form(carddav, url=carddav.server.url))
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/connections/addressbooks/{source.pk}/preview/"

    page = signed_in.get(response["Location"]).content.decode()
    assert "The first sync of" in page and "Bo Li" in page and "Li &amp; Co" in page
    assert "Updates to people in your network" in page and "+34600123456" in page
    assert PASSWORD not in page
    assert Person.objects.count() == 1 and Import.objects.count() == 0

    listed = signed_in.get(PAGE).content.decode()
    assert source.name in listed and "Waiting for you to look at its first sync" in listed

    response = signed_in.post(f"/connections/addressbooks/{source.pk}/import/")
    run = Import.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
    assert run.format == Import.Format.ADDRESS_BOOK and run.filename == source.name
    assert sorted(Person.objects.values_list("full_name", flat=True)) == ["Ana Ruiz", "Bo Li"]
    assert known.phones.count() == 1
    # Once imported, the preview is no longer offered.
    assert signed_in.get(f"/connections/addressbooks/{source.pk}/preview/").status_code == 302


def test_a_refused_address_book_is_told_next_to_its_field_and_the_password_is_not_shown_again(
    signed_in,
    carddav,  # noqa: F811
):
    response = signed_in.post("/connections/addressbooks/add/", form(carddav, password="not-the-password"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "refused this user name and password" in page and "not-the-password" not in page
    assert Source.objects.count() == 0
    response = signed_in.post("/connections/addressbooks/add/", form(carddav, url="http://contacts.example.com/"))
    assert (
        response.status_code == 400 and "plain http is only for a server on this machine" in response.content.decode()
    )


def test_sync_now_brings_in_what_changed_and_a_failure_is_shown_on_the_list(
    signed_in,
    alice,
    carddav,  # noqa: F811
):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    source = addressbooks.add_address_book(alice, carddav.url, username="ana", password=PASSWORD)
    # A new address book's "sync now" shows its first sync instead.
    response = signed_in.post(f"/connections/addressbooks/{source.pk}/sync/")
    assert response["Location"] == f"/connections/addressbooks/{source.pk}/preview/"
    addressbooks.confirm_address_book(alice, source, now=NOW - timedelta(days=1))

    carddav.put("bo", card("Bo Li", email="bo@li.example"))
    response = signed_in.post(f"/connections/addressbooks/{source.pk}/sync/", follow=True)
    page = response.content.decode()
    assert f"{source.name}: 1 added, 0 updated." in page
    assert Person.objects.filter(full_name="Bo Li").exists()
    response = signed_in.post(f"/connections/addressbooks/{source.pk}/sync/", follow=True)
    assert f"{source.name}: nothing new." in response.content.decode()

    source.secret = seal("an-old-password")
    source.save()
    response = signed_in.post(f"/connections/addressbooks/{source.pk}/sync/", follow=True)
    page = response.content.decode()
    assert page.count("refused this user name and password") == 2  # the message, and the list
    assert "an-old-password" not in page


def test_removing_asks_first_then_forgets_the_address_book_but_keeps_its_people(
    signed_in,
    alice,
    carddav,  # noqa: F811
):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    source = addressbooks.add_address_book(alice, carddav.url, username="ana", password=PASSWORD)
    addressbooks.confirm_address_book(alice, source, now=NOW)
    page = signed_in.get(f"/connections/addressbooks/{source.pk}/remove/").content.decode()
    assert "Remove the address book" in page and "The people it brought in stay" in page
    assert Source.objects.count() == 1
    response = signed_in.post(f"/connections/addressbooks/{source.pk}/remove/", follow=True)
    assert "The people it brought in stay in your network" in response.content.decode()
    assert Source.objects.count() == 0 and Person.objects.count() == 1
    assert "No address books yet" in signed_in.get(PAGE).content.decode()


def test_another_users_address_book_is_a_404_on_every_page(client, alice, bob):
    theirs = Source.objects.create(
        owner=alice, kind=Source.Kind.CARDDAV, name="Secret book", url="http://127.0.0.1:1/", created_at=NOW
    )
    client.force_login(bob)
    for action in ("preview", "import", "sync", "remove"):
        url = f"/connections/addressbooks/{theirs.pk}/{action}/"
        assert {client.get(url).status_code, client.post(url).status_code} <= {404, 405}, action
    assert "Secret book" not in client.get(PAGE).content.decode()
    assert Source.objects.filter(pk=theirs.pk).exists()


def test_the_list_takes_the_same_queries_for_many_address_books(signed_in, alice, django_assert_max_num_queries):
    for n in range(20):
        Source.objects.create(
            owner=alice, kind=Source.Kind.CARDDAV, name=f"Book {n}", url=f"http://127.0.0.1:1/{n}/", created_at=NOW
        )
    with django_assert_max_num_queries(12):
        page = signed_in.get(PAGE).content.decode()
    assert "Book 19" in page
