"""Panels: what each domain adds to Today and to a person's page.

Today (followups) and a person's page (people) show what the ledger, introductions, events,
goals, milestones and the weekly routine have to say. Each domain's panel function lives in its
own module of the web face (``kithkin/web/<domain>/panels.py``) and returns a ``Panel``, or None
when it has nothing to show; each page lists its own (``web/followups/today.py`` for Today,
``web/people/page.py`` for a person's page). A panel function must
make a fixed number of queries whatever the size of the network (the pages have query-count
tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

# "top": first on a phone, above what is due; at the head of the side column on a wide screen.
Where = Literal["main", "side", "top"]


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    where: Where = "side"
    order: int = 50  # lower comes first
    # What the panel is about in a few words, with a count: the line that stands for it where the
    # page folds it away (Today on a phone).
    title: str = ""


TodayPanel = Callable[[Any, datetime], Panel | None]  # (owner, now)
PersonPanel = Callable[[Any, Any, datetime], Panel | None]  # (owner, person, now)


def arrange(panels: Iterable[Panel | None]) -> list[Panel]:
    """The panels that have something to show, in their order."""
    return sorted((p for p in panels if p is not None), key=lambda p: p.order)
