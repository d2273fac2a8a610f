"""The complete JSON export, backup and restore."""

from __future__ import annotations

import copy
import gzip
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, date, timedelta
from itertools import count
from pathlib import Path
from typing import Any, BinaryIO, cast

import pytest
import time_machine
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.db import DatabaseError, connection, models, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kithkin.accounts.models import LoginToken, RoutineBlock
from kithkin.accounts.services import create_login_token, get_profile, update_settings
from kithkin.accounts.tokens import create_token
from kithkin.core.errors import BadInput
from kithkin.core.models import Owned
from kithkin.core.scopes import owner_scope
from kithkin.demo import build_demo_network
from kithkin.exchanges.models import Exchange
from kithkin.exchanges.services import record_ask, record_exchange
from kithkin.exports import backup
from kithkin.exports.backup import (
    CREDENTIALS,
    DERIVED,
    backup_database,
    dump_document,
    export_document,
    export_file,
    restore_document,
    restore_file,
    tables,
    write_document,
)
from kithkin.exports.services import feed_token
from kithkin.followups.milestones import record_milestone
from kithkin.followups.models import FollowUp
from kithkin.followups.services import add_reminder, complete_follow_up, skip_follow_up, snooze_follow_up
from kithkin.imports.models import Import, ImportedObject
from kithkin.imports.plan import ImportOptions
from kithkin.imports.services import import_file, undo_import
from kithkin.interactions.models import Touch
from kithkin.introductions.models import Introduction
from kithkin.introductions.services import propose_introduction, step_introduction
from kithkin.people.merge import mark_distinct
from kithkin.people.models import DistinctPair, HistoryEntry, Milestone, Person, Position
from kithkin.people.services import PersonChanges, edit_person, search_people
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")

LINKEDIN = """First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ana,Ruiz,https://www.linkedin.com/in/anaruiz,,Acme,Head of Product,09 Oct 2024
Bo,Chen,https://www.linkedin.com/in/bochen,bo@globex.example,Globex,CFO,12 Mar 2021
José,Núñez,https://www.linkedin.com/in/josenunez,,Initech,Engineer,01 Jan 2019
"""
users = count(1)


def new_user() -> User:
    return User.objects.create(username=f"restored{next(users)}")  # no password: hashing is slow


def rich_network(owner: User) -> None:
    """A demo network plus what the demo does not make: follow-ups in every status, chains of
    people met through others, links, past positions, an import (to undo), a merge's history,
    people marked distinct, settings, a networking block, and credentials that must stay out."""
    build_demo_network(owner, people=150)
    bo = make_person(
        owner, "Bo Chen", emails=["bo@globex.example"], organization="Globex", title="Controller", nicknames=["Bobo"]
    )
    zoe = make_person(owner, "Zoë Ðorđević", links=["https://www.linkedin.com/in/zoe"], birthday=date(1990, 2, 28))
    rania = make_person(owner, "رانيا حداد", met_through=zoe, notes="שלום — 你好", interests=["Kintsugi"])
    make_person(owner, "山田 花子", met_through=rania, met_on=date(2024, 5, 1), phones=["+81 3-1234-5678"])
    edit_person(owner, bo, PersonChanges(organization="Initech", title="CFO"))  # Globex becomes past
    Position.objects.for_owner(owner).filter(person=bo, ended_on__isnull=False).update(started_on=date(2019, 1, 1))
    mark_distinct(owner, zoe, rania)
    coffee = make_touch(owner, [zoe, rania], "coffee", NOW - timedelta(hours=3), advice="Read the pricing book")
    pending = list(FollowUp.objects.for_owner(owner).pending().filter(touch=coffee).order_by("pk"))
    complete_follow_up(owner, pending[0])
    skip_follow_up(owner, pending[1])
    snooze_follow_up(owner, pending[2], NOW + timedelta(days=3))
    add_reminder(owner, zoe, "Send Zoë the article", NOW + timedelta(days=2))
    # Give and take: follow-ups whose causes name a help received, an introduction, a milestone.
    record_exchange(owner, bo, "got", "Feedback on my deck", kind="advice")
    record_ask(owner, zoe, "An intro to her editor", kind="intro")
    step_introduction(owner, propose_introduction(owner, zoe, bo, "Both write about pricing"), "ask-a")
    record_milestone(owner, rania, "Won the design award", kind="award")
    import_file(owner, "linkedin", LINKEDIN.encode(), "Connections.csv", options=ImportOptions())
    profile = get_profile(owner)
    profile.time_zone, profile.weekly_touch_goal, profile.cadence_close_days = "Europe/Madrid", 9, None
    profile.save()
    RoutineBlock.objects.create(
        owner=owner, weekday=1, starts_at="08:30", ends_at="09:00", created_at=NOW, title="Networking time"
    )
    create_login_token(owner)
    create_token(owner, "a script")
    feed_token(owner)


