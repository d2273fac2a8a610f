"""Run the follow-up rules when the apps below this one change something."""

from __future__ import annotations

from typing import Any

from kithkin.accounts.signals import settings_changed
from kithkin.interactions.signals import touch_logged
from kithkin.people.signals import people_changed, person_changed


def on_person_changed(sender: Any, owner: Any, person: Any, now: Any = None, **kwargs: Any) -> None:
    from kithkin.followups.services import sync_check_ins

    sync_check_ins(owner, [person.pk], now=now)


def on_people_changed(
    sender: Any, owner: Any, person_ids: Any, now: Any = None, fields: Any = None, **kwargs: Any
) -> None:
    # Only closeness, cadence and the day you met move check-ins, and new people (an import) need
    # theirs; a bulk edit of circles or interests of thirty thousand should not re-plan them all.
    if fields is not None and not {"closeness", "cadence", "met_on", "created"} & set(fields):
        return
    from kithkin.followups.services import sync_check_ins

    sync_check_ins(owner, person_ids, now=now)


def on_touch_logged(sender: Any, owner: Any, touch: Any, people: Any, thank: Any, now: Any, **kwargs: Any) -> None:
    from kithkin.followups.services import apply_touch_rules

    apply_touch_rules(owner, touch, [p.pk for p in people], thank=thank, now=now)


def on_settings_changed(sender: Any, owner: Any, **kwargs: Any) -> None:
    from kithkin.followups.services import sync_check_ins

    sync_check_ins(owner, None)


def connect() -> None:
    person_changed.connect(on_person_changed, dispatch_uid="followups.person_changed")
    people_changed.connect(on_people_changed, dispatch_uid="followups.people_changed")
    touch_logged.connect(on_touch_logged, dispatch_uid="followups.touch_logged")
    settings_changed.connect(on_settings_changed, dispatch_uid="followups.settings_changed")
