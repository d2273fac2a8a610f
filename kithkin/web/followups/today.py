"""What the other domains add to Today (see ``kithkin.web.panels``), in the order they are asked.

Today is the followups face's page; each panel comes from its own domain's ``panels.py``.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from kithkin.web.events import panels as events
from kithkin.web.exchanges import panels as exchanges
from kithkin.web.goals import panels as goals
from kithkin.web.introductions import panels as introductions
from kithkin.web.panels import Panel, TodayPanel, arrange

TODAY: tuple[TodayPanel, ...] = (
    events.today_panel,
    exchanges.owe_panel,
    introductions.today_panel,
    goals.routine_panel,
)


def today_panels(owner: User, now: datetime) -> list[Panel]:
    return arrange(make(owner, now) for make in TODAY)
