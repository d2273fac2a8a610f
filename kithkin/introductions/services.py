"""Double opt-in introductions: the only code that creates and moves them.

The user asks A whether they want the introduction, and only when A agrees asks B; only when
both agree does the user introduce them. Each step that waits for someone's answer leaves a
follow-up ("Nudge Ana: no answer yet about meeting Bo", 5 days later), closed by the answer or a
drop; introducing them leaves one for each of the two ("Ask Ana how meeting Bo went", 14 days
later), closed by the outcome. Both ask the user, so both get the nudge: either may be the one
who says how it went, and asking both is how a connector learns whether the match was good.
A completed introduction is a give (kind intro) to each of the two, recorded once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from kithkin.accounts.models import Profile
from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.choices import parse_choice
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.refs import by_id, ref_id
from kithkin.core.shortcuts import require_owned
from kithkin.exchanges.models import Exchange, Kind
from kithkin.exchanges.services import record_exchange
from kithkin.followups.causes import close_follow_ups, ensure_follow_up
from kithkin.followups.models import FollowUp
from kithkin.introductions import drafts
from kithkin.introductions.models import DeclinedMatch, Introduction
from kithkin.people.models import Person

State = Introduction.State

NUDGE_AFTER = timedelta(days=5)
HOW_DID_IT_GO_AFTER = timedelta(days=14)
MAX_WHY = 1000
MAX_TEXT = 2000

ACTIONS = ("ask-a", "a-yes", "a-no", "ask-b", "b-yes", "b-no", "introduce", "outcome", "drop")
# What may come next in each open state; the other states are closed.
NEXT: dict[str, tuple[str, ...]] = {
    State.PROPOSED: ("ask-a", "drop"),
    State.ASKED_A: ("a-yes", "a-no", "drop"),
    State.A_AGREED: ("ask-b", "drop"),
    State.ASKED_B: ("b-yes", "b-no", "drop"),
    State.B_AGREED: ("introduce", "drop"),
    State.INTRODUCED: ("outcome", "drop"),
}
OPEN_STATES = tuple(NEXT)
CLOSED_STATES = tuple(s for s in State if s not in NEXT)
# Open states where the next move is the user's, not an answer they wait for.
YOUR_MOVE = (State.PROPOSED, State.A_AGREED, State.B_AGREED)
WAITING = (State.ASKED_A, State.ASKED_B)
# Actions that take a note: the outcome must have one; a refusal or a drop may say why.
NOTE_ACTIONS = ("outcome", "a-no", "b-no", "drop")
# The state each action leads to.
LEADS_TO = {
    "ask-a": State.ASKED_A,
    "a-yes": State.A_AGREED,
    "a-no": State.A_DECLINED,
    "ask-b": State.ASKED_B,
    "b-yes": State.B_AGREED,
    "b-no": State.B_DECLINED,
    "introduce": State.INTRODUCED,
    "outcome": State.DONE,
    "drop": State.DROPPED,
}


@dataclass
class Step:
    """What a step did: the introduction as it now is, the follow-ups it set, how many it
    closed, and the gives it recorded."""

    introduction: Introduction
    follow_ups: list[FollowUp] = field(default_factory=list)
    closed: int = 0
    gives: list[Exchange] = field(default_factory=list)


def _clean(text: str, field_name: str, limit: int) -> str:
    cleaned = "\n".join(" ".join(line.split()) for line in text.strip().splitlines()).strip()
    if len(cleaned) > limit:
        raise BadInput(field_name, f"must be at most {limit} characters")
    return cleaned


def _describe(intro: Introduction) -> str:
    return f"{intro.person_a.full_name} and {intro.person_b.full_name}"


def open_between(owner: User, a: Person, b: Person) -> Introduction | None:
    """The open introduction between these two, whichever was asked first."""
    pair = Q(person_a=a, person_b=b) | Q(person_a=b, person_b=a)
    return Introduction.objects.for_owner(owner).filter(pair, state__in=OPEN_STATES).first()


@transaction.atomic
def propose_introduction(owner: User, a: Person, b: Person, why: str, *, now: datetime | None = None) -> Introduction:
    """Propose introducing ``a`` (asked first) to ``b``, saying ``why``: the reason goes into
    each message, so each side hears what is in it for them."""
    now = now or clock.now()
    require_owned(owner, a, field="a", message="no such person")
    require_owned(owner, b, field="b", message="no such person")
    if a.pk == b.pk:
        raise BadInput("b", f"choose two different people: {a.full_name} is both")
    reason = _clean(why, "why", MAX_WHY)
    if not reason:
        raise BadInput("why", "say why they should meet: it goes into the message to each of them")
    existing = open_between(owner, a, b)
    if existing is not None:
        raise BadInput(
            "b",
            f"{a.full_name} and {b.full_name} already have an open introduction: "
            f"#{existing.pk}, '{existing.get_state_display()}'",
        )
    return Introduction.objects.create(owner=owner, person_a=a, person_b=b, why=reason, created_at=now, updated_at=now)


def pair_key(a: int, b: int) -> tuple[int, int]:
    """Two people as an unordered pair: the smaller id first."""
    return (a, b) if a < b else (b, a)


def introduced_pairs(owner: User) -> set[tuple[int, int]]:
    """Every pair the user has proposed introducing, in any state, as ``pair_key``s."""
    rows = Introduction.objects.for_owner(owner).order_by().values_list("person_a_id", "person_b_id")
    return {pair_key(a, b) for a, b in rows}


def declined_pairs(owner: User) -> set[tuple[int, int]]:
    """Every pair the user said is not a good match, as ``pair_key``s."""
    return set(DeclinedMatch.objects.for_owner(owner).order_by().values_list("first_id", "second_id"))


@transaction.atomic
def decline_match(owner: User, a: Person, b: Person, *, now: datetime | None = None) -> DeclinedMatch:
    """Say ``a`` and ``b`` are not a good match: the pair is never suggested again. Saying it
    twice keeps the first."""
    require_owned(owner, a, field="a", message="no such person")
    require_owned(owner, b, field="b", message="no such person")
    if a.pk == b.pk:
        raise BadInput("b", f"choose two different people: {a.full_name} is both")
    first, second = pair_key(a.pk, b.pk)
    found, _created = DeclinedMatch.objects.for_owner(owner).get_or_create(
        owner=owner, first_id=first, second_id=second, defaults={"created_at": now or clock.now()}
    )
    return found


def parse_action(text: str) -> str:
    """An action as typed: "ask-a", "ask_a", "Ask A" all mean ask-a."""
    wanted = "-".join(text.lower().replace("_", " ").replace("-", " ").split())
    if wanted not in ACTIONS:
        raise BadInput("action", f"unknown action {text!r}; choose one of {', '.join(ACTIONS)}")
    return wanted


def allowed_actions(intro: Introduction) -> tuple[str, ...]:
    return NEXT.get(intro.state, ())


def _or_list(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def refusal(intro: Introduction) -> str:
    """Why a step cannot happen now, and what can: "introduction #4 is 'asked A': next is
    a-yes, a-no or drop"."""
    allowed = allowed_actions(intro)
    where = f"introduction #{intro.pk} is '{intro.get_state_display()}'"
    if not allowed:
        return f"{where}: it is closed, nothing comes next"
    return f"{where}: next is {_or_list(allowed)}"


