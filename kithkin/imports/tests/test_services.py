"""Importing contact files and calendars: preview, apply, re-import, undo."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import connections

from kithkin.core.errors import BadFile, NotFound
from kithkin.core.models import Owned
from kithkin.core.scopes import owner_scope
from kithkin.followups.models import FollowUp
from kithkin.imports import services
from kithkin.imports.models import Import
from kithkin.imports.plan import ImportOptions
from kithkin.imports.services import import_file, list_imports, preview_import, undo_import
from kithkin.interactions.models import Touch
from kithkin.people.models import HistoryEntry, Person, Position
from kithkin.people.services import PersonChanges, edit_person
from kithkin.testing import NOW, make_person

pytestmark = pytest.mark.usefixtures("frozen")

LINKEDIN = """Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261"

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ana,Ruiz,https://www.linkedin.com/in/anaruiz,,Acme,Head of Product,09 Oct 2024
Bo,Chen,https://www.linkedin.com/in/bochen,bo@globex.example,Globex,CFO,12 Mar 2021
José,Núñez,https://www.linkedin.com/in/josenunez,,Initech,Engineer,01 Jan 2019
"""

CALENDAR = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
X-WR-CALNAME:me@example.com\r
BEGIN:VEVENT\r
UID:coffee-1@google.com\r
DTSTART:20261110T090000Z\r
DTEND:20261110T100000Z\r
SUMMARY:Coffee with Bo\r
ORGANIZER;CN=Me:mailto:me@example.com\r
ATTENDEE;CN=Bo Chen;PARTSTAT=ACCEPTED:mailto:bo@globex.example\r
ATTENDEE;CN=Me;PARTSTAT=ACCEPTED:mailto:me@example.com\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:intro-2@google.com\r
DTSTART:20261115T150000Z\r
DTEND:20261115T153000Z\r
SUMMARY:Intro call\r
ORGANIZER;CN=Me:mailto:me@example.com\r
ATTENDEE;CN=Bo Chen;PARTSTAT=ACCEPTED:mailto:bo@globex.example\r
ATTENDEE;CN=Carla Duarte;PARTSTAT=ACCEPTED:mailto:carla@initech.example\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:future-3@google.com\r
DTSTART:20270110T150000Z\r
DTEND:20270110T153000Z\r
SUMMARY:Next year\r
ATTENDEE;CN=Bo Chen:mailto:bo@globex.example\r
END:VEVENT\r
END:VCALENDAR\r
"""


