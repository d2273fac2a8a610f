"""Career goals ("move into finance", "a way into Acme"): the only code that writes them, and
what a goal's page shows: who the user knows at each target organization, the prospects, what
happened with those people lately, and the one thing to do next."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from kithkin.core import clock
from kithkin.core.choices import Closeness
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.refs import by_id, parse_ref
from kithkin.core.shortcuts import require_owned
from kithkin.exchanges.models import Ask, Exchange
from kithkin.goals.models import Goal, GoalOrganization, GoalPerson
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.lib.names import clean_name
from kithkin.lib.relative import describe_ago
from kithkin.people.models import Organization, Person, Position
from kithkin.people.services import find_person, get_or_create_organization, want_to_meet

MAX_TEXT = 300
MAX_TARGETS = 50
# How many people a goal's page lists for each target organization (strongest first), and
# how many of the rest: a big employer may hold thousands of a network's people.
PEOPLE_PER_ORGANIZATION = 12
FORMER_PER_ORGANIZATION = 5
RECENT_ROWS = 10
PROSPECTS_SHOWN = 20
# In touch within this long: not the person to ask first (you were just in touch).
RECENT_TOUCH = timedelta(days=30)

# Strongest relationship first.
CLOSENESS_RANK = Case(
    *(When(closeness=level, then=Value(rank)) for rank, level in enumerate(Closeness.values)),
    default=Value(len(Closeness.values)),
    output_field=IntegerField(),
)


def _clean_text(text: str, field_name: str = "TEXT") -> str:
    cleaned = clean_name(text)
    if not cleaned:
        raise BadInput(field_name, "say what the goal is, like 'Move into finance' or 'A way into Acme'")
    if len(cleaned) > MAX_TEXT:
        raise BadInput(field_name, f"must be at most {MAX_TEXT} characters")
    return cleaned


def _organizations(owner: User, names: Sequence[str]) -> list[Organization]:
    found: dict[str, Organization] = {}
    for name in names:
        cleaned = clean_name(name)
        if cleaned and cleaned.lower() not in found:
            if len(cleaned) > 200:
                raise BadInput("target-org", "an organization's name must be at most 200 characters")
            found[cleaned.lower()] = get_or_create_organization(owner, cleaned)
    return list(found.values())


def _add_targets(
    owner: User,
    goal: Goal,
    organizations: Sequence[str],
    people: Sequence[Person],
    new_prospects: Sequence[str],
    now: datetime,
) -> None:
    require_owned(owner, *people, field="target-person", message="no such person")
    orgs = _organizations(owner, organizations)
    why = f"For my goal: {goal.text}"[:MAX_TEXT]
    added = [want_to_meet(owner, name, why) for name in dict.fromkeys(clean_name(n) for n in new_prospects) if name]
    have_orgs = set(
        GoalOrganization.objects.for_owner(owner).filter(goal=goal).values_list("organization_id", flat=True)
    )
    have_people = set(GoalPerson.objects.for_owner(owner).filter(goal=goal).values_list("person_id", flat=True))
    new_orgs = [o for o in orgs if o.pk not in have_orgs]
    new_people = list({p.pk: p for p in [*people, *added] if p.pk not in have_people}.values())
    if len(have_orgs) + len(new_orgs) > MAX_TARGETS or len(have_people) + len(new_people) > MAX_TARGETS:
        raise BadInput("target", f"a goal takes at most {MAX_TARGETS} organizations and {MAX_TARGETS} people")
    GoalOrganization.objects.bulk_create(GoalOrganization(owner=owner, goal=goal, organization=o) for o in new_orgs)
    GoalPerson.objects.bulk_create(GoalPerson(owner=owner, goal=goal, person=p) for p in new_people)


@transaction.atomic
def add_goal(
    owner: User,
    text: str,
    *,
    organizations: Sequence[str] = (),
    people: Sequence[Person] = (),
    new_prospects: Sequence[str] = (),
    pitch: str = "",
    now: datetime | None = None,
) -> Goal:
    """A career goal, with the organizations and people it is about. ``organizations`` are
    names (new ones are added); ``new_prospects`` are names of people the user does not know
    yet, added as people to meet, with the goal as their why."""
    now = now or clock.now()
    goal = Goal.objects.create(owner=owner, text=_clean_text(text), pitch=pitch.strip(), created_at=now)
    _add_targets(owner, goal, organizations, people, new_prospects, now)
    return goal


@transaction.atomic
def edit_goal(
    owner: User,
    goal: Goal,
    *,
    text: str | None = None,
    pitch: str | None = None,
    add_organizations: Sequence[str] = (),
    add_people: Sequence[Person] = (),
    new_prospects: Sequence[str] = (),
    remove_organizations: Sequence[int] = (),
    remove_people: Sequence[int] = (),
    now: datetime | None = None,
) -> Goal:
    """Change a goal's words or its targets (organizations and people to add or take away, by id)."""
    require_owned(owner, goal, field="goal", message="no such goal")
    now = now or clock.now()
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if text is not None:
        goal.text = _clean_text(text)
    if pitch is not None:
        goal.pitch = pitch.strip()
    goal.save(update_fields=["text", "pitch"])
    targets = GoalOrganization.objects.for_owner(owner).filter(goal=goal)
    targets.filter(organization_id__in=list(remove_organizations)).delete()
    GoalPerson.objects.for_owner(owner).filter(goal=goal, person_id__in=list(remove_people)).delete()
    _add_targets(owner, goal, add_organizations, add_people, new_prospects, now)
    return goal


