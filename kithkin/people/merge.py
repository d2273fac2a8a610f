"""Likely duplicates across the whole network, and merging two people into one.

Finding pairs never compares everyone with everyone. People are put in blocks (the same phone
number, the same link, the same folded name, the same organization, an address at the same
email domain) and compared only inside a block, names folded and compared with rapidfuzz by the
rule ``people.duplicates`` uses for someone being added (``fold_name``, ``is_close_name``). The
number of queries is fixed (six); at 30,000 people the scan takes under a second.

Merging moves every row that points at the dropped person to the kept one: people's own rows
here, and the rows of the apps above (touches, follow-ups, introductions) through the steps they
register in ``people.hooks.merge_steps``; ``people.hooks.people_merged`` then lets them re-plan
what the moved rows change (the last touch, then the check-in). This module imports nothing
above people.
"""

from __future__ import annotations

import hashlib
import itertools
import pickle
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from rapidfuzz import fuzz, process

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.choices import Circle, Closeness
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.shortcuts import require_owned
from kithkin.lib.addresses import email_domain, is_free_mail
from kithkin.lib.birthdays import birthday_text
from kithkin.lib.links import link_key
from kithkin.lib.phones import format_phone
from kithkin.people.duplicates import CLOSE_NAME_SCORE, fold_name, is_close_name
from kithkin.people.hooks import Merged, Merging, merge_steps, people_merged
from kithkin.people.models import (
    DistinctPair,
    Email,
    HistoryEntry,
    Interest,
    Link,
    Need,
    Offer,
    Organization,
    Person,
    Phone,
    Position,
)
from kithkin.people.services import refresh_search

# --- finding likely duplicate pairs -------------------------------------------------------------

# What each piece of evidence adds to a pair's score. The same profile link or phone number is
# strong on its own; a name is strong only with an organization or email domain to back it.
PROFILE_POINTS = 60  # the same LinkedIn, GitHub, Mastodon or X profile
PHONE_POINTS = 50
WEBSITE_POINTS = 30  # the same other link: a personal site, usually
SAME_NAME_POINTS = 20
REORDERED_NAME_POINTS = 15  # "Chen Wei" / "Wei Chen"
CLOSE_NAME_POINTS = 10
SAME_ORGANIZATION_POINTS = 25  # added to a same or close name
SAME_DOMAIN_POINTS = 20  # added to a same or close name
DIFFERENT_ORGANIZATIONS_POINTS = -10  # "same name, different organizations" still shows, last
# Taken off a shared phone or link when the names have nothing in common: a household's landline,
# a couple's website. Still shown (a changed surname looks the same), below a same name at work.
UNRELATED_NAMES_POINTS = -25

# A phone number or link shared by more people than this is a switchboard or a company page,
# not evidence that two of them are one person.
SHARED_LIMIT = 4
# A name shared by more people than this (a "Wei Chen" in a big network) pairs its people only
# where something else backs it: an organization, an email domain, a phone or a link.
COMMON_NAME_LIMIT = 8
# A block this big (a large employer, a company email domain) is compared in smaller blocks of
# the names that share the first letter of a word: close names share at least one.
BIG_BLOCK = 1500
# Names of more words than this are not looked up by their parts (a middle name the other lacks).
MAX_WORDS = 8

_PROFILE_KINDS: dict[str, str] = {
    Link.Kind.LINKEDIN: "LinkedIn profile",
    Link.Kind.GITHUB: "GitHub profile",
    Link.Kind.MASTODON: "Mastodon profile",
    Link.Kind.X: "X profile",
}


@dataclass(frozen=True)
class FoundPair:
    """A likely duplicate pair before its people are loaded: cheap to page through."""

    first_id: int
    second_id: int
    evidence: tuple[str, ...]
    score: int


@dataclass(frozen=True)
class DuplicatePair:
    """Two people who are probably one, the smaller id first, with the evidence in words."""

    first: Person
    second: Person
    evidence: list[str]
    score: int