def network_state(owner: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row the owner has, outside the import records themselves, as plain values."""
    state: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        if issubclass(model, Owned) and model._meta.app_label != "imports":
            state[model._meta.label] = [dict(row) for row in model.objects.for_owner(owner).order_by("pk").values()]
    return state


def run(owner: Any, text: str, fmt: str = "linkedin", name: str = "Connections.csv", **options: Any) -> Any:
    return import_file(owner, fmt, text.encode(), name, options=ImportOptions(**options))


def test_a_linkedin_export_adds_its_connections_as_acquaintances_met_on_the_day_they_connected(alice):
    result = run(alice, LINKEDIN)

    assert (result.created, result.updated) == (3, 0)
    ana = Person.objects.for_owner(alice).get(full_name="Ana Ruiz")
    assert (ana.organization.name, ana.title, ana.met_on) == ("Acme", "Head of Product", date(2024, 10, 9))
    assert ana.closeness == "acquaintance"
    assert [link.url for link in ana.links.all()] == ["https://www.linkedin.com/in/anaruiz"]
    assert Person.objects.for_owner(alice).get(full_name="José Núñez").given_name == "José"
    assert list(Position.objects.for_owner(alice).filter(person=ana).values_list("title", flat=True)) == [
        "Head of Product"
    ]
    assert HistoryEntry.objects.for_owner(alice).filter(person=ana, kind="imported").count() == 1
    # History, not news: importing asks for no thank-yous, and acquaintances get no check-ins.
    assert not FollowUp.objects.for_owner(alice).exists()


def test_imported_people_are_found_by_search(alice):
    run(alice, LINKEDIN)

    from kithkin.people.services import search_people

    assert [p.full_name for p in search_people(alice, "jose initech")] == ["José Núñez"]


def test_the_import_defaults_of_the_settings_and_the_options_set_circle_and_closeness(alice):
    run(alice, LINKEDIN, circle="former colleague", closeness="wider")

    ana = Person.objects.for_owner(alice).get(full_name="Ana Ruiz")
    assert (ana.circle, ana.closeness) == ("former_colleague", "wider")
    # A wider contact gets a check-in, a cadence after they were added: no flood today.
    check_in = FollowUp.objects.for_owner(alice).get(person=ana)
    assert check_in.due_at == NOW + timedelta(days=180)


def test_importing_the_same_file_twice_changes_nothing_the_second_time(alice):
    run(alice, LINKEDIN)
    before = network_state(alice)

    again = run(alice, LINKEDIN)

    assert again.import_id is None
    assert again.plan.counts()["unchanged"] == 3
    assert network_state(alice) == before
    assert Import.objects.for_owner(alice).count() == 1


def test_undoing_an_import_puts_the_network_back_as_it_was(alice):
    bo = make_person(alice, "Bo Chen", emails=["bo@globex.example"], organization="Globex", title="Controller")
    make_person(alice, "Somebody Else")
    before = network_state(alice)

    result = run(alice, LINKEDIN)
    assert (result.created, result.updated) == (2, 1)
    bo.refresh_from_db()
    assert bo.title == "CFO"  # LinkedIn says what people do now; the old role is kept
    assert Position.objects.for_owner(alice).filter(person=bo).count() == 2

    undone = undo_import(alice, result.import_id)

    assert (undone.people_removed, undone.people_restored) == (2, 1)
    assert network_state(alice) == before
    assert not Import.objects.for_owner(alice).exists()


def test_a_matched_person_gets_what_the_file_adds_and_keeps_what_they_had(alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme", location="Madrid")

    result = run(alice, LINKEDIN)

    row = next(r for r in result.plan.people if r.name == "Ana Ruiz")
    assert (row.status, row.person_id, row.reason) == ("update", ana.pk, "same name at Acme")
    ana.refresh_from_db()
    assert (ana.title, ana.location, ana.met_on) == ("Head of Product", "Madrid", date(2024, 10, 9))
    assert ana.links.get().url == "https://www.linkedin.com/in/anaruiz"
    assert (
        HistoryEntry.objects.for_owner(alice)
        .get(person=ana, kind="import_updated")
        .text.startswith("Updated by the import of Connections.csv")
    )


def test_a_close_name_at_the_same_organization_is_flagged_and_never_merged(alice):
    jon = make_person(alice, "Anna Ruiz", organization="Acme")

    plan = preview_import(alice, "linkedin", LINKEDIN.encode(), "Connections.csv")

    row = next(r for r in plan.people if r.name == "Ana Ruiz")
    assert (row.status, row.person_id, row.reason) == ("duplicate", jon.pk, "close name at Acme")
    skipped = run(alice, LINKEDIN, skip_duplicates=True)
    assert skipped.created == 2
    assert not Person.objects.for_owner(alice).filter(full_name="Ana Ruiz").exists()


def test_the_same_person_twice_in_one_file_is_read_as_one(alice):
    text = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    text += "Bo,Chen,,bo@globex.example,Globex,CFO,12 Mar 2021\n"
    text += "Bo,Chen,https://www.linkedin.com/in/bochen,BO@globex.example,Globex,CFO,12 Mar 2021\n"

    result = run(alice, text)

    assert result.created == 1
    bo = Person.objects.for_owner(alice).get()
    assert bo.links.get().url == "https://www.linkedin.com/in/bochen"
    assert [(s.line, s.reason) for s in result.plan.skipped] == [
        (3, "Bo Chen is the same person as line 2: read together")
    ]


def test_a_bad_row_is_skipped_with_its_line_and_the_rest_imported(alice):
    text = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    text += "Ana,Ruiz,,not-an-email,Acme,CEO,09 Oct 2024\n"
    text += ",,,,Initech,CTO,09 Oct 2024\n"

    result = run(alice, text)

    assert result.created == 1
    lines = {s.line: s for s in result.plan.skipped}
    assert lines[2].field == "Email Address" and "not-an-email" in lines[2].reason
    assert 3 in lines


def test_a_file_that_is_not_a_contact_file_is_refused_and_changes_nothing(alice):
    make_person(alice, "Ana Ruiz")
    before = network_state(alice)

    with pytest.raises(BadFile) as caught:
        run(alice, "this is not,a linkedin\nexport,at all\n", name="notes.csv")

    assert caught.value.message.startswith("notes.csv")
    assert network_state(alice) == before
    with pytest.raises(BadFile):
        import_file(alice, "vcard", b"", "empty.vcf")
    assert network_state(alice) == before


def test_a_calendar_logs_past_meetings_with_known_people_as_touches_without_thank_yous(alice):
    bo = make_person(alice, "Bo Chen", emails=["bo@globex.example"], closeness="close")

    result = import_file(alice, "ics", CALENDAR.encode(), "calendar.ics")

    assert result.touches == 2
    touches = Touch.objects.for_owner(alice).order_by("happened_at")
    assert [t.kind for t in touches] == ["meeting", "meeting"]
    assert [t.notes for t in touches] == ["Coffee with Bo", "Intro call"]
    assert set(result.plan.strangers) == {"carla@initech.example"}
    bo.refresh_from_db()
    assert bo.last_touch_at.date() == date(2026, 11, 15)
    assert not FollowUp.objects.for_owner(alice).exclude(kind="check_in").exists()
    check_in = FollowUp.objects.for_owner(alice).get(person=bo)
    assert check_in.due_at.date() == date(2026, 12, 15)

    again = import_file(alice, "ics", CALENDAR.encode(), "calendar.ics")
    assert again.import_id is None
    assert Touch.objects.for_owner(alice).count() == 2


def test_a_calendar_can_add_the_attendees_it_does_not_know(alice):
    make_person(alice, "Bo Chen", emails=["bo@globex.example"])

    result = import_file(alice, "ics", CALENDAR.encode(), "calendar.ics", options=ImportOptions(add_attendees=True))

    carla = Person.objects.for_owner(alice).get(emails__address="carla@initech.example")
    assert carla.full_name == "Carla Duarte"
    assert result.created == 1
    assert carla.touches.get().notes == "Intro call"
    # The user's own address (the calendar's name) is never offered as a person.
    assert not Person.objects.for_owner(alice).filter(emails__address="me@example.com").exists()
    undo_import(alice, result.import_id)
    assert not Person.objects.for_owner(alice).filter(full_name="Carla Duarte").exists()
    assert not Touch.objects.exists()


def test_a_meeting_already_logged_by_hand_is_not_logged_again(alice):
    from kithkin.testing import make_touch

    bo = make_person(alice, "Bo Chen", emails=["bo@globex.example"])
    make_touch(alice, bo, "coffee", NOW.replace(month=11, day=10, hour=9, minute=30))

    result = import_file(alice, "ics", CALENDAR.encode(), "calendar.ics")

    assert result.touches == 1
    assert [m.status for m in result.plan.meetings] == ["same", "new"]


def test_one_users_import_never_matches_or_undoes_another_users_people(alice, bob):
    theirs = make_person(bob, "Bo Chen", emails=["bo@globex.example"])
    result = run(alice, LINKEDIN)

    assert result.created == 3
    theirs.refresh_from_db()
    assert theirs.title == ""
    with pytest.raises(NotFound):
        undo_import(bob, result.import_id)
    assert Person.objects.for_owner(alice).count() == 3


def test_undo_keeps_people_the_user_has_since_logged_a_touch_with(alice):
    from kithkin.testing import make_touch

    result = run(alice, LINKEDIN)
    ana = Person.objects.for_owner(alice).get(full_name="Ana Ruiz")
    make_touch(alice, ana, "coffee", NOW - timedelta(hours=1))

    undone = undo_import(alice, result.import_id)

    assert undone.people_kept == ["Ana Ruiz"]
    assert list(Person.objects.for_owner(alice).values_list("full_name", flat=True)) == ["Ana Ruiz"]


def test_an_import_reports_its_progress_stage_by_stage(alice):
    seen: list[tuple[str, int, int]] = []
    bo = make_person(alice, "Bo Chen", emails=["bo@globex.example"])

    import_file(alice, "linkedin", LINKEDIN.encode(), "Connections.csv", progress=lambda *step: seen.append(step))

    assert ("matching", 3, 3) in seen
    assert ("adding people", 2, 2) in seen
    assert ("updating people", 1, 1) in seen
    assert bo.pk


def test_the_same_name_without_the_same_organization_is_flagged_not_matched(alice):
    theirs = make_person(alice, "Ana Ruiz")  # no organization: maybe her, maybe another Ana Ruiz

    plan = preview_import(alice, "linkedin", LINKEDIN.encode(), "Connections.csv")

    row = next(r for r in plan.people if r.name == "Ana Ruiz")
    assert (row.status, row.person_id, row.reason) == ("duplicate", theirs.pk, "same name")


LINKEDIN_LATER = LINKEDIN.replace(
    "Ana,Ruiz,https://www.linkedin.com/in/anaruiz,,Acme,Head of Product",
    "Ana,Ruiz,https://www.linkedin.com/in/anaruiz,,Globex,Chief Product Officer",
)


def open_roles(owner: Any, name: str) -> list[tuple[str, str]]:
    person = Person.objects.for_owner(owner).get(full_name=name)
    return list(
        Position.objects.for_owner(owner).current().filter(person=person).values_list("organization__name", "title")
    )


# Issue 13, item 16
def test_undoing_imports_out_of_order_leaves_one_open_role_and_an_older_export_never_rolls_a_role_back(alice, frozen):
    run(alice, LINKEDIN)  # A: Ana heads product at Acme
    frozen.shift(timedelta(days=30))
    later = run(alice, LINKEDIN_LATER, name="Connections-later.csv")  # B: she moved to Globex
    assert open_roles(alice, "Ana Ruiz") == [("Globex", "Chief Product Officer")]
    frozen.shift(timedelta(days=30))

    again = run(alice, LINKEDIN)  # A again: an older export

    assert again.import_id is None  # nothing to change: Acme is a role Ana has left
    assert open_roles(alice, "Ana Ruiz") == [("Globex", "Chief Product Officer")]

    undo_import(alice, later.import_id)

    ana = Person.objects.for_owner(alice).get(full_name="Ana Ruiz")
    assert (ana.organization.name, ana.title) == ("Acme", "Head of Product")
    assert open_roles(alice, "Ana Ruiz") == [("Acme", "Head of Product")]


# Issue 13, item 16
def test_undo_keeps_a_role_changed_after_the_import_and_reopens_no_older_one(alice, frozen):
    run(alice, LINKEDIN)
    frozen.shift(timedelta(days=30))
    later = run(alice, LINKEDIN_LATER, name="Connections-later.csv")
    frozen.shift(timedelta(days=30))
    ana = Person.objects.for_owner(alice).get(full_name="Ana Ruiz")
    edit_person(alice, ana, PersonChanges(organization="Initech", title="VP Product"))

    undo_import(alice, later.import_id)

    ana.refresh_from_db()
    assert (ana.organization.name, ana.title) == ("Initech", "VP Product")
    assert open_roles(alice, "Ana Ruiz") == [("Initech", "VP Product")]


def write_from_another_thread(owner: Any, name: str) -> str | None:
    """Add someone from a thread of its own (its own database connection), as the web server would
    while an import runs; the error it met, if any."""
    outcome: list[str | None] = []

    def write() -> None:
        try:
            with owner_scope(owner):
                make_person(owner, name)
            outcome.append(None)
        except Exception as exc:
            outcome.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    return outcome[0]


# Issue 13, item 3
def test_an_import_is_written_in_short_chunks_and_other_writers_get_in_between(alice, transactional_db, monkeypatch):
    monkeypatch.setattr(services, "APPLY_CHUNK", 1)
    errors: list[str | None] = []
    make_ready = services._new_people

    def between_chunks(owner: Any, *args: Any) -> Any:
        errors.append(write_from_another_thread(alice, f"Written meanwhile {len(errors) + 1}"))
        return make_ready(owner, *args)

    monkeypatch.setattr(services, "_new_people", between_chunks)

    result = run(alice, LINKEDIN)

    assert errors == [None, None, None]  # one chunk per new person: the other writer never waited
    assert result.created == 3
    names = set(Person.objects.for_owner(alice).values_list("full_name", flat=True))
    assert names == {"Ana Ruiz", "Bo Chen", "José Núñez", *(f"Written meanwhile {n}" for n in (1, 2, 3))}
    assert list_imports(alice)[0].counts["people_created"] == 3
    undo_import(alice, result.import_id)
    assert Person.objects.for_owner(alice).count() == 3  # the import's people only


def fail_in_the_second_chunk(monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "APPLY_CHUNK", 1)
    create = services._create_people
    calls: list[int] = []

    def flaky(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return create(*args)

    monkeypatch.setattr(services, "_create_people", flaky)


# Issue 13, item 3
def test_an_import_that_fails_half_way_leaves_nothing_of_itself(alice, transactional_db, monkeypatch):
    make_person(alice, "Bo Chen", emails=["bo@globex.example"], organization="Globex", title="Controller")
    before = network_state(alice)
    fail_in_the_second_chunk(monkeypatch)

    with pytest.raises(OSError):
        run(alice, LINKEDIN)

    assert network_state(alice) == before
    assert not Import.objects.for_owner(alice).exists()


# Issue 13, item 3
def test_an_import_whose_process_died_half_way_is_undone_by_the_upkeep(alice, transactional_db, monkeypatch, frozen):
    before = network_state(alice)
    fail_in_the_second_chunk(monkeypatch)
    monkeypatch.setattr(services, "_abandon", lambda owner, run: None)  # as if killed: nothing undone
    with pytest.raises(OSError):
        run(alice, LINKEDIN)
    assert Person.objects.for_owner(alice).count() == 1
    assert list_imports(alice) == []  # unfinished: not listed

    assert services.undo_abandoned_imports(now=NOW + timedelta(minutes=5)) == 0
    assert services.undo_abandoned_imports(now=NOW + timedelta(minutes=20)) == 1

    assert network_state(alice) == before
    assert not Import.objects.for_owner(alice).exists()


# Issue 13, item 4
def test_uploads_left_unimported_are_removed_after_the_hours_in_settings(alice, bob, settings, tmp_path, frozen):
    settings.DATA_DIR, settings.UPLOAD_TTL_HOURS = tmp_path, 24
    left = services.stash_upload(alice, LINKEDIN.encode(), "Connections.csv", "linkedin")
    services.preview_upload(alice, left, ImportOptions())  # its preview is kept beside it
    frozen.shift(timedelta(hours=20))
    recent = services.stash_upload(bob, LINKEDIN.encode(), "Connections.csv", "linkedin")

    assert services.remove_abandoned_uploads(now=NOW + timedelta(hours=23)) == 0
    assert services.remove_abandoned_uploads(now=NOW + timedelta(hours=25)) == 1

    with pytest.raises(NotFound):
        services.load_upload(alice, left)
    assert not [p for p in (tmp_path / "uploads" / str(alice.pk)).iterdir() if p.name.startswith(left)]
    assert services.load_upload(bob, recent)[1] == "Connections.csv"
