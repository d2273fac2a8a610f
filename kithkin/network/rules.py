"""When a tie's strength is worked out again: its touches or ledger changed, or how you know the
person did (τ depends on circle, closeness and the day you met). Registered by NetworkConfig.ready()."""

from __future__ import annotations

from kithkin.exchanges.hooks import ExchangeRecorded, exchange_recorded
from kithkin.interactions.hooks import TouchesChanged, touches_changed
from kithkin.network.models import RekindleChoice, Strength
from kithkin.network.services import refresh_strengths
from kithkin.people.hooks import (
    ChangedField,
    Merged,
    MergeStep,
    Merging,
    PeopleChanged,
    PersonChanged,
    merge_steps,
    people_changed,
    people_merged,
    person_changed,
)

MOVES_STRENGTH: frozenset[ChangedField] = frozenset({"circle", "closeness", "met_on"})


def refresh_after_touches(event: TouchesChanged) -> None:
    refresh_strengths(event.owner, event.person_ids)


def refresh_after_exchange(event: ExchangeRecorded) -> None:
    refresh_strengths(event.owner, [event.exchange.person_id])


def refresh_after_edit(event: PersonChanged) -> None:
    # Someone just added has no history yet.
    if not event.created:
        refresh_strengths(event.owner, [event.person.pk], now=event.now)


def refresh_after_bulk_edit(event: PeopleChanged) -> None:
    if event.fields & MOVES_STRENGTH:
        refresh_strengths(event.owner, event.person_ids, now=event.now)


def drop_merged_strength(merging: Merging) -> int:
    """One row per person: the dropped person's strength goes (the kept person's is worked out
    again from both histories once they are one), and their rekindle choice if the kept person
    has one. Without this the move of every other relation broke the one-to-one."""
    Strength.objects.for_owner(merging.owner).filter(person=merging.drop).delete()
    choices = RekindleChoice.objects.for_owner(merging.owner)
    if choices.filter(person=merging.keep).exists():
        choices.filter(person=merging.drop).delete()
    return 0


def refresh_after_merge(merged: Merged) -> None:
    refresh_strengths(merged.owner, [merged.person.pk], now=merged.now)


def register() -> None:
    touches_changed.register("network.strength", refresh_after_touches, order=10)
    exchange_recorded.register("network.strength", refresh_after_exchange, order=10)
    person_changed.register("network.strength", refresh_after_edit, order=30)
    people_changed.register("network.strength", refresh_after_bulk_edit, order=30)
    merge_steps.register("network.strength", MergeStep(drop_merged_strength), order=90)
    people_merged.register("network.strength", refresh_after_merge, order=30)
