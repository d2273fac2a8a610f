"""Keeping each tie's strength and reading it: the only code that writes ``Strength`` rows.

A person's row is worked out again from their whole history whenever their touches or ledger
change (``refresh_strengths``, run by the hooks in ``rules.py``); today's strength, trend and
status come from the row and the clock (``strength.assess``), so no row changes as days pass.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Case, CharField, ExpressionWrapper, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce

from kithkin.core import clock
from kithkin.core.choices import Closeness
from kithkin.core.db import aware, insert_rows
from kithkin.core.errors import BadInput
from kithkin.exchanges.models import Exchange
from kithkin.interactions.models import TouchParticipant
from kithkin.network import strength as model
from kithkin.network.models import Strength
from kithkin.people.models import Person
from kithkin.people.services import effective_cadence, filter_people, order_people

CHUNK = 500
# Sorting puts people with no history below everyone: ln of a sum this small is never reached.
NO_HISTORY = -1e9


def _moment(day: date) -> datetime:
    """A ledger entry's day as a moment: noon UTC, so it counts on that day in any time zone."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def _fetch(sql: str, params: list[Any], ids: Sequence[int] | None, column: str) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (which ends in its WHERE), of the people ``ids`` (``column`` holds a
    person's id; None: everyone), straight from the cursor."""
    if ids is not None:
        if not ids:
            return []
        sql += f" AND {column} IN ({', '.join(['%s'] * len(ids))})"
        params = [*params, *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# A person's history in plain SQL, straight from the cursor: at 600,000 touches Django's converters
# per value (a chain of Python calls to make each moment aware) cost as much as the rest of a
# refresh, and for one person (a touch just logged) compiling the queries cost as much as reading
# five hundred touches.
TOUCH_ROWS = (
    "SELECT p.person_id, p.happened_at, t.kind, t.initiated_by, p.touch_id"
    " FROM interactions_touchparticipant p INNER JOIN interactions_touch t ON t.id = p.touch_id"
    " WHERE p.owner_id = %s"
)
EXCHANGE_ROWS = (
    "SELECT e.person_id, e.happened_on, e.direction, e.kind, e.what, e.touch_id, them.full_name"
    " FROM exchanges_exchange e LEFT OUTER JOIN people_person them ON them.id = e.to_person_id"
    " WHERE e.owner_id = %s"
)


def _exchange_rows(
    owner: User, ids: Sequence[int] | None
) -> Iterable[tuple[int, date, str, str, str, int | None, str | None]]:
    return _fetch(EXCHANGE_ROWS, [owner.pk], ids, "e.person_id")


def history(owner: User, ids: Sequence[int] | None = None) -> dict[int, list[model.Event]]:
    """Each person's events: their touches and ledger entries (a touch that stands for a ledger
    entry counts once, as the entry). ``None``: everyone's, in two queries."""
    events: dict[int, list[model.Event]] = defaultdict(list)
    ledger_touches: dict[int, datetime] = {}
    entries = list(_exchange_rows(owner, ids))
    touch_ids = {row[5] for row in entries if row[5] is not None}
    touch_event = model.touch_event
    for person_id, happened_at, kind, initiated_by, touch_id in _fetch(TOUCH_ROWS, [owner.pk], ids, "p.person_id"):
        at = aware(happened_at)
        if touch_id in touch_ids:
            ledger_touches[touch_id] = at
            continue
        events[person_id].append(touch_event(at, kind, by_them=initiated_by == "them"))
    for person_id, day, direction, kind, what, ledger_touch, to_name in entries:
        stood_for = ledger_touches.get(ledger_touch) if ledger_touch is not None else None
        text = to_name if kind == "intro" and to_name else what
        events[person_id].append(model.help_event(stood_for or _moment(day), direction, kind, text))
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
PERSON_ROWS = "SELECT id, circle, closeness, met_on FROM people_person WHERE owner_id = %s"


# No savepoint: it runs inside the transaction of whatever changed the history (a touch logged), and
# nothing catches its errors there to carry on.
@transaction.atomic(savepoint=False)
def refresh_strengths(owner: User, person_ids: Sequence[int] | None = None, *, now: datetime | None = None) -> int:
    """Work out again the strength of these people's ties (``None``: everyone's) from their whole
    history. Returns how many people have a history."""
    now = now or clock.now()
    if person_ids is None:
        events = history(owner)
        people = Person.objects.for_owner(owner).order_by().values_list(*PERSON_COLUMNS)
        rows = _rows(owner, people.iterator(chunk_size=2000), events, now)
        Strength.objects.for_owner(owner).delete()
        return insert_rows(Strength, WRITTEN, rows)
    written = 0
    ids = list(dict.fromkeys(person_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        events = history(owner, chunk)
        rows = _rows(owner, _fetch(PERSON_ROWS, [owner.pk], chunk, "id"), events, now)
        kept = {row[1] for row in rows}
        gone = [pk for pk in chunk if pk not in kept]
        if gone:  # no history left (their last touch undone, merged away)
            Strength.objects.for_owner(owner).filter(person_id__in=gone).delete()
        written += insert_rows(Strength, WRITTEN, rows, unique=("owner", "person"))
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


def may_be_quiet(today: float) -> Q:
    """Stored ties (``Strength`` rows) that may be at risk or dormant on ``today`` (``strength.days``):
    once close (by closeness or peak) and silent past twice their usual interval (or a year, or
    any time when no interval is known). A superset, narrowed in SQL: ``strength.status_of``
    decides exactly, on the few rows left of 30,000."""
    once_close = Q(person__closeness__in=sorted(model.CLOSE_LEVELS)) | Q(peak__gte=model.ONCE_CLOSE_BY_PEAK)
    silent = (
        Q(usual__isnull=True)
        | Q(usual__lte=0)
        | Q(last_day__lt=today - model.AT_RISK_FACTOR * F("usual"))
        | Q(last_day__lt=today - model.DORMANT_WIDER_DAYS)
    )
    return once_close & silent & Q(last_day__isnull=False)


# --- sorting and filtering lists by strength -----------------------------------------------------


def log_strength(now: datetime) -> Coalesce:
    """ln of each person's decayed sum today, as SQL (people with no history: ``NO_HISTORY``)."""
    today = model.days(now)
    return Coalesce(
        F("strength__log_key") - Value(today, output_field=FloatField()) / F("strength__tau"),
        Value(NO_HISTORY, output_field=FloatField()),
        output_field=FloatField(),
    )


def status_sql(now: datetime, cadence_for: Callable[[str], int | None]) -> Case:
    """Each person's status today (``strength.status_of``) as SQL over their row and stored tie, for
    counting 30,000 ties in one GROUP BY; ``cadence_for`` is the settings' cadence of a closeness.
    The same rule, written a second time in SQL: ``test_insights`` checks that they agree."""
    today = model.days(now)
    # strength.usual_interval, with people.services.cadence_of for a tie without a rhythm.
    fallback = Value(model.USUAL_FALLBACK_DAYS)
    usual = Case(
        When(strength__usual__gt=0, then=F("strength__usual")),
        When(Q(is_prospect=True) | Q(is_cadence_never=True), then=fallback),
        When(cadence_days__gt=0, then=Cast("cadence_days", FloatField())),
        *(
            When(closeness=level, then=Value(float(cadence_for(level) or model.USUAL_FALLBACK_DAYS)))
            for level in Closeness.values
        ),
        default=fallback,
        output_field=FloatField(),
    )

    def silent_past(days: Any) -> Q:
        return Q(strength__last_day__lt=ExpressionWrapper(Value(today) - days, output_field=FloatField()))

    close_level = Q(closeness__in=sorted(model.CLOSE_LEVELS))
    wider = Q(closeness__in=sorted(model.WIDER_LEVELS))
    once_close = close_level | Q(strength__peak__gte=model.ONCE_CLOSE_BY_PEAK)
    close = close_level | Q(strength__peak__gte=model.CLOSE_BY_PEAK)
    dormant = once_close & (
        (wider & silent_past(Value(model.DORMANT_WIDER_DAYS)))
        | (~wider & silent_past(Value(model.DORMANT_FACTOR) * usual))
    )
    return Case(
        When(strength__last_day__isnull=True, then=Value(model.ACTIVE)),
        When(dormant, then=Value(model.DORMANT)),
        When(close & silent_past(Value(model.AT_RISK_FACTOR) * usual), then=Value(model.AT_RISK)),
        default=Value(model.ACTIVE),
        output_field=CharField(),
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


def list_people(
    owner: User,
    *,
    now: datetime,
    search: str = "",
    circle: str | Iterable[str] | None = None,
    closeness: str | Iterable[str] | None = None,
    interest: str | None = None,
    organization: str | None = None,
    prospects: bool | None = None,
    city: str | None = None,
    country: str | None = None,
    strength: str | None = None,
    sort: str = "name",
) -> QuerySet[Person]:
    """The owner's people as `kithkin people` and the API's people list give them: every filter of
    the people app, the strength band (strong, medium, weak), in one of the people app's orders or
    strongest first ("strength"). Each order ends on the id, so pages never repeat or skip."""
    ensure_strengths(owner, now=now)
    found: QuerySet[Person] = filter_people(
        owner,
        search=search,
        circle=circle,
        closeness=closeness,
        interest=interest,
        organization=organization,
        prospects=prospects,
        city=city,
        country=country,
    )
    if strength:
        found = filter_by_band(found, now, strength)
    return order_by_strength(found, now) if sort == "strength" else order_people(found, sort)