@dataclass
class _Network:
    """What the scan reads of the owner's network: names, organizations, shared phones and
    links, email domains, and the pairs the user said are different people."""

    names: dict[int, str]
    folded: dict[int, str]
    # Each folded name's words in order ("ana ruiz" for "Ruiz, Ana"): the same name in any order.
    sorted_words: dict[int, str]
    organization: dict[int, int]
    organization_name: dict[int, str]
    phones: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    links: dict[int, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    domains: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    distinct: set[tuple[int, int]] = field(default_factory=set)


_NONE: frozenset[Any] = frozenset()


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _sorted_words(folded: str) -> str:
    return " ".join(sorted(folded.split()))


def _shared_numbers(owner: User) -> QuerySet[Phone, dict[str, Any]]:
    """The phone numbers that two to SHARED_LIMIT people have."""
    return (
        Phone.objects.for_owner(owner)
        .order_by()
        .values("number")
        .annotate(people=Count("person_id", distinct=True))
        .filter(people__gt=1, people__lte=SHARED_LIMIT)
        .values("number")
    )


@dataclass
class _Rows:
    """The rows the scan reads, as the database gave them, and their digest."""

    people: list[tuple[int, str, int | None]]
    organizations: list[tuple[int, str]]
    phones: list[tuple[str, int]]
    links: list[tuple[str, str, int]]
    emails: list[tuple[str, int]]
    distinct: list[tuple[int, int]]
    fingerprint: bytes


def _read_rows(owner: User) -> _Rows:
    """Everything the scan needs, in six queries, with a digest of it all: equal digests, equal
    pairs (``scan_duplicate_pairs``)."""
    digest = hashlib.blake2b(digest_size=20)

    def rows(query: QuerySet[Any, Any]) -> list[Any]:
        listed = list(query)
        digest.update(pickle.dumps(listed, protocol=pickle.HIGHEST_PROTOCOL))
        return listed

    return _Rows(
        people=rows(Person.objects.for_owner(owner).order_by().values_list("pk", "full_name", "organization_id")),
        organizations=rows(Organization.objects.for_owner(owner).order_by().values_list("pk", "name")),
        phones=rows(
            Phone.objects.for_owner(owner)
            .filter(number__in=_shared_numbers(owner))
            .order_by()
            .values_list("number", "person_id")
        ),
        links=rows(Link.objects.for_owner(owner).order_by().values_list("url", "kind", "person_id")),
        emails=rows(Email.objects.for_owner(owner).order_by().values_list("address", "person_id")),
        distinct=rows(DistinctPair.objects.for_owner(owner).order_by().values_list("first_id", "second_id")),
        fingerprint=digest.digest(),
    )


def _read_network(rows: _Rows) -> tuple[_Network, list[list[int]]]:
    """The network as plain values, and the blocks of people who share a phone number or a link."""
    names: dict[int, str] = {}
    organization: dict[int, int] = {}
    for pk, name, org_id in rows.people:
        names[pk] = name
        if org_id is not None:
            organization[pk] = org_id
    folded = {name: fold_name(name) for name in set(names.values())}
    words = {name: _sorted_words(value) for name, value in folded.items()}
    network = _Network(
        names=names,
        folded={pk: folded[name] for pk, name in names.items()},
        sorted_words={pk: words[name] for pk, name in names.items()},
        organization=organization,
        organization_name=dict(rows.organizations),
    )
    blocks: dict[str, set[int]] = defaultdict(set)
    for number, person_id in rows.phones:
        blocks[f"phone {number}"].add(person_id)
        network.phones[person_id].add(number)
    # Links are read whole and compared on their key (``lib.links.link_key``, the importer's
    # canonical form): stored links are canonical, but a website's scheme and "www." still vary.
    by_link: dict[tuple[str, str], set[int]] = defaultdict(set)
    for url, kind, person_id in rows.links:
        by_link[(link_key(url), kind)].add(person_id)
    for key, people in by_link.items():
        if 1 < len(people) <= SHARED_LIMIT:
            blocks[f"link {key}"] = people
            for person_id in people:
                network.links[person_id].add(key)
    for address, person_id in rows.emails:
        domain = email_domain(address)
        if domain and not is_free_mail(domain):
            network.domains[person_id].add(domain)
    network.distinct = set(rows.distinct)
    return network, [sorted(pks) for pks in blocks.values()]


def _close_in_block(pks: Sequence[int], folded: dict[int, str], *, split: bool = True) -> Iterator[tuple[int, int]]:
    """The pairs in a block whose names are close (see ``people.duplicates.is_close_name``):
    token_sort_ratio at or above CLOSE_NAME_SCORE, or every word of one name in the other."""
    if split and len(pks) > BIG_BLOCK:
        for group in _by_initial(pks, folded):
            yield from _close_in_block(group, folded, split=False)
        return
    yield from _close_by_ratio(pks, folded)
    yield from _close_by_words(pks, folded)


def _by_initial(pks: Sequence[int], folded: dict[int, str]) -> Iterable[list[int]]:
    """A big block split by the initials of each name's words (a person is in one group per
    initial): close names share an initial, and comparing every pair of a big block is slow."""
    by_initial: dict[str, list[int]] = defaultdict(list)
    for pk in pks:
        for initial in {word[0] for word in folded[pk].split()}:
            by_initial[initial].append(pk)
    return by_initial.values()


def _close_by_ratio(pks: Sequence[int], folded: dict[int, str]) -> Iterator[tuple[int, int]]:
    keys = [_sorted_words(folded[pk]) for pk in pks]
    for i, key in enumerate(keys[:-1]):
        if not key:
            continue
        # fuzz.ratio on words sorted beforehand is token_sort_ratio, without re-sorting each choice.
        for _choice, _score, j in process.extract(
            key, keys[i + 1 :], scorer=fuzz.ratio, score_cutoff=CLOSE_NAME_SCORE, limit=None
        ):
            yield pks[i], pks[i + 1 + j]


def _close_by_words(pks: Sequence[int], folded: dict[int, str]) -> Iterator[tuple[int, int]]:
    """One name with a middle name the other lacks: look up each part of two or more words."""
    by_words: dict[frozenset[str], list[int]] = defaultdict(list)
    for pk in pks:
        words = frozenset(folded[pk].split())
        if len(words) >= 2:
            by_words[words].append(pk)
    for words, longer in by_words.items():
        # The same words, one repeated ("Ana Ana Ruiz"): the sets are equal.
        yield from itertools.combinations(longer, 2)
        if not 3 <= len(words) <= MAX_WORDS:
            continue
        for part in _word_parts(words):
            for shorter in by_words.get(part, []):
                for pk in longer:
                    yield shorter, pk


def _word_parts(words: frozenset[str]) -> Iterator[frozenset[str]]:
    """Every part of ``words`` of two words or more, but not all of them."""
    for size in range(2, len(words)):
        for part in itertools.combinations(sorted(words), size):
            yield frozenset(part)


def _candidates(network: _Network, shared_blocks: list[list[int]]) -> set[tuple[int, int]]:
    """Every pair worth a look: found in a block, never across the whole network."""
    pairs: set[tuple[int, int]] = set()
    for block in shared_blocks:
        pairs.update(_ordered(a, b) for a, b in itertools.combinations(block, 2))
    by_name: dict[str, list[int]] = defaultdict(list)
    for pk, key in network.sorted_words.items():
        by_name[key].append(pk)
    for key, block in by_name.items():
        if key and 1 < len(block) <= COMMON_NAME_LIMIT:
            pairs.update(_ordered(a, b) for a, b in itertools.combinations(block, 2))
    context: dict[Any, list[int]] = defaultdict(list)
    for pk, org_id in network.organization.items():
        context[("org", org_id)].append(pk)
    for pk, domains in network.domains.items():
        for domain in domains:
            context[("domain", domain)].append(pk)
    for block in context.values():
        if len(block) > 1:
            pairs.update(_ordered(a, b) for a, b in _close_in_block(sorted(block), network.folded) if a != b)
    return pairs - network.distinct


def _name_evidence(network: _Network, a: int, b: int) -> tuple[str, int]:
    """How the two names relate, as the start of a sentence ("" when they do not), and the points
    it adds."""
    folded_a, folded_b = network.folded[a], network.folded[b]
    name_a, name_b = network.names[a], network.names[b]
    if folded_a == folded_b:
        spelled = f" ({name_a} and {name_b})" if name_a != name_b else ""
        return f"Same name{spelled}", SAME_NAME_POINTS
    if network.sorted_words[a] == network.sorted_words[b]:
        return f"Same name in another order ({name_a} and {name_b})", REORDERED_NAME_POINTS
    if is_close_name(folded_a, folded_b):
        return f"Similar names ({name_a} and {name_b})", CLOSE_NAME_POINTS
    return "", 0


def _judge(network: _Network, a: int, b: int) -> FoundPair | None:
    """The evidence that ``a`` and ``b`` are one person, strongest first, and its score."""
    evidence: list[tuple[int, str]] = []
    # Most pairs share no link or phone: only people with a shared one are in these maps.
    if a in network.links and b in network.links:
        for key, kind in sorted(network.links[a] & network.links[b]):
            if kind in _PROFILE_KINDS:
                evidence.append((PROFILE_POINTS, f"Both have the {_PROFILE_KINDS[kind]} {key}"))
            else:
                evidence.append((WEBSITE_POINTS, f"Both have the link {key}"))
    if a in network.phones and b in network.phones:
        for number in sorted(network.phones[a] & network.phones[b]):
            evidence.append((PHONE_POINTS, f"Both have the phone number {format_phone(number)}"))
    name, points = _name_evidence(network, a, b)
    if name:
        org_a, org_b = network.organization.get(a), network.organization.get(b)
        domains = sorted(network.domains.get(a, _NONE) & network.domains.get(b, _NONE))
        if org_a is not None and org_a == org_b:
            name = f"{name}, both at {network.organization_name[org_a]}"
            points += SAME_ORGANIZATION_POINTS
        elif domains:
            name = f"{name}, both with an address at {' and '.join(domains)}"
            points += SAME_DOMAIN_POINTS
        elif org_a is not None and org_b is not None:
            orgs = f"{network.organization_name[org_a]} and {network.organization_name[org_b]}"
            name = f"{name}, but at different organizations ({orgs})"
            points += DIFFERENT_ORGANIZATIONS_POINTS
        evidence.append((points, name))
    if not evidence:
        return None
    score = sum(p for p, _text in evidence) + (0 if name else UNRELATED_NAMES_POINTS)
    if len(evidence) > 1:
        evidence.sort(key=lambda e: -e[0])
    return FoundPair(a, b, tuple(text for _points, text in evidence), score)


# The last scans, by owner: the duplicates page is read page after page, and a scan of 30,000
# people takes about a second. A scan is reused only while what it read is unchanged, to the
# byte (its fingerprint, a few milliseconds beside the reading), so it is never stale; any change (a new person, a merge, a renamed
# organization) scans again.
_SCANS: OrderedDict[int, tuple[bytes, list[FoundPair]]] = OrderedDict()
_SCANS_KEPT = 8
_SCANS_LOCK = threading.Lock()


def scan_duplicate_pairs(owner: User) -> list[FoundPair]:
    """Every likely duplicate pair of ``owner``'s network, strongest first, without loading the
    people: a page of them is loaded with ``load_pairs``. Pairs marked distinct are left out.
    The list is shared with later calls on an unchanged network: do not change it."""
    rows = _read_rows(owner)
    fingerprint = rows.fingerprint
    with _SCANS_LOCK:
        kept = _SCANS.get(owner.pk)
    if kept is not None and kept[0] == fingerprint:
        return kept[1]
    network, shared_blocks = _read_network(rows)
    found = [pair for a, b in _candidates(network, shared_blocks) if (pair := _judge(network, a, b))]
    names = {pk: name.casefold() for pk, name in network.names.items()}
    found.sort(key=lambda p: (-p.score, names[p.first_id], p.first_id, p.second_id))
    with _SCANS_LOCK:
        _SCANS[owner.pk] = (fingerprint, found)
        _SCANS.move_to_end(owner.pk)
        while len(_SCANS) > _SCANS_KEPT:
            _SCANS.popitem(last=False)
    return found


def load_pairs(owner: User, found: Iterable[FoundPair]) -> list[DuplicatePair]:
    """The people of ``found``, with what the duplicates page shows, in three queries."""
    found = list(found)
    ids = {pk for pair in found for pk in (pair.first_id, pair.second_id)}
    people = (
        Person.objects.for_owner(owner)
        .select_related("organization")
        .prefetch_related(Prefetch("emails", queryset=Email.objects.for_owner(owner)))
        .prefetch_related(Prefetch("phones", queryset=Phone.objects.for_owner(owner)))
        .in_bulk(ids)
    )
    return [
        DuplicatePair(people[p.first_id], people[p.second_id], list(p.evidence), p.score)
        for p in found
        if p.first_id in people and p.second_id in people
    ]


def find_duplicate_pairs(owner: User, *, limit: int | None = None) -> list[DuplicatePair]:
    """Likely duplicate pairs in ``owner``'s network, strongest first, with the evidence in
    sentences ("Both have the phone number +34 600 123 456", "Similar names (Jon Smith and John
    Smith), both at Acme")."""
    found = scan_duplicate_pairs(owner)
    return load_pairs(owner, found if limit is None else found[:limit])


def tell_apart(a: Person, b: Person) -> tuple[str, str]:
    """The two people's names as a reader tells them apart, never by a database id: different
    names as they are ("Ana Ruiz", "Ana R."); one name twice each with, in brackets, the first
    detail of theirs the other does not share (organization, email, phone): "Ana Ruiz (Acme)" and
    "Ana Ruiz (ana@initech.example)", else which of the two was added first."""
    if a.full_name.casefold() != b.full_name.casefold():
        return a.full_name, b.full_name
    a_first = (a.created_at, a.pk) < (b.created_at, b.pk)
    return (
        _named(a, _own_detail(a, b) or ("added first" if a_first else "added later")),
        _named(b, _own_detail(b, a) or ("added later" if a_first else "added first")),
    )


def _own_detail(person: Person, other: Person) -> str:
    """The first of ``person``'s organization, email and phone that ``other`` does not share."""
    for detail in (_organization_name, _first_email, _first_phone):
        mine = detail(person)
        if mine and mine.casefold() != detail(other).casefold():
            return mine
    return ""


def _organization_name(person: Person) -> str:
    return person.organization.name if person.organization else ""


def _first_email(person: Person) -> str:
    return next((e.address for e in person.emails.all()), "")


def _first_phone(person: Person) -> str:
    return next((format_phone(p.number) for p in person.phones.all()), "")


def _named(person: Person, detail: str) -> str:
    return f"{person.full_name} ({detail})"


def mark_distinct(owner: User, a: Person, b: Person, *, now: datetime | None = None) -> None:
    """Remember that ``a`` and ``b`` are two people, so the duplicates list stops offering them.
    Saying it twice changes nothing."""
    require_owned(owner, a, b, field="person", message="no such person")
    if a.pk == b.pk:
        raise BadInput("person", "a person cannot be distinct from themselves")
    first, second = _ordered(a.pk, b.pk)
    DistinctPair.objects.get_or_create(
        owner=owner, first_id=first, second_id=second, defaults={"created_at": now or clock.now()}
    )


# --- merging two people ----------------------------------------------------------------------

# The relations to Person that merge_people moves itself, or that an app's registered merge step
# moves (TouchParticipant: interactions; FollowUp: followups; DeclinedMatch: introductions), as "app_label.Model.field". Any other
# foreign key to Person (a model added later) is re-pointed as it is by _move_other_relations;
# test_merge checks this list against the models, so a new one gets a decision.
HANDLED_RELATIONS = frozenset(
    {
        "people.Person.met_through",
        "people.Interest.person",
        "people.Need.person",
        "people.Offer.person",
        "people.Email.person",
        "people.Phone.person",
        "people.Link.person",
        "people.Position.person",
        "people.HistoryEntry.person",
        "people.DistinctPair.first",
        "people.DistinctPair.second",
        "interactions.TouchParticipant.person",
        "followups.FollowUp.person",
        # Pairs of people, the smaller id first: the network app's merge step re-pairs them.
        "network.Tie.first",
        "network.Tie.second",
        "network.RecordedTie.first",
        "network.RecordedTie.second",
        "network.RemovedTie.first",
        "network.RemovedTie.second",
        "introductions.DeclinedMatch.first",
        "introductions.DeclinedMatch.second",
    }
)


def person_relations() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) with a foreign key to Person, hidden ones (``related_name="+"``)
    included. Many-to-many fields count through their through model's foreign key."""
    found = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        if rel.many_to_many:
            through = rel.through  # type: ignore[union-attr]
            if through is not None and through._meta.auto_created:
                # A plain ManyToManyField to Person: its hidden table's column to Person.
                column = next(f.name for f in through._meta.fields if f.related_model is Person)
                found.append((through, column))
            continue  # an explicit through model is listed as its own foreign key
        found.append((rel.related_model, rel.field.name))  # type: ignore[union-attr]
    return found


