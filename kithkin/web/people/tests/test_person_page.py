"""A person's page: profile sections edited in place, follow-ups, a timeline that pages, reminders."""

import html
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.followups.models import FollowUp
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
HTMX = {"HTTP_HX_REQUEST": "true"}


def section_url(person, key):
    return reverse("people:section", args=[person.pk, key])


def text(response):
    return html.unescape(response.content.decode())


def test_the_page_shows_profile_follow_ups_and_touches_newest_first(signed_in, alice):
    bo = make_person(alice, "Bo Chen")
    ana = make_person(alice, "Ana Ruiz", interests=["fintech"], emails=["ana@acme.example"], met_through=bo)
    make_touch(alice, ana, "call", NOW - timedelta(days=30), notes="Older")
    make_touch(alice, [ana, bo], "coffee", NOW - timedelta(hours=2), notes="Newer")
    page = text(signed_in.get(reverse("people:detail", args=[ana.pk])))
    assert "fintech" in page and "ana@acme.example" in page
    assert page.index("Newer") < page.index("Older")
    assert "Thank Ana for today's coffee" in page
    assert f'href="{reverse("people:detail", args=[bo.pk])}">Bo Chen</a>' in page  # met through, linked
    assert f"{reverse('interactions:capture')}?with={ana.pk}" in page