@transaction.atomic
def step_introduction(
    owner: User, intro: Introduction, action: str, *, text: str = "", now: datetime | None = None
) -> Step:
    """Move an introduction one step (see ``NEXT``), with the follow-ups and gives that step
    makes. ``text`` is the outcome ("Bo hired Ana"), or why A or B declined or it was dropped.
    ``intro`` is updated too."""
    now = now or clock.now()
    require_owned(owner, intro, field="id", message="no such introduction")
    # Locked, so two clicks on "introduce" never record the gives twice.
    fresh = Introduction.objects.select_for_update().select_related("person_a", "person_b").get(pk=intro.pk)
    name = parse_action(action)
    note = _checked_note(fresh, name, text)
    fresh.state = LEADS_TO[name]
    fresh.updated_at = now
    if note:
        fresh.outcome = note
    step = _take_step(owner, fresh, name, now)
    fresh.save()
    # The caller's copy follows, so code holding it sees the step taken.
    for column in Introduction._meta.concrete_fields:
        setattr(intro, column.attname, getattr(fresh, column.attname))
    return step


def _checked_note(intro: Introduction, name: str, text: str) -> str:
    """The step's note, once the step is known to be allowed now and to take the note it has."""
    if name not in allowed_actions(intro):
        raise BadInput("action", refusal(intro))
    note = _clean(text, "text", MAX_TEXT)
    if name == "outcome" and not note:
        raise BadInput("text", "say how it went: the outcome is what you learn from an introduction")
    if note and name not in NOTE_ACTIONS:
        raise BadInput("text", f"{name} takes no text; only outcome, a-no, b-no and drop do")
    return note