def relation_label(model: type[models.Model], field_name: str) -> str:
    return f"{model._meta.label}.{field_name}"


# Relations of the apps above people that the generic move below handles as it is: each row is
# re-pointed to the kept person; where a unique constraint allows one row per person and thing
# (a resource shared once, an event hoped for or met once, a goal's target once), the dropped
# person's repeat of a row the kept person has is removed first. An introduction between the two
# people being merged introduces nobody: the introductions app's merge step removes it. A tie's
# strength, rekindle choice and embedding are one row per person (unique with the owner): the kept
# person's stands; so does their document for `ask` (a one-to-one), written again from the merged
# person by refresh_search.
GENERIC_RELATIONS = frozenset(
    {
        "people.Milestone.person",
        "exchanges.Ask.person",
        "exchanges.Exchange.person",
        "exchanges.Exchange.to_person",
        "exchanges.Share.person",
        "introductions.Introduction.person_a",
        "introductions.Introduction.person_b",
        "events.EventHope.person",
        "events.EventMet.person",
        "goals.GoalPerson.person",
        "network.Strength.person",
        "network.RekindleChoice.person",
        "finder.Document.person",
        "finder.Embedding.person",
    }
)


def _unique_partners(model: type[models.Model], field_name: str) -> list[list[str]]:
    """For each unique constraint that includes ``field_name``, its other fields."""
    found = []
    for constraint in model._meta.constraints:
        fields = list(getattr(constraint, "fields", ()) or ())
        if field_name in fields and getattr(constraint, "condition", None) is None:
            found.append([f for f in fields if f != field_name])
    return found


