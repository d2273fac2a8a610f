"""What introductions add to Today and to a person's page (registered in apps.py)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from kithkin.introductions.services import (
    OPEN_STATES,
    WAITING,
    YOUR_MOVE,
    introductions,
    involving,
    next_step,
    state_counts,
)
from kithkin.people.models import Person
from kithkin.web.panels import Panel

TODAY_ROWS = 3
PERSON_ROWS = 8


def today_panel(owner: User, now: datetime) -> Panel | None:
    """Introductions whose next step is the user's (the oldest few), and how many wait for an
    answer. Two queries. The nudges for answers that are late are follow-ups, listed above."""
    counts = state_counts(owner)
    if not any(counts.get(state) for state in OPEN_STATES):
        return None
    ready_count = sum(counts.get(state, 0) for state in YOUR_MOVE)
    ready = introductions(owner).filter(state__in=YOUR_MOVE).order_by("updated_at", "id")[:TODAY_ROWS]
    shown = [(intro, next_step(intro)) for intro in (ready if ready_count else [])]
    context = {
        "ready": shown,
        "ready_count": ready_count,
        "ready_more": ready_count - len(shown),
        "waiting_count": sum(counts.get(state, 0) for state in WAITING),
        "introduced_count": counts.get("introduced", 0),
    }
    title = f"Introductions: {ready_count} ready for you" if ready_count else "Introductions"
    return Panel(template="introductions/_today_panel.html", context=context, where="side", order=30, title=title)


def person_panel(owner: User, person: Person, now: datetime) -> Panel | None:
    """The introductions this person is part of, open ones first. One query."""
    rows = list(involving(owner, person).order_by("-updated_at", "-id")[: PERSON_ROWS + 1])
    if not rows:
        return None
    open_first = sorted(rows[:PERSON_ROWS], key=lambda intro: intro.state not in OPEN_STATES)
    context = {
        "person": person,
        "rows": [(intro, next_step(intro), intro.state in OPEN_STATES) for intro in open_first],
        "more": len(rows) > PERSON_ROWS,
    }
    return Panel(template="introductions/_person_panel.html", context=context, where="main", order=40)