def _take_step(owner: User, intro: Introduction, name: str, now: datetime) -> Step:
    """The step's time stamp, and the follow-ups and gives it makes or closes."""
    a, b = intro.person_a, intro.person_b
    step = Step(intro)
    if name == "ask-a":
        intro.asked_a_at = now
        step.follow_ups.append(_nudge(owner, intro, a, b, "ask-a", now))
    elif name in ("a-yes", "a-no"):
        intro.a_answered_at = now
        step.closed = close_follow_ups(owner, intro, keys=("ask-a",), now=now)
    elif name == "ask-b":
        intro.asked_b_at = now
        step.follow_ups.append(_nudge(owner, intro, b, a, "ask-b", now))
    elif name in ("b-yes", "b-no"):
        intro.b_answered_at = now
        step.closed = close_follow_ups(owner, intro, keys=("ask-b",), now=now)
    elif name == "introduce":
        intro.introduced_at = now
        step.follow_ups = [_how_did_it_go(owner, intro, person, other, now) for person, other in ((a, b), (b, a))]
        step.gives = _record_gives(owner, intro, now)
    elif name == "outcome":
        intro.outcome_at = now
        step.closed = close_follow_ups(owner, intro, keys=("introduce",), now=now)
    else:  # drop: whatever was waiting will not happen
        intro.dropped_at = now
        step.closed = close_follow_ups(owner, intro, status=FollowUp.Status.SKIPPED, now=now)
    return step


def _how_did_it_go(owner: User, intro: Introduction, person: Person, other: Person, now: datetime) -> FollowUp:
    return ensure_follow_up(
        owner,
        person,
        FollowUp.Kind.INTRODUCTION,
        intro,
        key="introduce",
        due_at=now + HOW_DID_IT_GO_AFTER,
        reason=f"Ask {person.short_name} how meeting {other.short_name} went",
        now=now,
    )


def _nudge(owner: User, intro: Introduction, person: Person, other: Person, step: str, now: datetime) -> FollowUp:
    return ensure_follow_up(
        owner,
        person,
        FollowUp.Kind.INTRODUCTION,
        intro,
        key=step,
        due_at=now + NUDGE_AFTER,
        reason=f"Nudge {person.short_name}: no answer yet about meeting {other.short_name}",
        now=now,
    )


