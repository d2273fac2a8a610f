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

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet

from kithkin.core import clock
from kithkin.core.choices import Circle, parse_choice
from kithkin.core.errors import BadInput
from kithkin.network import strength as model
from kithkin.network.models import Tie
from kithkin.network.services import NO_HISTORY, ensure_strengths, order_by_strength
from kithkin.people.models import Person
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


def tie_strength(weight: float, last_day: date | None, today: date) -> float:
    """A tie between two people as 0-100: its evidence, fading a year at a time since it was last
    seen. Stands in for ``kithkin.network.ties.tie_strength`` until that lands."""
    if weight <= 0:
        return 0.0
    age = max(0, (today - last_day).days) if last_day is not None else 365
    return model.score(weight * math.exp(-age / 365.0))


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


def _circle_clusters(matching: QuerySet[Person], shown: Counter[str], filters: dict[str, str]) -> list[GraphCluster]:
    labels = dict(Circle.choices)
    clusters = []
    for circle, count in matching.order_by().values_list("circle").annotate(n=Count("id")):
        rest = count - shown[circle]
        if rest > 0:
            label = str(labels.get(circle, "no circle")) if circle else "no circle"
            filters_ = _opening(filters, "circle", circle) if circle else None
            clusters.append(GraphCluster(f"circle:{circle or '-'}", label, rest, filters_))
    return sorted(clusters, key=lambda c: (-c.count, c.label))


def _organization_clusters(
    matching: QuerySet[Person], shown: Counter[str], filters: dict[str, str]
) -> list[GraphCluster]:
    groups = []
    no_organization = 0
    rows = matching.order_by().values_list("organization__name").annotate(n=Count("id"))
    for name, count in rows:
        rest = count - shown[name or ""]
        if rest <= 0:
            continue
        if name:
            groups.append((name, rest))
        else:
            no_organization = rest
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


def _ties_among(owner: User, ids: list[int], today: date) -> list[GraphTie]:
    rows = (
        Tie.objects.for_owner(owner)
        .filter(first_id__in=ids, second_id__in=ids)
        .order_by("-weight", "first_id", "second_id")
        .values_list("first_id", "second_id", "weight", "last_day", "kinds")[:MAX_TIES]
    )
    return [
        GraphTie(first, second, round(tie_strength(weight, last_day, today)), tuple(filter(None, kinds.split(","))))
        for first, second, weight, last_day, kinds in rows
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
    matching = filter_people(
        owner,
        circle=filters.get("circle"),
        organization=filters.get("organization"),
        interest=filters.get("interest"),
    ).in_network()
    # order_by_strength annotates log_strength, which the type checker cannot see.
    rows = order_by_strength(
        matching, now
    ).values_list(  # type: ignore[misc]
        "pk", "full_name", "circle", "closeness", "organization__name", "log_strength"
    )[:limit]
    people = [
        GraphPerson(pk, name, circle_ or "", closeness, _strength_of(log_strength), org or "")
        for pk, name, circle_, closeness, org, log_strength in rows
    ]
    shown: Counter[str] = Counter(getattr(p, grouping) for p in people)
    if grouping == "circle":
        clusters = _circle_clusters(matching, shown, filters)
    else:
        clusters = _organization_clusters(matching, shown, filters)
    total = len(people) + sum(c.count for c in clusters)
    ties = _ties_among(owner, [p.id for p in people], now.date())
    return Graph(filters, grouping, total, people, ties, clusters)
