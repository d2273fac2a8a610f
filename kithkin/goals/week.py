"""The weekly routine: networking as a habit, not a job-search emergency.

Each week (Monday to Sunday, in the user's time zone) has three targets from the settings:
touches logged, new people met, gives made. A week is met when all three are; the streak is
the run of weeks met up to this one (this week counts once met, and does not break the run
while it is still going). The weekly review lists what the week held.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TypeVar

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from kithkin.accounts.models import Profile
from kithkin.accounts.services import get_profile
from kithkin.core import clock, stamps
from kithkin.core.db import count_each
from kithkin.core.errors import BadInput
from kithkin.core.periods import period_of
from kithkin.exchanges.models import Ask, Exchange, Kind
from kithkin.followups.models import FollowUp
from kithkin.interactions.models import Touch
from kithkin.interactions.services import week_start
from kithkin.introductions.models import Introduction
from kithkin.people.models import HistoryEntry, Person

# How far back the streak looks (and so at most how long it can be shown to be).
STREAK_WEEKS = 26
MAX_WEEKS_AGO = 520
REVIEW_ROWS = 100
# How long the weeks' counts are kept (see ``_kept``) at most.
KEPT_SECONDS = 3600

T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """One of the week's three targets: how many done against how many wanted."""

    name: str  # "touches", "new people", "gives"
    done: int
    goal: int

    @property
    def is_met(self) -> bool:
        return self.done >= self.goal

    @property
    def shown(self) -> int:
        """What a progress bar shows: never past full."""
        return min(self.done, self.goal)

    @property
    def label(self) -> str:
        """ "3 of 5 touches", "1 of 1 new person"."""
        noun = (
            {"new people": "new person", "gives": "give", "touches": "touch"}[self.name]
            if self.goal == 1
            else self.name
        )
        return f"{self.done} of {self.goal} {noun}"


@dataclass(frozen=True)
class WeekProgress:
    start: datetime  # Monday 00:00, local
    end: datetime  # the next Monday 00:00, local
    targets: tuple[Target, Target, Target]

    @property
    def is_met(self) -> bool:
        return all(t.is_met for t in self.targets)

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=6)

    def target(self, name: str) -> Target:
        return next(t for t in self.targets if t.name == name)


def week_bounds(now: datetime, tz: tzinfo, weeks_ago: int = 0) -> tuple[datetime, datetime]:
    """Monday 00:00 and the next Monday 00:00 (local) of the week ``weeks_ago`` weeks before ``now``'s."""
    monday = week_start(now, tz).date() - timedelta(weeks=weeks_ago)
    start = datetime.combine(monday, datetime.min.time(), tzinfo=tz)
    return start, datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=tz)


def _new_people(owner: User, start: datetime, end: datetime) -> QuerySet[Person]:
    """People new to the network between ``start`` and ``end``: met then (their met-on day), or
    added then by hand without a met-on day. Imported people without one are the user's past,
    not this week's doing."""
    imported = HistoryEntry.objects.filter(person=OuterRef("pk"), kind=HistoryEntry.Kind.IMPORTED)
    met = Q(met_on__gte=start.date(), met_on__lt=end.date())
    added = Q(met_on__isnull=True, created_at__gte=start, created_at__lt=end) & ~Exists(imported)
    return Person.objects.for_owner(owner).filter(met | added).in_network()


def _met_in(start: datetime, end: datetime) -> Q:
    return Q(met_on__gte=start.date(), met_on__lt=end.date()) | Q(
        met_on__isnull=True, created_at__gte=start, created_at__lt=end
    )