def _move_other_relations(keep: Person, drop: Person) -> dict[str, int]:
    """Re-point every foreign key to ``drop`` that this module does not handle itself, so that
    deleting ``drop`` cascades nothing away (see GENERIC_RELATIONS for the repeats removed)."""
    moved: dict[str, int] = {}
    for model, field_name in person_relations():
        label = relation_label(model, field_name)
        if label in HANDLED_RELATIONS:
            continue
        rows = model._default_manager.filter(**{field_name: drop.pk})
        one_per_person = getattr(model._meta.get_field(field_name), "unique", False)
        if one_per_person and model._default_manager.filter(**{field_name: keep.pk}).exists():
            # A one-to-one (a tie's strength): the kept person's row stands.
            rows.delete()
        for partners in _unique_partners(model, field_name):
            kept = model._default_manager.filter(**{field_name: keep.pk}).values_list(*partners)
            for values in kept:
                rows.filter(**dict(zip(partners, values, strict=True))).delete()
        count = rows.update(**{field_name: keep.pk})
        if count:
            moved[label] = count
    return moved


@dataclass
class FieldPlan:
    """What the kept person takes from the dropped one: ``values`` fills their empty fields;
    ``aside`` lists the dropped values that differ from theirs, for a line in their notes."""

    values: dict[str, Any] = field(default_factory=dict)
    aside: list[str] = field(default_factory=list)

    @property
    def taken(self) -> list[str]:
        """The fields filled, in words, for the confirmation page."""
        labels = {
            "organization": "organization",
            "title": "title",
            "location": "location",
            "met_how": "how you met",
            "met_on": "when you met",
            "met_through": "whom you met through",
            "birthday": "birthday",
            "circle": "circle",
            "cadence_days": "check-in cadence",
            "is_cadence_never": "check-in cadence",
            "why": "why you wanted to meet them",
            "nicknames": "nicknames",
        }
        return list(dict.fromkeys(labels[name] for name in self.values if name in labels))


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _day(day: date) -> str:
    """ "3 May 1990", or "3 May" for a birthday stored without a year (a year before 1900)."""
    return birthday_text(day)


