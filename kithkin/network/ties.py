"""Who knows whom among the people of the network (the second degree), with the evidence for it.

A tie between two people is found from what Kithkin already holds, never guessed:

- ``recorded``: the user said so (``kithkin knows A B --how``);
- ``introducer``: one introduced you to the other (an introduction received, or "met through");
- ``introduced``: you introduced them to each other (a double opt-in introduction made);
- ``colleague``: they worked at the same organization at the same time (position history), in an
  organization small enough in your network for that to mean they know each other;
- ``touch``: they were both at touches you logged (a coffee for three, a meeting);
- ``calendar``: they were both at meetings of an imported calendar;
- ``event``: you met both at the same event.

Each kind of evidence weighs (``WEIGHTS`` and the functions below); a tie's ``weight`` is the
sum. Its strength today (``tie_strength``) is ``100·(1 − e^(−weight/TIE_REF))`` times how recent
the evidence is, so a row never changes as days pass. Ties are rebuilt for the people whose
evidence changed (``refresh_ties``, run by the hooks in ``rules.py``); a tie the user removed
(``RemovedTie``) is never found again.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from kithkin.core import clock
from kithkin.core.db import insert_rows, raw_rows, update_rows
from kithkin.core.errors import BadInput
from kithkin.events.models import EventMet
from kithkin.exchanges.models import Exchange, Kind
from kithkin.interactions.models import TouchParticipant
from kithkin.introductions.models import Introduction
from kithkin.network.models import RecordedTie, RemovedTie, Tie
from kithkin.people.models import Person, Position

CHUNK = 500
# The order kinds are listed in (``Tie.kinds``), strongest evidence first.
KIND_ORDER = ("recorded", "introducer", "introduced", "colleague", "touch", "calendar", "event")
KIND_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}
# Fixed weights of the kinds that count once.
WEIGHTS = {"recorded": 4.0, "introducer": 3.0, "introduced": 2.5}
# The weight at which a tie reads 63 (1 − 1/e) before recency.
TIE_REF = 4.0
# A touch with more people than this (an all-hands, a webinar) says nothing about who knows whom.
MAX_TOUCH_PEOPLE = 12
# Nor does an event where you met more people than this.
MAX_EVENT_PEOPLE = 40
# Colleagues are paired only in an organization with at most this many people of your network: at
# a company of thousands, sharing an employer is no sign of knowing each other. Paths to a person
# at a larger one still consider their colleagues (``colleagues_of``), without storing the pairs.
COLLEAGUE_CAP = 40
# How many years apart evidence halves... roughly: recency is 0.35 + 0.65·e^(−years/4).
RECENCY_YEARS = 4.0
# Beyond this many people, finding everyone's ties at once is quicker than finding theirs.
WHOLE_AFTER = 3000
INTRODUCED_STATES = (Introduction.State.INTRODUCED, Introduction.State.DONE)


def tie_strength(weight: float, last_day: date | None, today: date) -> float:
    """A tie's strength today, 0 to 100: its evidence's weight, discounted by how long ago the
    latest of it was (``last_day`` None: still so, such as colleagues now or a tie you recorded)."""
    base = 1 - math.exp(-max(weight, 0.0) / TIE_REF)
    if last_day is None:
        recency = 1.0
    else:
        years = max((today - last_day).days, 0) / 365.25
        recency = 0.35 + 0.65 * math.exp(-years / RECENCY_YEARS)
    return round(100 * base * recency, 1)


def touch_weight(count: int) -> float:
    """Touches together: the first five count most, later ones a little."""
    return 1.2 * min(count, 5) + 0.3 * max(count - 5, 0)


def calendar_weight(count: int) -> float:
    """Meetings of a calendar together count half as much as touches you logged with both."""
    return touch_weight(count) / 2


def event_weight(count: int) -> float:
    return 1.0 * min(count, 3)


def colleague_weight(years: float | None, people_there: int) -> float:
    """Working at the same place at the same time: more the longer (unknown dates count as a year),
    less the bigger the organization is in your network."""
    overlap = 1.0 if years is None else min(max(years, 0.25), 5.0)
    return (1.0 + 0.4 * overlap) * math.sqrt(8 / max(8, people_there))


# --- evidence ---------------------------------------------------------------------------------


@dataclass
class Evidence:
    """One kind of evidence for one pair. ``until`` None with ``ongoing``: still so."""

    kind: str
    weight: float
    count: int = 1
    since: date | None = None
    until: date | None = None
    ongoing: bool = False
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "weight": round(self.weight, 3),
            "count": self.count,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "ongoing": self.ongoing,
            **self.detail,
        }


Pair = tuple[int, int]
Found = dict[Pair, list[Evidence]]
# A pair's tie as stored: weight, first and last day, kinds, evidence (``summarize``).
Summary = tuple[float, date | None, date | None, str, list[dict[str, Any]]]


def pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def _day(value: Any) -> date | None:
    """A moment or day as the cursor gives it (SQLite text, PostgreSQL objects) as a UTC day."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo is None else value.astimezone(UTC)).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _keep(found: Found, ids: set[int] | None, a: int, b: int) -> Pair | None:
    if a == b:
        return None
    key = pair(a, b)
    if ids is not None and key[0] not in ids and key[1] not in ids:
        return None
    found.setdefault(key, [])
    return key


