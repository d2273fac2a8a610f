"""The follow-up rules and the actions on follow-ups: the only code that creates them.

1. Thank-you: a coffee, meal, meeting, event or informational interview (or any touch
   logged with ``thank=True``) asks for a thank-you to each participant 24 hours later.
2. Close the loop: advice received asks to tell the adviser how it was used, 14 days later.
3. Check-in: a person with a cadence has one pending check-in, due a cadence after the
   latest of their latest touch (or when they were added), the start of the day you met
   them, and the last check-in closed.
4. History: a touch logged more than 7 days after it happened moves check-ins only.
5. Snooze moves a follow-up later; done and skip close it (a check-in then starts anew).
6. Reopen undoes a done, skip or snooze, and what the closing planned (the next check-in).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet

from kithkin.accounts.services import get_profile
from kithkin.accounts.when import parse_user_when, user_today
from kithkin.core import clock
from kithkin.core.choices import Closeness
from kithkin.core.db import count_each
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.refs import by_id, ref_id
from kithkin.core.shortcuts import require_owned
from kithkin.followups.causes import CADENCE, ensure_follow_up, is_birthday_wish, person_type_id
from kithkin.followups.milestones import sync_birthdays
from kithkin.followups.models import FollowUp, FollowUpQuerySet
from kithkin.interactions.models import HISTORY_AFTER, Touch
from kithkin.lib.relative import describe_ago, say_moment
from kithkin.people.models import Person
from kithkin.people.services import effective_cadence

THANK_YOU_AFTER = timedelta(hours=24)
CLOSE_LOOP_AFTER = timedelta(days=14)
THANK_YOU_KINDS = frozenset(
    {Touch.Kind.COFFEE, Touch.Kind.MEAL, Touch.Kind.MEETING, Touch.Kind.EVENT, Touch.Kind.INFORMATIONAL_INTERVIEW}
)
CHUNK = 500

_TOUCH_PHRASES = {
    Touch.Kind.COFFEE: "the coffee",
    Touch.Kind.MEAL: "the meal",
    Touch.Kind.MEETING: "the meeting",
    Touch.Kind.CALL: "the call",
    Touch.Kind.VIDEO: "the video call",
    Touch.Kind.EMAIL: "the email",
    Touch.Kind.MESSAGE: "the message",
    Touch.Kind.EVENT: "the chat at the event",
    Touch.Kind.INFORMATIONAL_INTERVIEW: "the informational interview",
    Touch.Kind.SOCIAL: "the time together",
    Touch.Kind.HELP: "their help",
    Touch.Kind.OTHER: "their time",
}


def _day(moment: datetime, tz: tzinfo) -> str:
    """ "Tuesday 17 November", with the year only when it is not this year."""
    local = moment.astimezone(tz)
    year = "" if local.year == clock.now().astimezone(tz).year else f" {local.year}"
    return f"{local:%A} {local.day} {local:%B}{year}"


def _thank_you_reason(person: Person, touch: Touch, tz: tzinfo) -> str:
    return f"Thank {person.short_name} for {_TOUCH_PHRASES[Touch.Kind(touch.kind)]} on {_day(touch.happened_at, tz)}"


def _close_loop_reason(person: Person, touch: Touch, tz: tzinfo) -> str:
    phrase = _TOUCH_PHRASES[Touch.Kind(touch.kind)].removeprefix("the ").removeprefix("their ")
    return f"Tell {person.short_name} how you used their advice from the {phrase} on {_day(touch.happened_at, tz)}"


def _check_in_reason(person: Person, tz: tzinfo) -> str:
    if person.last_touch_at is None:
        return f"Check in with {person.short_name}: no touch since you added them on {_day(person.created_at, tz)}"
    return f"Check in with {person.short_name}: last in touch on {_day(person.last_touch_at, tz)}"


def _asks_of(touch: Touch, thank: bool | None, now: datetime) -> tuple[bool, bool]:
    """Whether ``touch`` asks for thank-yous (rule 1) and close-the-loops (rule 2): history asks
    for neither (rule 4)."""
    is_history = now - touch.happened_at > HISTORY_AFTER
    wants_thanks = thank if thank is not None else (touch.kind in THANK_YOU_KINDS and not is_history)
    return wants_thanks, bool(touch.advice) and not is_history


def _asked_of(
    person: Person, touch: Touch, tz: tzinfo, wants_thanks: bool, wants_loop: bool
) -> list[tuple[str, datetime, str]]:
    """The follow-ups rules 1 and 2 ask of ``touch`` for ``person``: (kind, due, reason)."""
    asked: list[tuple[str, datetime, str]] = []
    if wants_thanks:
        asked.append(
            (FollowUp.Kind.THANK_YOU, touch.happened_at + THANK_YOU_AFTER, _thank_you_reason(person, touch, tz))
        )
    if wants_loop:
        asked.append(
            (FollowUp.Kind.CLOSE_LOOP, touch.happened_at + CLOSE_LOOP_AFTER, _close_loop_reason(person, touch, tz))
        )
    return asked


def apply_touch_rules(
    owner: User,
    touch: Touch,
    person_ids: Sequence[int],
    *,
    thank: bool | None = None,
    now: datetime | None = None,
    is_new: bool = False,
) -> list[FollowUp]:
    """Create the thank-yous and close-the-loops a touch asks for and move check-ins.

    Returns the follow-ups the touch caused (new or already pending), check-ins included. ``is_new``:
    the touch was logged just now, so it cannot have caused any yet (none is looked for).
    """
    now = now or clock.now()
    tz = get_profile(owner).tz
    wants_thanks, wants_loop = _asks_of(touch, thank, now)
    # Read once for the reasons and the check-ins.
    people = list(Person.objects.for_owner(owner).filter(pk__in=person_ids).only(*CHECK_IN_PERSON_FIELDS))
    asked = [
        (person, kind, due, reason)
        for person in people
        for kind, due, reason in _asked_of(person, touch, tz, wants_thanks, wants_loop)
    ]
    if not asked:
        caused = []
    elif is_new:
        caused = FollowUp.objects.bulk_create(
            _touch_follow_up(owner, person, kind, touch, due, reason, now) for person, kind, due, reason in asked
        )
    else:
        caused = [
            ensure_follow_up(
                owner,
                person,
                kind,
                touch,
                due_at=due,
                reason=reason,
                touch=touch,
                origin=FollowUp.Origin.TOUCH,
                now=now,
            )
            for person, kind, due, reason in asked
        ]
    caused.extend(_sync_check_ins_of(owner, people, now))
    return caused


def _touch_follow_up(
    owner: User, person: Person, kind: str, touch: Touch, due: datetime, reason: str, now: datetime
) -> FollowUp:
    """A thank-you or close-the-loop ``touch`` asks of ``person``, not saved (as ``ensure_follow_up``
    would create it)."""
    return FollowUp(
        owner=owner,
        person=person,
        kind=kind,
        cause_type_id=ContentType.objects.get_for_model(Touch).pk,
        cause_id=touch.pk,
        reason=reason[:300],
        due_at=due,
        remind_at=due,
        origin=FollowUp.Origin.TOUCH,
        touch=touch,
        created_at=now,
    )


def apply_rules_of_touches(owner: User, touches: Mapping[int, Sequence[int]], *, now: datetime | None = None) -> int:
    """``apply_touch_rules`` for many touches at once (``touches``: each touch's id and the ids of
    its people), for loading a network: the thank-yous and close-the-loops they ask for, written
    in bulk where none is pending yet, then everyone's check-ins moved in one pass. A few queries
    per five hundred touches, where a touch at a time costs several each. Returns how many
    follow-ups were created."""
    now = now or clock.now()
    tz = get_profile(owner).tz
    touch_type = ContentType.objects.get_for_model(Touch).pk
    created = 0
    everyone: set[int] = set()
    for ids in _chunks(list(touches)):
        people_ids = {pk for touch_id in ids for pk in touches[touch_id]}
        everyone |= people_ids
        people = Person.objects.for_owner(owner).only(*CHECK_IN_PERSON_FIELDS).in_bulk(list(people_ids))
        pending = set(
            FollowUp.objects.for_owner(owner)
            .pending()
            .filter(cause_type_id=touch_type, cause_id__in=ids, cause_key="")
            .values_list("cause_id", "person_id", "kind")
        )
        rows = Touch.objects.for_owner(owner).filter(pk__in=ids).only("id", "kind", "happened_at", "advice")
        by_id = {touch.pk: touch for touch in rows}
        new: list[FollowUp] = []
        for touch_id in ids:
            touch = by_id[touch_id]
            wants_thanks, wants_loop = _asks_of(touch, None, now)
            for pk in dict.fromkeys(touches[touch_id]):
                person = people.get(pk)
                if person is None:
                    continue
                new += [
                    _touch_follow_up(owner, person, kind, touch, due, reason, now)
                    for kind, due, reason in _asked_of(person, touch, tz, wants_thanks, wants_loop)
                    if (touch_id, pk, kind) not in pending
                ]
        created += len(FollowUp.objects.bulk_create(new))
    sync_check_ins(owner, sorted(everyone), now=now)
    return created


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# What the check-in rule reads of a person (loading only these keeps 30,000 people quick).
CHECK_IN_PERSON_FIELDS = (
    "id",
    "owner_id",
    "full_name",
    "given_name",
    "nicknames",
    "closeness",
    "cadence_days",
    "is_cadence_never",
    "is_prospect",
    "last_touch_at",
    "created_at",
    "met_on",
)
MOVED_COLUMNS = ("due_at", "remind_at", "status", "snoozed_until", "reason")


def sync_check_ins(
    owner: User, person_ids: Sequence[int] | None = None, *, now: datetime | None = None
) -> list[FollowUp]:
    """Make each person's pending check-in match the rule: one, due a cadence after the latest
    of their latest touch (or their being added), the day you met, and the last check-in
    closed; none for people without a cadence. ``None`` means everyone. Returns the pending check-ins.

    This is the one implementation of rule 3, for one person or thirty thousand.
    """
    now = now or clock.now()
    profile = get_profile(owner)
    if person_ids is None:
        person_ids = list(Person.objects.for_owner(owner).values_list("pk", flat=True))
    # For many people, one pass over the owner's check-ins beats a pass per chunk of people.
    everyone = len(person_ids) > 4 * CHUNK
    all_closed = _closed_check_ins(owner) if everyone else {}
    all_pending = _pending_check_ins(owner) if everyone else {}
    result: list[FollowUp] = []
    # Someone with no cadence (an acquaintance, by default) and no pending check-in needs nothing:
    # leave them in the database. Thirty thousand imported acquaintances cost one query a chunk.
    levels = [level for level in Closeness.values if profile.cadence_for(level)]
    may_need = Q(is_prospect=False, is_cadence_never=False) & (Q(cadence_days__isnull=False) | Q(closeness__in=levels))
    for ids in _chunks(list(person_ids)):
        closed, pending = (all_closed, all_pending) if everyone else _check_ins_of(owner, ids)
        with_pending = [pk for pk in ids if pk in pending]
        people = _check_in_people(owner, Q(pk__in=ids) & (may_need | Q(pk__in=with_pending)), many=everyone)
        result += _move_check_ins(owner, people, closed, pending, now)
    return result


def _sync_check_ins_of(owner: User, people: Sequence[Person], now: datetime) -> list[FollowUp]:
    """``sync_check_ins`` for people already read (with ``CHECK_IN_PERSON_FIELDS``, after their
    last touch was written)."""
    result: list[FollowUp] = []
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        closed, pending = _check_ins_of(owner, [person.pk for person in chunk])
        result += _move_check_ins(owner, chunk, closed, pending, now)
    return result


def _move_check_ins(
    owner: User,
    people: Iterable[Person],
    closed: Mapping[int, datetime],
    pending: Mapping[int, FollowUp],
    now: datetime,
) -> list[FollowUp]:
    """Rule 3 for ``people``, given when each one's last check-in was closed and their pending one:
    their check-ins created, moved or removed. Returns the pending check-ins."""
    tz = get_profile(owner).tz
    person_type = person_type_id()
    result: list[FollowUp] = []
    to_create: list[FollowUp] = []
    to_update: list[FollowUp] = []
    to_delete: list[int] = []
    for person in people:
        cadence = effective_cadence(person, owner)
        current = pending.get(person.pk)
        if cadence is None:
            if current is not None:
                to_delete.append(current.pk)
            continue
        anchor = person.last_touch_at or person.created_at
        if person.pk in closed and closed[person.pk] > anchor:
            anchor = closed[person.pk]
        if person.met_on is not None:
            # Someone met after being added (a prospect just met) starts their wait then.
            anchor = max(anchor, datetime.combine(person.met_on, time(0, 0), tzinfo=tz))
        due = anchor + timedelta(days=cadence)
        reason = _check_in_reason(person, tz)
        if current is None:
            current = FollowUp(
                owner=owner,
                person=person,
                kind=FollowUp.Kind.CHECK_IN,
                cause_type_id=person_type,
                cause_id=person.pk,
                cause_key=CADENCE,
                origin=FollowUp.Origin.CADENCE,
                reason=reason,
                due_at=due,
                remind_at=due,
                created_at=now,
            )
            to_create.append(current)
        elif current.due_at != due or current.reason != reason:
            if current.due_at != due:
                # A new touch (or cadence) starts the wait again, snoozed or not.
                current.due_at = current.remind_at = due
                current.status, current.snoozed_until = FollowUp.Status.OPEN, None
            current.reason = reason
            to_update.append(current)
        result.append(current)
    if to_delete:
        # Rule-made and never acted on: a person who no longer gets check-ins has none.
        FollowUp.objects.for_owner(owner).filter(pk__in=to_delete).delete()
    if to_create:  # the manager alone costs a twentieth of a millisecond
        FollowUp.objects.bulk_create(to_create)
    _write_moved_check_ins(to_update)
    return result


def _check_in_people(owner: User, wanted: Q, *, many: bool) -> list[Person]:
    """The ``wanted`` people, in the people's order. For ``many`` chunks of them, who they are is
    asked without the order first: in order, SQLite walks every one of the owner's people by name
    for each chunk (10-20 ms at 30,000 people), to find none among thirty thousand acquaintances
    just imported."""
    people = Person.objects.for_owner(owner).filter(wanted)
    if many:
        people = Person.objects.for_owner(owner).filter(pk__in=list(people.order_by().values_list("pk", flat=True)))
    return list(people.only(*CHECK_IN_PERSON_FIELDS))


def _closed_check_ins(owner: User) -> dict[int, datetime]:
    """When each person's last check-in was closed (done or skipped)."""
    rows = FollowUp.objects.for_owner(owner).filter(kind=FollowUp.Kind.CHECK_IN, completed_at__isnull=False)
    return dict(rows.values("person_id").annotate(latest=Max("completed_at")).values_list("person_id", "latest"))


