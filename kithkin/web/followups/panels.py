"""Milestones on a person's page: what happened to them, a button to take a new job as their
role, and a form to record another."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from kithkin.followups.milestones import person_milestones
from kithkin.people.models import Person
from kithkin.web.followups.forms import MilestoneForm
from kithkin.web.panels import Panel

MILESTONES_SHOWN = 5


def milestones_panel(owner: User, person: Person, now: datetime) -> Panel:
    """One query: the person's latest milestones."""
    return Panel(
        template="followups/_person_milestones.html",
        title="Milestones",
        context={
            "person": person,
            "milestones": person_milestones(owner, person, limit=MILESTONES_SHOWN),
            "form": MilestoneForm(auto_id=f"milestone-{person.pk}-%s"),
        },
        where="side",
        order=30,
    )
