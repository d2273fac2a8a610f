"""What merging two people does to introductions: a step registered on people's merge hook
(see ``kithkin.people.hooks``) by IntroductionsConfig.ready()."""

from __future__ import annotations

from django.db.models import Q

from kithkin.introductions.models import Introduction
from kithkin.people.hooks import MergeStep, Merging, merge_steps


def remove_introduction_between(merging: Merging) -> int:
    """An introduction between the two people being merged introduces nobody: it goes. Any other
    introduction of the dropped person follows them to the kept one, as every row does."""
    keep, drop = merging.keep, merging.drop
    between = Q(person_a=keep, person_b=drop) | Q(person_a=drop, person_b=keep)
    _total, deleted = Introduction.objects.for_owner(merging.owner).filter(between).delete()
    return deleted.get(Introduction._meta.label, 0)


def register() -> None:
    """After touches (10) and follow-ups (20) have moved."""
    merge_steps.register("introductions.between", MergeStep(remove_introduction_between), order=30)
