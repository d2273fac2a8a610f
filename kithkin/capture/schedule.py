"""What `kithkin serve` (a thread) and `kithkin worker` run every minute: the daily digests that
are due (``digest.schedule``), and a sync of each connected account whose last one is older than
``settings.SYNC_MINUTES``.

An account is claimed by a conditional UPDATE of its ``last_synced_at`` (from the value read to
now), which one process alone can win, so two servers never sync the same account at once. A
failed sync is kept on the account (``last_error``) and tried again at the next interval, not
every minute.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections
from django.db.models import Q

from kithkin.capture.models import Source
from kithkin.capture.services import sync_source
from kithkin.core import clock
from kithkin.core.scopes import owner_scope, unscoped
from kithkin.digest.schedule import send_due

logger = logging.getLogger(__name__)

# How often the schedule looks for work.
EVERY_SECONDS = 60


def due_sources(now: datetime) -> list[Source]:
    """The connected accounts of active users not synced for ``settings.SYNC_MINUTES``, the
    longest waiting first, but for address books whose first sync is still to be looked at.
    One query over every account."""
    cutoff = now - timedelta(minutes=settings.SYNC_MINUTES)
    # Unscoped: the schedule runs for every user; each sync then runs in its owner's scope.
    with unscoped():
        return list(
            Source.objects.filter(owner__is_active=True)
            .filter(Q(last_synced_at__isnull=True) | Q(last_synced_at__lte=cutoff))
            # An address book waits for its owner to look at its first sync (addressbooks.py).
            .exclude(kind=Source.Kind.CARDDAV, is_confirmed=False)
            .select_related("owner")
            .order_by("last_synced_at", "id")
        )


def claim(source: Source, now: datetime) -> bool:
    """Mark ``source`` as synced at ``now`` if no other process has since it was read."""
    # ``last_synced_at=None`` is written IS NULL by Django: one condition for both cases.
    with unscoped():
        changed = Source.objects.filter(pk=source.pk, last_synced_at=source.last_synced_at).update(last_synced_at=now)
    return changed == 1


def sync_due(now: datetime | None = None) -> int:
    """Sync every connected account that is due and that this process claims; how many ran. A
    failure is the account's own (kept on it); it never stops the others."""
    now = now or clock.now()
    ran = 0
    for source in due_sources(now):
        if not claim(source, now):
            continue
        try:
            with owner_scope(source.owner):
                synced = sync_source(source.owner, source, now=now)
        except Exception:  # a bug in one kind's sync: logged, and the next account goes on
            logger.exception("capture: the sync of connected account %s failed", source.pk)
            continue
        if synced.error:
            logger.warning("capture: %s", synced.error)
        ran += 1
    return ran


def run_round(now: datetime | None = None) -> None:
    """One round: the digests due (when a mail server is set), then the syncs due."""
    if settings.EMAIL_CONFIGURED:
        send_due(now)
    sync_due(now)


def run_schedule(stop: threading.Event, seconds: float = EVERY_SECONDS) -> None:
    """A round now and every ``seconds`` after, until ``stop`` is set."""
    while not stop.is_set():
        try:
            run_round()
        except Exception:  # the database busy or gone for a moment: the next round tries again
            logger.exception("schedule: the round failed; it runs again in %s seconds", seconds)
        finally:
            connections.close_all()
        stop.wait(seconds)
