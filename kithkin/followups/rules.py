"""The follow-up rules that a change in a lower app sets off, as typed functions of the hooks'
events, and what merging two people does to their follow-ups. ``register()`` (called by
FollowupsConfig.ready) puts them on the hooks of people, interactions and accounts; an app above
followups (imports, the demo) calls the rules it needs directly instead.
"""

from __future__ import annotations

from django.db.models import Q

from kithkin.accounts.hooks import SettingsChanged, settings_changed
from kithkin.followups.causes import person_type_id
from kithkin.followups.milestones import sync_birthday_of, sync_birthdays
from kithkin.followups.models import FollowUp, FollowUpQuerySet
from kithkin.followups.services import apply_touch_rules, sync_check_ins
from kithkin.interactions.hooks import TouchLogged, touch_logged
from kithkin.people.hooks import (
    ChangedField,
    Merged,
    MergeStep,
    Merging,
    PeopleChanged,
    PersonChanged,
    merge_steps,
    people_changed,
    people_merged,
    person_changed,
)

# Only closeness, cadence and the day you met move check-ins, and new people need theirs; a bulk
# edit of thirty thousand people's circles or interests should not re-plan them all.
MOVES_CHECK_INS: frozenset[ChangedField] = frozenset({"closeness", "cadence", "met_on", "created"})
# New people may bring birthdays; a bulk edit of circles or closeness does not.
MOVES_BIRTHDAYS: frozenset[ChangedField] = frozenset({"created", "birthday"})


def plan_check_in_of_person(event: PersonChanged) -> None:
    sync_check_ins(event.owner, [event.person.pk], now=event.now)


def plan_birthday_of_person(event: PersonChanged) -> None:
    sync_birthday_of(event.owner, event.person, now=event.now)


def plan_check_ins_of_people(event: PeopleChanged) -> None:
    if event.fields & MOVES_CHECK_INS:
        sync_check_ins(event.owner, event.person_ids, now=event.now)


def plan_birthdays_of_people(event: PeopleChanged) -> None:
    if event.fields & MOVES_BIRTHDAYS:
        sync_birthdays(event.owner, event.person_ids, now=event.now)


def apply_rules_of_touch(event: TouchLogged) -> None:
    """Thank-yous, close-the-loops and the participants' check-ins (rules 1 to 4)."""
    apply_touch_rules(
        event.owner, event.touch, [p.pk for p in event.people], thank=event.thank, now=event.now, is_new=True
    )


def plan_check_ins_of_everyone(event: SettingsChanged) -> None:
    sync_check_ins(event.owner, None)


def plan_birthdays_of_everyone(event: SettingsChanged) -> None:
    # Birthday wishes fall due on the morning of the day, in the user's time zone.
    sync_birthdays(event.owner, None)


def _twins(merging: Merging) -> FollowUpQuerySet:
    """The dropped person's pending follow-ups the kept person has the like of: of the same kind
    and cause (a thank-you for a touch both were in), a cause that is the person themselves
    counting as the same (their check-in, their birthday wish)."""
    keep, drop = merging.keep, merging.drop
    person_type = person_type_id()
    pending = FollowUp.objects.for_owner(merging.owner).pending()
    twins = Q(pk__in=[])
    for kind, type_id, cause_id, key in pending.filter(person=keep).values_list(
        "kind", "cause_type_id", "cause_id", "cause_key"
    ):
        if (type_id, cause_id) == (person_type, keep.pk):
            cause_id = drop.pk
        twins |= Q(kind=kind, cause_type_id=type_id, cause_id=cause_id, cause_key=key)
    return pending.filter(person=drop).filter(twins)


def count_follow_ups(merging: Merging) -> int:
    rows = FollowUp.objects.for_owner(merging.owner).filter(person=merging.drop)
    return rows.count() - _twins(merging).count()


def move_follow_ups(merging: Merging) -> int:
    """The dropped person's follow-ups go to the kept one, twins aside, and what the dropped
    person caused (their check-ins, wishes, reminders) is now caused by the kept one."""
    owner, keep, drop = merging.owner, merging.keep, merging.drop
    _twins(merging).delete()
    moved = FollowUp.objects.for_owner(owner).filter(person=drop).update(person=keep)
    FollowUp.objects.for_owner(owner).caused_by(drop).update(cause_id=keep.pk)
    return int(moved)


def plan_check_in_of_merged(merged: Merged) -> None:
    sync_check_ins(merged.owner, [merged.person.pk], now=merged.now)


def register() -> None:
    """Check-ins first, then birthdays; a touch's own rules before those of the apps above
    (exchanges registers at 20)."""
    person_changed.register("followups.check_in", plan_check_in_of_person, order=10)
    person_changed.register("followups.birthday", plan_birthday_of_person, order=20)
    people_changed.register("followups.check_ins", plan_check_ins_of_people, order=10)
    people_changed.register("followups.birthdays", plan_birthdays_of_people, order=20)
    touch_logged.register("followups.touch_rules", apply_rules_of_touch, order=10)
    settings_changed.register("followups.check_ins", plan_check_ins_of_everyone, order=10)
    settings_changed.register("followups.birthdays", plan_birthdays_of_everyone, order=20)
    merge_steps.register("followups.follow_ups", MergeStep(move_follow_ups, count_follow_ups, "follow_ups"), order=20)
    # After interactions has worked out the merged person's last touch (10), which the check-in waits from.
    people_merged.register("followups.check_in", plan_check_in_of_merged, order=20)
