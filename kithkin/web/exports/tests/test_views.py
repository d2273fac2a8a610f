"""The export page: downloads of people, everything and a backup; the calendar feed."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from contextlib import closing
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from kithkin.accounts.models import LoginToken
from kithkin.accounts.services import create_login_token, set_routine_blocks
from kithkin.exports import services
from kithkin.exports.models import CalendarFeed
from kithkin.exports.services import feed_token, follow_up_uid, hash_feed_token, revoke_feed
from kithkin.followups.models import FollowUp
from kithkin.followups.services import add_reminder, complete_follow_up
from kithkin.testing import NOW, make_person, make_touch
from kithkin.web.accounts.tests.posts import settings_post
from kithkin.web.logs import RedactSecrets, redact

pytestmark = pytest.mark.usefixtures("frozen")
EXPORTS = reverse("exports:list")


@pytest.fixture
def network(alice):
    ana = make_person(alice, "Ana Ruiz", closeness="close", circle="friend", emails=["ana@acme.example"])
    bo = make_person(alice, "Bo Chen", closeness="active", organization="Globex")
    make_person(alice, "محمد العلي", closeness="wider")
    make_touch(alice, [ana, bo], "coffee", NOW - timedelta(hours=3))
    return {"ana": ana, "bo": bo}


def attachment_name(response) -> str:
    match = re.fullmatch(r'attachment; filename="([^"]+)"', response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    return match.group(1)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_page_offers_every_download_and_chips_to_choose_the_people(client, alice, network):
    client.force_login(alice)
    page = client.get(EXPORTS).content.decode()
    assert "<legend>Circle</legend>" in page and "<legend>Closeness</legend>" in page
    assert '<input type="checkbox" name="circle" value="friend"> Friend <span class="chip-count">1</span>' in page
    assert '<input type="checkbox" name="closeness" value="close"> Close' in page
    assert '<input type="radio" name="prospects" value="only"> Only people to meet' in page
    assert '<label for="export-org">Organization</label>' in page
    assert 'name="people"' not in page and "circle:friend" not in page  # no query syntax to learn
    assert 'name="version" value="4.0">vCard 4.0</button>' in page
    assert 'name="version" value="3.0" class="secondary">vCard 3.0</button>' in page
    assert f'formaction="{reverse("exports:csv")}"' in page
    assert reverse("exports:json") in page and reverse("exports:backup") in page
    assert "All <strong>3 people</strong> will be exported." in page


def test_the_page_says_how_many_people_the_chips_choose(client, alice, network):
    client.force_login(alice)
    page = client.get(EXPORTS, {"closeness": ["close", "active"]}).content.decode()
    assert "<strong>2 people</strong> of your 3 will be exported." in page
    assert 'value="close" checked' in page and 'value="active" checked' in page
    one = client.get(EXPORTS, {"org": "globex"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in one and one.strip() == "<p><strong>1 person</strong> of your 3 will be exported.</p>"
    nobody = client.get(EXPORTS, {"circle": "family"}).content.decode()
    assert "No one matches these choices" in nobody


def test_circle_and_prospect_chips_export_the_same_file_as_the_old_filter(client, alice, network):
    make_person(alice, "Cy Friend", circle="friend", is_prospect=True, why="Runs a meetup", emails=["cy@example.com"])
    make_person(alice, "Di Friend", circle="friend", emails=["di@example.com"])
    client.force_login(alice)
    for url in (reverse("exports:csv"), reverse("exports:vcard")):
        chips = client.get(url, {"circle": "friend", "prospects": "exclude", "version": "4.0"})
        old = client.get(url, {"people": "circle:friend prospects:no", "version": "4.0"})
        assert chips.status_code == old.status_code == 200
        assert chips.content == old.content
        text = chips.content.decode()
        assert "ana@acme.example" in text and "di@example.com" in text
        assert "cy@example.com" not in text and "Globex" not in text
    to_meet = client.get(reverse("exports:csv"), {"circle": "friend", "prospects": "only"}).content.decode()
    assert "cy@example.com" in to_meet and "di@example.com" not in to_meet
    page = client.get(EXPORTS, {"circle": "friend", "prospects": "exclude"}).content.decode()
    assert "<strong>2 people</strong> of your 5 will be exported." in page


def test_several_circles_export_the_people_of_any_of_them(client, alice, network):
    make_person(alice, "Cy Colleague", circle="colleague", emails=["cy@example.com"])
    client.force_login(alice)
    text = client.get(reverse("exports:csv"), {"circle": ["friend", "colleague", "no-such-circle"]}).content.decode()
    assert "ana@acme.example" in text and "cy@example.com" in text and "Globex" not in text


def test_vcard_downloads_are_dated_attachments_of_everyone(client, alice, network):
    client.force_login(alice)
    response = client.get(reverse("exports:vcard"), {"version": "4.0", "people": ""})
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert attachment_name(response) == "kithkin-2026-11-22.vcf"
    text = response.content.decode()
    assert text.count("BEGIN:VCARD") == 3 and "VERSION:4.0" in text and "محمد العلي" in text
    older = client.get(reverse("exports:vcard"), {"version": "3.0"})
    assert attachment_name(older) == "kithkin-2026-11-22-vcard3.vcf"
    assert "VERSION:3.0" in older.content.decode()


def test_the_csv_download_takes_the_people_filter(client, alice, network):
    client.force_login(alice)
    response = client.get(reverse("exports:csv"), {"people": "circle:friend"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert attachment_name(response) == "kithkin-2026-11-22.csv"
    text = response.content.decode()
    assert "Ana" in text and "Chen" not in text


def test_an_old_links_bad_filter_is_said_in_words_and_downloads_nothing(client, alice, network):
    client.force_login(alice)
    response = client.get(reverse("exports:vcard"), {"people": "colour:blue"})
    assert response.status_code == 400 and "Content-Disposition" not in response
    page = response.content.decode()
    assert "The filter in this link could not be read. Unknown filter &#x27;colour&#x27;" in page
    nobody = client.get(reverse("exports:csv"), {"circle": "family"})
    assert nobody.status_code == 400 and "Content-Disposition" not in nobody
    assert "No one matches these choices" in nobody.content.decode()


def test_the_page_says_in_words_how_a_backup_is_restored(client, alice, bob):
    client.force_login(alice)
    page = client.get(EXPORTS).content.decode()
    assert "Restoring a backup" in page
    assert "into a Kithkin that is still empty" in page and "It does not merge with what you have." in page
    assert "Restoring is done where Kithkin is installed, not from this page" in page
    # The command is a detail, folded away, with today's file name and this account.
    details = page[page.index("<summary>How, step by step</summary>") :]
    assert "KITHKIN_USER=alice kithkin restore kithkin-backup-2026-11-22.json" in details
    assert page.index("kithkin restore") > page.index("<summary>How, step by step</summary>")


def test_the_json_export_is_the_whole_document(client, alice, network):
    client.force_login(alice)
    response = client.get(reverse("exports:json"))
    assert attachment_name(response) == "kithkin-2026-11-22.json"
    assert response.streaming  # sent from the file it was written to, not built in memory
    doc = json.loads(body(response))
    assert doc["format"] == "kithkin" and len(doc["data"]["people.person"]) == 3


def test_the_backup_of_one_of_several_accounts_is_their_own_document(client, alice, bob, network):
    client.force_login(alice)
    response = client.get(reverse("exports:backup"))
    assert attachment_name(response) == "kithkin-backup-2026-11-22.json"  # Bob shares this database
    assert json.loads(body(response))["format"] == "kithkin"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the database file is SQLite's")
@pytest.mark.django_db(transaction=True)  # SQLite's backup waits for a test's open transaction
def test_the_backup_of_the_only_account_is_the_sqlite_database(client, alice, network):
    client.force_login(alice)
    response = client.get(reverse("exports:backup"))
    assert attachment_name(response) == "kithkin-backup-2026-11-22.sqlite3"
    assert response["Content-Type"] == "application/vnd.sqlite3"
    assert body(response).startswith(b"SQLite format 3\x00")


# Issue 13, item 6
@pytest.mark.django_db(transaction=True)  # SQLite's backup waits for a test's open transaction
def test_a_downloaded_backup_holds_no_session_or_login_link_that_signs_in(client, alice, network, tmp_path):
    client.force_login(alice)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    create_login_token(alice)
    token_hash = LoginToken.objects.get().token_hash
    data = body(client.get(reverse("exports:backup")))
    assert session_key.encode() not in data and token_hash.encode() not in data
    if data.startswith(b"SQLite format 3\x00"):
        (tmp_path / "backup.sqlite3").write_bytes(data)
        with closing(sqlite3.connect(tmp_path / "backup.sqlite3")) as backup:
            assert backup.execute("SELECT COUNT(*) FROM django_session").fetchone() == (0,)
            assert backup.execute("SELECT COUNT(*) FROM accounts_logintoken").fetchone() == (0,)
            assert backup.execute("SELECT COUNT(*) FROM people_person").fetchone() == (3,)
    # The live session is untouched: the backup is a copy.
    assert client.get(EXPORTS).status_code == 200


def test_the_calendar_url_is_made_on_request_shown_whole_and_copyable(client, alice):
    client.force_login(alice)
    assert "Make a calendar URL" in client.get(EXPORTS).content.decode()
    response = client.post(reverse("exports:feed_make"))
    assert response["Location"] == EXPORTS + "#calendar"
    token = feed_token(alice)
    page = client.get(EXPORTS).content.decode()
    url = f"http://testserver/feed/{token}.ics"
    assert f'<input type="text" id="feed-url" value="{url}" readonly' in page
    assert 'data-copy="feed-url"' in page and "Other calendars → + → From URL" in page


def test_the_feed_needs_no_sign_in_and_has_an_event_per_open_follow_up(alice, network):
    set_routine_blocks(alice, ["Tue 08:30-09:00 Networking time"])
    token = feed_token(alice)
    response = Client().get(f"/feed/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    horizon = NOW + timedelta(days=settings.FEED_HORIZON_DAYS)
    open_follow_ups = FollowUp.objects.for_owner(alice).due_by(horizon).count()
    assert open_follow_ups >= 3  # two thank-yous and check-ins (one further out is left out)
    assert FollowUp.objects.for_owner(alice).pending().count() > open_follow_ups
    assert len(events) == open_follow_ups + 1  # and the weekly block
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "Networking time" in summaries and any("Ana" in s for s in summaries)
    assert f"http://testserver/people/{network['ana'].pk}/" in response.content.decode().replace("\r\n ", "")


def test_a_revoked_or_unknown_feed_is_not_found(client, alice, network):
    token = feed_token(alice)
    client.force_login(alice)
    response = client.post(reverse("exports:feed_revoke"))
    assert response["Location"] == EXPORTS + "#calendar"
    assert Client().get(f"/feed/{token}.ics").status_code == 404
    assert Client().get("/feed/not-a-token.ics").status_code == 404
    page = client.get(EXPORTS).content.decode()
    assert "The calendar URL no longer works" in page and "Make a calendar URL" in page
    client.post(reverse("exports:feed_make"))
    assert feed_token(alice) != token


def test_the_page_lists_the_networking_blocks_with_a_way_to_change_them(client, alice):
    set_routine_blocks(alice, ["Tue 08:30-09:00 Networking time", "Fri 16:00-16:30 Thank-you notes"])
    client.force_login(alice)
    page = client.get(EXPORTS).content.decode()
    assert "Tuesdays 08:30–09:00 · Networking time" in page and "Fridays 16:00–16:30 · Thank-you notes" in page
    assert reverse("accounts:settings") + "#networking" in page


def test_posts_need_a_csrf_token_and_pages_a_sign_in(alice):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(reverse("exports:feed_make")).status_code == 403
    anonymous = Client()
    for name in ("list", "vcard", "csv", "json", "backup"):
        assert anonymous.get(reverse(f"exports:{name}"))["Location"].startswith(reverse("accounts:login")), name


def test_bob_downloads_only_his_own_people(client, alice, bob, network):
    make_person(bob, "Bob's Friend")
    client.force_login(bob)
    text = client.get(reverse("exports:vcard")).content.decode()
    assert "Bob's Friend" in text and "Ana Ruiz" not in text
    doc = body(client.get(reverse("exports:json"))).decode()
    assert "Ana Ruiz" not in doc
    assert "Ana Ruiz" not in body(client.get(reverse("exports:backup"))).decode()


def test_the_settings_networking_card_saves_blocks_one_a_line(client, alice):
    from kithkin.accounts.services import routine_blocks

    client.force_login(alice)
    settings = reverse("accounts:settings")
    text = "Tue 08:30-09:00 Networking time\n\nfri 16:00-16:30 Thank-you notes\n"
    response = client.post(settings, settings_post(alice, blocks=text))
    assert response["Location"] == settings
    assert [str(b) for b in routine_blocks(alice)] == [
        "Networking time, Tuesdays 08:30–09:00",
        "Thank-you notes, Fridays 16:00–16:30",
    ]
    page = client.get(settings).content.decode()
    assert "Settings saved." in page
    assert "Tue 08:30-09:00 Networking time\nFri 16:00-16:30 Thank-you notes</textarea>" in page


def test_a_bad_networking_block_names_its_line_and_changes_nothing(client, alice):
    from kithkin.accounts.services import routine_blocks

    set_routine_blocks(alice, ["Mon 09:00-09:30 Networking time"])
    client.force_login(alice)
    response = client.post(
        reverse("accounts:settings"),
        settings_post(alice, blocks="Tue 08:30-09:00\nFunday 10-11\nWed 25:00-26:00"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'id="id_blocks_error">Line 2: &#x27;Funday&#x27; is not a day of the week. Line 3: ', page)
    assert "Funday 10-11" in page  # what the user typed stays in the box
    assert [b.weekday for b in routine_blocks(alice)] == [0]
    cleared = client.post(reverse("accounts:settings"), settings_post(alice, blocks=""))
    assert cleared.status_code == 302 and routine_blocks(alice) == []


# Issue 13, item 7
def test_the_feed_is_built_once_until_what_it_shows_changes(alice, network, monkeypatch):
    built = []
    real_build = services.build_feed
    monkeypatch.setattr(services, "build_feed", lambda *a, **k: built.append(1) or real_build(*a, **k))
    url = f"/feed/{feed_token(alice)}.ics"
    first = Client().get(url).content
    assert Client().get(url).content == first and len(built) == 1
    follow_up = FollowUp.objects.for_owner(alice).pending().order_by("remind_at").first()
    complete_follow_up(alice, follow_up)
    after = Client().get(url).content
    assert len(built) == 2 and after != first
    assert follow_up_uid(alice, follow_up.pk).encode() not in after.replace(b"\r\n ", b"")


# Issue 13, item 7
def test_the_feed_is_kept_all_day_and_built_again_the_next(alice, network, monkeypatch, frozen):
    built = []
    real_build = services.build_feed
    monkeypatch.setattr(services, "build_feed", lambda *a, **k: built.append(1) or real_build(*a, **k))
    url = f"/feed/{feed_token(alice)}.ics"
    Client().get(url)
    frozen.shift(timedelta(hours=5))  # calendar programs poll every hour or so
    Client().get(url)
    assert len(built) == 1
    frozen.shift(timedelta(days=1))  # a new day brings a day more into the horizon
    Client().get(url)
    assert len(built) == 2


# Issue 13, item 7
def test_the_feed_holds_the_overdue_and_what_falls_due_within_the_horizon(alice, network, settings):
    settings.FEED_HORIZON_DAYS = 30
    ana = network["ana"]
    soon = add_reminder(alice, ana, "Call Ana soon", NOW + timedelta(days=29))
    later = add_reminder(alice, ana, "Call Ana later", NOW + timedelta(days=31))
    body = Client().get(f"/feed/{feed_token(alice)}.ics").content.replace(b"\r\n ", b"")
    assert follow_up_uid(alice, soon.pk).encode() in body
    assert follow_up_uid(alice, later.pk).encode() not in body


# Issue 13, item 7
def test_feed_secrets_are_stored_hashed_and_a_url_from_before_keeps_working(alice, network):
    token = feed_token(alice)
    feed = CalendarFeed.objects.get(owner=alice)
    assert token not in {feed.salt, feed.token_hash, feed.legacy_hash} and feed.token_hash == hash_feed_token(token)
    assert feed_token(alice) == token  # the same URL to copy again
    # A secret stored before hashing is hashed in place by the migration: its URL still opens the feed.
    feed.salt, feed.token_hash = "", hash_feed_token("an-old-secret")
    feed.save()
    assert Client().get("/feed/an-old-secret.ics").status_code == 200
    new = feed_token(alice)  # it cannot be shown again: a new URL is made, and the old one still works
    assert new != token and Client().get(f"/feed/{new}.ics").status_code == 200
    assert Client().get("/feed/an-old-secret.ics").status_code == 200
    revoke_feed(alice)
    assert {Client().get(f"/feed/{t}.ics").status_code for t in (new, "an-old-secret")} == {404}


# Issue 13, item 7
def test_the_log_shows_feed_and_login_link_paths_with_their_secret_redacted():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/feed/s3cret.ics",), None
    )
    assert RedactSecrets().filter(record) and record.getMessage() == "Not Found: /feed/[redacted].ics"
    assert redact("GET /accounts/link/abc123/ 404") == "GET /accounts/link/[redacted]/ 404"
    (handler,) = logging.getLogger().handlers[:1]
    assert any(isinstance(f, RedactSecrets) for f in handler.filters)
