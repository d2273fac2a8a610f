"""Settings → Connected accounts → Mail: connect a mailbox (signed in first), sync it now,
remove it after a confirmation, and add or dismiss the people it suggests; only your own."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.capture.mail import add_mail_account
from kithkin.capture.models import Correspondent, Source
from kithkin.capture.tests.mailbox import LENA, ME, at
from kithkin.interactions.models import Touch
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person
from kithkin.testing_mail import ImapServer, imap_server, message

CONNECTIONS = reverse("capture:connections")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ImapServer]:
    with imap_server(tmp_path, username=ME) as running:
        yield running


def form(server: ImapServer, **changes: str) -> dict[str, str]:
    return {
        "host": server.host,
        "port": str(server.port),
        "security": "plain",
        "username": ME,
        "password": server.password,
        **changes,
    }


def test_the_section_offers_to_connect_a_mailbox(signed_in):
    page = html.unescape(signed_in.get(CONNECTIONS).content.decode())
    assert 'id="mail-heading"' in page and "No mailbox yet" in page
    assert f'action="{reverse("capture:mail_add")}"' in page and 'type="password"' in page


def test_a_refused_mailbox_comes_back_with_why_and_without_its_password(signed_in, server):
    answer = signed_in.post(reverse("capture:mail_add"), form(server, password="not-it"))
    assert answer.status_code == 400
    page = html.unescape(answer.content.decode())
    assert "Wrong password (or user name)</small>" in page and "not-it" not in page
    answer = signed_in.post(reverse("capture:mail_add"), form(server, host="imap.example.com"))
    assert answer.status_code == 400 and "only for this machine" in html.unescape(answer.content.decode())
    assert not Source.objects.exists()


def test_folders_and_other_addresses_can_be_named_and_a_wrong_folder_is_said_next_to_it(signed_in, alice, server):
    answer = signed_in.post(reverse("capture:mail_add"), form(server, sent="Sent Items"))
    assert answer.status_code == 400
    page = html.unescape(answer.content.decode())
    assert re.search(r'id="mail-sent".*?Sent Items', page, re.S) and '<details class="more-filters" open>' in page
    assert not Source.objects.exists()
    signed_in.post(
        reverse("capture:mail_add"), form(server, sent="Sent", inbox="INBOX", me="ana@old.example, a@b.example")
    )
    source = Source.objects.for_owner(alice).get()
    assert source.options == {"sent": "Sent", "inbox": "INBOX", "me": ["ana@old.example", "a@b.example"]}


def test_connect_sync_now_and_remove(signed_in, alice, server, frozen):
    marta = make_person(alice, "Marta Sol", emails=["marta@example.org"])
    server.add("Sent", message(ME, "marta@example.org", at(0), message_id="1@a"), at=at(0))
    server.add("INBOX", message("marta@example.org", ME, at(0.1), message_id="2@m", replying_to=["1@a"]), at=at(0.1))

    answer = signed_in.post(reverse("capture:mail_add"), form(server), follow=True)
    page = html.unescape(answer.content.decode())
    assert f"Connected {ME} on 127.0.0.1" in page and "never synced" in page
    source = Source.objects.get(owner=alice)

    answer = signed_in.post(reverse("capture:mail_sync", args=[source.pk]), follow=True)
    page = html.unescape(answer.content.decode())
    assert f"{ME} on 127.0.0.1: 2 new messages read, 1 email touch logged." in page
    assert "last sync 22 Nov 2026, 10:00" in page
    assert list(Touch.objects.filter(people=marta).values_list("kind", flat=True)) == ["email"]

    confirm = signed_in.get(reverse("capture:mail_remove", args=[source.pk]))
    assert confirm.status_code == 200 and "Remove the mailbox" in confirm.content.decode()
    answer = signed_in.post(reverse("capture:mail_remove", args=[source.pk]), follow=True)
    assert "What its syncs logged stays" in html.unescape(answer.content.decode())
    assert not Source.objects.exists() and Touch.objects.filter(people=marta).exists()


def test_a_failed_sync_says_why_in_a_line(signed_in, alice, server, frozen):
    source = add_mail_account(
        alice, host=server.host, port=server.port, username=ME, password=server.password, security="plain"
    )
    Source.objects.filter(pk=source.pk).update(port=1)

    page = html.unescape(signed_in.post(reverse("capture:mail_sync", args=[source.pk]), follow=True).content.decode())

    assert f"{ME} on 127.0.0.1: cannot reach 127.0.0.1:1 (connection refused)" in page
    assert "Last sync failed: cannot reach 127.0.0.1:1" in page


def test_suggestions_are_added_or_dismissed(signed_in, alice, frozen):
    for address, name in ((LENA, "Lena Fischer"), ("jo@example.net", "")):
        Correspondent.objects.create(
            owner=alice, address=address, name=name, sent=2, received=1, first_at=NOW, last_at=NOW
        )
    page = html.unescape(signed_in.get(CONNECTIONS).content.decode())
    assert "You exchanged 3 emails with Lena Fischer since November. Add them?" in page

    signed_in.post(reverse("capture:mail_accept"), {"address": LENA})
    answer = signed_in.post(reverse("capture:mail_dismiss"), {"address": "jo@example.net"}, follow=True)

    assert Person.objects.get(owner=alice).full_name == "Lena Fischer"
    page = html.unescape(answer.content.decode())
    assert "jo@example.net will not be suggested again" in page and "No suggestions" in page


def test_another_users_mailbox_and_correspondents_are_not_found(signed_in, bob, server):
    theirs = add_mail_account(
        bob, host=server.host, port=server.port, username=ME, password=server.password, security="plain"
    )
    Correspondent.objects.create(owner=bob, address=LENA, sent=1, received=1, first_at=NOW, last_at=NOW)
    assert signed_in.post(reverse("capture:mail_sync", args=[theirs.pk])).status_code == 404
    assert signed_in.get(reverse("capture:mail_remove", args=[theirs.pk])).status_code == 404
    assert signed_in.post(reverse("capture:mail_remove", args=[theirs.pk])).status_code == 404
    assert signed_in.post(reverse("capture:mail_accept"), {"address": LENA}).status_code == 404
    assert signed_in.post(reverse("capture:mail_dismiss"), {"address": LENA}).status_code == 404
    assert Source.objects.filter(pk=theirs.pk).exists() and not Person.objects.exists()


def test_the_section_costs_the_same_queries_for_one_mailbox_or_several(signed_in, alice):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(CONNECTIONS).status_code == 200
        return len(captured)

    def more(n: int) -> None:
        Source.objects.create(
            owner=alice, kind="mail", name=f"a{n}@example.com on imap.example.com", host="imap.example.com",
            port=993, security="tls", username=f"a{n}@example.com", created_at=NOW,
        )  # fmt: skip
        Correspondent.objects.create(
            owner=alice, address=f"c{n}@example.net", sent=1, received=1, first_at=NOW, last_at=NOW
        )

    more(0)
    one = queries()
    for n in range(1, 4):
        more(n)
    assert queries() == one
