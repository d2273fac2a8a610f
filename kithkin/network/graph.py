"""The network as a graph: you at the centre, the strongest people around you, the ties between
them, and the rest of the network folded into clusters (docs/graph.md).

A network of 30,000 people cannot be drawn person by person, nor read whole to choose whom to
draw: the strongest ``limit`` people come from one query sorted by strength in SQL, the ties among
them from one more, and the clusters from one count per group. A fixed number of queries, whatever
the size of the network.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, F, FloatField, Value

from kithkin.core import clock
from kithkin.core.choices import Circle, parse_choice
from kithkin.core.errors import BadInput
from kithkin.network import strength as model
from kithkin.network.models import Strength, Tie
from kithkin.network.services import NO_HISTORY, ensure_strengths
from kithkin.network.ties import ensure_ties, tie_strength
from kithkin.people.models import Organization, Person, PersonQuerySet
from kithkin.people.services import filter_people

DEFAULT_LIMIT = 300
MAX_LIMIT = 1000
# Ties drawn at most among the people shown, strongest evidence first: a dense organization of
# 300 colleagues would otherwise make 45,000 lines no one can read.
MAX_TIES = 2000
# Organizations given a cluster of their own; the rest share one ("other organizations").
MAX_ORG_CLUSTERS = 20
CLUSTER_BY = ("circle", "organization")


@dataclass(frozen=True)
class GraphPerson:
    id: int
    name: str
    circle: str
    closeness: str
    strength: int
    organization: str


@dataclass(frozen=True)
class GraphTie:
    first_id: int
    second_id: int
    strength: int
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class GraphCluster:
    """The people not shown who share a circle or an organization. ``filters`` narrow the graph
    to them (None: no filter can, as for the people with no organization)."""

    key: str
    label: str
    count: int
    filters: dict[str, str] | None


@dataclass(frozen=True)
class Graph:
    """``people`` strongest first; ``total`` people match the filters, ``len(people)`` are shown
    and the clusters hold the others."""

    filters: dict[str, str]
    cluster_by: str
    total: int
    people: list[GraphPerson]
    ties: list[GraphTie]
    clusters: list[GraphCluster] = field(default_factory=list)


def _strength_of(log_strength: float | None) -> int:
    """Today's strength (0-100) from ``services.log_strength``'s value."""
    if log_strength is None or log_strength <= NO_HISTORY / 2:
        return 0
    return 100 if log_strength >= 50 else round(model.score(math.exp(log_strength)))


def _parse_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInput("limit", f"show between 1 and {MAX_LIMIT} people, not {limit}")
    return limit


def _cluster_by(wanted: str | None, filters: dict[str, str]) -> str:
    """Group the rest by what the filters leave open: circles at first, an opened circle by
    organization."""
    if wanted is None:
        return "organization" if "circle" in filters else "circle"
    if wanted not in CLUSTER_BY:
        raise BadInput("cluster_by", f"unknown grouping {wanted!r}; choose one of {', '.join(CLUSTER_BY)}")
    return wanted


def _clean_filters(circle: str | None, organization: str | None, interest: str | None) -> dict[str, str]:
    given = {"circle": circle, "organization": organization, "interest": interest}
    return {name: value.strip() for name, value in given.items() if value and value.strip()}


def _opening(filters: dict[str, str], name: str, value: str) -> dict[str, str] | None:
    opened = {**filters, name: value}
    return None if opened == filters else opened


def _counts(everyone: PersonQuerySet, column: str, narrowed: bool) -> Counter[Any]:
    """How many of ``everyone`` who are in the network have each value of ``column``.

    A filtered set is read through its filter's index and counted here: grouped in SQL, SQLite
    walks the index on (owner, circle) to spare a sort and reads every row (250 ms at 30,000).
    The whole network is grouped in SQL over everyone, that index alone, less the people to meet
    (a few, counted here): leaving them out in SQL would read every row too."""
    if narrowed:
        return Counter(everyone.in_network().order_by().values_list(column, flat=True))
    counts: Counter[Any] = Counter(dict(everyone.order_by().values_list(column).annotate(n=Count("id"))))
    counts.subtract(everyone.prospects().order_by().values_list(column, flat=True))
    return counts


def _organization_counts(owner: User, everyone: PersonQuerySet, narrowed: bool) -> tuple[Counter[Any], dict[int, str]]:
    """How many people in the network each organization has (None: no organization), and the
    names. The whole network is counted from the organizations' side, through the index on a
    person's organization: there is none on (owner, organization), and grouping the people by it
    read every row (300 ms at 30,000)."""
    if narrowed:
        found = _counts(everyone, "organization_id", narrowed)
        named = Organization.objects.for_owner(owner).filter(pk__in=[pk for pk in found if pk])
        return found, dict(named.values_list("pk", "name"))
    rows = Organization.objects.for_owner(owner).annotate(n=Count("people")).filter(n__gt=0).order_by()
    counts: Counter[Any] = Counter()
    names: dict[int, str] = {}
    for pk, name, count in rows.values_list("pk", "name", "n"):
        counts[pk], names[pk] = count, name
    counts[None] = everyone.count() - sum(counts.values())
    counts.subtract(everyone.prospects().order_by().values_list("organization_id", flat=True))
    return counts, names


def _circle_clusters(everyone: PersonQuerySet, shown: Counter[str], filters: dict[str, str]) -> list[GraphCluster]:
    """A cluster per circle of the people not shown."""
    labels = dict(Circle.choices)
    clusters = []
    for circle, count in _counts(everyone, "circle", bool(filters)).items():
        rest = count - shown[circle or ""]
        if rest > 0:
            label = str(labels.get(circle, circle)) if circle else "no circle"
            opens = _opening(filters, "circle", circle) if circle else None
            clusters.append(GraphCluster(f"circle:{circle or '-'}", label, rest, opens))
    return sorted(clusters, key=lambda c: (-c.count, c.label))


def _organization_clusters(
    counts: Counter[Any], names: dict[int, str], shown: Counter[str], filters: dict[str, str]
) -> list[GraphCluster]:
    groups = []
    no_organization = 0
    for pk, count in counts.items():
        name = names.get(pk, "") if pk else ""
        rest = count - shown[name]
        if rest <= 0:
            continue
        if name:
            groups.append((name, rest))
        else:
            no_organization += rest
    groups.sort(key=lambda group: (-group[1], group[0].lower()))
    clusters = [
        GraphCluster(f"organization:{name}", name, count, _opening(filters, "organization", name))
        for name, count in groups[:MAX_ORG_CLUSTERS]
    ]
    others = groups[MAX_ORG_CLUSTERS:]
    if others:
        label = f"{len(others)} other organizations"
        clusters.append(GraphCluster("organization:*", label, sum(count for _name, count in others), None))
    if no_organization:
        clusters.append(GraphCluster("organization:-", "no organization", no_organization, None))
    return clusters


def _strongest(
    owner: User, narrowed: PersonQuerySet | None, now: datetime, limit: int
) -> list[tuple[int, float | None]]:
    """The ids of the ``limit`` strongest people in the network (among ``narrowed`` when the
    filters narrow it), with ln of their decayed sum today (``services.log_strength``), strongest
    first. Read from the strength rows, which are narrow, rather than sorting every person: 20 ms
    against 300 at 30,000 people. Ties of strength go by id."""
    rows = Strength.objects.for_owner(owner)
    if narrowed is not None:
        rows = rows.filter(person__in=narrowed.values("pk"))
    today = Value(model.days(now), output_field=FloatField())
    ranked = (
        rows.exclude(person__in=Person.objects.for_owner(owner).prospects().values("pk"))
        .annotate(today_log=F("log_key") - today / F("tau"))
        .order_by(F("today_log").desc(), "person_id")
        .values_list("person_id", "today_log")
    )
    return list(ranked[:limit])


def _the_rest_by_name(everyone: PersonQuerySet, limit: int) -> list[int]:
    """People never in touch (no strength row), by name: they come after everyone else."""
    return list(
        everyone.in_network()
        .filter(strength__isnull=True)
        .order_by("full_name", "id")
        .values_list("pk", flat=True)[:limit]
    )


def _people(owner: User, everyone: PersonQuerySet, narrowed: bool, now: datetime, limit: int) -> list[GraphPerson]:
    strongest = _strongest(owner, everyone if narrowed else None, now, limit)
    if len(strongest) < limit:
        strongest += [(pk, None) for pk in _the_rest_by_name(everyone, limit - len(strongest))]
    details = {
        row[0]: row[1:]
        for row in Person.objects.for_owner(owner)
        .filter(pk__in=[pk for pk, _log in strongest])
        .values_list("pk", "full_name", "circle", "closeness", "organization__name")
    }
    return [
        GraphPerson(pk, name, circle or "", closeness, _strength_of(log), org or "")
        for pk, log in strongest
        for name, circle, closeness, org in [details[pk]]
    ]


def _ties_among(owner: User, ids: list[int], today: date) -> list[GraphTie]:
    """The ties between two of ``ids``, the most evidence first. Asked by the first of the pair
    only, the second checked here: with both as IN lists SQLite probes the unique index once per
    pair of ids (90,000 probes for 300 people, a second for 1,000 at 30,000 people)."""
    shown = set(ids)
    rows = (
        Tie.objects.for_owner(owner)
        .filter(first_id__in=ids)
        .order_by()
        .values_list("first_id", "second_id", "weight", "last_day", "kinds")
    )
    among = sorted((row for row in rows if row[1] in shown), key=lambda row: (-row[2], row[0], row[1]))
    return [
        GraphTie(first, second, round(tie_strength(weight, last_day, today)), tuple(filter(None, kinds.split(","))))
        for first, second, weight, last_day, kinds in among[:MAX_TIES]
    ]


def graph_data(
    owner: User,
    *,
    circle: str | None = None,
    organization: str | None = None,
    interest: str | None = None,
    limit: int = DEFAULT_LIMIT,
    cluster_by: str | None = None,
    now: datetime | None = None,
) -> Graph:
    """The strongest ``limit`` people of the network who match the filters (people you only want
    to meet are not in it), the ties among them, and the others as clusters by circle or by
    organization (``cluster_by``; by default circles, or organizations once a circle is chosen).
    Raises ``BadInput`` for an unknown circle, grouping or a limit out of range."""
    now = now or clock.now()
    limit = _parse_limit(limit)
    filters = _clean_filters(circle, organization, interest)
    if "circle" in filters:
        # As stored ("Former colleague" is former_colleague), so that clusters compare alike.
        filters["circle"] = parse_choice(Circle, filters["circle"], "circle")
    grouping = _cluster_by(cluster_by, filters)
    ensure_strengths(owner, now=now)
    ensure_ties(owner, now=now)
    # Everyone matching the filters, people to meet included: each query leaves those out itself.
    everyone = filter_people(
        owner,
        circle=filters.get("circle"),
        organization=filters.get("organization"),
        interest=filters.get("interest"),
    )
    people = _people(owner, everyone, bool(filters), now, limit)
    shown: Counter[str] = Counter(getattr(p, grouping) for p in people)
    if grouping == "circle":
        clusters = _circle_clusters(everyone, shown, filters)
    else:
        counts, names = _organization_counts(owner, everyone, bool(filters))
        clusters = _organization_clusters(counts, names, shown, filters)
    total = len(people) + sum(c.count for c in clusters)
    ties = _ties_among(owner, [p.id for p in people], now.date())
    return Graph(filters, grouping, total, people, ties, clusters)
