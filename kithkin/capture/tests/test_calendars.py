"""Calendars that log meetings by themselves: an iCal address served on 127.0.0.1 and a CalDAV
account on a real Radicale server, synced as the schedule or `kithkin calendar sync` would."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kithkin.capture import calendars
from kithkin.capture.models import Source
from kithkin.capture.secrets import unseal
from kithkin.capture.services import get_source, sync_all, sync_source
from kithkin.capture.tests.helpers import FIXTURES, Account, Event, calendar, ical_address
from kithkin.core.errors import BadInput, NotFound
from kithkin.followups.models import FollowUp
from kithkin.imports.models import Import
from kithkin.imports.services import list_imports, undo_import
from kithkin.interactions.models import Touch
from kithkin.people.models import Person
from kithkin.testing import NOW, dav_server, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")

PAST = NOW - timedelta(days=2)  # Friday 20 November 2026, 10:00 UTC
FUTURE = NOW + timedelta(days=3)


@pytest.fixture
def ana(alice):
    return make_person(alice, "Ana Ruiz", emails=["ana@example.com"])


@pytest.fixture
def grace(alice):
    return make_person(alice, "Grace Hopper", emails=["grace@example.com"])


def touches_of(person):
    return list(Touch.objects.filter(participants__person=person).order_by("happened_at"))


def synced_ok(owner, source):
    result = sync_source(owner, source)
    assert result.error == ""
    return result


# --- an iCal address ------------------------------------------------------------------------------


def test_a_past_meeting_with_two_people_of_the_network_becomes_a_meeting_touch_for_each(alice, ana, grace):
    body = calendar(
        Event("m1@google.com", PAST, "Roadmap", ["ana@example.com", "grace@example.com", "zoe@else.example"])
    )
    with ical_address(body) as served:
        source = calendars.add_calendar_url(alice, served.url)
        result = synced_ok(alice, source)
    assert result.counts == {"touches_created": 1}
    (touch,) = touches_of(ana)
    assert touches_of(grace) == [touch]
    assert (touch.kind, touch.happened_at, touch.notes) == ("meeting", PAST, "Roadmap")
    # As the file import: the people's last touch moved; history asks for no thank-you; and the
    # stranger in the meeting was not added.
    assert Person.objects.get(pk=ana.pk).last_touch_at == PAST
    assert not FollowUp.objects.filter(person=ana, kind="thank_you").exists()
    assert not Person.objects.filter(emails__address="zoe@else.example").exists()
    run = Import.objects.get(pk=result.import_id)
    assert (run.format, run.filename, run.counts) == ("calendar_sync", source.name, {"touches_created": 1})
    assert list_imports(alice) == [run]


def test_the_address_is_sealed_and_its_name_shows_only_the_host(alice):
    with ical_address(calendar()) as served:
        source = calendars.add_calendar_url(alice, served.url)
    assert source.kind == Source.Kind.CALENDAR
    assert unseal(source.secret) == served.url
    assert source.name.startswith("127.0.0.1 (…") and "5ecret" not in source.name and "ical" not in source.name
    assert "5ecret" not in str(calendars.source_data(source)) and source.url == ""


def test_a_second_sync_with_nothing_new_changes_nothing_and_records_no_import(alice, ana):
    with ical_address(calendar(Event("m1", PAST, attendees=["ana@example.com"]))) as served:
        source = calendars.add_calendar_url(alice, served.url)
        synced_ok(alice, source)
        again = synced_ok(alice, source)
    assert again.import_id is None and again.counts == {}
    assert len(touches_of(ana)) == 1 and Import.objects.count() == 1


def test_a_moved_meeting_moves_its_touch_and_a_deleted_one_removes_it(alice, ana, grace):
    first = Event("m1", PAST, "Roadmap", ["ana@example.com"])
    second = Event("m2", PAST - timedelta(days=1), "Lunch", ["grace@example.com"])
    with ical_address(calendar(first, second)) as served:
        source = calendars.add_calendar_url(alice, served.url)
        synced_ok(alice, source)
        (touch,) = touches_of(ana)
        first.start = PAST - timedelta(days=3, hours=2)  # a meeting moved: its key (UID and start) changes
        served.body = calendar(first)  # and the lunch deleted
        result = synced_ok(alice, source)
    assert result.counts == {"touches_moved": 1, "touches_removed": 1}
    moved = Touch.objects.get(pk=touch.pk)
    assert moved.happened_at == first.start and moved.source_key == f"m1/{first.start:%Y-%m-%dT%H:%M:%SZ}"
    assert touches_of(grace) == []
    assert Person.objects.get(pk=ana.pk).last_touch_at == first.start
    assert Person.objects.get(pk=grace.pk).last_touch_at is None


def test_a_meeting_with_a_very_long_uid_is_followed_all_the_same(alice, ana):
    meeting = Event("x" * 320 + "@exchange.example", PAST, attendees=["ana@example.com"])
    with ical_address(calendar(meeting)) as served:
        source = calendars.add_calendar_url(alice, served.url)
        synced_ok(alice, source)
        assert synced_ok(alice, source).counts == {}
        served.body = calendar()
        assert synced_ok(alice, source).counts == {"touches_removed": 1}
    assert touches_of(ana) == []


def test_a_cancelled_meeting_removes_its_touch(alice, ana):
    meeting = Event("m1", PAST, attendees=["ana@example.com"])
    with ical_address(calendar(meeting)) as served:
        source = calendars.add_calendar_url(alice, served.url)
        synced_ok(alice, source)
        meeting.status = "CANCELLED"
        served.body = calendar(meeting)
        assert synced_ok(alice, source).counts == {"touches_removed": 1}
    assert touches_of(ana) == []


def test_a_future_meeting_is_no_touch_until_it_is_past(alice, ana, frozen):
    with ical_address(calendar(Event("m1", FUTURE, attendees=["ana@example.com"]))) as served:
        source = calendars.add_calendar_url(alice, served.url)
        assert synced_ok(alice, source).import_id is None
        assert touches_of(ana) == []
        frozen.move_to(FUTURE + timedelta(hours=2))
        assert synced_ok(alice, source).counts == {"touches_created": 1}
    assert [t.happened_at for t in touches_of(ana)] == [FUTURE]


def test_a_meeting_moved_into_the_future_loses_its_touch_until_it_has_happened(alice, ana, frozen):
    meeting = Event("m1", PAST, attendees=["ana@example.com"])
    with ical_address(calendar(meeting)) as served:
        source = calendars.add_calendar_url(alice, served.url)
        synced_ok(alice, source)
        meeting.start = FUTURE
        served.body = calendar(meeting)
        assert synced_ok(alice, source).counts == {"touches_removed": 1}
        frozen.move_to(FUTURE + timedelta(days=1))
        assert synced_ok(alice, source).counts == {"touches_created": 1}
    assert [t.happened_at for t in touches_of(ana)] == [FUTURE]


def test_an_occurrence_of_a_long_series_left_out_by_the_planner_is_not_taken_as_deleted(alice, ana, frozen):
    # A daily stand-up for a hundred days: the planner reads the sixty most recent occurrences.
    start = PAST - timedelta(days=99)
    with ical_address(
        calendar(Event("daily", start, "Stand-up", ["ana@example.com"], rrule="FREQ=DAILY;COUNT=100"))
    ) as served:
        source = calendars.add_calendar_url(alice, served.url)
        assert synced_ok(alice, source).counts == {"touches_created": 60}
        frozen.move_to(NOW + timedelta(days=20))  # twenty days on, the series has ended: nothing changed
        assert synced_ok(alice, source).counts == {}
    assert len(touches_of(ana)) == 60


def test_a_cancelled_occurrence_of_a_series_removes_only_its_touch(alice, ana):
    start = PAST - timedelta(days=14)
    series = Event("weekly", start, "1:1", ["ana@example.com"], rrule="FREQ=WEEKLY;COUNT=3")
    with ical_address(calendar(series)) as served:
        source = calendars.add_calendar_url(alice, served.url)
        synced_ok(alice, source)
        served.body = calendar(series).replace(
            b"RRULE:FREQ=WEEKLY;COUNT=3",
            b"RRULE:FREQ=WEEKLY;COUNT=3\r\nEXDATE:" + f"{start + timedelta(days=7):%Y%m%dT%H%M%SZ}".encode(),
        )
        assert synced_ok(alice, source).counts == {"touches_removed": 1}
    assert [t.happened_at for t in touches_of(ana)] == [start, start + timedelta(days=14)]


def test_touches_logged_by_hand_are_never_changed_and_a_deleted_synced_touch_is_not_brought_back(alice, ana, grace):
    by_hand = make_touch(alice, ana, "coffee", PAST + timedelta(minutes=30), notes="Coffee after the roadmap")
    meetings = [Event("m1", PAST, "Roadmap", ["ana@example.com"]), Event("m2", PAST, "Lunch", ["grace@example.com"])]
    with ical_address(calendar(*meetings)) as served:
        source = calendars.add_calendar_url(alice, served.url)
        # The roadmap meeting is the coffee already logged (the same person within three hours).
        assert synced_ok(alice, source).counts == {"touches_created": 1}
        touches_of(grace)[0].delete()
        served.body = calendar()  # every meeting deleted on the server
        assert synced_ok(alice, source).counts == {}
        served.body = calendar(*meetings)
        assert synced_ok(alice, source).counts == {}
    assert touches_of(ana) == [by_hand] and touches_of(grace) == []
    assert Touch.objects.get(pk=by_hand.pk).notes == "Coffee after the roadmap"


def test_undoing_a_sync_takes_back_its_touches_and_puts_moved_ones_back(alice, ana, grace):
    meeting = Event("m1", PAST, "Roadmap", ["ana@example.com"])
    with ical_address(calendar(meeting)) as served:
        source = calendars.add_calendar_url(alice, served.url)
        synced_ok(alice, source)
        (touch,) = touches_of(ana)
        meeting.start = PAST - timedelta(days=1)
        served.body = calendar(meeting, Event("m2", PAST, "Lunch", ["grace@example.com"]))
        moved = synced_ok(alice, source)
        assert moved.counts == {"touches_created": 1, "touches_moved": 1}
        result = undo_import(alice, moved.import_id)
        assert result.touches_removed == 1
        # The touch is back at its time, for its people too; the lunch is gone.
        back = Touch.objects.get(pk=touch.pk)
        assert back.happened_at == PAST and back.participants.get().happened_at == PAST
        assert Person.objects.get(pk=ana.pk).last_touch_at == PAST
        assert touches_of(grace) == [] and Person.objects.get(pk=grace.pk).last_touch_at is None
        # What was undone is not brought back by the next sync.
        assert synced_ok(alice, source).counts == {}
    assert touches_of(ana) == [back] and touches_of(grace) == []


def test_plain_http_is_refused_but_to_this_machine_and_webcal_is_read_as_https(alice):
    with pytest.raises(BadInput, match=r"plain http is refused for calendar\.example\.com"):
        calendars.add_calendar_url(alice, "http://calendar.example.com/private/basic.ics")
    with pytest.raises(BadInput, match="give the calendar's https://"):
        calendars.add_calendar_url(alice, "ftp://calendar.example.com/basic.ics")
    with ical_address(calendar()) as served:
        # webcal:// is https://: the local server speaks plain http, so the TLS handshake fails.
        with pytest.raises(BadInput) as refused:
            calendars.add_calendar_url(alice, served.url.replace("http://", "webcal://"))
        assert "certificate" in refused.value.message or "could not be reached" in refused.value.message
        assert "5ecret" not in str(refused.value)
        assert calendars.add_calendar_url(alice, served.url.replace("127.0.0.1", "localhost")).kind == "calendar"
    assert Source.objects.count() == 1


def test_a_redirect_is_followed_but_never_to_plain_http_on_another_machine(alice, ana):
    with ical_address(calendar(Event("m1", PAST, attendees=["ana@example.com"]))) as served:
        served.redirect = "/moved.ics"
        source = calendars.add_calendar_url(alice, served.url)
        assert synced_ok(alice, source).counts == {"touches_created": 1}
        served.redirect = "http://calendar.example.com/moved.ics"
        result = sync_source(alice, source)
    assert result.error == f"{source.name}: the calendar address sends elsewhere, over plain http: refused"
    assert served.requests.count("/moved.ics") == 2


def test_an_address_that_gives_no_calendar_or_no_answer_is_refused_in_one_line(alice):
    with ical_address(b"<html>Sign in</html>") as served:
        with pytest.raises(BadInput, match="this address does not give a calendar"):
            calendars.add_calendar_url(alice, served.url)
        served.status = 401
        with pytest.raises(BadInput, match=r"refused \(401\)"):
            calendars.add_calendar_url(alice, served.url)
        gone = served.url
    with pytest.raises(BadInput, match="could not be reached") as refused:
        calendars.add_calendar_url(alice, gone)
    assert "5ecret" not in str(refused.value) and "\n" not in str(refused.value)
    assert not Source.objects.exists()


def test_a_calendar_that_fails_later_keeps_a_one_line_error_and_the_others_carry_on(alice, ana):
    first_body = calendar(Event("m1", PAST, attendees=["ana@example.com"]))
    second_body = calendar(Event("m2", PAST - timedelta(days=1), attendees=["ana@example.com"]))
    with ical_address(first_body, path="/a.ics") as first, ical_address(second_body, path="/b.ics") as second:
        broken = calendars.add_calendar_url(alice, first.url)
        working = calendars.add_calendar_url(alice, second.url)
        first.status = 404
        results = {r.source.pk: r for r in sync_all(alice, calendars.KINDS)}
    assert (
        results[broken.pk].error == f"{broken.name}: there is no calendar at this address any more (404): copy it again"
    )
    assert Source.objects.get(pk=broken.pk).last_error == results[broken.pk].error
    assert results[working.pk].error == "" and results[working.pk].counts == {"touches_created": 1}
    assert Source.objects.get(pk=working.pk).last_error == ""


def test_an_address_that_stops_giving_a_calendar_is_an_error_and_changes_nothing(alice, ana):
    with ical_address(calendar(Event("m1", PAST, attendees=["ana@example.com"]))) as served:
        source = calendars.add_calendar_url(alice, served.url)
        synced_ok(alice, source)
        served.body = b"<html>Sign in to see this calendar</html>"
        assert sync_source(alice, source).error == f"{source.name}: the address no longer gives a calendar"
        served.body = b"BEGIN:VCALENDAR\r\n" + bytes(range(256)) * 4
        assert sync_source(alice, source).error.startswith(f"{source.name}: the calendar could not be read: ")
    # Nothing was taken as deleted, and no failed sync is left among the imports.
    assert len(touches_of(ana)) == 1 and Import.objects.count() == 1


def test_real_calendars_from_google_and_thunderbird_are_followed(alice):
    for name in ("icalendar__alarm_google_future.ics", "icalendar__alarm_thunderbird_future.ics"):
        with ical_address((FIXTURES / name).read_bytes(), path=f"/{name}") as served:
            source = calendars.add_calendar_url(alice, served.url)
            result = synced_ok(alice, source)
        # Their one event has no one from the network: nothing to log, but the sync went through.
        assert result.import_id is None
        assert Source.objects.get(pk=source.pk).last_synced_at == NOW


def test_one_owner_never_sees_or_syncs_anothers_calendar(alice, bob, ana):
    bobs_ana = make_person(bob, "Ana Ruiz", emails=["ana@example.com"])
    with ical_address(calendar(Event("m1", PAST, attendees=["ana@example.com"]))) as served:
        source = calendars.add_calendar_url(alice, served.url)
        with pytest.raises(NotFound):
            get_source(bob, source.pk, calendars.KINDS)
        assert sync_all(bob, calendars.KINDS) == [] and calendars.list_calendars(bob) == []
        synced_ok(alice, source)
    assert len(touches_of(ana)) == 1 and touches_of(bobs_ana) == []


# --- a CalDAV account -----------------------------------------------------------------------------


def test_a_caldav_account_logs_its_meetings_and_a_meeting_deleted_there_loses_its_touch(alice, ana, grace, tmp_path):
    with dav_server(tmp_path) as dav:
        account = Account(dav)
        work = account.calendar("Work")
        account.put(work, Event("standup", PAST, "Planning", ["ana@example.com", "grace@example.com"]))
        account.put(account.calendar("Home"), Event("dinner", PAST - timedelta(days=1), "Dinner", ["ana@example.com"]))
        source = calendars.add_caldav_account(alice, dav.url, username=dav.username, password=dav.password)
        assert (source.kind, source.name, source.url) == ("caldav", "ana on 127.0.0.1", dav.url)
        assert unseal(source.secret) == dav.password and dav.password not in str(calendars.source_data(source))
        assert synced_ok(alice, source).counts == {"touches_created": 2}
        assert [t.notes for t in touches_of(ana)] == ["Dinner", "Planning"]
        assert [t.notes for t in touches_of(grace)] == ["Planning"]
        account.delete(work, "standup")
        assert synced_ok(alice, source).counts == {"touches_removed": 1}
    assert [t.notes for t in touches_of(ana)] == ["Dinner"] and touches_of(grace) == []


def test_a_caldav_account_can_follow_only_the_calendars_named(alice, ana, tmp_path):
    with dav_server(tmp_path) as dav:
        account = Account(dav)
        account.put(account.calendar("Work"), Event("w", PAST, "Work", ["ana@example.com"]))
        account.put(account.calendar("Home"), Event("h", PAST, "Home", ["ana@example.com"]))
        with pytest.raises(BadInput, match="the account has no calendar named 'Gym' \\(it has: Home, Work\\)"):
            calendars.add_caldav_account(alice, dav.url, username="ana", password=dav.password, calendars=["Gym"])
        source = calendars.add_caldav_account(alice, dav.url, username="ana", password=dav.password, calendars=["Work"])
        synced_ok(alice, source)
    assert [t.notes for t in touches_of(ana)] == ["Work"]


def test_a_wrong_caldav_password_is_one_line_and_the_other_calendars_carry_on(alice, ana, tmp_path):
    with dav_server(tmp_path) as dav:
        with pytest.raises(BadInput, match="the server refused the user name or password") as refused:
            calendars.add_caldav_account(alice, dav.url, username="ana", password="wrong")
        assert "wrong" not in str(refused.value)
        assert not Source.objects.exists()
        account = Account(dav)
        account.put(account.calendar("Work"), Event("w", PAST, "Work", ["ana@example.com"]))
        source = calendars.add_caldav_account(alice, dav.url, username="ana", password=dav.password)
        # The password changed on the server since: this account fails, the iCal address carries on.
        (tmp_path / "users").write_text("ana:a-new-password\n")
        with ical_address(calendar(Event("m1", PAST - timedelta(days=1), attendees=["ana@example.com"]))) as served:
            other = calendars.add_calendar_url(alice, served.url)
            results = {r.source.pk: r for r in sync_all(alice, calendars.KINDS)}
    assert results[source.pk].error == "ana on 127.0.0.1: the server refused the user name or password"
    assert dav.password not in results[source.pk].error
    assert results[other.pk].counts == {"touches_created": 1}
    assert len(touches_of(ana)) == 1


def test_what_a_sync_did_is_said_in_words():
    assert calendars.describe({}) == "nothing new"
    assert calendars.describe({"touches_created": 1}) == "1 touch logged"
    assert calendars.describe({"touches_created": 2, "touches_moved": 1}) == "2 touches logged, 1 moved"
    assert calendars.describe({"touches_removed": 3}) == "3 touches removed"
