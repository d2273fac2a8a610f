"""Where the apps above interactions act on a touch logged (see ``kithkin.core.hooks``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User

from kithkin.core.hooks import Hook
from kithkin.interactions.models import Touch
from kithkin.people.models import Person


@dataclass(frozen=True)
class TouchLogged:
    """A touch was logged with ``people`` (each once). ``thank`` forces (True) or suppresses
    (False) the thank-you; None follows the touch's kind."""

    owner: User
    touch: Touch
    people: tuple[Person, ...]
    thank: bool | None
    now: datetime


@dataclass(frozen=True)
class TouchesChanged:
    """The touches of these people changed (logged, imported, undone, moved by a merge): what is
    worked out from a person's whole history (their last touch, their strength) is out of date.

    ``texts`` False: no notes or advice changed (search has nothing new to read); ``shared``
    False: every touch that changed had one person (no tie between two people moved). A touch
    logged says so; every other change leaves both True."""

    owner: User
    person_ids: tuple[int, ...]
    texts: bool = True
    shared: bool = True


# Run by refresh_last_touch, which every change to touches calls, after the last touch is written.
touches_changed: Hook[TouchesChanged] = Hook("interactions.touches_changed")

# Run inside log_touch's transaction, after the participants and their last touch are written.
touch_logged: Hook[TouchLogged] = Hook("interactions.touch_logged")
