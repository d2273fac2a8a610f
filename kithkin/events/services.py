"""Networking events: the plan before, the people met there, the review after.

The only code that writes events, the people hoped to meet at them and the people met there.
Meeting someone at an event is a touch of kind event at the event's time, so the core rules ask
for a thank-you 24 hours after it (none when the event is history, more than 7 days past). The
review measures what the event gave: people met, how many were thanked within 24 hours, the
gives and asks that came from it, and the user's verdict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from rapidfuzz import fuzz, process

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.choices import Circle, parse_choice
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.refs import by_id, parse_ref
from kithkin.core.shortcuts import require_owned
from kithkin.events.models import Event, EventHope, EventMet
from kithkin.exchanges.models import Ask, Exchange
from kithkin.exchanges.services import record_ask, record_exchange
from kithkin.followups.models import FollowUp
from kithkin.followups.services import THANK_YOU_AFTER
from kithkin.interactions.models import HISTORY_AFTER, Touch
from kithkin.interactions.services import FUTURE_TOLERANCE, log_touch
from kithkin.lib.names import clean_name
from kithkin.people.models import Person
from kithkin.people.services import (
    PersonChanges,
    add_person,
    edit_person,
    find_person,
    is_id_or_email,
    mark_prospect_met,
)

MAX_NAME = 200
MAX_WHERE = 300
MAX_TEXT = 2000  # the goal and the pitch
MAX_STARTER = 300
MAX_STARTERS = 20
MAX_HOPES = 50
MAX_VERDICT = 5000
# An event given a day alone starts in the evening, when most networking events do.
DEFAULT_START = time(18, 0)
# Today lists the events of the next two weeks, and those of the last few days still to review.
UPCOMING_DAYS = 14
JUST_PAST_DAYS = 3


# --- the plan ---------------------------------------------------------------------------------


@dataclass
class EventPlan:
    """Everything the user writes down before an event. Editing an event replaces its plan whole:
    a person left out of ``hope_to_meet`` is no longer hoped for."""

    name: str
    starts_at: datetime
    where: str = ""
    goal: str = ""
    pitch: str = ""
    starters: Sequence[str] = ()
    circle: str = ""  # the circle of the people new to the network met there
    # Someone in the network, or a name new to it: they are added as someone to meet, with why.
    hope_to_meet: Sequence[Person | str] = ()


def _text(value: str, field_name: str, limit: int, *, one_line: bool = True) -> str:
    text = clean_name(value) if one_line else value.strip()
    if len(text) > limit:
        raise BadInput(field_name, f"must be at most {limit} characters")
    return text


def _starters(lines: Iterable[str]) -> list[str]:
    """One conversation starter a line; blank lines and repeats dropped, the order kept."""
    found: dict[str, str] = {}
    for line in lines:
        for part in line.splitlines():
            text = _text(part.lstrip("-*• "), "starter", MAX_STARTER)
            if text and text.casefold() not in found:
                found[text.casefold()] = text
    if len(found) > MAX_STARTERS:
        raise BadInput("starter", f"at most {MAX_STARTERS} conversation starters")
    return list(found.values())


def _plan_fields(plan: EventPlan) -> dict[str, object]:
    name = _text(plan.name, "name", MAX_NAME)
    if not name:
        raise BadInput("name", "give the event a name")
    if plan.starts_at.tzinfo is None:
        raise BadInput("on", "needs a time zone")
    return {
        "name": name,
        "starts_at": plan.starts_at,
        "where": _text(plan.where, "where", MAX_WHERE),
        "goal": _text(plan.goal, "goal", MAX_TEXT, one_line=False),
        "pitch": _text(plan.pitch, "pitch", MAX_TEXT, one_line=False),
        "starters": _starters(plan.starters),
        "circle": parse_choice(Circle, plan.circle, "circle") if plan.circle.strip() else "",
    }


def _hoped_people(
    owner: User, wanted: Sequence[Person | str], event_name: str, now: datetime
) -> tuple[list[Person], list[Person]]:
    """The people a plan hopes to meet, and of those the ones added: new names become people to
    meet ("To meet at Fintech Breakfast")."""
    people: dict[int, Person] = {}
    names: dict[str, str] = {}
    for item in wanted:
        if isinstance(item, Person):
            require_owned(owner, item, field="person", message="no such person")
            people.setdefault(item.pk, item)
        elif clean_name(item):
            names.setdefault(clean_name(item).casefold(), clean_name(item))
    if len(people) + len(names) > MAX_HOPES:
        raise BadInput("hope-to-meet", f"at most {MAX_HOPES} people to meet at one event")
    added = [
        add_person(owner, name, PersonChanges(is_prospect=True, why=f"To meet at {event_name}"), now=now)
        for name in names.values()
    ]
    return [*people.values(), *added], added


def _set_hopes(owner: User, event: Event, people: Sequence[Person]) -> None:
    wanted = [p.pk for p in people]
    EventHope.objects.for_owner(owner).filter(event=event).exclude(person_id__in=wanted).delete()
    have = set(EventHope.objects.for_owner(owner).filter(event=event).values_list("person_id", flat=True))
    EventHope.objects.bulk_create(
        EventHope(owner=owner, event=event, person_id=pk) for pk in dict.fromkeys(wanted) if pk not in have
    )


@dataclass
class Planned:
    event: Event
    added: list[Person]  # names new to the network, added as people to meet


@transaction.atomic
def add_event(owner: User, plan: EventPlan, *, now: datetime | None = None) -> Planned:
    """Plan an event (or note one already past, to record whom you met there)."""
    now = now or clock.now()
    fields = _plan_fields(plan)
    event = Event.objects.create(owner=owner, created_at=now, **fields)
    hopes, added = _hoped_people(owner, plan.hope_to_meet, event.name, now)
    _set_hopes(owner, event, hopes)
    return Planned(event, added)


@transaction.atomic
def edit_event(owner: User, event: Event, plan: EventPlan, *, now: datetime | None = None) -> Planned:
    """Replace an event's plan. An event where the user has met people cannot move into the
    future: those meetings happened."""
    require_owned(owner, event, field="event", message="no such event")
    now = now or clock.now()
    fields = _plan_fields(plan)
    event = Event.objects.select_for_update().get(pk=event.pk)
    starts_at = fields["starts_at"]
    assert isinstance(starts_at, datetime)
    if starts_at > now + FUTURE_TOLERANCE and EventMet.objects.for_owner(owner).filter(event=event).exists():
        raise BadInput("on", "you have already met people there, so it cannot move into the future")
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    hopes, added = _hoped_people(owner, plan.hope_to_meet, event.name, now)
    _set_hopes(owner, event, hopes)
    return Planned(event, added)


@transaction.atomic
def delete_event(owner: User, event: Event) -> None:
    """Forget an event. The touches with the people met there stay (they happened), and so do the
    gives and asks that came from it, no longer linked to it."""
    require_owned(owner, event, field="event", message="no such event")
    Event.objects.for_owner(owner).filter(pk=event.pk).delete()


# --- meeting people there ---------------------------------------------------------------------


@dataclass
class MetResult:
    event: Event
    met: list[Person]  # newly met there, in the order given
    added: list[Person]  # of those, the ones new to the network
    already: list[Person]  # met there before: nothing changed for them
    touches: list[Touch]
    is_history: bool  # more than 7 days past: logged as history, no thank-yous


def resolve_people(owner: User, refs: Iterable[str], field_name: str = "person") -> list[Person | str]:
    """Each reference as the person it names (an id, an email or a name), or, for a name that
    matches no one, the name itself: a person to add. An unknown id or email is an error, and so
    is a name that matches several people."""
    found: list[Person | str] = []
    for ref in refs:
        text = clean_name(ref)
        if not text:
            continue
        try:
            found.append(find_person(owner, text, field_name))
        except NotFound:
            if is_id_or_email(text):
                raise
            found.append(text)
    return found


def _meet_prospect(owner: User, person: Person, event: Event, day: date, now: datetime) -> Person:
    """Someone the user wanted to meet, met at the event: they join the network, met on the
    event's day and at the event (unless that was known already)."""
    changes = PersonChanges()
    if person.met_on is None:
        changes.met_on = day
    if not person.met_how:
        changes.met_how = f"Met at {event.name}"
    if changes.met_on is not None or changes.met_how is not None:
        person = edit_person(owner, person, changes, now=now)
    return mark_prospect_met(owner, person, now=now)


