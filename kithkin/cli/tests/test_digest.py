"""`kithkin digest`, `kithkin settings --digest` and `kithkin worker`."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kithkin.accounts.models import Profile
from kithkin.accounts.services import get_or_create_local_owner
from kithkin.testing import make_user, run_json, smtp_server

pytestmark = pytest.mark.usefixtures("frozen")
KITHKIN = str(Path(sys.executable).with_name("kithkin"))


def a_thank_you_due(kithkin):
    """Ana and yesterday's coffee: a thank-you that `kithkin due` lists."""
    run_json(kithkin, "add", "Ana Ruiz", "--closeness", "close")
    run_json(kithkin, "log", "coffee", "Ana", "--at", "2 days ago")
    [thank_you] = [f for f in run_json(kithkin, "due") if f["kind"] == "thank_you"]
    return thank_you


def test_the_digest_is_turned_on_with_an_address_and_a_time(kithkin):
    code, _, err = kithkin("settings", "--digest", "on")
    assert code == 1 and err.startswith("kithkin: error: --digest: ") and "address" in err
    settings = run_json(kithkin, "settings", "--email", "me@example.com", "--digest", "on", "--digest-at", "6:45")
    assert settings["digest"] == {"on": True, "at": "06:45"} and settings["email"] == "me@example.com"
    code, out, _ = kithkin("settings")
    assert "daily digest   on, at 06:45" in out
    code, _, err = kithkin("settings", "--digest-at", "noon")
    assert code == 1 and err.startswith("kithkin: error: --digest-at: ")
    code, _, err = kithkin("settings", "--digest", "maybe")
    assert code == 1 and "expected on or off" in err
    assert run_json(kithkin, "settings", "--digest", "off")["digest"]["on"] is False


def test_digest_prints_the_plain_text_naming_what_is_due(kithkin):
    thank_you = a_thank_you_due(kithkin)
    code, out, err = kithkin("digest")
    assert (code, err) == (0, "")
    assert out.startswith("Good morning. Your day in Kithkin, Sunday 22 November.")
    assert thank_you["reason"] in out and "Turn it on: http" in out


def test_digest_send_says_in_one_line_what_is_missing(kithkin, settings):
    settings.EMAIL_CONFIGURED = False
    code, _, err = kithkin("digest", "--send")
    assert code == 1 and err.startswith("kithkin: error: EMAIL_URL: is not set") and err.count("\n") == 1
    settings.EMAIL_CONFIGURED = True
    code, _, err = kithkin("digest", "--send")
    assert code == 1 and err.startswith("kithkin: error: --email: you have no address") and err.count("\n") == 1


def test_acceptance_digest_send_delivers_one_message_naming_a_follow_up_that_due_lists(kithkin, mailbox):
    thank_you = a_thank_you_due(kithkin)
    run_json(kithkin, "settings", "--email", "me@example.com")
    code, out, err = kithkin("digest", "--send")
    assert (code, err) == (0, "") and out == "Sent today's digest to me@example.com.\n"
    [delivered] = mailbox.delivered
    assert delivered.rcpt_tos == ["me@example.com"]
    assert thank_you["reason"] in delivered.message.get_body(("plain",)).get_content()


def test_digest_for_another_account_by_its_address(kithkin, mailbox):
    bea = make_user("bea")
    bea.email = "bea@example.com"
    bea.save()
    code, out, _ = kithkin("digest", "--user", "BEA@example.com", "--send")
    assert code == 0 and out == "Sent today's digest to bea@example.com.\n"
    assert [d.rcpt_tos for d in mailbox.delivered] == [["bea@example.com"]]
    code, _, err = kithkin("digest", "--user", "nobody@example.com")
    assert code == 1 and "no account has the address nobody@example.com" in err


@pytest.mark.slow
@pytest.mark.usefixtures("db")
def test_worker_without_a_mail_server_syncs_accounts_and_says_it_sends_no_digests(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_URL"}}
    env["KITHKIN_DATA_DIR"] = str(tmp_path / "data")
    worker = subprocess.Popen([KITHKIN, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Both lines it prints before it waits, read through the pipe's buffer: communicate()
        # reads the pipe itself, and would miss a line readline() had buffered.
        started = [worker.stdout.readline(), worker.stdout.readline()] if worker.stdout else []
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, err
    assert [line.strip() for line in started] == [
        "Syncing connected accounts every 30 minutes. No EMAIL_URL is set, so no digests are sent.",
        "Press Ctrl+C to stop.",
    ]
    assert out.splitlines() == ["Stopped."]


@pytest.mark.slow
@pytest.mark.usefixtures("db")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_worker_sends_the_digests_due_and_stops_cleanly(tmp_path, stop):
    """`kithkin worker` as it runs on a server: its own process, EMAIL_URL pointing at a real SMTP
    server, a digest due (its time, 00:00, is past), then SIGTERM (a service manager) or SIGINT
    (Ctrl-C)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["KITHKIN_DATA_DIR"] = str(tmp_path / "data")
    subprocess.run(
        [KITHKIN, "settings", "--email", "me@example.com", "--digest", "on", "--digest-at", "00:00"],
        env=env,
        capture_output=True,
        check=True,
    )
    with smtp_server() as mailbox:
        env["EMAIL_URL"] = mailbox.url
        worker = subprocess.Popen(
            [KITHKIN, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            assert mailbox.arrived.wait(timeout=60), worker.stderr and worker.stderr.read()
            worker.send_signal(stop)
            out, err = worker.communicate(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
    assert worker.returncode == 0, err
    assert out.splitlines() == [
        "Sending the daily digests as they fall due and syncing connected accounts every 30 minutes.",
        "Press Ctrl+C to stop.",
        "Stopped.",
    ]
    assert [d.rcpt_tos for d in mailbox.delivered] == [["me@example.com"]]


def test_the_local_owner_starts_with_the_digest_off(kithkin):
    assert Profile.objects.get(owner=get_or_create_local_owner()).is_digest_on is False


@pytest.mark.slow
@pytest.mark.usefixtures("db")
def test_acceptance_as_a_new_user_types_it_with_email_url_pointing_at_a_real_smtp_server(tmp_path):
    """Issue 18's acceptance, each command a process of its own on a fresh data directory."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["KITHKIN_DATA_DIR"] = str(tmp_path / "data")

    def kithkin(*args: str) -> str:
        return subprocess.run([KITHKIN, *args], env=env, capture_output=True, text=True, check=True).stdout

    kithkin("add", "Ana Ruiz")
    kithkin("log", "coffee", "Ana", "--at", "2 days ago")
    [thank_you] = [f["reason"] for f in json.loads(kithkin("due", "--json")) if f["kind"] == "thank_you"]
    kithkin("settings", "--email", "me@example.com")
    with smtp_server() as mailbox:
        env["EMAIL_URL"] = mailbox.url
        assert kithkin("digest", "--send") == "Sent today's digest to me@example.com.\n"
    [delivered] = mailbox.delivered
    assert delivered.rcpt_tos == ["me@example.com"]
    assert thank_you in delivered.message.get_body(("plain",)).get_content()
    assert thank_you in delivered.message.get_body(("html",)).get_content()
