"""`kithkin calendar`: follow a calendar by its iCal address or a CalDAV account, and sync it."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.capture.models import Source
from kithkin.capture.tests.helpers import Account, Event, calendar, ical_address
from kithkin.interactions.models import Touch
from kithkin.testing import NOW, dav_server, make_person, run_json

pytestmark = pytest.mark.usefixtures("frozen")

PAST = NOW - timedelta(days=2)


@pytest.fixture
def me(kithkin):
    return get_or_create_local_owner()


@pytest.fixture
def people(me):
    return (
        make_person(me, "Ana Ruiz", emails=["ana@example.com"]),
        make_person(me, "Grace Hopper", emails=["grace@example.com"]),
    )


@pytest.fixture(autouse=True)
def _quiet_radicale():
    """Radicale warns of each refused sign-in on stderr, which is the command's here."""
    radicale = logging.getLogger("radicale")
    level = radicale.level
    radicale.setLevel(logging.ERROR)
    yield
    radicale.setLevel(level)


def password_file(tmp_path, password):
    path = tmp_path / "caldav-password"
    path.write_text(password + "\n")
    return str(path)


# Issue 19, acceptance: a past meeting with two people of the network on a local CalDAV server.
def test_a_caldav_meeting_with_two_people_becomes_their_meeting_touch_and_goes_when_deleted_there(
    kithkin, people, tmp_path
):
    with dav_server(tmp_path) as dav:
        account = Account(dav)
        work = account.calendar("Work")
        account.put(work, Event("roadmap", PAST, "Roadmap review", ["ana@example.com", "grace@example.com"]))
        secret = password_file(tmp_path, dav.password)
        code, out, err = kithkin("calendar", "add", dav.url, "--caldav", "--user", "ana", "--password-file", secret)
        assert (code, err) == (0, "") and "following calendar" in out and dav.password not in out
        code, out, err = kithkin("calendar", "sync")
        assert (code, err) == (0, "")
        assert out.startswith("ana on 127.0.0.1: 1 touch logged; undo: kithkin undo-import ")
        for name in ("Ana Ruiz", "Grace Hopper"):
            shown = run_json(kithkin, "show", name)
            assert [(t["kind"], t["notes"]) for t in shown["touches"]] == [("meeting", "Roadmap review")]
        account.delete(work, "roadmap")
        code, out, err = kithkin("calendar", "sync")
        assert (code, out.strip(), err) == (0, "ana on 127.0.0.1: 1 touch removed", "")
    for name in ("Ana Ruiz", "Grace Hopper"):
        assert run_json(kithkin, "show", name)["touches"] == []


def test_an_ical_address_is_added_listed_synced_once_and_removed(kithkin, people):
    ana, _ = people
    with ical_address(calendar(Event("m1", PAST, "Coffee chat", ["ana@example.com"]))) as served:
        code, out, err = kithkin("calendar", "add", served.url)
        assert code == 0 and err == ""
        (listed,) = run_json(kithkin, "calendar", "list")
        assert listed["name"].startswith("127.0.0.1 (…") and listed["last_synced_at"] is None
        (synced,) = run_json(kithkin, "calendar", "sync")
        assert synced["counts"] == {"touches_created": 1} and synced["error"] == ""
        (again,) = run_json(kithkin, "calendar", "sync")
        assert again["counts"] == {} and again["import_id"] is None
        code, out, _ = kithkin("calendar", "sync")
        assert out.strip() == f"{listed['name']}: nothing new"
    code, out, _ = kithkin("calendar", "list")
    assert listed["name"] in out and "5ecret" not in out and "ical" not in out
    assert [t.notes for t in Touch.objects.filter(participants__person=ana)] == ["Coffee chat"]
    # Undone like an import: the touch goes.
    code, _, _ = kithkin("undo-import", str(synced["import_id"]))
    assert code == 0 and not Touch.objects.exists()
    code, out, _ = kithkin("calendar", "remove", str(listed["id"]))
    assert code == 0 and "stopped following calendar" in out and not Source.objects.exists()


def test_plain_http_to_another_machine_is_refused_in_one_line(kithkin):
    code, out, err = kithkin("calendar", "add", "http://calendar.example.com/ical/private-abc/basic.ics")
    assert (code, out) == (1, "")
    assert (
        err.strip() == "kithkin: error: URL: plain http is refused for calendar.example.com: use its https:// address"
    )


def test_a_wrong_password_is_one_line_and_the_other_calendars_carry_on(kithkin, people, tmp_path):
    with dav_server(tmp_path) as dav:
        code, _, err = kithkin(
            "calendar", "add", dav.url, "--caldav", "--user", "ana", "--password-file", password_file(tmp_path, "nope")
        )
        assert code == 1 and err.strip() == "kithkin: error: URL: the server refused the user name or password"
        secret = password_file(tmp_path, dav.password)
        assert kithkin("calendar", "add", dav.url, "--caldav", "--user", "ana", "--password-file", secret)[0] == 0
        (tmp_path / "users").write_text("ana:changed-since\n")
        with ical_address(calendar(Event("m1", PAST, "Coffee chat", ["ana@example.com"]))) as served:
            assert kithkin("calendar", "add", served.url)[0] == 0
            code, out, err = kithkin("calendar", "sync")
    assert code == 1
    assert err.strip() == "error: ana on 127.0.0.1: the server refused the user name or password"
    assert "1 touch logged" in out and dav.password not in out + err


def test_another_owners_calendar_is_no_calendar_of_yours(kithkin, bob):
    theirs = Source.objects.create(owner=bob, kind="calendar", name="calendar.example.com (…abcd)", created_at=NOW)
    code, _, err = kithkin("calendar", "remove", str(theirs.pk))
    assert code == 1 and err.strip() == f"kithkin: error: ID: no connected account of yours has id {theirs.pk}"
    assert run_json(kithkin, "calendar", "list") == []
    assert Source.objects.filter(pk=theirs.pk).exists()


def test_caldav_options_go_with_caldav(kithkin, tmp_path):
    code, _, err = kithkin("calendar", "add", "https://dav.example.com/", "--user", "ana")
    assert code == 2 and "go with --caldav" in err
    code, _, err = kithkin("calendar", "add", "https://dav.example.com/", "--caldav", "--user", "ana")
    assert code == 1 and err.strip() == "kithkin: error: --password-file: give a file holding the account's password"
