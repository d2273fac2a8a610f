"""The give-and-take ledger: the only code that records exchanges and asks.

Help given or received is a touch (kind help): it moves check-ins and counts toward the week.
Help received asks for a thank-you within 24 hours, as the core rules do for a coffee.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.choices import parse_choice
from kithkin.core.errors import BadInput, NotFound
from kithkin.exchanges.models import Ask, Exchange, Kind
from kithkin.followups.models import FollowUp
from kithkin.followups.services import THANK_YOU_AFTER, close_follow_ups, ensure_follow_up
from kithkin.interactions.models import HISTORY_AFTER, Touch
from kithkin.interactions.services import log_touch
from kithkin.lib.names import clean_name
from kithkin.people.models import Person

if TYPE_CHECKING:
    from kithkin.events.models import Event
    from kithkin.introductions.models import Introduction

MAX_WHAT = 300


def _clean_what(what: str) -> str:
    text = clean_name(what)
    if not text:
        raise BadInput("WHAT", "say what was given, received or asked for")
    if len(text) > MAX_WHAT:
        raise BadInput("WHAT", f"must be at most {MAX_WHAT} characters")
    return text


def _moment(owner: User, on: date | None, now: datetime) -> tuple[date, datetime]:
    """The day of an exchange and the moment its touch is logged at: now for today, else midday."""
    tz = get_profile(owner).tz
    today = now.astimezone(tz).date()
    day = on or today
    if day > today:
        raise BadInput("on", f"{day.isoformat()} is in the future; record what happened")
    return day, now if day == today else datetime.combine(day, time(12, 0), tzinfo=tz)


def _own(owner: User, *people: Person | None) -> None:
    for person in people:
        if person is not None and person.owner_id != owner.pk:
            raise NotFound("person", "no such person")


def thank_you_cause(exchange: Exchange) -> str:
    return f"exchange:{exchange.pk}"


@transaction.atomic
def record_exchange(
    owner: User,
    person: Person,
    direction: str,
    what: str,
    *,
    kind: str = Kind.OTHER,
    on: date | None = None,
    settles: Ask | None = None,
    to_person: Person | None = None,
    event: Event | None = None,
    introduction: Introduction | None = None,
    count_as_touch: bool = True,
    now: datetime | None = None,
) -> Exchange:
    """Record that the user gave ``person`` something (``direction="gave"``) or got something
    from them (``"got"``). It is logged as a touch of kind help (unless ``count_as_touch`` is
    False, for a give that is part of a touch already logged); help received asks for a thank-you
    due 24 hours after it, unless it is old history. ``settles`` closes the ask it answers."""
    now = now or clock.now()
    _own(owner, person, to_person)
    direction_value = parse_choice(Exchange.Direction, direction, "direction")
    kind_value = parse_choice(Kind, kind, "kind")
    text = _clean_what(what)
    day, at = _moment(owner, on, now)
    if settles is not None:
        if settles.owner_id != owner.pk:
            raise NotFound("settles", "no such ask")
        if settles.person_id != person.pk:
            raise BadInput("settles", f"ask #{settles.pk} was to someone else")
        if settles.status != Ask.Status.OPEN:
            raise BadInput("settles", f"ask #{settles.pk} is already {settles.get_status_display()}")
    touch = None
    if count_as_touch:
        verb = "Gave" if direction_value == Exchange.Direction.GAVE else "Got"
        touch = log_touch(owner, [person], Touch.Kind.HELP, at, notes=f"{verb}: {text}", thank=False, now=now)
    exchange = Exchange.objects.create(
        owner=owner,
        person=person,
        direction=direction_value,
        kind=kind_value,
        what=text,
        happened_on=day,
        touch=touch,
        settles=settles,
        to_person=to_person,
        event=event,
        introduction=introduction,
        created_at=now,
    )
    if direction_value == Exchange.Direction.GOT and now - at <= HISTORY_AFTER:
        ensure_follow_up(
            owner,
            person,
            FollowUp.Kind.THANK_YOU,
            thank_you_cause(exchange),
            due_at=at + THANK_YOU_AFTER,
            reason=f"Thank {person.short_name} for {text}",
            now=now,
        )
    if settles is not None:
        settles.status, settles.closed_at = Ask.Status.SETTLED, now
        settles.save(update_fields=["status", "closed_at"])
        close_follow_ups(owner, [f"ask:{settles.pk}"], now=now)
    return exchange


@transaction.atomic
def record_ask(
    owner: User,
    person: Person,
    what: str,
    *,
    kind: str = Kind.OTHER,
    on: date | None = None,
    event: Event | None = None,
    now: datetime | None = None,
) -> Ask:
    """Record something the user asked ``person`` for: open until help comes or it is closed."""
    now = now or clock.now()
    _own(owner, person)
    day, _at = _moment(owner, on, now)
    return Ask.objects.create(
        owner=owner,
        person=person,
        kind=parse_choice(Kind, kind, "kind"),
        what=_clean_what(what),
        asked_on=day,
        event=event,
        created_at=now,
    )
