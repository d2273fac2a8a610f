"""Who could use what: people a saved link could help, and what the user could give a person.

Both read the indexed keys of interests, needs and offers, and the folded search text people
already have, so that they stay quick at 30,000 people: a topic is looked up in the interest
index, never compared with every interest in turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django.contrib.auth.models import User
from django.db.models import Case, F, IntegerField, Q, Value, When

from kithkin.core.choices import Closeness
from kithkin.exchanges.models import Resource, Share
from kithkin.lib.search import fold
from kithkin.people.models import Interest, Need, Offer, Person

CHUNK = 500
# How much closeness counts when ranking people (a closer tie is a better person to help).
CLOSENESS_WEIGHT: dict[str, float] = {
    Closeness.INNER: 3.0,
    Closeness.CLOSE: 2.5,
    Closeness.ACTIVE: 2.0,
    Closeness.WIDER: 1.0,
    Closeness.ACQUAINTANCE: 0.5,
}
CLOSENESS_RANK = Case(
    *(When(closeness=level, then=Value(rank)) for rank, level in enumerate(Closeness.values)),
    default=Value(len(Closeness.values)),
    output_field=IntegerField(),
)
# Words of a need that say nothing about what would meet it.
STOP_WORDS = frozenset(
    """
    a about after an and any are as at be been being by can could for from get getting good great has have
    having help helps helping her hers him his how i in into introduction introductions intro intros is it
    its just know knows learn learning like look looking looks make me more most my need needed needs new
    next of on one or our out over people person raise raising really role seek seeking some someone
    somebody something than that the their them they this those to up us want wanted wants was way ways
    we what who will with work working would year years you your
    """.split()  # noqa: SIM905  (a paragraph of words reads better than a list of 120 strings)
)
# People considered for one need before ranking (closest first): enough to rank well, few enough
# to stay quick whatever the size of the network.
NEED_POOL = 300


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w+#-]+", fold(text)) if w]


def stem(word: str) -> str:
    """A word without its plural ending, so "designers" finds a "Designer"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def need_words(text: str) -> list[str]:
    """The words of a need worth matching ("hiring a senior designer" → senior, designer)."""
    found: dict[str, None] = {}
    for word in _words(text):
        if word in STOP_WORDS or len(word) < 2 or word.isdigit():
            continue
        found[stem(word)] = None
    return list(found)


def topic_keys(topic: str) -> set[str]:
    """The interest keys a topic stands for: as typed and folded, singular and plural."""
    keys: set[str] = set()
    for base in {" ".join(topic.lower().split()), fold(topic)}:
        if not base:
            continue
        keys.add(base)
        if base.endswith("s") and len(base) > 3:
            keys.add(base[:-1])
        else:
            keys.add(base + "s")
    return keys


def _mentions(text: str, word: str) -> bool:
    """Whether a folded ``text`` has a word starting with ``word`` ("design" in "product designer")."""
    return re.search(rf"(?<!\w){re.escape(word)}", text) is not None


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- who a link could help ------------------------------------------------------------------------


@dataclass
class Reason:
    """Why a link fits a person: their interests and needs that its topics match."""

    interests: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = []
        if self.interests:
            parts.append(f"interested in {_and(self.interests)}")
        if self.needs:
            parts.append(f"needs {_and(self.needs)}")
        return "; ".join(parts)

    @property
    def hits(self) -> int:
        return len(self.interests) + len(self.needs)


@dataclass
class Candidate:
    person: Person
    reason: Reason
    score: float

    @property
    def why(self) -> str:
        return self.reason.describe()


