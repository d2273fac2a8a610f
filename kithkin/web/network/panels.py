"""A tie's strength on a person's page: the number, its trend and status in words, why, and a
sparkline of the last two years (see ``kithkin.network.strength`` and docs/strength.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User

from kithkin.network.services import person_strength
from kithkin.people.models import Person
from kithkin.web.panels import Panel

# The sparkline's drawing box (SVG user units): points run left to right, 0 at the bottom.
SPARK_WIDTH, SPARK_HEIGHT, SPARK_MARGIN = 120.0, 32.0, 2.0


@dataclass(frozen=True)
class Sparkline:
    points: str  # an SVG polyline's points
    label: str  # what it shows, in words, for screen readers and as a tooltip
    last_x: float
    last_y: float


def sparkline(values: Sequence[float]) -> Sparkline:
    """The curve as an SVG polyline on a fixed 0-100 scale, so two people's lines compare."""
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    usable = SPARK_HEIGHT - 2 * SPARK_MARGIN
    coords = [(round(i * step, 1), round(SPARK_MARGIN + usable * (1 - v / 100.0), 1)) for i, v in enumerate(values)]
    label = f"Strength over the last two years: from {round(values[0])} to {round(values[-1])}"
    return Sparkline(" ".join(f"{x},{y}" for x, y in coords), label, *coords[-1])


def strength_panel(owner: User, person: Person, now: datetime) -> Panel:
    """Four to six queries whatever the history's length (``person_strength``); none for a
    prospect, whom you have not met yet."""
    context: dict[str, object] = {"person": person, "width": SPARK_WIDTH, "height": SPARK_HEIGHT}
    if not person.is_prospect:
        tie = person_strength(owner, person, now=now)
        if tie.assessment.silence_days is not None:
            context.update(tie=tie, assessment=tie.assessment, spark=sparkline(tie.curve))
    return Panel(template="network/_person_strength.html", context=context, where="side", order=5, title="Strength")