def _touch_evidence(owner: User, ids: set[int] | None, found: Found) -> None:
    participants = TouchParticipant.objects.for_owner(owner).order_by()
    if ids is None:
        shared = (
            participants.values("touch_id")
            .annotate(n=Count("id"))
            .filter(n__gte=2, n__lte=MAX_TOUCH_PEOPLE)
            .values("touch_id")
        )
        rows = participants.filter(touch_id__in=shared)
    else:
        rows = participants.filter(touch_id__in=participants.filter(person_id__in=sorted(ids)).values("touch_id"))
    by_touch: dict[int, list[int]] = defaultdict(list)
    about: dict[int, tuple[Any, Any]] = {}  # a touch's moment and source, read once per touch below
    for touch_id, person_id, happened_at, source_key in raw_rows(
        rows.values_list("touch_id", "person_id", "happened_at", "touch__source_key")
    ):
        by_touch[touch_id].append(person_id)
        about[touch_id] = (happened_at, source_key)
    tallies: dict[tuple[Pair, str], list[date | None]] = defaultdict(list)
    for touch_id, people in by_touch.items():
        if not 2 <= len(people) <= MAX_TOUCH_PEOPLE:
            continue
        happened_at, source_key = about[touch_id]
        day = _day(happened_at)
        kind = "calendar" if source_key else "touch"
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                if (key := _keep(found, ids, a, b)) is not None:
                    tallies[(key, kind)].append(day)
    for (key, kind), days in tallies.items():
        known = sorted(d for d in days if d)
        weigh = calendar_weight if kind == "calendar" else touch_weight
        found[key].append(
            Evidence(kind, weigh(len(days)), len(days), known[0] if known else None, known[-1] if known else None)
        )


def _event_evidence(owner: User, ids: set[int] | None, found: Found) -> None:
    met = EventMet.objects.for_owner(owner).order_by()
    if ids is not None:
        met = met.filter(event_id__in=met.filter(person_id__in=sorted(ids)).values("event_id"))
    by_event: dict[int, list[int]] = defaultdict(list)
    names: dict[int, tuple[str, date | None]] = {}
    for event_id, person_id, name, starts_at in raw_rows(
        met.values_list("event_id", "person_id", "event__name", "event__starts_at")
    ):
        by_event[event_id].append(person_id)
        names[event_id] = (name, _day(starts_at))
    together: dict[Pair, list[int]] = defaultdict(list)
    for event_id, people in by_event.items():
        if len(people) > MAX_EVENT_PEOPLE:
            continue
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                if (key := _keep(found, ids, a, b)) is not None:
                    together[key].append(event_id)
    for key, events in together.items():
        days = sorted(d for e in events if (d := names[e][1]))
        found[key].append(
            Evidence(
                "event",
                event_weight(len(events)),
                len(events),
                days[0] if days else None,
                days[-1] if days else None,
                detail={"events": [names[e][0] for e in events[:3]]},
            )
        )


