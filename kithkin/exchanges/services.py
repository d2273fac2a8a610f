"""The give-and-take ledger: the only code that records exchanges, asks, resources and shares.

Help given or received is a touch (kind help): it moves check-ins and counts toward the week.
Help received asks for a thank-you within 24 hours, as the core rules do for a coffee. Being
introduced to someone is help received from the introducer; after the first conversation with
the new person, the introducer hears how it went (a close-the-loop 3 days later).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.choices import parse_choice
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.refs import by_id, parse_id, ref_id
from kithkin.core.shortcuts import require_owned
from kithkin.exchanges.hooks import ExchangeRecorded, exchange_recorded
from kithkin.exchanges.matching import draft_share_message, match_reasons
from kithkin.exchanges.models import Ask, AskQuerySet, Exchange, Kind, Resource, Share
from kithkin.followups.causes import ensure_follow_up
from kithkin.followups.models import FollowUp
from kithkin.followups.services import THANK_YOU_AFTER
from kithkin.interactions.models import HISTORY_AFTER, Touch, TouchParticipant
from kithkin.interactions.services import log_touch
from kithkin.lib.links import normalize_url
from kithkin.lib.names import clean_name
from kithkin.lib.relative import say_day
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, add_person, edit_person, find_person, is_id_or_email

MAX_WHAT = 300
MAX_TITLE = 300
MAX_URL = 500
MAX_TOPIC = 100
MAX_TOPICS = 20
MAX_MESSAGE = 5000
# After the first conversation with someone the user was introduced to, tell the introducer.
INTRO_LOOP_AFTER = timedelta(days=3)


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
        raise BadInput("on", f"{say_day(day, today)} is in the future. Record what happened once it has.")
    return day, now if day == today else datetime.combine(day, time(12, 0), tzinfo=tz)


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
    event_id: int | None = None,
    introduction_id: int | None = None,
    count_as_touch: bool = True,
    thank: bool = True,
    now: datetime | None = None,
) -> Exchange:
    """Record that the user gave ``person`` something (``direction="gave"``) or got something
    from them (``"got"``). It is logged as a touch of kind help (unless ``count_as_touch`` is
    False, for a give that is part of a touch already logged); help received asks for a thank-you
    due 24 hours after it, unless it is old history or ``thank`` is False (the caller thanks
    once for several). ``settles`` closes the ask it answers. ``event_id`` and ``introduction_id``
    tie it to the owner's event or introduction it came from: the apps above pass their own object's
    id, as exchanges import nothing of theirs."""
    now = now or clock.now()
    require_owned(owner, person, to_person, field="person", message="no such person")
    direction_value = parse_choice(Exchange.Direction, direction, "direction")
    kind_value = parse_choice(Kind, kind, "kind")
    text = _clean_what(what)
    day, at = _moment(owner, on, now)
    if settles is not None:
        require_owned(owner, settles, field="settles", message="no such ask")
        # Read again, locked: the ask may have been settled or closed since it was fetched.
        settles = Ask.objects.select_for_update().get(pk=settles.pk)
        if settles.person_id != person.pk:
            raise BadInput("settles", f"ask #{settles.pk} was to someone else")
        if settles.status != Ask.Status.OPEN:
            raise BadInput("settles", f"ask #{settles.pk} is already {settles.get_status_display()}")
        if direction_value != Exchange.Direction.GOT:
            raise BadInput("settles", "only help received settles an ask")
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
        event_id=event_id,
        introduction_id=introduction_id,
        created_at=now,
    )
    if thank and direction_value == Exchange.Direction.GOT and now - at <= HISTORY_AFTER:
        ensure_follow_up(
            owner,
            person,
            FollowUp.Kind.THANK_YOU,
            exchange,
            due_at=at + THANK_YOU_AFTER,
            reason=f"Thank {person.short_name} for their help: {text}",
            now=now,
        )
    if settles is not None:
        settles.status, settles.closed_at = Ask.Status.SETTLED, now
        settles.save(update_fields=["status", "closed_at"])
    exchange_recorded.run(ExchangeRecorded(owner, exchange))
    return exchange


# --- asks -------------------------------------------------------------------------------------


@transaction.atomic
def record_ask(
    owner: User,
    person: Person,
    what: str,
    *,
    kind: str = Kind.OTHER,
    on: date | None = None,
    event_id: int | None = None,
    now: datetime | None = None,
) -> Ask:
    """Record something the user asked ``person`` for: open until help comes or it is closed.
    ``ask_warning`` says whether it was one ask too many."""
    now = now or clock.now()
    require_owned(owner, person, field="person", message="no such person")
    day, _at = _moment(owner, on, now)
    return Ask.objects.create(
        owner=owner,
        person=person,
        kind=parse_choice(Kind, kind, "kind"),
        what=_clean_what(what),
        asked_on=day,
        event_id=event_id,
        created_at=now,
    )


def list_asks(owner: User, *, open_only: bool = False) -> AskQuerySet:
    """What the owner has asked people for, newest first (`kithkin asks`); only those still
    waiting for an answer with ``open_only``."""
    asks = Ask.objects.for_owner(owner).select_related("person").order_by("-asked_on", "-id")
    return asks.open() if open_only else asks


def find_ask(owner: User, ask_id: int | str, field: str = "ID") -> Ask:
    """One of the owner's asks by id ("12" or "#12"), with its person."""
    pk = ref_id(ask_id)
    if pk is None:
        raise BadInput(field, f"{ask_id!r} is not an ask id")
    return by_id(Ask.objects.for_owner(owner).select_related("person"), pk, field=field, noun="ask")


