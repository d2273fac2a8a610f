import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def test_search_as_you_type_returns_the_results_partial(client, alice):
    make_person(alice, "Ana Ruiz", organization="Acme")
    make_person(alice, "Bo Chen")
    client.force_login(alice)
    response = client.get(reverse("people:list"), {"q": "acm"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Ana Ruiz" in body and "Bo Chen" not in body and "<html" not in body
    full = client.get(reverse("people:list"), {"q": "chen"}).content.decode()
    assert "<html" in full and "Bo Chen" in full and "Ana Ruiz" not in full


def test_the_list_pages_by_fifty(client, alice):
    for i in range(55):
        make_person(alice, f"Person {i:02d}")
    client.force_login(alice)
    first = client.get(reverse("people:list")).content.decode()
    assert "Person 49" in first and "Person 50" not in first and "1–50 of 55" in first
    second = client.get(reverse("people:list"), {"page": 2}).content.decode()
    assert "Person 54" in second


def test_the_list_makes_the_same_number_of_queries_for_many_rows(client, alice):
    make_person(alice, "Person 0", organization="Org 0")
    client.force_login(alice)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:list"))
    for i in range(1, 30):
        make_person(alice, f"Person {i}", organization=f"Org {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("people:list"))
    assert len(many) == len(few)


def test_a_person_page_shows_profile_touches_and_follow_ups(client, alice):
    ana = make_person(alice, "Ana Ruiz", interests=["fintech"], emails=["ana@acme.example"])
    make_touch(alice, ana, "coffee", NOW.replace(hour=8), notes="Talked <b>pricing</b>")
    client.force_login(alice)
    page = client.get(reverse("people:detail", args=[ana.pk])).content.decode()
    assert "fintech" in page and "ana@acme.example" in page
    assert "Thank Ana for today&#x27;s coffee" in page
    assert "Talked &lt;b&gt;pricing&lt;/b&gt;" in page


def test_another_users_person_is_a_404_and_absent_from_search(client, alice, bob):
    ana = make_person(alice, "Ana Ruiz")
    client.force_login(bob)
    assert client.get(reverse("people:detail", args=[ana.pk])).status_code == 404
    assert "Ana" not in client.get(reverse("people:list"), {"q": "ana"}).content.decode()
