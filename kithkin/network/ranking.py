"""Which check-ins matter most today: the due check-ins ranked by value, not by how overdue they are.

A check-in's value is a sum of points (``check_in_value``, pure), each with the words that say it:

- the tie itself: strength × 0.4 (0-40); a tie of 40 or more that is fading adds 15 ("strong tie,
  fading"), a weaker fading one 5; a rising one 4 (keep the momentum); a close tie at risk 10;
- how far past their cadence: 8 points per cadence overdue, at most 16, so being merely more
  overdue never outweighs a strong tie or a debt;
- you owe them one (help received lately and not returned) 25; each time they helped you, ever,
  2 (at most 6);
- relevance to your goals: 12 for each goal they are a way into (at most 2); their needs you
  could meet: 8 each (at most 2).

The "why" of a row is the words of its largest one or two parts. Ties break by value, then the
sooner due, then the id, so the order is the same on Today and on the command line.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import connection

from kithkin.accounts.services import get_profile
from kithkin.core import stamps
from kithkin.core.db import aware, raw_rows
from kithkin.followups.models import FollowUp
from kithkin.followups.services import due_list
from kithkin.network import strength as model
from kithkin.network.services import STRENGTH_FIELDS, ensure_strengths
from kithkin.network.signals import Relevance, fingerprint, relevance
from kithkin.people.services import cadence_of

STRENGTH_FACTOR = 0.4
STRONG = 40
FADING_STRONG, FADING_WEAK, RISING = 15.0, 5.0, 4.0
AT_RISK_POINTS = 10.0
OVERDUE_PER_CADENCE, OVERDUE_MAX = 8.0, 16.0
OWE_THEM = 25.0
HELPED_EACH, HELPED_MAX = 2.0, 6.0
GOAL_EACH, GOALS_COUNTED = 12.0, 2
NEED_EACH, NEEDS_COUNTED = 8.0, 2
# A part this small is not worth saying as "why".
WHY_MIN = 5.0
WHY_PARTS = 2
EMPTY = model.Summary(None, model.TAU_DEFAULT, 0.0, None, None, None, None, None, 0)


@dataclass(frozen=True)
class Part:
    points: float
    words: str


def tie_part(strength: int, trend: str, status: str) -> Part:
    """What the tie itself is worth: its strength, where it is going, and whether a close tie is at
    risk."""
    strong = strength >= STRONG
    points = strength * STRENGTH_FACTOR
    if trend == model.FADING:
        points += FADING_STRONG if strong else FADING_WEAK
    elif trend == model.RISING:
        points += RISING
    if status == model.AT_RISK:
        points += AT_RISK_POINTS
    noun = "strong tie" if strong else "tie"
    moving = {model.FADING: "fading", model.RISING: "rising"}.get(trend)
    if status == model.AT_RISK:
        words = f"{noun} at risk"
    elif moving:
        words = f"{noun}, {moving}" if strong else f"{moving} tie"
    else:
        words = noun if strong else ""
    return Part(points, words)


def overdue_part(overdue_days: float, cadence_days: float) -> Part:
    """How far past their cadence, counted in cadences so a weekly and a yearly tie compare."""
    cadences = max(0.0, overdue_days) / max(cadence_days, 1.0)
    points = min(OVERDUE_MAX, OVERDUE_PER_CADENCE * cadences)
    words = f"{round(overdue_days)} days past a {round(cadence_days)}-day rhythm"
    return Part(points, words)


def relevance_parts(found: Relevance) -> list[Part]:
    """What they mean to you beyond the tie: a debt, your goals, their needs."""
    parts = []
    if found.owe_them:
        parts.append(Part(OWE_THEM, found.owe_them))
    if found.helped_you:
        parts.append(Part(min(HELPED_MAX, HELPED_EACH * found.helped_you), f"helped you {found.helped_you}×"))
    parts += [Part(GOAL_EACH, words) for words in found.goals[:GOALS_COUNTED]]
    parts += [Part(NEED_EACH, words) for words in found.needs[:NEEDS_COUNTED]]
    return parts


def check_in_value(
    *,
    strength: int,
    trend: str,
    status: str,
    overdue_days: float,
    cadence_days: float,
    found: Relevance | None = None,
) -> tuple[float, str]:
    """A check-in's value and the words of its largest parts (see the module's docstring)."""
    parts = [tie_part(strength, trend, status), overdue_part(overdue_days, cadence_days)]
    if found is not None:
        parts += relevance_parts(found)
    said = sorted((p for p in parts if p.points >= WHY_MIN and p.words), key=lambda p: -p.points)
    return round(sum(p.points for p in parts), 2), "; ".join(p.words for p in said[:WHY_PARTS])


@dataclass(frozen=True)
class Scored:
    id: int
    value: float
    why: str
    remind_at: datetime


@dataclass(frozen=True)
class RankedCheckIn:
    follow_up: FollowUp
    value: float
    why: str
    rank: int  # 1-based, over every due check-in


@dataclass(frozen=True)
class RankedCheckIns:
    rows: list[RankedCheckIn]
    total: int  # every due check-in, shown or not


# What scoring reads of each due check-in: the follow-up, the person's cadence, their stored tie.
COLUMNS = (
    "id",
    "remind_at",
    "due_at",
    "person_id",
    "person__closeness",
    "person__cadence_days",
    "person__is_cadence_never",
    "person__is_prospect",
    *(f"person__strength__{field}" for field in STRENGTH_FIELDS[1:]),
)


SUMMARY_AT = len(COLUMNS) - len(STRENGTH_FIELDS) + 1


def _summary(row: Sequence[Any]) -> model.Summary:
    """The stored summary of a row's tie; a person with no history has none (all NULL)."""
    stored = row[SUMMARY_AT:]
    return model.Summary(*stored) if stored[1] is not None else EMPTY