@transaction.atomic
def complete_goal(owner: User, goal: Goal, *, now: datetime | None = None) -> Goal:
    """Mark a goal achieved; it stays on the list, below the open ones."""
    require_owned(owner, goal, field="goal", message="no such goal")
    if goal.achieved_at is not None:
        raise BadInput("goal", f"goal #{goal.pk} is already achieved")
    goal.achieved_at = now or clock.now()
    goal.save(update_fields=["achieved_at"])
    return goal


@transaction.atomic
def reopen_goal(owner: User, goal: Goal) -> Goal:
    require_owned(owner, goal, field="goal", message="no such goal")
    goal.achieved_at = None
    goal.save(update_fields=["achieved_at"])
    return goal


def split_targets(
    owner: User, refs: Sequence[str], field_name: str = "target-person"
) -> tuple[list[Person], list[str]]:
    """The people named as a goal's targets, and the names that match nobody (to add as people to
    meet). An id or an email that matches nobody is refused: it cannot be a new person's name."""
    found: list[Person] = []
    new: list[str] = []
    for ref in refs:
        try:
            found.append(find_person(owner, ref, field_name))
        except NotFound:
            if "@" in ref or re.fullmatch(r"\s*#?\d+\s*", ref):
                raise
            new.append(ref)
    return found, new


def find_goal(owner: User, ref: str, field_name: str = "GOAL") -> Goal:
    """The goal ``ref`` names: an id ("3" or "#3") or words of its text ("acme")."""
    text = parse_ref(ref, field_name)
    goals = Goal.objects.for_owner(owner)
    if isinstance(text, int):
        return by_id(goals, text, field=field_name, noun="goal")
    exact = list(goals.filter(text__iexact=text)[:10])
    if len(exact) == 1:
        return exact[0]
    matching = exact or list(goals.filter(text__icontains=text).order_by(F("achieved_at").asc(nulls_first=True))[:10])
    open_ones = [g for g in matching if g.achieved_at is None]
    if len(matching) == 1 or len(open_ones) == 1:
        return matching[0] if len(matching) == 1 else open_ones[0]
    if matching:
        raise BadInput(field_name, f"{text!r} is ambiguous: " + "; ".join(f"{g.text} (#{g.pk})" for g in matching))
    raise NotFound(field_name, f"no goal matches {text!r}; see kithkin goal list")


# --- reading goals ----------------------------------------------------------------------------


@dataclass
class GoalSummary:
    goal: Goal
    organizations: list[Organization]
    people: list[Person]
    known: int  # people the user knows at the target organizations

    @property
    def is_open(self) -> bool:
        return self.goal.achieved_at is None