@dataclass(frozen=True)
class Stint:
    """A person's time at an organization; None ends are open (unknown start, still there)."""

    person_id: int
    organization_id: int
    started_on: date | None
    ended_on: date | None


def stints_at(owner: User, organization_ids: Iterable[int] | None) -> dict[int, list[Stint]]:
    """Everyone's positions at organizations, by organization, with the organization a person
    is shown at counted as a current position where no position row says so."""
    positions = Position.objects.for_owner(owner).order_by().filter(organization__isnull=False)
    people = Person.objects.for_owner(owner).order_by().filter(organization__isnull=False)
    if organization_ids is not None:
        orgs = sorted(set(organization_ids))
        positions, people = positions.filter(organization_id__in=orgs), people.filter(organization_id__in=orgs)
    by_org: dict[int, list[Stint]] = defaultdict(list)
    current: set[tuple[int, int]] = set()
    for person_id, org_id, started, ended in raw_rows(
        positions.values_list("person_id", "organization_id", "started_on", "ended_on")
    ):
        by_org[org_id].append(Stint(person_id, org_id, _day(started), _day(ended)))
        if ended is None:
            current.add((person_id, org_id))
    for person_id, org_id in people.values_list("pk", "organization_id"):
        if (person_id, org_id) not in current:
            by_org[org_id].append(Stint(person_id, org_id, None, None))
    return by_org


def overlap(one: Stint, other: Stint) -> tuple[bool, date | None, date | None, bool]:
    """Whether two stints overlap, and when: (overlaps, since, until, ongoing)."""
    since = max((d for d in (one.started_on, other.started_on) if d), default=None)
    ends = [d for d in (one.ended_on, other.ended_on) if d]
    until = min(ends) if ends else None
    if since and until and since > until:
        return False, None, None, False
    return True, since, until, until is None


def _years(since: date | None, until: date | None, today: date) -> float | None:
    if since is None:
        return None
    return ((until or today) - since).days / 365.25


def colleague_evidence(stints: Sequence[Stint], one: Stint, other: Stint, today: date) -> Evidence | None:
    """The evidence of two stints at one organization (of ``stints``), if they overlap."""
    return _colleagues(one, other, len({s.person_id for s in stints}), today)


def _colleagues(one: Stint, other: Stint, people_there: int, today: date) -> Evidence | None:
    """``colleague_evidence`` with the number of people at the organization counted once."""
    overlaps, since, until, ongoing = overlap(one, other)
    if not overlaps:
        return None
    return Evidence(
        "colleague",
        colleague_weight(_years(since, until, today), people_there),
        1,
        since,
        until,
        ongoing,
        detail={"organization_id": one.organization_id},
    )


def _colleague_evidence(owner: User, ids: set[int] | None, found: Found, today: date) -> None:
    orgs = None
    if ids is not None:
        orgs = set(
            Position.objects.for_owner(owner)
            .filter(person_id__in=sorted(ids), organization__isnull=False)
            .values_list("organization_id", flat=True)
        ) | set(
            Person.objects.for_owner(owner)
            .filter(pk__in=sorted(ids), organization__isnull=False)
            .values_list("organization_id", flat=True)
        )
    best: dict[Pair, Evidence] = {}
    for stints in stints_at(owner, orgs).values():
        people_there = len({s.person_id for s in stints})
        if people_there > COLLEAGUE_CAP:
            continue
        for i, one in enumerate(stints):
            for other in stints[i + 1 :]:
                if one.person_id == other.person_id:
                    continue
                key = pair(one.person_id, other.person_id)
                if ids is not None and key[0] not in ids and key[1] not in ids:
                    continue
                evidence = _colleagues(one, other, people_there, today)
                if evidence is not None and (key not in best or evidence.weight > best[key].weight):
                    best[key] = evidence
    for key, evidence in best.items():
        found.setdefault(key, []).append(evidence)


