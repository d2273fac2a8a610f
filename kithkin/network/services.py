"""Keeping each tie's strength and reading it: the only code that writes ``Strength`` rows.

A person's row is worked out again from their whole history whenever their touches or ledger
change (``refresh_strengths``, run by the hooks in ``rules.py``); today's strength, trend and
status come from the row and the clock (``strength.assess``), so no row changes as days pass.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from kithkin.core import clock
from kithkin.core.db import insert_rows
from kithkin.core.errors import BadInput
from kithkin.exchanges.models import Exchange
from kithkin.interactions.models import TouchParticipant
from kithkin.network import strength as model
from kithkin.network.models import Strength
from kithkin.people.models import Person
from kithkin.people.services import effective_cadence

CHUNK = 500
# Sorting puts people with no history below everyone: ln of a sum this small is never reached.
NO_HISTORY = -1e9


def _moment(day: date) -> datetime:
    """A ledger entry's day as a moment: noon UTC, so it counts on that day in any time zone."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def _aware(value: datetime | str) -> datetime:
    """A moment as the cursor gives it: SQLite's naive UTC (a datetime its converter made, or the
    text Django stored), or PostgreSQL's aware datetime."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def raw_rows(query: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """A ``values_list`` query's rows straight from the cursor, without Django's converters:
    moments come as the database gives them (read them with ``aware``), booleans as 0 and 1 on
    SQLite. For the few reads of thousands of rows where the converters cost most of the time."""
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # filtered on an empty list of ids
        return []
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


aware = _aware


def _touch_rows(owner: User, ids: Sequence[int] | None) -> list[tuple[int, datetime, str, str, int]]:
    """Straight from the cursor: at 600,000 touches Django's converters per value (a chain of
    Python calls to make each moment aware) cost as much as the rest of a refresh."""
    rows = TouchParticipant.objects.for_owner(owner)
    if ids is not None:
        rows = rows.filter(person_id__in=ids)
    query = rows.order_by().values_list("person_id", "happened_at", "touch__kind", "touch__initiated_by", "touch_id")
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # filtered on an empty list of ids
        return []
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, _aware(at), kind, by, touch) for pk, at, kind, by, touch in cursor.fetchall()]


def _exchange_rows(
    owner: User, ids: Sequence[int] | None
) -> Iterable[tuple[int, date, str, str, str, int | None, str | None]]:
    rows = Exchange.objects.for_owner(owner)
    if ids is not None:
        rows = rows.filter(person_id__in=ids)
    return rows.order_by().values_list(
        "person_id", "happened_on", "direction", "kind", "what", "touch_id", "to_person__full_name"
    )


def history(owner: User, ids: Sequence[int] | None = None) -> dict[int, list[model.Event]]:
    """Each person's events: their touches and ledger entries (a touch that stands for a ledger
    entry counts once, as the entry). ``None``: everyone's, in two queries."""
    events: dict[int, list[model.Event]] = defaultdict(list)
    ledger_touches: dict[int, datetime] = {}
    entries = list(_exchange_rows(owner, ids))
    touch_ids = {row[5] for row in entries if row[5] is not None}
    touch_event = model.touch_event
    for person_id, happened_at, kind, initiated_by, touch_id in _touch_rows(owner, ids):
        if touch_id in touch_ids:
            ledger_touches[touch_id] = happened_at
            continue
        events[person_id].append(touch_event(happened_at, kind, by_them=initiated_by == "them"))
    for person_id, day, direction, kind, what, ledger_touch, to_name in entries:
        at = ledger_touches.get(ledger_touch) if ledger_touch is not None else None
        text = to_name if kind == "intro" and to_name else what
        events[person_id].append(model.help_event(at or _moment(day), direction, kind, text))
    return events


def _met_moment(day: date | None) -> datetime | None:
    return datetime.combine(day, time(0, 0), tzinfo=UTC) if day else None


# A stored tie as summaries() reads it: the person, then strength.Summary's fields in order.
STRENGTH_FIELDS = (
    "person_id",
    "log_key",
    "tau",
    "peak",
    "usual",
    "recent_gap",
    "first_day",
    "prev_day",
    "last_day",
    "events",
)


