"""What the other domains add to a person's page (see ``kithkin.web.panels``), in the order they
are asked."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from kithkin.people.models import Person
from kithkin.web.events import panels as events
from kithkin.web.exchanges import panels as exchanges
from kithkin.web.followups import panels as followups
from kithkin.web.goals import panels as goals
from kithkin.web.introductions import panels as introductions
from kithkin.web.network import panels as network
from kithkin.web.panels import Panel, PersonPanel, arrange
from kithkin.web.ties import panels as ties

PERSON: tuple[PersonPanel, ...] = (
    network.strength_panel,
    ties.introducers_panel,
    ties.knows_panel,
    ties.roles_panel,
    followups.milestones_panel,
    events.person_panel,
    exchanges.person_panel,
    introductions.person_panel,
    goals.person_goals_panel,
)


def person_panels(owner: User, person: Person, now: datetime) -> list[Panel]:
    return arrange(make(owner, person, now) for make in PERSON)