def type_of(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)


def rows_of(owner: User) -> dict[str, int]:
    return {t.label: t.model._base_manager.filter(owner=owner).count() for t in tables() if not t.is_setting}


def without_user(doc: dict[str, Any]) -> str:
    return dump_document({**doc, "user": None})


@pytest.fixture
def network(alice: User) -> dict[str, Any]:
    rich_network(alice)
    return export_document(alice)


@pytest.fixture(scope="module")
def made_once(django_db_setup: None, django_db_blocker: Any) -> dict[str, Any]:
    """The rich network's document, built once for the tests that only read it."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False), transaction.atomic():
        owner = User.objects.create(username="source")
        # Module-scoped: built before the per-test fixture that disables scopes.
        with owner_scope(owner):
            rich_network(owner)
            doc = export_document(owner)
        transaction.set_rollback(True)
    return doc


@pytest.fixture
def document(db: None, made_once: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(made_once)


# --- the document -------------------------------------------------------------------------------


def test_an_export_restored_into_a_new_user_exports_the_same_document_byte_for_byte(document):
    carol = new_user()

    counts = restore_document(carol, document)

    again = export_document(carol)
    assert without_user(again) == without_user(document)
    assert counts == {label: len(rows) for label, rows in document["data"].items()}
    assert counts["people.person"] > 150 and counts["interactions.touch"] > 2000
    assert set(FollowUp.Status.values) <= {row["status"] for row in document["data"]["followups.followup"]}
    assert all(
        document["data"][label] for label in ("people.link", "people.position", "people.phone", "imports.import")
    )


def test_a_restored_network_keeps_what_points_where(document):
    carol = new_user()
    restore_document(carol, document)

    hanako = Person.objects.for_owner(carol).get(full_name="山田 花子")
    assert hanako.met_through.full_name == "رانيا حداد"
    assert hanako.met_through.met_through.full_name == "Zoë Ðorđević"
    zoe = Person.objects.for_owner(carol).get(full_name="Zoë Ðorđević")
    assert zoe.birthday_key == "02-28"
    pair = DistinctPair.objects.for_owner(carol).get()
    assert pair.first_id < pair.second_id
    for follow_up in FollowUp.objects.for_owner(carol).filter(cause_type=type_of(Touch)):
        assert follow_up.cause == follow_up.touch
        assert follow_up.touch.owner_id == carol.pk
    thank_bo = FollowUp.objects.for_owner(carol).get(cause_type=type_of(Exchange), kind="thank_you")
    assert thank_bo.cause == Exchange.objects.for_owner(carol).get(what="Feedback on my deck")
    intro = Introduction.objects.for_owner(carol).get(why__startswith="Both write")
    assert FollowUp.objects.for_owner(carol).caused_by(intro).count() == 1
    award = FollowUp.objects.for_owner(carol).get(cause_type=type_of(Milestone))
    assert award.person.full_name == "رانيا حداد"
    assert award.cause == award.person.milestones.get()
    assert [p.full_name for p in search_people(carol, "kintsugi")] == ["رانيا حداد"]
    assert list(search_people(carol, "bobo")) == [Person.objects.for_owner(carol).get(full_name="Bo Chen")]
    later = make_person(carol, "Added After The Restore")  # the keys taken leave room for new rows
    assert later.pk > max(Person.objects.for_owner(carol).exclude(pk=later.pk).values_list("pk", flat=True))
    profile = get_profile(User.objects.get(pk=carol.pk))
    assert (profile.time_zone, profile.weekly_touch_goal, profile.cadence_close_days) == ("Europe/Madrid", 9, None)


def test_undoing_an_import_in_a_restored_copy_does_what_it_does_in_the_original(alice, network):
    carol = new_user()
    restore_document(carol, network)
    run = Import.objects.for_owner(carol).get()
    entry = HistoryEntry.objects.for_owner(carol).filter(kind="imported").first()
    assert entry is not None and entry.data["import_id"] == run.pk
    assert ImportedObject.objects.for_owner(carol).exists()
    created = run.created["people.person"]
    assert created and set(created) <= set(Person.objects.for_owner(carol).values_list("pk", flat=True))

    in_copy = undo_import(carol, run.pk)
    in_original = undo_import(alice, Import.objects.for_owner(alice).get().pk)

    assert (in_copy.people_removed, in_copy.people_restored) == (
        in_original.people_removed,
        in_original.people_restored,
    )
    assert in_copy.people_removed >= 1 and in_copy.people_restored >= 1
    assert without_user(export_document(carol)) == without_user(export_document(alice))


def test_the_export_holds_no_credentials_and_no_one_elses_data(alice, bob, network):
    make_person(bob, "Bob's Secret Friend", emails=["secret@bob.example"])
    doc = export_document(alice)
    text = dump_document(doc)

    assert not CREDENTIALS & set(doc["data"])
    assert feed_token(alice) not in text and "password" not in text
    assert "Secret Friend" not in text and "secret@bob.example" not in text
    assert doc["user"] == {"username": "alice", "email": "", "first_name": "", "last_name": ""}


def test_rows_are_numbered_from_one_and_times_are_written_in_utc(document):
    people = document["data"]["people.person"]
    assert [row["id"] for row in people] == list(range(1, len(people) + 1))
    assert "exported_at" not in document  # the same data, the same bytes
    assert all(row["created_at"].endswith("+00:00") for row in people)
    assert (document["format"], document["version"]) == ("kithkin", 2)
    assert document["data"]["accounts.profile"][0]["time_zone"] == "Europe/Madrid"
    assert "owner" not in people[0] and "owner_id" not in people[0]


def test_two_exports_of_the_same_data_are_identical(alice, network):
    assert dump_document(export_document(alice)) == dump_document(network)


def test_the_written_export_is_the_document_as_dump_document_writes_it(alice, network):
    out = io.BytesIO()
    written = write_document(alice, out)
    assert out.getvalue().decode("utf-8") == dump_document(network)
    assert written == len(out.getvalue())


def test_the_export_is_written_a_chunk_of_rows_at_a_time(alice, network, monkeypatch):
    monkeypatch.setattr(backup, "CHUNK", 10)
    pieces: list[bytes] = []

    class Out:
        def write(self, data: bytes) -> int:
            pieces.append(data)
            return len(data)

    write_document(alice, cast(BinaryIO, Out()))

    text = b"".join(pieces)
    assert text.decode("utf-8") == dump_document(network)
    rows = sum(len(rows) for rows in network["data"].values())
    assert len(pieces) > rows / 10 and max(map(len, pieces)) < len(text) / 20


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the text SQLite stores dates and times as")
def test_a_time_stored_in_another_form_is_written_as_django_reads_it(alice):
    ana, bo = make_person(alice, "Ana Ruiz"), make_person(alice, "Bo Chen")
    with connection.cursor() as cursor:
        for person, stored in ((ana, "2024-05-01 10:00:00.5"), (bo, "2024-05-01T10:00:00.000000")):
            cursor.execute("UPDATE people_person SET created_at = %s WHERE id = %s", [stored, person.pk])
    for person in (ana, bo):
        person.refresh_from_db()

    doc = export_document(alice)

    written = [row["created_at"] for row in doc["data"]["people.person"]]
    assert written == ["2024-05-01T10:00:00.500000+00:00", "2024-05-01T10:00:00+00:00"]
    assert written == [person.created_at.astimezone(UTC).isoformat() for person in (ana, bo)]
    out = io.BytesIO()
    write_document(alice, out)
    assert out.getvalue().decode("utf-8") == dump_document(doc)


def test_an_export_file_is_private_and_compressed_when_asked(alice, network, tmp_path):
    size = export_file(alice, tmp_path / "kithkin.json.gz", compress=True)
    data = (tmp_path / "kithkin.json.gz").read_bytes()
    assert size == len(data) and gzip.decompress(data).decode("utf-8") == dump_document(network)
    assert stat.S_IMODE((tmp_path / "kithkin.json.gz").stat().st_mode) == 0o600
    export_file(alice, tmp_path / "again.json.gz", compress=True)
    assert (tmp_path / "again.json.gz").read_bytes() == data  # no name, no time in it


def test_an_export_that_fails_half_way_leaves_the_file_as_it_was(alice, network, tmp_path, monkeypatch):
    target = tmp_path / "kithkin.json"
    target.write_text("the last export")
    read_columns = backup._columns

    def failing(owner: User, table: backup.Table, ids: Any) -> Any:
        yield from read_columns(owner, table, ids)
        if table.label == "people.person":
            raise DatabaseError("disk I/O error")

    monkeypatch.setattr(backup, "_columns", failing)
    with pytest.raises(DatabaseError):
        export_file(alice, target)
    assert [path.name for path in tmp_path.iterdir()] == ["kithkin.json"]
    assert target.read_text() == "the last export"


def test_every_model_holding_user_data_is_exported_except_credentials_and_derived_data(db):
    owned = {m._meta.label_lower for m in apps.get_models() if issubclass(m, Owned) and not m._meta.proxy}
    assert {t.label for t in tables()} == owned - CREDENTIALS - DERIVED
    assert owned >= CREDENTIALS
    # Kithkin's user data all lives in Owned models: nothing else points at a user.
    strays = [
        f"{m._meta.label}.{f.name}"
        for m in apps.get_models()
        if m.__module__.startswith("kithkin.") and not issubclass(m, Owned)
        for f in m._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is User
    ]
    assert strays == []


# --- refusing -----------------------------------------------------------------------------------


def test_restoring_into_a_network_that_is_not_empty_changes_nothing_and_says_why(document):
    carol = new_user()
    make_person(carol, "Already Here")
    before = export_document(carol)

    with pytest.raises(BadInput) as refused:
        restore_document(carol, document)

    assert refused.value.field == "file"
    assert "is not empty: restore needs an empty network (it has 1 people.person" in refused.value.message
    assert dump_document(export_document(carol)) == dump_document(before)


def _first_thank_you(data: dict[str, Any]) -> dict[str, Any]:
    return next(row for row in data["followups.followup"] if row["cause_type"] == "interactions.touch")


def _first_met_through(data: dict[str, Any]) -> dict[str, Any]:
    return next(row for row in data["people.person"] if row["met_through"])


# Each way of spoiling a document: a change to its data, or (for the header) to the whole of it.
TAMPERINGS: dict[str, Callable[[dict[str, Any], dict[str, Any]], None]] = {
    "unknown field": lambda doc, data: data["people.person"][3].update(shoe_size=44),
    "dangling reference": lambda doc, data: data["people.email"][0].update(person=9999),
    "dangling self-reference": lambda doc, data: _first_met_through(data).update(met_through=9999),
    "dangling cause": lambda doc, data: _first_thank_you(data).update(cause_id=999999),
    "cause in no model": lambda doc, data: data["followups.followup"][0].update(cause_type="auth.user"),
    "newer version": lambda doc, data: doc.update(version=3),
    "older version": lambda doc, data: doc.update(version=1),
    "wrong format": lambda doc, data: doc.update(format="monica"),
    "unknown model": lambda doc, data: data.update({"accounts.logintoken": [{"id": 1, "token_hash": "x"}]}),
    "not a date": lambda doc, data: data["interactions.touch"][-1].update(happened_at="yesterday"),
    "missing required field": lambda doc, data: data["interactions.touch"][5].pop("happened_at"),
    "repeated id": lambda doc, data: data["people.phone"][1].update(id=data["people.phone"][0]["id"]),
    # A person must have a name.
    "refused by the database": lambda doc, data: data["people.person"][-1].update(full_name=""),
}


def tamper(doc: dict[str, Any], how: str) -> None:
    TAMPERINGS[how](doc, doc["data"])


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("unknown field", "people.person row 4, shoe_size: unknown field"),
        ("dangling reference", "people.email row 1, person: refers to people.person row 9999, which is not in"),
        ("dangling self-reference", "met_through: refers to people.person row 9999"),
        ("dangling cause", "cause: refers to interactions.touch row 999999"),
        ("cause in no model", "cause: refers to 'auth.user', which is not a model the document holds"),
        ("newer version", "made by a newer Kithkin (version 3; this one reads 2)"),
        ("older version", "made by an earlier Kithkin (version 1, which wrote follow-up causes as text"),
        ("wrong format", "not a Kithkin export: its format is 'monica'"),
        ("unknown model", "unknown model 'accounts.logintoken'"),
        ("not a date", "happened_at: not a datetime: 'yesterday'"),
        ("missing required field", "interactions.touch row 6, happened_at: missing"),
        ("repeated id", "people.phone row 1, id: needs a positive whole number, once per model"),
        ("refused by the database", "people.person: the database refused a row"),
    ],
)
def test_a_tampered_document_is_refused_and_changes_nothing(document, how, says):
    doc = copy.deepcopy(document)
    tamper(doc, how)
    carol = new_user()

    with pytest.raises(BadInput) as refused:
        restore_document(carol, doc)

    assert says in refused.value.message
    assert set(rows_of(carol).values()) == {0}
    assert get_profile(User.objects.get(pk=carol.pk)).time_zone != "Europe/Madrid"


def test_a_restore_leaves_other_users_untouched(alice, bob, network):
    make_person(bob, "Bob's Friend", emails=["friend@bob.example"])
    bobs = export_document(bob)
    alices = export_document(alice)

    restore_document(new_user(), network)

    assert dump_document(export_document(bob)) == dump_document(bobs)
    assert dump_document(export_document(alice)) == dump_document(alices)


def test_a_document_from_before_a_field_existed_restores_with_its_default(alice):
    touched = make_touch(alice, make_person(alice, "Ana Ruiz"), "call", NOW - timedelta(days=1))
    doc = export_document(alice)
    for row in doc["data"]["interactions.touch"]:
        del row["source_key"]
    del doc["data"]["people.historyentry"]
    carol = new_user()

    restore_document(carol, doc)

    restored = Touch.objects.for_owner(carol).get()
    assert (restored.source_key, restored.kind, restored.happened_at) == ("", "call", touched.happened_at)


def test_a_follow_up_whose_cause_is_gone_is_written_as_cause_0_and_restored_as_it_was(alice):
    ana = make_person(alice, "Ana Ruiz")
    record_milestone(alice, ana, "Won the design award", kind="award")
    Milestone.objects.for_owner(alice).delete()  # not a rule's doing: no congratulation goes with it
    doc = export_document(alice)
    (award,) = [row for row in doc["data"]["followups.followup"] if row["kind"] == "congratulate"]
    assert (award["cause_type"], award["cause_id"]) == ("people.milestone", 0)
    carol = new_user()

    restore_document(carol, doc)

    assert without_user(export_document(carol)) == without_user(doc)
    assert FollowUp.objects.for_owner(carol).get(kind="congratulate").cause is None


# --- files --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["kithkin.json", "kithkin.json.gz"])
def test_restore_file_reads_a_json_export_plain_or_gzipped(alice, tmp_path, name):
    make_person(alice, "Ana Ruiz", emails=["ana@acme.example"])
    doc = export_document(alice)
    text = dump_document(doc).encode()
    (tmp_path / name).write_bytes(gzip.compress(text) if name.endswith(".gz") else text)
    carol = new_user()

    assert restore_file(tmp_path / name, carol) == "json"

    assert without_user(export_document(carol)) == without_user(doc)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"First Name,Last Name\nAna,Ruiz\n", "neither a Kithkin backup nor a JSON export"),
        (b'{"format": "kithkin", "version": 1, "data": ', "is not valid JSON (line 1, column 45)"),
        (b"[1, 2]", "neither a Kithkin backup nor a JSON export"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "cannot be read as an SQLite database"),
    ],
)
def test_restore_file_refuses_a_file_it_cannot_use(alice, tmp_path, content, says):
    (tmp_path / "backup").write_bytes(content)
    if content.startswith(b"SQLite") and connection.vendor != "sqlite":
        says = "on PostgreSQL restore a JSON export instead"

    with pytest.raises(BadInput) as refused:
        restore_file(tmp_path / "backup", alice)

    assert refused.value.field == "file" and says in refused.value.message


@pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite backup")
def test_an_sqlite_backup_does_not_replace_a_database_that_holds_data(alice, tmp_path):
    make_person(alice, "Ana Ruiz")
    assert backup_database(tmp_path / "backup.sqlite3") == "sqlite"

    with pytest.raises(BadInput) as refused:
        restore_file(tmp_path / "backup.sqlite3", alice)

    assert "the database is not empty" in refused.value.message
    assert Person.objects.for_owner(alice).count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite backup")
@pytest.mark.parametrize(
    ("migration", "says"),
    [
        ("0005_milestones", "was made by a development version of Kithkin from before its migrations were squashed"),
        ("0099_from_the_future", "was made by a newer Kithkin (it has people.0099_from_the_future): upgrade Kithkin"),
    ],
)
def test_an_sqlite_backup_this_version_cannot_bring_up_to_date_is_refused(alice, tmp_path, migration, says):
    make_person(alice, "Ana Ruiz")
    backup_database(tmp_path / "backup.sqlite3")
    with closing(sqlite3.connect(tmp_path / "backup.sqlite3")) as backup, backup:
        backup.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('people', ?, '2026-01-01')", [migration]
        )

    with pytest.raises(BadInput) as refused:
        restore_file(tmp_path / "backup.sqlite3", alice)

    assert refused.value.field == "file" and says in refused.value.message
    assert Person.objects.for_owner(alice).count() == 1


# Issue 13, item 6
@pytest.mark.django_db(transaction=True)  # SQLite's backup waits for a test's open transaction
def test_a_cli_backup_holds_no_session_and_no_login_link(alice, tmp_path):
    make_person(alice, "Ana Ruiz")
    session = SessionStore()
    session["_auth_user_id"] = str(alice.pk)
    session.create()
    create_login_token(alice)
    token_hash = LoginToken.objects.get().token_hash
    access_hash = create_token(alice, "script").token.token_hash
    AccessAttempt.objects.create(
        username="alice",
        ip_address="203.0.113.9",
        user_agent="guesser",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )

    kind = backup_database(tmp_path / "backup", alice)

    data = (tmp_path / "backup").read_bytes()
    assert session.session_key.encode() not in data and token_hash.encode() not in data
    assert access_hash.encode() not in data
    if kind == "sqlite":
        with closing(sqlite3.connect(tmp_path / "backup")) as backup:
            assert backup.execute("SELECT COUNT(*) FROM django_session").fetchone() == (0,)
            assert backup.execute("SELECT COUNT(*) FROM accounts_logintoken").fetchone() == (0,)
            assert backup.execute("SELECT COUNT(*) FROM accounts_accesstoken").fetchone() == (0,)
            assert backup.execute("SELECT COUNT(*) FROM axes_accessattempt").fetchone() == (0,)
        assert b"203.0.113.9" not in data
    assert SessionStore(session.session_key).get("_auth_user_id") == str(alice.pk)  # the live one stays


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL")
def test_on_postgresql_a_backup_is_the_owners_json_document(alice, tmp_path):
    make_person(alice, "Ana Ruiz")

    assert backup_database(tmp_path / "backup.json.gz", alice) == "json"

    doc = json.loads(gzip.decompress((tmp_path / "backup.json.gz").read_bytes()))
    assert [row["full_name"] for row in doc["data"]["people.person"]] == ["Ana Ruiz"]
    with pytest.raises(BadInput, match="say whose"):
        backup_database(tmp_path / "other.json")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL")
def test_on_postgresql_an_sqlite_backup_is_refused(alice, tmp_path):
    with closing(sqlite3.connect(tmp_path / "backup.sqlite3")) as db:
        db.execute("CREATE TABLE t (x)")

    with pytest.raises(BadInput, match="this is an SQLite backup; on PostgreSQL restore a JSON export instead"):
        restore_file(tmp_path / "backup.sqlite3", alice)


# --- any text survives --------------------------------------------------------------------------

names = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=40).filter(str.strip)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=names,
    notes=st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=200),
    nicknames=st.lists(names, max_size=3),
)
def test_any_name_notes_and_nicknames_survive_a_restore(db, name, notes, nicknames):
    owner = new_user()
    Person.objects.create(owner=owner, full_name=name, notes=notes, nicknames=nicknames, created_at=NOW, updated_at=NOW)
    carol = new_user()

    restore_document(carol, export_document(owner))

    restored = Person.objects.for_owner(carol).get()
    assert (restored.full_name, restored.notes, restored.nicknames) == (name, notes, nicknames)


# --- SQLite files in a real data directory (subprocesses) ---------------------------------------

SETUP = """
import json, sqlite3, sys, threading
from contextlib import closing
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from django.db import connection, transaction
from kithkin.accounts.services import get_or_create_local_owner
from kithkin.demo import build_demo_network
from kithkin.exports.backup import backup_database, dump_document, export_document, restore_file
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.people.models import Person
from kithkin.testing import NOW
from kithkin.core.scopes import unscoped
# As every test runs (kithkin.testing): the script calls services directly. Kept in a name, or
# the context manager is collected and its scope ends at once.
SCOPE = unscoped()
SCOPE.__enter__()
work = Path(sys.argv[1])
"""

WRITE_WHILE_BACKING_UP = """
owner = get_or_create_local_owner()
build_demo_network(owner, people=40)
person = Person.objects.for_owner(owner).first()
stop, going = threading.Event(), threading.Event()
# A touch is counted as begun before its transaction and as written after its commit: a backup
# holds at least what was written before it started and at most what was begun by its end. (One
# count after the commit was no upper bound: a commit could land in the backup before its count.)
begun, written = [], []

