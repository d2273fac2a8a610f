"""Insights: a picture of the whole network, for the Insights page and `kithkin insights`.

Who is in it by circle and closeness, against Dunbar's layers (with how many of each were in
touch lately), and how many were in the network at the end of each of the last twelve months;
follow-up discipline, the give and take, and touches over time; strength and status; the
organizations with most people; where people were met. Every figure is counted in SQL (one
GROUP BY over the people, one per other part), in a fixed number of queries whatever the size of
the network, and returned as plain dataclasses.

Circle counts are those of `kithkin people --circle X`: everyone of that circle, prospects
included. Closeness, Dunbar's layers and everything else count the people in the network only
(prospects are people you want to meet, not yet people you know).
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.contrib.auth.models import User
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    Q,
    Value,
    When,
)

from kithkin.accounts.services import get_profile
from kithkin.core import clock, stamps
from kithkin.core.choices import Circle, Closeness
from kithkin.core.periods import period_of
from kithkin.events.models import EventMet
from kithkin.exchanges.models import Exchange
from kithkin.followups.models import FollowUp
from kithkin.goals.week import Discipline, discipline, touches_by_week, week_bounds
from kithkin.network import strength as model
from kithkin.network.services import NO_HISTORY, ensure_strengths, log_strength, status_sql
from kithkin.people.models import HistoryEntry, Organization, Person, Position

MONTHS = 12
WEEKS = 26
TOP_ORGANIZATIONS = 10
# In touch lately: a last touch within this many days (a quarter, the cadence of an active tie).
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
    added, by that day) by today's closeness (no history of closeness is kept)."""

    month: date  # the first of the month
    ends_at: datetime
    known: tuple[int, ...]  # by closeness, in LEVELS order

    @property
    def total_known(self) -> int:
        return sum(self.known)

    @property
    def by_level(self) -> tuple[tuple[str, int], ...]:
        return tuple(zip(LEVELS, self.known, strict=True))


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
    # By closeness: the people in the network touched in the last IN_TOUCH_DAYS days.
    in_touch: tuple[int, ...]
    months: tuple[MonthLayers, ...]  # oldest first
    discipline: tuple[MonthDiscipline, ...]  # oldest first
    ledger: tuple[MonthLedger, ...]  # oldest first
    touches: tuple[WeekTouches, ...]  # oldest first
    strength: StrengthSpread
    organizations: tuple[OrganizationCount, ...]
    sources: Sources

    @property
    def layer_rows(self) -> tuple[tuple[Layer, int], ...]:
        """Each layer with how many of its own people were in touch lately."""
        return tuple(zip(self.layers, self.in_touch, strict=True))


