"""The one way a rule makes a follow-up, and closes the ones a cause made.

It sits below ``services`` and ``milestones`` (both make follow-ups; closing a birthday wish in
``services`` plans the next one in ``milestones``), so neither imports the other in a circle.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User

from kithkin.core import clock
from kithkin.followups.models import FollowUp
from kithkin.interactions.models import Touch
from kithkin.people.models import Person


def ensure_follow_up(
    owner: User,
    person: Person,
    kind: str,
    cause: str,
    *,
    due_at: datetime,
    reason: str,
    now: datetime | None = None,
    touch: Touch | None = None,
) -> FollowUp:
    """The pending follow-up of this kind for this person and cause, created by a rule of a higher
    app (an exchange, an introduction step, a milestone) if there is none. ``cause`` names what
    asked for it ("exchange:12", "intro:4:ask-a"), so asking twice never makes two."""
    now = now or clock.now()
    existing = FollowUp.objects.for_owner(owner).pending().filter(person=person, kind=kind, cause=cause).first()
    if existing is not None:
        return existing
    return FollowUp.objects.create(
        owner=owner,
        person=person,
        kind=kind,
        cause=cause,
        reason=reason[:300],
        due_at=due_at,
        remind_at=due_at,
        origin=FollowUp.Origin.RULE,
        touch=touch,
        created_at=now,
    )


def close_follow_ups(
    owner: User, causes: Iterable[str], *, status: str = FollowUp.Status.DONE, now: datetime | None = None
) -> int:
    """Close the pending follow-ups these causes made (a step answered, an ask settled): done
    unless ``status`` says skipped. Returns how many were closed."""
    now = now or clock.now()
    return (
        FollowUp.objects.for_owner(owner)
        .pending()
        .filter(cause__in=list(causes))
        .update(status=status, completed_at=now, snoozed_until=None)
    )
