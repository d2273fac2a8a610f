"""The opener that revives a quiet tie, written from what Kithkin knows of it.

``opener(facts, now)`` is pure: one sentence for each thing that is known (the last time you met
and where, advice they gave and whether you told them how it went, a recent milestone, an
interest and something you saved that matches it), then a suggestion. After a long silence (over
six months, or four times their usual interval) it suggests meeting: a coffee when you used to
meet in person, else a call; otherwise a short message is enough. ``opener_facts`` gathers the
facts of a few people in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from django.contrib.auth.models import User

from kithkin.accounts.services import get_profile
from kithkin.events.models import EventMet
from kithkin.exchanges.models import Resource, Share
from kithkin.followups.models import FollowUp
from kithkin.interactions.models import TouchParticipant
from kithkin.people.models import Interest, Milestone, Person

LONG_SILENCE_DAYS = 182.0
LONG_SILENCE_FACTOR = 4.0
MILESTONE_RECENT = timedelta(days=365)
# Resources looked through for one that matches an interest: the most recently saved.
RESOURCES_LOOKED_AT = 500
IN_PERSON = frozenset({"coffee", "meal", "meeting", "social", "informational_interview", "event"})

COFFEE, CALL, MESSAGE = "coffee", "call", "message"
SUGGESTION_WORDS = {COFFEE: "suggest a coffee", CALL: "suggest a call", MESSAGE: "send a short message"}

# (one, several) for "our ..." sentences; kinds absent here are told as "since we were last in touch".
_TOUCH_WORDS: dict[str, tuple[str, str]] = {
    "coffee": ("coffee", "coffees"),
    "meal": ("lunch", "lunches"),
    "informational_interview": ("conversation", "conversations"),
    "meeting": ("meeting", "meetings"),
    "social": ("time together", "get-togethers"),
    "video": ("video call", "video calls"),
    "call": ("call", "calls"),
    "event": ("chat", "chats"),
}


@dataclass(frozen=True)
class LastTouch:
    kind: str
    at: datetime  # in the user's time zone
    same_kind: int  # how many touches of this kind you had with them
    event: str = ""  # the event it was at, if any


@dataclass(frozen=True)
class Facts:
    """What an opener may mention; each empty field leaves its sentence out."""

    first_name: str
    last_touch: LastTouch | None = None
    met_in_person: bool = False
    advice: str = ""
    advice_loop_closed: bool = False
    milestone: str = ""
    interest: str = ""
    resource_title: str = ""
    resource_url: str = ""
    silence_days: float | None = None
    usual_days: float = 90.0


def when_phrase(at: datetime, now: datetime) -> str:
    """ "in March" within the last eleven months, else "in March 2024"."""
    if now - at < timedelta(days=330):
        return f"in {at:%B}"
    return f"in {at:%B %Y}"


def touch_sentence(last: LastTouch | None, now: datetime) -> str:
    """ "It's been a while since our coffee at the Fintech Breakfast in March." """
    if last is None:
        return "It's been a long time since we were in touch."
    when = when_phrase(last.at, now)
    words = _TOUCH_WORDS.get(last.kind)
    at_event = f" at {last.event}" if last.event else ""
    if words is None:
        return f"It's been a while since we were last in touch{at_event}, {when}."
    one, several = words
    if last.same_kind >= 3 and not last.event:
        return f"I miss our {several}: it's been a while since the last one, {when}."
    return f"It's been a while since our {one}{at_event} {when}."


def _clause(text: str) -> str:
    return text.strip().rstrip(".!?")


def advice_sentence(advice: str, loop_closed: bool) -> str:
    if not advice.strip():
        return ""
    if loop_closed:
        return f"Your advice ({_clause(advice)}) stayed with me, and I'm still grateful for it."
    return f"I've been thinking about your advice ({_clause(advice)}), and I'd love to tell you how it went."


def milestone_sentence(milestone: str) -> str:
    return f"I saw the news ({_clause(milestone)}): congratulations!" if milestone.strip() else ""


def interest_sentence(interest: str, title: str, url: str) -> str:
    if not interest.strip():
        return ""
    if url:
        name = f"“{title}”" if title else "this"
        return f"I came across {name} and thought of you and your interest in {interest}: {url}"
    return f"I'd love to hear what you're up to in {interest} these days."


def is_long_silence(silence_days: float | None, usual_days: float) -> bool:
    if silence_days is None:
        return True
    return silence_days > LONG_SILENCE_DAYS or silence_days > LONG_SILENCE_FACTOR * usual_days


def suggestion_for(facts: Facts) -> str:
    """After a long silence a meeting (a coffee if you used to meet, else a call), otherwise a message."""
    if not is_long_silence(facts.silence_days, facts.usual_days):
        return MESSAGE
    return COFFEE if facts.met_in_person else CALL


_CLOSING = {
    COFFEE: "Would you be up for a coffee in the next few weeks? It would be good to catch up properly.",
    CALL: "Would you have time for a call in the next few weeks? It would be good to catch up properly.",
    MESSAGE: "No need for a long reply: I'd just love to hear how you are.",
}


def paragraph(facts: Facts, now: datetime) -> str:
    """What Kithkin knows of the two of you, in a few sentences: the opener without greeting or
    closing (the rekindle template wraps it)."""
    sentences = [
        touch_sentence(facts.last_touch, now),
        advice_sentence(facts.advice, facts.advice_loop_closed),
        milestone_sentence(facts.milestone),
        interest_sentence(facts.interest, facts.resource_title, facts.resource_url),
    ]
    return " ".join(s for s in sentences if s)


def closing(facts: Facts) -> str:
    """The sentence that asks for what comes next: a coffee or a call after a long silence."""
    return _CLOSING[suggestion_for(facts)]


def opener(facts: Facts, now: datetime) -> str:
    """The message's body, greeting to suggestion, without a signature."""
    body = " ".join(part for part in (paragraph(facts, now), closing(facts)) if part)
    return f"Hi {facts.first_name},\n\n{body}"