@transaction.atomic
def met(
    owner: User, event: Event, people_or_names: Sequence[Person | str], *, now: datetime | None = None
) -> MetResult:
    """Record whom the user met at an event: people in the network, or names new to it (added,
    in the event's circle, met on its day, "Met at <event>"). Each is a touch of kind event at the
    event's time, so a thank-you falls due 24 hours after it. A prospect met there joins the
    network. Meeting the same person twice at one event changes nothing."""
    require_owned(owner, event, field="event", message="no such event")
    now = now or clock.now()
    if event.starts_at > now + FUTURE_TOLERANCE:
        raise BadInput("event", f"{event.name} has not started yet; record whom you met once it has")
    # In the order given, each person and each new name once.
    wanted: dict[int | str, Person | str] = {}
    for item in people_or_names:
        if isinstance(item, Person):
            require_owned(owner, item, field="person", message="no such person")
            wanted.setdefault(item.pk, item)
        else:
            name = _text(item, "person", MAX_NAME)
            if name:
                wanted.setdefault(name.casefold(), name)
    if not wanted:
        raise BadInput("person", "name at least one person you met")
    tz = get_profile(owner).tz
    day = min(event.starts_at.astimezone(tz).date(), now.astimezone(tz).date())
    known = [key for key in wanted if isinstance(key, int)]
    before = set(
        EventMet.objects.for_owner(owner).filter(event=event, person_id__in=known).values_list("person_id", flat=True)
    )
    already: list[Person] = []
    fresh: list[tuple[Person, bool]] = []
    for item in wanted.values():
        if isinstance(item, str):
            changes = PersonChanges(circle=event.circle or None, met_on=day, met_how=f"Met at {event.name}")
            fresh.append((add_person(owner, item, changes, now=now), True))
        elif item.pk in before:
            already.append(item)
        else:
            fresh.append((_meet_prospect(owner, item, event, day, now) if item.is_prospect else item, False))
    touches = []
    for person, is_new in fresh:
        touch = log_touch(owner, [person], Touch.Kind.EVENT, event.starts_at, notes=f"Met at {event.name}", now=now)
        EventMet.objects.create(
            owner=owner, event=event, person=person, touch=touch, is_new_person=is_new, created_at=now
        )
        touches.append(touch)
    return MetResult(
        event=event,
        met=[p for p, _ in fresh],
        added=[p for p, is_new in fresh if is_new],
        already=already,
        touches=touches,
        is_history=now - event.starts_at > HISTORY_AFTER,
    )


