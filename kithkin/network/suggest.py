"""Suggested introductions: pairs of people in the network where one person's need meets the
other's offer, interest, role or organization, ranked by how well it fits and by the user's
strength with both.

The matching is the one matcher of ``exchanges.matching`` (``WordIndex``), fed here with the whole
network at once: a few queries read every offer, interest, title and organization into word →
people maps, then each need is looked up in memory (the same need text, often repeated, once).
Pairs already introduced (in any state, either way round), pairs the user said are not a good
match, prospects and a person with themselves are never suggested.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

from django.contrib.auth.models import User

from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import require_owned
from kithkin.exchanges.matching import (
    HELPER_SOURCES,
    Fit,
    Hit,
    Source,
    WordIndex,
    need_sentence,
    offer_sentence,
    stems,
    who_fits,
)
from kithkin.introductions.models import Introduction
from kithkin.introductions.services import declined_pairs, introduced_pairs, propose_introduction
from kithkin.network import strength as model
from kithkin.network.models import Strength
from kithkin.network.services import ensure_strengths
from kithkin.people.models import Interest, Need, Offer, Person

# The strength that still counts for someone with no history: a fine match with a stranger to you
# ranks below one with a friend, but is not lost.
STRENGTH_FLOOR = 10.0
# For each word, the strongest ties kept in the index: a word half the network shares would
# otherwise cost each need that has it a pass over thousands of people.
POOL = 200
# The best helpers kept per need before the network-wide ranking.
PER_NEED = 3
# How many of the suggestions shown one person may be in.
PER_PERSON = 2


def tie_factor(strength: float) -> float:
    """How much the user's strength (0-100) with one of the two counts: from 0.09 to 1."""
    return (STRENGTH_FLOOR + strength) / (STRENGTH_FLOOR + 100.0)


@dataclass(frozen=True)
class Suggestion:
    """An introduction worth making: ``person`` needs ``need``, and ``helper`` could meet it
    through ``matches`` (their offer, role, interest or organization: the best one, and a second of
    another kind when there is one)."""

    person: Person
    helper: Person
    need: str
    matches: tuple[Hit, ...]
    fit: float
    person_strength: int
    helper_strength: int
    score: float

    @property
    def reason(self) -> str:
        """ "Cy needs a senior designer; Dee offers product design mentoring." """
        clauses = [self._clause(hit, first=n == 0) for n, hit in enumerate(self.matches)]
        return f"{need_sentence(self.person.short_name, self.need.rstrip('.'))}; {' and '.join(clauses)}."

    def _clause(self, hit: Hit, *, first: bool) -> str:
        """What of the helper's meets the need, as the end of a sentence about them."""
        name, text = self.helper.short_name, hit.text.rstrip(".")
        if hit.source == Source.OFFER:
            clause = offer_sentence(name, text)
        elif hit.source == Source.ROLE:
            org = self.helper.organization.name if self.helper.organization_id and self.helper.organization else ""
            clause = f"{name} is {text}" + (f" at {org}" if org else "")
        elif hit.source == Source.ORGANIZATION:
            clause = f"{name} works at {text}"
        else:
            clause = f"{name} is interested in {text}"
        return clause if first else clause.removeprefix(f"{name} ")


def _matches(fit: Fit) -> tuple[Hit, ...]:
    """The best hit, and the best of another kind after it (an offer and a title say more than one)."""
    second = next((hit for hit in fit.hits[1:] if hit.source != fit.best.source), None)
    return (fit.best,) if second is None else (fit.best, second)


@dataclass(frozen=True)
class _Found:
    score: float
    person_id: int
    helper_id: int
    need: str
    fit: Fit


def _strengths(owner: User, now: datetime) -> dict[int, float]:
    """Each person's strength today (0-100), for everyone with a history: ``strength.strength_at``
    written out in the loop, as it runs for every person of the network."""
    ensure_strengths(owner, now=now)
    rows = Strength.objects.for_owner(owner).order_by()
    today, exp, s_ref = model.days(now), math.exp, model.S_REF
    found = {}
    for pk, log_key, tau in rows.values_list("person_id", "log_key", "tau"):
        if log_key is None:
            continue
        exponent = log_key - today / tau
        found[pk] = 100.0 * (1.0 - exp(-exp(exponent) / s_ref)) if exponent < 50 else 100.0
    return found


def _network_index(
    owner: User, people: dict[int, tuple[str, str]], needs: list[tuple[int, str]], order: dict[int, int]
) -> WordIndex:
    """The offers, interests, titles and organizations of the people in the network, by stem:
    only the stems some need has, and for each the ``POOL`` people first in ``order``."""
    wanted = {word for _pk, text in needs for word in stems(text)}
    index = WordIndex()
    items: list[tuple[str, Iterable[tuple[int, str]]]] = [
        (source, model.objects.for_owner(owner).filter(person__is_prospect=False).values_list("person_id", "text"))
        for source, model in ((Source.OFFER, Offer), (Source.INTEREST, Interest))
    ]
    items.append((Source.ROLE, ((pk, title) for pk, (title, _org) in people.items())))
    items.append((Source.ORGANIZATION, ((pk, org) for pk, (_title, org) in people.items())))
    for source, rows in items:
        index.add_rows(source, rows, only=wanted, order=order, pool=POOL)
    index.keep_best(order, POOL)
    return index


def _ranked_for(index: WordIndex, text: str, rank: dict[int, float]) -> list[tuple[float, int, Fit]]:
    """Everyone a need's text fits, best first by fit and the user's strength with them."""
    fits = index.fits(stems(text))
    return sorted(((fit.score * rank[pk], pk, fit) for pk, fit in fits.items()), key=lambda r: (-r[0], r[1]))