def _pending_check_ins(owner: User) -> dict[int, FollowUp]:
    """Each person's pending check-in made by the cadence rule."""
    rows = FollowUp.objects.for_owner(owner).pending().filter(kind=FollowUp.Kind.CHECK_IN, cause_key=CADENCE)
    rows = rows.filter(cause_type_id=person_type_id()).order_by()
    return {f.person_id: f for f in rows.only("id", "person_id", *MOVED_COLUMNS)}


# ``_closed_check_ins`` and ``_pending_check_ins`` of a few people (``{ids}``), in one statement of
# plain SQL: compiling the two queries cost a millisecond, a fifth of logging a touch. Each half
# reads its own index: the closed ones (person, kind, status); the pending one the unique index on
# (owner, person, kind, cause...), for the pending statuses are written as literals, as
# ``pending()`` writes them, instead of every pending check-in in the order of the due list's
# index, which made logging a touch cost a scan of the whole network.
CHECK_INS_OF = (
    "SELECT id, person_id, completed_at, cause_type_id, cause_key, {moved} FROM followups_followup"
    " WHERE owner_id = %s AND kind = %s AND completed_at IS NOT NULL AND person_id IN ({ids})"
    " UNION ALL"
    " SELECT id, person_id, completed_at, cause_type_id, cause_key, {moved} FROM followups_followup"
    " WHERE owner_id = %s AND status IN ({pending}) AND kind = %s AND cause_type_id = %s AND cause_key = %s"
    " AND person_id IN ({ids})"
)