def _role(person: Person) -> str:
    org = person.organization.name if person.organization_id and person.organization else ""
    if person.title and org:
        return f"{person.title} at {org}"
    return person.title or org


def _cadence_words(person: Person) -> str:
    if person.is_cadence_never:
        return "no check-ins"
    return f"check-ins every {person.cadence_days} days" if person.cadence_days else ""


def plan_fields(keep: Person, drop: Person) -> FieldPlan:
    """How the kept person's fields change: the dropped person's values fill what is empty;
    where both are set and differ, the kept person's value wins and the other goes aside."""
    plan = FieldPlan()
    _plan_role(keep, drop, plan)
    _plan_texts(keep, drop, plan)
    _plan_days(keep, drop, plan)
    _plan_met_through(keep, drop, plan)
    _plan_circle(keep, drop, plan)
    _plan_prospect(keep, drop, plan)
    nicknames = list(keep.nicknames)
    for nick in drop.nicknames:
        if not any(_same_text(nick, mine) for mine in nicknames):
            nicknames.append(nick)
    if nicknames != list(keep.nicknames):
        plan.values["nicknames"] = nicknames
    if drop.created_at < keep.created_at:
        # In the network since the earlier of the two: check-ins wait from then.
        plan.values["created_at"] = drop.created_at
    return plan


