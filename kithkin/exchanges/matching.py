"""Who could use what: people a saved link could help, and what the user could give a person.

Both read the indexed keys of interests, needs and offers, and the folded search text people
already have, so that they stay quick at 30,000 people: a topic is looked up in the interest
index, never compared with every interest in turn.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import defaultdict
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache, reduce
from operator import or_

from django.contrib.auth.models import User
from django.db.models import Case, IntegerField, Q, Value, When

from kithkin.core import stamps
from kithkin.core.choices import Closeness
from kithkin.exchanges.models import Resource, Share
from kithkin.lib.search import fold
from kithkin.people.models import Interest, Need, Offer, Person

CHUNK = 500
# How long who could meet a need is kept at most (see ``_helpers_for``).
HELPERS_KEPT_SECONDS = 3600
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


# --- one matcher: who a text fits ---------------------------------------------------------------
#
# Every "who could use this" and "who could help with this" reads the same way: the words of a text
# (a need, an offer, a link's topics) are stemmed, and a person fits when their offers, needs,
# interests, title or organization share the text's last word (what is asked for: "a senior
# designer") or two of its words. The rows are read into a ``WordIndex`` (a few rows narrowed by
# the words in SQL for one text, or the whole network at once for ``kithkin suggest``) and
# ``WordIndex.fits`` does the matching, the same for every caller.


class Source(StrEnum):
    """Where a word of a person matched."""

    OFFER = "offer"
    NEED = "need"
    ROLE = "role"
    INTEREST = "interest"
    ORGANIZATION = "organization"


# How much a word matched in each place counts: an offer says they want to help with it.
SOURCE_WEIGHT: dict[str, float] = {
    Source.OFFER: 3.0,
    Source.NEED: 3.0,
    Source.ROLE: 2.0,
    Source.INTEREST: 1.5,
    Source.ORGANIZATION: 1.0,
}
# A few words that stand for one another, by stem: someone hiring meets a recruiter.
SYNONYMS: dict[str, str] = {
    "hiring": "hire",
    "recruit": "hire",
    "resume": "cv",
    "coach": "mentor",
    "advice": "advise",
    "advisor": "advise",
    "adviser": "advise",
    "fundraising": "fund",
    "funding": "fund",
    "investor": "invest",
    "investment": "invest",
    "co-founder": "founder",
    "cofounder": "founder",
}
# Endings taken off a word, longest first, leaving at least four letters: designers, designer
# and design all come to "design"; mentoring and mentor to "mentor".
_ENDINGS = ("ings", "ers", "ing", "ies", "er", "s")


def stem_word(word: str) -> str:
    """A word's stem for matching (twice: engineering → engineer → engine), then its synonym."""
    word = SYNONYMS.get(word, word)
    for _round in range(2):
        for ending in _ENDINGS:
            base = word[: -len(ending)]
            if word.endswith(ending) and len(base) >= 4 and not (ending == "s" and word.endswith("ss")):
                word = base + "y" if ending == "ies" else base
                break
        else:
            break
    return SYNONYMS.get(word, word)


@lru_cache(maxsize=65536)
def stems(text: str) -> tuple[str, ...]:
    """The stems of a text worth matching, in order, once each ("hiring a senior designer" →
    hire, senior, design). Remembered: the network's needs and offers repeat."""
    found: dict[str, None] = {}
    for word in _words(text):
        if word in STOP_WORDS or len(word) < 2 or word.isdigit():
            continue
        found[stem_word(word)] = None
    return tuple(found)


def search_terms(words: Iterable[str]) -> list[str]:
    """What to look for in stored text to find ``words``: each stem and the words that are its synonyms."""
    terms = set(words)
    terms |= {word for word, same in SYNONYMS.items() if same in terms}
    # "company" is stored as "companies" too.
    terms |= {word[:-1] for word in terms if word.endswith("y") and len(word) > 4}
    return sorted(terms)


@dataclass(frozen=True)
class Hit:
    """One of a person's rows that a text matched: an offer, a need, their title..."""

    source: str
    text: str