@transaction.atomic
def close_ask(owner: User, ask: Ask, *, now: datetime | None = None) -> Ask:
    """Close an ask that got no answer: it stops being open, and it still counts as asked."""
    now = now or clock.now()
    require_owned(owner, ask, field="ID", message="no such ask")
    fresh = Ask.objects.select_for_update().select_related("person").get(pk=ask.pk)
    if fresh.status != Ask.Status.OPEN:
        raise BadInput("ID", f"ask #{fresh.pk} is already {fresh.get_status_display()}")
    fresh.status, fresh.closed_at = Ask.Status.CLOSED, now
    fresh.save(update_fields=["status", "closed_at"])
    return fresh


# --- being introduced ---------------------------------------------------------------------------


def _local_day_start(owner: User, day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=get_profile(owner).tz)


def _schedule_intro_loop(owner: User, exchange: Exchange, touch: Touch, now: datetime) -> FollowUp | None:
    """The introducer's close-the-loop after the first conversation with the person they
    introduced: once per introduction, never for old history or for help exchanged."""
    if touch.kind == Touch.Kind.HELP or now - touch.happened_at > HISTORY_AFTER:
        return None
    if touch.happened_at < _local_day_start(owner, exchange.happened_on):
        return None
    if FollowUp.objects.for_owner(owner).filter(kind=FollowUp.Kind.CLOSE_LOOP).caused_by(exchange).exists():
        return None
    introducer, new_person = exchange.person, exchange.to_person
    assert new_person is not None
    return ensure_follow_up(
        owner,
        introducer,
        FollowUp.Kind.CLOSE_LOOP,
        exchange,
        due_at=touch.happened_at + INTRO_LOOP_AFTER,
        reason=f"Tell {introducer.short_name} how the conversation with {new_person.short_name} went",
        now=now,
        # No touch: the follow-up's sentence is this reason, not one about the touch's advice.
    )