def _plan_texts(keep: Person, drop: Person, plan: FieldPlan) -> None:
    """Location and how you met: the same text in other spacing or case is not a difference."""
    for attr, label in (("location", "location"), ("met_how", "how you met:")):
        mine, theirs = getattr(keep, attr).strip(), getattr(drop, attr).strip()
        if theirs and not mine:
            plan.values[attr] = theirs
        elif theirs and not _same_text(mine, theirs):
            plan.aside.append(f"{label} {_one_line(theirs)}")
    # City and country go with the location they were read from, or fill a place not known.
    if "location" in plan.values or (not (keep.city or keep.country) and (drop.city or drop.country)):
        plan.values["city"], plan.values["country"] = drop.city, drop.country


def _plan_days(keep: Person, drop: Person, plan: FieldPlan) -> None:
    for attr, label in (("met_on", "met on"), ("birthday", "birthday")):
        mine_day, their_day = getattr(keep, attr), getattr(drop, attr)
        if their_day and not mine_day:
            plan.values[attr] = their_day
        elif their_day and their_day != mine_day:
            plan.aside.append(f"{label} {_day(their_day)}")


def _plan_circle(keep: Person, drop: Person, plan: FieldPlan) -> None:
    """Circle and check-in cadence fill an empty one; closeness always has a value, so the
    dropped person's only goes aside."""
    if drop.circle and not keep.circle:
        plan.values["circle"] = drop.circle
    elif drop.circle and drop.circle != keep.circle:
        plan.aside.append(f"circle {Circle(drop.circle).label}")
    if drop.closeness != keep.closeness:
        plan.aside.append(f"closeness {Closeness(drop.closeness).label}")
    theirs_cadence = _cadence_words(drop)
    if theirs_cadence and not _cadence_words(keep):
        plan.values["cadence_days"], plan.values["is_cadence_never"] = drop.cadence_days, drop.is_cadence_never
    elif theirs_cadence and theirs_cadence != _cadence_words(keep):
        plan.aside.append(theirs_cadence)


def _plan_role(keep: Person, drop: Person, plan: FieldPlan) -> None:
    """Organization and title go together: a title is only true at its organization."""
    if not drop.organization_id and not drop.title:
        return
    if not keep.organization_id and not keep.title:
        if drop.organization_id:
            plan.values["organization"] = drop.organization
        if drop.title:
            plan.values["title"] = drop.title
        return
    same_org = keep.organization_id == drop.organization_id or not drop.organization_id
    if same_org and (not drop.title or _same_text(keep.title, drop.title)):
        return
    if keep.organization_id == drop.organization_id and not keep.title:
        plan.values["title"] = drop.title
        return
    if not keep.organization_id and (not drop.title or _same_text(keep.title, drop.title)):
        plan.values["organization"] = drop.organization
        return
    plan.aside.append(f"title {_role(drop)}" if drop.title else f"organization {_role(drop)}")


def _plan_met_through(keep: Person, drop: Person, plan: FieldPlan) -> None:
    # Neither may end up met through themselves: through the dropped person now means the kept one.
    theirs = drop.met_through if drop.met_through_id not in (None, keep.pk, drop.pk) else None
    if keep.met_through_id == drop.pk or (theirs is not None and keep.met_through_id is None):
        plan.values["met_through"] = theirs
    elif theirs is not None and keep.met_through_id != theirs.pk:
        plan.aside.append(f"met through {theirs.full_name}")


def _plan_prospect(keep: Person, drop: Person, plan: FieldPlan) -> None:
    """Someone in the network is not a prospect: if either of the two was met, the merged person
    was. The why stays, as it does for a prospect who is met ("Wanted to meet")."""
    if keep.is_prospect and not drop.is_prospect:
        plan.values["is_prospect"], plan.values["prospect_status"] = False, drop.prospect_status
    elif drop.prospect_status and not keep.prospect_status and keep.is_prospect == drop.is_prospect:
        plan.values["prospect_status"] = drop.prospect_status
    theirs, mine = drop.why.strip(), keep.why.strip()
    if theirs and not mine:
        plan.values["why"] = theirs
    elif theirs and not _same_text(mine, theirs):
        plan.aside.append(f"wanted to meet them: {_one_line(theirs)}")


