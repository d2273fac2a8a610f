"""Insights: a picture of the whole network, for the Insights page and `kithkin insights`.

Who is in it by circle and closeness, against Dunbar's layers, and how many of them were in the
network and in touch at the end of each of the last twelve months; follow-up discipline, the
give and take, and touches over time; strength and status; the organizations with most people;
where people were met. Every figure is counted in SQL (GROUP BY or filtered counts), in a fixed
number of queries whatever the size of the network, and returned as plain dataclasses.

Circle counts are those of `kithkin people --circle X`: everyone of that circle, prospects
included. Closeness, Dunbar's layers and everything else count the people in the network only
(prospects are people you want to meet, not yet people you know).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.contrib.auth.models import User
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.choices import Circle, Closeness
from kithkin.core.periods import period_of
from kithkin.events.models import EventMet
from kithkin.exchanges.models import Exchange
from kithkin.followups.models import FollowUp
from kithkin.goals.week import Discipline, discipline, touches_by_week, week_bounds
from kithkin.interactions.models import TouchParticipant
from kithkin.network import strength as model
from kithkin.network.models import Strength
from kithkin.network.services import (
    NO_HISTORY,
    STRENGTH_FIELDS,
    ensure_strengths,
    log_strength,
    may_be_quiet,
    raw_rows,
)
from kithkin.people.models import HistoryEntry, Person
from kithkin.people.services import cadence_of

MONTHS = 12
WEEKS = 26
TOP_ORGANIZATIONS = 10
# In touch at a month's end: a touch in the days before it (a quarter, the cadence of an active tie).
IN_TOUCH_DAYS = 90
# Dunbar's layers, each counting the ones inside it: about 5 intimates, 15 close friends, 50
# good friends, 150 friends, 500 acquaintances; one closeness level per layer.
DUNBAR = {
    Closeness.INNER: 5,
    Closeness.CLOSE: 15,
    Closeness.ACTIVE: 50,
    Closeness.WIDER: 150,
    Closeness.ACQUAINTANCE: 500,
}
LEVELS: tuple[str, ...] = tuple(Closeness.values)
# Within this share of Dunbar's number (or two people) a layer is "about" his size.
ABOUT = 0.2
# The strength histogram's steps: 0-9, 10-19, ... 90-100.
STRENGTH_STEP = 10


@dataclass(frozen=True)
class CircleCount:
    """How many people are of one circle ("" for none given): everyone, as `kithkin people
    --circle X` lists them; of them, prospects; and the rest by closeness (in ``LEVELS`` order)."""

    circle: str
    label: str
    people: int
    prospects: int
    by_closeness: tuple[int, ...]


@dataclass(frozen=True)
class Layer:
    """One closeness level against Dunbar's layer of the same depth. ``within`` counts this level
    and every closer one, as Dunbar's numbers do."""

    closeness: str
    people: int
    within: int
    dunbar: int

    @property
    def difference(self) -> int:
        return self.within - self.dunbar

    @property
    def verdict(self) -> str:
        """ "about Dunbar's 15", "over by 12", "under by 3"."""
        if abs(self.difference) <= max(2, round(ABOUT * self.dunbar)):
            return "about the same"
        return f"over by {self.difference}" if self.difference > 0 else f"under by {-self.difference}"


@dataclass(frozen=True)
class MonthLayers:
    """At the end of a month (now, for this month): the people in the network by then (met, or
    added, by that day) by today's closeness, and of them those in touch in the 90 days before."""

    month: date  # the first of the month
    ends_at: datetime
    known: tuple[int, ...]  # by closeness, in LEVELS order
    in_touch: tuple[int, ...]

    @property
    def total_known(self) -> int:
        return sum(self.known)

    @property
    def total_in_touch(self) -> int:
        return sum(self.in_touch)

    @property
    def by_level(self) -> tuple[tuple[str, int, int], ...]:
        """(closeness, in the network, in touch) for each level."""
        return tuple(zip(LEVELS, self.known, self.in_touch, strict=True))


@dataclass(frozen=True)
class MonthDiscipline:
    """Follow-ups that fell due in a month: thank-yous (on time: within 24 hours), closing the loop
    on advice, and check-ins (kept: done)."""

    month: date
    thank_yous: Discipline
    loops: Discipline
    check_ins: Discipline


@dataclass(frozen=True)
class MonthLedger:
    month: date
    gave: int
    got: int


@dataclass(frozen=True)
class WeekTouches:
    week: date  # its Monday
    touches: int


