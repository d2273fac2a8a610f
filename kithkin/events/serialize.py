"""Events as plain data, for `--json` output and the HTTP API alike."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib.auth.models import User

from kithkin.accounts.services import get_profile
from kithkin.events.models import Event
from kithkin.events.services import Figures, MetResult, Planned, Review, event_figures, hoped_people, is_past
from kithkin.exchanges.models import Ask, Exchange
from kithkin.followups.models import FollowUp
from kithkin.followups.serialize import follow_up_data
from kithkin.people.models import Person
from kithkin.people.serialize import iso, person_ref


def figures_data(figures: Figures) -> dict[str, int]:
    return {**asdict(figures), "thanked": figures.thanked}


def event_data(
    event: Event,
    owner: User,
    *,
    hopes: list[Person] | None = None,
    figures: Figures | None = None,
    is_past: bool | None = None,
) -> dict[str, Any]:
    tz = get_profile(owner).tz
    data: dict[str, Any] = {
        "id": event.pk,
        "name": event.name,
        "starts_at": iso(event.starts_at, tz),
        "where": event.where,
        "goal": event.goal,
        "pitch": event.pitch,
        "starters": list(event.starters),
        "circle": event.circle or None,
        "verdict": event.verdict,
        "is_worth_again": event.is_worth_again,
    }
    if is_past is not None:
        data["is_past"] = is_past
    if hopes is not None:
        data["hope_to_meet"] = [person_ref(p) for p in hopes]
    if figures is not None:
        data["figures"] = figures_data(figures)
    return data


def review_data(review: Review, owner: User, *, is_past: bool) -> dict[str, Any]:
    """The plan, and (once it has started) the review: people met with their thank-you status,
    the people hoped for, the gives and asks that came from it."""
    tz = get_profile(owner).tz
    data = event_data(review.event, owner, hopes=[h.person for h in review.hopes], is_past=is_past)
    data["hope_to_meet"] = [{**person_ref(h.person), "is_met": h.is_met} for h in review.hopes]
    if not is_past:
        return data
    data["figures"] = figures_data(review.figures)
    data["met"] = [
        {
            **person_ref(m.person),
            "is_new": m.met.is_new_person,
            "thank_you": m.status,
            "thank_you_id": m.thank_you.pk if m.thank_you else None,
            "thank_you_due_at": iso(m.thank_you.due_at, tz) if m.thank_you else None,
        }
        for m in review.met
    ]
    data["exchanges"] = [
        {
            "id": e.pk,
            "direction": e.direction,
            "kind": e.kind,
            "what": e.what,
            "on": e.happened_on.isoformat(),
            "person": person_ref(e.person),
        }
        for e in review.exchanges
    ]
    data["asks"] = [
        {
            "id": a.pk,
            "kind": a.kind,
            "what": a.what,
            "on": a.asked_on.isoformat(),
            "status": a.status,
            "person": person_ref(a.person),
        }
        for a in review.asks
    ]
    return data


def met_data(result: MetResult, owner: User, follow_ups: list[dict[str, Any]]) -> dict[str, Any]:
    added = {p.pk for p in result.added}
    return {
        "event": event_data(result.event, owner),
        "met": [{**person_ref(p), "is_new": p.pk in added} for p in result.met],
        "already_met": [person_ref(p) for p in result.already],
        "is_history": result.is_history,
        "follow_ups": follow_ups,
    }


def planned_data(planned: Planned, owner: User) -> dict[str, Any]:
    """An event just planned, with the people it added to those to meet (`kithkin event add --json`)."""
    event = planned.event
    data = event_data(event, owner, hopes=hoped_people(owner, event), is_past=is_past(event, event.created_at))
    data["added_to_meet"] = [{"id": p.pk, "name": p.full_name} for p in planned.added]
    return data


def events_data(owner: User, upcoming: list[Event], done: list[Event]) -> list[dict[str, Any]]:
    """Upcoming events with their plans, then past ones with their figures (`kithkin event list
    --json`); prefetch ``hopes__person``."""
    figures = event_figures(owner, done)
    return [event_data(e, owner, hopes=[h.person for h in e.hopes.all()], is_past=False) for e in upcoming] + [
        event_data(e, owner, hopes=[h.person for h in e.hopes.all()], figures=figures[e.pk], is_past=True) for e in done
    ]


def met_thank_yous(owner: User, result: MetResult) -> list[FollowUp]:
    """The thank-yous that recording whom the user met asked for."""
    return list(
        FollowUp.objects.for_owner(owner)
        .filter(touch__in=result.touches, kind=FollowUp.Kind.THANK_YOU)
        .select_related("person")
        .order_by("id")
    )


def met_result_data(result: MetResult, owner: User) -> dict[str, Any]:
    """`kithkin event met --json`: whom the user met, and the thank-yous it asked for."""
    return met_data(result, owner, [follow_up_data(f, owner) for f in met_thank_yous(owner, result)])


def help_data(row: Exchange | Ask, direction: str, event: Event) -> dict[str, Any]:
    """Help that came from an event, just put in the ledger (`kithkin event gave/got/asked --json`)."""
    return {
        "id": row.pk,
        "type": "ask" if isinstance(row, Ask) else "exchange",
        "direction": direction,
        "kind": row.kind,
        "what": row.what,
        "person": {"id": row.person_id, "name": row.person.full_name},
        "event": {"id": event.pk, "name": event.name},
    }