def write():
    # Each touch and its participant in one transaction: a backup has both or neither.
    while not stop.is_set():
        begun.append(1)
        with transaction.atomic():
            touch = Touch.objects.create(owner=owner, kind="call", happened_at=NOW, created_at=NOW, notes="busy")
            TouchParticipant.objects.create(owner=owner, touch=touch, person=person, happened_at=NOW)
        written.append(touch.pk)
        if len(written) == 20:
            going.set()
    connection.close()

writer = threading.Thread(target=write)
writer.start()
going.wait(30)
counts = []
for n in range(3):
    before = len(written)
    backup_database(work / f"backup{n}.sqlite3")
    counts.append((before, len(begun)))
stop.set()
writer.join()
print(json.dumps({"counts": counts, "written": len(written)}))
"""

EXPORT_AND_BACK_UP = """
owner = get_or_create_local_owner()
build_demo_network(owner, people=60)
people = list(Person.objects.for_owner(owner).order_by("pk")[:3])
Person.objects.filter(pk=people[1].pk).update(met_through=people[0])
Person.objects.filter(pk=people[2].pk).update(met_through=people[1])
(work / "before.json").write_text(dump_document(export_document(owner)))
kind = backup_database(work / "backup.sqlite3")
# As a backup made before the calendar feed existed (its migration not applied, its table not
# there; the feed holds a credential, so it is not in the JSON document): the restore brings it
# up to date.
with closing(sqlite3.connect(work / "backup.sqlite3")) as db, db:
    db.execute("DROP TABLE exports_calendarfeed")
    db.execute("DELETE FROM django_migrations WHERE app = 'exports'")
