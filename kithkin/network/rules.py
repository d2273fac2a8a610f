"""When a tie's strength is worked out again: its touches or ledger changed, or how you know the
person did (τ depends on circle, closeness and the day you met). Registered by NetworkConfig.ready()."""

from __future__ import annotations

from kithkin.exchanges.hooks import ExchangeRecorded, exchange_recorded
from kithkin.interactions.hooks import TouchesChanged, touches_changed
from kithkin.network.services import is_paused, refresh_strengths
from kithkin.people.hooks import ChangedField, PeopleChanged, PersonChanged, people_changed, person_changed

MOVES_STRENGTH: frozenset[ChangedField] = frozenset({"circle", "closeness", "met_on"})


def refresh_after_touches(event: TouchesChanged) -> None:
    if not is_paused():
        refresh_strengths(event.owner, event.person_ids)


def refresh_after_exchange(event: ExchangeRecorded) -> None:
    if not is_paused():
        refresh_strengths(event.owner, [event.exchange.person_id])


def refresh_after_edit(event: PersonChanged) -> None:
    # Someone just added has no history yet.
    if not event.created:
        refresh_strengths(event.owner, [event.person.pk], now=event.now)


def refresh_after_bulk_edit(event: PeopleChanged) -> None:
    if event.fields & MOVES_STRENGTH:
        refresh_strengths(event.owner, event.person_ids, now=event.now)


def register() -> None:
    """A merge needs no step of its own: the kept person's one row stands (people/merge.py) and the
    merge's refresh of their last touch runs ``touches_changed``, which works it out again."""
    touches_changed.register("network.strength", refresh_after_touches, order=10)
    exchange_recorded.register("network.strength", refresh_after_exchange, order=10)
    person_changed.register("network.strength", refresh_after_edit, order=30)
    people_changed.register("network.strength", refresh_after_bulk_edit, order=30)
