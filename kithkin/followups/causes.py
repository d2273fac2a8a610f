"""What made a follow-up, and the one way a rule makes or closes one.

A follow-up's cause is a generic relation (``FollowUp.cause``) to the object that made it: the
touch for a thank-you or a close-the-loop, the exchange for a thank-you for help or an
introducer's close-the-loop, the introduction for its steps, the milestone for a
congratulation, and the person themselves for a check-in, a birthday wish or a reminder set by
hand; ``cause_key`` holds what is not an id (see the keys below, an introduction's step).

This module sits below ``services`` and ``milestones`` (both make follow-ups; closing a birthday
wish in ``services`` plans the next one in ``milestones``), so neither imports the other in a
circle.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models

from kithkin.core import clock
from kithkin.followups.models import FollowUp
from kithkin.interactions.models import Touch
from kithkin.people.models import Person

# The key of the check-in the cadence plans (its cause is the person).
CADENCE = "cadence"
# A birthday wish's key is the year of the birthday ("2027"); a reminder set by hand has a random
# key of its own, so that one person may have several.


def person_type_id() -> int:
    """The content type of Person: the cause of what a person is owed for being themselves (a
    check-in, a birthday wish, a reminder). Django caches it after the first call."""
    return ContentType.objects.get_for_model(Person).pk


def is_birthday_wish(follow_up: FollowUp) -> bool:
    return follow_up.kind == FollowUp.Kind.CONGRATULATE and follow_up.cause_type_id == person_type_id()


def ensure_follow_up(
    owner: User,
    person: Person,
    kind: str,
    cause: models.Model,
    *,
    key: str = "",
    due_at: datetime,
    reason: str,
    now: datetime | None = None,
    touch: Touch | None = None,
    origin: str = FollowUp.Origin.RULE,
) -> FollowUp:
    """The pending follow-up of this kind for this person made by ``cause`` (with ``key``),
    created if there is none, so that asking twice never makes two: a touch's thank-you (origin
    touch), a rule of a higher app (an exchange, an introduction step, a milestone)."""
    now = now or clock.now()
    existing = (
        FollowUp.objects.for_owner(owner)
        .pending()
        .caused_by(cause, keys=(key,))
        .filter(person=person, kind=kind)
        .first()
    )
    if existing is not None:
        return existing
    return FollowUp.objects.create(
        owner=owner,
        person=person,
        kind=kind,
        cause=cause,
        cause_key=key,
        reason=reason[:300],
        due_at=due_at,
        remind_at=due_at,
        origin=origin,
        touch=touch,
        created_at=now,
    )


def close_follow_ups(
    owner: User,
    cause: models.Model,
    *,
    keys: tuple[str, ...] = (),
    status: str = FollowUp.Status.DONE,
    now: datetime | None = None,
) -> int:
    """Close the pending follow-ups ``cause`` made (those with one of ``keys``, if given): a step
    answered, an introduction dropped. Done unless ``status`` says skipped. Returns how many were
    closed."""
    now = now or clock.now()
    return (
        FollowUp.objects.for_owner(owner)
        .pending()
        .caused_by(cause, keys=keys)
        .update(status=status, completed_at=now, snoozed_until=None)
    )
