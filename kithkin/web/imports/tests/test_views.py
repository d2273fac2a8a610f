"""The import pages: upload, preview, confirm, the result, the list of imports and undo."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.accounts.services import update_settings
from kithkin.imports import services
from kithkin.imports.models import Import
from kithkin.imports.plan import ImportOptions
from kithkin.imports.services import import_file, stash_upload
from kithkin.interactions.models import Touch
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person
from kithkin.web.accounts.tests.posts import settings_post

pytestmark = pytest.mark.usefixtures("frozen")
IMPORTS = reverse("imports:list")
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
LINKEDIN = (
    HEADER
    + "Ana,Ruiz,https://www.linkedin.com/in/anaruiz,,Acme,Head of Product,09 Oct 2024\n"
    + "Bo,Chen,https://www.linkedin.com/in/bochen,bo@globex.example,Globex,CFO,12 Mar 2021\n"
    + "José,Núñez,https://www.linkedin.com/in/josenunez,,Initech,Engineer,01 Jan 2019\n"
)
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
END:VEVENT\r
BEGIN:VEVENT\r
UID:intro-2@google.com\r
DTSTART:20261115T150000Z\r
DTEND:20261115T153000Z\r
SUMMARY:Intro call\r
ORGANIZER;CN=Me:mailto:me@example.com\r
ATTENDEE;CN=Carla Duarte;PARTSTAT=ACCEPTED:mailto:carla@initech.example\r
END:VEVENT\r
END:VCALENDAR\r
"""


def upload(client, text: str | bytes, name: str = "Connections.csv", **fields: str):
    data = text.encode() if isinstance(text, str) else text
    return client.post(IMPORTS, {"file": SimpleUploadedFile(name, data), "format": "", **fields})


def preview_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def token_of(url: str) -> str:
    match = re.search(r"/imports/preview/([^/]+)/", url)
    assert match
    return match.group(1)


def test_the_import_page_has_a_labelled_upload_form_and_says_when_nothing_was_imported_yet(client, alice):
    client.force_login(alice)
    page = client.get(IMPORTS).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert '<label for="id_file">File</label>' in page
    assert '<option value="" selected>Detect from the file</option>' in page
    assert "No imports yet." in page
    assert "Settings → Data privacy → Get a copy of your data → Connections" in page


def test_uploading_a_linkedin_file_shows_its_preview_and_changes_nothing(client, alice):
    client.force_login(alice)
    url = preview_url(upload(client, LINKEDIN))
    assert Person.objects.for_owner(alice).count() == 0
    page = client.get(url).content.decode()
    assert "Check the import" in page and "Connections.csv" in page and "read as LinkedIn" in page
    assert "<strong>3</strong> new people" in page
    assert "José Núñez" in page and "Head of Product" in page and "bo@globex.example" in page
    assert "Import 3 people" in page
    assert Person.objects.for_owner(alice).count() == 0


def test_confirming_imports_the_file_and_shows_what_was_done(client, alice):
    client.force_login(alice)
    url = preview_url(upload(client, LINKEDIN))
    token = token_of(url)
    response = client.post(
        reverse("imports:apply", args=[token]), {"circle": "", "closeness": "acquaintance", "labels": "interests"}
    )
    run = Import.objects.for_owner(alice).get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[run.pk])
    assert set(Person.objects.for_owner(alice).values_list("full_name", flat=True)) == {
        "Ana Ruiz",
        "Bo Chen",
        "José Núñez",
    }
    page = client.get(response["Location"]).content.decode()
    assert "Imported Connections.csv." in page  # the message
    assert "<strong>3</strong> people added" in page and "José Núñez" in page
    assert reverse("imports:undo", args=[run.pk]) in page
    # The upload is gone: the preview cannot be confirmed twice.
    assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("imports:apply", args=[token]), {"closeness": "acquaintance", "labels": "interests"}
        ).status_code
        == 404
    )
    assert Import.objects.for_owner(alice).count() == 1


def test_new_people_start_as_the_settings_say_unless_the_preview_changes_it(client, alice):
    update_settings(alice, import_circle="colleague", import_closeness="wider")
    client.force_login(alice)
    url = preview_url(upload(client, LINKEDIN))
    page = client.get(url).content.decode()
    assert '<option value="colleague" selected>' in page and '<option value="wider" selected>' in page
    token = token_of(url)
    changed = client.post(
        reverse("imports:apply", args=[token]),
        {"circle": "friend", "closeness": "close", "labels": "interests", "preview": "1"},
    )
    assert (
        changed.status_code == 302
        and "closeness=close" in changed["Location"]
        and "circle=friend" in changed["Location"]
    )
    again = client.get(changed["Location"]).content.decode()
    assert '<option value="friend" selected>' in again and '<option value="close" selected>' in again
    assert Person.objects.for_owner(alice).count() == 0
    client.post(
        reverse("imports:apply", args=[token]), {"circle": "friend", "closeness": "close", "labels": "interests"}
    )
    assert set(Person.objects.for_owner(alice).values_list("circle", "closeness")) == {("friend", "close")}


