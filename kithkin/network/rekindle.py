"""Rekindle: the quiet ties worth reviving, ranked, each with an opener, and what the user does
about them (reached out, not now, let go).

Who is a candidate: anyone in the network whose tie is at risk or dormant today
(``strength.status_of``), and anyone else out of touch (never touched, or silent over a year:
acquaintances, people imported by the thousand) only when ``signals.relevance`` finds a reason
(a goal of yours, a need you can meet, help they gave). Never a prospect, someone let go, or
someone snoozed. SQL narrows 30,000 people to the few that can qualify on the stored strength
columns; Python then decides exactly and ranks with ``rekindle_score``.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import ExpressionWrapper, F, FloatField, Q, QuerySet, Value, prefetch_related_objects
from django.db.models.functions import Coalesce, Greatest, Least

from kithkin.core import clock
from kithkin.core.db import raw_rows
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import require_owned
from kithkin.drafts.services import draft_rekindle
from kithkin.interactions.models import Touch
from kithkin.interactions.services import log_touch
from kithkin.introductions.drafts import Draft
from kithkin.network import strength as model
from kithkin.network.models import RekindleChoice, Strength
from kithkin.network.openers import SUGGESTION_WORDS, Facts, closing, opener, opener_facts, paragraph, suggestion_for
from kithkin.network.services import STRENGTH_FIELDS, ensure_strengths, may_be_quiet, summary_of
from kithkin.network.signals import Relevance, relevance
from kithkin.people.models import Person
from kithkin.people.services import effective_cadence

SNOOZE = timedelta(days=91)
# Out of touch for a wider tie: never touched, or silent this long.
OUT_OF_TOUCH_DAYS = 365.0
CHUNK = 900
# How many quiet ties, by closeness and silence alone, relevance may re-rank: five per place.
SHORTLIST_FACTOR = 5
SHORTLIST_EXTRA = 50

# --- ranking -------------------------------------------------------------------------------------

CLOSENESS_WEIGHT = 0.5  # peak strength 0-100 counts for up to 50
SILENCE_POINTS = 20.0  # silence counts for up to 20 ...
SILENCE_CAP = 8.0  # ... reached at eight times the usual interval (dormant)
RELEVANCE_CAP = 45.0  # ``Relevance.points``: help owed, a goal, a need, past help (up to 44)


def rekindle_score(*, peak: float, silence_days: float | None, usual_days: float, relevance_points: float) -> float:
    """How much reviving a tie is worth, 0 to 115: how close you were (half its peak strength,
    up to 50), how long it has been relative to its own rhythm (up to 20, reached at eight times
    the usual interval; a tie never touched counts as half that), and why they matter now
    (``signals.Relevance.points``: help you owe, your goals, their needs, past help; up to 45)."""
    if silence_days is None:
        how_long = SILENCE_POINTS / 2
    else:
        ratio = silence_days / usual_days if usual_days > 0 else SILENCE_CAP
        how_long = SILENCE_POINTS * min(max(ratio, 0.0), SILENCE_CAP) / SILENCE_CAP
    return round(
        CLOSENESS_WEIGHT * peak + how_long + min(max(relevance_points, 0.0), RELEVANCE_CAP),
        2,
    )


def how_long(days: float | None) -> str:
    """ "4 months", "2 years"; "never in touch" without a touch."""
    if days is None:
        return "never in touch"
    d = int(days)
    if d < 14:
        return f"{d} days" if d != 1 else "1 day"
    if d < 60:
        return f"{d // 7} weeks"
    if d < 730:
        return f"{round(d / 30.44)} months"
    return f"{d // 365} years"


def reasons_for(assessment: model.Assessment, peak: float, signals: Relevance | None) -> list[str]:
    """Why a tie is on the list, in short phrases."""
    reasons: list[str] = []
    if peak >= model.ONCE_CLOSE_BY_PEAK:
        reasons.append(f"once close (strength {round(peak)} at its best)")
    if assessment.silence_days is not None and assessment.status != model.ACTIVE:
        reasons.append(
            f"quiet for {how_long(assessment.silence_days)}, usually every {how_long(assessment.usual_days)}"
        )
    if signals is not None:
        if signals.owe_them:
            reasons.append(f"you owe them one: {signals.owe_them}")
        reasons.extend(signals.goals)
        reasons.extend(signals.needs)
        if signals.helped_you:
            times = "once" if signals.helped_you == 1 else f"{signals.helped_you} times"
            reasons.append(f"helped you {times}")
    return reasons


# --- the list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    person: Person
    assessment: model.Assessment
    score: float
    reasons: tuple[str, ...]
    opener: str
    suggestion: str  # "coffee", "call" or "message"
    draft: Draft

    @property
    def suggestion_words(self) -> str:
        return SUGGESTION_WORDS[self.suggestion]

    @property
    def silence_words(self) -> str:
        return how_long(self.assessment.silence_days)


PERSON_FIELDS = (
    "id",
    "owner_id",  # a draft checks whose the person is
    "full_name",
    "given_name",
    "nicknames",
    "closeness",
    "circle",
    "cadence_days",
    "is_cadence_never",
    "is_prospect",
)


def eligible(owner: User, now: datetime) -> QuerySet[Person]:
    """The people Rekindle may show: in the network, not let go, not snoozed."""
    held_back = RekindleChoice.objects.for_owner(owner).filter(Q(let_go_at__isnull=False) | Q(snoozed_until__gt=now))
    return (
        Person.objects.for_owner(owner)
        .in_network()
        .exclude(pk__in=held_back.values("person_id"))
        .only(*PERSON_FIELDS)
        .order_by()
    )


def _chosen(owner: User, now: datetime, ids: list[int]) -> list[Person]:
    """The people of ``ids`` Rekindle may show, each with their stored tie's columns (``_summary``)."""
    stored = {f"stored_{field}": F(f"strength__{field}") for field in STRENGTH_FIELDS[1:]}
    return list(eligible(owner, now).filter(pk__in=ids).annotate(**stored))


