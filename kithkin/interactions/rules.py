"""What merging two people does to their touches: steps registered on people's merge hooks
(see ``kithkin.people.hooks``) by InteractionsConfig.ready()."""

from __future__ import annotations

from django.db.models import QuerySet

from kithkin.interactions.models import TouchParticipant
from kithkin.interactions.services import refresh_last_touch
from kithkin.people.hooks import Merged, MergeStep, Merging, merge_steps, people_merged


def _shared(merging: Merging) -> QuerySet[TouchParticipant]:
    """The dropped person's place in a touch the kept person was in too: the touch keeps one."""
    rows = TouchParticipant.objects.for_owner(merging.owner)
    return rows.filter(person=merging.drop, touch_id__in=rows.filter(person=merging.keep).values("touch_id"))


def count_touches(merging: Merging) -> int:
    rows = TouchParticipant.objects.for_owner(merging.owner).filter(person=merging.drop)
    return rows.count() - _shared(merging).count()


def move_touches(merging: Merging) -> int:
    _shared(merging).delete()
    rows = TouchParticipant.objects.for_owner(merging.owner).filter(person=merging.drop)
    return int(rows.update(person=merging.keep))


def refresh_last_touch_of_merged(merged: Merged) -> None:
    refresh_last_touch(merged.owner, [merged.person.pk])


def register() -> None:
    """Touches move first (order 10), and the last touch is worked out again before the
    follow-ups app re-plans the check-in that waits from it (order 20)."""
    merge_steps.register("interactions.touches", MergeStep(move_touches, count_touches, "touches"), order=10)
    people_merged.register("interactions.last_touch", refresh_last_touch_of_merged, order=10)