def _record_gives(owner: User, intro: Introduction, now: datetime) -> list[Exchange]:
    """The introduction as a give to each side, once: a second call finds them recorded."""
    done = set(
        Exchange.objects.for_owner(owner)
        .filter(introduction=intro, direction=Exchange.Direction.GAVE)
        .values_list("person_id", flat=True)
    )
    gives = []
    for person, other in ((intro.person_a, intro.person_b), (intro.person_b, intro.person_a)):
        if person.pk not in done:
            gives.append(
                record_exchange(
                    owner,
                    person,
                    Exchange.Direction.GAVE,
                    f"Introduction to {other.full_name}",
                    kind=Kind.INTRO,
                    introduction_id=intro.pk,
                    now=now,
                )
            )
    return gives


# --- drafts -------------------------------------------------------------------------------------

# The message that goes with each open state: the one to send next, or the one just sent.
DRAFT_FOR: dict[str, str] = {
    State.PROPOSED: drafts.Kind.ASK_A,
    State.ASKED_A: drafts.Kind.ASK_A,
    State.A_AGREED: drafts.Kind.ASK_B,
    State.ASKED_B: drafts.Kind.ASK_B,
    State.B_AGREED: drafts.Kind.INTRODUCE,
    State.INTRODUCED: drafts.Kind.INTRODUCE,
}


def _first_email(person: Person) -> str:
    # The page or command loads emails with the person when it can; else one small query.
    emails = sorted(person.emails.all(), key=lambda e: e.pk)
    return emails[0].address if emails else ""


def _values(owner: User, intro: Introduction) -> dict[str, str]:
    values = {"why": drafts.sentence(intro.why), "me": owner.get_full_name()}
    for key, person in (("a", intro.person_a), ("b", intro.person_b)):
        org = person.organization.name if person.organization else ""
        values |= {
            key: person.full_name,
            f"{key}_first": person.short_name,
            f"{key}_title": person.title,
            f"{key}_org": org,
            f"{key}_who": drafts.who(person.full_name, person.title, org),
            f"{key}_email": _first_email(person),
        }
    return values


def draft_message(owner: User, intro: Introduction, kind: str, *, profile: Profile | None = None) -> drafts.Draft:
    """One of the three messages of ``intro``, from the user's template or Kithkin's."""
    values = _values(owner, intro)
    profile = profile or get_profile(owner)
    template = getattr(profile, drafts.PROFILE_FIELDS[kind])
    keys = {drafts.Kind.ASK_A: ["a"], drafts.Kind.ASK_B: ["b"], drafts.Kind.INTRODUCE: ["a", "b"]}[kind]
    to = [values[f"{key}_email"] for key in keys if values[f"{key}_email"]]
    missing = [values[key] for key in keys if not values[f"{key}_email"]]
    return drafts.render(kind, template, values, to=to, missing=missing)


def current_draft(owner: User, intro: Introduction) -> drafts.Draft | None:
    """The message that goes with where the introduction is; None once it is closed."""
    kind = DRAFT_FOR.get(intro.state)
    return draft_message(owner, intro, kind) if kind else None


@transaction.atomic
def set_intro_templates(
    owner: User, *, ask_a: str | None = None, ask_b: str | None = None, introduce: str | None = None
) -> Profile:
    """Change the wording of the three messages. A template equal to Kithkin's wording, or
    empty, is stored empty: it then follows Kithkin's wording as that improves."""
    profile = get_profile(owner)
    changes = {}
    for kind, text in ((drafts.Kind.ASK_A, ask_a), (drafts.Kind.ASK_B, ask_b), (drafts.Kind.INTRODUCE, introduce)):
        if text is None:
            continue
        name = drafts.PROFILE_FIELDS[kind]
        checked = drafts.check_template(text, name)
        changes[name] = "" if checked == drafts.DEFAULTS[kind] else checked
    for name, value in changes.items():
        setattr(profile, name, value)
    if changes:
        profile.save(update_fields=list(changes))
    return profile


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    what: str


