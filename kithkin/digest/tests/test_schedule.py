"""When digests go out by themselves: once a day each, after the owner's time, never twice."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections

from kithkin.accounts.models import Profile
from kithkin.accounts.services import update_settings
from kithkin.digest import schedule
from kithkin.digest.schedule import claim, due, release, send_due
from kithkin.testing import make_user, threads_on_their_own_connections

MADRID = ZoneInfo("Europe/Madrid")


def at_madrid(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=MADRID)


@pytest.fixture
def ana(db):
    """In Madrid, with the digest on at 07:30."""
    user = make_user("ana", time_zone="Europe/Madrid")
    update_settings(user, email="ana@example.com", digest=True, digest_time="07:30")
    return user


def sent_on(user):
    return Profile.objects.get(owner=user).digest_sent_on


def test_a_digest_is_due_once_the_local_time_has_passed_the_digest_time(ana):
    assert due(at_madrid(7, 7, 29)) == []
    [found] = due(at_madrid(7, 7, 30))
    assert (found.owner, found.local_date, found.last_sent_on) == (ana, date(2026, 12, 7), None)
    # 07:30 in Madrid is 06:30 UTC: the owner's clock counts, not the server's.
    assert due(datetime(2026, 12, 7, 7, 0, tzinfo=ZoneInfo("UTC")))


def test_each_morning_it_goes_out_once(ana, mailbox):
    with time_machine.travel(at_madrid(7, 7, 31), tick=False) as traveller:
        assert send_due() == 1
        assert send_due() == 0
        traveller.move_to(at_madrid(7, 23, 59))
        assert send_due() == 0
        traveller.move_to(at_madrid(8, 7, 0))
        assert send_due() == 0
        traveller.move_to(at_madrid(8, 7, 30))
        assert send_due() == 1
    assert [d.rcpt_tos for d in mailbox.delivered] == [["ana@example.com"], ["ana@example.com"]]
    assert sent_on(ana) == date(2026, 12, 8)


def test_a_server_started_after_the_digest_time_still_sends_that_days(ana, mailbox):
    with time_machine.travel(at_madrid(7, 9, 0), tick=False):
        assert send_due() == 1
    assert len(mailbox.delivered) == 1


def test_the_digest_goes_only_to_active_accounts_with_it_on_and_an_address(ana, mailbox):
    off = make_user("bo", time_zone="Europe/Madrid")
    update_settings(off, email="bo@example.com")
    gone = make_user("cy", time_zone="Europe/Madrid")
    update_settings(gone, email="cy@example.com", digest=True)
    gone.is_active = False
    gone.save()
    # An address cleared behind the service's back (the admin, a restore) is skipped, not failed.
    no_address = make_user("di", time_zone="Europe/Madrid")
    update_settings(no_address, email="di@example.com", digest=True)
    no_address.email = ""
    no_address.save()
    assert [d.owner for d in due(at_madrid(7, 8, 0))] == [ana]


def test_only_one_of_two_claims_for_the_same_day_wins(ana):
    assert claim(ana.pk, date(2026, 12, 7)) is True
    assert claim(ana.pk, date(2026, 12, 7)) is False
    assert claim(ana.pk, date(2026, 12, 8)) is True


def test_a_claim_released_after_a_failed_send_is_tried_again(ana):
    assert claim(ana.pk, date(2026, 12, 8))
    release(ana.pk, date(2026, 12, 8), None)
    assert sent_on(ana) is None
    assert claim(ana.pk, date(2026, 12, 8))


def test_a_send_that_fails_gives_its_claim_back_and_the_next_minute_sends_it(ana, mailbox, settings):
    settings.EMAIL_PORT = mailbox.port + 1 if mailbox.port < 65535 else mailbox.port - 1  # nobody listens
    settings.EMAIL_TIMEOUT = 2
    with time_machine.travel(at_madrid(7, 7, 45), tick=False) as traveller:
        assert send_due() == 0
        assert sent_on(ana) is None
        settings.EMAIL_PORT = mailbox.port
        traveller.shift(timedelta(minutes=1))
        assert send_due() == 1
    assert len(mailbox.delivered) == 1 and sent_on(ana) == date(2026, 12, 7)


@pytest.mark.django_db(transaction=True)
def test_two_processes_claiming_at_once_send_one_digest(mailbox, tmp_path):
    """Two schedules (two servers, or a server and `kithkin worker`) wake in the same minute:
    each on its own database connection, only one wins the claim and sends."""
    user = make_user("ana", time_zone="Europe/Madrid")
    update_settings(user, email="ana@example.com", digest=True)
    ready = threading.Barrier(2)
    results = []

    def one_process() -> None:
        try:
            ready.wait()
            results.append(send_due(at_madrid(7, 8, 0)))
        finally:
            connections.close_all()

    with time_machine.travel(at_madrid(7, 8, 0), tick=False), threads_on_their_own_connections(tmp_path):
        threads = [threading.Thread(target=one_process) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(results) == [0, 1]
    assert len(mailbox.delivered) == 1


def test_a_send_interrupted_by_ctrl_c_gives_its_claim_back(ana, monkeypatch):
    def interrupted(owner, now):
        raise KeyboardInterrupt

    monkeypatch.setattr(schedule, "send", interrupted)
    with pytest.raises(KeyboardInterrupt):
        send_due(at_madrid(7, 8, 0))
    assert sent_on(ana) is None