@transaction.atomic
def review_event(
    owner: User, event: Event, verdict: str, is_worth_again: bool | None, *, now: datetime | None = None
) -> Event:
    """The user's verdict on an event they went to, and whether it is worth going again."""
    require_owned(owner, event, field="event", message="no such event")
    now = now or clock.now()
    if event.starts_at > now + FUTURE_TOLERANCE:
        raise BadInput("verdict", f"{event.name} has not happened yet; judge it afterwards")
    text = _text(verdict, "verdict", MAX_VERDICT, one_line=False)
    if not text and is_worth_again is None:
        raise BadInput("verdict", "write a verdict, or say whether it is worth going again")
    Event.objects.for_owner(owner).filter(pk=event.pk).update(verdict=text, is_worth_again=is_worth_again)
    event.verdict, event.is_worth_again = text, is_worth_again
    return event


HELP_DIRECTIONS = ("gave", "got", "asked")


@transaction.atomic
def record_event_help(
    owner: User,
    event: Event,
    person: Person,
    direction: str,
    what: str,
    *,
    kind: str = "other",
    now: datetime | None = None,
) -> Exchange | Ask:
    """A give, some help received, or an ask that came from an event, recorded in the ledger
    linked to it (the ledger's own rules apply: a touch of kind help, a thank-you for help got)."""
    require_owned(owner, event, field="event", message="no such event")
    require_owned(owner, person, field="person", message="no such person")
    if direction not in HELP_DIRECTIONS:
        raise BadInput("direction", "choose gave, got or asked")
    if direction == "asked":
        return record_ask(owner, person, what, kind=kind, event_id=event.pk, now=now)
    return record_exchange(owner, person, direction, what, kind=kind, event_id=event.pk, now=now)


# --- finding events ---------------------------------------------------------------------------


def _describe(event: Event, owner: User) -> str:
    return f"{event.name} (#{event.pk}, {event.starts_at.astimezone(get_profile(owner).tz):%a %-d %b %Y})"