def _people_and_gives(owner: User, weeks: list[tuple[datetime, datetime]]) -> list[tuple[int, int]]:
    """(new people, gives) for each week, newest first: two queries however many weeks, each
    counting every week at once over the range they cover (few rows: people met and gives)."""
    first, last = weeks[-1][0], weeks[0][1]
    people = _new_people(owner, first, last).aggregate(
        **{f"w{i}": Count("id", filter=_met_in(s, e)) for i, (s, e) in enumerate(weeks)}
    )
    gives = (
        Exchange.objects.for_owner(owner)
        .filter(direction=Exchange.Direction.GAVE, happened_on__gte=first.date(), happened_on__lt=last.date())
        .aggregate(
            **{
                f"w{i}": Count("id", filter=Q(happened_on__gte=s.date(), happened_on__lt=e.date()))
                for i, (s, e) in enumerate(weeks)
            }
        )
    )
    return [(people[f"w{i}"], gives[f"w{i}"]) for i in range(len(weeks))]


def _touches(owner: User, start: datetime, end: datetime) -> QuerySet[Touch]:
    return Touch.objects.for_owner(owner).filter(happened_at__gte=start, happened_at__lt=end).order_by()


def _progress(
    profile: Profile, bounds: tuple[datetime, datetime], touches: int, people: int, gives: int
) -> WeekProgress:
    return WeekProgress(
        start=bounds[0],
        end=bounds[1],
        targets=(
            Target("touches", touches, profile.weekly_touch_goal),
            Target("new people", people, profile.weekly_new_people_goal),
            Target("gives", gives, profile.weekly_gives_goal),
        ),
    )


def _kept(owner: User, what: str, make: Callable[[], T]) -> T:
    """``make()``, kept under the owner's stamp (``core.stamps.kept``): a touch, a person, a give
    or a change of the settings moves it on, so what is kept is never out of date. Today and the
    weekly review read the routine on every view, and counting 26 weeks of a 30,000-person
    network takes 20 to 60 ms."""
    return stamps.kept(owner.pk, f"week:{what}", make, seconds=KEPT_SECONDS)


def week_progress(owner: User, now: datetime | None = None, *, weeks_ago: int = 0) -> WeekProgress:
    """Progress on the three targets in the week ``weeks_ago`` weeks back (0: this week): three
    queries, or none while nothing changed (``_kept``)."""
    now = now or clock.now()
    profile = get_profile(owner)
    bounds = week_bounds(now, profile.tz, weeks_ago)

    def make() -> WeekProgress:
        ((people, gives),) = _people_and_gives(owner, [bounds])
        return _progress(profile, bounds, _touches(owner, *bounds).count(), people, gives)

    return _kept(owner, f"progress:{bounds[0].isoformat()}", make)


def _streak(
    owner: User,
    profile: Profile,
    this_week: WeekProgress,
    earlier: list[tuple[tuple[datetime, datetime], tuple[int, int]]],
) -> int:
    """Weeks in a row all met, counting back from this week (it adds once met, and does not
    break the run while it is still going). ``earlier`` holds the weeks before, newest first,
    with their (new people, gives). Touches are many (a busy network logs thousands a week), so
    a past week's are not counted: one query asks, for each week the new people and gives
    allow, whether its target-th touch exists (an index seek each)."""
    run = 1 if this_week.is_met else 0
    reach: list[tuple[datetime, datetime]] = []
    for bounds, (people, gives) in earlier:
        if people < profile.weekly_new_people_goal or gives < profile.weekly_gives_goal:
            break
        reach.append(bounds)
    goal = profile.weekly_touch_goal
    if not reach:
        return run
    if not goal:
        return run + len(reach)
    checks = {
        f"w{i}": Exists(_touches(owner, start, end).values("pk")[goal - 1 : goal])
        for i, (start, end) in enumerate(reach)
    }
    row = Profile.objects.filter(pk=profile.pk).annotate(**checks).values(*checks).first() or {}
    for i in range(len(reach)):
        if not row.get(f"w{i}"):
            break
        run += 1
    return run


@dataclass(frozen=True)
class Routine:
    """What Today shows: this week's progress and the streak."""

    week: WeekProgress
    streak: int
    is_longest_shown: bool  # the streak reaches as far back as we look ("26+ weeks")


