"""Run the follow-up rules when the apps below this one change something."""

from __future__ import annotations

from typing import Any

from kithkin.accounts.signals import settings_changed
from kithkin.followups.signals import follow_up_closed
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
    from kithkin.followups.milestones import sync_birthdays
    from kithkin.followups.services import sync_check_ins

    sync_check_ins(owner, None)
    # Birthday wishes fall due on the morning of the day, in the user's time zone.
    sync_birthdays(owner, None)


def on_person_changed_birthday(sender: Any, owner: Any, person: Any, now: Any = None, **kwargs: Any) -> None:
    from kithkin.followups.milestones import sync_birthday_of

    sync_birthday_of(owner, person, now=now)


def on_people_changed_birthdays(
    sender: Any, owner: Any, person_ids: Any, now: Any = None, fields: Any = None, **kwargs: Any
) -> None:
    # New people (an import) may bring birthdays; a bulk edit of circles or closeness does not.
    if fields is not None and not {"created", "birthday"} & set(fields):
        return
    from kithkin.followups.milestones import sync_birthdays

    sync_birthdays(owner, person_ids, now=now)


def on_follow_up_closed(sender: Any, owner: Any, follow_up: Any, now: Any = None, **kwargs: Any) -> None:
    from kithkin.followups.milestones import BIRTHDAY_PREFIX, sync_birthdays

    # A birthday wished (or let pass) plans next year's.
    if follow_up.kind == "congratulate" and follow_up.cause.startswith(BIRTHDAY_PREFIX):
        sync_birthdays(owner, [follow_up.person_id], now=now)


def connect() -> None:
    person_changed.connect(on_person_changed, dispatch_uid="followups.person_changed")
    people_changed.connect(on_people_changed, dispatch_uid="followups.people_changed")
    touch_logged.connect(on_touch_logged, dispatch_uid="followups.touch_logged")
    settings_changed.connect(on_settings_changed, dispatch_uid="followups.settings_changed")
    person_changed.connect(on_person_changed_birthday, dispatch_uid="followups.person_changed.birthday")
    people_changed.connect(on_people_changed_birthdays, dispatch_uid="followups.people_changed.birthdays")
    follow_up_closed.connect(on_follow_up_closed, dispatch_uid="followups.follow_up_closed.birthday")