def test_the_preview_says_in_a_sentence_how_the_people_it_adds_start(client, alice):
    client.force_login(alice)
    url = preview_url(upload(client, LINKEDIN))
    page = client.get(url).content.decode()
    said = "The 3 people this import adds start as acquaintances, with no circle: no check-ins."
    assert f'<summary><span class="start-as">{said}</span> <span class="change">Change</span></summary>' in page
    # The way to change it is right there: the circle and closeness under the sentence.
    summary = page.index(said)
    assert summary < page.index('name="circle"') and summary < page.index('name="closeness"')
    changed = client.get(url, {"circle": "friend", "closeness": "close", "labels": "interests"}).content.decode()
    assert "The 3 people this import adds start as close contacts, in the friend circle: a check-in every 30 days." in (
        changed
    )


def test_the_preview_counts_as_people_say_them(client, alice):
    make_person(alice, "Bo Chen", organization="Globex", title="Controller", emails=["bo@globex.example"])
    client.force_login(alice)
    page = client.get(preview_url(upload(client, LINKEDIN))).content.decode()
    assert "<strong>2</strong> new people" in page and "<strong>1</strong> person updated" in page
    counts = page[page.index('<ul class="import-counts"') :]
    counts = counts[: counts.index("</ul>")]
    assert "likely duplicate" not in counts and "skipped" not in counts  # no "0 skipped"
    assert "The 2 people this import adds start as acquaintances" in page
    one = HEADER + "Ana,Ruiz,,ana@acme.example,Acme,CEO,09 Oct 2024\n"
    single = client.get(preview_url(upload(client, one))).content.decode()
    assert "<strong>1</strong> new person" in single
    assert "The person this import adds starts as an acquaintance, with no circle: no check-ins." in single


def test_the_upload_options_are_carried_to_the_preview(client, alice):
    client.force_login(alice)
    url = preview_url(upload(client, LINKEDIN, circle="client", closeness="active", labels="ignore"))
    assert "circle=client" in url and "closeness=active" in url and "labels=ignore" in url


def test_updates_show_each_change_and_duplicates_link_to_who_they_may_be(client, alice):
    bo = make_person(alice, "Bo Chen", organization="Globex", title="Controller", emails=["bo@globex.example"])
    jose = make_person(alice, "José Nunes", organization="Initech")
    client.force_login(alice)
    page = client.get(preview_url(upload(client, LINKEDIN))).content.decode()
    assert "<strong>1</strong> person updated" in page and "<strong>1</strong> likely duplicate" in page
    assert reverse("people:detail", args=[bo.pk]) in page
    assert "<del><bdi>Controller</bdi></del> → <ins><bdi>CFO</bdi></ins>" in page
    assert f'may be <a href="{reverse("people:detail", args=[jose.pk])}"><bdi>José Nunes</bdi></a>' in page
    assert "Import 3 people" in page  # Ana new, José added as a new person, Bo updated


def test_leaving_out_likely_duplicates_adds_only_the_others(client, alice):
    make_person(alice, "José Nunes", organization="Initech")
    client.force_login(alice)
    token = token_of(preview_url(upload(client, LINKEDIN)))
    form = {"circle": "", "closeness": "acquaintance", "labels": "interests", "skip_duplicates": "on"}
    client.post(reverse("imports:apply", args=[token]), form)
    assert Person.objects.for_owner(alice).filter(full_name__in=["José Núñez"]).count() == 0
    assert Person.objects.for_owner(alice).count() == 3


def test_skipped_rows_are_listed_with_line_field_and_reason(client, alice):
    client.force_login(alice)
    text = HEADER + "Ana,Ruiz,,not-an-email,Acme,CEO,09 Oct 2024\n,,,,,,\n"
    page = client.get(preview_url(upload(client, text))).content.decode()
    assert "<strong>1</strong> new" in page
    assert re.search(r'<td class="line">2</td><td class="field-name">[^<]*</td><td>[^<]*not-an-email', page)