print(kind)
"""

RESTORE = """
kind = restore_file(work / "backup.sqlite3", get_or_create_local_owner())
owner = User.objects.get(username="owner")
(work / "after.json").write_text(dump_document(export_document(owner)))
print(kind, connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
"""


def run_in(data_dir: Path, work: Path, script: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env |= {"KITHKIN_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "kithkin.settings", "KITHKIN_USER": "owner"}
    done = subprocess.run(
        [sys.executable, "-c", SETUP + script, str(work)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_an_sqlite_backup_taken_while_another_connection_writes_is_whole_and_consistent(tmp_path):
    result = json.loads(run_in(tmp_path / "data", tmp_path, WRITE_WHILE_BACKING_UP))

    assert result["counts"][0][0] >= 20
    for n, (before, after) in enumerate(result["counts"]):
        with closing(sqlite3.connect(tmp_path / f"backup{n}.sqlite3")) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            busy = db.execute("SELECT COUNT(*) FROM interactions_touch WHERE notes = 'busy'").fetchone()[0]
            assert before <= busy <= after
            lonely = db.execute(
                "SELECT COUNT(*) FROM interactions_touch t WHERE NOT EXISTS"
                " (SELECT 1 FROM interactions_touchparticipant p WHERE p.touch_id = t.id)"
            ).fetchone()[0]
            assert lonely == 0
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.slow
def test_an_sqlite_backup_restored_into_an_empty_data_directory_exports_the_same_document(tmp_path):
    assert run_in(tmp_path / "original", tmp_path, EXPORT_AND_BACK_UP) == "sqlite"

    with closing(sqlite3.connect(tmp_path / "backup.sqlite3")) as db:
        assert not db.execute("SELECT name FROM sqlite_master WHERE name = 'exports_calendarfeed'").fetchall()

    assert run_in(tmp_path / "fresh", tmp_path, RESTORE) == "sqlite wal"

    assert (tmp_path / "after.json").read_text() == (tmp_path / "before.json").read_text()
    with closing(sqlite3.connect(tmp_path / "fresh" / "kithkin.sqlite3")) as db:
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'exports_calendarfeed'").fetchall()


# Issue 13, item 21a
def test_restoring_a_json_export_keeps_the_users_name_that_signs_drafted_messages(alice):
    update_settings(alice, your_name="Alice Moreno")
    make_person(alice, "Ana Ruiz")
    doc = json.loads(dump_document(export_document(alice)))
    carol = new_user()
    restore_document(carol, doc)
    carol.refresh_from_db()
    assert (carol.first_name, carol.last_name) == ("Alice Moreno", "")
    bad = copy.deepcopy(doc)
    bad["user"]["first_name"] = "x" * 151
    with pytest.raises(BadInput, match=r"user\.first_name: expected a text of at most 150 characters"):
        restore_document(new_user(), bad)