def routine(owner: User, now: datetime | None = None) -> Routine | None:
    """This week's progress and the streak, or None when the user has set every target to zero.
    Four queries at most, whatever the streak (the profile is usually loaded already), and none
    while nothing it counts has changed (``_kept``)."""
    now = now or clock.now()
    profile = get_profile(owner)
    if not (profile.weekly_touch_goal or profile.weekly_new_people_goal or profile.weekly_gives_goal):
        return None
    weeks = [week_bounds(now, profile.tz, n) for n in range(STREAK_WEEKS)]

    def make() -> Routine:
        counts = _people_and_gives(owner, weeks)
        (people, gives) = counts[0]
        this_week = _progress(profile, weeks[0], _touches(owner, *weeks[0]).count(), people, gives)
        run = _streak(owner, profile, this_week, list(zip(weeks[1:], counts[1:], strict=True)))
        return Routine(this_week, run, run >= STREAK_WEEKS)

    return _kept(owner, f"routine:{weeks[0][0].isoformat()}", make)


RECENT_WEEKS = 8


def recent_weeks(owner: User, now: datetime | None = None, count: int = RECENT_WEEKS) -> list[WeekProgress]:
    """This week and the ``count - 1`` before it, newest first: three queries (the touches of
    those weeks are counted in one pass over their index range)."""
    now = now or clock.now()
    profile = get_profile(owner)
    weeks = [week_bounds(now, profile.tz, n) for n in range(count)]

    def make() -> list[WeekProgress]:
        counts = _people_and_gives(owner, weeks)
        touches = touches_by_week(owner, weeks)
        return [_progress(profile, bounds, touches[i], *counts[i]) for i, bounds in enumerate(weeks)]

    return _kept(owner, f"recent:{count}:{weeks[0][0].isoformat()}", make)


def touches_by_week(owner: User, weeks: Sequence[tuple[datetime, datetime]]) -> list[int]:
    """How many touches happened in each of ``weeks`` (any ranges), in one query: each counted by
    its own range of the touches' index. One pass over all the weeks testing every touch against
    each week costs ten times as much (40 ms at 30,000 people on SQLite)."""
    counts = count_each({f"w{i}": _touches(owner, s, e) for i, (s, e) in enumerate(weeks)})
    return [counts[f"w{i}"] for i in range(len(weeks))]


# --- the weekly review ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Discipline:
    """Follow-ups of one kind that fell due in a period (up to now, or done already): done by the
    time they were due (for a thank-you, sent within 24 hours of the touch), done later, let go
    (skipped), and still waiting."""

    due: int
    on_time: int
    late: int
    skipped: int
    waiting: int

    @property
    def share(self) -> int | None:
        """Per cent done on time (a thank-you: sent within 24 hours), or None when none fell due."""
        return round(100 * self.on_time / self.due) if self.due else None

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def done_share(self) -> int | None:
        """Per cent done at all, on time or later, or None when none fell due."""
        return round(100 * self.done / self.due) if self.due else None


@dataclass
class WeekReview:
    progress: WeekProgress
    weeks_ago: int
    touches: list[Touch]
    touch_count: int
    new_people: list[Person]
    gives: list[Exchange]
    received: list[Exchange]  # help received, introductions apart
    asks: list[Ask]
    introductions: list[Introduction]  # made: introduced this week
    introductions_moved: int  # other steps taken on introductions this week
    introduced_to: list[Exchange] = field(default_factory=list)  # received: someone introduced the user
    discipline: Discipline = field(default_factory=lambda: Discipline(0, 0, 0, 0, 0))
    follow_ups_done: int = 0

    @property
    def is_this_week(self) -> bool:
        return self.weeks_ago == 0


# How a follow-up that fell due ended, for ``discipline``'s GROUP BY.
_OUTCOME = Case(
    When(status=FollowUp.Status.DONE, completed_at__lte=F("due_at"), then=Value("on_time")),
    When(status=FollowUp.Status.DONE, then=Value("late")),
    When(status=FollowUp.Status.SKIPPED, then=Value("skipped")),
    default=Value("waiting"),
    output_field=CharField(),
)


