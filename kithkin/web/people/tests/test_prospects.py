from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.core.errors import BadInput
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, mark_prospect_met, set_prospect_status, want_to_meet
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")
LIST = reverse("people:prospects")


def prospect(owner, name="Grace Hopper", why="She wrote the first compiler", **fields):
    return want_to_meet(owner, name, why, PersonChanges(**fields))


def status_url(person):
    return reverse("people:prospect_status", args=[person.pk])


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_only_my_prospects_with_why_organization_and_status(client, alice, bob):
    prospect(alice, "Grace Hopper", "She wrote the first compiler", organization="Navy", title="Rear Admiral")
    make_person(alice, "Ana Ruiz", organization="Acme")
    prospect(bob, "Linus Pauling", "Bob's hero")
    client.force_login(alice)
    page = client.get(LIST).content.decode()
    assert "Grace Hopper" in page and "She wrote the first compiler" in page
    assert "Rear Admiral at Navy" in page and "to find a way in" in page
    assert "Ana Ruiz" not in page and "Linus Pauling" not in page


def test_the_list_filters_by_status(client, alice):
    grace = prospect(alice, "Grace Hopper")
    prospect(alice, "Ada Lovelace", "The first programmer")
    set_prospect_status(alice, grace, "asked_for_intro")
    client.force_login(alice)
    page = client.get(LIST, {"status": "asked_for_intro"}).content.decode()
    assert "Grace Hopper" in page and "Ada Lovelace" not in page
    assert "Ada Lovelace" in client.get(LIST, {"status": "nonsense"}).content.decode()


def test_an_empty_list_explains_what_it_is_for(client, alice):
    client.force_login(alice)
    page = client.get(LIST).content.decode()
    assert "Who do you want to meet?" in page and "Add someone you want to meet" in page


def test_the_list_pages_by_fifty_newest_first(client, alice, frozen):
    for i in range(55):
        prospect(alice, f"Prospect {i:02d}")
        frozen.shift(timedelta(minutes=1))
    client.force_login(alice)
    first = client.get(LIST).content.decode()
    assert "Prospect 54" in first and "Prospect 04" not in first and "1–50 of 55" in first
    assert "Prospect 04" in client.get(LIST, {"page": 2}).content.decode()