@dataclass(frozen=True)
class StrengthSpread:
    """The people in the network by today's strength: ``steps[i]`` are those from
    ``i * STRENGTH_STEP`` to the next step (the last takes in 100); the People list's bands; and
    how many ties are at risk or dormant (``strength.status_of``)."""

    steps: tuple[int, ...]
    strong: int
    medium: int
    weak: int
    no_history: int
    at_risk: int
    dormant: int

    @property
    def rows(self) -> tuple[tuple[str, int], ...]:
        return tuple(zip(self.step_labels, self.steps, strict=True))

    @property
    def step_labels(self) -> tuple[str, ...]:
        last = len(self.steps) - 1
        return tuple(
            f"{i * STRENGTH_STEP}-{100 if i == last else (i + 1) * STRENGTH_STEP - 1}" for i in range(len(self.steps))
        )


@dataclass(frozen=True)
class OrganizationCount:
    organization_id: int
    name: str
    people: int


@dataclass(frozen=True)
class Sources:
    """Where the people in the network came from, each counted once, in this order: introduced by
    someone (``met_through``), met at an event (a new person there), from an import, added by
    hand (everyone else)."""

    introduced: int
    at_event: int
    imported: int
    by_hand: int

    @property
    def rows(self) -> tuple[tuple[str, int], ...]:
        return (
            ("introduced by someone", self.introduced),
            ("met at an event", self.at_event),
            ("from an import", self.imported),
            ("added by hand", self.by_hand),
        )


@dataclass(frozen=True)
class Insights:
    now: datetime
    people: int  # in the network
    prospects: int
    circles: tuple[CircleCount, ...]
    layers: tuple[Layer, ...]
    months: tuple[MonthLayers, ...]  # oldest first
    discipline: tuple[MonthDiscipline, ...]  # oldest first
    ledger: tuple[MonthLedger, ...]  # oldest first
    touches: tuple[WeekTouches, ...]  # oldest first
    strength: StrengthSpread
    organizations: tuple[OrganizationCount, ...]
    sources: Sources