# --- gathering the facts -------------------------------------------------------------------------


@dataclass
class _Found:
    last: dict[int, LastTouch]
    in_person: set[int]
    advice: dict[int, tuple[str, bool]]
    milestone: dict[int, str]
    interest: dict[int, tuple[str, str, str]]


def _touches(owner: User, ids: list[int], tz: tzinfo) -> tuple[dict[int, LastTouch], set[int]]:
    rows = (
        TouchParticipant.objects.for_owner(owner)
        .filter(person_id__in=ids)
        .order_by("person_id", "-happened_at", "-touch_id")
        .values_list("person_id", "touch_id", "touch__kind", "happened_at")
    )
    last: dict[int, tuple[int, str, datetime]] = {}
    kinds: dict[int, list[str]] = defaultdict(list)
    for person_id, touch_id, kind, at in rows:
        last.setdefault(person_id, (touch_id, kind, at))
        kinds[person_id].append(kind)
    events = dict(
        EventMet.objects.for_owner(owner)
        .filter(touch_id__in=[t for t, _k, _a in last.values()])
        .values_list("touch_id", "event__name")
    )
    found = {
        pk: LastTouch(kind, at.astimezone(tz), kinds[pk].count(kind), events.get(touch_id, ""))
        for pk, (touch_id, kind, at) in last.items()
    }
    return found, {pk for pk, mine in kinds.items() if IN_PERSON.intersection(mine)}