def test_the_list_makes_the_same_number_of_queries_for_many_rows(client, alice):
    prospect(alice, "Prospect 0", organization="Org 0")
    mark_prospect_met(alice, prospect(alice, "Met 0", organization="Org M0"))
    client.force_login(alice)
    client.get(LIST)  # the first request loads the session and profile caches
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for i in range(1, 30):
        prospect(alice, f"Prospect {i}", organization=f"Org {i}", title="CTO")
    for i in range(1, 5):
        mark_prospect_met(alice, prospect(alice, f"Met {i}", organization=f"Org M{i}"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert "Prospect 29" in response.content.decode()
    assert len(many) == len(few)


# --- adding someone ------------------------------------------------------------------------


def test_adding_someone_to_meet_puts_them_on_the_list(client, alice):
    client.force_login(alice)
    response = client.post(
        LIST,
        {
            "name": "Grace Hopper",
            "why": "She wrote the first compiler",
            "organization": "Navy",
            "title": "Rear Admiral",
            "link": "linkedin.com/in/grace",
        },
    )
    grace = Person.objects.for_owner(alice).get(full_name="Grace Hopper")
    assert response.status_code == 302 and response["Location"] == f"{LIST}#prospect-{grace.pk}"
    assert grace.is_prospect and grace.why == "She wrote the first compiler"
    assert grace.organization.name == "Navy" and grace.title == "Rear Admiral"
    assert [link.url for link in grace.links.all()] == ["https://www.linkedin.com/in/grace"]
    page = client.get(response["Location"]).content.decode()
    assert "Grace Hopper is on your list of people to meet." in page


def test_someone_to_meet_without_a_why_is_refused_and_nobody_is_added(client, alice):
    client.force_login(alice)
    response = client.post(LIST, {"name": "Grace Hopper", "why": "   "})
    assert response.status_code == 400
    assert "Say why you want to meet them." in response.content.decode()
    assert not Person.objects.for_owner(alice).exists()


def test_a_bad_link_shows_next_to_its_field_and_nobody_is_added(client, alice):
    client.force_login(alice)
    response = client.post(LIST, {"name": "Grace Hopper", "why": "Compilers", "link": "not a link at all"})
    body = response.content.decode()
    assert response.status_code == 400 and 'id="id_link_error"' in body
    assert not Person.objects.for_owner(alice).exists()


# --- changing a status ---------------------------------------------------------------------


def test_a_status_change_by_htmx_returns_just_the_row(client, alice):
    grace = prospect(alice)
    client.force_login(alice)
    response = client.post(status_url(grace), {"status": "asked_for_intro"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.strip().startswith(f'<li class="prospect" id="prospect-{grace.pk}"')
    assert "asked for an intro" in body and "HX-Request" in response["Vary"]
    grace.refresh_from_db()
    assert grace.prospect_status == Person.ProspectStatus.ASKED_FOR_INTRO and grace.is_prospect


def test_a_status_change_without_javascript_redirects_back_with_a_message(client, alice):
    grace = prospect(alice)
    client.force_login(alice)
    back = f"{LIST}?page=1"
    response = client.post(status_url(grace), {"status": "asked_for_intro", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert "Grace Hopper: asked for an intro." in client.get(back).content.decode()


def test_a_status_change_never_redirects_to_another_site(client, alice):
    grace = prospect(alice)
    client.force_login(alice)
    response = client.post(status_url(grace), {"status": "asked_for_intro", "next": "https://evil.example/"})
    assert response["Location"] == LIST


def test_an_unknown_status_changes_nothing_and_says_why(client, alice):
    grace = prospect(alice)
    client.force_login(alice)
    body = client.post(status_url(grace), {"status": "befriended"}, HTTP_HX_REQUEST="true").content.decode()
    assert "unknown value" in body
    grace.refresh_from_db()
    assert grace.prospect_status == Person.ProspectStatus.FIND_A_WAY_IN


def test_choosing_met_by_htmx_shows_their_page_a_capture_link_and_recently_met(client, alice):
    grace = prospect(alice)
    client.force_login(alice)
    body = client.post(status_url(grace), {"status": "met"}, HTTP_HX_REQUEST="true").content.decode()
    assert "You met Grace Hopper. They are in your network now." in body
    assert reverse("people:detail", args=[grace.pk]) in body
    assert f'href="{reverse("interactions:capture")}?with={grace.pk}" data-capture' in body
    assert 'id="recently-met" class="recently-met" aria-labelledby="recently-met-heading" hx-swap-oob="true"' in body


def test_recently_met_lists_the_newest_first(client, alice, frozen):
    for name in ["Ada Lovelace", "Grace Hopper"]:
        mark_prospect_met(alice, prospect(alice, name))
        frozen.shift(timedelta(days=2))
    client.force_login(alice)
    page = client.get(LIST).content.decode()
    recent = page[page.index('id="recently-met"') :]
    assert recent.index("Grace Hopper") < recent.index("Ada Lovelace")


# --- met: a person of the network ----------------------------------------------------------


def test_bob_cannot_change_alices_prospect_and_sees_none_of_hers(client, alice, bob):
    grace = prospect(alice)
    client.force_login(bob)
    assert client.post(status_url(grace), {"status": "met"}).status_code == 404
    assert client.post(status_url(grace), {"status": "met"}, HTTP_HX_REQUEST="true").status_code == 404
    assert "Grace Hopper" not in client.get(LIST).content.decode()
    grace.refresh_from_db()
    assert grace.is_prospect
    with pytest.raises(BadInput):
        mark_prospect_met(bob, grace)


def test_adding_and_changing_status_need_the_csrf_token(alice):
    grace = prospect(alice)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(LIST, {"name": "Ada Lovelace", "why": "Programs"}).status_code == 403
    assert strict.post(status_url(grace), {"status": "met"}).status_code == 403
    token = strict.get(LIST).cookies["csrftoken"].value
    ok = strict.post(status_url(grace), {"status": "met", "csrfmiddlewaretoken": token})
    assert ok.status_code == 302
    assert Person.objects.for_owner(alice).count() == 1


def test_a_status_change_needs_a_post(client, alice):
    grace = prospect(alice)
    client.force_login(alice)
    assert client.get(status_url(grace)).status_code == 405
