"""The ledger's rules that a change in a lower app sets off (see ``kithkin.core.hooks``)."""

from __future__ import annotations

from kithkin.exchanges.services import schedule_intro_loops
from kithkin.interactions.hooks import TouchLogged, touch_logged


def schedule_intro_loops_after_touch(event: TouchLogged) -> None:
    """The first conversation with someone the user was introduced to: the introducer hears how it went."""
    schedule_intro_loops(event.owner, event.touch, event.people, now=event.now)


def register() -> None:
    """After the touch's own rules (followups registers at 10)."""
    touch_logged.register("exchanges.intro_loops", schedule_intro_loops_after_touch, order=20)