def match_reasons(owner: User, topics: Sequence[str], person_ids: Iterable[int] | None = None) -> dict[int, Reason]:
    """For each person whose interests or needs match a topic, which ones (``person_ids`` narrows
    it to some people). Interests are matched through their index; needs, free text, by word."""
    keys = set().union(*(topic_keys(t) for t in topics)) if topics else set()
    # A need is matched by word start, on the singular: "marathons" finds "marathon shoes".
    words = [w for w in (" ".join(stem(part) for part in fold(t).split()) for t in topics) if w]
    if not keys:
        return {}
    ids = None if person_ids is None else list(person_ids)
    reasons: dict[int, Reason] = {}
    interests = Interest.objects.for_owner(owner).filter(key__in=sorted(keys))
    # A need names a topic inside a sentence: narrow by substring (needs are few), then by word.
    needs = Need.objects.for_owner(owner).filter(reduce(or_, (Q(key__contains=w) for w in words)))
    if ids is not None:
        interests, needs = interests.filter(person_id__in=ids), needs.filter(person_id__in=ids)
    for person_id, text in interests.values_list("person_id", "text"):
        reasons.setdefault(person_id, Reason()).interests.append(text)
    for person_id, text in needs.values_list("person_id", "text"):
        folded = fold(text)
        if any(_mentions(folded, w) for w in words):
            reasons.setdefault(person_id, Reason()).needs.append(text)
    return reasons


def _staleness(last_touch_at: datetime | None, now: datetime) -> float:
    """Sending a link is a good reason to get back in touch: the longer since, the more it helps."""
    if last_touch_at is None:
        return 0.5
    days = (now - last_touch_at).days
    if days >= 90:
        return 1.5
    if days >= 30:
        return 1.0
    if days >= 7:
        return 0.5
    return 0.0


def candidates_for(
    owner: User, topics: Sequence[str], now: datetime, *, exclude: Iterable[int] = (), limit: int = 20
) -> list[Candidate]:
    """The people a link on ``topics`` could help, best first: needs count most, then interests,
    then how close they are and how long since the last touch. People you want to meet and the
    people in ``exclude`` (those who have it already) are left out."""
    reasons = match_reasons(owner, topics)
    skip = set(exclude)
    ids = [pk for pk in reasons if pk not in skip]
    scored: list[tuple[float, int]] = []
    for start in range(0, len(ids), CHUNK):
        rows = (
            Person.objects.for_owner(owner)
            .in_network()
            .filter(pk__in=ids[start : start + CHUNK])
            .values_list("pk", "closeness", "last_touch_at")
        )
        for pk, closeness, last_touch_at in rows:
            reason = reasons[pk]
            score: float = 3 * len(reason.needs) + 2 * len(reason.interests)
            score += CLOSENESS_WEIGHT.get(closeness, 0) + _staleness(last_touch_at, now)
            scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[:limit]
    people = Person.objects.for_owner(owner).select_related("organization").in_bulk([pk for _s, pk in best])
    return [Candidate(people[pk], reasons[pk], score) for score, pk in best if pk in people]


def draft_share_message(person: Person, resource: Resource, reason: Reason | None) -> str:
    """ "Hi Ana, I saw this and thought of your work on fintech: Pricing guide https://…"."""
    link = f"{resource.title} {resource.url}" if resource.title else resource.url
    if reason is not None and reason.interests:
        return f"Hi {person.short_name}, I saw this and thought of your work on {_and(reason.interests[:2])}: {link}"
    if reason is not None and reason.needs:
        return f"Hi {person.short_name}, I saw this and thought of you (you mentioned {reason.needs[0]}): {link}"
    return f"Hi {person.short_name}, I saw this and thought of you: {link}"


def need_sentence(name: str, need: str) -> str:
    """ "Bo needs a senior designer", "Bo is hiring a designer": needs are written "a senior
    designer", "hiring a designer", "need a designer" or "needs a designer"."""
    first, _space, rest = need.partition(" ")
    word = fold(first)
    if word in {"needs", "wants", "is", "has", "looks", "seeks"}:
        return f"{name} {need}"
    if word in {"need", "want", "look", "seek"} and rest:
        return f"{name} {first}s {rest}"
    if word.endswith("ing"):
        return f"{name} is {need}"
    return f"{name} needs {need}"


# --- what to give a person ------------------------------------------------------------------------


@dataclass
class Helper:
    person: Person
    offer: str = ""  # the offer of theirs that matches, if any

    @property
    def role(self) -> str:
        org = self.person.organization.name if self.person.organization_id and self.person.organization else ""
        return " at ".join(x for x in (self.person.title, org) if x)