def test_an_empty_file_is_refused_next_to_the_file_field_and_changes_nothing(client, alice):
    client.force_login(alice)
    response = upload(client, b"", name="empty.csv")
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'id="id_file_error">empty\.csv: [^<]*empty', page)
    assert 'aria-invalid="true"' in page
    assert Import.objects.count() == 0


def test_an_unreadable_file_gets_the_readers_reason(client, alice):
    client.force_login(alice)
    response = upload(client, b"\x00\x01\x02\xff" * 200, name="photo.jpg")
    assert response.status_code == 400
    assert "photo.jpg: " in response.content.decode()


def test_a_file_over_the_size_limit_is_refused_with_the_limit(client, alice, settings):
    settings.MAX_UPLOAD_MB = 1
    client.force_login(alice)
    big = HEADER + "Ana,Ruiz,,,Acme,CEO,09 Oct 2024\n" * 40_000
    response = upload(client, big)
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'id="id_file_error">Connections\.csv is 1\.\d MB; files of up to 1 MB can be imported\.', page)


def test_a_format_chosen_by_hand_is_used(client, alice):
    client.force_login(alice)
    response = upload(client, LINKEDIN, format="vcard")
    assert response.status_code == 400  # a CSV read as vCard: the reader says why
    assert "Connections.csv" in response.content.decode()
    assert upload(client, LINKEDIN, format="linkedin").status_code == 302


def test_a_file_that_changes_nothing_says_so_and_records_nothing(client, alice):
    client.force_login(alice)
    import_file(alice, "linkedin", LINKEDIN.encode(), "Connections.csv")
    url = preview_url(upload(client, LINKEDIN))
    page = client.get(url).content.decode()
    assert "Nothing to import" in page and "Import 0 people" not in page
    response = client.post(
        reverse("imports:apply", args=[token_of(url)]), {"closeness": "acquaintance", "labels": "interests"}
    )
    assert response["Location"] == IMPORTS
    assert "Nothing was imported" in client.get(IMPORTS).content.decode()
    assert Import.objects.for_owner(alice).count() == 1


def test_cancelling_a_preview_forgets_the_upload(client, alice):
    client.force_login(alice)
    url = preview_url(upload(client, LINKEDIN))
    response = client.post(reverse("imports:discard", args=[token_of(url)]))
    assert response["Location"] == IMPORTS
    assert client.get(url).status_code == 404
    assert Person.objects.for_owner(alice).count() == 0


def test_a_big_file_previews_a_hundred_of_each_and_counts_the_rest(client, alice):
    client.force_login(alice)
    rows = "".join(f"Person{i},Family{i},,p{i}@example.com,Acme,Engineer,09 Oct 2024\n" for i in range(1500))
    page = client.get(preview_url(upload(client, HEADER + rows))).content.decode()
    assert "<strong>1,500</strong> new people" in page
    assert page.count("p1@example.com") == 1 and "p99@example.com" in page and "p100@example.com" not in page
    assert "and 1,400 more." in page
    assert "Import 1,500 people" in page


def test_a_calendar_preview_offers_its_strangers_and_logs_the_meetings(client, alice):
    bo = make_person(alice, "Bo Chen", emails=["bo@globex.example"])
    client.force_login(alice)
    url = preview_url(upload(client, CALENDAR, name="calendar.ics"))
    page = client.get(url).content.decode()
    assert "read as Calendar" in page and "<strong>1</strong> meeting to log" in page
    assert "Coffee with Bo" in page and reverse("people:detail", args=[bo.pk]) in page
    assert "People you tick below start as acquaintances, with no circle: no check-ins." in page
    assert 'name="add" value="carla@initech.example"' in page and "Carla Duarte" in page
    token = token_of(url)
    ticked = client.post(
        reverse("imports:apply", args=[token]),
        {"closeness": "acquaintance", "add": "carla@initech.example", "preview": "1"},
    )
    page = client.get(ticked["Location"]).content.decode()
    assert "<strong>2</strong> meetings to log" in page and 'value="carla@initech.example" id="add-1" checked' in page
    assert "The person you add starts as an acquaintance, with no circle: no check-ins." in page
    client.post(reverse("imports:apply", args=[token]), {"closeness": "acquaintance", "add": "carla@initech.example"})
    carla = Person.objects.for_owner(alice).get(full_name="Carla Duarte")
    assert Touch.objects.for_owner(alice).filter(participants__person=carla).count() == 1
    assert Touch.objects.for_owner(alice).count() == 2


def test_the_list_shows_each_import_with_what_it_did_and_an_undo(client, alice):
    result = import_file(alice, "linkedin", LINKEDIN.encode(), "Connections.csv")
    client.force_login(alice)
    page = client.get(IMPORTS).content.decode()
    assert "Connections.csv" in page and "3 added" in page and "LinkedIn" in page
    assert reverse("imports:undo", args=[result.import_id]) in page


