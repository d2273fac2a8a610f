"""When a tie's strength is worked out again: its touches or ledger changed, or how you know the
person did (τ depends on circle, closeness and the day you met). Registered by NetworkConfig.ready()."""

from __future__ import annotations

from django.db.models import Q

from kithkin.exchanges.hooks import ExchangeRecorded, exchange_recorded
from kithkin.exchanges.models import Kind
from kithkin.imports.hooks import PeopleImported, people_imported
from kithkin.interactions.hooks import TouchesChanged, touches_changed
from kithkin.network.models import RecordedTie, RemovedTie, Tie
from kithkin.network.services import is_paused, refresh_strengths
from kithkin.network.ties import pair, refresh_ties, search_again
from kithkin.people.hooks import (
    ChangedField,
    Merged,
    MergeStep,
    Merging,
    PeopleChanged,
    PersonChanged,
    SearchRefreshed,
    merge_steps,
    people_changed,
    people_merged,
    person_changed,
    search_refreshed,
)

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


# --- ties between people (ties.py) ----------------------------------------------------------------


def ties_after_touches(event: TouchesChanged) -> None:
    # A touch with one person is evidence of no tie between two.
    if event.shared and not is_paused():
        refresh_ties(event.owner, event.person_ids)


def ties_after_exchange(event: ExchangeRecorded) -> None:
    """An introduction received (you met someone through them) or made (you introduced two)."""
    exchange = event.exchange
    if is_paused() or exchange.kind != Kind.INTRO:
        return
    ids = [exchange.person_id]
    if exchange.to_person_id:
        ids.append(exchange.to_person_id)
    if exchange.introduction_id:
        intro = exchange.introduction
        ids += [intro.person_a_id, intro.person_b_id] if intro else []
    refresh_ties(event.owner, ids)


def ties_after_edit(event: PersonChanged) -> None:
    """Their organization, role or who they met you through may have changed."""
    if not is_paused():
        refresh_ties(event.owner, [event.person.pk], now=event.now)


def ties_after_import(event: PeopleImported) -> None:
    if not is_paused():
        refresh_ties(event.owner, event.person_ids)


def ties_after_everyone(event: SearchRefreshed) -> None:
    # Everyone written anew (a restore, the demo): a network without ties may have some now.
    if event.person_ids is None:
        search_again(event.owner)


def ties_after_merge(event: Merged) -> None:
    refresh_ties(event.owner, [event.person.pk], now=event.now)


def move_pairs(merging: Merging) -> int:
    """What was said of the dropped person's ties holds for the kept one: recorded and removed
    ties are re-paired (none with themselves, none twice); found ties are found again after."""
    keep, drop, owner = merging.keep, merging.drop, merging.owner
    Tie.objects.for_owner(owner).filter(Q(first=drop) | Q(second=drop)).delete()
    models: tuple[type[RecordedTie] | type[RemovedTie], ...] = (RecordedTie, RemovedTie)
    for model in models:
        rows = model.objects.for_owner(owner)
        for row in list(rows.filter(Q(first=drop) | Q(second=drop))):
            other: int = row.second_id if row.first_id == drop.pk else row.first_id  # type: ignore[attr-defined]
            row.delete()
            if other == keep.pk:
                continue
            first, second = pair(keep.pk, other)
            if not rows.filter(first_id=first, second_id=second).exists():
                row.pk, row.first_id, row.second_id = None, first, second  # type: ignore[attr-defined]
                row.save(force_insert=True)
    return 0


def register() -> None:
    """A merge needs no step of its own: the kept person's one row stands (people/merge.py) and the
    merge's refresh of their last touch runs ``touches_changed``, which works it out again."""
    touches_changed.register("network.strength", refresh_after_touches, order=10)
    exchange_recorded.register("network.strength", refresh_after_exchange, order=10)
    person_changed.register("network.strength", refresh_after_edit, order=30)
    people_changed.register("network.strength", refresh_after_bulk_edit, order=30)
    touches_changed.register("network.ties", ties_after_touches, order=20)
    exchange_recorded.register("network.ties", ties_after_exchange, order=20)
    person_changed.register("network.ties", ties_after_edit, order=40)
    people_imported.register("network.ties", ties_after_import, order=10)
    search_refreshed.register("network.ties", ties_after_everyone, order=20)
    merge_steps.register("network.ties", MergeStep(move_pairs), order=40)
    people_merged.register("network.ties", ties_after_merge, order=40)
