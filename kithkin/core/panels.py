"""Places where higher apps add to a page of a lower one, without the lower app importing them.

Today (followups) and a person's page (people) show what the ledger, introductions, events,
goals and the weekly routine have to say. Each of those apps registers a panel function in its
``AppConfig.ready()``; the page asks for the panels and includes each one's template with its
context. A panel function returns None when it has nothing to show, and must make a fixed number
of queries whatever the size of the network (the pages have query-count tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Where = Literal["main", "side"]


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    where: Where = "side"
    order: int = 50  # lower comes first


TodayPanel = Callable[[Any, datetime], Panel | None]  # (owner, now)
PersonPanel = Callable[[Any, Any, datetime], Panel | None]  # (owner, person, now)

_today: dict[str, TodayPanel] = {}
_person: dict[str, PersonPanel] = {}


def register_today(name: str, panel: TodayPanel) -> None:
    """Add a panel to Today (registering the same name again replaces it)."""
    _today[name] = panel


def register_person(name: str, panel: PersonPanel) -> None:
    """Add a panel to a person's page (registering the same name again replaces it)."""
    _person[name] = panel


def today_panels(owner: Any, now: datetime) -> list[Panel]:
    found = [p for p in (make(owner, now) for make in _today.values()) if p is not None]
    return sorted(found, key=lambda p: p.order)


def person_panels(owner: Any, person: Any, now: datetime) -> list[Panel]:
    found = [p for p in (make(owner, person, now) for make in _person.values()) if p is not None]
    return sorted(found, key=lambda p: p.order)
