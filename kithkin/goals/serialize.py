"""Goals and the weekly routine as plain data, for `--json` output and, later, the HTTP API."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from django.contrib.auth.models import User

from kithkin.accounts.services import get_profile
from kithkin.exchanges.serialize import ask_data, exchange_data
from kithkin.goals.models import Goal
from kithkin.goals.services import GoalOverview, GoalSummary
from kithkin.goals.week import Routine, WeekProgress, WeekReview
from kithkin.interactions.serialize import touch_data
from kithkin.people.models import Organization, Person
from kithkin.people.serialize import iso, person_ref


def _org(organization: Organization) -> dict[str, Any]:
    return {"id": organization.pk, "name": organization.name}


def _person(person: Person, tz: tzinfo) -> dict[str, Any]:
    return {
        **person_ref(person),
        "is_prospect": person.is_prospect,
        "closeness": person.closeness,
        "last_touch_at": iso(person.last_touch_at, tz),
    }


def _goal(goal: Goal, tz: tzinfo) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "text": goal.text,
        "pitch": goal.pitch,
        "created_at": iso(goal.created_at, tz),
        "achieved_at": iso(goal.achieved_at, tz),
        "is_open": goal.achieved_at is None,
    }


def summary_data(summary: GoalSummary, owner: User) -> dict[str, Any]:
    tz = get_profile(owner).tz
    return {
        **_goal(summary.goal, tz),
        "target_organizations": [_org(o) for o in summary.organizations],
        "target_people": [{**person_ref(p), "is_prospect": p.is_prospect} for p in summary.people],
        "known_at_targets": summary.known,
    }


def overview_data(overview: GoalOverview, owner: User) -> dict[str, Any]:
    tz = get_profile(owner).tz
    return {
        **_goal(overview.goal, tz),
        "target_organizations": [
            {
                **_org(o.organization),
                "people_known": o.count,
                "people": [_person(p, tz) for p in o.people],
                "former": [
                    {**person_ref(pos.person), "ended_on": pos.ended_on.isoformat() if pos.ended_on else None}
                    for pos in o.former
                ],
            }
            for o in overview.organizations
        ],
        "target_people": [_person(p, tz) for p in overview.people],
        "prospects": [_person(p, tz) for p in overview.prospects],
        "touches": [touch_data(t, owner) for t in overview.touches],
        "exchanges": [exchange_data(e) for e in overview.exchanges],
        "asks": [ask_data(a, tz) for a in overview.asks],
        "next_step": {
            "text": overview.next_step.text,
            "person": person_ref(overview.next_step.person) if overview.next_step.person else None,
        },
    }


def progress_data(progress: WeekProgress) -> dict[str, Any]:
    return {
        "first_day": progress.first_day.isoformat(),
        "last_day": progress.last_day.isoformat(),
        "is_met": progress.is_met,
        "targets": {
            t.name.replace(" ", "_"): {"done": t.done, "goal": t.goal, "is_met": t.is_met} for t in progress.targets
        },
    }


def routine_data(found: Routine | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {**progress_data(found.week), "streak": found.streak, "is_longest_shown": found.is_longest_shown}


def review_data(review: WeekReview, owner: User, streak: int | None = None) -> dict[str, Any]:
    tz = get_profile(owner).tz
    d = review.discipline
    return {
        **progress_data(review.progress),
        "weeks_ago": review.weeks_ago,
        "streak": streak,
        "touch_count": review.touch_count,
        "touches": [touch_data(t, owner) for t in review.touches],
        "new_people": [person_ref(p) for p in review.new_people],
        "gives": [exchange_data(e) for e in review.gives],
        "received": [exchange_data(e) for e in review.received],
        "introduced_to": [exchange_data(e) for e in review.introduced_to],
        "asks": [ask_data(a, tz) for a in review.asks],
        "introductions_made": [
            {"id": i.pk, "person_a": person_ref(i.person_a), "person_b": person_ref(i.person_b), "state": i.state}
            for i in review.introductions
        ],
        "introduction_steps": review.introductions_moved,
        "follow_ups_done": review.follow_ups_done,
        "thank_yous": {
            "due": d.due,
            "within_24h": d.on_time,
            "late": d.late,
            "skipped": d.skipped,
            "waiting": d.waiting,
            "share_within_24h": d.share,
        },
    }