def goal_summaries(owner: User, *, include_achieved: bool = True) -> list[GoalSummary]:
    """Every goal, open ones first (newest first), with its targets: four queries in all."""
    goals = Goal.objects.for_owner(owner).order_by(F("achieved_at").desc(nulls_first=True), "-created_at", "-id")
    if not include_achieved:
        goals = goals.filter(achieved_at__isnull=True)
    found = list(goals)
    ids = [g.pk for g in found]
    orgs: dict[int, list[Organization]] = {pk: [] for pk in ids}
    for row in GoalOrganization.objects.for_owner(owner).filter(goal_id__in=ids).select_related("organization"):
        orgs[row.goal_id].append(row.organization)
    people: dict[int, list[Person]] = {pk: [] for pk in ids}
    for target in GoalPerson.objects.for_owner(owner).filter(goal_id__in=ids).select_related("person"):
        people[target.goal_id].append(target.person)
    org_ids = {o.pk for found_orgs in orgs.values() for o in found_orgs}
    counts = dict(
        Person.objects.for_owner(owner)
        .in_network()
        .filter(organization_id__in=org_ids)
        .order_by()
        .values("organization_id")
        .annotate(n=Count("id"))
        .values_list("organization_id", "n")
    )
    return [GoalSummary(g, orgs[g.pk], people[g.pk], sum(counts.get(o.pk, 0) for o in orgs[g.pk])) for g in found]


@dataclass
class OrganizationTargets:
    """A target organization: the people the user knows there (strongest relationship first),
    how many in all, and people who used to work there."""

    organization: Organization
    people: list[Person] = field(default_factory=list)
    count: int = 0
    former: list[Position] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.people)


@dataclass
class NextStep:
    text: str
    person: Person | None = None


@dataclass
class GoalOverview:
    goal: Goal
    organizations: list[OrganizationTargets]
    people: list[Person]  # target people already in the network
    prospects: list[Person]  # target people to meet, and people to meet at target organizations
    touches: list[Touch]
    exchanges: list[Exchange]
    asks: list[Ask]
    next_step: NextStep


