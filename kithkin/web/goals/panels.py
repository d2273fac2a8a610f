"""The weekly routine on Today (progress on the three targets, the streak) and a person's goals
on their page."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from kithkin.goals.services import goals_of
from kithkin.goals.week import routine
from kithkin.people.models import Person
from kithkin.web.panels import Panel


def routine_panel(owner: User, now: datetime) -> Panel | None:
    """This week's progress and the streak: four queries at most, none when every target is off."""
    found = routine(owner, now)
    if found is None:
        return None
    return Panel(template="goals/_today_routine.html", context={"routine": found}, where="top", order=0)


def person_goals_panel(owner: User, person: Person, now: datetime) -> Panel | None:
    """The open goals a person is part of (directly or through their organization): one query."""
    goals = goals_of(owner, person)
    if not goals:
        return None
    return Panel(
        template="goals/_person_goals.html", context={"goals": goals, "person": person}, order=40, title="Goals"
    )
