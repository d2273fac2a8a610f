"""Settings → Connected accounts → Calendars: follow a calendar by its address or a CalDAV
account, see its last sync and error, sync it now, stop following it after a confirmation; only
your own."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.urls import reverse

from kithkin.capture import calendars
from kithkin.capture.models import Source
from kithkin.capture.secrets import seal
from kithkin.capture.tests.helpers import Account, Event, calendar, ical_address
from kithkin.interactions.models import Touch
from kithkin.testing import NOW, dav_server, make_person

pytestmark = pytest.mark.usefixtures("frozen")

CONNECTIONS = reverse("capture:connections")
PAST = NOW - timedelta(days=2)


def page_of(response):
    return html.unescape(response.content.decode())


def test_the_section_invites_to_follow_a_calendar_by_address_or_caldav(signed_in):
    page = page_of(signed_in.get(CONNECTIONS))
    assert 'id="calendars-heading"' in page and "No calendars yet" in page
    assert f'action="{reverse("capture:calendar_add")}"' in page
    assert f'action="{reverse("capture:caldav_add")}"' in page and 'type="password"' in page


def test_a_calendar_followed_by_its_address_is_listed_without_it_and_synced_now(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", emails=["ana@example.com"])
    with ical_address(calendar(Event("m1", PAST, "Coffee chat", ["ana@example.com"]))) as served:
        answer = signed_in.post(reverse("capture:calendar_add"), {"url": served.url})
        assert answer.status_code == 302 and answer["Location"] == CONNECTIONS + "#calendars"
        source = Source.objects.get(owner=alice)
        page = page_of(signed_in.get(CONNECTIONS))
        assert f"Following {source.name}" in page and "not synced yet" in page
        assert "5ecret" not in page and served.url not in page
        answer = signed_in.post(reverse("capture:calendar_sync", args=[source.pk]), follow=True)
    page = page_of(answer)
    assert f"{source.name}: 1 touch logged." in page and "last synced 22 Nov 2026" in page
    assert [t.notes for t in Touch.objects.filter(participants__person=ana)] == ["Coffee chat"]


def test_an_address_refused_is_said_next_to_it_and_nothing_is_followed(signed_in, alice):
    answer = signed_in.post(reverse("capture:calendar_add"), {"url": "http://calendar.example.com/private-x/basic.ics"})
    assert answer.status_code == 400
    page = page_of(answer)
    assert 'aria-invalid="true"' in page and "Plain http is refused for calendar.example.com" in page
    assert not Source.objects.exists()


def test_a_caldav_account_signs_in_first_and_its_failure_later_shows_on_the_page(signed_in, alice, tmp_path):
    make_person(alice, "Ana Ruiz", emails=["ana@example.com"])
    with dav_server(tmp_path) as dav:
        account = Account(dav)
        account.put(account.calendar("Work"), Event("w", PAST, "Planning", ["ana@example.com"]))
        form = {"url": dav.url, "username": "ana", "password": "wrong", "calendars": ""}
        answer = signed_in.post(reverse("capture:caldav_add"), form)
        assert answer.status_code == 400 and "server refused the user name or password" in page_of(answer)
        assert "wrong" not in page_of(answer).replace("wrong password", "")
        answer = signed_in.post(reverse("capture:caldav_add"), {**form, "password": dav.password, "calendars": "Work"})
        assert answer.status_code == 302
        source = Source.objects.get(owner=alice)
        assert source.options == {"calendars": ["Work"]}
        (tmp_path / "users").write_text("ana:changed\n")
        page = page_of(signed_in.post(reverse("capture:calendar_sync", args=[source.pk]), follow=True))
    assert "ana on 127.0.0.1: the server refused the user name or password" in page
    assert dav.password not in page and "only Work" in page
    assert Source.objects.get(pk=source.pk).last_error.endswith("refused the user name or password")


def test_stopping_to_follow_asks_first_and_keeps_the_touches(signed_in, alice):
    source = Source.objects.create(
        owner=alice, kind="calendar", name="calendar.google.com (…ab12)", secret=seal("https://x/y"), created_at=NOW
    )
    url = reverse("capture:calendar_remove", args=[source.pk])
    page = page_of(signed_in.get(url))
    assert "Stop following calendar.google.com (…ab12)?" in page and "The touches its syncs logged stay" in page
    assert Source.objects.filter(pk=source.pk).exists()
    answer = signed_in.post(url, follow=True)
    assert "Stopped following calendar.google.com (…ab12)" in page_of(answer)
    assert calendars.list_calendars(alice) == []


def test_another_users_calendar_is_a_404_and_stays_as_it_was(signed_in, bob):
    theirs = Source.objects.create(
        owner=bob, kind="calendar", name="bob.example (…0000)", secret=seal("https://x/y"), created_at=NOW
    )
    for name in ("capture:calendar_sync", "capture:calendar_remove"):
        url = reverse(name, args=[theirs.pk])
        assert signed_in.post(url).status_code == 404
    assert signed_in.get(reverse("capture:calendar_remove", args=[theirs.pk])).status_code == 404
    assert "bob.example" not in page_of(signed_in.get(CONNECTIONS))
    theirs.refresh_from_db()
    assert theirs.last_synced_at is None and theirs.last_error == ""


def test_a_sync_that_moved_a_touch_says_so_on_its_import_and_its_undo(signed_in, alice):
    make_person(alice, "Ana Ruiz", emails=["ana@example.com"])
    meeting = Event("m1", PAST, "Roadmap", ["ana@example.com"])
    with ical_address(calendar(meeting)) as served:
        source = calendars.add_calendar_url(alice, served.url)
        calendars.sync_source(alice, source, now=NOW)
        meeting.start = PAST - timedelta(days=1)
        served.body = calendar(meeting)
        moved = calendars.sync_source(alice, source, now=NOW)
    detail = page_of(signed_in.get(reverse("imports:detail", args=[moved.import_id])))
    assert "<strong>1</strong> moved with their meeting" in detail and source.name in detail
    undo = page_of(signed_in.get(reverse("imports:undo", args=[moved.import_id])))
    assert "the <strong>1</strong> touch it moved with its meeting goes back to its time" in undo