def _check_ins_of(owner: User, ids: Sequence[int]) -> tuple[dict[int, datetime], dict[int, FollowUp]]:
    if not ids:
        return {}, {}
    marks = ", ".join(["%s"] * len(ids))
    pending_statuses = ", ".join(f"'{status}'" for status in FollowUp.PENDING)  # constants of the model
    sql = CHECK_INS_OF.format(moved=", ".join(MOVED_COLUMNS), ids=marks, pending=pending_statuses)
    person_type, kind = person_type_id(), str(FollowUp.Kind.CHECK_IN)
    params = [owner.pk, kind, *ids, owner.pk, kind, person_type, CADENCE, *ids]
    closed: dict[int, datetime] = {}
    pending: dict[int, FollowUp] = {}
    for row in FollowUp.objects.raw(sql, params):
        done, pk = row.completed_at, row.person_id
        if done is not None and (pk not in closed or done > closed[pk]):
            closed[pk] = done
        if row.is_pending and (row.cause_type_id, row.cause_key) == (person_type, CADENCE):
            pending[pk] = row
    return closed, pending


def _write_moved_check_ins(rows: list[FollowUp]) -> None:
    """Write moved check-ins back with one UPDATE run for each row. Django's bulk_update
    builds a CASE per column and row, about a millisecond a row in Python: half a minute for
    a settings change at 30,000 people, against about a second this way."""
    if not rows:
        return
    meta, ops = FollowUp._meta, connection.ops
    # These are plain columns named like their fields.
    columns = ", ".join(f"{ops.quote_name(name)} = %s" for name in MOVED_COLUMNS)
    sql = f"UPDATE {ops.quote_name(meta.db_table)} SET {columns} WHERE {ops.quote_name('id')} = %s"
    params = [
        (
            ops.adapt_datetimefield_value(row.due_at),
            ops.adapt_datetimefield_value(row.remind_at),
            row.status,
            ops.adapt_datetimefield_value(row.snoozed_until),
            row.reason,
            row.pk,
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _pending_or_error(owner: User, follow_up: FollowUp) -> FollowUp:
    require_owned(owner, follow_up, field="id", message="no such follow-up")
    fresh = FollowUp.objects.select_for_update().select_related("person").get(pk=follow_up.pk)
    if not fresh.is_pending:
        raise BadInput("id", f"follow-up {fresh.pk} is already {fresh.status}")
    return fresh


def _close(owner: User, follow_up: FollowUp, status: str, now: datetime | None) -> FollowUp:
    now = now or clock.now()
    fresh = _pending_or_error(owner, follow_up)
    fresh.status, fresh.completed_at, fresh.snoozed_until = status, now, None
    fresh.save(update_fields=["status", "completed_at", "snoozed_until"])
    if fresh.kind == FollowUp.Kind.CHECK_IN:
        sync_check_ins(owner, [fresh.person_id], now=now)
    if is_birthday_wish(fresh):
        # A birthday wished (or let pass) plans next year's.
        sync_birthdays(owner, [fresh.person_id], now=now)
    return fresh


@transaction.atomic
def complete_follow_up(owner: User, follow_up: FollowUp, *, now: datetime | None = None) -> FollowUp:
    """Mark a follow-up done. A done check-in schedules the next one."""
    return _close(owner, follow_up, FollowUp.Status.DONE, now)


@transaction.atomic
def skip_follow_up(owner: User, follow_up: FollowUp, *, now: datetime | None = None) -> FollowUp:
    """Close a follow-up without doing it. A skipped check-in starts the next wait from now."""
    return _close(owner, follow_up, FollowUp.Status.SKIPPED, now)


def _successors(owner: User, fresh: FollowUp) -> FollowUpQuerySet | None:
    """What closing ``fresh`` set in motion: the next check-in of a cadence check-in, next
    year's wish of a birthday wish (both the person's own, with another key or a new row).
    ``None`` for a follow-up whose closing starts nothing."""
    mine = FollowUp.objects.for_owner(owner).filter(person_id=fresh.person_id).exclude(pk=fresh.pk)
    if fresh.kind == FollowUp.Kind.CHECK_IN and fresh.origin == FollowUp.Origin.CADENCE:
        return mine.filter(kind=FollowUp.Kind.CHECK_IN, origin=FollowUp.Origin.CADENCE)
    if is_birthday_wish(fresh):
        return mine.filter(kind=FollowUp.Kind.CONGRATULATE, cause_type_id=fresh.cause_type_id)
    return None


def _undo_what_closing_started(owner: User, fresh: FollowUp) -> None:
    """Remove the follow-up that closing ``fresh`` planned, or refuse when it has been acted on
    since (snoozed, done or skipped): undo goes back one step at a time, newest first."""
    successors = _successors(owner, fresh)
    if successors is not None:
        later = successors.filter(completed_at__gt=fresh.completed_at).order_by("-completed_at").first()
        if later is not None:
            raise BadInput(
                "id",
                f"{later.get_kind_display()} #{later.pk} ({later.reason}) was {later.status} after this one; "
                f"reopen #{later.pk} first",
            )
        for next_one in successors.pending():
            if next_one.status == FollowUp.Status.SNOOZED:
                raise BadInput(
                    "id",
                    f"the next {next_one.get_kind_display()}, #{next_one.pk}, is snoozed; reopen #{next_one.pk} first",
                )
            # Planned by the rule when this one closed and never acted on: it goes, as it came.
            next_one.delete()
    same = (
        FollowUp.objects.for_owner(owner)
        .pending()
        .filter(
            person_id=fresh.person_id,
            kind=fresh.kind,
            cause_type_id=fresh.cause_type_id,
            cause_id=fresh.cause_id,
            cause_key=fresh.cause_key,
        )
        .first()
    )
    if same is not None:
        raise BadInput("id", f"#{same.pk} is open for the same thing ({same.reason}); close it first")


@transaction.atomic
def reopen_follow_up(owner: User, follow_up: FollowUp, *, now: datetime | None = None) -> FollowUp:
    """Undo a done, a skip or a snooze. A snoozed follow-up comes back at its own due time; a
    closed one opens again, and what its closing planned (the next check-in, next year's birthday
    wish) goes, unless that was acted on since: then the reason says which to reopen first."""
    now = now or clock.now()
    require_owned(owner, follow_up, field="id", message="no such follow-up")
    fresh = FollowUp.objects.select_for_update().select_related("person").get(pk=follow_up.pk)
    if fresh.status == FollowUp.Status.OPEN:
        raise BadInput("id", f"follow-up {fresh.pk} is open: there is nothing to undo")
    if fresh.status != FollowUp.Status.SNOOZED:
        _undo_what_closing_started(owner, fresh)
    fresh.status, fresh.snoozed_until, fresh.completed_at = FollowUp.Status.OPEN, None, None
    fresh.remind_at = fresh.due_at
    fresh.save(update_fields=["status", "snoozed_until", "completed_at", "remind_at"])
    if fresh.kind == FollowUp.Kind.CHECK_IN and fresh.origin == FollowUp.Origin.CADENCE:
        # Back to what the rule says now: a touch logged since moves it, as it would have.
        if not any(f.pk == fresh.pk for f in sync_check_ins(owner, [fresh.person_id], now=now)):
            # The rule removed it (the transaction rolls back): they get no check-ins any more.
            raise BadInput("id", f"{fresh.person.full_name} gets no check-ins now: there is nothing to reopen")
        fresh.refresh_from_db()
    return fresh


def describe(follow_up: FollowUp) -> str:
    """The whole sentence of what a follow-up is, and whose, for saying what was just done to it:
    "Thank Ada for the coffee on Tuesday 17 November (Ada Lovelace, #12)". Reads ``follow_up.person``."""
    return f"{follow_up.reason} ({follow_up.person.full_name}, #{follow_up.pk})"


def find_follow_up(owner: User, ref: str | int, field: str = "id") -> FollowUp:
    """One of the owner's follow-ups by id, with its person."""
    pk = ref_id(ref)
    if pk is None:
        raise NotFound(field, f"expected a follow-up's id, like 12, got {ref!r}")
    return by_id(FollowUp.objects.for_owner(owner).select_related("person"), pk, field=field, noun="follow-up")


# A follow-up snoozed or set by hand with no time of day comes back at the start of a working day.
MORNING = time(9, 0)


def reminder_time(owner: User, text: str, *, field: str) -> datetime:
    """When a reminder set by hand falls due: ``text`` ('friday', 'in 3 days 14:00', 2026-12-01)
    read forwards in the owner's time zone, at ``MORNING`` when it gives no time of day."""
    return parse_user_when(owner, text, field=field, prefer="future", default_time=MORNING)


def snooze_until(owner: User, until: str | date, *, field: str = "until") -> datetime:
    """When a snoozed follow-up comes back: "tomorrow", "next_week" (the coming Monday), a date,
    or any phrase ``reminder_time`` reads; with no time of day, at ``MORNING`` the owner's time."""
    tz = get_profile(owner).tz
    if isinstance(until, date):
        day = until
    elif until == "next_week":
        today = user_today(owner)
        day = today + timedelta(days=7 - today.weekday())
    elif until == "tomorrow":
        day = user_today(owner) + timedelta(days=1)
    else:
        return reminder_time(owner, until, field=field)
    return datetime.combine(day, MORNING, tzinfo=tz)


@transaction.atomic
def snooze_follow_up(owner: User, follow_up: FollowUp, until: datetime, *, now: datetime | None = None) -> FollowUp:
    """Put a follow-up off until ``until``."""
    now = now or clock.now()
    fresh = _pending_or_error(owner, follow_up)
    if until <= now:
        when = say_moment(until.astimezone(get_profile(owner).tz), now)
        raise BadInput("until", f"{when} is not in the future. Pick a later day.")
    fresh.status, fresh.snoozed_until, fresh.remind_at = FollowUp.Status.SNOOZED, until, until
    fresh.save(update_fields=["status", "snoozed_until", "remind_at"])
    return fresh


@transaction.atomic
def add_reminder(
    owner: User, person: Person, reason: str, due_at: datetime, *, now: datetime | None = None
) -> FollowUp:
    """A follow-up the user sets by hand ("Send Ana the article on pricing")."""
    now = now or clock.now()
    require_owned(owner, person, field="person", message="no such person")
    text = " ".join(reason.split())
    if not text:
        raise BadInput("reason", "must not be empty")
    if len(text) > 300:
        raise BadInput("reason", "must be at most 300 characters")
    follow_up = FollowUp(
        owner=owner,
        person=person,
        kind=FollowUp.Kind.CUSTOM,
        reason=text,
        due_at=due_at,
        remind_at=due_at,
        origin=FollowUp.Origin.USER,
        # The person is the cause; a key of its own lets them have several reminders.
        cause=person,
        cause_key=uuid.uuid4().hex,
        created_at=now,
    )
    follow_up.save()
    return follow_up


def due_list(owner: User, until: datetime) -> FollowUpQuerySet:
    """Pending follow-ups due by ``until``, most overdue first, with their person."""
    return FollowUp.objects.for_owner(owner).due_by(until).select_related("person")


def due_counts(owner: User, until: datetime) -> dict[str, int]:
    """How many follow-ups of each kind are due by ``until`` (kinds with none included), in one
    query that reads each kind's range of the pending follow-ups' index."""
    due = due_list(owner, until)
    return count_each({str(kind): due.filter(kind=kind) for kind in FollowUp.Kind})


def open_list(owner: User) -> FollowUpQuerySet:
    """Every pending follow-up, due or not, snoozed ones at their new time: soonest first."""
    return FollowUp.objects.for_owner(owner).pending().select_related("person").order_by("remind_at", "id")


def with_overdue_check_in(owner: User, people: QuerySet[Person], now: datetime | None = None) -> QuerySet[Person]:
    """Narrow ``people`` to those whose pending check-in is past due.

    It lives here, not in people, because dependencies point one way: the people list asks
    the follow-ups app, never the reverse."""
    overdue = FollowUp.objects.for_owner(owner).overdue(now or clock.now()).filter(kind=FollowUp.Kind.CHECK_IN)
    return people.filter(pk__in=overdue.values("person"))


def next_check_ins(owner: User, person_ids: Iterable[int]) -> dict[int, FollowUp]:
    """Each person's pending check-in (the soonest, should there be several), in one query:
    a list page asks for its fifty rows at once, never row by row."""
    found: dict[int, FollowUp] = {}
    for follow_up in (
        FollowUp.objects.for_owner(owner)
        .pending()
        .filter(person_id__in=list(person_ids), kind=FollowUp.Kind.CHECK_IN)
        .order_by("-remind_at", "-id")
    ):
        found[follow_up.person_id] = follow_up  # latest first, so the soonest wins
    return found


# --- what to do, as a person would say it today --------------------------------------------

_TOUCH_NOUNS = {
    Touch.Kind.COFFEE: "coffee",
    Touch.Kind.MEAL: "meal",
    Touch.Kind.MEETING: "meeting",
    Touch.Kind.CALL: "call",
    Touch.Kind.VIDEO: "video call",
    Touch.Kind.EMAIL: "email",
    Touch.Kind.MESSAGE: "message",
    Touch.Kind.EVENT: "chat at the event",
    Touch.Kind.INFORMATIONAL_INTERVIEW: "informational interview",
    Touch.Kind.SOCIAL: "get-together",
    Touch.Kind.HELP: "help",
    Touch.Kind.OTHER: "time together",
}


def _touch_phrase(touch: Touch, now: datetime, tz: tzinfo) -> str:
    """ "today's coffee", "Tuesday's coffee" within the week, else "the coffee on 3 November"."""
    noun = _TOUCH_NOUNS[Touch.Kind(touch.kind)]
    days = (now.astimezone(tz).date() - touch.happened_at.astimezone(tz).date()).days
    if days == 0:
        return f"today's {noun}"
    if days == 1:
        return f"yesterday's {noun}"
    if 1 < days < 7:
        return f"{touch.happened_at.astimezone(tz):%A}'s {noun}"
    return f"the {noun} on {_day(touch.happened_at, tz)}"


def _worded(
    follow_up: FollowUp, touch_phrase: Callable[[Touch], str], when: Callable[[datetime], str], added: str
) -> str:
    """The sentence of what to do, with the touch and the last time in touch worded by the caller."""
    person = follow_up.person
    touch = follow_up.touch
    if touch is not None and follow_up.kind == FollowUp.Kind.THANK_YOU:
        return f"Thank {person.short_name} for {touch_phrase(touch)}"
    if touch is not None and follow_up.kind == FollowUp.Kind.CLOSE_LOOP:
        return f"Tell {person.short_name} how you used their advice from {touch_phrase(touch)}"
    if follow_up.kind == FollowUp.Kind.CHECK_IN and follow_up.origin == FollowUp.Origin.CADENCE:
        if person.last_touch_at is None:
            return f"Check in with {person.short_name}: not in touch since you added them{added}"
        return f"Check in with {person.short_name}: last in touch {when(person.last_touch_at)}"
    return follow_up.reason


def headline(follow_up: FollowUp, now: datetime, tz: tzinfo) -> str:
    """The drafted sentence of what to do ("Thank Ana for Tuesday's coffee"), worded for today.

    Reads ``follow_up.person`` and ``follow_up.touch``: select them with the follow-up.
    """
    return _worded(follow_up, lambda touch: _touch_phrase(touch, now, tz), lambda at: describe_ago(at, now), "")


def _dated(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {local:%b %Y}"


def dated_headline(follow_up: FollowUp, tz: tzinfo) -> str:
    """What to do with dates instead of "yesterday" or "4 minutes ago", for what is read later
    than it is written (a calendar's event title): "Check in with Ana: last in touch 3 Dec 2026".

    Reads ``follow_up.person`` and ``follow_up.touch``: select them with the follow-up.
    """
    return _worded(
        follow_up,
        lambda touch: f"the {_TOUCH_NOUNS[Touch.Kind(touch.kind)]} on {_dated(touch.happened_at, tz)}",
        lambda at: _dated(at, tz),
        f" on {_dated(follow_up.person.created_at, tz)}",
    )


def upcoming_list(owner: User, now: datetime, within: timedelta) -> FollowUpQuerySet:
    """Open follow-ups that fall due after ``now`` and within ``within``, soonest first. Snoozed
    ones stay out of sight: the user put them off, so they return only when their time comes."""
    return (
        FollowUp.objects.for_owner(owner)
        .pending()
        .filter(snoozed_until__isnull=True, remind_at__gt=now, remind_at__lte=now + within)
        .select_related("person", "touch")
        .order_by("remind_at", "id")
    )
