"""Who knows whom on a person's page: for someone you want to meet, who could introduce you; for
anyone, whom they know among your people (with a way to say so, or that a tie is wrong); and
their roles over time, which colleague ties are found from."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from kithkin.network.paths import paths_to_person, ties_of
from kithkin.people.models import Person
from kithkin.people.services import roles_of
from kithkin.web.panels import Panel

SHOWN_PATHS = 5
SHOWN_TIES = 8


def introducers_panel(owner: User, person: Person, now: datetime) -> Panel | None:
    """On a prospect's page only: the warm paths to them, each with a button to ask."""
    if not person.is_prospect:
        return None
    paths = paths_to_person(owner, person, now=now, limit=SHOWN_PATHS)
    return Panel(
        template="ties/_introducers_panel.html",
        context={"person": person, "paths": paths, "why": person.why},
        where="main",
        order=5,
    )


def knows_panel(owner: User, person: Person, now: datetime) -> Panel:
    known, count = ties_of(owner, person, now=now, limit=SHOWN_TIES)
    return Panel(
        template="ties/_knows_panel.html",
        context={"person": person, "known": known, "count": count, "more": count - len(known)},
        where="main",
        order=60,
    )


def roles_panel(owner: User, person: Person, now: datetime) -> Panel:
    return Panel(
        template="ties/_roles_panel.html",
        title="Roles",
        context={"person": person, "roles": roles_of(owner, person)},
        where="side",
        order=8,
    )
