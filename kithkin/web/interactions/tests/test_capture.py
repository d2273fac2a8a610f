"""Quick capture in the web app: who, what, when, notes and advice, in a few seconds."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from kithkin.exchanges.services import log_introduced_touch
from kithkin.followups.models import FollowUp
from kithkin.interactions.models import Touch
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
HTMX = {"HTTP_HX_REQUEST": "true"}
CAPTURE = "/touches/capture/"


def snapshot():
    return (Person.objects.count(), Touch.objects.count(), FollowUp.objects.count())


def test_the_capture_form_is_a_page_and_a_dialog_fragment(signed_in):
    page = signed_in.get(reverse("interactions:capture")).content.decode()
    assert "<html" in page and 'id="capture-panel"' in page
    fragment = signed_in.get(reverse("interactions:capture"), **HTMX)
    assert "<html" not in fragment.content.decode() and 'id="capture-panel"' in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]


def test_logging_from_a_person_page_starts_with_that_person_and_never_someone_elses(signed_in, alice, bob):
    ana = make_person(alice, "Ana Ruiz")
    bos = make_person(bob, "Bo Chen")
    page = signed_in.get(reverse("interactions:capture"), {"with": [ana.pk, bos.pk]}).content.decode()
    assert f'name="person" value="{ana.pk}"' in page
    assert "Bo Chen" not in page


def test_a_coffee_yesterday_shows_the_thank_you_it_set_with_its_due_time(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    response = signed_in.post(
        reverse("interactions:capture"),
        {"person": [ana.pk], "names": "", "kind": "coffee", "when": "yesterday 15:00", "notes": "Pricing"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "kithkin:touch-logged"
    body = html.unescape(response.content.decode())
    touch = Touch.objects.get()
    assert touch.happened_at == NOW.replace(day=21, hour=15)
    thanks = FollowUp.objects.get(kind="thank_you")
    assert thanks.due_at == touch.happened_at + timedelta(hours=24)
    assert "Thank Ana for yesterday's coffee" in body
    assert "Sun 22 Nov, 15:00" in body and "due in 5 hours" in body
    assert "Check in with Ana" in body


def test_without_javascript_capture_redirects_to_the_logged_touch(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    response = signed_in.post(
        reverse("interactions:capture"), {"names": "Ana Ruiz", "kind": "meal", "when": "now", "advice": "Ship it"}
    )
    touch = Touch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("interactions:detail", args=[touch.pk])
    page = html.unescape(signed_in.get(response["Location"]).content.decode())
    assert "Tell Ana how you used their advice" in page and "Thank Ana for today's meal" in page
    assert list(touch.people.all()) == [ana]


def test_the_touch_page_shows_what_the_cli_shows_an_introducers_thank_you_and_close_the_loop(signed_in, alice):
    ana, bo = make_person(alice, "Ana Ruiz"), make_person(alice, "Bo Chen")
    touch = log_introduced_touch(alice, ana, [bo], "coffee", NOW - timedelta(hours=1))

    page = html.unescape(signed_in.get(reverse("interactions:detail", args=[touch.pk])).content.decode())

    assert "Thank Bo for today's coffee" in page
    assert "Thank Ana for the intro to Bo Chen" in page and "Tell Ana how the conversation with Bo went" in page


def test_a_new_name_is_only_added_after_the_user_confirms(signed_in, alice):
    make_person(alice, "Ana Ruiz")
    before = snapshot()
    asked = signed_in.post(
        reverse("interactions:capture"), {"names": "Ana, Zoë Ðorđević", "kind": "coffee", "when": "now"}, **HTMX
    )
    body = asked.content.decode()
    assert "not in your network yet" in body
    assert 'name="new" value="Zoë Ðorđević"' in body and "Add 1 new person and log" in body
    assert snapshot() == before
    ana = Person.objects.get(full_name="Ana Ruiz")
    confirmed = signed_in.post(
        reverse("interactions:capture"),
        {"person": [ana.pk], "new": ["Zoë Ðorđević"], "kind": "coffee", "when": "now"},
        **HTMX,
    )
    assert "Added 1 new person" in confirmed.content.decode()
    zoe = Person.objects.get(full_name="Zoë Ðorđević")
    assert zoe.met_on == NOW.date()
    assert set(Touch.objects.get().people.all()) == {ana, zoe}
    assert FollowUp.objects.filter(kind="thank_you").count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"names": "", "when": "now"}, "names", "Say who this touch was with."),
        ({"names": "Ana", "when": "whenever"}, "when", "Cannot read 'whenever'"),
        (
            {"names": "Ana", "when": "tomorrow 3pm"},
            "when",
            "Mon 23 Nov, 15:00 is in the future. Log the touch once it has happened, or set a reminder instead.",
        ),
        ({"names": "Ruiz", "when": "now"}, "names", "is ambiguous"),
        ({"names": "nobody@example.com", "when": "now"}, "names", "No person has the email"),
        ({"names": "Ana", "when": "now", "kind": "brunch"}, "kind", "Pick one of the options."),
    ],
)
def test_bad_input_shows_next_to_its_field_and_changes_nothing(signed_in, alice, data, field, message):
    make_person(alice, "Ana Ruiz")
    make_person(alice, "Luis Ruiz")
    before = snapshot()
    response = signed_in.post(reverse("interactions:capture"), {"kind": "coffee", **data}, **HTMX)
    body = html.unescape(response.content.decode())
    assert f'id="id_{field}_error"' in body and message in body
    assert 'aria-invalid="true"' in body
    assert snapshot() == before


def test_another_users_person_cannot_be_put_in_a_touch(signed_in, alice, bob):
    bos = make_person(bob, "Bo Chen")
    response = signed_in.post(
        reverse("interactions:capture"), {"person": [bos.pk], "kind": "coffee", "when": "now"}, **HTMX
    )
    assert f"No person has id {bos.pk}" in response.content.decode()
    assert Touch.objects.count() == 0


def test_capture_needs_a_csrf_token(alice):
    ana = make_person(alice, "Ana Ruiz")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    response = strict.post(reverse("interactions:capture"), {"person": [ana.pk], "kind": "coffee", "when": "now"})
    assert response.status_code == 403 and Touch.objects.count() == 0


def test_another_users_touch_is_a_404(client, alice, bob):
    touch = make_touch(alice, make_person(alice, "Ana Ruiz"))
    client.force_login(bob)
    assert client.get(reverse("interactions:detail", args=[touch.pk])).status_code == 404


def test_suggestions_put_recent_contacts_first_and_offer_a_new_person(signed_in, alice, bob):
    old = make_person(alice, "Ana Ruiz")
    recent = make_person(alice, "Anabel Ortiz")
    make_person(alice, "Diana Prince")  # "ana" inside a word is not a match
    make_person(bob, "Ana Bobs")
    make_touch(alice, old, "call", NOW - timedelta(days=90))
    make_touch(alice, recent, "call", NOW - timedelta(days=1))
    body = signed_in.get(reverse("people:suggest"), {"q": "ana", "new": "1"}).content.decode()
    assert body.index("Anabel Ortiz") < body.index("Ana Ruiz")
    assert "Diana" not in body and "Bobs" not in body
    assert "Add “ana” as a new person" in body
    excluded = signed_in.get(reverse("people:suggest"), {"q": "ana", "exclude": [recent.pk]}).content.decode()
    assert "Anabel" not in excluded and "as a new person" not in excluded


# Issue 13, item 21g
def test_a_refused_capture_autofocuses_the_first_field_in_error_not_the_name_box(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    response = signed_in.post(reverse("interactions:capture"), {"person": ana.pk, "kind": "coffee", "when": "blorp"})
    body = response.content.decode()
    assert re.search(r'<input[^>]*name="when"[^>]*autofocus', body)
    assert not re.search(r'<input[^>]*name="names"[^>]*autofocus', body)
    fresh = signed_in.get(reverse("interactions:capture")).content.decode()
    assert re.search(r'<input[^>]*name="names"[^>]*autofocus', fresh)