def _introducer_evidence(owner: User, ids: set[int] | None, found: Found) -> None:
    people = Person.objects.for_owner(owner).order_by().filter(met_through__isnull=False)
    intros = (
        Exchange.objects.for_owner(owner)
        .order_by()
        .filter(direction=Exchange.Direction.GOT, kind=Kind.INTRO, to_person__isnull=False)
    )
    columns = ("person_id", "to_person_id", "happened_on")
    if ids is None:
        received = list(intros.values_list(*columns))
        met_through = list(people.values_list("pk", "met_through_id", "met_on"))
    else:
        # Each side on its own index: an OR of the two made SQLite read every person (65 ms).
        chosen = sorted(ids)
        received = list(intros.filter(person_id__in=chosen).values_list(*columns))
        received += intros.filter(to_person_id__in=chosen).values_list(*columns)
        met_through = list(people.filter(pk__in=chosen).values_list("pk", "met_through_id", "met_on"))
        met_through += people.filter(met_through_id__in=chosen).values_list("pk", "met_through_id", "met_on")
    seen: set[Pair] = set()
    for introducer, met, on in received:
        day: date | None = on
        if (key := _keep(found, ids, introducer, met)) is not None and key not in seen:
            seen.add(key)
            found[key].append(Evidence("introducer", WEIGHTS["introducer"], 1, day, day, detail={"by": introducer}))
    for met, introducer, day in met_through:
        if (key := _keep(found, ids, introducer, met)) is not None and key not in seen:
            seen.add(key)
            found[key].append(
                Evidence(
                    "introducer", WEIGHTS["introducer"], 1, day, day, ongoing=day is None, detail={"by": introducer}
                )
            )


def _introduced_evidence(owner: User, ids: set[int] | None, found: Found) -> None:
    intros = Introduction.objects.for_owner(owner).order_by().filter(state__in=INTRODUCED_STATES)
    if ids is not None:
        chosen = sorted(ids)
        intros = intros.filter(Q(person_a_id__in=chosen) | Q(person_b_id__in=chosen))
    for a, b, at in intros.values_list("person_a_id", "person_b_id", "introduced_at"):
        if (key := _keep(found, ids, a, b)) is not None and not any(e.kind == "introduced" for e in found[key]):
            day = _day(at)
            found[key].append(Evidence("introduced", WEIGHTS["introduced"], 1, day, day))


def _recorded_evidence(owner: User, ids: set[int] | None, found: Found) -> None:
    rows = RecordedTie.objects.for_owner(owner).order_by()
    if ids is not None:
        chosen = sorted(ids)
        rows = rows.filter(Q(first_id__in=chosen) | Q(second_id__in=chosen))
    for a, b, how, at in rows.values_list("first_id", "second_id", "how", "created_at"):
        if (key := _keep(found, ids, a, b)) is not None:
            found[key].append(
                Evidence("recorded", WEIGHTS["recorded"], 1, _day(at), None, ongoing=True, detail={"how": how})
            )


def _removed(owner: User, ids: set[int] | None) -> set[Pair]:
    rows = RemovedTie.objects.for_owner(owner).order_by()
    if ids is not None:
        chosen = sorted(ids)
        rows = rows.filter(Q(first_id__in=chosen) | Q(second_id__in=chosen))
    return set(rows.values_list("first_id", "second_id"))


def find_evidence(owner: User, ids: Iterable[int] | None, *, today: date) -> Found:
    """Every pair with evidence, where ``ids`` (None: anyone) is one of the two, and the evidence."""
    chosen = None if ids is None else set(ids)
    found: Found = {}
    _recorded_evidence(owner, chosen, found)
    _introducer_evidence(owner, chosen, found)
    _introduced_evidence(owner, chosen, found)
    _colleague_evidence(owner, chosen, found, today)
    _touch_evidence(owner, chosen, found)
    _event_evidence(owner, chosen, found)
    for key in _removed(owner, chosen):
        found.pop(key, None)
    return {key: evidence for key, evidence in found.items() if evidence}


