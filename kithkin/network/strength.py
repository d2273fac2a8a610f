"""Relationship strength, as pure functions over a person's history (no database here).

The strength of a tie is a decayed sum of what happened in it,

    s(t) = Σ w(event) · exp(-(t - t_event) / τ)

shown as 0-100 by ``score`` (100 · (1 - exp(-s / S_REF)), which saturates: a coffee every two
weeks for a year reaches the high eighties). With one τ per person the sum at any later time is the
stored sum times exp(-Δt/τ), so the database keeps ``ln s`` at a reference day plus that day over
τ (``log_key``), and ``ln s(now) = log_key - now / τ`` is plain arithmetic any SQL can sort by.
Nothing is rewritten as days pass.

Weights (relative; documented in docs/strength.md):
- time together counts most: a meal, a coffee, an informational interview 3; a meeting or a
  social get-together 2.5;
- voice and video 2; a chat at an event 1.5; an email 1, a message 0.75; anything else 1;
- help in either direction 2.5, an introduction received 3 (Granovetter: ties that pass on
  introductions and advice are the ones that matter);
- something they started counts 1.25 times (they reached out: the tie is two-way).

τ (days) by how you know them, after Roberts & Dunbar (2011, 2015), who measured that kin ties
decay far more slowly than friendships when contact stops, and Navarro et al. on persistent
ties: family 730, friend and classmate 365, neighbour and former colleague 270, colleague 120,
the rest 180. Inner and close ties keep 1.25 times longer; a tie known five years or more 1.5
times longer (long-standing ties persist); a new acquaintance (wider or acquaintance, known under
a year) at most 90 days.

Status (Levin, Walter & Murnighan 2011 on dormant ties):
- at risk: a close tie (inner or close, or strong by the numbers: peak 60 or more) silent for
  more than twice their own usual interval between touches (the median of the last twelve gaps
  between days in touch, a week at least);
- dormant: someone you were once close to (inner or close, or a peak of 40 or more) silent for
  more than eight times their usual interval, or for a year when the tie is now a wider one.

Trend: fading when silent for more than twice the usual interval; rising when just back in touch
after such a silence, when a new tie (under four months) has had more than one touch, or when
the last touches came faster than usual; steady otherwise.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

# --- weights -----------------------------------------------------------------------------------

TOUCH_WEIGHTS: dict[str, float] = {
    "meal": 3.0,
    "coffee": 3.0,
    "informational_interview": 3.0,
    "meeting": 2.5,
    "social": 2.5,
    "video": 2.0,
    "call": 2.0,
    "event": 1.5,
    "email": 1.0,
    "message": 0.75,
    "other": 1.0,
    # A touch of kind help that no ledger entry stands for (its entry was deleted).
    "help": 2.5,
}
HELP_WEIGHT = 2.5
INTRO_WEIGHT = 3.0
THEY_STARTED = 1.25

# --- decay -------------------------------------------------------------------------------------

TAU_BY_CIRCLE: dict[str, float] = {
    "family": 730.0,
    "friend": 365.0,
    "classmate": 365.0,
    "neighbor": 270.0,
    "former_colleague": 270.0,
    "colleague": 120.0,
}
TAU_DEFAULT = 180.0
CLOSE_LEVELS = frozenset({"inner", "close"})
WIDER_LEVELS = frozenset({"wider", "acquaintance"})
CLOSE_TAU_FACTOR = 1.25
LONG_STANDING = timedelta(days=5 * 365)
LONG_STANDING_FACTOR = 1.5
NEW_TIE = timedelta(days=365)
NEW_ACQUAINTANCE_TAU = 90.0
TAU_MIN, TAU_MAX = 60.0, 1095.0

# s at which strength is 63 (1 - 1/e); a single coffee today is 11, one two years ago is near 0,
# and only a tie kept up for years with many meetings comes near 100.
S_REF = 25.0
# The days the stored key counts from.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# --- status ------------------------------------------------------------------------------------

AT_RISK_FACTOR = 2.0
DORMANT_FACTOR = 8.0
DORMANT_WIDER_DAYS = 365.0
CLOSE_BY_PEAK = 60.0
ONCE_CLOSE_BY_PEAK = 40.0
# Without two touches to measure a rhythm, the check-in cadence stands in, else this.
USUAL_FALLBACK_DAYS = 90.0
USUAL_GAPS = 12
# Someone seen every day or two has a usual interval of a week, not a day: a month's holiday is not
# a dormant tie.
USUAL_MIN_DAYS = 7.0

ACTIVE, AT_RISK, DORMANT = "active", "at_risk", "dormant"
RISING, STEADY, FADING = "rising", "steady", "fading"
STATUS_WORDS = {ACTIVE: "active", AT_RISK: "at risk", DORMANT: "dormant"}
NEW_TIE_DAYS = 120.0
BACK_IN_TOUCH_MIN_GAP = 30.0
FASTER_FACTOR = 1.5


class Event(NamedTuple):
    """One thing that happened in a tie: a touch, or help given or received. A named tuple: a
    touch logged reads a person's whole history again, and a frozen dataclass took three times as
    long to make (a quarter of a millisecond for 500 touches)."""

    at: datetime
    kind: str  # a touch kind, or "gave", "got", "intro"
    weight: float
    by_them: bool = False
    # For "why": the ledger's words ("introduced you to Bo Chen"), empty for a touch.
    what: str = ""

    @property
    def value(self) -> float:
        return self.weight * (THEY_STARTED if self.by_them else 1.0)


def touch_event(at: datetime, kind: str, *, by_them: bool = False) -> Event:
    return Event(at, kind, TOUCH_WEIGHTS.get(kind, 1.0), by_them)


def help_event(at: datetime, direction: str, kind: str, what: str = "") -> Event:
    """An entry of the ledger: ``direction`` "gave" or "got"; an introduction received weighs most."""
    if direction == "got" and kind == "intro":
        return Event(at, "intro", INTRO_WEIGHT, True, what)
    return Event(at, direction, HELP_WEIGHT, direction == "got", what)


def _moment_of(event: Event) -> datetime:
    return event.at


def days(moment: datetime) -> float:
    """Days since the epoch, as the stored key counts them."""
    return (moment - EPOCH).total_seconds() / 86400.0


def tau_for(circle: str, closeness: str, first: datetime | None, at: datetime) -> float:
    """How many days a tie takes to fall to 1/e of its strength without contact."""
    tau = TAU_BY_CIRCLE.get(circle, TAU_DEFAULT)
    if closeness in CLOSE_LEVELS:
        tau *= CLOSE_TAU_FACTOR
    known = at - first if first is not None else timedelta(0)
    if known >= LONG_STANDING:
        tau *= LONG_STANDING_FACTOR
    elif closeness in WIDER_LEVELS and known < NEW_TIE:
        tau = min(tau, NEW_ACQUAINTANCE_TAU)
    return max(TAU_MIN, min(TAU_MAX, tau))


def score(raw: float) -> float:
    """The decayed sum as 0-100."""
    return 100.0 * (1.0 - math.exp(-raw / S_REF)) if raw > 0 else 0.0


def raw_for_score(strength: float) -> float:
    """The decayed sum that shows as ``strength`` (0 < strength < 100)."""
    return -S_REF * math.log(1.0 - strength / 100.0)


def decayed_sum(events: Iterable[Event], tau: float, at: datetime) -> float:
    """s(at) over the events up to ``at``."""
    return sum(e.value * math.exp(-(at - e.at).total_seconds() / 86400.0 / tau) for e in events if e.at <= at)


@dataclass(frozen=True)
class Summary:
    """What is stored of a tie: enough to tell its strength, trend and status on any later day."""

    log_key: float | None  # ln s at the last event + that day / τ; None without events
    tau: float
    peak: float  # the highest strength reached (0-100)
    usual: float | None  # the median days between touches, from the last few
    recent_gap: float | None  # the mean of the last three gaps
    first_day: float | None
    prev_day: float | None
    last_day: float | None
    events: int


def _epoch_days(events: Sequence[Event]) -> list[float]:
    """Each event's moment as days since the epoch (``days``), worked out once per event."""
    epoch = EPOCH
    return [(e.at - epoch).total_seconds() / 86400.0 for e in events]


