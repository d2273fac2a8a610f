"""Version stamps of what a cached answer was made from: the calendar feed is cached per owner
under the owner's stamp, and a change to what it shows (a follow-up, a person, a networking
block, the settings) moves the stamp on, so the next request builds it afresh.

The stamps live in Django's cache (a file cache in the data directory, shared by the server and
the CLI). A stamp starts at the time it was made, so a cleared cache never brings back an old one.
Moving one reads and writes a file (a third of a millisecond): a service that writes several stamped
rows moves each stamp once, after its transaction, within ``moved_once``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

_EVERYONE = "stamp:everyone"

# Within ``moved_once``: the owners whose stamp is to move when the block ends (None: everyone's).
_held: ContextVar[set[int | None] | None] = ContextVar("kithkin_stamps_held", default=None)


def _key(owner_id: int) -> str:
    return f"stamp:owner:{owner_id}"


def _get(key: str) -> int:
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key, 0)
    return int(value)


def stamp(owner_id: int) -> str:
    """The owner's stamp: it changes whenever ``bump`` is called for them (or for everyone)."""
    _move_held()  # what was written so far in a ``moved_once`` block shows in what is read next
    return f"{_get(_EVERYONE)}.{_get(_key(owner_id))}"


def bump(owner_id: int | None) -> None:
    """Move the owner's stamp on (``None``: everyone's, for a change whose owners are not known);
    within ``moved_once``, when the block ends."""
    held = _held.get()
    if held is not None:
        held.add(owner_id)
        return
    key = _EVERYONE if owner_id is None else _key(owner_id)
    with contextlib.suppress(ValueError):  # no stamp yet: the next one read starts afresh
        cache.incr(key)


def _move_held() -> None:
    held = _held.get()
    if held:
        token = _held.set(None)
        try:
            for owner_id in held:
                bump(owner_id)
        finally:
            _held.reset(token)
        held.clear()


@contextlib.contextmanager
def moved_once() -> Iterator[None]:
    """Within the block, each stamp the writes move is moved once, when the block ends (logging a
    touch writes a touch, its people and their follow-ups: one move, not three). Put it outside
    the block's transaction: the stamps then move after the commit, so that no page read between
    the first write and the commit is kept under the new stamp. A stamp read in the block moves
    what is held first. Nested blocks move theirs with the outermost."""
    if _held.get() is not None:
        yield
        return
    token = _held.set(set())
    try:
        yield
    finally:
        _move_held()
        _held.reset(token)


def kept(owner_id: int, what: str, make: Callable[[], T], *, seconds: int) -> T:
    """``make()``, kept in the cache under the owner's stamp: worked out again after any change to
    what the stamped models hold (``core.models.Stamped``), and at least every ``seconds``, so that
    what no stamp sees (a row deleted by a cascade) shows in time. ``make`` must return a value
    that is not None, and read only stamped models (or say why the rest may lag). The cache outlives
    the code (it is a folder in the data directory): ``what`` must change whenever the shape of
    what is kept does, or a new version reads an old value."""
    key = f"kept:{owner_id}:{stamp(owner_id)}:{what}"
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, timeout=seconds)
    return found