def _advice(owner: User, ids: list[int]) -> dict[int, tuple[str, bool]]:
    """The latest advice each gave you, and whether you closed the loop on it."""
    rows = (
        TouchParticipant.objects.for_owner(owner)
        .filter(person_id__in=ids)
        .exclude(touch__advice="")
        .order_by("person_id", "-happened_at", "-touch_id")
        .values_list("person_id", "touch_id", "touch__advice")
    )
    latest: dict[int, tuple[int, str]] = {}
    for person_id, touch_id, advice in rows:
        latest.setdefault(person_id, (touch_id, advice))
    closed = set(
        FollowUp.objects.for_owner(owner)
        .filter(
            touch_id__in=[t for t, _a in latest.values()], kind=FollowUp.Kind.CLOSE_LOOP, status=FollowUp.Status.DONE
        )
        .values_list("touch_id", flat=True)
    )
    return {pk: (advice, touch_id in closed) for pk, (touch_id, advice) in latest.items()}


def _milestones(owner: User, ids: list[int], now: datetime) -> dict[int, str]:
    rows = (
        Milestone.objects.for_owner(owner)
        .filter(person_id__in=ids, happened_on__gte=(now - MILESTONE_RECENT).date(), happened_on__lte=now.date())
        .order_by("person_id", "-happened_on", "-id")
        .values_list("person_id", "text")
    )
    found: dict[int, str] = {}
    for person_id, text in rows:
        found.setdefault(person_id, text)
    return found


def _interests(owner: User, ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """An interest of each, with a saved resource on that topic not yet shared with them
    (the first interest that has one, else their first interest)."""
    interests: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = Interest.objects.for_owner(owner).filter(person_id__in=ids).order_by("person_id", "id")
    for person_id, text, key in rows.values_list("person_id", "text", "key"):
        interests[person_id].append((text, key))
    if not interests:
        return {}
    resources = list(
        Resource.objects.for_owner(owner)
        .order_by("-created_at", "-id")
        .values_list("id", "title", "url", "topics")[:RESOURCES_LOOKED_AT]
    )
    shared = set(
        Share.objects.for_owner(owner).filter(person_id__in=list(interests)).values_list("person_id", "resource_id")
    )
    found: dict[int, tuple[str, str, str]] = {}
    for pk, mine in interests.items():
        found[pk] = (mine[0][0], "", "")
        match = _matching_resource(pk, mine, resources, shared)
        if match:
            found[pk] = match
    return found


def _matching_resource(
    pk: int,
    interests: list[tuple[str, str]],
    resources: list[tuple[int, str, str, list[str]]],
    shared: set[tuple[int, int]],
) -> tuple[str, str, str] | None:
    for text, key in interests:
        for resource_id, title, url, topics in resources:
            if (pk, resource_id) not in shared and key in {str(t).strip().lower() for t in topics or []}:
                return text, title, url
    return None


def opener_facts(
    owner: User, people: Sequence[Person], silence: dict[int, tuple[float | None, float]], *, now: datetime
) -> dict[int, Facts]:
    """The facts of each of a few ``people`` (``silence``: each one's days of silence and usual
    interval), in a fixed number of queries."""
    ids = [p.pk for p in people]
    if not ids:
        return {}
    tz = get_profile(owner).tz
    last, in_person = _touches(owner, ids, tz)
    found = _Found(last, in_person, _advice(owner, ids), _milestones(owner, ids, now), _interests(owner, ids))
    return {p.pk: _facts_of(p, found, silence.get(p.pk, (None, 90.0))) for p in people}


def _facts_of(person: Person, found: _Found, silence: tuple[float | None, float]) -> Facts:
    advice, closed = found.advice.get(person.pk, ("", False))
    interest, title, url = found.interest.get(person.pk, ("", "", ""))
    return Facts(
        first_name=person.short_name,
        last_touch=found.last.get(person.pk),
        met_in_person=person.pk in found.in_person,
        advice=advice,
        advice_loop_closed=closed,
        milestone=found.milestone.get(person.pk, ""),
        interest=interest,
        resource_title=title,
        resource_url=url,
        silence_days=silence[0],
        usual_days=silence[1],
    )
