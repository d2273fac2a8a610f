"""What merging two people does to introductions: a step registered on people's merge hook
(see ``kithkin.people.hooks``) by IntroductionsConfig.ready()."""

from __future__ import annotations

from django.db.models import Q

from kithkin.introductions.models import DeclinedMatch, Introduction
from kithkin.people.hooks import MergeStep, Merging, merge_steps


def remove_introduction_between(merging: Merging) -> int:
    """An introduction between the two people being merged introduces nobody: it goes. Any other
    introduction of the dropped person follows them to the kept one, as every row does."""
    keep, drop = merging.keep, merging.drop
    between = Q(person_a=keep, person_b=drop) | Q(person_a=drop, person_b=keep)
    _total, deleted = Introduction.objects.for_owner(merging.owner).filter(between).delete()
    return deleted.get(Introduction._meta.label, 0)


def move_declined_matches(merging: Merging) -> int:
    """A pair hidden as "not a good match" stays hidden with the kept person; a pair of the two
    being merged, or one the kept person has already, goes (stored smaller id first)."""
    keep, drop = merging.keep, merging.drop
    rows = DeclinedMatch.objects.for_owner(merging.owner)
    hidden = set(rows.filter(Q(first=keep) | Q(second=keep)).values_list("first_id", "second_id"))
    moved = 0
    for row in rows.filter(Q(first=drop) | Q(second=drop)):
        other = row.second_id if row.first_id == drop.pk else row.first_id
        pair = (min(keep.pk, other), max(keep.pk, other))
        if other == keep.pk or pair in hidden:
            row.delete()
            continue
        row.first_id, row.second_id = pair
        row.save(update_fields=["first", "second"])
        hidden.add(pair)
        moved += 1
    return moved


def register() -> None:
    """After touches (10) and follow-ups (20) have moved."""
    merge_steps.register("introductions.between", MergeStep(remove_introduction_between), order=30)
    merge_steps.register("introductions.declined", MergeStep(move_declined_matches), order=31)