def _best_pairs(
    owner: User, index: WordIndex, needs: list[tuple[int, str]], rank: dict[int, float]
) -> dict[tuple[int, int], tuple[float, int, int, str, Fit]]:
    """For each pair not to skip, its best need met as (score, person, helper, need, fit), at most
    ``PER_NEED`` helpers per need. Plain tuples: it runs for every need of the network."""
    skip = introduced_pairs(owner) | declined_pairs(owner)
    by_text: dict[str, list[tuple[float, int, Fit]]] = {}
    best: dict[tuple[int, int], tuple[float, int, int, str, Fit]] = {}
    for person_id, text in needs:
        ranked = by_text.get(text)
        if ranked is None:
            ranked = by_text[text] = _ranked_for(index, text, rank)
        taken = 0
        mine = rank[person_id]
        for partial, helper_id, fit in ranked:
            pair = (person_id, helper_id) if person_id < helper_id else (helper_id, person_id)
            if helper_id == person_id or pair in skip:
                continue
            score = partial * mine
            found = best.get(pair)
            if found is None or score > found[0]:
                best[pair] = (score, person_id, helper_id, text, fit)
            taken += 1
            if taken >= PER_NEED:
                break
    return best


def _suggestion(found: _Found, people: dict[int, Person], strengths: dict[int, float]) -> Suggestion:
    return Suggestion(
        person=people[found.person_id],
        helper=people[found.helper_id],
        need=found.need,
        matches=_matches(found.fit),
        fit=found.fit.score,
        person_strength=round(strengths.get(found.person_id, 0.0)),
        helper_strength=round(strengths.get(found.helper_id, 0.0)),
        score=round(found.score, 4),
    )


def _top(found: Iterable[tuple[float, int, int, str, Fit]], limit: int) -> list[_Found]:
    """The best ``limit`` pairs, each person in at most ``PER_PERSON`` of them: one well-liked
    helper should not fill the list."""
    shown: list[_Found] = []
    seen: dict[int, int] = defaultdict(int)
    # Best score first; ties stay in the order of the needs (a C key: there are thousands of pairs).
    for values in sorted(found, key=itemgetter(0), reverse=True):
        item = _Found(*values)
        if seen[item.person_id] < PER_PERSON and seen[item.helper_id] < PER_PERSON:
            shown.append(item)
            seen[item.person_id] += 1
            seen[item.helper_id] += 1
            if len(shown) == limit:
                break
    return shown


def suggestions(owner: User, *, now: datetime | None = None, limit: int = 20) -> list[Suggestion]:
    """The introductions worth making across the network, best first: score = fit × the user's
    strength with each of the two (``tie_factor``). A fixed number of queries, whatever the size."""
    if limit < 1:
        raise BadInput("limit", "must be at least 1")
    now = now or clock.now()
    people_rows = (
        Person.objects.for_owner(owner).in_network().order_by().values_list("pk", "title", "organization__name")
    )
    people = {pk: (title, org or "") for pk, title, org in people_rows}
    needs = list(
        Need.objects.for_owner(owner).filter(person__is_prospect=False).order_by("id").values_list("person_id", "text")
    )
    if not needs:
        return []
    strengths = _strengths(owner, now)
    rank = {pk: tie_factor(strengths.get(pk, 0.0)) for pk in people}
    order = {pk: n for n, pk in enumerate(sorted(rank, key=lambda pk: (-rank[pk], pk)))}
    index = _network_index(owner, people, needs, order)
    best = _top(_best_pairs(owner, index, needs, rank).values(), limit)
    ids = {pk for f in best for pk in (f.person_id, f.helper_id)}
    loaded = Person.objects.for_owner(owner).select_related("organization").in_bulk(list(ids))
    return [_suggestion(f, loaded, strengths) for f in best]


def suggestion_between(owner: User, a: Person, b: Person, *, now: datetime | None = None) -> Suggestion | None:
    """The suggestion for these two, if one's need meets the other (either way round), with the
    same matcher and reason as the list; None when nothing of theirs meets."""
    now = now or clock.now()
    require_owned(owner, a, field="a", message="no such person")
    require_owned(owner, b, field="b", message="no such person")
    if a.pk == b.pk or a.is_prospect or b.is_prospect:
        return None
    strengths = _strengths(owner, now)
    candidates: list[_Found] = []
    for person, helper in ((a, b), (b, a)):
        for text in Need.objects.for_owner(owner).filter(person=person).values_list("text", flat=True):
            fit = who_fits(owner, text, HELPER_SOURCES, person_ids=[helper.pk]).get(helper.pk)
            if fit is not None:
                score = fit.score * tie_factor(strengths.get(a.pk, 0.0)) * tie_factor(strengths.get(b.pk, 0.0))
                candidates.append(_Found(score, person.pk, helper.pk, text, fit))
    if not candidates:
        return None
    found = max(candidates, key=lambda f: f.score)
    loaded = Person.objects.for_owner(owner).select_related("organization").in_bulk([a.pk, b.pk])
    return _suggestion(found, loaded, strengths)


def propose_suggestion(owner: User, a: Person, b: Person, *, now: datetime | None = None) -> Introduction:
    """Propose the suggested introduction of ``a`` and ``b`` (either order): the one who can help
    is asked first, and the reason is the introduction's why."""
    found = suggestion_between(owner, a, b, now=now)
    if found is None:
        raise BadInput("b", f"nothing {a.full_name} needs meets {b.full_name}, nor the other way round")
    return propose_introduction(owner, found.helper, found.person, found.reason, now=now)
