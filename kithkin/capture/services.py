"""Connected accounts of every kind: listing, removing, syncing one or all, and the schedule's
round. Each kind's own work is in its module (``mail``, ``calendars``, ``addressbooks``)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from filelock import FileLock, Timeout

from kithkin.capture.models import Source
from kithkin.core import clock
from kithkin.core.errors import NotFound
from kithkin.lib.private_files import private_dir


def list_sources(owner: User, kind: str | None = None) -> list[Source]:
    sources = Source.objects.for_owner(owner)
    if kind is not None:
        sources = sources.filter(kind=kind)
    return list(sources.order_by("kind", "name", "id"))


def get_source(owner: User, pk: int, kinds: tuple[str, ...]) -> Source:
    """The owner's source ``pk`` of one of ``kinds``; NotFound otherwise (another owner's too)."""
    found = Source.objects.for_owner(owner).filter(pk=pk, kind__in=kinds).first()
    if found is None:
        raise NotFound("ID", f"no connected account of yours has id {pk}")
    return found


def remove_source(owner: User, pk: int, kinds: tuple[str, ...]) -> Source:
    """Forget a connected account and its password. What its syncs brought in stays (each sync
    is an import: undo it on the imports page to take it back)."""
    source = get_source(owner, pk, kinds)
    source.delete()
    return source


@dataclass
class Synced:
    """What one sync of one account did: the import it recorded (None when nothing was new), its
    counts ({"touches_created": 2, …}), and the one-line error that stopped it, if any."""

    source: Source
    import_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.source.pk,
            "kind": self.source.kind,
            "name": self.source.name,
            "import_id": self.import_id,
            "counts": self.counts,
            "error": self.error,
        }


# Each kind's sync, by the module that does it: ``sync_source(owner, source, now=…) -> Synced``.
_SYNCS = {
    Source.Kind.MAIL: "kithkin.capture.mail",
    Source.Kind.CALENDAR: "kithkin.capture.calendars",
    Source.Kind.CALDAV: "kithkin.capture.calendars",
    Source.Kind.CARDDAV: "kithkin.capture.addressbooks",
}


# What a sync says when another one of the same account is still running.
BUSY = "it is being synced already (by the schedule, or in another window); try again in a moment"


@contextmanager
def alone(source: Source) -> Iterator[bool]:
    """Whether this is the only sync of ``source`` running, held for the block: two at once (the
    schedule and the command line) would both log the same new email or meeting, or both import a
    new card and make two people of it. A lock file in the data directory: it keeps apart the
    processes of one machine (a server's several need ``schedule.claim`` besides)."""
    folder = private_dir(Path(settings.DATA_DIR) / "capture")
    lock = FileLock(folder / f"source-{source.pk}.lock", blocking=False)
    try:
        lock.acquire()
    except Timeout:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def sync_source(owner: User, source: Source, *, now: datetime | None = None, **options: Any) -> Synced:
    """Sync one account, unless another sync of it is running. A failure (a wrong password, a
    server that does not answer) is kept on the account and returned as ``error``, never raised:
    the other accounts carry on. ``options`` go to the kind's sync (``since`` for mail)."""
    module = importlib.import_module(_SYNCS[Source.Kind(source.kind)])
    with alone(source) as only:
        if not only:
            return Synced(source, error=f"{source.name}: {BUSY}")
        synced: Synced = module.sync_source(owner, source, now=now or clock.now(), **options)
    return synced


def sync_all(owner: User, kinds: tuple[str, ...], *, now: datetime | None = None) -> list[Synced]:
    """Sync each of the owner's accounts of ``kinds`` in turn."""
    return [sync_source(owner, source, now=now) for source in list_sources(owner) if source.kind in kinds]
