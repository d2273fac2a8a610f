"""Logging touches: the only code that creates them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from kithkin.core import clock
from kithkin.core.choices import parse_choice
from kithkin.core.errors import BadInput, NotFound
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.interactions.signals import touch_logged
from kithkin.people.models import Person

# A few minutes of clock skew between devices is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=5)


@transaction.atomic
def log_touch(
    owner: User,
    people: Sequence[Person],
    kind: str,
    happened_at: datetime,
    *,
    notes: str = "",
    advice: str = "",
    initiated_by: str = Touch.InitiatedBy.ME,
    thank: bool | None = None,
    now: datetime | None = None,
) -> Touch:
    """Record an interaction. The follow-up rules run on it (thank-you, close the loop,
    check-in), inside the same transaction.

    ``thank`` forces (True) or suppresses (False) the thank-you; None follows the kind.
    """
    now = now or clock.now()
    kind_value = parse_choice(Touch.Kind, kind, "kind")
    initiated = parse_choice(Touch.InitiatedBy, initiated_by, "initiated-by")
    if not people:
        raise BadInput("person", "name at least one person")
    if happened_at.tzinfo is None:
        raise BadInput("at", "needs a time zone")
    if happened_at > now + FUTURE_TOLERANCE:
        raise BadInput("at", f"{happened_at.isoformat(timespec='minutes')} is in the future; log touches that happened")
    unique: dict[int, Person] = {}
    for person in people:
        if person.owner_id != owner.pk:
            raise NotFound("person", "no such person")
        unique[person.pk] = person
    touch = Touch.objects.create(
        owner=owner,
        kind=kind_value,
        happened_at=happened_at,
        notes=notes.strip(),
        advice=advice.strip(),
        initiated_by=initiated,
        created_at=now,
    )
    TouchParticipant.objects.bulk_create(
        TouchParticipant(owner=owner, touch=touch, person=p, happened_at=happened_at) for p in unique.values()
    )
    refresh_last_touch(owner, list(unique))
    touch_logged.send(sender=Touch, owner=owner, touch=touch, people=list(unique.values()), thank=thank, now=now)
    return touch


def refresh_last_touch(owner: User, person_ids: Sequence[int]) -> None:
    """Set each person's ``last_touch_at`` to their latest touch, in whatever order touches came."""
    latest = dict(
        TouchParticipant.objects.for_owner(owner)
        .filter(person_id__in=person_ids)
        .values("person_id")
        .annotate(latest=Max("happened_at"))
        .values_list("person_id", "latest")
    )
    for person_id in person_ids:
        Person.objects.for_owner(owner).filter(pk=person_id).update(last_touch_at=latest.get(person_id))


def timeline(owner: User, person: Person) -> list[Touch]:
    """A person's touches, newest first, with their participants."""
    return list(
        Touch.objects.for_owner(owner)
        .filter(participants__person=person)
        .prefetch_related("participants__person")
        .order_by("-happened_at", "-id")
    )