def history(intro: Introduction) -> list[HistoryLine]:
    """The steps taken so far, oldest first, from the moments the introduction keeps."""
    a, b = intro.person_a.short_name, intro.person_b.short_name
    a_said = "declined" if intro.state == State.A_DECLINED else "agreed"
    b_said = "declined" if intro.state == State.B_DECLINED else "agreed"
    lines = [
        (intro.created_at, "Proposed"),
        (intro.asked_a_at, f"Asked {a}"),
        (intro.a_answered_at, f"{a} {a_said}"),
        (intro.asked_b_at, f"Asked {b}"),
        (intro.b_answered_at, f"{b} {b_said}"),
        (intro.introduced_at, f"Introduced {a} and {b}"),
        (intro.outcome_at, "Outcome recorded"),
        (intro.dropped_at, "Dropped"),
    ]
    return [HistoryLine(at, what) for at, what in lines if at is not None]


def next_step(intro: Introduction) -> str:
    """What happens next, as a person would say it ("Ask Bo whether they'd like to meet Ana")."""
    a, b = intro.person_a.short_name, intro.person_b.short_name
    return {
        State.PROPOSED: f"Ask {a} whether they would like to meet {b}",
        State.ASKED_A: f"Waiting for {a}'s answer",
        State.A_AGREED: f"Ask {b} whether they would like to meet {a}",
        State.ASKED_B: f"Waiting for {b}'s answer",
        State.B_AGREED: f"Introduce {a} and {b} by email",
        State.INTRODUCED: f"Ask {a} and {b} how it went, then record the outcome",
        State.DONE: "Done",
        State.A_DECLINED: f"{a} declined: nothing was asked of {b}",
        State.B_DECLINED: f"{b} declined",
        State.DROPPED: "Dropped",
    }[State(intro.state)]


def action_label(intro: Introduction, action: str) -> str:
    """A step as a button says it: "I asked Ana", "Bo said yes"."""
    a, b = intro.person_a.short_name, intro.person_b.short_name
    return {
        "ask-a": f"I asked {a}",
        "a-yes": f"{a} said yes",
        "a-no": f"{a} said no",
        "ask-b": f"I asked {b}",
        "b-yes": f"{b} said yes",
        "b-no": f"{b} said no",
        "introduce": "I sent the introduction",
        "outcome": "Record the outcome",
        "drop": "Drop",
    }[action]


def introductions(owner: User) -> QuerySet[Introduction]:
    """The owner's introductions with both people, most recently moved first."""
    return Introduction.objects.for_owner(owner).select_related(
        "person_a", "person_b", "person_a__organization", "person_b__organization"
    )


def find_introduction(owner: User, ref: str | int, field: str = "id") -> Introduction:
    """One of the owner's introductions by id ("4" or "#4"), with both people."""
    pk = ref_id(ref)
    if pk is None:
        raise NotFound(field, f"expected an introduction's id, like 4 or #4, got {ref!r}")
    return by_id(introductions(owner), pk, field=field, noun="introduction")


def parse_state(text: str) -> tuple[str, ...]:
    """The states a filter names: one state ("asked A", "asked_a"), or "open" or "closed"."""
    key = text.strip().lower()
    if key == "open":
        return OPEN_STATES
    if key == "closed":
        return CLOSED_STATES
    try:
        return (parse_choice(State, text, "state"),)
    except BadInput:
        states = ", ".join(["open", "closed", *State.values])
        raise BadInput("state", f"unknown state {text!r}; choose one of {states}") from None


def state_counts(owner: User) -> dict[str, int]:
    rows = Introduction.objects.for_owner(owner).order_by().values_list("state").annotate(n=Count("id"))
    return dict(rows)


def involving(owner: User, person: Person) -> QuerySet[Introduction]:
    """The introductions ``person`` is part of, on either side."""
    return introductions(owner).filter(Q(person_a=person) | Q(person_b=person))


def open_follow_ups(owner: User, intro: Introduction) -> list[FollowUp]:
    return list(FollowUp.objects.for_owner(owner).pending().caused_by(intro).select_related("person", "touch"))