@dataclass
class Fit:
    """How well a text fits a person: the rows that matched (best first) and a score."""

    person_id: int
    hits: list[Hit]
    score: float

    @property
    def best(self) -> Hit:
        return self.hits[0]

    def texts(self, source: str) -> list[str]:
        return [hit.text for hit in self.hits if hit.source == source]


class WordIndex:
    """Stem → the people whose rows have it, with the row; built from plain rows."""

    def __init__(self) -> None:
        self.postings: dict[str, list[tuple[int, str, str]]] = defaultdict(list)

    def add(self, person_id: int, source: str, text: str) -> None:
        if not text:
            return
        for word in stems(text):
            self.postings[word].append((person_id, source, text))

    def add_rows(
        self,
        source: str,
        rows: Iterable[tuple[int, str]],
        *,
        only: Container[str] | None = None,
        order: dict[int, int] | None = None,
        pool: int | None = None,
    ) -> None:
        """Many people's rows of one source; ``only``: index just these stems (the words of the
        texts that will be looked up). Each distinct text is stemmed once, as rows repeat; with
        ``order`` and ``pool``, only its ``pool`` people first in ``order`` are kept (see ``keep_best``)."""
        by_text: dict[str, list[int]] = defaultdict(list)
        for person_id, text in rows:
            if text:
                by_text[text].append(person_id)
        last = len(order) if order is not None else 0
        for text, people in by_text.items():
            words = [word for word in stems(text) if only is None or word in only]
            if not words:
                continue
            if order is not None and pool is not None and len(people) > pool:
                people = heapq.nsmallest(pool, people, key=lambda pk: order.get(pk, last))
            entries = [(person_id, source, text) for person_id in people]
            for word in words:
                self.postings[word] += entries

    def keep_best(self, order: dict[int, int], pool: int) -> None:
        """Keep for each stem only the ``pool`` people first in ``order`` (person → place, 0 is
        best): a word half the network shares ("engineer") would otherwise cost every text that
        has it a pass over them all."""
        last = len(order)
        for word, rows in self.postings.items():
            if len(rows) > pool:
                self.postings[word] = heapq.nsmallest(pool, rows, key=lambda row: order.get(row[0], last))

    def fits(self, words: Sequence[str], *, exclude: Container[int] = (), rows_ask: bool = False) -> dict[int, Fit]:
        """Everyone the words fit: a person's rows share the text's last word (what a need asks
        for), or two of its words, or its only one; each word counts once, as the best place it
        matched. ``rows_ask``: the rows are the needs (who could use an offer), so it is a row's
        last word that must be shared instead."""
        if not words:
            return {}
        matched: dict[int, dict[str, float]] = {}
        hits: dict[int, dict[Hit, float]] = {}
        for word in dict.fromkeys(words):
            for person_id, source, text in self.postings.get(word, ()):
                if person_id in exclude:
                    continue
                weight = SOURCE_WEIGHT[source]
                mine = matched.setdefault(person_id, {})
                mine[word] = max(mine.get(word, 0.0), weight)
                rows = hits.setdefault(person_id, {})
                hit = Hit(source, text)
                rows[hit] = rows.get(hit, 0.0) + weight
        found = {}
        for person_id, mine in matched.items():
            if len(mine) >= 2 or _asked_for(words, mine, hits[person_id], rows_ask):
                ordered = sorted(hits[person_id].items(), key=lambda item: -item[1])
                found[person_id] = Fit(person_id, [hit for hit, _w in ordered], sum(mine.values()))
        return found


def _asked_for(words: Sequence[str], matched: dict[str, float], hits: dict[Hit, float], rows_ask: bool) -> bool:
    """Whether what is asked for is among the words matched: the text's last word (or its only
    one), or with ``rows_ask`` the last word of one of the rows."""
    if not rows_ask:
        return words[-1] in matched or len(set(words)) == 1
    return any((row := stems(hit.text)) and (row[-1] in matched or len(row) == 1) for hit in hits)


