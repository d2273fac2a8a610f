"""Logging touches: the only code that creates them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta, tzinfo

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery

from kithkin.accounts.services import get_profile
from kithkin.core import clock, stamps
from kithkin.core.choices import parse_choice
from kithkin.core.db import insert_rows
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.refs import parse_id
from kithkin.core.shortcuts import require_owned
from kithkin.interactions.hooks import TouchesChanged, TouchLogged, touch_logged, touches_changed
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.lib.names import clean_name
from kithkin.lib.relative import say_moment
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, add_person, find_person, is_id_or_email

# People whose last touch one statement sets (well under SQLite's limit of bound parameters).
CHUNK = 500

# A few minutes of clock skew between devices is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=5)


@stamps.moved_once()
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
        when = say_moment(happened_at.astimezone(get_profile(owner).tz), now)
        raise BadInput("at", f"{when} is in the future. Log the touch once it has happened, or set a reminder instead.")
    require_owned(owner, *people, field="person", message="no such person")
    unique = {person.pk: person for person in people}
    touch = Touch.objects.create(
        owner=owner,
        kind=kind_value,
        happened_at=happened_at,
        notes=notes.strip(),
        advice=advice.strip(),
        initiated_by=initiated,
        created_at=now,
    )
    insert_rows(
        TouchParticipant,
        ("owner", "touch", "person", "happened_at"),
        [(owner.pk, touch.pk, pk, happened_at) for pk in unique],
    )
    refresh_last_touch(owner, list(unique), texts=bool(touch.notes or touch.advice), shared=len(unique) > 1)
    touch_logged.run(TouchLogged(owner, touch, tuple(unique.values()), thank, now))
    return touch


def refresh_last_touch(owner: User, person_ids: Sequence[int], *, texts: bool = True, shared: bool = True) -> None:
    """Set each person's ``last_touch_at`` to their latest touch, in whatever order touches came
    (one statement), and let the apps above work out again what they keep of these people's
    history (``texts`` and ``shared``: see ``TouchesChanged``)."""
    # The first row of the person's index (person, -happened_at): a MAX grouped by person read
    # every one of their touches.
    latest = (
        TouchParticipant.objects.for_owner(owner)
        .filter(person_id=OuterRef("pk"))
        .order_by("-happened_at")
        .values("happened_at")[:1]
    )
    ids = list(dict.fromkeys(person_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        Person.objects.for_owner(owner).filter(pk__in=chunk).update(last_touch_at=Subquery(latest))
    touches_changed.run(TouchesChanged(owner, tuple(person_ids), texts=texts, shared=shared))


def timeline(owner: User, person: Person, *, offset: int = 0, limit: int | None = None) -> list[Touch]:
    """A person's touches, newest first, with their participants.

    Read through the participant index (person, -happened_at), so a page of a long history
    costs the same whatever the size of the whole network.
    """
    ids = (
        TouchParticipant.objects.for_owner(owner)
        .filter(person=person)
        .order_by("-happened_at", "-touch_id")
        .values_list("touch_id", flat=True)
    )
    page = list(ids[offset : offset + limit] if limit is not None else ids[offset:])
    touches = {
        t.pk: t for t in Touch.objects.for_owner(owner).filter(pk__in=page).prefetch_related("participants__person")
    }
    return [touches[pk] for pk in page]


def count_touches(owner: User, person: Person) -> int:
    return TouchParticipant.objects.for_owner(owner).filter(person=person).count()


def count_touches_of(owner: User, people: Iterable[Person]) -> dict[int, int]:
    """How many touches each of ``people`` has, by id (none: 0), in one query."""
    ids = {person.pk for person in people}
    rows = (
        TouchParticipant.objects.for_owner(owner)
        .filter(person_id__in=ids)
        .order_by()
        .values_list("person_id")
        .annotate(n=Count("id"))
    )
    return dict.fromkeys(ids, 0) | dict(rows)


# --- quick capture --------------------------------------------------------------------------

NAME_SEPARATORS = re.compile(r"[,;\n]+")


def resolve_participants(owner: User, ids: Sequence[str | int], names: str) -> tuple[list[Person], list[str]]:
    """The people a capture names: chosen ids, plus names typed as text ("Ana, Bo Chen").

    Returns (known people, names that match no one). An id that is not the owner's, or a
    name that matches several people, is a ``BadInput`` naming the field.
    """
    people: dict[int, Person] = {}
    wanted: list[int] = []
    for raw in ids:
        pk = parse_id(raw)
        if pk is None:
            raise BadInput("person", f"{raw!r} is not a person id")
        wanted.append(pk)
    if wanted:
        found = {p.pk: p for p in Person.objects.for_owner(owner).filter(pk__in=wanted)}
        for pk in wanted:
            if pk not in found:
                raise NotFound("person", f"no person has id {pk}")
            people[pk] = found[pk]
    unknown: list[str] = []
    for text in NAME_SEPARATORS.split(names):
        name = clean_name(text)
        if not name:
            continue
        try:
            person = find_person(owner, name, "names")
        except NotFound:
            if is_id_or_email(name):
                raise
            if name.lower() not in {n.lower() for n in unknown}:
                unknown.append(name)
            continue
        people[person.pk] = person
    return list(people.values()), unknown


@stamps.moved_once()
@transaction.atomic
def capture_touch(
    owner: User,
    people: Sequence[Person],
    new_names: Sequence[str],
    kind: str,
    happened_at: datetime,
    *,
    notes: str = "",
    advice: str = "",
    now: datetime | None = None,
) -> Touch:
    """Log a touch from quick capture, first adding the people it names for the first time
    (the user has confirmed them). New people are met on the day of the touch."""
    now = now or clock.now()
    met_on = happened_at.astimezone(get_profile(owner).tz).date()
    added = [
        add_person(
            owner, name, PersonChanges(met_on=min(met_on, now.astimezone(get_profile(owner).tz).date())), now=now
        )
        for name in dict.fromkeys(clean_name(n) for n in new_names if clean_name(n))
    ]
    return log_touch(owner, [*people, *added], kind, happened_at, notes=notes, advice=advice, now=now)


# --- reading touches --------------------------------------------------------------------------


def list_touches(
    owner: User, *, person_id: int | None = None, kind: str | None = None, since: datetime | None = None
) -> QuerySet[Touch]:
    """The owner's touches, newest first (ending on the id, for stable pages): with someone, of a
    kind, or from a moment on."""
    touches = Touch.objects.for_owner(owner).order_by("-happened_at", "-id")
    if person_id is not None:
        touches = touches.filter(participants__person_id=person_id)
    if kind:
        touches = touches.filter(kind=parse_choice(Touch.Kind, kind, "kind"))
    if since is not None:
        touches = touches.filter(happened_at__gte=since)
    return touches


def recent_touches(owner: User, limit: int = 6) -> list[Touch]:
    """The latest touches, newest first, with their participants (two queries)."""
    return list(
        Touch.objects.for_owner(owner).order_by("-happened_at", "-id").prefetch_related("participants__person")[:limit]
    )


def week_start(now: datetime, tz: tzinfo) -> datetime:
    """Monday 00:00 of ``now``'s week, in the user's time zone."""
    local = now.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0, 0), tzinfo=tz)


def touches_this_week(owner: User, now: datetime) -> int:
    """How many touches the user has logged for this week so far (the weekly goal counts these)."""
    start = week_start(now, get_profile(owner).tz)
    return Touch.objects.for_owner(owner).filter(happened_at__gte=start, happened_at__lte=now).count()