@dataclass
class NeedIdea:
    """A need of the person and the people the user knows who might meet it."""

    need: str
    helpers: list[Helper]
    count: int
    is_more: bool = False  # more than ``count`` were found

    def lead(self, person: Person) -> str:
        return need_sentence(person.short_name, self.need)

    def sentence(self, person: Person) -> str:
        """ "Bo needs a senior designer: you know 3 who may help — Carla Diaz (Designer at Globex), …"."""
        if not self.helpers:
            return f"{self.lead(person)}: nobody you know matches yet."
        many = "one" if self.count == 1 else f"{self.count}+" if self.is_more else str(self.count)
        names = ", ".join(
            f"{h.person.full_name} ({h.offer or h.role})" if (h.offer or h.role) else h.person.full_name
            for h in self.helpers
        )
        return f"{self.lead(person)}: you know {many} who may help — {names}"


@dataclass
class ResourceIdea:
    resource: Resource
    topics: list[str]


@dataclass
class GiveIdeas:
    needs: list[NeedIdea]
    resources: list[ResourceIdea]

    def __bool__(self) -> bool:
        return bool(self.needs or self.resources)


def _helpers_for(owner: User, person: Person, need: str, shown: int) -> NeedIdea | None:
    words = need_words(need)
    if not words:
        return None
    head = words[-1]
    offers: dict[int, str] = {}
    for person_id, text in (
        Offer.objects.for_owner(owner)
        .exclude(person=person)
        .filter(reduce(or_, (Q(key__contains=w) for w in words)))
        .values_list("person_id", "text")[:NEED_POOL]
    ):
        if any(_mentions(fold(text), w) for w in words):
            offers.setdefault(person_id, text)
    in_text = reduce(or_, (Q(search_text__startswith=w) | Q(search_text__contains=f" {w}") for w in words))
    pool = list(
        Person.objects.for_owner(owner)
        .exclude(pk=person.pk)
        .in_network()
        .filter(in_text | Q(pk__in=list(offers)))
        .annotate(rank=CLOSENESS_RANK)
        .order_by("rank", F("last_touch_at").desc(nulls_last=True), "id")
        .values_list("pk", "search_text", "rank")[:NEED_POOL]
    )
    ranked: list[tuple[int, int, int]] = []
    for order, (pk, text, _rank) in enumerate(pool):
        hit = {w for w in words if _mentions(text, w)} | {
            w for w in words if pk in offers and _mentions(fold(offers[pk]), w)
        }
        # The last word usually names what is needed ("a senior designer"); else two words must match.
        if head in hit or len(hit) >= 2 or (len(words) == 1 and hit):
            ranked.append((-(len(hit) + (2 if pk in offers else 0)), order, pk))
    ranked.sort()
    top = [pk for _hits, _order, pk in ranked[:shown]]
    people = Person.objects.for_owner(owner).select_related("organization").in_bulk(top)
    helpers = [Helper(people[pk], offers.get(pk, "")) for pk in top if pk in people]
    return NeedIdea(need, helpers, len(ranked), is_more=len(pool) >= NEED_POOL)


def give_ideas(owner: User, person: Person, *, needs_shown: int = 3, helpers_shown: int = 3) -> GiveIdeas:
    """What the user could give ``person``: someone they know who meets one of their needs, and
    the saved links (not yet sent to them) whose topics match their interests or needs. A fixed
    number of queries: at most ``needs_shown`` needs are looked at."""
    need_texts = list(Need.objects.for_owner(owner).filter(person=person).values_list("text", flat=True))
    ideas = [idea for need in need_texts[:needs_shown] if (idea := _helpers_for(owner, person, need, helpers_shown))]
    interests = list(Interest.objects.for_owner(owner).filter(person=person).values_list("text", flat=True))
    sent = set(Share.objects.for_owner(owner).filter(person=person).values_list("resource_id", flat=True))
    resources = []
    interest_keys = {fold(i): i for i in interests}
    folded_needs = [fold(n) for n in need_texts]
    for resource in Resource.objects.for_owner(owner).order_by("-created_at", "-id")[:200]:
        if resource.pk in sent:
            continue
        matched = []
        for topic in resource.topics:
            keys = {fold(k) for k in topic_keys(topic)}
            words = " ".join(stem(part) for part in fold(topic).split())
            if keys & set(interest_keys) or any(_mentions(n, words) for n in folded_needs):
                matched.append(topic)
        if matched:
            resources.append(ResourceIdea(resource, matched))
    return GiveIdeas(ideas, resources[:3])