def summarize(evidence: Sequence[Evidence]) -> Summary:
    """A pair's weight, first and last day (None: still so), kinds and evidence as stored."""
    if len(evidence) == 1:
        # Most pairs have one kind of evidence: the same figures, without sorting and summing.
        (one,) = evidence
        last = None if one.ongoing else one.until or one.since
        return one.weight, one.since, last, one.kind, [one.to_json()]
    ordered = sorted(evidence, key=lambda e: (KIND_RANK[e.kind], -e.weight))
    starts = [e.since for e in ordered if e.since]
    ends = [e.until or e.since for e in ordered if e.until or e.since]
    ongoing = any(e.ongoing for e in ordered)
    last = None if ongoing or not ends else max(d for d in ends if d)
    kinds = ",".join(dict.fromkeys(e.kind for e in ordered))
    weight = sum(e.weight for e in ordered)
    return weight, min(starts) if starts else None, last, kinds, [e.to_json() for e in ordered]


WRITTEN = ("owner", "first", "second", "weight", "first_day", "last_day", "kinds", "evidence", "computed_at")
REWRITTEN = ("weight", "first_day", "last_day", "kinds", "evidence", "computed_at")


def _rows(owner: User, found: Found, now: datetime) -> Iterator[tuple[Any, ...]]:
    for (a, b), evidence in found.items():
        weight, first, last, kinds, stored = summarize(evidence)
        yield (owner.pk, a, b, weight, first, last, kinds, stored, now)


# A tie as read from the database: its id, then ``REWRITTEN`` but the moment, as the cursor gives them.
Stored = tuple[int, float, Any, Any, str, Any]


def _stored(ties: QuerySet[Tie]) -> dict[Pair, Stored]:
    """The ties as stored, by pair, as the cursor gives them: their evidence is read when it is
    compared (a hundred and fifty thousand of them read at once took 150 MB)."""
    rows = raw_rows(ties.order_by().values_list("pk", "first_id", "second_id", *REWRITTEN[:-1]))
    return {
        (a, b): (pk, weight, first, last, kinds, evidence) for pk, a, b, weight, first, last, kinds, evidence in rows
    }


def _same(stored: Stored, summary: Summary) -> bool:
    """Whether a stored tie is what ``summarize`` made of its evidence now."""
    _, weight, first, last, kinds, evidence = stored
    return (weight, _day(first), _day(last), kinds) == summary[:4] and (
        json.loads(evidence) if isinstance(evidence, str) else evidence
    ) == summary[4]


def _write(owner: User, found: Found, stored: dict[Pair, Stored], now: datetime) -> int:
    """Make the stored ties ``stored`` (those of the people found again) what was ``found``:
    only the pairs whose tie is new, changed or gone are written, so finding again ties that
    mostly stand (an import of thirty thousand people moves a few thousand) writes a few
    thousand rows, not every one. Returns how many ties were found."""
    new: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    for key, evidence in found.items():
        summary = summarize(evidence)
        was = stored.pop(key, None)
        if was is None:
            new.append((owner.pk, *key, *summary, now))
        elif not _same(was, summary):
            changed.append((was[0], *summary, now))
    gone = sorted(row[0] for row in stored.values())
    for start in range(0, len(gone), CHUNK):
        Tie.objects.for_owner(owner).filter(pk__in=gone[start : start + CHUNK]).delete()
    update_rows(Tie, REWRITTEN, changed)
    insert_rows(Tie, WRITTEN, new)
    return len(found)


