"""kithkin mail add, list, sync, remove, suggestions, dismiss, accept — against a real IMAP server."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kithkin.capture.models import Source
from kithkin.capture.tests.mailbox import LENA, MARTA, ME, NEWS, at
from kithkin.followups.models import FollowUp
from kithkin.testing import NOW, run_json
from kithkin.testing_mail import ImapServer, imap_server, message

KITHKIN = str(Path(sys.executable).with_name("kithkin"))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ImapServer]:
    with imap_server(tmp_path, username=ME) as running:
        yield running


@pytest.fixture
def password_file(tmp_path: Path, server: ImapServer) -> str:
    path = tmp_path / "password"
    path.write_text(server.password + "\n")
    return str(path)


def add_account(kithkin, server: ImapServer, password_file: str, *more: str) -> tuple[int, str, str]:
    return kithkin(
        "mail", "add", "--host", server.host, "--port", str(server.port), "--user", ME,
        "--password-file", password_file, "--plain", *more,
    )  # fmt: skip


def test_acceptance_a_thread_becomes_a_touch_and_a_newsletter_nothing(kithkin, server, password_file, frozen):
    frozen.move_to(NOW - timedelta(days=90))
    marta = run_json(kithkin, "add", "Marta Sol", "--email", MARTA, "--closeness", "close")
    frozen.move_to(NOW)
    check_in = FollowUp.objects.get(person_id=marta["id"], kind=FollowUp.Kind.CHECK_IN).due_at
    # A two-way thread with Marta, a newsletter, and Lena (not in the network) who wrote back twice.
    server.add("Sent", message(ME, MARTA, at(0), message_id="t1@a"), at=at(0))
    server.add("INBOX", message(MARTA, ME, at(0.1), message_id="t2@m", replying_to=["t1@a"]), at=at(0.1))
    server.add("Sent", message(ME, MARTA, at(0.2), message_id="t3@a", replying_to=["t1@a", "t2@m"]), at=at(0.2))
    for n in range(3):
        news = message(
            f"Shop <{NEWS}>", ME, at(-n), message_id=f"n{n}@s", headers={"List-Unsubscribe": "<https://s/u>"}
        )
        server.add("INBOX", news, at=at(-n))
    for n in range(2):
        server.add("Sent", message(ME, f"Lena Fischer <{LENA}>", at(-5 - n), message_id=f"l{n}@a"), at=at(-5 - n))
        answer = message(f"Lena Fischer <{LENA}>", ME, at(-4.9 - n), message_id=f"r{n}@l", replying_to=[f"l{n}@a"])
        server.add("INBOX", answer, at=at(-4.9 - n))

    code, out, err = add_account(kithkin, server, password_file)
    assert code == 0, err
    assert f"connected {ME} on 127.0.0.1" in out
    code, out, err = kithkin("mail", "sync")
    assert code == 0, err
    assert f"{ME} on 127.0.0.1: 10 new messages read, 1 email touch logged (import #" in out

    shown = run_json(kithkin, "show", "Marta Sol")
    assert [(t["kind"], t["initiated_by"]) for t in shown["touches"]] == [("email", "me")]
    code, out, _ = kithkin("show", "Marta Sol")
    assert "email" in out
    assert FollowUp.objects.get(person_id=marta["id"], kind=FollowUp.Kind.CHECK_IN, status="open").due_at > check_in
    assert not FollowUp.objects.filter(kind=FollowUp.Kind.THANK_YOU).exists()
    assert [p["name"] for p in run_json(kithkin, "people")] == ["Marta Sol"]
    suggestions = run_json(kithkin, "mail", "suggestions")
    assert [(s["address"], s["received"]) for s in suggestions] == [(LENA, 2)]
    assert suggestions[0]["sentence"] == "You exchanged 4 emails with Lena Fischer since November. Add them?"
    imports = run_json(kithkin, "imports")

    code, out, _ = kithkin("mail", "sync")
    assert code == 0 and f"{ME} on 127.0.0.1: nothing new" in out and "import #" not in out
    assert run_json(kithkin, "imports") == imports
    assert len(run_json(kithkin, "show", "Marta Sol")["touches"]) == 1
    assert run_json(kithkin, "mail", "suggestions") == suggestions


def test_list_remove_and_the_password_never_shown(kithkin, server, password_file, capsys):
    code, out, err = add_account(kithkin, server, password_file, "--me", "ana@alias.example", "--json")
    assert code == 0
    listed = run_json(kithkin, "mail", "list")
    assert [(a["name"], a["security"], a["me"], a["last_synced_at"]) for a in listed] == [
        (f"{ME} on 127.0.0.1", "plain", ["ana@alias.example"], None)
    ]
    code, out, _ = kithkin("mail", "list")
    assert f"{ME} on 127.0.0.1" in out and "never" in out
    assert server.password not in str(listed) + out

    code, out, _ = kithkin("mail", "remove", str(listed[0]["id"]))
    assert code == 0 and "removed" in out
    assert run_json(kithkin, "mail", "list") == []
    code, _, err = kithkin("mail", "remove", str(listed[0]["id"]))
    assert code == 1 and f"no connected account of yours has id {listed[0]['id']}" in err


def test_a_wrong_password_is_refused_on_add_and_one_line_on_sync(kithkin, server, password_file, tmp_path, monkeypatch):
    wrong = tmp_path / "wrong"
    wrong.write_text("not-it\n")
    code, out, err = add_account(kithkin, server, str(wrong))
    assert code == 1 and err.strip() == "kithkin: error: --password-file: wrong password (or user name)"
    assert "not-it" not in out + err

    # The password given on stdin; a second account whose server is gone fails alone.
    monkeypatch.setattr("sys.stdin", io.StringIO(server.password + "\n"))
    assert add_account(kithkin, server, "-")[0] == 0
    gone = Source.objects.get()
    Source.objects.create(
        owner=gone.owner, kind="mail", name="old@example.com on 127.0.0.1", host="127.0.0.1", port=1,
        security="plain", username="old@example.com", secret=gone.secret, created_at=gone.created_at,
    )  # fmt: skip
    code, out, err = kithkin("mail", "sync")
    assert code == 1
    assert "old@example.com on 127.0.0.1: cannot reach 127.0.0.1:1 (connection refused)" in out
    assert f"{ME} on 127.0.0.1: nothing new" in out
    assert server.password not in out + err


def test_plain_imap_to_another_machine_is_refused(kithkin, password_file):
    code, _, err = kithkin(
        "mail", "add", "--host", "imap.example.com", "--user", ME, "--password-file", password_file, "--plain"
    )
    assert code == 1
    assert err.startswith("kithkin: error: --host: plain IMAP (no TLS) is only for this machine")
    assert len(err.strip().splitlines()) == 1


def test_accept_and_dismiss_suggestions(kithkin, server, password_file, frozen):
    for n, who in enumerate((LENA, "jo@example.net")):
        server.add("Sent", message(ME, who, at(-3 + n), message_id=f"s{n}@a"), at=at(-3 + n))
        server.add(
            "INBOX", message(who, ME, at(-2.5 + n), message_id=f"a{n}@b", replying_to=[f"s{n}@a"]), at=at(-2.5 + n)
        )
    add_account(kithkin, server, password_file)
    kithkin("mail", "sync")
    code, out, _ = kithkin("mail", "suggestions")
    assert "jo@example.net: You exchanged 2 emails with jo@example.net since November. Add them?" in out

    code, out, _ = kithkin("mail", "accept", LENA)
    assert code == 0 and "added Lena Fischer (#" in out
    code, out, _ = kithkin("mail", "dismiss", "jo@example.net")
    assert code == 0 and "will not be suggested again" in out
    assert run_json(kithkin, "mail", "suggestions") == []
    code, _, err = kithkin("mail", "accept", LENA)
    assert code == 1 and "ADDRESS: lena.fischer@example.net is already Lena Fischer's" in err
    code, _, err = kithkin("mail", "dismiss", "who@example.com")
    assert code == 1 and "no one you exchanged mail with has the address who@example.com" in err


@pytest.mark.slow
@pytest.mark.usefixtures("db")
def test_a_mailbox_over_tls_and_over_starttls_with_a_certificate_the_user_trusts(tmp_path):
    """As on a server whose IMAP certificate comes from a private authority: the user points
    SSL_CERT_FILE at it. Its own processes, as the user runs them (OpenSSL reads that variable
    once per process)."""
    with imap_server(tmp_path, username=ME, tls=True) as secure:
        secure.add("Sent", message(f"Me <{ME}>", LENA, at(1), message_id="tls-1@example.com"))
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
        env |= {"KITHKIN_DATA_DIR": str(tmp_path / "data"), "SSL_CERT_FILE": str(secure.certificate)}

        def kithkin(*args: str) -> str:
            done = subprocess.run(
                [KITHKIN, *args], env=env, input=secure.password, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, done.stderr
            return done.stdout

        kithkin(
            "mail", "add", "--host", "127.0.0.1", "--port", str(secure.tls_port), "--user", ME, "--password-file", "-"
        )
        kithkin(
            "mail",
            "add",
            "--host",
            "localhost",
            "--port",
            str(secure.port),
            "--starttls",
            "--user",
            ME,
            "--password-file",
            "-",
        )
        synced = json.loads(kithkin("mail", "sync", "--json"))
    assert [(s["error"], s["counts"]["messages_read"]) for s in synced] == [("", 1), ("", 1)]
