"""Milestones and birthdays: the congratulation rules, beside the other follow-up rules.

1. A milestone (a new job, a promotion, an award...) recorded for a person shows in their
   timeline and asks for a congratulation within 2 days. One that happened more than a few
   weeks ago is recorded as history and asks for nothing: a late "congratulations" on last
   year's promotion reads as an afterthought.
2. A new job (or a promotion) may carry the new organization and title. They become the
   person's role only when the user says so (``apply_position``): the user may have heard it
   second-hand.
3. Everyone with a birthday has one pending "happy birthday" follow-up, on the morning of
   their next birthday (its cause the person, its key the year). Done or skipped, the next
   year's is planned; a birthday changed or removed moves or removes it. 29 February falls on 28 February in
   other years.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.choices import parse_choice
from kithkin.core.db import update_rows
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import require_owned
from kithkin.followups.causes import ensure_follow_up, person_type_id
from kithkin.followups.models import FollowUp, FollowUpQuerySet
from kithkin.lib.names import clean_name
from kithkin.lib.relative import say_day
from kithkin.people.models import HistoryEntry, Milestone, Person
from kithkin.people.services import PersonChanges, edit_person

CONGRATULATE_WITHIN = timedelta(days=2)
# Older than this, a milestone is history: recorded, with no congratulation asked.
CONGRATULATE_UNTIL = timedelta(days=28)
# The kinds that may carry a new organization and title.
ROLE_KINDS = frozenset({Milestone.Kind.NEW_JOB, Milestone.Kind.PROMOTION})
MAX_TEXT = 300

# Birthday wishes fall due on the morning of the day, when snoozing "until tomorrow" does too.
BIRTHDAY_AT = time(9, 0)
# A wish still open this long after the birthday is moved to the next one: nobody sends
# "happy birthday" a month late, and the next one should not wait behind it.
BIRTHDAY_STALE_AFTER = timedelta(days=30)
CHUNK = 500

_NOUNS = {
    Milestone.Kind.NEW_JOB: "the new job",
    Milestone.Kind.PROMOTION: "the promotion",
    Milestone.Kind.AWARD: "the award",
    Milestone.Kind.LAUNCH: "the launch",
    Milestone.Kind.GRADUATION: "graduating",
    Milestone.Kind.ANNIVERSARY: "the anniversary",
}


def congratulation_reason(person: Person, milestone: Milestone) -> str:
    """ "Congratulate Ana on the new job at Initech", "Congratulate Ana on the award: Designer of the year"."""
    who = person.short_name
    kind = Milestone.Kind(milestone.kind)
    if kind == Milestone.Kind.NEW_JOB and milestone.new_organization:
        return f"Congratulate {who} on the new job at {milestone.new_organization}"
    if kind == Milestone.Kind.PROMOTION and milestone.new_title:
        return f"Congratulate {who} on the promotion to {milestone.new_title}"
    noun = _NOUNS.get(kind)
    return f"Congratulate {who} on {noun}: {milestone.text}" if noun else f"Congratulate {who}: {milestone.text}"


def history_text(milestone: Milestone) -> str:
    """What the person's timeline says: "New job: Product Lead at Initech"."""
    return f"{milestone.get_kind_display().capitalize()}: {milestone.text}"[:500]


@dataclass(frozen=True)
class MilestoneRecorded:
    """What recording a milestone did: the congratulation it asked for (None for an old one) and
    whether the person's role was updated."""

    milestone: Milestone
    follow_up: FollowUp | None
    is_old: bool


def _check_role(kind: str, organization: str, title: str, apply_position: bool) -> None:
    if (organization or title) and kind not in ROLE_KINDS:
        raise BadInput("org", "a new organization or title goes with a new job or a promotion")
    if apply_position and not (organization or title):
        raise BadInput("apply-position", "give the new organization or title to update their role with")