# The columns refresh_strengths writes, in the order of ``_rows``' tuples.
WRITTEN = ("owner", "person", *STRENGTH_FIELDS[1:], "computed_at")


def _rows(
    owner: User,
    people: Iterable[tuple[int, str, str, date | None]],
    events: dict[int, list[model.Event]],
    now: datetime,
) -> list[tuple[Any, ...]]:
    """Each person's row to write, as plain values (``WRITTEN``): 30,000 model instances cost
    more than the sums."""
    rows = []
    for pk, circle, closeness, met_on in people:
        mine = events.get(pk)
        if not mine:
            continue
        summary = model.summarize(mine, circle=circle, closeness=closeness, met_on=_met_moment(met_on))
        rows.append((owner.pk, pk, *summary_values(summary), now))
    return rows


def summary_values(summary: model.Summary) -> tuple[Any, ...]:
    return (
        summary.log_key,
        summary.tau,
        summary.peak,
        summary.usual,
        summary.recent_gap,
        summary.first_day,
        summary.prev_day,
        summary.last_day,
        summary.events,
    )


PERSON_COLUMNS = ("pk", "circle", "closeness", "met_on")


@transaction.atomic
def refresh_strengths(owner: User, person_ids: Sequence[int] | None = None, *, now: datetime | None = None) -> int:
    """Work out again the strength of these people's ties (``None``: everyone's) from their whole
    history. Returns how many people have a history."""
    now = now or clock.now()
    people = Person.objects.for_owner(owner).order_by()
    if person_ids is None:
        events = history(owner)
        rows = _rows(owner, people.values_list(*PERSON_COLUMNS).iterator(chunk_size=2000), events, now)
        Strength.objects.for_owner(owner).delete()
        return insert_rows(Strength, WRITTEN, rows)
    written = 0
    ids = list(dict.fromkeys(person_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        events = history(owner, chunk)
        rows = _rows(owner, people.filter(pk__in=chunk).values_list(*PERSON_COLUMNS), events, now)
        Strength.objects.for_owner(owner).filter(person_id__in=chunk).delete()
        written += insert_rows(Strength, WRITTEN, rows)
    return written


# Set while a bulk builder (the demo network) writes thousands of touches and ledger entries: the
# hooks then leave strengths alone, and the builder works everyone's out once at the end.
_paused: ContextVar[bool] = ContextVar("kithkin_strengths_paused", default=False)


@contextmanager
def strengths_paused() -> Iterator[None]:
    """Within the block, touches and ledger entries do not work strengths out person by person;
    the caller calls ``refresh_strengths(owner, None)`` after it. Building the 30,000-person demo
    otherwise worked a strength out twice for each of its 5,000 ledger entries: two minutes."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def is_paused() -> bool:
    return _paused.get()


def ensure_strengths(owner: User, *, now: datetime | None = None) -> None:
    """Work out every strength once for a network that has touches but none yet (a database made
    before strengths were kept, a restored backup): reading pages then finds them."""
    if not Strength.objects.for_owner(owner).exists() and (
        TouchParticipant.objects.for_owner(owner).exists() or Exchange.objects.for_owner(owner).exists()
    ):
        refresh_strengths(owner, None, now=now)


def summary_of(row: Strength | None) -> model.Summary:
    if row is None:
        return model.Summary(None, model.TAU_DEFAULT, 0.0, None, None, None, None, None, 0)
    return model.Summary(
        row.log_key,
        row.tau,
        row.peak,
        row.usual,
        row.recent_gap,
        row.first_day,
        row.prev_day,
        row.last_day,
        row.events,
    )


def summaries(owner: User, person_ids: Iterable[int] | None = None) -> dict[int, model.Summary]:
    """Each person's stored summary (people with no history are missing), in one query; ``None``
    for everyone's."""
    rows = Strength.objects.for_owner(owner).order_by()
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    return {values[0]: model.Summary(*values[1:]) for values in rows.values_list(*STRENGTH_FIELDS)}


def assess_people(owner: User, people: Iterable[Person], *, now: datetime | None = None) -> dict[int, model.Assessment]:
    """Strength, trend and status today of each of ``people`` (who must have closeness,
    cadence_days, is_cadence_never and is_prospect loaded), in one query."""
    now = now or clock.now()
    people = list(people)
    found = summaries(owner, [p.pk for p in people])
    empty = summary_of(None)
    return {
        p.pk: model.assess(found.get(p.pk, empty), closeness=p.closeness, cadence=effective_cadence(p, owner), now=now)
        for p in people
    }


def assess_person(owner: User, person: Person, *, now: datetime | None = None) -> model.Assessment:
    return assess_people(owner, [person], now=now)[person.pk]


@dataclass(frozen=True)
class PersonStrength:
    """A tie as the person's page shows it: today's assessment, why, and the last two years."""

    assessment: model.Assessment
    why: list[str]
    curve: list[float]


def person_strength(owner: User, person: Person, *, now: datetime | None = None) -> PersonStrength:
    """One person's tie with the reasons and the curve, from their whole history."""
    now = now or clock.now()
    ensure_strengths(owner, now=now)
    assessment = assess_person(owner, person, now=now)
    events = history(owner, [person.pk]).get(person.pk, [])
    tau = summaries(owner, [person.pk]).get(person.pk, summary_of(None)).tau
    return PersonStrength(
        assessment,
        model.why(events, tau, now, name=person.short_name),
        model.curve(events, tau, now),
    )


# --- sorting and filtering lists by strength -----------------------------------------------------


def log_strength(now: datetime) -> Coalesce:
    """ln of each person's decayed sum today, as SQL (people with no history: ``NO_HISTORY``)."""
    today = model.days(now)
    return Coalesce(
        F("strength__log_key") - Value(today, output_field=FloatField()) / F("strength__tau"),
        Value(NO_HISTORY, output_field=FloatField()),
        output_field=FloatField(),
    )


def order_by_strength(people: QuerySet[Person], now: datetime, *, strongest_first: bool = True) -> QuerySet[Person]:
    ordered = people.annotate(log_strength=log_strength(now))
    if strongest_first:
        return ordered.order_by(F("log_strength").desc(), "full_name", "id")
    return ordered.order_by(F("log_strength").asc(), "full_name", "id")


def filter_by_strength(
    people: QuerySet[Person], now: datetime, *, at_least: int | None = None, at_most: int | None = None
) -> QuerySet[Person]:
    """Narrow ``people`` to strengths in [at_least, at_most] (0-100) today. Strength shows
    rounded, so the bounds are those of the rounded value."""
    people = people.annotate(log_strength=log_strength(now))
    if at_least is not None and at_least > 0:
        low = min(at_least - 0.5, 99.999)
        people = people.filter(log_strength__gte=math.log(model.raw_for_score(low)))
    if at_most is not None and at_most < 100:
        high = at_most + 0.5
        people = people.filter(Q(log_strength__lt=math.log(model.raw_for_score(high))))
    return people


# The bands the People list and `kithkin people --strength` filter by: (at least, at most) of the
# strength shown. "weak" takes in everyone with no history (strength 0).
STRENGTH_BANDS: dict[str, tuple[int | None, int | None]] = {
    "strong": (60, None),
    "medium": (30, 59),
    "weak": (None, 29),
}
BAND_LABELS = {"strong": "Strong (60+)", "medium": "Medium (30-59)", "weak": "Weak (under 30)"}


def filter_by_band(people: QuerySet[Person], now: datetime, band: str) -> QuerySet[Person]:
    """``people`` whose strength today is in one of ``STRENGTH_BANDS``."""
    if band not in STRENGTH_BANDS:
        raise BadInput("strength", f"unknown strength {band!r}; choose one of {', '.join(STRENGTH_BANDS)}")
    at_least, at_most = STRENGTH_BANDS[band]
    return filter_by_strength(people, now, at_least=at_least, at_most=at_most)
