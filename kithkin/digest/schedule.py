"""When digests go out by themselves: `kithkin serve` (a thread) and `kithkin worker` each run
``capture.schedule.run_schedule``, which every minute sends the digests that are due (``send_due``).

A digest is due once the owner's local time has passed their digest time and none has gone out
for their local today. The profile's ``digest_sent_on`` is both the record and the claim: a
process sends only after a conditional UPDATE moved it to today, which one process alone can
win, so two servers (or a server and a worker) never both send. A send that fails gives the claim
back, and the next minute tries again; a process that stopped overnight sends the morning's
digest when it starts again, however late.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db.models import Q

from kithkin.accounts.models import Profile
from kithkin.core import clock
from kithkin.core.scopes import owner_scope, unscoped
from kithkin.digest.services import send

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    owner: User
    local_date: date  # the owner's today, which the digest is for
    last_sent_on: date | None  # what the claim gives back if the send fails


def due(now: datetime) -> list[Due]:
    """The digests due at ``now``: active accounts with the digest on and an address, past their
    time of day, with none sent for their local today. One query over the accounts."""
    # Unscoped: the schedule runs for every account; each digest is then made in its owner's scope.
    with unscoped():
        profiles = list(
            Profile.objects.filter(is_digest_on=True, owner__is_active=True)
            .exclude(owner__email="")
            .select_related("owner")
            .order_by("owner_id")
        )
    found = []
    for profile in profiles:
        local = now.astimezone(profile.tz)
        sent = profile.digest_sent_on
        if local.time() >= profile.digest_time and (sent is None or sent < local.date()):
            found.append(Due(profile.owner, local.date(), sent))
    return found


def claim(owner_id: int, local_date: date) -> bool:
    """Mark the owner's digest for ``local_date`` as sent, if no one has: True for the one
    process whose UPDATE changed the row, False for every other."""
    with unscoped():
        changed = (
            Profile.objects.filter(owner_id=owner_id, is_digest_on=True)
            .filter(Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=local_date))
            .update(digest_sent_on=local_date)
        )
    return changed == 1


def release(owner_id: int, local_date: date, last_sent_on: date | None) -> None:
    """Give a claim back after a failed send, so that the next round tries again."""
    with unscoped():
        Profile.objects.filter(owner_id=owner_id, digest_sent_on=local_date).update(digest_sent_on=last_sent_on)


def send_due(now: datetime | None = None) -> int:
    """Send every digest due at ``now`` that this process claims; how many went out. One that
    fails is logged and released, and does not keep the others from going."""
    now = now or clock.now()
    sent = 0
    for found in due(now):
        if not claim(found.owner.pk, found.local_date):
            continue
        try:
            with owner_scope(found.owner):
                send(found.owner, now)
        except Exception:
            logger.exception(
                "digest: %s's digest was not sent; it is tried again in a minute", found.owner.get_username()
            )
            release(found.owner.pk, found.local_date, found.last_sent_on)
        except BaseException:  # Ctrl-C in the middle of a send: the next round (or process) sends it
            release(found.owner.pk, found.local_date, found.last_sent_on)
            raise
        else:
            sent += 1
    return sent
