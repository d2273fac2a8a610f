"""The ledger's rules that run when a lower app changes something."""

from __future__ import annotations

from typing import Any

from kithkin.interactions.signals import touch_logged


def on_touch_logged(sender: Any, owner: Any, touch: Any, people: Any, now: Any = None, **kwargs: Any) -> None:
    # The first conversation with someone the user was introduced to: tell the introducer how it went.
    from kithkin.exchanges.services import schedule_intro_loops

    schedule_intro_loops(owner, touch, people, now=now)


def connect() -> None:
    touch_logged.connect(on_touch_logged, dispatch_uid="exchanges.touch_logged")
