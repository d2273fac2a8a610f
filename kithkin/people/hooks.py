"""Where the apps above people act on a change to people, or on two people merged into one
(see ``kithkin.core.hooks``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.contrib.auth.models import User

from kithkin.core.hooks import Hook, Registry
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


@dataclass(frozen=True)
class SearchRefreshed:
    """What is searched of these people (``None``: everyone's) was written again: their name,
    title, organization, interests... changed, or they were added in bulk (an import, a restore,
    the demo). Whatever an app above keeps for searching them is out of date."""

    owner: User
    person_ids: tuple[int, ...] | None


# Run inside the transaction of add_person and edit_person.
person_changed: Hook[PersonChanged] = Hook("people.person_changed")
# Run inside the transaction of bulk_edit_people.
people_changed: Hook[PeopleChanged] = Hook("people.people_changed")
# Run by refresh_search once it has written, and by a bulk writer (the import) that writes the
# search text itself.
search_refreshed: Hook[SearchRefreshed] = Hook("people.search_refreshed")


# --- merging two people (people/merge.py) ------------------------------------------------------


@dataclass(frozen=True)
class Merging:
    """Two people about to become one: ``drop``'s rows go to ``keep``."""

    owner: User
    keep: Person
    drop: Person


def _nothing_shown(merging: Merging) -> int:
    return 0


@dataclass(frozen=True)
class MergeStep:
    """What an app above people does when two people become one.

    ``move`` moves the app's rows from ``drop`` to ``keep`` (a row ``keep`` already has the
    like of is removed instead) and returns how many moved; ``count`` says beforehand how many
    would, for the merge preview. ``key`` names them in the preview's ``moves`` and in the
    merge's history entry ("touches"); a step whose rows are not shown leaves it empty."""

    move: Callable[[Merging], int]
    count: Callable[[Merging], int] = _nothing_shown
    key: str = ""


@dataclass(frozen=True)
class Merged:
    """``person`` is what is left of two people, the other one deleted."""

    owner: User
    person: Person
    now: datetime


# Run by merge_people and preview_merge in their order, before people moves its own rows.
merge_steps: Registry[MergeStep] = Registry("people.merge_steps")
# Run by merge_people once the dropped person is gone, for what the moved rows change.
people_merged: Hook[Merged] = Hook("people.people_merged")