@transaction.atomic
def record_milestone(
    owner: User,
    person: Person,
    text: str,
    *,
    kind: str = Milestone.Kind.OTHER,
    on: date | None = None,
    organization: str = "",
    title: str = "",
    apply_position: bool = False,
    now: datetime | None = None,
) -> MilestoneRecorded:
    """Record a success or life event of ``person`` (kind: new_job, promotion, award, launch,
    graduation, anniversary or other). It goes into their timeline and, unless it is more than
    a few weeks old, asks for a congratulation within 2 days. A new job or promotion may carry
    the new ``organization`` and ``title``; ``apply_position`` makes them the person's role
    (the old one kept as history)."""
    now = now or clock.now()
    require_owned(owner, person, field="person", message="no such person")
    tz = get_profile(owner).tz
    today = now.astimezone(tz).date()
    kind_value = parse_choice(Milestone.Kind, kind, "kind")
    cleaned = clean_name(text)
    if not cleaned:
        raise BadInput("TEXT", "say what happened")
    if len(cleaned) > MAX_TEXT:
        raise BadInput("TEXT", f"must be at most {MAX_TEXT} characters")
    day = on or today
    if day > today:
        raise BadInput("on", f"{say_day(day, today)} is in the future. Record a milestone once it has happened.")
    organization, title = clean_name(organization)[:200], clean_name(title)[:200]
    _check_role(kind_value, organization, title, apply_position)
    milestone = Milestone.objects.create(
        owner=owner,
        person=person,
        kind=kind_value,
        text=cleaned,
        happened_on=day,
        new_organization=organization,
        new_title=title,
        created_at=now,
    )
    happened_at = now if day == today else datetime.combine(day, time(12, 0), tzinfo=tz)
    HistoryEntry.objects.create(
        owner=owner,
        person=person,
        kind=HistoryEntry.Kind.MILESTONE,
        text=history_text(milestone),
        happened_at=happened_at,
        data={"milestone_id": milestone.pk},
    )
    if apply_position:
        _apply_role(owner, milestone, now)
    is_old = today - day > CONGRATULATE_UNTIL
    follow_up = None
    if not is_old:
        follow_up = ensure_follow_up(
            owner,
            person,
            FollowUp.Kind.CONGRATULATE,
            milestone,
            due_at=now + CONGRATULATE_WITHIN,
            reason=congratulation_reason(person, milestone),
            now=now,
        )
    return MilestoneRecorded(milestone, follow_up, is_old)


def _apply_role(owner: User, milestone: Milestone, now: datetime) -> None:
    changes = PersonChanges(organization=milestone.new_organization or None, title=milestone.new_title or None)
    edit_person(owner, milestone.person, changes, now=now)
    milestone.is_position_applied = True
    milestone.save(update_fields=["is_position_applied"])


@transaction.atomic
def apply_milestone_role(owner: User, milestone: Milestone, *, now: datetime | None = None) -> Milestone:
    """Make a new job's organization and title the person's current role, the old one kept as
    history: the user confirms what they heard."""
    require_owned(owner, milestone, field="milestone", message="no such milestone")
    fresh = Milestone.objects.select_for_update().select_related("person").get(pk=milestone.pk)
    if fresh.is_position_applied:
        raise BadInput("milestone", f"{fresh.person.full_name}'s role was already updated from this milestone")
    if not (fresh.new_organization or fresh.new_title):
        raise BadInput("milestone", "this milestone has no new organization or title")
    _apply_role(owner, fresh, now or clock.now())
    return fresh


def person_milestones(owner: User, person: Person, limit: int = 20) -> list[Milestone]:
    """A person's milestones, newest first."""
    return list(Milestone.objects.for_owner(owner).filter(person=person).order_by("-happened_on", "-id")[:limit])


# --- birthdays ------------------------------------------------------------------------------------


def birthday_in(born: date, year: int) -> date:
    """The day ``born`` is celebrated in ``year``: 29 February is 28 February in other years."""
    if (born.month, born.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, born.month, born.day)


def _year_of(wish: FollowUp) -> int | None:
    return int(wish.cause_key) if wish.cause_key.isdigit() else None


def _birthday_wishes(owner: User) -> FollowUpQuerySet:
    """Every birthday wish: a congratulation the person themselves caused (a milestone causes the others)."""
    return FollowUp.objects.for_owner(owner).filter(kind=FollowUp.Kind.CONGRATULATE, cause_type_id=person_type_id())


def birthday_reason(person: Person) -> str:
    return f"Wish {person.short_name} a happy birthday"


def _wanted_year(born: date, today: date, tz: tzinfo, last_closed: int | None, current: FollowUp | None) -> int:
    """The year of the birthday to wish: the pending one's while it still matches the birthday
    and is not stale, else the next birthday from today after the last one closed."""
    if current is not None:
        year = _year_of(current)
        if year is not None and (last_closed is None or year > last_closed):
            day = birthday_in(born, year)
            if current.due_at.astimezone(tz).date() == day and today - day <= BIRTHDAY_STALE_AFTER:
                return year
    year = today.year if last_closed is None else max(today.year, last_closed + 1)
    while birthday_in(born, year) < today:
        year += 1
    return year


