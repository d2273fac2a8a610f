"""Why a person may matter now, beyond the strength of the tie: you owe them one, they bear on one
of your goals, or you could meet one of their needs. Today's ranking and Rekindle both read it.

Every signal is a set-based query over the owner's rows (no query per person), so asking for
everyone at 30,000 people costs a handful of queries.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.db.models import Model, Q

from kithkin.exchanges.matching import need_words, topic_keys
from kithkin.exchanges.models import Exchange, Resource, Share
from kithkin.goals.models import Goal, GoalOrganization, GoalPerson
from kithkin.people.models import Interest, Need, Offer, Person, Position

# Help received this recently, and not returned since, is a debt worth a check-in.
OWED_WITHIN = timedelta(days=180)
# Asked for more people than this, everyone's answer (remembered) is read instead.
_FEW = 200
# How much each signal adds to a ranking (strength is 0-100 beside these).
OWE_POINTS = 15.0
GOAL_POINTS = 12.0
NEED_POINTS = 8.0
HELPED_POINTS = 3.0  # per time they helped you, up to three


@dataclass(frozen=True)
class Relevance:
    owe_them: str = ""
    goals: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    helped_you: int = 0

    @property
    def points(self) -> float:
        return (
            (OWE_POINTS if self.owe_them else 0.0)
            + (GOAL_POINTS if self.goals else 0.0)
            + (NEED_POINTS if self.needs else 0.0)
            + HELPED_POINTS * min(self.helped_you, 3)
        )

    @property
    def reasons(self) -> list[str]:
        """The signals in words, the weightiest first."""
        return [r for r in (self.owe_them, *self.goals[:1], *self.needs[:1]) if r]


@lru_cache(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    """``need_words``, remembered: the same needs and offers are read on every Today and Rekindle,
    and folding thousands of them cost more than the queries."""
    return tuple(need_words(text))


def _narrow(rows: Q, ids: list[int] | None, field: str = "person_id") -> Q:
    return rows & Q(**{f"{field}__in": ids}) if ids is not None else rows


@dataclass
class _Found:
    owe: dict[int, str]
    goals: dict[int, list[str]]
    needs: dict[int, list[str]]
    helped: dict[int, int]


def _ledger(owner: User, ids: list[int] | None, now: datetime, found: _Found) -> None:
    """Who helped you, how often, and whose recent help you have not returned."""
    rows = Exchange.objects.for_owner(owner).filter(_narrow(Q(), ids)).order_by("happened_on", "id")
    last_gave: dict[int, date] = {}
    last_got: dict[int, tuple[date, str]] = {}
    for person_id, direction, day, what in rows.values_list("person_id", "direction", "happened_on", "what"):
        if direction == Exchange.Direction.GAVE:
            last_gave[person_id] = day
        else:
            found.helped[person_id] = found.helped.get(person_id, 0) + 1
            last_got[person_id] = (day, what)
    since = (now - OWED_WITHIN).date()
    for person_id, (day, what) in last_got.items():
        gave = last_gave.get(person_id)
        if day >= since and (gave is None or gave < day):
            found.owe[person_id] = f"helped you on {day:%-d %B}" + (f": {what}" if what else "")


def _goals(owner: User, ids: list[int] | None, found: _Found) -> None:
    """People a goal names, people at (or once at) its target organizations, and people whose
    interests are words of a goal."""
    goals = dict(Goal.objects.for_owner(owner).filter(achieved_at__isnull=True).values_list("pk", "text"))
    if not goals:
        return
    targets = GoalPerson.objects.for_owner(owner).filter(_narrow(Q(goal_id__in=list(goals)), ids))
    for person_id, goal_id in targets.values_list("person_id", "goal_id"):
        found.goals[person_id].append(f"on your goal “{goals[goal_id]}”")
    orgs: dict[int, tuple[int, str]] = {}
    for org_id, goal_id, name in (
        GoalOrganization.objects.for_owner(owner)
        .filter(goal_id__in=list(goals))
        .values_list("organization_id", "goal_id", "organization__name")
    ):
        orgs.setdefault(org_id, (goal_id, name))
    if orgs:
        people = Person.objects.for_owner(owner).filter(_narrow(Q(organization_id__in=list(orgs)), ids, "pk"))
        for person_id, org_id in people.values_list("pk", "organization_id"):
            goal_id, name = orgs[org_id]
            found.goals[person_id].append(f"works at {name}, a target of your goal “{goals[goal_id]}”")
        past = Position.objects.for_owner(owner).filter(
            _narrow(Q(organization_id__in=list(orgs), ended_on__isnull=False), ids)
        )
        for person_id, org_id in past.values_list("person_id", "organization_id"):
            goal_id, name = orgs[org_id]
            found.goals[person_id].append(f"worked at {name}, a target of your goal “{goals[goal_id]}”")
    keys: dict[str, int] = {}
    for goal_id, text in goals.items():
        for word in _words(text):
            for key in topic_keys(word):
                keys.setdefault(key, goal_id)
    interests = Interest.objects.for_owner(owner).filter(_narrow(Q(key__in=sorted(keys)), ids))
    for person_id, key, text in interests.values_list("person_id", "key", "text"):
        found.goals[person_id].append(f"interested in {text}, like your goal “{goals[keys[key]]}”")


def _needs(owner: User, ids: list[int] | None, found: _Found) -> None:
    """Needs that someone else in the network offers to meet, or that a link you saved is about."""
    needs = list(Need.objects.for_owner(owner).filter(_narrow(Q(), ids)).values_list("person_id", "text"))
    if not needs:
        return
    offered: dict[str, tuple[int, str]] = {}
    for person_id, text, name in Offer.objects.for_owner(owner).values_list("person_id", "text", "person__full_name"):
        for word in _words(text):
            offered.setdefault(word, (person_id, f"{name} offers {text}"))
    topics: dict[str, tuple[int, str]] = {}
    for pk, title, url, about in Resource.objects.for_owner(owner).values_list("pk", "title", "url", "topics"):
        for topic in about or []:
            for word in _words(str(topic)):
                topics.setdefault(word, (pk, f"you saved “{title or url}”"))
    shared = set(Share.objects.for_owner(owner).filter(_narrow(Q(), ids)).values_list("person_id", "resource_id"))
    for person_id, text in needs:
        for word in _words(text):
            offer = offered.get(word)
            if offer is not None and offer[0] != person_id:
                found.needs[person_id].append(f"needs “{text}”: {offer[1]}")
                break
            resource = topics.get(word)
            if resource is not None and (person_id, resource[0]) not in shared:
                found.needs[person_id].append(f"needs “{text}”: {resource[1]}")
                break


def _compute(owner: User, ids: list[int] | None, now: datetime) -> dict[int, Relevance]:
    found = _Found({}, defaultdict(list), defaultdict(list), {})
    _ledger(owner, ids, now, found)
    _goals(owner, ids, found)
    _needs(owner, ids, found)
    people = set(found.owe) | set(found.goals) | set(found.needs) | set(found.helped)
    return {
        pk: Relevance(
            owe_them=found.owe.get(pk, ""),
            goals=tuple(dict.fromkeys(found.goals.get(pk, ()))),
            needs=tuple(dict.fromkeys(found.needs.get(pk, ()))),
            helped_you=found.helped.get(pk, 0),
        )
        for pk in people
    }


# What relevance is read from, as (table, extra condition): a row added to or removed from any of
# them changes the fingerprint below.
_SOURCES: tuple[tuple[type[Model], str], ...] = (
    (Exchange, ""),
    (Goal, ""),
    (Goal, "achieved_at IS NULL"),
    (GoalOrganization, ""),
    (GoalPerson, ""),
    (Need, ""),
    (Offer, ""),
    (Interest, ""),
    (Position, ""),
    (Resource, ""),
    (Share, ""),
)
# Everyone's relevance, per owner, while their data's fingerprint and the day stay the same.
_REMEMBERED: OrderedDict[int, tuple[tuple[object, ...], dict[int, Relevance]]] = OrderedDict()
_OWNERS_REMEMBERED = 8
_lock = threading.Lock()


# How long everyone's relevance stays in the shared cache (the fingerprint says when it is stale).
SHARED_SECONDS = 24 * 3600


def _shared_key(owner: User) -> str:
    # The version changes with the shape of ``Relevance``: the cache outlives the code.
    return f"kithkin:relevance:1:{owner.pk}"


def forget() -> None:
    """Drop every remembered answer (each test starts afresh: ids are used again after a rollback)."""
    with _lock:
        _REMEMBERED.clear()


def fingerprint(owner: User, now: datetime) -> tuple[object, ...]:
    """How many rows each source holds and its highest id, in one query of index lookups (a new
    organization for a person adds a position), with the day, as help is owed for 180 days."""
    ops = connection.ops
    parts, params = [], []
    for model, condition in _SOURCES:
        table, where = ops.quote_name(model._meta.db_table), f" AND {condition}" if condition else ""
        parts.append(f"(SELECT COUNT(*) FROM {table} WHERE owner_id = %s{where})")
        parts.append(f"(SELECT MAX(id) FROM {table} WHERE owner_id = %s{where})")
        params += [owner.pk, owner.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return (*row, now.date(), connection.alias)


def relevance(owner: User, person_ids: Iterable[int] | None, now: datetime) -> dict[int, Relevance]:
    """What makes each person matter now beyond the tie itself; only people with something to
    say are in the answer. ``None``: everyone in the network.

    Everyone's (which Today and Rekindle ask for) is remembered per owner while nothing it is read
    from changes: at 30,000 people it takes about 200 ms to work out, and a few to check."""
    if person_ids is not None:
        ids = list(person_ids)
        if len(ids) <= _FEW:
            return _compute(owner, ids, now) if ids else {}
        everyone = relevance(owner, None, now)
        return {pk: everyone[pk] for pk in ids if pk in everyone}
    key = fingerprint(owner, now)
    with _lock:
        remembered = _REMEMBERED.get(owner.pk)
        if remembered is not None and remembered[0] == key:
            _REMEMBERED.move_to_end(owner.pk)
            return remembered[1]
    # Then in the cache the server and every command share: a command is a process of its own,
    # and would otherwise work it all out again each time (most of `kithkin due` at 30,000).
    shared = cache.get(_shared_key(owner))
    if shared is not None and shared[0] == key:
        found = shared[1]
    else:
        found = _compute(owner, None, now)
        cache.set(_shared_key(owner), (key, found), SHARED_SECONDS)
    with _lock:
        _REMEMBERED[owner.pk] = (key, found)
        _REMEMBERED.move_to_end(owner.pk)
        while len(_REMEMBERED) > _OWNERS_REMEMBERED:
            _REMEMBERED.popitem(last=False)
    return found