def month_bounds(now: datetime, tz: tzinfo, count: int = MONTHS) -> list[tuple[datetime, datetime]]:
    """The first moment of each of the last ``count`` months (this one last) and of the month
    after it, in the user's time zone, oldest first."""
    local = now.astimezone(tz)
    this = local.year * 12 + local.month - 1

    def first(index: int) -> datetime:
        return datetime(index // 12, index % 12 + 1, 1, tzinfo=tz)

    return [(first(index), first(index + 1)) for index in range(this - count + 1, this + 1)]


# --- who: circles, closeness, Dunbar ---------------------------------------------------------------


def _people_counts(owner: User) -> dict[tuple[str, str, bool], int]:
    """Everyone, counted by (circle, closeness, is a prospect): one GROUP BY."""
    group = ("circle", "closeness", "is_prospect")
    rows = Person.objects.for_owner(owner).order_by().values(*group).annotate(n=Count("id"))
    return {(c, k, bool(p)): n for c, k, p, n in rows.values_list(*group, "n")}


def _circles(counts: dict[tuple[str, str, bool], int]) -> tuple[CircleCount, ...]:
    found = []
    for circle, label in [*Circle.choices, ("", "no circle")]:
        mine = {key: n for key, n in counts.items() if key[0] == circle}
        if not mine and circle == "":
            continue
        found.append(
            CircleCount(
                circle=circle,
                label=str(label),
                people=sum(mine.values()),
                prospects=sum(n for (_c, _k, prospect), n in mine.items() if prospect),
                by_closeness=tuple(mine.get((circle, level, False), 0) for level in LEVELS),
            )
        )
    return tuple(found)


def _layers(counts: dict[tuple[str, str, bool], int]) -> tuple[Layer, ...]:
    layers, within = [], 0
    for level in LEVELS:
        people = sum(n for (_c, k, prospect), n in counts.items() if k == level and not prospect)
        within += people
        layers.append(Layer(level, people, within, DUNBAR[Closeness(level)]))
    return tuple(layers)


def _known_on(tz: tzinfo, ends: Sequence[datetime]) -> Case:
    """The first of ``ends`` by which a person was in the network: met by then (the day before a
    month's first moment is its last day), or added by then without a met-on day; NULL after."""
    whens = []
    for i, end in enumerate(ends):
        last_day = (end - timedelta(microseconds=1)).astimezone(tz).date()
        whens.append(When(Q(met_on__lte=last_day) | Q(met_on__isnull=True, created_at__lte=end), then=Value(i)))
    return Case(*whens, default=Value(None), output_field=IntegerField())


def _months(owner: User, ends: list[tuple[date, datetime]], tz: tzinfo) -> tuple[MonthLayers, ...]:
    """Two GROUP BYs: the people in the network by closeness and the first month's end by which
    they were in it; and by closeness and which of the last months they were in touch in."""
    moments = [end for _month, end in ends]
    known = [[0] * len(LEVELS) for _ in ends]
    rows = (
        Person.objects.for_owner(owner)
        .in_network()
        .order_by()
        .values_list("closeness", _known_on(tz, moments))
        .annotate(n=Count("id"))
    )
    for closeness, first, n in rows:
        if first is not None and closeness in LEVELS:
            for month in known[first:]:
                month[LEVELS.index(closeness)] += n
    in_touch = _in_touch(owner, moments)
    return tuple(MonthLayers(month, end, tuple(known[i]), in_touch[i]) for i, (month, end) in enumerate(ends))


def _in_touch(owner: User, ends: Sequence[datetime]) -> list[tuple[int, ...]]:
    """For each moment of ``ends``, the people in the network touched in the ``IN_TOUCH_DAYS``
    before it, by closeness. The time cut at every end and every end less the window; each
    person's touches make a mask of the pieces they fall in (a sum of distinct powers of two),
    counted by closeness and mask: a few hundred rows, whatever the number of touches."""
    window = timedelta(days=IN_TOUCH_DAYS)
    edges = sorted({*ends, *(end - window for end in ends)})
    bit = Case(
        *(When(touch__happened_at__lt=edge, then=Value(1 << i)) for i, edge in enumerate(edges[1:])),
        default=Value(0),
        output_field=IntegerField(),
    )
    per_person = (
        TouchParticipant.objects.for_owner(owner)
        # The touches' (owner, happened_at) index finds the range; the participants have none.
        .filter(touch__owner=owner, touch__happened_at__gte=edges[0], touch__happened_at__lt=edges[-1])
        .filter(person__is_prospect=False)
        .order_by()
        .values_list("person_id", "person__closeness")
        .annotate(mask=Sum(bit, distinct=True))
    )
    masks = Counter((closeness, mask) for _pk, closeness, mask in raw_rows(per_person))
    found = []
    for end in ends:
        wanted = sum(1 << i for i, edge in enumerate(edges[:-1]) if end - window <= edge < end)
        found.append(
            tuple(sum(n for (k, mask), n in masks.items() if k == level and mask & wanted) for level in LEVELS)
        )
    return found


# --- how: discipline, give and take, touches -------------------------------------------------------


def _discipline(owner: User, months: list[tuple[datetime, datetime]], now: datetime) -> tuple[MonthDiscipline, ...]:
    kinds = (FollowUp.Kind.THANK_YOU, FollowUp.Kind.CLOSE_LOOP, FollowUp.Kind.CHECK_IN)
    found = discipline(owner, kinds, _edges(months), now)
    return tuple(
        MonthDiscipline(start.date(), *(found[kind][i] for kind in kinds)) for i, (start, _end) in enumerate(months)
    )


def _edges(periods: Sequence[tuple[datetime, datetime]]) -> list[datetime]:
    return [periods[0][0], *(end for _start, end in periods)]


def _ledger(owner: User, months: list[tuple[datetime, datetime]]) -> tuple[MonthLedger, ...]:
    """Gives and gets by month: one GROUP BY."""
    edges = [moment.date() for moment in _edges(months)]
    counts: dict[tuple[int, str], int] = {}
    rows = (
        Exchange.objects.for_owner(owner)
        .filter(happened_on__gte=edges[0], happened_on__lt=edges[-1])
        .order_by()
        .values_list(period_of("happened_on", edges), "direction")
        .annotate(n=Count("id"))
    )
    for period, direction, n in rows:
        counts[period, direction] = n
    gave, got = Exchange.Direction.GAVE, Exchange.Direction.GOT
    return tuple(
        MonthLedger(start.date(), counts.get((i, gave), 0), counts.get((i, got), 0))
        for i, (start, _end) in enumerate(months)
    )


def _touches(owner: User, now: datetime, tz: tzinfo) -> tuple[WeekTouches, ...]:
    weeks = [week_bounds(now, tz, back) for back in range(WEEKS - 1, -1, -1)]
    counts = touches_by_week(owner, weeks)
    return tuple(WeekTouches(start.date(), n) for (start, _end), n in zip(weeks, counts, strict=True))


# --- strength and status ---------------------------------------------------------------------------


def _at_least(strength: float) -> float:
    """ln of the decayed sum at which the strength shown (rounded) reaches ``strength``, as
    ``services.filter_by_strength`` bounds it."""
    return math.log(model.raw_for_score(strength - 0.5))


_HAS_HISTORY = ExpressionWrapper(Q(strength__log_key__isnull=False), output_field=BooleanField())


def _strength(owner: User, now: datetime) -> StrengthSpread:
    """One GROUP BY for the histogram and the bands (by the step today's ln strength falls in),
    one query for the statuses of the few ties SQL says may be quiet."""
    steps = 100 // STRENGTH_STEP
    # From below people with no history (``NO_HISTORY``) to above any ln strength: plain floats,
    # as both databases take them.
    edges = [NO_HISTORY - 1, *(_at_least(step * STRENGTH_STEP) for step in range(1, steps)), -NO_HISTORY]
    rows = (
        Person.objects.for_owner(owner)
        .in_network()
        .order_by()
        .annotate(log_strength=log_strength(now))
        .values_list(period_of("log_strength", edges), _HAS_HISTORY)
        .annotate(n=Count("id"))
    )
    counts, history = [0] * steps, 0
    for step, has_history, n in rows:
        counts[step] += n
        history += n if has_history else 0
    strong = sum(counts[60 // STRENGTH_STEP :])
    medium = sum(counts[30 // STRENGTH_STEP :]) - strong
    at_risk, dormant = _statuses(owner, now)
    return StrengthSpread(
        steps=tuple(counts),
        strong=strong,
        medium=medium,
        weak=sum(counts) - strong - medium,
        no_history=sum(counts) - history,
        at_risk=at_risk,
        dormant=dormant,
    )


def _statuses(owner: User, now: datetime) -> tuple[int, int]:
    """How many ties in the network are at risk and dormant today: SQL narrows them to those that
    may be (``services.may_be_quiet``), ``strength.status_of`` decides each, as everywhere else."""
    cadence_for = get_profile(owner).cadence_for
    rows = raw_rows(
        Strength.objects.for_owner(owner)
        .filter(may_be_quiet(model.days(now)), person__is_prospect=False)
        .order_by()
        .values_list(*STRENGTH_FIELDS[1:], "person__closeness", "person__cadence_days", "person__is_cadence_never")
    )
    found = {model.AT_RISK: 0, model.DORMANT: 0, model.ACTIVE: 0}
    width = len(STRENGTH_FIELDS) - 1
    for row in rows:
        summary = model.Summary(*row[:width])
        closeness, cadence_days, never = row[width:]
        cadence = cadence_of(
            cadence_for, closeness=closeness, cadence_days=cadence_days, is_cadence_never=never, is_prospect=False
        )
        found[model.status_of(summary, closeness, model.usual_interval(summary.usual, cadence), now)] += 1
    return found[model.AT_RISK], found[model.DORMANT]


# --- where: organizations, how people were met -----------------------------------------------------


def _organizations(owner: User) -> tuple[OrganizationCount, ...]:
    """The organizations where most people in the network are now (their current position)."""
    rows = (
        Person.objects.for_owner(owner)
        .in_network()
        .filter(organization__isnull=False)
        .order_by()
        .values("organization_id", "organization__name")
        .annotate(n=Count("id"))
        .order_by("-n", "organization__name", "organization_id")[:TOP_ORGANIZATIONS]
    )
    return tuple(OrganizationCount(r["organization_id"], r["organization__name"], r["n"]) for r in rows)


def _sources(owner: User) -> Sources:
    introduced = Q(met_through__isnull=False)
    at_event = ~introduced & Exists(EventMet.objects.for_owner(owner).filter(person=OuterRef("pk"), is_new_person=True))
    imported = (
        ~introduced
        & ~at_event
        & Exists(HistoryEntry.objects.for_owner(owner).filter(person=OuterRef("pk"), kind=HistoryEntry.Kind.IMPORTED))
    )
    row = (
        Person.objects.for_owner(owner)
        .in_network()
        .aggregate(
            total=Count("id"),
            introduced=Count("id", filter=introduced),
            at_event=Count("id", filter=at_event),
            imported=Count("id", filter=imported),
        )
    )
    rest = row["total"] - row["introduced"] - row["at_event"] - row["imported"]
    return Sources(row["introduced"], row["at_event"], row["imported"], rest)


# --- all of it -------------------------------------------------------------------------------------


def insights(owner: User, *, now: datetime | None = None) -> Insights:
    """The picture of ``owner``'s network today: about a dozen queries, whatever its size."""
    now = now or clock.now()
    ensure_strengths(owner, now=now)
    tz = get_profile(owner).tz
    months = month_bounds(now, tz)
    # Each month's end, and now for this month.
    ends = [(start.date(), min(end, now)) for start, end in months]
    counts = _people_counts(owner)
    return Insights(
        now=now,
        people=sum(n for (_c, _k, prospect), n in counts.items() if not prospect),
        prospects=sum(n for (_c, _k, prospect), n in counts.items() if prospect),
        circles=_circles(counts),
        layers=_layers(counts),
        months=_months(owner, ends, tz),
        discipline=_discipline(owner, months, now),
        ledger=_ledger(owner, months),
        touches=_touches(owner, now, tz),
        strength=_strength(owner, now),
        organizations=_organizations(owner),
        sources=_sources(owner),
    )