def merged_notes(keep: Person, drop: Person, aside: Sequence[str]) -> str:
    """The kept person's notes, then a paragraph naming the dropped person with the values set
    aside, then the dropped person's own notes (unless the kept notes already hold them)."""
    mine, theirs = keep.notes.strip(), drop.notes.strip()
    if theirs and theirs in mine:
        theirs = ""
    if not aside and not theirs:
        return keep.notes
    head = f"From the merge with {drop.full_name} (#{drop.pk})"
    if aside:
        head += ": " + "; ".join(aside) + "."
        if theirs:
            head += " Their notes:"
    else:
        head += ", their notes:"
    return "\n\n".join(part for part in (mine, head, theirs) if part)


@dataclass(frozen=True)
class MergePreview:
    """What merging ``drop`` into ``keep`` would do, for a confirmation page."""

    keep: Person
    drop: Person
    moves: dict[str, int]  # "touches": 3, "emails": 1... only what drop has
    taken: list[str]  # fields of drop that fill keep's empty ones
    aside: list[str]  # drop's values that go to keep's notes

    @property
    def moves_in_words(self) -> list[str]:
        words = {
            "touches": ("touch", "touches"),
            "follow_ups": ("follow-up", "follow-ups"),
            "emails": ("email", "emails"),
            "phones": ("phone number", "phone numbers"),
            "links": ("link", "links"),
            "interests": ("interest", "interests"),
            "needs": ("need", "needs"),
            "offers": ("offer", "offers"),
            "positions": ("role", "roles"),
            "history": ("history entry", "history entries"),
            "introduced": ("person met through them", "people met through them"),
        }
        found = []
        for key, count in self.moves.items():
            one, many = words.get(key, (key, key))
            found.append(f"{count} {one if count == 1 else many}")
        return found


# What moves, as (key in MergePreview.moves and the history entry, model, field to Person), after
# what the registered merge steps move ("touches", "follow_ups").
_MOVED: tuple[tuple[str, type[models.Model], str], ...] = (
    ("emails", Email, "person"),
    ("phones", Phone, "person"),
    ("links", Link, "person"),
    ("interests", Interest, "person"),
    ("needs", Need, "person"),
    ("offers", Offer, "person"),
    ("positions", Position, "person"),
    ("history", HistoryEntry, "person"),
    ("introduced", Person, "met_through"),
)
# Rows unique per person on a key: an exact repeat of one the kept person has is not moved.
_UNIQUE_KEYS: dict[str, tuple[Any, str]] = {
    "phones": (Phone, "number"),
    "links": (Link, "url"),
    "interests": (Interest, "key"),
    "needs": (Need, "key"),
    "offers": (Offer, "key"),
}


def _repeats(owner: User, key: str, keep: Person, drop: Person) -> QuerySet[Any]:
    """The dropped person's rows of one kind that the kept person has already: the same phone
    number, link, interest, need or offer."""
    model, column = _UNIQUE_KEYS[key]
    rows: QuerySet[Any] = model.objects.for_owner(owner)
    return rows.filter(person=drop, **{f"{column}__in": rows.filter(person=keep).values(column)})


def preview_merge(owner: User, keep: Person, drop: Person) -> MergePreview:
    """What ``merge_people(owner, keep, drop)`` would move and keep, without changing anything."""
    _check(owner, keep, drop)
    merging = Merging(owner, keep, drop)
    moves = {}
    for step in merge_steps.items():
        if step.key and (count := step.count(merging)):
            moves[step.key] = count
    for key, model, field_name in _MOVED:
        count = model._default_manager.filter(owner=owner, **{field_name: drop.pk}).count()
        if key in _UNIQUE_KEYS:
            count -= _repeats(owner, key, keep, drop).count()
        if key == "introduced":
            count -= int(keep.met_through_id == drop.pk)
        if count:
            moves[key] = count
    plan = plan_fields(keep, drop)
    return MergePreview(keep=keep, drop=drop, moves=moves, taken=plan.taken, aside=plan.aside)


def _check(owner: User, keep: Person, drop: Person) -> None:
    require_owned(owner, keep, drop, field="person", message="no such person")
    if keep.pk == drop.pk:
        raise BadInput("drop", "a person cannot be merged with themselves")


def _move(owner: User, key: str, keep: Person, drop: Person) -> int:
    """Move the dropped person's rows of one kind to the kept person, but for repeats of rows
    the kept person has (see ``_repeats``), which go. Returns how many moved."""
    model = next(model for moved, model, _field in _MOVED if moved == key)
    _repeats(owner, key, keep, drop).delete()
    return int(model._default_manager.filter(owner=owner, person=drop).update(person=keep))


def _move_positions(owner: User, keep: Person, drop: Person, today: date) -> int:
    """Roles move as history. Afterwards one role is current, the kept person's organization and
    title; another role still open is closed today (it is set aside in the notes), and a copy of
    the current one, or a vaguer copy (the same organization without a title), is removed."""
    moved = Position.objects.for_owner(owner).filter(person=drop).update(person=keep)
    current = (keep.organization_id, keep.title)
    still_open = list(Position.objects.for_owner(owner).current().filter(person=keep).order_by("id"))
    kept = next((p for p in still_open if (p.organization_id, p.title) == current), None)
    for position in still_open:
        if position is kept:
            continue
        vaguer = position.organization_id == keep.organization_id and not position.title
        if (position.organization_id, position.title) == current or vaguer:
            position.delete()
        else:
            position.ended_on = today
            position.save(update_fields=["ended_on"])
    if kept is None and (keep.organization_id or keep.title):
        Position.objects.create(
            owner=owner, person=keep, organization_id=keep.organization_id, title=keep.title, started_on=None
        )
    return int(moved)


