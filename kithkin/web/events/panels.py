"""What the events app adds to Today and to a person's page (see kithkin.web.panels)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from kithkin.events.services import events_around, events_with_person
from kithkin.people.models import Person
from kithkin.web.panels import Panel

TODAY_SHOWN = 5


def today_panel(owner: User, now: datetime) -> Panel | None:
    """The events of the next 14 days, with a link to each plan, and those of the last three
    days, to record whom the user met there while it is fresh. One query."""
    around = events_around(owner, now)
    if not around:
        return None
    upcoming = [e for e in around if e.starts_at > now][:TODAY_SHOWN]
    recent = [e for e in reversed(around) if e.starts_at <= now][:TODAY_SHOWN]
    return Panel(
        template="events/_today_events.html",
        context={"upcoming": upcoming, "recent": recent, "now": now},
        where="side",
        order=20,
        title=f"Events: {len(upcoming)} coming, {len(recent)} just past",
    )


def person_panel(owner: User, person: Person, now: datetime) -> Panel | None:
    """The events where the user met this person, and those where they hope to. Two queries."""
    met_there, hoped = events_with_person(owner, person)
    met_ids = {m.event_id for m in met_there}
    hoped = [h for h in hoped if h.event_id not in met_ids]
    if not met_there and not hoped:
        return None
    return Panel(
        template="events/_person_events.html",
        title="Events",
        context={"met": met_there, "hoped": hoped, "now": now, "person": person},
        where="side",
        order=60,
    )