def test_notes_render_as_markdown_that_cannot_run_script(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", notes="**Bold** <script>alert(1)</script> [x](javascript:alert(1))")
    make_touch(alice, ana, "call", NOW, notes="<img src=x onerror=alert(1)> [y](javascript:alert(2))")
    page = signed_in.get(reverse("people:detail", args=[ana.pk])).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page and "<img" not in page
    assert "[x](javascript:alert(1))" in page  # shown as harmless text


@pytest.mark.parametrize("key", ["about", "relationship", "contact", "interests", "met", "notes"])
def test_each_section_opens_as_a_form_in_place_and_as_its_own_page(signed_in, alice, key):
    ana = make_person(alice, "Ana Ruiz")
    fragment = signed_in.get(section_url(ana, key), **HTMX)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "<html" not in body and f'id="section-{key}"' in body and "<form" in body and "autofocus" in body
    page = signed_in.get(section_url(ana, key)).content.decode()
    assert "<html" in page and 'method="post"' in page
    shown = signed_in.get(section_url(ana, key), {"show": "1"}, **HTMX).content.decode()
    assert "<form" not in shown and "Edit" in shown


def test_editing_closeness_in_place_moves_the_check_in(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", closeness="wider")
    make_touch(alice, ana, "call", NOW - timedelta(days=10))
    response = signed_in.post(section_url(ana, "relationship"), {"closeness": "close", "circle": "friend"}, **HTMX)
    body = text(response)
    check_in = FollowUp.objects.get(person=ana, kind="check_in")
    assert check_in.due_at == NOW - timedelta(days=10) + timedelta(days=30)
    assert "Saved." in body and "every 30 days" in body
    assert check_in.due_at.strftime("%a %-d %b %Y") in body
    assert body.count('hx-swap-oob="true"') == 2 and 'id="person-head"' in body and 'id="follow-ups"' in body
    ana.refresh_from_db()
    assert (ana.closeness, ana.circle) == ("close", "friend")


def test_a_cadence_of_never_removes_the_check_in(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    signed_in.post(section_url(ana, "relationship"), {"closeness": "close", "never": "on"}, **HTMX)
    assert not FollowUp.objects.filter(person=ana, kind="check_in").exists()


def test_without_javascript_a_section_saves_and_returns_to_the_person(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    response = signed_in.post(
        section_url(ana, "about"),
        {"name": "Ana María Ruiz", "nicknames": "Anita", "organization": "Globex", "title": "CTO", "location": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[ana.pk]) + "#section-about"
    ana.refresh_from_db()
    assert (ana.full_name, ana.nicknames, ana.organization.name, ana.title) == (
        "Ana María Ruiz",
        ["Anita"],
        "Globex",
        "CTO",
    )


def test_contact_lists_add_what_is_new_and_remove_what_was_taken_out(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", emails=["old@acme.example", "keep@acme.example"])
    signed_in.post(
        section_url(ana, "contact"),
        {"emails": "keep@acme.example\nnew@acme.example", "phones": "+34 911 23 45 67", "links": ""},
        **HTMX,
    )
    assert sorted(ana.emails.values_list("address", flat=True)) == ["keep@acme.example", "new@acme.example"]
    assert list(ana.phones.values_list("number", flat=True)) == ["+34911234567"]


def test_a_bad_value_shows_next_to_its_field_and_changes_nothing(signed_in, alice):
    make_person(alice, "Bo Chen", emails=["bo@globex.example"])
    ana = make_person(alice, "Ana Ruiz", emails=["ana@acme.example"])
    response = signed_in.post(
        section_url(ana, "contact"),
        {"emails": "ana@acme.example\nbo@globex.example", "phones": "", "links": ""},
        **HTMX,
    )
    body = text(response)
    assert 'id="id_emails_error"' in body and "already belongs to Bo Chen" in body
    assert list(ana.emails.values_list("address", flat=True)) == ["ana@acme.example"]


def test_how_you_met_links_the_introducer_and_can_be_cleared(signed_in, alice):
    make_person(alice, "Bo Chen")
    ana = make_person(alice, "Ana Ruiz")
    signed_in.post(
        section_url(ana, "met"), {"met_how": "At PyCon", "met_through": "Bo", "met_on": "2024-05-01"}, **HTMX
    )
    ana.refresh_from_db()
    assert (ana.met_how, ana.met_through.full_name, ana.met_on) == ("At PyCon", "Bo Chen", date(2024, 5, 1))
    signed_in.post(section_url(ana, "met"), {"met_how": "At PyCon", "met_through": "", "met_on": ""}, **HTMX)
    ana.refresh_from_db()
    assert (ana.met_through, ana.met_on) == (None, None)
    unknown = signed_in.post(section_url(ana, "met"), {"met_through": "Nobody Known"}, **HTMX)
    assert 'id="id_met_through_error"' in text(unknown) and "No person named 'Nobody Known'" in text(unknown)


def test_a_long_history_shows_twenty_touches_then_more_on_request(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    for i in range(30):
        make_touch(alice, ana, "call", NOW - timedelta(days=i + 1), notes=f"Touch number {i:02d}.")
    page = text(signed_in.get(reverse("people:detail", args=[ana.pk])))
    assert "Touch number 19." in page and "Touch number 20." not in page
    assert "Show older touches (20 of 30 shown)" in page
    more = text(signed_in.get(reverse("people:detail", args=[ana.pk]), {"touches": 70, "part": "timeline"}, **HTMX))
    assert "<html" not in more and "Touch number 29." in more and "Show older" not in more


def test_the_page_makes_the_same_number_of_queries_for_a_long_history(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", interests=["a"], emails=["ana@acme.example"])
    others = [make_person(alice, f"Other {i}") for i in range(25)]
    make_touch(alice, [ana, others[0]], "call", NOW - timedelta(days=1))
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("people:detail", args=[ana.pk]))
    for i, other in enumerate(others[1:]):
        make_touch(alice, [ana, other], "coffee", NOW - timedelta(days=i + 2), notes="**hi**")
    with CaptureQueriesContext(connection) as many:
        signed_in.get(reverse("people:detail", args=[ana.pk]))
    assert len(many) == len(few)


def test_a_reminder_set_on_the_page_falls_due_at_nine_on_that_day(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    response = signed_in.post(
        reverse("people:remind", args=[ana.pk]), {"reason": "Send the pricing article", "when": "tuesday"}
    )
    assert response.status_code == 302
    reminder = FollowUp.objects.get(kind="custom")
    assert reminder.due_at == NOW.replace(day=24, hour=9)
    bad = signed_in.post(reverse("people:remind", args=[ana.pk]), {"reason": "x", "when": "whenever"})
    assert bad.status_code == 400 and "Cannot read" in text(bad)


def test_another_users_person_is_a_404_everywhere(client, alice, bob):
    ana = make_person(alice, "Ana Ruiz")
    client.force_login(bob)
    assert client.get(reverse("people:detail", args=[ana.pk])).status_code == 404
    assert client.get(section_url(ana, "about")).status_code == 404
    assert client.post(section_url(ana, "about"), {"name": "Hacked"}).status_code == 404
    assert client.post(reverse("people:remind", args=[ana.pk]), {"reason": "x", "when": "tomorrow"}).status_code == 404
    ana.refresh_from_db()
    assert ana.full_name == "Ana Ruiz"


def test_an_unknown_section_is_a_404(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    assert signed_in.get(section_url(ana, "salary")).status_code == 404


def test_editing_needs_a_csrf_token(alice):
    ana = make_person(alice, "Ana Ruiz")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(section_url(ana, "about"), {"name": "Changed"}).status_code == 403
    assert Person.objects.get(pk=ana.pk).full_name == "Ana Ruiz"


def test_a_prospect_can_be_met_from_their_own_page(signed_in, alice):
    grace = make_person(alice, "Grace Hopper", is_prospect=True, why="Compilers", closeness="close")
    page = text(signed_in.get(reverse("people:detail", args=[grace.pk])))
    assert "Someone you want to meet (to find a way in): Compilers" in page and 'value="met"' in page
    person_page = reverse("people:detail", args=[grace.pk])
    response = signed_in.post(
        reverse("people:prospect_status", args=[grace.pk]), {"status": "met", "next": person_page}
    )
    assert response["Location"] == person_page
    grace.refresh_from_db()
    assert not grace.is_prospect and grace.why == "Compilers"
    assert FollowUp.objects.filter(person=grace, kind="check_in").exists()