def summarize(events: Sequence[Event], *, circle: str, closeness: str, met_on: datetime | None = None) -> Summary:
    """The stored summary of a tie from its whole history (any order).

    Run for every person when strengths are worked out from scratch (600,000 events at 30,000
    people), so each event's day is computed once and the loop keeps to floats."""
    ordered = sorted(events, key=_moment_of)
    if not ordered:
        tau = tau_for(circle, closeness, met_on, met_on or EPOCH)
        return Summary(None, tau, 0.0, None, None, None, None, None, 0)
    first = min(ordered[0].at, met_on) if met_on else ordered[0].at
    tau = tau_for(circle, closeness, first, ordered[-1].at)
    moments = _epoch_days(ordered)
    exp, running, peak, previous = math.exp, 0.0, 0.0, moments[0]
    for event, moment in zip(ordered, moments, strict=True):
        running = running * exp((previous - moment) / tau) + event.value
        previous = moment
        if running > peak:
            peak = running
    # The distinct days (whole epoch days) something happened, in order.
    marks = sorted({math.floor(moment) for moment in moments})
    gaps = [b - a for a, b in itertools.pairwise(marks)]
    usual = max(USUAL_MIN_DAYS, float(statistics.median(gaps[-USUAL_GAPS:]))) if gaps else None
    recent = statistics.fmean(gaps[-3:]) if len(gaps) >= 3 else None
    return Summary(
        log_key=math.log(running) + moments[-1] / tau,
        tau=tau,
        peak=score(peak),
        usual=usual,
        recent_gap=recent,
        first_day=days(first),
        prev_day=float(marks[-2]) if len(marks) > 1 else None,
        last_day=moments[-1],
        events=len(ordered),
    )


