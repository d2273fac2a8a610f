"""Mail capture against a real IMAP server (Dovecot on 127.0.0.1) holding a generated mailbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from kithkin.capture import services
from kithkin.capture.mail import (
    accept_suggestion,
    add_mail_account,
    dismiss_suggestion,
    is_bulk,
    mail_suggestions,
    sync_mail,
    sync_source,
)
from kithkin.capture.models import Correspondent, Source
from kithkin.capture.secrets import seal
from kithkin.capture.tests import mailbox
from kithkin.capture.tests.mailbox import JORG, LENA, MARTA, ME, NEWS, at
from kithkin.core.errors import BadInput, NotFound
from kithkin.followups.models import FollowUp
from kithkin.imports.models import Import
from kithkin.imports.services import undo_import
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.people.models import Email, Person
from kithkin.testing import NOW, make_person
from kithkin.testing_mail import ImapServer, dovecot_or_skip, imap_server, message


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ImapServer]:
    with imap_server(tmp_path, username=ME) as running:
        yield running


@pytest.fixture
def loaded(server: ImapServer) -> ImapServer:
    mailbox.load(server)
    return server


def connect(owner: User, server: ImapServer, **options: object) -> Source:
    return add_mail_account(
        owner,
        host=server.host,
        port=server.port,
        username=server.username,
        password=server.password,
        security="plain",
        now=NOW,
        **options,  # type: ignore[arg-type]
    )


def marta(owner: User) -> Person:
    return make_person(owner, "Marta Sol", emails=[MARTA.upper()], closeness="close")


def email_touches(owner: User) -> list[Touch]:
    return list(Touch.objects.for_owner(owner).filter(kind=Touch.Kind.EMAIL).order_by("happened_at"))


def test_a_thread_with_someone_of_the_network_is_one_touch(alice, loaded, frozen):
    frozen.move_to(NOW - timedelta(days=60))  # added two months ago: her check-in is overdue
    person = marta(alice)
    frozen.move_to(NOW)
    before = FollowUp.objects.for_owner(alice).get(person=person, kind=FollowUp.Kind.CHECK_IN).due_at
    source = connect(alice, loaded)

    synced = sync_source(alice, source, now=NOW)

    assert synced.error == ""
    touches = email_touches(alice)
    # Three messages on the 20th are one touch, at the last, started by Ana; her auto-reply on
    # the 21st is none.
    assert [(t.happened_at, t.initiated_by) for t in touches] == [(at(0.2), "me")]
    assert [p.person_id for p in touches[0].participants.all()] == [person.pk]
    person.refresh_from_db()
    assert person.last_touch_at == at(0.2)
    # The check-in waits from the touch now, as after a logged touch; no thank-you is asked.
    after = FollowUp.objects.for_owner(alice).get(person=person, kind=FollowUp.Kind.CHECK_IN).due_at
    assert after > before
    assert not FollowUp.objects.for_owner(alice).filter(kind=FollowUp.Kind.THANK_YOU).exists()
    # The sync is an import, listed with its counts.
    run = Import.objects.for_owner(alice).get(pk=synced.import_id)
    assert run.format == Import.Format.MAIL
    assert run.counts["touches_created"] == 1
    assert run.counts["messages_read"] == sum(1 for _ in loaded.maildir.rglob("cur/*"))
    source.refresh_from_db()
    assert source.last_synced_at == NOW and source.last_error == ""


def test_bulk_and_automated_mail_is_neither_a_touch_nor_a_correspondent(alice, loaded, frozen):
    source = connect(alice, loaded)
    sync_source(alice, source, now=NOW)

    addresses = set(Correspondent.objects.for_owner(alice).values_list("address", flat=True))
    assert NEWS not in addresses
    assert not {"noreply@github.com", "notifications@bank.example", "mailer-daemon@mx.example"} & addresses
    assert not any(a.endswith("@lists.example") for a in addresses)
    assert {LENA, JORG, "stranger0@example.fr", "someone0@example.it"} <= addresses


def test_bulk_rules():
    assert is_bulk({"list-id": "<x>"}, "a@b.c")
    assert is_bulk({"list-unsubscribe": "<mailto:x>"}, "a@b.c")
    assert is_bulk({"precedence": " Bulk"}, "a@b.c")
    assert is_bulk({"auto-submitted": "auto-replied; owner-email=a@b.c"}, "a@b.c")
    assert not is_bulk({"auto-submitted": "no"}, "a@b.c")
    for robot in ("no-reply@x.org", "do_not_reply@x.org", "bounces+123@x.org", "Mailer-Daemon@x.org"):
        assert is_bulk({}, robot)
    assert not is_bulk({}, "lena@example.net")


def test_people_who_wrote_back_are_suggested_with_their_names_decoded(alice, loaded, frozen):
    marta(alice)
    sync_source(alice, connect(alice, loaded), now=NOW)

    suggestions = mail_suggestions(alice, now=NOW)

    assert [(s.address, s.name, s.sent, s.received) for s in suggestions] == [
        (LENA, "Lena Fischer", 2, 2),
        (JORG, "Jörg Müller", 1, 1),
    ]
    assert suggestions[0].sentence == "You exchanged 4 emails with Lena Fischer since May. Add them?"
    # One-way mail (strangers writing in, people who never answered) is not suggested; nor is Marta.
    stranger = Correspondent.objects.for_owner(alice).get(address="stranger1@example.fr")
    assert (stranger.name, stranger.received, stranger.sent) == ("Maïa Dupré", 1, 0)


def test_a_dismissed_suggestion_stays_dismissed_and_an_accepted_one_is_a_person(alice, loaded, frozen):
    marta(alice)
    source = connect(alice, loaded)
    sync_source(alice, source, now=NOW)

    dismiss_suggestion(alice, JORG.upper(), now=NOW)
    person = accept_suggestion(alice, LENA, now=NOW)

    assert person.full_name == "Lena Fischer"
    assert list(Email.objects.for_owner(alice).filter(person=person).values_list("address", flat=True)) == [LENA]
    assert mail_suggestions(alice, now=NOW) == []
    with pytest.raises(NotFound, match="no one you exchanged mail with"):
        dismiss_suggestion(alice, "nobody@example.com", now=NOW)
    # New mail from Jörg does not bring him back.
    loaded.add("INBOX", message(JORG, ME, NOW, message_id="jorg-3@x", replying_to=["jorg-1@example.com"]), at=NOW)
    sync_source(alice, source, now=NOW)
    assert mail_suggestions(alice, now=NOW) == []


def test_a_second_sync_reads_only_what_is_new(alice, loaded, frozen):
    person = marta(alice)
    source = connect(alice, loaded)
    sync_source(alice, source, now=NOW)
    counts = dict(Correspondent.objects.for_owner(alice).values_list("address", "received"))

    again = sync_source(alice, source, now=NOW)

    assert again.error == "" and again.import_id is None
    assert again.counts["messages_read"] == 0
    assert len(email_touches(alice)) == 1
    assert dict(Correspondent.objects.for_owner(alice).values_list("address", "received")) == counts

    # A new answer from Marta later that day: read alone, the touch moves to it.
    loaded.add("INBOX", message(MARTA, ME, at(0.3), message_id="m4@x", replying_to=["m1@example.com"]), at=at(0.3))
    # And one the next morning, in her time zone's day: a touch of its own, started by her.
    loaded.add("INBOX", message(MARTA, ME, at(1.1), message_id="m5@x"), at=at(1.1))
    # And Lena's, received in the very second of the latest message read before: still new.
    loaded.add("INBOX", message(LENA, ME, at(1), message_id="l3@x"), at=at(1))
    third = sync_source(alice, source, now=NOW)
    assert third.counts["messages_read"] == 3
    assert Correspondent.objects.for_owner(alice).get(address=LENA).received == 3
    assert [(t.happened_at, t.initiated_by) for t in email_touches(alice)] == [(at(0.3), "me"), (at(1.1), "them")]
    person.refresh_from_db()
    assert person.last_touch_at == at(1.1)


def test_a_conversation_over_days_is_one_touch_and_the_thread_taken_up_later_another(alice, server, frozen):
    person = marta(alice)
    source = connect(alice, server)
    thread = ["t1@example.com"]
    server.add("Sent", message(ME, MARTA, at(0), message_id="t1@example.com"), at=at(0))
    sync_source(alice, source, now=NOW)
    # Her answer a day and a half later, read by the next sync: the same conversation, no touch of its
    # own; the touch, still started by Ana, moves to the answer, and her last touch with it.
    server.add("INBOX", message(MARTA, ME, at(1.5), message_id="t2@x", replying_to=thread), at=at(1.5))
    second = sync_source(alice, source, now=NOW)
    assert second.counts["touches_created"] == 0
    assert [(t.happened_at, t.initiated_by) for t in email_touches(alice)] == [(at(1.5), "me")]
    person.refresh_from_db()
    assert person.last_touch_at == at(1.5)
    assert {p.happened_at for p in TouchParticipant.objects.for_owner(alice)} == {at(1.5)}
    # Undoing that sync moves it back.
    undo_import(alice, second.import_id or 0, now=NOW)
    assert [t.happened_at for t in email_touches(alice)] == [at(0)]
    person.refresh_from_db()
    assert person.last_touch_at == at(0)
    assert {p.happened_at for p in TouchParticipant.objects.for_owner(alice)} == {at(0)}
    # The same thread, taken up by her three weeks later and answered the next day: a second one.
    later = at(21)
    frozen.move_to(NOW + timedelta(days=30))
    server.add("INBOX", message(MARTA, ME, later, message_id="t3@x", replying_to=[*thread, "t2@x"]), at=later)
    server.add(
        "Sent", message(ME, MARTA, at(1, later), message_id="t4@x", replying_to=[*thread, "t3@x"]), at=at(1, later)
    )
    third = sync_source(alice, source, now=NOW + timedelta(days=30))
    assert third.counts["touches_created"] == 1
    assert [(t.happened_at, t.initiated_by) for t in email_touches(alice)] == [
        (at(0), "me"),
        (at(1, later), "them"),
    ]
    person.refresh_from_db()
    assert person.last_touch_at == at(1, later)
    # Read again from the start, by --since: the same two conversations, nothing logged twice.
    again = sync_mail(alice, since=date(2026, 11, 1), now=NOW + timedelta(days=30))
    assert again[0].counts["touches_created"] == 0 and len(email_touches(alice)) == 2


def test_a_changed_uidvalidity_reads_again_without_counting_twice(alice, loaded, frozen):
    marta(alice)
    source = connect(alice, loaded)
    sync_source(alice, source, now=NOW)
    counts = {
        a: (s, r) for a, s, r in Correspondent.objects.for_owner(alice).values_list("address", "sent", "received")
    }
    before = source.state

    loaded.reset_uidvalidity("INBOX")
    loaded.reset_uidvalidity("Sent")
    loaded.add("INBOX", message(f"Lena Fischer <{LENA}>", ME, at(1.5), message_id="lena-new@x"), at=at(1.5))
    again = sync_source(alice, source, now=NOW)

    source.refresh_from_db()
    assert source.state["folders"]["INBOX"]["uidvalidity"] != before["folders"]["INBOX"]["uidvalidity"]
    assert again.counts["messages_read"] == sum(1 for _ in loaded.maildir.rglob("cur/*"))
    assert len(email_touches(alice)) == 1
    now_counts = {
        a: (s, r) for a, s, r in Correspondent.objects.for_owner(alice).values_list("address", "sent", "received")
    }
    # Only the new message counted.
    assert now_counts.pop(LENA) == (2, 3)
    counts.pop(LENA)
    assert now_counts == counts


def test_since_reads_again_from_a_day(alice, loaded, frozen):
    source = connect(alice, loaded)
    sync_source(alice, source, now=NOW)
    counts = dict(Correspondent.objects.for_owner(alice).values_list("address", "received"))

    again = sync_mail(alice, since=date(2026, 11, 19), now=NOW)

    assert again[0].error == "" and 0 < again[0].counts["messages_read"] < 300
    assert dict(Correspondent.objects.for_owner(alice).values_list("address", "received")) == counts


def test_undoing_a_sync_takes_its_touches_back(alice, loaded, frozen):
    person = marta(alice)
    synced = sync_source(alice, connect(alice, loaded), now=NOW)

    undo_import(alice, synced.import_id or 0, now=NOW)

    assert email_touches(alice) == []
    person.refresh_from_db()
    assert person.last_touch_at is None


def test_a_wrong_password_is_one_line_on_the_account_never_raised(alice, loaded, frozen):
    source = connect(alice, loaded)
    source.secret = seal("not the password")  # the password was changed on the server since
    source.save()

    synced = services.sync_source(alice, source, now=NOW)

    assert synced.error == f"{ME} on 127.0.0.1: wrong password (or user name)"
    assert "not the password" not in synced.error
    source.refresh_from_db()
    assert source.last_error == "wrong password (or user name)"
    assert synced.import_id is None and not Import.objects.for_owner(alice).exists()


def test_adding_an_account_signs_in_first(alice, server):
    with pytest.raises(BadInput) as wrong:
        add_mail_account(alice, host="127.0.0.1", port=server.port, username=ME, password="guess", security="plain")
    assert (wrong.value.field, wrong.value.message) == ("password", "wrong password (or user name)")
    closed = server.port + 1 if server.port < 65535 else server.port - 1
    with pytest.raises(BadInput) as unreachable:
        add_mail_account(alice, host="127.0.0.1", port=closed, username=ME, password="x", security="plain")
    assert unreachable.value.field == "host"
    assert unreachable.value.message == f"cannot reach 127.0.0.1:{closed} (connection refused)"
    with pytest.raises(BadInput) as folder:
        connect(alice, server, sent_folder="Sent Items")
    assert folder.value.field == "sent" and "Sent Items" in folder.value.message
    assert not Source.objects.for_owner(alice).exists()

    source = connect(alice, server, me=["Ana.Alias@Example.com"])
    assert source.name == f"{ME} on 127.0.0.1"
    assert server.password not in source.secret
    assert source.options == {"me": ["ana.alias@example.com"]}
    with pytest.raises(BadInput, match="already connected"):
        connect(alice, server)


def test_over_tls_a_server_whose_certificate_no_one_vouches_for_is_refused(alice, tmp_path):
    with imap_server(tmp_path, username=ME, tls=True) as secure:
        for port, security in ((secure.tls_port, "tls"), (secure.port, "starttls")):
            with pytest.raises(BadInput) as untrusted:
                add_mail_account(
                    alice, host="127.0.0.1", port=port, username=ME, password=secure.password, security=security
                )
            # No password is given to a server that cannot prove it is the one named.
            assert untrusted.value.message == f"cannot reach 127.0.0.1:{port} (its certificate is not valid)"
    assert not Source.objects.exists()


def test_plain_imap_only_to_this_machine(alice):
    with pytest.raises(BadInput) as refused:
        add_mail_account(alice, host="imap.example.com", username=ME, password="x", security="plain")
    assert refused.value.field == "host" and "TLS or STARTTLS" in refused.value.message


def test_the_users_other_addresses_are_theirs(alice, server, frozen):
    person = marta(alice)
    server.add("Sent", message("Ana <ana@alias.example>", MARTA, at(0), message_id="a@x"), at=at(0))
    source = connect(alice, server, me=["ana@alias.example"])

    sync_source(alice, source, now=NOW)

    assert [t.initiated_by for t in email_touches(alice)] == ["me"]
    assert not Correspondent.objects.for_owner(alice).filter(address="ana@alias.example").exists()
    assert Correspondent.objects.for_owner(alice).get(address=MARTA).sent == 1
    assert person.pk in email_touches(alice)[0].participants.values_list("person_id", flat=True)


def test_each_owner_sees_only_their_own(alice, bob, loaded, frozen):
    marta(alice)
    bobs_marta = marta(bob)
    source = connect(alice, loaded)
    sync_source(alice, source, now=NOW)

    assert Touch.objects.for_owner(bob).count() == 0
    assert mail_suggestions(bob, now=NOW) == []
    with pytest.raises(NotFound):
        services.get_source(bob, source.pk, (Source.Kind.MAIL,))
    with pytest.raises(NotFound):
        dismiss_suggestion(bob, LENA)
    bobs_marta.refresh_from_db()
    assert bobs_marta.last_touch_at is None
    assert NOW - timedelta(days=3) < email_touches(alice)[0].happened_at


def test_without_dovecot_the_tests_skip_unless_servers_are_required(monkeypatch, tmp_path):
    monkeypatch.setattr("kithkin.testing_mail.DOVECOT", str(tmp_path / "no-dovecot"))
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.delenv("KITHKIN_REQUIRE_SERVERS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Dovecot is not installed"):
        dovecot_or_skip()
    monkeypatch.setenv("KITHKIN_REQUIRE_SERVERS", "1")
    with pytest.raises(pytest.fail.Exception, match="KITHKIN_REQUIRE_SERVERS=1"):
        dovecot_or_skip()