def test_the_list_of_imports_takes_the_same_queries_for_one_or_many(client, alice):
    client.force_login(alice)
    import_file(alice, "linkedin", LINKEDIN.encode(), "Connections.csv")
    with CaptureQueriesContext(connection) as one:
        client.get(IMPORTS)
    for i in range(6):
        text = HEADER + f"Person{i},Family{i},,p{i}@example.com,Acme,Engineer,09 Oct 2024\n"
        import_file(alice, "linkedin", text.encode(), f"file{i}.csv")
    with CaptureQueriesContext(connection) as many:
        page = client.get(IMPORTS).content.decode()
    assert "file5.csv" in page
    assert len(many) == len(one)


def test_undo_asks_first_then_removes_what_the_import_added_and_says_so(client, alice):
    bo = make_person(alice, "Bo Chen", organization="Globex", title="Controller", emails=["bo@globex.example"])
    result = import_file(alice, "linkedin", LINKEDIN.encode(), "Connections.csv")
    client.force_login(alice)
    undo = reverse("imports:undo", args=[result.import_id])
    ask = client.get(undo).content.decode()
    assert "Undo the import of Connections.csv?" in ask and "<strong>2</strong> people it added" in ask
    assert Person.objects.for_owner(alice).count() == 3
    response = client.post(undo)
    assert response["Location"] == IMPORTS
    page = client.get(IMPORTS).content.decode()
    assert (
        "Undid the import of Connections.csv: removed 2 people it added, put back the details of 1 person it changed."
        in page
    )
    assert list(Person.objects.for_owner(alice).values_list("full_name", flat=True)) == ["Bo Chen"]
    bo.refresh_from_db()
    assert bo.title == "Controller"
    assert client.post(undo).status_code == 404


def test_a_sync_of_a_connected_account_is_undone_as_a_sync(client, alice):
    ana = make_person(alice, "Ana Ruiz")
    with services.recording(alice, Import.Format.MAIL, "ana@example.com on imap.example.com", now=NOW) as rec:
        with rec.chunk():
            touch = Touch.objects.create(owner=alice, kind=Touch.Kind.EMAIL, happened_at=NOW, created_at=NOW)
            touch.people.add(ana, through_defaults={"owner": alice, "happened_at": NOW})
            rec.created(Touch, [touch.pk])
        rec.counts["touches_created"] = 1
    run = Import.objects.for_owner(alice).get()
    client.force_login(alice)
    listed = client.get(IMPORTS).content.decode()
    assert "ana@example.com on imap.example.com" in listed and "Mail sync" in listed
    undo = reverse("imports:undo", args=[run.pk])
    ask = client.get(undo).content.decode()
    assert "Undo this mail sync of ana@example.com on imap.example.com?" in ask
    assert "Later syncs do not bring it back" in ask and "Importing the file again" not in ask
    client.post(undo)
    page = client.get(IMPORTS).content.decode()
    assert "Undid the mail sync of ana@example.com on imap.example.com: removed 1 touch it logged." in page
    assert not Touch.objects.for_owner(alice).exists()


def test_undo_names_the_people_it_kept(client, alice, frozen):
    from kithkin.testing import make_touch

    result = import_file(alice, "linkedin", LINKEDIN.encode(), "Connections.csv")
    ana = Person.objects.for_owner(alice).get(full_name="Ana Ruiz")
    frozen.shift(timedelta(hours=1))
    make_touch(alice, ana, "call", NOW + timedelta(minutes=30))
    client.force_login(alice)
    client.post(reverse("imports:undo", args=[result.import_id]))
    page = client.get(IMPORTS).content.decode()
    assert "Kept Ana Ruiz: you have logged touches with them since." in page


def test_someone_elses_upload_and_import_are_not_found(client, alice, bob):
    token = stash_upload(alice, LINKEDIN.encode(), "Connections.csv", "linkedin")
    result = import_file(alice, "linkedin", LINKEDIN.encode(), "Other.csv", options=ImportOptions())
    client.force_login(bob)
    assert client.get(reverse("imports:preview", args=[token])).status_code == 404
    assert (
        client.post(
            reverse("imports:apply", args=[token]), {"closeness": "acquaintance", "labels": "interests"}
        ).status_code
        == 404
    )
    assert client.post(reverse("imports:discard", args=[token])).status_code == 404
    assert client.get(reverse("imports:detail", args=[result.import_id])).status_code == 404
    assert client.post(reverse("imports:undo", args=[result.import_id])).status_code == 404
    assert "Other.csv" not in client.get(IMPORTS).content.decode()
    assert Person.objects.for_owner(bob).count() == 0 and Person.objects.for_owner(alice).count() == 3
    client.force_login(alice)
    assert client.get(reverse("imports:preview", args=[token])).status_code == 200


