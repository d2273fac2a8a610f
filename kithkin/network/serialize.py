"""The network's data shapes for the faces' JSON: a tie's strength added to a person's data
(``kithkin.people.serialize``; people know nothing of the network above them), and the ranked due
list, Rekindle's entries and the suggested introductions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from kithkin.core import clock
from kithkin.followups.serialize import due_data
from kithkin.network import strength as model
from kithkin.network.models import Strength
from kithkin.network.ranking import score_check_ins
from kithkin.network.rekindle import Candidate
from kithkin.network.services import STRENGTH_FIELDS, ensure_strengths, summary_of
from kithkin.network.suggest import Suggestion
from kithkin.people.models import Person
from kithkin.people.serialize import person_ref


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