@transaction.atomic
def refresh_ties(owner: User, person_ids: Iterable[int] | None = None, *, now: datetime | None = None) -> int:
    """Find again the ties of these people (None: everyone's) from all the evidence. Returns how
    many ties they have."""
    now = now or clock.now()
    ties = Tie.objects.for_owner(owner)
    if person_ids is None:
        return _write(owner, find_evidence(owner, None, today=now.date()), _stored(ties), now)
    ids = sorted(set(person_ids))
    if not ids:
        return 0
    if len(ids) > WHOLE_AFTER:
        return refresh_ties(owner, None, now=now)
    found = find_evidence(owner, ids, today=now.date())
    stored: dict[Pair, Stored] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        stored.update(_stored(ties.filter(Q(first_id__in=chunk) | Q(second_id__in=chunk))))
    return _write(owner, found, stored, now)


def _searched_key(owner: User) -> str:
    return f"kithkin:ties-searched:{owner.pk}"


def ensure_ties(owner: User, *, now: datetime | None = None) -> None:
    """Find every tie once for a network that has none yet but may have evidence (a database made
    before ties were kept, a restored backup, which leaves them out). From then on the hooks of
    ``rules.py`` keep them, so a network found to have none is not searched again, however it
    changes, until everyone is refreshed at once (a restore: ``search_again``)."""
    # Both questions are always asked: a page's query count must not depend on the answers.
    has_ties = Tie.objects.for_owner(owner).exists()
    people = Person.objects.for_owner(owner).order_by().count()
    if has_ties or people < 2 or cache.get(_searched_key(owner)):
        return
    if refresh_ties(owner, None, now=now) == 0:
        cache.set(_searched_key(owner), True, None)


def search_again(owner: User) -> None:
    """The next read of a network with no ties searches it again (everyone was written anew)."""
    cache.delete(_searched_key(owner))


# --- what the user says ---------------------------------------------------------------------------


def _two(owner: User, one: Person, other: Person) -> Pair:
    if one.owner_id != owner.pk or other.owner_id != owner.pk:
        raise BadInput("person", "no such person")
    if one.pk == other.pk:
        raise BadInput("person", f"{one.full_name} is the same person twice; name two people")
    return pair(one.pk, other.pk)


@transaction.atomic
def record_tie(owner: User, one: Person, other: Person, how: str = "", *, now: datetime | None = None) -> Tie:
    """The user says these two know each other (and how): the tie stands whatever else is found,
    and a removal of it is forgotten."""
    now = now or clock.now()
    a, b = _two(owner, one, other)
    how = " ".join(how.split())
    if len(how) > 300:
        raise BadInput("how", f"is {len(how)} characters long; keep it to 300")
    RemovedTie.objects.for_owner(owner).filter(first_id=a, second_id=b).delete()
    RecordedTie.objects.update_or_create(owner=owner, first_id=a, second_id=b, defaults={"how": how, "created_at": now})
    refresh_pair(owner, a, b, now=now)
    return Tie.objects.for_owner(owner).get(first_id=a, second_id=b)


@transaction.atomic
def remove_tie(owner: User, one: Person, other: Person, *, now: datetime | None = None) -> bool:
    """The user says these two do not know each other: the tie goes, with what they recorded of
    it, and is never found again. Returns whether there was one."""
    now = now or clock.now()
    a, b = _two(owner, one, other)
    had = Tie.objects.for_owner(owner).filter(first_id=a, second_id=b).exists()
    RecordedTie.objects.for_owner(owner).filter(first_id=a, second_id=b).delete()
    RemovedTie.objects.get_or_create(owner=owner, first_id=a, second_id=b, defaults={"created_at": now})
    Tie.objects.for_owner(owner).filter(first_id=a, second_id=b).delete()
    return had


def refresh_pair(owner: User, a: int, b: int, *, now: datetime) -> None:
    """One pair's tie found again (a recorded tie added or removed)."""
    found = {key: ev for key, ev in find_evidence(owner, [a], today=now.date()).items() if key == pair(a, b)}
    Tie.objects.for_owner(owner).filter(first_id=min(a, b), second_id=max(a, b)).delete()
    insert_rows(Tie, WRITTEN, _rows(owner, found, now))