def month_bounds(now: datetime, tz: tzinfo, count: int = MONTHS) -> list[tuple[datetime, datetime]]:
    """The first moment of each of the last ``count`` months (this one last) and of the month
    after it, in the user's time zone, oldest first."""
    local = now.astimezone(tz)
    this = local.year * 12 + local.month - 1

    def first(index: int) -> datetime:
        return datetime(index // 12, index % 12 + 1, 1, tzinfo=tz)

    return [(first(index), first(index + 1)) for index in range(this - count + 1, this + 1)]


# --- who: circles, closeness, Dunbar ---------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    """One row of the pass over the people: how many share these values."""

    circle: str
    closeness: str
    is_prospect: bool
    known: int | None  # the first month-end by which they were in the network (None: after)
    in_touch: bool  # touched in the last IN_TOUCH_DAYS days
    introduced: bool  # met through someone
    step: int  # today's strength, in steps of STRENGTH_STEP
    has_history: bool
    status: str  # active, at risk, dormant
    people: int


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _people_pass(owner: User, now: datetime, tz: tzinfo, ends: Sequence[datetime]) -> list[_Group]:
    """Everyone, counted by circle, closeness, prospect or not, the month-end they were in the
    network by, whether in touch lately, whether met through someone, today's strength step and
    status: one GROUP BY over the people and their stored ties, the one read of the people's rows
    (a few thousand groups at most), from which the circles, the layers, the year and the
    strength are all read.

    Who was in touch at each past month-end would mean reading every touch of the year, 400,000
    at 30,000 people: seconds. So only today's is counted, from each person's last touch."""
    steps = 100 // STRENGTH_STEP
    # From below people with no history (``NO_HISTORY``) to above any ln strength: plain floats,
    # as both databases take them.
    edges = [NO_HISTORY - 1, *(_at_least(step * STRENGTH_STEP) for step in range(1, steps)), -NO_HISTORY]
    lately = Q(last_touch_at__gte=now - timedelta(days=IN_TOUCH_DAYS), last_touch_at__lte=now)
    rows = (
        Person.objects.for_owner(owner)
        .order_by()
        .annotate(log_strength=log_strength(now))
        .values_list(
            "circle",
            "closeness",
            "is_prospect",
            _known_on(tz, ends),
            _flag(lately),
            _flag(Q(met_through__isnull=False)),
            period_of("log_strength", edges),
            _flag(Q(strength__log_key__isnull=False)),
            status_sql(now, get_profile(owner).cadence_for),
        )
        .annotate(n=Count("id"))
    )
    return [
        _Group(c, k, bool(p), known, bool(t), bool(i), step, bool(h), status, n)
        for c, k, p, known, t, i, step, h, status, n in rows
    ]


def _circles(groups: list[_Group]) -> tuple[CircleCount, ...]:
    """Each circle's people (prospects included) and, of the network, by closeness: the groups
    collapsed once (thousands of them) before reading each circle."""
    counts: Counter[tuple[str, str, bool]] = Counter()
    for g in groups:
        counts[g.circle, g.closeness, g.is_prospect] += g.people
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


def _by_level(groups: Iterable[_Group]) -> tuple[int, ...]:
    counts = dict.fromkeys(LEVELS, 0)
    for g in groups:
        if g.closeness in counts:
            counts[g.closeness] += g.people
    return tuple(counts.values())


def _layers(network: list[_Group]) -> tuple[Layer, ...]:
    layers, within = [], 0
    for level, people in zip(LEVELS, _by_level(network), strict=True):
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


def _months(network: list[_Group], ends: list[tuple[date, datetime]]) -> tuple[MonthLayers, ...]:
    """Each month-end's people by closeness: those who joined by each end, summed up."""
    joined = [[0] * len(LEVELS) for _ in ends]
    for g in network:
        if g.known is not None and g.closeness in LEVELS:
            joined[g.known][LEVELS.index(g.closeness)] += g.people
    found, running = [], [0] * len(LEVELS)
    for (month, end), new in zip(ends, joined, strict=True):
        running = [a + b for a, b in zip(running, new, strict=True)]
        found.append(MonthLayers(month, end, tuple(running)))
    return tuple(found)


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


def _strength(network: list[_Group]) -> StrengthSpread:
    counts = [0] * (100 // STRENGTH_STEP)
    for g in network:
        counts[g.step] += g.people
    strong = sum(counts[60 // STRENGTH_STEP :])
    medium = sum(counts[30 // STRENGTH_STEP :]) - strong
    return StrengthSpread(
        steps=tuple(counts),
        strong=strong,
        medium=medium,
        weak=sum(counts) - strong - medium,
        no_history=sum(g.people for g in network if not g.has_history),
        at_risk=sum(g.people for g in network if g.status == model.AT_RISK),
        dormant=sum(g.people for g in network if g.status == model.DORMANT),
    )


# --- where: organizations, how people were met -----------------------------------------------------


def _organizations(owner: User) -> tuple[OrganizationCount, ...]:
    """The organizations where most people in the network are now: their current positions (the
    positions' own index, not a read of every person), less the prospects'."""
    top = list(
        Position.objects.for_owner(owner)
        .current()
        .filter(organization__isnull=False)
        .exclude(person__in=Person.objects.for_owner(owner).prospects().values("pk"))
        .order_by()
        .values_list("organization_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "organization_id")[:TOP_ORGANIZATIONS]
    )
    names = dict(Organization.objects.for_owner(owner).filter(pk__in=[pk for pk, _n in top]).values_list("pk", "name"))
    found = [OrganizationCount(pk, names[pk], n) for pk, n in top if pk in names]
    return tuple(sorted(found, key=lambda o: (-o.people, o.name.lower(), o.organization_id)))


def _sources(owner: User, network: list[_Group]) -> Sources:
    """Who was met through someone comes from the pass over the people; the new people of events
    and the imported from their own few rows (never a probe per person of 30,000)."""
    not_introduced = {"person__is_prospect": False, "person__met_through__isnull": True}
    at_event = set(
        EventMet.objects.for_owner(owner)
        .filter(is_new_person=True, **not_introduced)
        .values_list("person_id", flat=True)
    )
    imported = set(
        HistoryEntry.objects.for_owner(owner)
        .filter(kind=HistoryEntry.Kind.IMPORTED, **not_introduced)
        .values_list("person_id", flat=True)
    )
    introduced = sum(g.people for g in network if g.introduced)
    total = sum(g.people for g in network)
    imported -= at_event
    return Sources(introduced, len(at_event), len(imported), total - introduced - len(at_event) - len(imported))


# --- all of it -------------------------------------------------------------------------------------


# How long a day's picture is kept at most (see ``insights``).
KEPT_SECONDS = 3600


def insights(owner: User, *, now: datetime | None = None) -> Insights:
    """The picture of ``owner``'s network today: about ten queries, whatever its size. Kept for
    the day under the owner's stamp (any change to people, touches, gives or follow-ups makes it
    again), and at most an hour: at 30,000 people it takes about 350 ms to draw."""
    now = now or clock.now()
    today = now.astimezone(get_profile(owner).tz).date()
    found = stamps.kept(owner.pk, f"insights:{today.isoformat()}", lambda: _insights(owner, now), seconds=KEPT_SECONDS)
    return dataclasses.replace(found, now=now)


def _insights(owner: User, now: datetime) -> Insights:
    ensure_strengths(owner, now=now)
    tz = get_profile(owner).tz
    months = month_bounds(now, tz)
    # Each month's end, and now for this month.
    ends = [(start.date(), min(end, now)) for start, end in months]
    groups = _people_pass(owner, now, tz, [end for _month, end in ends])
    network = [g for g in groups if not g.is_prospect]
    return Insights(
        now=now,
        people=sum(g.people for g in network),
        prospects=sum(g.people for g in groups if g.is_prospect),
        circles=_circles(groups),
        layers=_layers(network),
        in_touch=_by_level(g for g in network if g.in_touch),
        months=_months(network, ends),
        discipline=_discipline(owner, months, now),
        ledger=_ledger(owner, months),
        touches=_touches(owner, now, tz),
        strength=_strength(network),
        organizations=_organizations(owner),
        sources=_sources(owner, network),
    )