def strength_at(log_key: float | None, tau: float, at: datetime) -> float:
    """The strength (0-100) on ``at`` of a tie whose stored key is ``log_key``."""
    if log_key is None:
        return 0.0
    exponent = log_key - days(at) / tau
    return score(math.exp(exponent)) if exponent < 50 else 100.0


@dataclass(frozen=True)
class Assessment:
    strength: int
    trend: str
    status: str
    silence_days: float | None
    usual_days: float

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]


def usual_interval(usual: float | None, cadence: int | None) -> float:
    if usual is not None and usual > 0:
        return usual
    return float(cadence) if cadence else USUAL_FALLBACK_DAYS


def trend_of(summary: Summary, usual: float, now: datetime) -> str:
    if summary.last_day is None:
        return STEADY
    today = days(now)
    silence = today - summary.last_day
    if silence > AT_RISK_FACTOR * usual and silence > 21:
        return FADING
    if silence <= max(usual, 14.0):
        gap = summary.last_day - summary.prev_day if summary.prev_day is not None else None
        if gap is not None and gap > AT_RISK_FACTOR * usual and gap > BACK_IN_TOUCH_MIN_GAP:
            return RISING
        if summary.first_day is not None and today - summary.first_day <= NEW_TIE_DAYS and summary.events >= 2:
            return RISING
        if summary.recent_gap is not None and summary.usual and summary.recent_gap * FASTER_FACTOR < summary.usual:
            return RISING
    return STEADY


def status_of(summary: Summary, closeness: str, usual: float, now: datetime) -> str:
    if summary.last_day is None:
        return ACTIVE
    silence = days(now) - summary.last_day
    once_close = closeness in CLOSE_LEVELS or summary.peak >= ONCE_CLOSE_BY_PEAK
    close = closeness in CLOSE_LEVELS or summary.peak >= CLOSE_BY_PEAK
    limit = DORMANT_WIDER_DAYS if closeness in WIDER_LEVELS else DORMANT_FACTOR * usual
    if once_close and silence > limit:
        return DORMANT
    if close and silence > AT_RISK_FACTOR * usual:
        return AT_RISK
    return ACTIVE


def assess(summary: Summary, *, closeness: str, cadence: int | None, now: datetime) -> Assessment:
    """Strength, trend and status on ``now`` from what is stored."""
    usual = usual_interval(summary.usual, cadence)
    silence = days(now) - summary.last_day if summary.last_day is not None else None
    return Assessment(
        strength=round(strength_at(summary.log_key, summary.tau, now)),
        trend=trend_of(summary, usual, now),
        status=status_of(summary, closeness, usual, now),
        silence_days=silence,
        usual_days=usual,
    )


