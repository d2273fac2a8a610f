"""Asking the network a question in plain words: who matches it, how well, and why.

A person's score is how much of the question they match (each concept counts once, by the best
field it matched in: an offer in their offers counts more than in their notes) plus a smaller
part for the strength of the tie, so that among people who match as well the stronger tie
comes first, and a strong tie never outranks someone who matches more of the question."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q

from kithkin.core import clock
from kithkin.core.choices import Circle, Closeness
from kithkin.core.errors import BadInput
from kithkin.finder import semantic
from kithkin.finder.index import ensure_documents, matching_fields
from kithkin.finder.parse import STOPWORDS, Concept, Known, Question, organization_keys, parse
from kithkin.finder.vocabulary import singular, words
from kithkin.lib.search import fold
from kithkin.network.models import Strength
from kithkin.network.paths import paths_to_organization, paths_to_person
from kithkin.network.strength import strength_at
from kithkin.people.models import Organization, Person, Position

# How much the tie's strength (0-100) adds to a score of 0-1 for the question matched.
STRENGTH_PART = 0.25
# Above this many candidates, every strength of the network is read at once rather than by ids.
MANY = 10000
MAX_LIMIT = 100
# With the semantic extra: how much of a score is closeness in meaning, how close a person must be
# to count at all (cosine similarity; unrelated texts score about 0.1 with this model), and how
# many of the closest may join those the words found. Chosen on benchmarks/ask_eval.py's questions.
MEANING_PART = 0.4
MEANING_FLOOR = 0.15
MEANING_CANDIDATES = 300
# How close someone the words did not find must be to be shown for their meaning alone.
MEANING_ALONE = 0.25
EXAMPLE = 'say what you are looking for, such as "who in Berlin could advise on hiring"'

# A concept's best match in a person: (weight, field), where the field is a document field or,
# for what the record says, "current", "past", "circle", "closeness".
Hit = tuple[float, str]


@dataclass(frozen=True)
class Match:
    person: Person
    score: float
    strength: int
    why: tuple[str, ...]
    # How many of the question's concepts they match.
    matched: int


@dataclass(frozen=True)
class Answer:
    question: Question
    matches: tuple[Match, ...]
    # How the question was read, one phrase per concept ("in Berlin", "offers hiring").
    understood: tuple[str, ...]
    # How many people matched at all, before the limit.
    found: int
    # Anything the user should know about how it was answered (meaning-based matching catching up).
    note: str = ""
    # Whether closeness in meaning counted too (the semantic extra).
    by_meaning: bool = False


def _may_name(name: str, said: set[str]) -> bool:
    """Whether an organization's name may be in the question: one of its words is (a cheap look
    before the fold, at thousands of organizations)."""
    lowered = name.lower() if name.isascii() else fold(name)
    return any(word in said for word in lowered.replace(",", " ").replace(".", " ").split())


def known_of(owner: User, text: str) -> Known:
    """What a question is read against: the owner's organizations that ``text`` may name, found
    by its words (thousands of organizations are not read for each question). A place that is not
    built in is looked for as a word, in every field, the place among them."""
    said = {w for word in words(text) for w in (word, singular(word)) if w not in STOPWORDS and len(w) > 1}
    if not said:
        return Known()
    named = Q()
    for word in said:
        named |= Q(name__icontains=word)
    rows = Organization.objects.for_owner(owner).filter(named).order_by().values_list("pk", "name")
    return Known(organization_keys([(pk, name) for pk, name in rows if _may_name(name, said)]))


def describe(concept: Concept) -> str:
    """How ``ask`` read one part of the question, in words."""
    said = concept.said
    if concept.kind == "organization":
        if concept.past is None:
            return f"at {said}"
        return f"worked at {said}" if concept.past else f"works at {said}"
    prefixes = {
        "place": "in ",
        "need": "needs ",
        "offer": "offers ",
        "interest": "into ",
        "circle": "",
        "closeness": "",
    }
    if concept.kind == "circle":
        return _circle_words(concept.values[0]) + "s"
    return prefixes.get(concept.kind, "") + said


def _circle_words(value: str) -> str:
    return str(Circle(value).label).split("/")[0]


def _record_hits(owner: User, concept: Concept) -> dict[int, Hit]:
    hits: dict[int, Hit] = {}
    people = Person.objects.for_owner(owner).order_by()
    if concept.kind == "organization":
        now_weight = 0.6 if concept.past else 1.0
        then_weight = 0.5 if concept.past is False else 1.0
        positions = Position.objects.for_owner(owner).filter(organization_id__in=concept.organizations).order_by()
        for pk, ended in positions.values_list("person_id", "ended_on"):
            hit = (now_weight, "current") if ended is None else (then_weight, "past")
            if hit > hits.get(pk, (0.0, "")):
                hits[pk] = hit
        for pk in people.filter(organization_id__in=concept.organizations).values_list("pk", flat=True):
            hits[pk] = max(hits.get(pk, (0.0, "")), (now_weight, "current"))
    elif concept.kind == "circle":
        hits = dict.fromkeys(people.filter(circle__in=concept.values).values_list("pk", flat=True), (1.0, "circle"))
    elif concept.kind == "closeness":
        hits = dict.fromkeys(
            people.filter(closeness__in=concept.values).values_list("pk", flat=True), (1.0, "closeness")
        )
    return hits


def concept_hits(owner: User, concept: Concept) -> dict[int, Hit]:
    """Everyone who matches ``concept``, each with their best field."""
    if concept.kind in ("organization", "circle", "closeness"):
        return _record_hits(owner, concept)
    hits: dict[int, Hit] = {}
    weights = dict(concept.fields)
    for field, pk in matching_fields(owner, list(weights), concept.terms):
        if weights[field] > hits.get(pk, (0.0, ""))[0]:
            hits[pk] = (weights[field], field)
    return hits


def _strengths(owner: User, ids: Iterable[int], now: datetime) -> dict[int, float]:
    """The strength today of each of ``ids`` who has a history."""
    ids = set(ids)
    rows = Strength.objects.for_owner(owner).order_by()
    if len(ids) <= MANY:
        rows = rows.filter(person_id__in=ids)
    return {
        pk: strength_at(log_key, tau, now)
        for pk, log_key, tau in rows.values_list("person_id", "log_key", "tau")
        if pk in ids
    }


def ask(owner: User, text: str, *, limit: int = 10, now: datetime | None = None) -> Answer:
    """The people of the network who best answer ``text``, best first, each with why."""
    if not text.strip():
        raise BadInput("question", EXAMPLE)
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInput("limit", f"must be between 1 and {MAX_LIMIT}")
    now = now or clock.now()
    ensure_documents(owner)
    question = parse(text, known_of(owner, text))
    if question.introduce_to:
        paths = _warm_paths(owner, question, limit, now)
        if paths is not None:
            return paths
    model = semantic.embedder()
    if not question.concepts and (model is None or not _content_words(text)):
        raise BadInput("question", f"found nothing to look for in it; {EXAMPLE}")
    per_concept = [concept_hits(owner, concept) for concept in question.concepts]
    matched: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    size = len(question.concepts)
    for hits in per_concept:
        for pk, (weight, _) in hits.items():
            matched[pk] += weight / size
            counts[pk] += 1
    meaning: dict[int, float] = {}
    note = ""
    if model is not None:
        meaning, note = _by_meaning(owner, model, text)
    totals = _blend(matched, meaning, by_words=size > 0)
    prospects = set(Person.objects.for_owner(owner).prospects().values_list("pk", flat=True))
    candidates = [pk for pk in totals if pk not in prospects]
    # Only who could still reach the top with the strongest tie needs their strength read.
    ranked = sorted((totals[pk] for pk in candidates), reverse=True)
    floor = ranked[limit - 1] - STRENGTH_PART if len(ranked) >= limit else 0.0
    contenders = [pk for pk in candidates if totals[pk] >= floor]
    strengths = _strengths(owner, contenders, now)
    scored = sorted(
        ((totals[pk] + STRENGTH_PART * strengths.get(pk, 0.0) / 100, pk) for pk in contenders),
        key=lambda pair: (-pair[0], pair[1]),
    )[:limit]
    people = _people(owner, [pk for _, pk in scored])
    whys = {
        pk: [
            why_of(people[pk], concept, hits[pk][1])
            for concept, hits in zip(question.concepts, per_concept, strict=True)
            if pk in hits
        ]
        for _, pk in scored
    }
    if model is not None:
        # Who is here by meaning more than by the words of the question says what is close.
        close = [pk for _, pk in scored if counts[pk] < size and meaning.get(pk, 0.0) > 0]
        for pk, (piece, _) in semantic.closest_pieces(model, text, {pk: pieces_of(people[pk]) for pk in close}).items():
            whys[pk].append(f"close in meaning: “{piece}”")
    matches = tuple(
        Match(
            person=people[pk],
            score=round(score, 3),
            strength=round(strengths.get(pk, 0.0)),
            why=tuple(whys[pk]),
            matched=counts[pk],
        )
        for score, pk in scored
    )
    understood = tuple(describe(c) for c in question.concepts)
    return Answer(question, matches, understood, len(candidates), note, by_meaning=model is not None)


def _by_meaning(owner: User, model: semantic.Embedder, text: str) -> tuple[dict[int, float], str]:
    """How close in meaning each person is to ``text``, from 0 (no closer than chance) to 1, for
    those at least ``MEANING_FLOOR`` close; and a note when some of the network is not read yet."""
    _, missing = semantic.embed_missing(owner, model, budget=semantic.BUDGET)
    closest = semantic.nearest(owner, model, text, MEANING_CANDIDATES)
    close = {
        pk: (similarity - MEANING_FLOOR) / (1 - MEANING_FLOOR)
        for pk, similarity in closest
        if similarity > MEANING_FLOOR
    }
    note = ""
    if missing:
        note = (
            f"Matching by meaning has not read {missing:,} {'person' if missing == 1 else 'people'} yet; "
            "`kithkin ask --prepare` reads them all now."
        )
    return close, note


def _content_words(text: str) -> list[str]:
    return [word for word in words(text) if word not in STOPWORDS]


def _blend(matched: dict[int, float], meaning: dict[int, float], *, by_words: bool) -> dict[int, float]:
    """One score of 0-1 for how well each person answers the question: the share of its concepts
    they match and, with the semantic extra, how close in meaning they are (alone, when the
    question names nothing the words could look for)."""
    if not meaning:
        return dict(matched)
    alone = (MEANING_ALONE - MEANING_FLOOR) / (1 - MEANING_FLOOR)
    if not by_words:
        return {pk: close for pk, close in meaning.items() if close >= alone}
    return {
        pk: (1 - MEANING_PART) * matched.get(pk, 0.0) + MEANING_PART * meaning.get(pk, 0.0)
        for pk in matched.keys() | meaning.keys()
        if pk in matched or meaning[pk] >= alone
    }


def pieces_of(person: Person) -> list[str]:
    """What a person is made of, piece by piece, to say which piece is closest to a question."""
    pieces = [item.text for field in ("interests", "needs", "offers") for item in getattr(person, field).all()]
    pieces += [
        " at ".join(part for part in (p.title, p.organization.name if p.organization else "") if part)
        for p in person.positions.all()
    ]
    pieces += [person.title, person.location, *person.notes.split(".")[:5], person.why, person.met_how]
    return [p.strip() for p in dict.fromkeys(pieces) if p and p.strip()]


def _warm_paths(owner: User, question: Question, limit: int, now: datetime) -> Answer | None:
    """ "Who could introduce me to X": when X is one of the user's organizations or people, who
    could, by the warm-path ranking (``kithkin.network.paths``); None when X is neither."""
    target = question.introduce_to
    org = next((c for c in question.concepts if c.kind == "organization" and c.said.lower() == target), None)
    if org is not None:
        organization = Organization.objects.for_owner(owner).get(pk=org.organizations[0])
        paths, said = paths_to_organization(owner, organization, now=now, limit=limit), organization.name
    else:
        person = Person.objects.for_owner(owner).filter(full_name__iexact=target).first()
        if person is None:
            return None
        paths, said = paths_to_person(owner, person, now=now, limit=limit), person.full_name
    matches = tuple(
        Match(path.introducer, round(path.score, 3), round(path.you_strength), (path.why,), 1) for path in paths
    )
    return Answer(question, matches, (f"a way to {said}",), len(matches))


def _people(owner: User, ids: list[int]) -> dict[int, Person]:
    positions = Position.objects.for_owner(owner).select_related("organization")
    people = (
        Person.objects.for_owner(owner)
        .filter(pk__in=ids)
        .select_related("organization")
        .prefetch_related("interests", "needs", "offers", Prefetch("positions", queryset=positions))
    )
    return {p.pk: p for p in people}


# --- why each person matched -----------------------------------------------------------------


def _stem(word: str) -> str:
    return word[: max(4, len(word) - 3)] if len(word) > 5 else word


def mentions(text: str, terms: Iterable[frozenset[str]]) -> bool:
    """Whether ``text`` holds a phrase of each group, roughly as the stemmer would find it."""
    folded = fold(text)
    return all(any(all(_stem(w) in folded for w in words(phrase)) for phrase in group) for group in terms)


def _items_why(person: Person, concept: Concept, field: str) -> str:
    items = [item.text for item in getattr(person, field).all()]
    shown = [text for text in items if mentions(text, concept.terms)] or items[:1]
    lead = {"interests": "into", "needs": "needs", "offers": "offers"}[field]
    return f"{lead} " + ", ".join(f"“{text}”" if field != "interests" else text for text in shown)


def _work_why(person: Person, concept: Concept) -> str:
    for position in person.positions.all():
        org = position.organization.name if position.organization else ""
        said = " at ".join(part for part in (position.title, org) if part)
        if said and mentions(said, concept.terms):
            return said if position.is_current else f"was {said}"
    org = person.organization.name if person.organization else ""
    return " at ".join(part for part in (person.title, org) if part) or f"works in {concept.said}"


def _organization_why(person: Person, concept: Concept, field: str) -> str:
    names = [
        (p.title, p.organization.name)
        for p in person.positions.all()
        if p.organization_id in concept.organizations
        and p.organization is not None
        and (p.is_current == (field == "current"))
    ]
    title, name = names[0] if names else (person.title, concept.said)
    if field == "current":
        return f"works at {name}" + (f" as {title}" if title else "")
    return f"worked at {name}" + (f" as {title}" if title else "")


def why_of(person: Person, concept: Concept, field: str) -> str:
    """One reason ``person`` matched ``concept``, from what matched ("in Berlin", "offers “…”")."""
    if concept.kind == "organization":
        return _organization_why(person, concept, field)
    if field == "circle":
        return f"a {_circle_words(person.circle)}"
    if field == "closeness":
        return f"{Closeness(person.closeness).label} tie"
    if field in ("interests", "needs", "offers"):
        return _items_why(person, concept, field)
    if field == "work":
        return _work_why(person, concept)
    if field == "place":
        return f"in {person.location}"
    if field == "name":
        return f"named {person.full_name}"
    return f"notes mention “{concept.said}”"