def _birthday_rows(owner: User, ids: Sequence[int] | None) -> tuple[dict[int, list[FollowUp]], dict[int, int]]:
    """Each person's pending birthday wishes, and the year of the last one closed."""
    rows = _birthday_wishes(owner)
    if ids is not None:
        # Through a subquery of the people, which SQLite reads by the person's index: with the
        # list of ids, it walked every follow-up of the kind (3 ms a chunk of 500, 0.3 ms so).
        rows = rows.filter(person_id__in=Person.objects.for_owner(owner).filter(pk__in=list(ids)).values("pk"))
    pending: dict[int, list[FollowUp]] = {}
    closed: dict[int, int] = {}
    for row in rows.only("id", "person_id", "cause_key", "status", "due_at", "remind_at", "snoozed_until", "reason"):
        if row.is_pending:
            pending.setdefault(row.person_id, []).append(row)
        elif (year := _year_of(row)) is not None:
            closed[row.person_id] = max(year, closed.get(row.person_id, year))
    return pending, closed


BIRTHDAY_COLUMNS = ("cause_key", "due_at", "remind_at", "status", "snoozed_until", "reason")


def sync_birthdays(owner: User, person_ids: Iterable[int] | None = None, *, now: datetime | None = None) -> int:
    """Make each person's birthday wish match the rule: one pending, on the morning of their next
    birthday; none for someone without a birthday. ``None`` means everyone. Returns how many
    wishes are pending for these people.

    A few queries for every five hundred people with a birthday, so thirty thousand people
    (a third of them with birthdays) take about a second.
    """
    now = now or clock.now()
    tz = get_profile(owner).tz
    today = now.astimezone(tz).date()
    person_type = person_type_id()
    people = Person.objects.for_owner(owner).order_by()
    everyone = person_ids is None
    all_pending, all_closed = _birthday_rows(owner, None) if everyone else ({}, {})
    if everyone:
        ids = sorted({*people.filter(birthday__isnull=False).values_list("pk", flat=True), *all_pending})
    else:
        ids = sorted(set(person_ids or ()))
    count = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        pending, closed = (all_pending, all_closed) if everyone else _birthday_rows(owner, chunk)
        with_pending = [pk for pk in chunk if pk in pending]
        found = people.filter(Q(pk__in=chunk) & (Q(birthday__isnull=False) | Q(pk__in=with_pending))).only(
            "id", "owner_id", "full_name", "given_name", "nicknames", "birthday"
        )
        to_create: list[FollowUp] = []
        to_update: list[list[object]] = []
        to_delete: list[int] = []
        for person in found:
            mine = pending.get(person.pk, [])
            current = mine[0] if mine else None
            to_delete.extend(f.pk for f in mine[1:])
            if person.birthday is None:
                if current is not None:
                    to_delete.append(current.pk)
                continue
            year = _wanted_year(person.birthday, today, tz, closed.get(person.pk), current)
            key = str(year)
            due = datetime.combine(birthday_in(person.birthday, year), BIRTHDAY_AT, tzinfo=tz)
            reason = birthday_reason(person)
            count += 1
            if current is None:
                to_create.append(
                    FollowUp(
                        owner=owner,
                        person=person,
                        kind=FollowUp.Kind.CONGRATULATE,
                        cause_type_id=person_type,
                        cause_id=person.pk,
                        cause_key=key,
                        origin=FollowUp.Origin.RULE,
                        reason=reason,
                        due_at=due,
                        remind_at=due,
                        created_at=now,
                    )
                )
            elif current.cause_key != key or current.due_at != due or current.reason != reason:
                if current.due_at != due:
                    # Another day: whatever snooze there was belonged to the old one.
                    current.remind_at, current.status, current.snoozed_until = due, FollowUp.Status.OPEN, None
                row = (key, due, current.remind_at, current.status, current.snoozed_until, reason)
                to_update.append([current.pk, *row])
        if to_delete:
            # Rule-made and never acted on: someone without a birthday gets no wish.
            FollowUp.objects.for_owner(owner).filter(pk__in=to_delete).delete()
        update_rows(FollowUp, BIRTHDAY_COLUMNS, to_update)
        FollowUp.objects.bulk_create(to_create)
    return count


def sync_birthday_of(owner: User, person: Person, *, now: datetime | None = None) -> None:
    """One person's birthday wish after their profile changed: without a birthday (most people)
    one DELETE of nothing, with one a full sync."""
    if person.birthday is None:
        _birthday_wishes(owner).pending().filter(person=person).delete()
        return
    sync_birthdays(owner, [person.pk], now=now)