def _move_distinct_pairs(owner: User, keep: Person, drop: Person) -> int:
    """The people the dropped person was marked distinct from are distinct from the kept one."""
    pairs = DistinctPair.objects.for_owner(owner)
    moved = 0
    for pair in list(pairs.filter(Q(first=drop) | Q(second=drop))):
        other = pair.second_id if pair.first_id == drop.pk else pair.first_id
        pair.delete()
        if other == keep.pk:
            continue
        first, second = _ordered(keep.pk, other)
        _, created = pairs.get_or_create(
            owner=owner, first_id=first, second_id=second, defaults={"created_at": pair.created_at}
        )
        moved += int(created)
    return moved


def _origin(owner: User, person: Person, tz: tzinfo) -> str:
    """How the person came to be in the network: "added by the import of contacts.vcf", or
    "added on 3 March 2025"."""
    imported = (
        HistoryEntry.objects.for_owner(owner)
        .filter(person=person, kind=HistoryEntry.Kind.IMPORTED)
        .order_by("happened_at", "id")
        .first()
    )
    if imported is not None and imported.text:
        return imported.text[0].lower() + imported.text[1:]
    return f"added on {_day(person.created_at.astimezone(tz).date())}"


@transaction.atomic
def merge_people(owner: User, keep: Person, drop: Person, *, now: datetime | None = None) -> Person:
    """Merge ``drop`` into ``keep`` and delete ``drop``: nothing is lost.

    Every touch, follow-up, email, phone, link, role, interest, need, offer, history entry and
    person met through them moves to ``keep`` (exact repeats once). ``drop``'s details fill
    ``keep``'s empty fields; where both are set ``keep`` wins and ``drop``'s value is written in
    ``keep``'s notes, after both people's notes. A history entry on ``keep`` records the merge.
    """
    _check(owner, keep, drop)
    now = now or clock.now()
    tz = get_profile(owner).tz
    # Read both under a lock: the objects in hand may be stale, or one already merged away.
    locked = Person.objects.select_for_update().filter(owner=owner, pk__in=[keep.pk, drop.pk]).in_bulk()
    if len(locked) != 2:
        raise NotFound("person", "no such person (merged or deleted meanwhile?)")
    keep, drop = locked[keep.pk], locked[drop.pk]
    plan = plan_fields(keep, drop)
    origin = _origin(owner, drop, tz)
    was_prospect = drop.is_prospect and not keep.is_prospect

    moved: dict[str, int] = {}
    merging = Merging(owner, keep, drop)
    for step in merge_steps.items():
        count = step.move(merging)
        if step.key:
            moved[step.key] = count
    moved |= {
        "emails": Email.objects.for_owner(owner).filter(person=drop).update(person=keep),
        "phones": _move(owner, "phones", keep, drop),
        "links": _move(owner, "links", keep, drop),
        "interests": _move(owner, "interests", keep, drop),
        "needs": _move(owner, "needs", keep, drop),
        "offers": _move(owner, "offers", keep, drop),
        "history": HistoryEntry.objects.for_owner(owner).filter(person=drop).update(person=keep),
        "introduced": Person.objects.for_owner(owner)
        .filter(met_through=drop)
        .exclude(pk=keep.pk)
        .update(met_through=keep),
        "distinct_pairs": _move_distinct_pairs(owner, keep, drop),
    }
    moved.update(_move_other_relations(keep, drop))

    for attr, value in plan.values.items():
        setattr(keep, attr, value)
    keep.notes = merged_notes(keep, drop, plan.aside)
    keep.updated_at = now
    keep.save()
    moved["positions"] = _move_positions(owner, keep, drop, now.astimezone(tz).date())

    data: dict[str, Any] = {"dropped_id": drop.pk, "dropped_name": drop.full_name, "moved": moved}
    if plan.aside:
        data["set_aside"] = plan.aside
    if was_prospect:
        data["dropped_was_prospect"], data["dropped_why"] = True, drop.why
    HistoryEntry.objects.create(
        owner=owner,
        person=keep,
        kind=HistoryEntry.Kind.MERGED,
        text=f"Merged with {drop.full_name} (#{drop.pk}), {origin}"[:500],
        happened_at=now,
        data=data,
    )
    _delete_emptied(drop)
    refresh_search(owner, [keep.pk])
    people_merged.run(Merged(owner, keep, now))
    return Person.objects.select_related("organization", "met_through").get(pk=keep.pk)


def _delete_emptied(drop: Person) -> None:
    """Delete the dropped person, who should have nothing left to cascade: if anything would go
    with them, a relation was missed, and the whole merge is undone rather than lose it."""
    _count, deleted = Person.objects.filter(pk=drop.pk).delete()
    lost = {label: n for label, n in deleted.items() if n and label != "people.Person"}
    if lost:
        raise RuntimeError(f"merge would have deleted {lost}; nothing was changed")