# The ranked check-ins, per owner, while nothing they are read from has changed: Today is opened
# far more often than anything is logged, and at 30,000 people ranking 3,000 due check-ins takes
# about 110 ms, checking the keys below about 15.
_RANKED: OrderedDict[int, tuple[tuple[object, ...], list[Scored]]] = OrderedDict()
_OWNERS_RANKED = 8
_lock = threading.Lock()


def forget() -> None:
    """Drop every remembered ranking (each test starts afresh)."""
    with _lock:
        _RANKED.clear()


def score_check_ins(owner: User, now: datetime, *, until: datetime | None = None) -> list[Scored]:
    """Every check-in due by ``until`` (default ``now``), scored and in ranked order: two queries
    for the check-ins and their ties, and the fixed few of ``relevance``.

    Remembered while the owner's stamp (moved by any change to people, follow-ups or settings,
    which touches and the ledger make too), the fingerprint of what relevance reads, and the
    minute stay the same."""
    minute = ((until or now).replace(second=0, microsecond=0), now.replace(second=0, microsecond=0))
    key = (stamps.stamp(owner.pk), fingerprint(owner, now), minute, connection.alias)
    with _lock:
        remembered = _RANKED.get(owner.pk)
        if remembered is not None and remembered[0] == key:
            _RANKED.move_to_end(owner.pk)
            return remembered[1]
    scored = _score_check_ins(owner, now, until)
    with _lock:
        _RANKED[owner.pk] = (key, scored)
        _RANKED.move_to_end(owner.pk)
        while len(_RANKED) > _OWNERS_RANKED:
            _RANKED.popitem(last=False)
    return scored


def _score_check_ins(owner: User, now: datetime, until: datetime | None) -> list[Scored]:
    profile = get_profile(owner)
    ensure_strengths(owner, now=now)
    rows = raw_rows(due_list(owner, until or now).filter(kind=FollowUp.Kind.CHECK_IN).order_by().values_list(*COLUMNS))
    found = relevance(owner, [row[3] for row in rows], now)
    scored = []
    for row in rows:
        pk, remind_at, due_at, person_id, closeness, cadence_days, never, prospect = row[:8]
        remind_at, due_at = aware(remind_at), aware(due_at)
        cadence = cadence_of(
            profile.cadence_for,
            closeness=closeness,
            cadence_days=cadence_days,
            is_cadence_never=never,
            is_prospect=prospect,
        )
        summary = _summary(row)
        tie = model.assess(summary, closeness=closeness, cadence=cadence, now=now)
        value, why = check_in_value(
            strength=tie.strength,
            trend=tie.trend,
            status=tie.status,
            overdue_days=(now - due_at).total_seconds() / 86400.0,
            cadence_days=float(cadence or tie.usual_days),
            found=found.get(person_id),
        )
        scored.append(Scored(pk, value, why, remind_at))
    scored.sort(key=lambda s: (-s.value, s.remind_at, s.id))
    return scored


def rank_check_ins(
    owner: User, now: datetime, *, limit: int | None = None, offset: int = 0, until: datetime | None = None
) -> RankedCheckIns:
    """The due check-ins, most valuable first: ``limit`` of them from ``offset`` as follow-ups
    (with their person and touch), and how many are due in all. A fixed number of queries."""
    scored = score_check_ins(owner, now, until=until)
    chosen = scored[offset : None if limit is None else offset + limit]
    objects = (
        FollowUp.objects.for_owner(owner).filter(pk__in=[s.id for s in chosen]).select_related("person", "touch")
    ).in_bulk()
    rows = [RankedCheckIn(objects[s.id], s.value, s.why, offset + i + 1) for i, s in enumerate(chosen)]
    return RankedCheckIns(rows, len(scored))
