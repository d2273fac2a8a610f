"""The network's data shapes for the faces' JSON: a tie's strength added to a person's data
(``kithkin.people.serialize``; people know nothing of the network above them), the ranked due
list, Rekindle's entries, and the graph."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from kithkin.core import clock
from kithkin.followups.serialize import due_data
from kithkin.network import strength as model
from kithkin.network.graph import Graph
from kithkin.network.models import Strength
from kithkin.network.ranking import score_check_ins
from kithkin.network.rekindle import Candidate
from kithkin.network.services import STRENGTH_FIELDS, ensure_strengths, summary_of
from kithkin.people.models import Person


def ranked_due_data(owner: User, now: datetime, until: datetime, *, top: int | None = None) -> list[dict[str, Any]]:
    """What is due by ``until`` as `kithkin due --json` gives it: the promises most overdue first,
    then the ``top`` most worthwhile check-ins (all when None) in Today's order, each with its
    ``rank`` (1-based) and ``why``. A fixed number of queries."""
    scored = score_check_ins(owner, now, until=until)[:top]
    check_ins = {row["id"]: row for row in due_data(owner, until, check_ins=True)}
    ranked = [{**check_ins[s.id], "rank": rank, "why": s.why} for rank, s in enumerate(scored, 1) if s.id in check_ins]
    return due_data(owner, until, check_ins=False) + ranked


def strength_data(assessment: model.Assessment) -> dict[str, Any]:
    return {"strength": assessment.strength, "trend": assessment.trend, "status": assessment.status}


def with_strengths(
    owner: User, rows: Iterable[dict[str, Any]], people: QuerySet[Person], *, now: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Each of ``rows`` (``person_data`` of ``people``, in any order) with its strength, trend and
    status: one query for all of them, whatever their number."""
    now = now or clock.now()
    ensure_strengths(owner, now=now)
    # A sliced list (--limit) keeps its order, which says which rows the slice holds.
    ids = people.values("pk") if people.query.is_sliced else people.order_by().values("pk")
    stored = Strength.objects.for_owner(owner).filter(person__in=ids).order_by()
    found = {values[0]: model.Summary(*values[1:]) for values in stored.values_list(*STRENGTH_FIELDS)}
    empty = summary_of(None)
    for data in rows:
        # person_data's cadence_days is the effective cadence (None for a prospect or "never").
        summary = found.get(data["id"], empty)
        yield data | strength_data(
            model.assess(summary, closeness=data["closeness"], cadence=data["cadence_days"], now=now)
        )


def candidate_data(candidate: Candidate) -> dict[str, Any]:
    """One entry of Rekindle: who, how the tie stands, why, and the drafted opener."""
    found = candidate.assessment
    silence = found.silence_days
    return {
        "person": {"id": candidate.person.pk, "name": candidate.person.full_name},
        "strength": found.strength,
        "trend": found.trend,
        "status": found.status,
        "silence_days": round(silence) if silence is not None else None,
        "score": candidate.score,
        "reasons": list(candidate.reasons),
        "suggestion": candidate.suggestion,
        "opener": candidate.opener,
        "subject": candidate.draft.subject,
        "body": candidate.draft.body,
        "mailto": candidate.draft.mailto,
    }


def graph_to_data(graph: Graph, *, you: str, person_url: Callable[[int], str] | None = None) -> dict[str, Any]:
    """The graph as the faces' JSON: ``nodes`` (you, then people strongest first, each with the
    ``url`` of their page when the face has pages), ``edges`` (you to each person weighted by
    their strength, then the ties among them weighted by the tie's strength) and ``clusters``."""
    people = [
        {
            "id": p.id,
            "kind": "person",
            "name": p.name,
            "circle": p.circle,
            "closeness": p.closeness,
            "strength": p.strength,
            "organization": p.organization,
        }
        | ({"url": person_url(p.id)} if person_url else {})
        for p in graph.people
    ]
    edges = [{"source": "you", "target": p.id, "kind": "you", "strength": p.strength} for p in graph.people]
    edges += [
        {"source": t.first_id, "target": t.second_id, "kind": "tie", "strength": t.strength, "kinds": list(t.kinds)}
        for t in graph.ties
    ]
    return {
        "filters": graph.filters,
        "cluster_by": graph.cluster_by,
        "total": graph.total,
        "shown": len(graph.people),
        "nodes": [{"id": "you", "kind": "you", "name": you}, *people],
        "edges": edges,
        "clusters": [{"key": c.key, "label": c.label, "count": c.count, "filters": c.filters} for c in graph.clusters],
    }
