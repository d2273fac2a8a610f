"""Warm paths: who could introduce you to a person, or get you into an organization.

A path goes from you through one person you know (the introducer) to the target: two hops to a
person, three to an organization where the last hop is "works at". It is scored from your
strength with the introducer (their tie with you, ``kithkin.network.strength``), the introducer's
tie with the target (``ties.tie_strength``), both of which already weigh how recent they are::

    score = 100 · (you ↔ introducer)/100 · (introducer ↔ target)/100

An introducer who works at the organization themselves is a path of their own (their tie to it
counts as 100 while they are there, 60 once they have left); a path through a colleague of theirs
costs a tenth more (a longer way round). Each path says why in a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q

from kithkin.core import clock
from kithkin.core.drafts import Draft
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.refs import by_id, parse_ref
from kithkin.core.shortcuts import require_owned
from kithkin.drafts.services import draft_intro_ask
from kithkin.exchanges.models import Ask, Kind
from kithkin.exchanges.services import record_ask
from kithkin.interactions.models import TouchParticipant
from kithkin.network import strength as model
from kithkin.network.models import RemovedTie, Tie
from kithkin.network.services import ensure_strengths, summaries
from kithkin.network.ties import (
    COLLEAGUE_CAP,
    colleague_evidence,
    ensure_ties,
    pair,
    stints_at,
    summarize,
    tie_strength,
)
from kithkin.people.models import Organization, Person, Position
from kithkin.people.services import set_prospect_status

# Your tie with someone who works at the organization now, and with someone who has left it.
INSIDER_NOW = 100.0
INSIDER_BEFORE = 60.0
# A path through an insider's colleague goes one step further round.
EXTRA_HOP = 0.9
# Introducers weaker than this with you are not worth asking.
MIN_YOU = 1.0
# Colleagues of the target considered at a large organization (where pairs are not stored).
LARGE_ORG_POOL = 200


@dataclass
class Path:
    """One way in: you → ``introducer`` (→ ``target``) [→ works at ``organization``]."""

    introducer: Person
    score: float
    you_strength: float
    tie_strength: float
    why: str
    target: Person | None = None
    organization: Organization | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    also: int = 0  # other people at the organization the introducer knows

    def to_json(self) -> dict[str, Any]:
        return {
            "introducer": {"id": self.introducer.pk, "name": self.introducer.full_name},
            "target": {"id": self.target.pk, "name": self.target.full_name} if self.target else None,
            "organization": {"id": self.organization.pk, "name": self.organization.name} if self.organization else None,
            "score": round(self.score, 1),
            "you_strength": round(self.you_strength, 1),
            "tie_strength": round(self.tie_strength, 1),
            "why": self.why,
            "evidence": self.evidence,
            "also_knows": self.also,
        }


# --- finding things by name ---------------------------------------------------------------------


def find_organization(owner: User, ref: str, field_name: str = "organization") -> Organization:
    """The organization ``ref`` names: an id, its whole name (ignoring case), or the start of it."""
    text = parse_ref(ref, field_name)
    orgs = Organization.objects.for_owner(owner)
    if isinstance(text, int):
        return by_id(orgs, text, field=field_name, noun="organization")
    exact = orgs.filter(name__iexact=text).first()
    if exact is not None:
        return exact
    starting = list(orgs.filter(name__istartswith=text).order_by("name")[:6])
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise BadInput(field_name, f"{text!r} is ambiguous: " + "; ".join(o.name for o in starting[:5]))
    raise NotFound(field_name, f"no organization is called {text!r}")


# --- sentences ----------------------------------------------------------------------------------


def _years(since: date | None, until: date | None, ongoing: bool) -> str:
    if since and until:
        return f" from {since.year} to {until.year}" if since.year != until.year else f" in {since.year}"
    if since and ongoing:
        return f" since {since.year}"
    if until:
        return f" until {until.year}"
    return ""


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def evidence_sentence(entry: dict[str, Any], subject: str, other: str, orgs: dict[int, str], ids: Sequence[int]) -> str:
    """One piece of evidence in words, with ``subject`` first ("Ana worked at Stripe with Bo
    from 2019 to 2022"); ``ids`` are the subject's and the other's ids, to tell who introduced whom."""
    kind = entry["kind"]
    since, until = _date(entry.get("since")), _date(entry.get("until"))
    count = entry.get("count", 1)
    if kind == "recorded":
        how = entry.get("how") or ""
        return f"you said {subject} knows {other}" + (f" ({how})" if how else "")
    if kind == "introducer":
        by = entry.get("by")
        return f"{subject} introduced you to {other}" if by == ids[0] else f"{other} introduced you to {subject}"
    if kind == "introduced":
        return f"you introduced {subject} and {other}" + (f" in {since.year}" if since else "")
    if kind == "colleague":
        org = orgs.get(entry.get("organization_id", 0), "the same organization")
        if entry.get("ongoing"):
            return f"{subject} works at {org} with {other}" + _years(since, None, True)
        return f"{subject} worked at {org} with {other}" + _years(since, until, False)
    if kind in {"touch", "calendar"}:
        where = "meetings in your calendar" if kind == "calendar" else "your touches"
        times = "once" if count == 1 else f"{count} times"
        last = f", last in {until:%B %Y}" if until else ""
        return f"{subject} was with {other} at {where} {times}{last}"
    if kind == "event":
        names = ", ".join(entry.get("events", [])) or "an event"
        return f"you met {subject} and {other} at {names}"
    return f"{subject} knows {other}"


def _ago(days: int) -> str:
    if days < 1:
        return "today"
    if days < 2:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 28:
        return f"{days // 7} weeks ago"
    if days < 62:
        return "last month"
    if days < 365:
        return f"{round(days / 30.44)} months ago"
    years = days // 365
    return "a year ago" if years == 1 else f"{years} years ago"


KIND_WORDS = {
    "coffee": "had coffee with",
    "meal": "had a meal with",
    "meeting": "met",
    "call": "called",
    "video": "had a video call with",
    "email": "emailed",
    "message": "messaged",
    "event": "saw",
    "informational_interview": "had an informational interview with",
    "social": "spent time with",
    "help": "helped or were helped by",
}


def _last_touches(owner: User, ids: Iterable[int]) -> dict[int, tuple[str, datetime]]:
    """Each person's latest touch: its kind and when, in one query (the moment is kept on Person)."""
    chosen = sorted(set(ids))
    if not chosen:
        return {}
    rows = (
        TouchParticipant.objects.for_owner(owner)
        .filter(person_id__in=chosen, happened_at=F("person__last_touch_at"))
        .order_by("person_id", "-touch_id")
        .values_list("person_id", "touch__kind", "happened_at")
    )
    found: dict[int, tuple[str, datetime]] = {}
    for pk, kind, at in rows:
        found.setdefault(pk, (kind, at))
    return found


def you_sentence(person: Person, last: tuple[str, datetime] | None, now: datetime) -> str:
    if last is None:
        return f"you have no touch logged with {person.short_name} yet"
    kind, at = last
    verb = KIND_WORDS.get(kind, "were in touch with")
    return f"you {verb} {person.short_name} {_ago((now - at).days)}"


# --- scoring ------------------------------------------------------------------------------------


def _yours(owner: User, ids: Iterable[int], now: datetime) -> dict[int, float]:
    """Your strength today with each of these people."""
    return {
        pk: model.strength_at(summary.log_key, summary.tau, now)
        for pk, summary in summaries(owner, ids).items()
        if summary.log_key is not None
    }


def _people(owner: User, ids: Iterable[int]) -> dict[int, Person]:
    """These people by id, with their organization, in one query (a query even for none)."""
    chosen = sorted(set(ids))
    found: dict[int, Person] = {}
    for start in range(0, max(len(chosen), 1), 500):
        part = chosen[start : start + 500] or [0]
        found.update(Person.objects.for_owner(owner).select_related("organization").in_bulk(part))
    return found


def _introducers(owner: User, ids: Iterable[int]) -> dict[int, Person]:
    """The people of ``ids`` who can introduce you: people you have met, not those you want to meet."""
    return {pk: p for pk, p in _people(owner, ids).items() if not p.is_prospect}


def _stored_ties(owner: User, target_ids: Sequence[int]) -> dict[int, list[tuple[int, Tie]]]:
    """For each target, the ties it has: (the other person, the tie)."""
    found: dict[int, list[tuple[int, Tie]]] = {pk: [] for pk in target_ids}
    wanted = set(target_ids)
    rows = Tie.objects.for_owner(owner).filter(Q(first_id__in=target_ids) | Q(second_id__in=target_ids))
    for tie in rows.only("first_id", "second_id", "weight", "last_day", "evidence"):
        if tie.first_id in wanted:
            found[tie.first_id].append((tie.second_id, tie))
        if tie.second_id in wanted:
            found[tie.second_id].append((tie.first_id, tie))
    return found


def colleagues_of(owner: User, person: Person, today: date) -> dict[int, Tie]:
    """The target's colleagues at organizations too large for stored ties, as unsaved ties."""
    orgs = set(
        Position.objects.for_owner(owner)
        .filter(person=person, organization__isnull=False)
        .values_list("organization_id", flat=True)
    )
    if person.organization_id:
        orgs.add(person.organization_id)
    removed = set(RemovedTie.objects.for_owner(owner).values_list("first_id", "second_id"))
    found: dict[int, Tie] = {}
    for stints in stints_at(owner, orgs).values():
        if len({s.person_id for s in stints}) <= COLLEAGUE_CAP:
            continue
        mine = [s for s in stints if s.person_id == person.pk]
        for other in stints:
            if other.person_id == person.pk or pair(person.pk, other.person_id) in removed:
                continue
            for one in mine:
                evidence = colleague_evidence(stints, one, other, today)
                if evidence is not None:
                    weight, first, last, _kinds, stored = summarize([evidence])
                    if other.person_id not in found or found[other.person_id].weight < weight:
                        found[other.person_id] = Tie(weight=weight, first_day=first, last_day=last, evidence=stored)
    return found


def _why(
    introducer: Person, target: Person, tie: Tie, last: tuple[str, datetime] | None, orgs: dict[int, str], now: datetime
) -> str:
    top = tie.evidence[0] if tie.evidence else {"kind": "recorded"}
    said = evidence_sentence(top, introducer.short_name, target.full_name, orgs, (introducer.pk, target.pk))
    said = said[0].upper() + said[1:]
    return f"{said}; {you_sentence(introducer, last, now)}."


def _org_names(owner: User, ties: Iterable[Tie], *also: int) -> dict[int, str]:
    """The names of the organizations the ties' evidence names (one query, whatever they are)."""
    ids = {e.get("organization_id") for t in ties for e in t.evidence if e.get("organization_id")} | set(also)
    # Always one query, even for none: a page's query count must not depend on what it shows.
    return dict(Organization.objects.for_owner(owner).filter(pk__in=sorted(ids) or [0]).values_list("pk", "name"))


def paths_to_person(owner: User, person: Person, *, now: datetime | None = None, limit: int = 10) -> list[Path]:
    """Who could introduce you to ``person``, best first: the people you know who know them."""
    now = now or clock.now()
    if person.owner_id != owner.pk:
        raise NotFound("person", "no such person")
    ensure_ties(owner, now=now)
    ensure_strengths(owner, now=now)
    today = now.date()
    ties = dict(_stored_ties(owner, [person.pk])[person.pk])
    for other, tie in colleagues_of(owner, person, today).items():
        ties.setdefault(other, tie)
    ties.pop(person.pk, None)
    yours = _yours(owner, ties, now)
    scored = []
    for other, tie in ties.items():
        you = yours.get(other, 0.0)
        if you < MIN_YOU:
            continue
        known = tie_strength(tie.weight, tie.last_day, today)
        scored.append((you * known / 100, other, you, known))
    scored.sort(key=lambda row: (-row[0], row[1]))
    people = _introducers(owner, [row[1] for row in scored[: limit * 2]])
    best = [row for row in scored if row[1] in people][:limit]
    lasts = _last_touches(owner, [row[1] for row in best])
    orgs = _org_names(owner, (ties[row[1]] for row in best))
    return [
        Path(
            people[pk],
            score,
            you,
            known,
            _why(people[pk], person, ties[pk], lasts.get(pk), orgs, now),
            target=person,
            evidence=ties[pk].evidence,
        )
        for score, pk, you, known in best
    ]


def _members(owner: User, organization: Organization) -> dict[int, bool]:
    """Everyone at the organization: True for those there now, False for those who have left."""
    members: dict[int, bool] = {}
    for stints in stints_at(owner, [organization.pk]).values():
        for stint in stints:
            members[stint.person_id] = members.get(stint.person_id, False) or stint.ended_on is None
    return members


@dataclass
class _Best:
    """An introducer's best way in: as an insider (``inside``: True now, False before, None not),
    or through the person there they know best (``target``, by ``tie``)."""

    you: float
    inside: bool | None = None
    target: int | None = None
    tie: Tie | None = None
    known: float = 0.0
    also: set[int] = field(default_factory=set)

    @property
    def insider_known(self) -> float:
        return 0.0 if self.inside is None else INSIDER_NOW if self.inside else INSIDER_BEFORE

    @property
    def score(self) -> float:
        return self.you * max(self.insider_known, self.known) / 100


def _why_inside(introducer: Person, organization: Organization, is_now: bool, last: str) -> str:
    there = "works at" if is_now else "worked at"
    role = f" ({introducer.title})" if is_now and introducer.title else ""
    return f"{introducer.short_name} {there} {organization.name}{role}; {last}."


def _ways_in(
    members: dict[int, bool], ties: dict[int, list[tuple[int, Tie]]], yours: dict[int, float], today: date
) -> dict[int, _Best]:
    best = {pk: _Best(yours[pk], inside=is_now) for pk, is_now in members.items() if yours.get(pk, 0.0) >= MIN_YOU}
    for target, found in ties.items():
        for other, tie in found:
            you = yours.get(other, 0.0)
            if you < MIN_YOU:
                continue
            entry = best.setdefault(other, _Best(you))
            entry.also.add(target)
            known = tie_strength(tie.weight, tie.last_day, today) * EXTRA_HOP
            if known > entry.known:
                entry.known, entry.target, entry.tie = known, target, tie
    return best


def paths_to_organization(
    owner: User, organization: Organization, *, now: datetime | None = None, limit: int = 10
) -> list[Path]:
    """Who could get you into ``organization``, best first: people you know who work or worked
    there, and people you know who know someone who works there now."""
    now = now or clock.now()
    if organization.owner_id != owner.pk:
        raise NotFound("organization", "no such organization")
    ensure_ties(owner, now=now)
    ensure_strengths(owner, now=now)
    members = _members(owner, organization)
    ties = _stored_ties(owner, [pk for pk, is_now in members.items() if is_now])
    candidates = set(members) | {other for found in ties.values() for other, _tie in found}
    best = _ways_in(members, ties, _yours(owner, candidates, now), now.date())
    ranked = sorted(best.items(), key=lambda item: (-item[1].score, item[0]))[: limit * 2]
    everyone = _people(owner, [pk for pk, _b in ranked] + [b.target for _pk, b in ranked if b.target])
    people = {pk: p for pk, p in everyone.items() if not p.is_prospect}
    chosen = [(pk, b) for pk, b in ranked if pk in people][:limit]
    targets = everyone
    lasts = _last_touches(owner, [pk for pk, _b in chosen])
    orgs = _org_names(owner, (b.tie for _pk, b in chosen if b.tie), organization.pk)
    paths = []
    for pk, entry in chosen:
        introducer, last = people[pk], you_sentence(people[pk], lasts.get(pk), now)
        target = targets.get(entry.target) if entry.target else None
        if entry.inside or target is None or entry.tie is None:
            why = _why_inside(introducer, organization, bool(entry.inside), last)
        else:
            why = _why(introducer, target, entry.tie, lasts.get(pk), orgs, now)
        evidence = entry.tie.evidence if entry.tie else []
        also = len(entry.also - {entry.target})
        strength = max(entry.insider_known, entry.known)
        paths.append(
            Path(
                introducer,
                entry.score,
                entry.you,
                strength,
                why[0].upper() + why[1:],
                target,
                organization,
                evidence,
                also,
            )
        )
    return paths


# --- the ties of one person, for their page ------------------------------------------------------


@dataclass
class Known:
    """Someone a person knows, and why Kithkin thinks so."""

    person: Person
    strength: float
    sentences: list[str]
    kinds: list[str]
    is_recorded: bool


def ties_of(owner: User, person: Person, *, now: datetime | None = None, limit: int = 20) -> tuple[list[Known], int]:
    """The people ``person`` knows, strongest tie first, and how many there are in all."""
    now = now or clock.now()
    if person.owner_id != owner.pk:
        raise NotFound("person", "no such person")
    ensure_ties(owner, now=now)
    today = now.date()
    found = _stored_ties(owner, [person.pk])[person.pk]
    ranked = sorted(found, key=lambda item: -tie_strength(item[1].weight, item[1].last_day, today))
    shown = ranked[:limit]
    people = Person.objects.for_owner(owner).select_related("organization").in_bulk([o for o, _t in shown])
    orgs = _org_names(owner, (t for _o, t in shown))
    known = []
    for other, tie in shown:
        if other not in people:
            continue
        sentences = [
            evidence_sentence(e, person.short_name, people[other].full_name, orgs, (person.pk, other))
            for e in tie.evidence
        ]
        kinds = [e["kind"] for e in tie.evidence]
        known.append(
            Known(people[other], tie_strength(tie.weight, tie.last_day, today), sentences, kinds, "recorded" in kinds)
        )
    return known, len(found)


# --- turning a path into an ask -------------------------------------------------------------------


def to_introducer(entry: dict[str, Any], target: str, orgs: dict[int, str], introducer_id: int) -> str:
    """The evidence as said to the introducer: "you worked at Stripe with Bo from 2019 to 2022"."""
    kind = entry["kind"]
    since, until = _date(entry.get("since")), _date(entry.get("until"))
    if kind == "colleague":
        org = orgs.get(entry.get("organization_id", 0), "the same place")
        if entry.get("ongoing"):
            return f"you work at {org} with {target}"
        return f"you worked at {org} with {target}" + _years(since, until, False)
    if kind == "introducer":
        return "you introduced me to them once" if entry.get("by") == introducer_id else f"{target} introduced us"
    if kind == "introduced":
        return "I introduced the two of you"
    if kind in {"touch", "calendar"}:
        return f"you and {target} were both there when we last met"
    if kind == "event":
        names = ", ".join(entry.get("events", [])) or "an event"
        return f"I met you both at {names}"
    return f"I believe you know {target}"


@dataclass(frozen=True)
class IntroAsk:
    ask: Ask
    draft: Draft
    introducer: Person
    target: Person | None
    organization: Organization | None


@transaction.atomic
def ask_for_introduction(
    owner: User,
    introducer: Person,
    *,
    target: Person | None = None,
    organization: Organization | None = None,
    why: str = "",
    now: datetime | None = None,
) -> IntroAsk:
    """Turn a warm path into an ask: the ask for an introduction goes in the ledger (open until the
    introduction comes: `kithkin got ... --kind intro --to` settles it), the person you want to meet
    moves to "asked for an intro", and the message to the introducer is drafted."""
    now = now or clock.now()
    require_owned(owner, introducer, target, organization, field="person", message="no such person")
    if target is None and organization is None:
        raise BadInput("target", "name the person or organization you want an introduction to")
    if target is not None and target.pk == introducer.pk:
        raise BadInput("introducer", f"{introducer.full_name} cannot introduce you to themselves")
    if introducer.is_prospect:
        raise BadInput("introducer", f"you have not met {introducer.full_name} yet: ask someone you know")
    why = " ".join(why.split()) or (target.why if target is not None and target.why else "")
    if not why:
        raise BadInput("why", "say why you want to meet them: it goes in the message")
    org = organization or (target.organization if target is not None else None)
    if target is not None:
        role = " at ".join(x for x in (target.title, org.name if org else "") if x)
        name = f"{target.full_name} ({role})" if role else target.full_name
        what = f"an introduction to {target.full_name}"
    else:
        assert organization is not None
        name = f"someone at {organization.name}"
        what = f"an introduction to someone at {organization.name}"
    tie_sentence = ""
    if target is not None:
        tie = (
            Tie.objects.for_owner(owner)
            .filter(first_id=min(introducer.pk, target.pk), second_id=max(introducer.pk, target.pk))
            .first()
        )
        if tie is not None and tie.evidence:
            tie_sentence = to_introducer(tie.evidence[0], target.short_name, _org_names(owner, [tie]), introducer.pk)
    elif organization is not None and _members(owner, organization).get(introducer.pk) is not None:
        there = "work" if _members(owner, organization)[introducer.pk] else "used to work"
        tie_sentence = f"you {there} at {organization.name}"
    ask = record_ask(owner, introducer, what, kind=Kind.INTRO, now=now)
    if target is not None and target.is_prospect and target.prospect_status != Person.ProspectStatus.MET:
        set_prospect_status(owner, target, Person.ProspectStatus.ASKED_FOR_INTRO, now=now)
    draft = draft_intro_ask(owner, introducer, target=name, why=why, their_tie=tie_sentence, now=now)
    return IntroAsk(ask, draft, introducer, target, organization)