def find_event(owner: User, ref: str, field_name: str = "event") -> Event:
    """The one event ``ref`` names: an id ("12" or "#12"), or a name, whole or by the start of
    each word ("fin break" finds Fintech Breakfast). Several events of one name (a monthly
    meetup) are listed with their ids and days, to pick one by id."""
    text = parse_ref(ref, field_name)
    events = Event.objects.for_owner(owner)
    if isinstance(text, int):
        return by_id(events, text, field=field_name, noun="event")
    candidates = list(events.filter(name__iexact=text)[:10])
    if not candidates:
        words = text.lower().split()
        query = Q()
        for word in words:
            query &= Q(name__istartswith=word) | Q(name__icontains=f" {word}")
        candidates = [
            e
            for e in events.filter(query)[:200]
            if all(any(part.lower().startswith(word) for part in e.name.split()) for word in words)
        ]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        shown = "; ".join(_describe(e, owner) for e in candidates[:8])
        return_more = f" and {len(candidates) - 8} more" if len(candidates) > 8 else ""
        raise BadInput(field_name, f"{text!r} is ambiguous: {shown}{return_more}; use the id")
    names = dict(events.values_list("pk", "name")[:5000])
    close = process.extract(text, names, scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    hint = "; closest: " + ", ".join(f"{name} (#{pk})" for name, _score, pk in close) if close else ""
    raise NotFound(field_name, f"no event named {text!r}{hint}")


def upcoming_events(owner: User, now: datetime) -> QuerySet[Event]:
    """Events still to come, soonest first."""
    return Event.objects.for_owner(owner).filter(starts_at__gt=now).order_by("starts_at", "id")


def past_events(owner: User, now: datetime) -> QuerySet[Event]:
    """Events that have started, the latest first."""
    return Event.objects.for_owner(owner).filter(starts_at__lte=now).order_by("-starts_at", "-id")


def events_around(owner: User, now: datetime) -> list[Event]:
    """What Today shows: the events of the next 14 days and those of the last 3, each with how
    many people the user met there (``met_count``), soonest first. One query."""
    return list(
        Event.objects.for_owner(owner)
        .filter(starts_at__gt=now - timedelta(days=JUST_PAST_DAYS), starts_at__lte=now + timedelta(days=UPCOMING_DAYS))
        .annotate(met_count=Count("met"))
        .order_by("starts_at", "id")
    )


def events_with_person(owner: User, person: Person) -> tuple[list[EventMet], list[EventHope]]:
    """The events where the user met ``person`` and those where they hope to, latest first (two
    queries, each at most 20 rows)."""
    met_there = list(
        EventMet.objects.for_owner(owner)
        .filter(person=person)
        .select_related("event")
        .order_by("-event__starts_at")[:20]
    )
    hoped = list(
        EventHope.objects.for_owner(owner)
        .filter(person=person)
        .select_related("event")
        .order_by("-event__starts_at")[:20]
    )
    return met_there, hoped


# --- the review -------------------------------------------------------------------------------


class ThankStatus:
    """How the thank-you to someone met at an event went."""

    IN_TIME = "in_time"  # done within 24 hours of the event
    LATE = "late"  # done, later
    OPEN = "open"  # still to do
    SKIPPED = "skipped"
    NONE = "none"  # none was asked for (the event was history when recorded)


def thank_status(event: Event, thank_you: FollowUp | None) -> str:
    if thank_you is None:
        return ThankStatus.NONE
    if thank_you.status == FollowUp.Status.DONE:
        done_at = thank_you.completed_at
        in_time = done_at is not None and done_at <= event.starts_at + THANK_YOU_AFTER
        return ThankStatus.IN_TIME if in_time else ThankStatus.LATE
    if thank_you.status == FollowUp.Status.SKIPPED:
        return ThankStatus.SKIPPED
    return ThankStatus.OPEN


@dataclass
class Figures:
    """What an event gave, in numbers: the list of past events compares them."""

    met: int = 0
    new_people: int = 0
    thank_yous: int = 0  # asked for
    thanked_in_time: int = 0
    thanked_late: int = 0
    gave: int = 0
    got: int = 0
    asks: int = 0
    hoped: int = 0
    hoped_met: int = 0

    @property
    def thanked(self) -> int:
        return self.thanked_in_time + self.thanked_late


@dataclass
class MetPerson:
    person: Person
    met: EventMet
    thank_you: FollowUp | None
    status: str


@dataclass
class HopedPerson:
    person: Person
    is_met: bool


@dataclass
class Review:
    event: Event
    figures: Figures
    met: list[MetPerson] = field(default_factory=list)
    hopes: list[HopedPerson] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    asks: list[Ask] = field(default_factory=list)


def _thank_yous(owner: User, touch_ids: Iterable[int | None]) -> dict[int, FollowUp]:
    """The thank-you each met-there touch asked for (the latest, should there be several)."""
    ids = [pk for pk in touch_ids if pk is not None]
    if not ids:
        return {}
    rows = (
        FollowUp.objects.for_owner(owner)
        .filter(touch_id__in=ids, kind=FollowUp.Kind.THANK_YOU)
        .only("id", "touch_id", "status", "completed_at", "due_at", "remind_at", "person_id", "reason", "kind")
        .order_by("id")
    )
    return {f.touch_id: f for f in rows if f.touch_id is not None}


def _count_thanks(figures: Figures, status: str) -> None:
    if status != ThankStatus.NONE:
        figures.thank_yous += 1
    if status == ThankStatus.IN_TIME:
        figures.thanked_in_time += 1
    elif status == ThankStatus.LATE:
        figures.thanked_late += 1


def event_figures(owner: User, events: Sequence[Event]) -> dict[int, Figures]:
    """Each event's figures, in six queries whatever the number of events."""
    by_id = {e.pk: e for e in events}
    figures = {pk: Figures() for pk in by_id}
    if not by_id:
        return figures
    met_rows = list(
        EventMet.objects.for_owner(owner)
        .filter(event_id__in=list(by_id))
        .values_list("event_id", "person_id", "touch_id", "is_new_person")
    )
    thanks = _thank_yous(owner, (touch_id for _e, _p, touch_id, _n in met_rows))
    met_people: dict[int, set[int]] = defaultdict(set)
    for event_id, person_id, touch_id, is_new in met_rows:
        f = figures[event_id]
        f.met += 1
        f.new_people += int(is_new)
        met_people[event_id].add(person_id)
        _count_thanks(f, thank_status(by_id[event_id], thanks.get(touch_id) if touch_id else None))
    for event_id, direction, n in (
        Exchange.objects.for_owner(owner)
        .filter(event_id__in=list(by_id))
        .order_by()
        .values_list("event_id", "direction")
        .annotate(n=Count("id"))
    ):
        if direction == Exchange.Direction.GAVE:
            figures[event_id].gave = n
        else:
            figures[event_id].got = n
    for event_id, n in (
        Ask.objects.for_owner(owner)
        .filter(event_id__in=list(by_id))
        .order_by()
        .values_list("event_id")
        .annotate(n=Count("id"))
        .values_list("event_id", "n")
    ):
        figures[event_id].asks = n
    for event_id, person_id in (
        EventHope.objects.for_owner(owner).filter(event_id__in=list(by_id)).values_list("event_id", "person_id")
    ):
        figures[event_id].hoped += 1
        figures[event_id].hoped_met += int(person_id in met_people[event_id])
    return figures


def event_review(owner: User, event: Event) -> Review:
    """An event's review: the people met with their thank-you, the people hoped for (met or
    not), the gives and asks that came from it, and the figures. A fixed number of queries."""
    require_owned(owner, event, field="event", message="no such event")
    met_rows = list(
        EventMet.objects.for_owner(owner).filter(event=event).select_related("person__organization").order_by("id")
    )
    thanks = _thank_yous(owner, (m.touch_id for m in met_rows))
    figures = Figures()
    met_list = []
    for row in met_rows:
        thank_you = thanks.get(row.touch_id) if row.touch_id else None
        status = thank_status(event, thank_you)
        figures.met += 1
        figures.new_people += int(row.is_new_person)
        _count_thanks(figures, status)
        met_list.append(MetPerson(row.person, row, thank_you, status))
    met_ids = {m.person_id for m in met_rows}
    hopes = [
        HopedPerson(h.person, h.person_id in met_ids)
        for h in EventHope.objects.for_owner(owner)
        .filter(event=event)
        .select_related("person__organization")
        .prefetch_related("person__interests", "person__needs")
    ]
    figures.hoped, figures.hoped_met = len(hopes), sum(h.is_met for h in hopes)
    exchanges = list(Exchange.objects.for_owner(owner).filter(event=event).select_related("person"))
    asks = list(Ask.objects.for_owner(owner).filter(event=event).select_related("person"))
    figures.gave = sum(e.direction == Exchange.Direction.GAVE for e in exchanges)
    figures.got = len(exchanges) - figures.gave
    figures.asks = len(asks)
    return Review(event, figures, met_list, hopes, exchanges, asks)


def hoped_people(owner: User, event: Event) -> list[Person]:
    """The people the user hopes to meet at an event, in the order they were added."""
    return [
        h.person for h in EventHope.objects.for_owner(owner).filter(event=event).select_related("person__organization")
    ]


def is_past(event: Event, now: datetime) -> bool:
    return event.starts_at <= now