def discipline(
    owner: User, kinds: Sequence[str], edges: Sequence[datetime], now: datetime
) -> dict[str, list[Discipline]]:
    """For each kind of follow-up, how promptly those that fell due in each period (from one edge
    to the next) were done: one ``Discipline`` per period, oldest first, in one GROUP BY. A
    follow-up counts in the period of its due time once that time has passed, or once closed."""
    counts: dict[str, list[dict[str, int]]] = {kind: [{} for _ in edges[1:]] for kind in kinds}
    # Due by now, or closed already: one done before its due time was on time.
    rows = (
        FollowUp.objects.for_owner(owner)
        .filter(Q(due_at__lt=now) | Q(completed_at__isnull=False), kind__in=list(kinds))
        .filter(due_at__gte=edges[0], due_at__lt=edges[-1])
        .order_by()
        .values_list("kind", period_of("due_at", edges), _OUTCOME)
        .annotate(n=Count("id"))
    )
    for kind, period, outcome, n in rows:
        counts[kind][period][outcome] = n
    return {
        kind: [
            Discipline(sum(c.values()), c.get("on_time", 0), c.get("late", 0), c.get("skipped", 0), c.get("waiting", 0))
            for c in periods
        ]
        for kind, periods in counts.items()
    }


def _discipline(owner: User, start: datetime, end: datetime, now: datetime) -> Discipline:
    """The week's thank-yous."""
    kind = FollowUp.Kind.THANK_YOU
    return discipline(owner, [kind], [start, end], now)[kind][0]


def week_review(owner: User, now: datetime | None = None, *, weeks_ago: int = 0) -> WeekReview:
    """What a week held: touches, new people, gives and help received, asks, introductions made
    and received, and how promptly thank-yous went out. A fixed number of queries."""
    if not 0 <= weeks_ago <= MAX_WEEKS_AGO:
        raise BadInput("weeks-ago", f"must be between 0 and {MAX_WEEKS_AGO}")
    now = now or clock.now()
    progress = week_progress(owner, now, weeks_ago=weeks_ago)
    start, end = progress.start, progress.end
    days = Q(happened_on__gte=start.date(), happened_on__lt=end.date())
    touches = Touch.objects.for_owner(owner).filter(happened_at__gte=start, happened_at__lt=end)
    exchanges = Exchange.objects.for_owner(owner).filter(days).select_related("person", "to_person")
    new_people = _new_people(owner, start, end).order_by("full_name", "id")
    in_week = Q(introduced_at__gte=start, introduced_at__lt=end)
    steps = Q()
    for moment in ("asked_a_at", "a_answered_at", "asked_b_at", "b_answered_at", "outcome_at", "dropped_at"):
        steps |= Q(**{f"{moment}__gte": start, f"{moment}__lt": end})
    intros = Introduction.objects.for_owner(owner)
    return WeekReview(
        progress=progress,
        weeks_ago=weeks_ago,
        touches=list(touches.order_by("-happened_at", "-id").prefetch_related("participants__person")[:REVIEW_ROWS]),
        touch_count=progress.target("touches").done,
        new_people=list(new_people.select_related("organization")[:REVIEW_ROWS]),
        gives=list(exchanges.filter(direction=Exchange.Direction.GAVE)[:REVIEW_ROWS]),
        received=list(exchanges.filter(direction=Exchange.Direction.GOT).exclude(kind=Kind.INTRO)[:REVIEW_ROWS]),
        asks=list(
            Ask.objects.for_owner(owner)
            .filter(asked_on__gte=start.date(), asked_on__lt=end.date())
            .select_related("person")[:REVIEW_ROWS]
        ),
        introductions=list(
            intros.filter(in_week).select_related("person_a", "person_b").order_by("introduced_at", "id")
        ),
        introductions_moved=intros.filter(steps).exclude(in_week).count(),
        introduced_to=list(exchanges.filter(direction=Exchange.Direction.GOT, kind=Kind.INTRO)[:REVIEW_ROWS]),
        discipline=_discipline(owner, start, end, now),
        follow_ups_done=FollowUp.objects.for_owner(owner)
        .filter(status=FollowUp.Status.DONE, completed_at__gte=start, completed_at__lt=end)
        .count(),
    )