def _contains_any(field_name: str, terms: Sequence[str]) -> Q:
    return reduce(or_, (Q(**{f"{field_name}__contains": term}) for term in terms))


# The rows of a person each source of theirs is read from, beside their title and organization.
ITEM_MODELS: dict[str, type[Interest] | type[Need] | type[Offer]] = {
    Source.OFFER: Offer,
    Source.NEED: Need,
    Source.INTEREST: Interest,
}


def _item_rows(owner: User, source: str, terms: Sequence[str], people: Q) -> Iterable[tuple[int, str]]:
    return (
        ITEM_MODELS[source]
        .objects.for_owner(owner)
        .filter(_contains_any("key", terms), people)
        .order_by()
        .values_list("person_id", "text")
    )


def load_index(
    owner: User, sources: Iterable[str], words: Sequence[str], *, person_ids: Iterable[int] | None = None
) -> WordIndex:
    """The index of the rows of people in the network (not prospects) that may hold one of
    ``words``, from ``sources``: narrowed in SQL by substring, then matched by stem."""
    index = WordIndex()
    terms = search_terms(words)
    if not terms:
        return index
    ids = None if person_ids is None else list(person_ids)
    people = Q(person__is_prospect=False) & (Q() if ids is None else Q(person_id__in=ids))
    wanted = set(sources)
    for source in (Source.OFFER, Source.NEED, Source.INTEREST):
        if source in wanted:
            for person_id, text in _item_rows(owner, source, terms, people):
                index.add(person_id, source, text)
    if wanted & {Source.ROLE, Source.ORGANIZATION}:
        rows = Person.objects.for_owner(owner).in_network().filter(_contains_any("search_text", terms))
        if ids is not None:
            rows = rows.filter(pk__in=ids)
        for pk, title, org in rows.order_by().values_list("pk", "title", "organization__name"):
            if Source.ROLE in wanted:
                index.add(pk, Source.ROLE, title)
            if Source.ORGANIZATION in wanted and org:
                index.add(pk, Source.ORGANIZATION, org)
    return index


def who_fits(
    owner: User,
    text: str,
    sources: Iterable[str],
    *,
    exclude: Container[int] = (),
    person_ids: Iterable[int] | None = None,
    rows_ask: bool = False,
) -> dict[int, Fit]:
    """The people in the network that ``text`` fits, through ``sources`` of theirs: the one
    matcher behind links, offers, needs and the network's suggested introductions
    (``rows_ask``: see ``WordIndex.fits``)."""
    words = stems(text)
    return load_index(owner, sources, words, person_ids=person_ids).fits(words, exclude=exclude, rows_ask=rows_ask)


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


# What of a person a link's topics are matched with.
LINK_SOURCES = (Source.INTEREST, Source.NEED)


@dataclass
class Candidate:
    person: Person
    reason: Reason
    score: float

    @property
    def why(self) -> str:
        return self.reason.describe()


def match_reasons(owner: User, topics: Sequence[str], person_ids: Iterable[int] | None = None) -> dict[int, Reason]:
    """For each person whose interests or needs a topic fits (``who_fits``), which ones
    (``person_ids`` narrows it to some people)."""
    ids = None if person_ids is None else list(person_ids)
    reasons: dict[int, Reason] = {}
    for topic in topics:
        for person_id, fit in who_fits(owner, topic, LINK_SOURCES, person_ids=ids).items():
            reason = reasons.setdefault(person_id, Reason())
            reason.interests += [t for t in fit.texts(Source.INTEREST) if t not in reason.interests]
            reason.needs += [t for t in fit.texts(Source.NEED) if t not in reason.needs]
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