def _strongest_first(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.annotate(rank=CLOSENESS_RANK).order_by("rank", F("last_touch_at").desc(nulls_last=True), "id")


def _in_touch(person: Person, now: datetime) -> str:
    when = f"last in touch {describe_ago(person.last_touch_at, now)}" if person.last_touch_at else "never in touch"
    return f"{person.get_closeness_display()}, {when}"


def _next_step(
    owner: User, goal: Goal, org_ids: list[int], targets: list[Person], prospects: list[Person], now: datetime
) -> NextStep:
    """The person at a target organization with the strongest relationship and no recent touch
    (ask them for a way in); else a target person not in touch lately; else a prospect to find
    a way to."""
    quiet = Q(last_touch_at__isnull=True) | Q(last_touch_at__lt=now - RECENT_TOUCH)
    candidate = (
        _strongest_first(Person.objects.for_owner(owner).filter(quiet).in_network().filter(organization_id__in=org_ids))
        .select_related("organization")
        .first()
    )
    if candidate is not None and candidate.organization is not None:
        return NextStep(
            f"Ask {candidate.short_name} ({_in_touch(candidate, now)}) for a way into {candidate.organization.name}",
            candidate,
        )
    recent = now - RECENT_TOUCH
    for person in sorted(targets, key=lambda p: (Closeness.values.index(p.closeness), p.pk)):
        if person.last_touch_at is None or person.last_touch_at < recent:
            return NextStep(f"Get back in touch with {person.short_name} ({_in_touch(person, now)})", person)
    if prospects:
        person = prospects[0]
        where = f" at {person.organization.name}" if person.organization else ""
        return NextStep(f"Find a way to meet {person.full_name}{where}: who do you know who knows them?", person)
    if org_ids:
        return NextStep("You have been in touch with everyone you know there lately: ask one of them whom to meet next")
    if targets:
        return NextStep("You have been in touch with each of this goal's people lately: well kept")
    return NextStep("Add the organizations and people this goal is about, and Kithkin will find your way in")


def goal_overview(owner: User, goal: Goal, *, now: datetime | None = None) -> GoalOverview:
    """Everything a goal's page shows, in a fixed number of queries (about a dozen) whatever the
    size of the network or of its organizations."""
    now = now or clock.now()
    org_rows = list(GoalOrganization.objects.for_owner(owner).filter(goal=goal).select_related("organization"))
    org_ids = [row.organization_id for row in org_rows]
    by_org = {row.organization_id: OrganizationTargets(row.organization) for row in org_rows}
    targets = [
        t.person for t in GoalPerson.objects.for_owner(owner).filter(goal=goal).select_related("person__organization")
    ]
    people = Person.objects.for_owner(owner).in_network().filter(organization_id__in=org_ids)
    # The strongest few at each organization, in one query: a window numbers each one's people.
    shown = (
        _strongest_first(people)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("organization_id")],
                order_by=[CLOSENESS_RANK.asc(), F("last_touch_at").desc(nulls_last=True), F("id").asc()],
            )
        )
        .filter(place__lte=PEOPLE_PER_ORGANIZATION)
    )
    for person in shown:
        assert person.organization_id is not None
        by_org[person.organization_id].people.append(person)
    for org_id, count in (
        people.order_by().values("organization_id").annotate(n=Count("id")).values_list("organization_id", "n")
    ):
        by_org[org_id].count = count
    former = (
        Position.objects.for_owner(owner)
        .filter(organization_id__in=org_ids, ended_on__isnull=False)
        .exclude(person__organization_id=F("organization_id"))
        .select_related("person")
        .annotate(
            place=Window(
                RowNumber(), partition_by=[F("organization_id")], order_by=[F("ended_on").desc(), F("id").desc()]
            )
        )
        .filter(place__lte=FORMER_PER_ORGANIZATION)
    )
    for position in former:
        assert position.organization_id is not None
        by_org[position.organization_id].former.append(position)
    known = [p for p in targets if not p.is_prospect]
    prospects = [p for p in targets if p.is_prospect]
    target_ids = {p.pk for p in targets}
    prospects += [
        p
        for p in Person.objects.for_owner(owner)
        .prospects()
        .filter(organization_id__in=org_ids)
        .select_related("organization")
        .order_by("full_name", "id")[:PROSPECTS_SHOWN]
        if p.pk not in target_ids
    ]
    related = Q(person_id__in=list(target_ids)) | Q(person__organization_id__in=org_ids)
    # The latest touches with those people, from the participants' own copy of when: their index
    # on (person, happened_at) answers it without reading the touches.
    latest = (
        TouchParticipant.objects.for_owner(owner)
        .filter(related)
        .order_by("-happened_at", "-touch_id")
        .values_list("touch_id", flat=True)[: RECENT_ROWS * 4]
    )
    touch_ids = list(dict.fromkeys(latest))[:RECENT_ROWS]
    touches = list(
        Touch.objects.for_owner(owner)
        .filter(pk__in=touch_ids)
        .order_by("-happened_at", "-id")
        .prefetch_related("participants__person")
    )
    exchanges = list(Exchange.objects.for_owner(owner).filter(related).select_related("person")[:RECENT_ROWS])
    asks = list(Ask.objects.for_owner(owner).filter(related).select_related("person")[:RECENT_ROWS])
    return GoalOverview(
        goal=goal,
        organizations=[by_org[pk] for pk in org_ids],
        people=known,
        prospects=prospects,
        touches=touches,
        exchanges=exchanges,
        asks=asks,
        next_step=_next_step(owner, goal, org_ids, known, prospects, now),
    )


def goals_of(owner: User, person: Person) -> list[Goal]:
    """The open goals a person is a target of, directly or through their organization."""
    query = Q(target_people__person=person)
    if person.organization_id:
        query |= Q(target_organizations__organization_id=person.organization_id)
    return list(Goal.objects.for_owner(owner).filter(query, achieved_at__isnull=True).distinct()[:10])