def base_score(today: float) -> ExpressionWrapper:
    """``rekindle_score`` without relevance, as SQL over a stored tie's columns (an unknown usual
    interval counts as ``strength.USUAL_FALLBACK_DAYS``)."""
    usual = Greatest(Coalesce(F("usual"), Value(model.USUAL_FALLBACK_DAYS)), Value(1.0))
    ratio = Least((Value(today) - F("last_day")) / usual, Value(SILENCE_CAP))
    return ExpressionWrapper(
        Value(CLOSENESS_WEIGHT) * F("peak") + Value(SILENCE_POINTS / SILENCE_CAP) * ratio,
        output_field=FloatField(),
    )


def _quiet(owner: User, today: float, now: datetime, shortlist: int) -> list[Person]:
    """The ``shortlist`` best, by ``rekindle_score`` without relevance, of those whose stored
    strength lets them be at risk or dormant today: once close (by closeness or peak) and silent
    past twice their usual interval (or a year, or any time when no interval is known);
    ``strength.status_of`` then decides exactly. Relevance re-ranks within the shortlist: at
    30,000 people thousands of ties can be quiet, and reading them all as people would cost
    seconds. Read from the stored ties (their owner's index), the people looked up by key."""
    best = (
        Strength.objects.for_owner(owner)
        .filter(may_be_quiet(today), person__is_prospect=False)
        .exclude(person_id__in=_held_back(owner, now))
        .annotate(base=base_score(today))
        .order_by(F("base").desc(), "person_id")
        .values_list("person_id", flat=True)[:shortlist]
    )
    return _chosen(owner, now, list(best))


def _held_back(owner: User, now: datetime) -> set[int]:
    """The people the user let go, or snoozed until later."""
    choices = RekindleChoice.objects.for_owner(owner).filter(Q(let_go_at__isnull=False) | Q(snoozed_until__gt=now))
    return set(choices.values_list("person_id", flat=True))


def _out_of_touch(
    owner: User, signals: dict[int, Relevance], wanted: set[int], today: float, now: datetime, shortlist: int
) -> list[Person]:
    """Of the people in ``wanted`` (who matter now), the ``shortlist`` best by ``rekindle_score``
    of those never touched or silent over a year. One pass over the stale people's ids and stored
    ties, without an IN list of thousands, then the chosen few as people."""
    stale = Q(strength__isnull=True) | Q(strength__last_day__isnull=True)
    stale |= Q(strength__last_day__lt=today - OUT_OF_TOUCH_DAYS)
    columns = ("pk", *(f"strength__{field}" for field in STRENGTH_FIELDS[1:]))
    scored: list[tuple[float, int]] = []
    for row in raw_rows(eligible(owner, now).filter(stale).values_list(*columns)):
        if row[0] not in wanted:
            continue
        summary = model.Summary(*row[1:]) if row[2] is not None else summary_of(None)
        silence = today - summary.last_day if summary.last_day is not None else None
        points = signals[row[0]].points
        usual = model.usual_interval(summary.usual, None)
        scored.append(
            (rekindle_score(peak=summary.peak, silence_days=silence, usual_days=usual, relevance_points=points), row[0])
        )
    best = [pk for _score, pk in heapq.nlargest(shortlist, scored)]
    return _chosen(owner, now, best) if best else []


def _summary(person: Person) -> model.Summary:
    """The stored summary of a person read by ``_chosen``; no history has none (all NULL)."""
    stored = [getattr(person, f"stored_{field}") for field in STRENGTH_FIELDS[1:]]
    return model.Summary(*stored) if stored[1] is not None else summary_of(None)


