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


# Run inside log_touch's transaction, after the participants and their last touch are written.
touch_logged: Hook[TouchLogged] = Hook("interactions.touch_logged")