def curve(events: Sequence[Event], tau: float, now: datetime, *, months: int = 24) -> list[float]:
    """The strength at the end of each of the last ``months`` months and today: the sparkline.

    One pass over the events in time order: the sum at each point is the previous point's,
    decayed over the days between them, plus the events since (``decayed_sum`` at every point
    read every event 25 times: 12,500 exponentials for a tie of 500 touches)."""
    points = [now - timedelta(days=30.44 * back) for back in range(months, -1, -1)]
    ordered = sorted(events, key=lambda e: e.at)
    shown: list[float] = []
    total, previous, next_event = 0.0, None, 0
    for at in points:
        if previous is not None:
            total *= math.exp(-(at - previous).total_seconds() / 86400.0 / tau)
        while next_event < len(ordered) and ordered[next_event].at <= at:
            event = ordered[next_event]
            total += event.value * math.exp(-(at - event.at).total_seconds() / 86400.0 / tau)
            next_event += 1
        previous = at
        shown.append(round(score(total), 1))
    return shown


# --- why -----------------------------------------------------------------------------------------

_NOUNS = {
    "meal": "a meal",
    "coffee": "coffee",
    "informational_interview": "an informational interview",
    "meeting": "a meeting",
    "social": "time together",
    "video": "a video call",
    "call": "a call",
    "event": "a chat at an event",
    "email": "an email",
    "message": "a message",
    "other": "time together",
    "help": "help",
}


@dataclass(frozen=True)
class Reason:
    text: str
    weight: float = field(compare=False)


def _ago(delta: timedelta) -> str:
    d = delta.days
    if d < 1:
        return "today"
    if d < 2:
        return "yesterday"
    if d < 14:
        return f"{d} days ago"
    if d < 60:
        return f"{d // 7} weeks ago"
    if d < 730:
        return f"{round(d / 30.44)} months ago"
    return f"{d // 365} years ago"


def _touch_reasons(
    touches: Sequence[Event], weight: Callable[[Event], float], now: datetime, name: str
) -> list[Reason]:
    best = max(touches, key=weight)
    reasons = [Reason(f"{_NOUNS[best.kind]} {_ago(now - best.at)}", weight(best))]
    this_year = [e for e in touches if now - e.at <= timedelta(days=365)]
    if len(this_year) >= 2:
        reasons.append(Reason(f"{len(this_year)} touches this year", sum(map(weight, this_year)) * 0.5))
    last = touches[-10:]
    started = [e for e in last if e.by_them]
    if len(started) >= 2:
        reasons.append(Reason(f"{name} reached out {len(started)} of the last {len(last)} times", len(started)))
    return reasons


def _help_reason(event: Event, weight: float, name: str) -> Reason | None:
    what = f": {event.what}" if event.what else ""
    if event.kind == "intro":
        return Reason(f"{name} introduced you to {event.what or 'someone'}", weight * 1.5 + 1)
    if event.kind == "got":
        return Reason(f"{name} helped you{what}", weight + 0.5)
    if event.kind == "gave":
        return Reason(f"you helped {name}{what}", weight)
    return None


def why(events: Sequence[Event], tau: float, now: datetime, *, name: str, limit: int = 3) -> list[str]:
    """The few things that count most in a tie today, in words: "coffee 3 weeks ago",
    "12 touches this year", "Ana introduced you to Bo Chen"."""

    def weight(event: Event) -> float:
        return event.value * math.exp(-(now - event.at).total_seconds() / 86400.0 / tau)

    ordered = sorted((e for e in events if e.at <= now), key=lambda e: e.at)
    touches = [e for e in ordered if e.kind in _NOUNS]
    reasons = _touch_reasons(touches, weight, now, name) if touches else []
    reasons += [r for e in ordered if (r := _help_reason(e, weight(e), name)) is not None]
    if ordered and now - ordered[0].at >= timedelta(days=3 * 365):
        reasons.append(Reason(f"known for {(now - ordered[0].at).days // 365} years", 0.5))
    chosen: list[str] = []
    for reason in sorted(reasons, key=lambda r: -r.weight):
        if reason.text not in chosen:
            chosen.append(reason.text)
    return chosen[:limit]
