"""Where the apps above people act on a change to people (see ``kithkin.core.hooks``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.contrib.auth.models import User

from kithkin.core.hooks import Hook
from kithkin.people.models import Person

# What a change to many people touched, so that a rule can skip work the change does not need:
# a bulk edit of thirty thousand people's circle should not re-plan their check-ins.
ChangedField = Literal["circle", "closeness", "cadence", "interests", "met_on", "birthday", "created"]


@dataclass(frozen=True)
class PersonChanged:
    """One person was added (``created``) or edited."""

    owner: User
    person: Person
    created: bool
    now: datetime


@dataclass(frozen=True)
class PeopleChanged:
    """Many people were changed at once (a bulk edit): one event for all of them, never one a row."""

    owner: User
    person_ids: tuple[int, ...]
    fields: frozenset[ChangedField]
    now: datetime


# Run inside the transaction of add_person and edit_person.
person_changed: Hook[PersonChanged] = Hook("people.person_changed")
# Run inside the transaction of bulk_edit_people.
people_changed: Hook[PeopleChanged] = Hook("people.people_changed")