def offer_sentence(name: str, offer: str) -> str:
    """ "Dee offers design reviews", "Dee can review CVs", "Dee is happy to mentor": offers are
    written as a thing, or as what the person does or is glad to do."""
    first = fold(offer.partition(" ")[0])
    if first in {"can", "could", "will", "knows", "has", "gives", "offers", "does", "helps", "mentors", "loves"}:
        return f"{name} {offer}"
    if first in {"happy", "glad", "willing", "able", "keen"}:
        return f"{name} is {offer}"
    return f"{name} offers {offer}"


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

    def lead(self, person: Person) -> str:
        return need_sentence(person.short_name, self.need)

    def sentence(self, person: Person) -> str:
        """ "Bo needs a senior designer: you know 3 who may help — Carla Diaz (Designer at Globex), …"."""
        if not self.helpers:
            return f"{self.lead(person)}: nobody you know matches yet."
        many = "one" if self.count == 1 else str(self.count)
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


# What of a person is matched with someone's need: what they offer, do, care about, where they work.
HELPER_SOURCES = (Source.OFFER, Source.ROLE, Source.INTEREST, Source.ORGANIZATION)
# What of a person is matched with someone's offer: what they need, and what they care about.
USER_SOURCES = (Source.NEED, Source.INTEREST)


def ranked_fits(owner: User, fits: dict[int, Fit], shown: int) -> list[tuple[Person, Fit]]:
    """The ``shown`` people that fit best, then the closest and most recently in touch."""
    order: dict[int, tuple[float, int, float, int]] = {}
    ids = list(fits)
    for start in range(0, len(ids), CHUNK):
        rows = (
            Person.objects.for_owner(owner)
            .filter(pk__in=ids[start : start + CHUNK])
            .annotate(rank=CLOSENESS_RANK)
            .order_by()
            .values_list("pk", "rank", "last_touch_at")
        )
        for pk, rank, last in rows:
            order[pk] = (-fits[pk].score, rank, -last.timestamp() if last else math.inf, pk)
    top = sorted(order, key=order.__getitem__)[:shown]
    people = Person.objects.for_owner(owner).select_related("organization").in_bulk(top)
    return [(people[pk], fits[pk]) for pk in top if pk in people]


def _helpers_for(owner: User, person: Person, need: str, shown: int) -> NeedIdea | None:
    if not stems(need):
        return None

    def find() -> tuple[list[tuple[int, str]], int]:
        fits = who_fits(owner, need, HELPER_SOURCES, exclude={person.pk})
        ranked = ranked_fits(owner, fits, shown)
        return [(p.pk, fit.texts(Source.OFFER)[0] if fit.texts(Source.OFFER) else "") for p, fit in ranked], len(fits)

    # Kept under the owner's stamp: matching a need reads every person's role and organization
    # by substring, and ranking who fits reads each of them (60 ms and more at 30,000 people), on
    # every view of the person's page. Only the few shown are read again.
    chosen, total = stamps.kept(
        owner.pk,
        f"helpers-ranked:{person.pk}:{hashlib.sha256(need.encode()).hexdigest()[:32]}",
        find,
        seconds=HELPERS_KEPT_SECONDS,
    )
    people = Person.objects.for_owner(owner).select_related("organization").in_bulk([pk for pk, _offer in chosen])
    helpers = [Helper(people[pk], offer) for pk, offer in chosen if pk in people]
    return NeedIdea(need, helpers, total)


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


# --- who could use what a person offers -------------------------------------------------------


@dataclass
class OfferIdea:
    """An offer of a person and the people the user knows who might use it."""

    offer: str
    users: list[tuple[Person, Fit]]
    count: int

    def lead(self, person: Person) -> str:
        return f"{person.short_name} offers {self.offer}"


def offer_ideas(owner: User, person: Person, *, offers_shown: int = 3, users_shown: int = 3) -> list[OfferIdea]:
    """Who could use what ``person`` offers: people whose needs or interests an offer fits,
    best fit first (a need before an interest). At most ``offers_shown`` offers are looked at."""
    texts = list(Offer.objects.for_owner(owner).filter(person=person).values_list("text", flat=True)[:offers_shown])
    ideas = []
    for text in texts:
        fits = who_fits(owner, text, USER_SOURCES, exclude={person.pk}, rows_ask=True)
        if fits:
            ideas.append(OfferIdea(text, ranked_fits(owner, fits, users_shown), len(fits)))
    return ideas
