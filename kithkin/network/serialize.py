"""The network's data shapes for the faces' JSON: a tie's strength added to a person's data
(``kithkin.people.serialize``; people know nothing of the network above them), the ranked due
list, Rekindle's entries, the suggested introductions, the Insights page's numbers and the graph."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from kithkin.core import clock
from kithkin.followups.models import FollowUp
from kithkin.followups.serialize import due_data, follow_up_data, pending_data
from kithkin.followups.services import due_list
from kithkin.goals.week import Discipline
from kithkin.interactions.serialize import touch_data
from kithkin.interactions.services import count_touches, timeline
from kithkin.network import strength as model
from kithkin.network.graph import Graph
from kithkin.network.insights import LEVELS, Insights
from kithkin.network.models import Strength
from kithkin.network.paths import IntroAsk
from kithkin.network.ranking import score_check_ins
from kithkin.network.rekindle import Candidate
from kithkin.network.services import STRENGTH_FIELDS, PersonStrength, ensure_strengths, person_strength, summary_of
from kithkin.network.suggest import Suggestion
from kithkin.people.models import Person
from kithkin.people.serialize import iter_people_data, person_data, person_ref, with_details


def ranked_due_data(owner: User, now: datetime, until: datetime, *, top: int | None = None) -> list[dict[str, Any]]:
    """What is due by ``until`` as `kithkin due --json` gives it: the promises most overdue first,
    then the ``top`` most worthwhile check-ins (all when None) in Today's order, each with its
    ``rank`` (1-based) and ``why``. A fixed number of queries."""
    scored = score_check_ins(owner, now, until=until)[:top]
    # The top few are read alone: at 30,000 people some 3,000 check-ins are due, and reading them
    # all to keep ten took most of the time.
    chosen = None if top is None else [s.id for s in scored]
    check_ins = {row["id"]: row for row in due_data(owner, until, check_ins=True, ids=chosen)}
    ranked = [{**check_ins[s.id], "rank": rank, "why": s.why} for rank, s in enumerate(scored, 1) if s.id in check_ins]
    return due_data(owner, until, check_ins=False) + ranked


def ranked_due_page(
    owner: User, now: datetime, until: datetime, *, top: int | None = None, offset: int = 0, limit: int = 50
) -> tuple[int, list[dict[str, Any]]]:
    """How many follow-ups ``ranked_due_data`` gives, and its rows ``offset`` to ``offset + limit``,
    reading only those rows: a page of a due list of thousands costs what a short list does (the
    ranking itself is remembered, ``score_check_ins``)."""
    promises = due_list(owner, until).exclude(kind=FollowUp.Kind.CHECK_IN)
    promise_count = promises.count()
    scored = score_check_ins(owner, now, until=until)[:top]
    end = offset + limit
    page = pending_data(owner, promises[offset:end]) if offset < promise_count else []
    wanted = list(enumerate(scored, 1))[max(0, offset - promise_count) : max(0, end - promise_count)]
    if wanted:
        check_ins = due_list(owner, until).filter(kind=FollowUp.Kind.CHECK_IN, pk__in=[s.id for _, s in wanted])
        found = {row["id"]: row for row in pending_data(owner, check_ins.order_by())}
        page += [{**found[s.id], "rank": rank, "why": s.why} for rank, s in wanted if s.id in found]
    return promise_count + len(scored), page


def strength_data(assessment: model.Assessment) -> dict[str, Any]:
    return {"strength": assessment.strength, "trend": assessment.trend, "status": assessment.status}


def tie_data(person: Person, tie: PersonStrength) -> dict[str, Any]:
    """One person's tie with you: its strength, trend and status (as `kithkin show --json` gives
    them), why, and how long it has been quiet."""
    silence = tie.assessment.silence_days
    return {
        "person": person_ref(person),
        **strength_data(tie.assessment),
        "strength_why": tie.why,
        "silence_days": round(silence) if silence is not None else None,
    }


def intro_ask_data(done: IntroAsk) -> dict[str, Any]:
    """An introduction asked for along a warm path (`kithkin path --ask --json`): the ask in the
    ledger and the message to send the introducer."""
    return {
        "ask": {"id": done.ask.pk, "person": done.introducer.pk, "what": done.ask.what, "status": done.ask.status},
        "draft": {"to": done.draft.to, "subject": done.draft.subject, "body": done.draft.body},
    }


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


def suggestion_data(found: Suggestion) -> dict[str, Any]:
    """A suggested introduction: who needs what, who could meet it and through what, why in one
    sentence, and the user's strength with each."""
    return {
        "person": person_ref(found.person),
        "helper": person_ref(found.helper),
        "need": found.need,
        "matches": [{"source": hit.source, "text": hit.text} for hit in found.matches],
        "reason": found.reason,
        "fit": found.fit,
        "strength": {"person": found.person_strength, "helper": found.helper_strength},
        "score": found.score,
    }