def test_every_import_page_needs_a_sign_in_and_posts_need_csrf(alice):
    from django.test import Client

    token = stash_upload(alice, LINKEDIN.encode(), "Connections.csv", "linkedin")
    anonymous = Client()
    assert anonymous.get(IMPORTS)["Location"].startswith(reverse("accounts:login"))
    assert anonymous.get(reverse("imports:preview", args=[token]))["Location"].startswith(reverse("accounts:login"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(reverse("imports:apply", args=[token]), {"closeness": "acquaintance"}).status_code == 403
    assert Person.objects.for_owner(alice).count() == 0


def test_the_settings_import_card_saves_what_imported_people_start_as(client, alice):
    from kithkin.accounts.models import Profile

    client.force_login(alice)
    settings = reverse("accounts:settings")
    page = client.get(settings).content.decode()
    assert 'id="imports"' in page and '<option value="acquaintance" selected>' in page
    response = client.post(settings, settings_post(alice, import_circle="colleague", import_closeness="wider"))
    assert response["Location"] == settings
    profile = Profile.objects.get(owner=alice)
    assert (profile.import_circle, profile.import_closeness) == ("colleague", "wider")
    assert "Settings saved." in client.get(settings).content.decode()
    refused = client.post(settings, settings_post(alice, import_circle="", import_closeness="bestie"))
    assert (
        refused.status_code == 400
        and 'id="id_import_closeness_error">Pick one of the options.' in refused.content.decode()
    )
    assert Profile.objects.get(owner=alice).import_closeness == "wider"


def test_a_new_networks_today_offers_to_import_linkedin_connections(client, alice):
    client.force_login(alice)
    page = client.get(reverse("followups:today")).content.decode()
    assert f'<a href="{IMPORTS}" role="button" class="secondary outline">Import your LinkedIn connections</a>' in page
    assert "Settings → Data privacy → Get a copy of your data → Connections" in page
    make_person(alice, "Ana Ruiz")
    assert "Import your LinkedIn connections" not in client.get(reverse("followups:today")).content.decode()


def test_an_upload_that_no_longer_reads_sends_the_user_back_with_the_reason(client, alice):
    token = stash_upload(alice, b"\x00\x01 not a csv", "broken.csv", "linkedin")
    client.force_login(alice)
    response = client.get(reverse("imports:preview", args=[token]))
    assert response["Location"] == IMPORTS
    assert "Nothing was imported: broken.csv" in client.get(IMPORTS).content.decode()
    assert client.get(reverse("imports:preview", args=[token])).status_code == 404


def count_plans(monkeypatch) -> list[int]:
    plans: list[int] = []
    plan = services.preview_import

    def counted(*args, **kwargs):
        plans.append(1)
        return plan(*args, **kwargs)

    monkeypatch.setattr(services, "preview_import", counted)
    return plans


# Issue 13, item 4
def test_a_preview_is_planned_once_per_upload_and_options_however_often_it_is_shown(client, alice, monkeypatch):
    client.force_login(alice)
    url = preview_url(upload(client, LINKEDIN))
    plans = count_plans(monkeypatch)

    first = client.get(url).content.decode()
    again = client.get(url).content.decode()
    other_options = client.get(url.replace("closeness=acquaintance", "closeness=wider"))

    assert "Ana Ruiz" in first and "Ana Ruiz" in again
    assert other_options.status_code == 200
    assert len(plans) == 2  # once for each set of options


# Issue 13, item 4
def test_a_second_preview_while_one_is_being_planned_is_told_to_wait_and_plans_nothing(client, alice, monkeypatch):
    client.force_login(alice)
    url = preview_url(upload(client, LINKEDIN))
    plans = count_plans(monkeypatch)

    with services.planning_slot(alice):  # another request of Alice's is planning a file
        response = client.get(url)
        token = url.split("/")[-2]
        applied = client.post(reverse("imports:apply", args=[token]), {"closeness": "acquaintance"})

    assert response.status_code == 429 and response["Retry-After"] == "5"
    assert "A preview is already being prepared" in response.content.decode()
    assert applied.status_code == 429 and Person.objects.for_owner(alice).count() == 0
    assert plans == []
    assert client.get(url).status_code == 200  # and once it is done, the preview comes