def _were_introduced(owner: User, person_ids: Sequence[int]) -> bool:
    """Whether someone introduced the user to any of these people. Most people were introduced by
    no one, and asking in plain SQL costs a twentieth of compiling the query of the introductions
    with both their people (0.7 ms, a sixth of logging a touch)."""
    sql = (
        "SELECT 1 FROM exchanges_exchange WHERE owner_id = %s AND direction = %s AND kind = %s"
        f" AND to_person_id IN ({', '.join(['%s'] * len(person_ids))}) LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [owner.pk, str(Exchange.Direction.GOT), str(Kind.INTRO), *person_ids])
        return cursor.fetchone() is not None


def schedule_intro_loops(
    owner: User, touch: Touch, people: Sequence[Person], *, now: datetime | None = None
) -> list[FollowUp]:
    """After a touch: for each person in it whom someone introduced the user to, and who had no
    conversation since, the introducer gets a close-the-loop (run on the touch_logged hook)."""
    now = now or clock.now()
    # Neither help nor history starts a conversation (``_schedule_intro_loop``).
    if touch.kind == Touch.Kind.HELP or now - touch.happened_at > HISTORY_AFTER or not people:
        return []
    if not _were_introduced(owner, [p.pk for p in people]):
        return []
    # Sorted here, not by the database: asked to order them, SQLite walks every exchange by date
    # instead of the index of the few made for these people (8 ms a touch at 30,000 people).
    intros = sorted(
        Exchange.objects.for_owner(owner)
        .filter(direction=Exchange.Direction.GOT, kind=Kind.INTRO, to_person_id__in=[p.pk for p in people])
        .select_related("person", "to_person")
        .order_by(),
        key=lambda exchange: (exchange.happened_on, exchange.pk),
    )
    made = []
    for exchange in intros:
        follow_up = _schedule_intro_loop(owner, exchange, touch, now)
        if follow_up is not None:
            made.append(follow_up)
    return made


def _first_conversation_since(owner: User, person: Person, day: date) -> Touch | None:
    """The first touch with ``person`` on or after ``day`` that was a conversation (not help)."""
    participation = (
        TouchParticipant.objects.for_owner(owner)
        .filter(person=person, happened_at__gte=_local_day_start(owner, day))
        .exclude(touch__kind=Touch.Kind.HELP)
        .select_related("touch")
        .order_by("happened_at", "touch_id")
        .first()
    )
    return participation.touch if participation else None


def _introduced(
    owner: User, introducer: Person, person: Person, what: str, *, on: date, thank: bool, touch: bool, now: datetime
) -> Exchange:
    """One introduction received: help from the introducer, the met-through of the new person."""
    if person.pk == introducer.pk:
        raise BadInput("to", f"{introducer.full_name} cannot introduce you to themselves")
    exchange = record_exchange(
        owner,
        introducer,
        Exchange.Direction.GOT,
        what or f"the intro to {person.full_name}",
        kind=Kind.INTRO,
        on=on,
        to_person=person,
        count_as_touch=touch,
        thank=thank,
        now=now,
    )
    if person.met_through_id is None:
        edit_person(owner, person, PersonChanges(met_through=introducer), now=now)
    earlier = _first_conversation_since(owner, person, exchange.happened_on)
    if earlier is not None:
        _schedule_intro_loop(owner, exchange, earlier, now)
    return exchange


@transaction.atomic
def record_introduction(
    owner: User,
    introducer: Person,
    to: Person | str,
    *,
    what: str = "",
    on: date | None = None,
    settles: Ask | None = None,
    now: datetime | None = None,
) -> tuple[Exchange, bool]:
    """The user was introduced by ``introducer`` to ``to``: a person, or the name of someone new
    (added as ``kithkin add`` would, met through the introducer on the day of the introduction).
    The introducer gets a thank-you within 24 hours; the new person's met-through is set if it was
    empty. Returns the exchange (its ``to_person`` is the new person) and whether they were added."""
    now = now or clock.now()
    require_owned(owner, introducer, field="person", message="no such person")
    day, _at = _moment(owner, on, now)
    created = False
    if isinstance(to, Person):
        require_owned(owner, to, field="person", message="no such person")
        person = to
    else:
        try:
            person = find_person(owner, to, "to")
        except NotFound:
            if is_id_or_email(to):
                raise
            person = add_person(owner, to, PersonChanges(met_through=introducer, met_on=day), now=now)
            created = True
    exchange = _introduced(owner, introducer, person, what, on=day, thank=True, touch=True, now=now)
    if settles is not None:
        # Settled after the fact, so that the intro's own checks (who, when) come first.
        record_settlement(owner, settles, exchange, now=now)
    return exchange, created


def record_received(
    owner: User,
    giver: Person,
    what: str,
    *,
    kind: str = Kind.OTHER,
    to: Person | str | None = None,
    on: date | None = None,
    settles: Ask | None = None,
    now: datetime | None = None,
) -> tuple[Exchange, bool]:
    """Help ``giver`` gave the user. Naming whom they introduced the user ``to`` makes it an
    introduction (``record_introduction``: returns the exchange and whether ``to`` was added);
    a recipient is refused for any other kind of help, whichever face asked."""
    if to is None:
        return record_exchange(owner, giver, "got", what, kind=kind, on=on, settles=settles, now=now), False
    if parse_choice(Kind, kind, "kind") != Kind.INTRO:
        raise BadInput("to", "is for an introduction: choose the kind “introduction”")
    return record_introduction(owner, giver, to, what=what, on=on, settles=settles, now=now)


@transaction.atomic
def record_settlement(owner: User, ask: Ask, exchange: Exchange, *, now: datetime | None = None) -> Ask:
    """Mark ``ask`` as answered by ``exchange`` (help received from the person asked)."""
    now = now or clock.now()
    require_owned(owner, ask, field="settles", message="no such ask")
    ask = Ask.objects.select_for_update().get(pk=ask.pk)
    if ask.person_id != exchange.person_id:
        raise BadInput("settles", f"ask #{ask.pk} was to someone else")
    if ask.status != Ask.Status.OPEN:
        raise BadInput("settles", f"ask #{ask.pk} is already {ask.get_status_display()}")
    ask.status, ask.closed_at = Ask.Status.SETTLED, now
    ask.save(update_fields=["status", "closed_at"])
    exchange.settles = ask
    exchange.save(update_fields=["settles"])
    return ask


@transaction.atomic
def log_introduced_touch(
    owner: User,
    introducer: Person,
    people: Sequence[Person],
    kind: str,
    happened_at: datetime,
    *,
    notes: str = "",
    advice: str = "",
    initiated_by: str = Touch.InitiatedBy.ME,
    thank: bool | None = None,
    now: datetime | None = None,
) -> Touch:
    """Log a first touch with people ``introducer`` introduced the user to: each introduction is
    recorded as help received (one thank-you to the introducer for all of them), the people's
    met-through is set if empty, and this touch asks the introducer's close-the-loop."""
    now = now or clock.now()
    require_owned(owner, introducer, *people, field="person", message="no such person")
    if any(p.pk == introducer.pk for p in people):
        raise BadInput("introduced-by", f"{introducer.full_name} cannot introduce you to themselves")
    unique = list({p.pk: p for p in people}.values())
    if happened_at.tzinfo is None:
        raise BadInput("at", "needs a time zone")
    day = min(happened_at.astimezone(get_profile(owner).tz).date(), now.astimezone(get_profile(owner).tz).date())
    exchanges = [
        _introduced(owner, introducer, person, "", on=day, thank=False, touch=index == 0, now=now)
        for index, person in enumerate(unique)
    ]
    if exchanges:
        names = _and([p.full_name for p in unique])
        first = exchanges[0]
        _day, at = _moment(owner, day, now)
        if now - at <= HISTORY_AFTER:
            ensure_follow_up(
                owner,
                introducer,
                FollowUp.Kind.THANK_YOU,
                first,
                due_at=at + THANK_YOU_AFTER,
                reason=f"Thank {introducer.short_name} for the intro to {names}",
                now=now,
            )
    return log_touch(
        owner, unique, kind, happened_at, notes=notes, advice=advice, initiated_by=initiated_by, thank=thank, now=now
    )


@dataclass(frozen=True)
class TouchFollowUps:
    """What logging a touch set, in two parts: what it ``caused`` (its thank-yous and
    close-the-loops, and an introducer's thank-you and close-the-loop recorded with it by
    ``log_introduced_touch``), and the ``check_ins`` of the people in it, which it moved."""

    caused: list[FollowUp]
    check_ins: list[FollowUp]

    @property
    def soonest_first(self) -> list[FollowUp]:
        return sorted([*self.caused, *self.check_ins], key=lambda f: (f.remind_at, f.pk))


def follow_ups_after_touch(owner: User, touch: Touch) -> TouchFollowUps:
    """Which pending follow-ups this touch set: the one answer every face shows. The touch's own
    come soonest first, then the introducer's by when they are due. It lives in the ledger, not in
    followups, because an introducer's follow-ups are caused by the introductions (exchanges)
    recorded in the same call as the touch, at the same moment."""
    pending = FollowUp.objects.for_owner(owner).pending().select_related("person", "touch")
    caused = list(pending.filter(touch=touch).order_by("remind_at", "id"))
    introductions = list(
        Exchange.objects.for_owner(owner).filter(
            direction=Exchange.Direction.GOT,
            kind=Kind.INTRO,
            to_person_id__in=touch.participants.values("person_id"),
            created_at=touch.created_at,
        )
    )
    if introductions:
        caused += pending.caused_by(*introductions).order_by("due_at", "id")
    people = touch.participants.values("person_id")
    check_ins = list(pending.filter(person_id__in=people, kind=FollowUp.Kind.CHECK_IN).order_by("remind_at", "id"))
    return TouchFollowUps(caused, check_ins)


def follow_ups_after_exchange(owner: User, exchange: Exchange) -> list[FollowUp]:
    """Which pending follow-ups this exchange set (a thank-you for help received, an introducer's
    close-the-loop), soonest first: the one answer every face shows."""
    return list(FollowUp.objects.for_owner(owner).pending().caused_by(exchange).select_related("person", "touch"))


def _and(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- resources and shares -----------------------------------------------------------------------


def clean_topics(topics: Sequence[str]) -> list[str]:
    """Topics as typed, each once (ignoring case), commas splitting a list typed in one box."""
    cleaned: dict[str, str] = {}
    for raw in topics:
        for part in raw.split(","):
            text = clean_name(part)
            if not text:
                continue
            if len(text) > MAX_TOPIC:
                raise BadInput("topic", f"must be at most {MAX_TOPIC} characters")
            cleaned.setdefault(text.lower(), text)
    if len(cleaned) > MAX_TOPICS:
        raise BadInput("topic", f"at most {MAX_TOPICS} topics")
    return list(cleaned.values())


def clean_url(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise BadInput("URL", "give the link to share")
    try:
        url = normalize_url(text)
    except ValueError as exc:
        raise BadInput("URL", str(exc)) from None
    if len(url) > MAX_URL:
        raise BadInput("URL", f"must be at most {MAX_URL} characters")
    return url


@transaction.atomic
def save_resource(
    owner: User,
    url: str,
    *,
    title: str = "",
    topics: Sequence[str] = (),
    require_topics: bool = True,
    now: datetime | None = None,
) -> tuple[Resource, bool]:
    """Save a link worth sharing with the topics it is about, or add to one saved before (the same
    URL): a new title replaces the old, new topics join the old. Returns it and whether it is new.
    Topics are what finds the people it could help, so a new link needs one, unless the user is
    sending it to people they chose (``require_topics=False``)."""
    now = now or clock.now()
    address = clean_url(url)
    title_text = clean_name(title)
    if len(title_text) > MAX_TITLE:
        raise BadInput("title", f"must be at most {MAX_TITLE} characters")
    new_topics = clean_topics(topics)
    found = Resource.objects.for_owner(owner).select_for_update().filter(url=address).first()
    if found is None:
        if require_topics and not new_topics:
            raise BadInput("topic", "say what it is about (--topic fintech), so Kithkin can find who it helps")
        return Resource.objects.create(
            owner=owner, url=address, title=title_text, topics=new_topics, created_at=now
        ), True
    found.topics = clean_topics([*found.topics, *new_topics])
    if title_text:
        found.title = title_text
    found.save(update_fields=["topics", "title"])
    return found, False


def find_resource(owner: User, ref: str | int, field: str = "URL") -> Resource:
    """One of the owner's saved links, by id or by its address."""
    text = str(ref).strip()
    resources = Resource.objects.for_owner(owner)
    pk = ref_id(text)
    if pk is None:
        found = resources.filter(url=clean_url(text)).first()
    else:
        found = resources.filter(pk=pk).first() if parse_id(pk) is not None else None
    if found is None:
        raise NotFound(field, f"no saved link {text!r}")
    return found


def list_resources(owner: User) -> QuerySet[Resource]:
    """The saved links, newest first, with who got each (fetched in two more queries)."""
    return (
        Resource.objects.for_owner(owner)
        .order_by("-created_at", "-id")
        .prefetch_related(Prefetch("shares", Share.objects.select_related("person").order_by("shared_at", "id")))
    )


@transaction.atomic
def share_resource(
    owner: User,
    resource: Resource,
    people: Sequence[Person],
    *,
    message: str | None = None,
    now: datetime | None = None,
) -> list[Share]:
    """Send a saved link to each of ``people``: a share with its drafted message (or ``message``,
    where "{name}" becomes each one's name) and a give of kind resource, counted as a touch.
    Sending it twice to one person is refused, and then nobody is sent anything."""
    now = now or clock.now()
    require_owned(owner, resource, field="URL", message="no such link")
    require_owned(owner, *people, field="person", message="no such person")
    unique = list({p.pk: p for p in people}.values())
    if not unique:
        raise BadInput("to", "choose at least one person to send it to")
    custom = (message or "").strip()
    if len(custom) > MAX_MESSAGE:
        raise BadInput("message", f"must be at most {MAX_MESSAGE} characters")
    tz = get_profile(owner).tz
    already = {
        s.person_id: s
        for s in Share.objects.for_owner(owner).filter(resource=resource, person_id__in=[p.pk for p in unique])
    }
    if already:
        sent = "; ".join(
            f"{p.full_name} on {already[p.pk].shared_at.astimezone(tz):%-d %b %Y}" for p in unique if p.pk in already
        )
        raise BadInput("to", f"already sent to {sent}; nothing was sent")
    reasons = match_reasons(owner, resource.topics, [p.pk for p in unique])
    label = resource.title or resource.url
    shares = []
    for person in unique:
        text = (
            custom.replace("{name}", person.short_name)
            if custom
            else draft_share_message(person, resource, reasons.get(person.pk))
        )
        exchange = record_exchange(
            owner, person, Exchange.Direction.GAVE, f"Shared: {label}"[:MAX_WHAT], kind=Kind.RESOURCE, now=now
        )
        shares.append(
            Share.objects.create(
                owner=owner, resource=resource, person=person, exchange=exchange, message=text, shared_at=now
            )
        )
    return shares


@transaction.atomic
def save_and_share_resource(
    owner: User,
    url: str,
    people: Sequence[Person],
    *,
    title: str = "",
    topics: Sequence[str] = (),
    message: str | None = None,
    now: datetime | None = None,
) -> tuple[Resource, bool, list[Share]]:
    """Save a link and send it to ``people`` at once (`kithkin share URL --to PERSON`), all or
    nothing: a refused send leaves no link saved. No topic is needed, as the user chose whom.
    Returns the link, whether it is new, and the shares."""
    resource, created = save_resource(owner, url, title=title, topics=topics, require_topics=False, now=now)
    return resource, created, share_resource(owner, resource, people, message=message, now=now)