@dataclass(frozen=True)
class _Ranked:
    person: Person
    assessment: model.Assessment
    score: float
    reasons: tuple[str, ...]


def _rank(owner: User, person: Person, signals: Relevance | None, now: datetime) -> _Ranked | None:
    summary = _summary(person)
    found = model.assess(summary, closeness=person.closeness, cadence=effective_cadence(person, owner), now=now)
    if found.status == model.ACTIVE and signals is None:
        return None
    score = rekindle_score(
        peak=summary.peak,
        silence_days=found.silence_days,
        usual_days=found.usual_days,
        relevance_points=signals.points if signals else 0.0,
    )
    return _Ranked(person, found, score, tuple(reasons_for(found, summary.peak, signals)))


def _worth_it(signals: Relevance) -> bool:
    return bool(signals.goals or signals.needs or signals.helped_you or signals.owe_them)


def rekindle_list(owner: User, *, now: datetime | None = None, limit: int = 20) -> list[Candidate]:
    """The ties worth reviving today, best first (ties broken by name, then id), each with its
    opener and draft; a fixed number of queries whatever the size of the network."""
    now = now or clock.now()
    ensure_strengths(owner, now=now)
    today = model.days(now)
    signals = relevance(owner, None, now)
    people = {p.pk: p for p in _quiet(owner, today, now, SHORTLIST_FACTOR * max(limit, 1) + SHORTLIST_EXTRA)}
    shortlist = SHORTLIST_FACTOR * max(limit, 1) + SHORTLIST_EXTRA
    wanted = {pk for pk, s in signals.items() if pk not in people and _worth_it(s)}
    people.update((p.pk, p) for p in _out_of_touch(owner, signals, wanted, today, now, shortlist))
    ranked = [r for p in people.values() if (r := _rank(owner, p, signals.get(p.pk), now)) is not None]
    ranked.sort(key=lambda r: (-r.score, r.person.full_name, r.person.pk))
    chosen = ranked[: max(limit, 0)]
    silence = {r.person.pk: (r.assessment.silence_days, r.assessment.usual_days) for r in chosen}
    facts = opener_facts(owner, [r.person for r in chosen], silence, now=now)
    # Each draft is addressed to the person's first email: one query for all of them.
    prefetch_related_objects([r.person for r in chosen], "emails")
    return [_candidate(owner, r, facts[r.person.pk], now) for r in chosen]


def _candidate(owner: User, ranked: _Ranked, facts: Facts, now: datetime) -> Candidate:
    text = opener(facts, now)
    suggestion = suggestion_for(facts)
    return Candidate(
        person=ranked.person,
        assessment=ranked.assessment,
        score=ranked.score,
        reasons=ranked.reasons,
        opener=text,
        suggestion=suggestion,
        draft=draft_rekindle(owner, ranked.person, paragraph(facts, now), suggestion=closing(facts), now=now),
    )


# --- what the user does --------------------------------------------------------------------------


def reached_out(owner: User, person: Person, *, kind: str = "message", now: datetime | None = None) -> Touch:
    """Log that you reached out (a touch you started, now): the tie is active again and leaves
    the list."""
    now = now or clock.now()
    return log_touch(owner, [person], kind, now, initiated_by=Touch.InitiatedBy.ME, now=now)


def _choice(owner: User, person: Person, now: datetime) -> RekindleChoice:
    require_owned(owner, person, field="person", message="no such person")
    choice, _ = RekindleChoice.objects.for_owner(owner).get_or_create(
        owner=owner, person=person, defaults={"created_at": now}
    )
    return choice


@transaction.atomic
def snooze_rekindle(
    owner: User, person: Person, *, until: datetime | None = None, now: datetime | None = None
) -> RekindleChoice:
    """Not now: keep them off the list until ``until`` (a quarter from now by default)."""
    now = now or clock.now()
    until = until or now + SNOOZE
    if until <= now:
        raise BadInput("until", "must be in the future")
    choice = _choice(owner, person, now)
    choice.snoozed_until = until
    choice.save(update_fields=["snoozed_until"])
    return choice


@transaction.atomic
def let_go(owner: User, person: Person, *, now: datetime | None = None) -> RekindleChoice:
    """Let this tie go: they no longer appear on Rekindle (``keep_in_mind`` undoes it)."""
    now = now or clock.now()
    choice = _choice(owner, person, now)
    choice.let_go_at = now
    choice.save(update_fields=["let_go_at"])
    return choice


@transaction.atomic
def keep_in_mind(owner: User, person: Person, *, now: datetime | None = None) -> None:
    """Undo letting go (and any snooze): they may appear on Rekindle again."""
    require_owned(owner, person, field="person", message="no such person")
    RekindleChoice.objects.for_owner(owner).filter(person=person).update(let_go_at=None, snoozed_until=None)
