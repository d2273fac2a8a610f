"""The schedule that `kithkin serve` and `kithkin worker` run: digests, and syncs of connected
accounts as they fall due, each account claimed by one process alone."""

import threading
from datetime import UTC, datetime, timedelta

import pytest

from kithkin.capture import schedule
from kithkin.capture.models import Source
from kithkin.capture.services import Synced

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def source(owner, name="ana@example.com", synced_at=None):
    return Source.objects.create(
        owner=owner, kind=Source.Kind.MAIL, name=name, created_at=NOW - timedelta(days=1), last_synced_at=synced_at
    )


@pytest.fixture
def synced(monkeypatch):
    """The syncs the schedule ran, by account name (each kind's sync is tested on its own)."""
    ran: list[str] = []

    def fake(owner, source, *, now):
        ran.append(source.name)
        return Synced(source)

    monkeypatch.setattr(schedule, "sync_source", fake)
    return ran


def test_accounts_never_synced_or_not_for_the_interval_are_synced(alice, bob, synced, settings):
    settings.SYNC_MINUTES = 30
    source(alice, "never")
    source(alice, "long ago", NOW - timedelta(minutes=31))
    source(alice, "just now", NOW - timedelta(minutes=5))
    source(bob, "bob's", NOW - timedelta(hours=2))
    assert schedule.sync_due(NOW) == 3
    assert sorted(synced) == ["bob's", "long ago", "never"]
    # Each is marked synced when claimed: the next minute runs none of them again.
    assert schedule.sync_due(NOW + timedelta(minutes=1)) == 0


def test_an_address_book_waiting_for_its_first_look_is_left_alone(alice, synced):
    Source.objects.create(owner=alice, kind=Source.Kind.CARDDAV, name="book", created_at=NOW)
    Source.objects.create(owner=alice, kind=Source.Kind.CARDDAV, name="seen", created_at=NOW, is_confirmed=True)
    assert schedule.sync_due(NOW) == 1
    assert synced == ["seen"]


def test_an_account_of_a_switched_off_user_is_not_synced(alice, synced):
    source(alice)
    alice.is_active = False
    alice.save()
    assert schedule.sync_due(NOW) == 0


def test_an_account_another_process_claimed_first_is_left_to_it(alice, synced):
    found = source(alice)
    stale = Source.objects.get(pk=found.pk)
    assert schedule.claim(found, NOW)
    assert not schedule.claim(stale, NOW + timedelta(seconds=1))  # it read last_synced_at as None


def test_one_account_failing_does_not_stop_the_others(alice, monkeypatch):
    source(alice, "broken")
    source(alice, "fine")
    ran = []

    def flaky(owner, source, *, now):
        if source.name == "broken":
            raise RuntimeError("a bug")
        ran.append(source.name)
        return Synced(source)

    monkeypatch.setattr(schedule, "sync_source", flaky)
    assert schedule.sync_due(NOW) == 1
    assert ran == ["fine"]


def test_a_round_without_a_mail_server_sends_no_digest_but_syncs(alice, synced, settings, monkeypatch):
    settings.EMAIL_CONFIGURED = False
    monkeypatch.setattr(schedule, "send_due", lambda now=None: pytest.fail("no digest without a mail server"))
    source(alice)
    schedule.run_round(NOW)
    assert synced == ["ana@example.com"]


def test_the_schedule_stops_when_asked(alice, synced):
    source(alice)
    stop = threading.Event()
    stop.set()
    schedule.run_schedule(stop)  # returns at once: nothing runs after stop is set
    assert synced == []