def _discipline_data(d: Discipline) -> dict[str, Any]:
    return {
        "due": d.due,
        "on_time": d.on_time,
        "late": d.late,
        "skipped": d.skipped,
        "waiting": d.waiting,
        "share_on_time": d.share,
        "share_done": d.done_share,
    }


def insights_data(found: Insights) -> dict[str, Any]:
    """The Insights page's numbers as `kithkin insights --json` gives them: months as "2026-03",
    weeks by their Monday, counts by closeness as objects keyed by level."""
    s = found.strength
    return {
        "at": found.now.isoformat(),
        "people": found.people,
        "prospects": found.prospects,
        "circles": [
            {
                "circle": c.circle,
                "label": c.label,
                "people": c.people,
                "prospects": c.prospects,
                "by_closeness": dict(zip(LEVELS, c.by_closeness, strict=True)),
            }
            for c in found.circles
        ],
        "layers": [
            {"closeness": x.closeness, "people": x.people, "within": x.within, "dunbar": x.dunbar, "verdict": x.verdict}
            for x in found.layers
        ],
        "in_touch": dict(zip(LEVELS, found.in_touch, strict=True)),
        "months": [
            {"month": f"{m.month:%Y-%m}", "in_network": m.total_known, "by_closeness": dict(m.by_level)}
            for m in found.months
        ],
        "discipline": [
            {
                "month": f"{m.month:%Y-%m}",
                "thank_yous": _discipline_data(m.thank_yous),
                "loops_closed": _discipline_data(m.loops),
                "check_ins": _discipline_data(m.check_ins),
            }
            for m in found.discipline
        ],
        "give_and_take": [{"month": f"{m.month:%Y-%m}", "gave": m.gave, "got": m.got} for m in found.ledger],
        "touches_per_week": [{"week_of": w.week.isoformat(), "touches": w.touches} for w in found.touches],
        "strength": {
            "steps": [{"strength": label, "people": n} for label, n in s.rows],
            "strong": s.strong,
            "medium": s.medium,
            "weak": s.weak,
            "no_history": s.no_history,
            "at_risk": s.at_risk,
            "dormant": s.dormant,
        },
        "organizations": [{"id": o.organization_id, "name": o.name, "people": o.people} for o in found.organizations],
        "met": {
            "introduced": found.sources.introduced,
            "at_event": found.sources.at_event,
            "imported": found.sources.imported,
            "by_hand": found.sources.by_hand,
        },
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


def people_data(owner: User, people: QuerySet[Person], *, now: datetime | None = None) -> list[dict[str, Any]]:
    """``people`` (sliced or not) as `kithkin people --json` lists them: each person's data with
    their tie's strength, in their order."""
    return list(with_strengths(owner, iter_people_data(people, owner), people, now=now))


def person_profile_data(
    owner: User, person_id: int, *, now: datetime | None = None, touches: int | None = None
) -> dict[str, Any]:
    """One person as `kithkin show --json` gives them: the whole profile, the tie's strength and
    why, every touch (newest first) and the open follow-ups. With ``touches``, only that many of
    the newest, and how many there are in all (``touch_count``)."""
    found = (
        with_details(Person.objects.for_owner(owner).filter(pk=person_id))
        .prefetch_related("positions__organization")
        .get()
    )
    tie = person_strength(owner, found, now=now)
    data = person_data(found, owner, full=True)
    data |= strength_data(tie.assessment) | {"strength_why": tie.why}
    if touches is not None:
        data["touch_count"] = count_touches(owner, found)
    data["touches"] = [touch_data(t, owner) for t in timeline(owner, found, limit=touches)]
    follow_ups = FollowUp.objects.for_owner(owner).pending().filter(person=found).select_related("person")
    data["follow_ups"] = [follow_up_data(f, owner) for f in follow_ups]
    return data
