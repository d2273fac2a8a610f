"""A realistic synthetic network, for trying Kithkin and for benchmarks.

The same seed gives the same people, organizations and touches. Rows are written with bulk
statements (touches, their participants and people's details without a model instance per row),
and what is derived from them is worked out once at the end, by the services the app uses in
their bulk forms: check-ins for everyone, the thank-yous and close-the-loops of the last days'
touches, birthdays, search, strengths and ties. 30,000 people take well under a minute.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

from django.contrib.auth.models import User
from django.db import transaction

from kithkin.core import clock
from kithkin.core.choices import Circle, Closeness
from kithkin.core.db import bulk_load_cache, insert_rows, insert_rows_returning_ids, refresh_statistics
from kithkin.core.errors import BadInput
from kithkin.events.models import Event, EventHope, EventMet
from kithkin.exchanges.models import Ask, Exchange, Kind, Resource
from kithkin.followups.milestones import sync_birthdays
from kithkin.followups.models import FollowUp
from kithkin.followups.services import apply_rules_of_touches, sync_check_ins
from kithkin.goals.models import Goal, GoalOrganization
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.introductions.models import Introduction
from kithkin.lib.places import parse_place
from kithkin.network.services import refresh_strengths, strengths_paused
from kithkin.network.ties import refresh_ties
from kithkin.people.models import Email, Interest, Need, Offer, Organization, Person, Phone, Position, birthday_key
from kithkin.people.services import refresh_search

FIRST = [
    "Ana",
    "Bo",
    "Carlos",
    "Dana",
    "Elif",
    "Farah",
    "Gabriel",
    "Hana",
    "Ivan",
    "Jonas",
    "Kemi",
    "Lucía",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tomás",
    "Uma",
    "Valentina",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoë",
    "Aoife",
    "Björn",
    "Chidi",
    "Dmitri",
    "Esther",
    "Fatima",
    "Giulia",
    "Hiro",
    "Ingrid",
    "Jamal",
    "Keiko",
    "Lars",
    "Mei",
    "Nikolai",
    "Olga",
    "Pablo",
    "Rania",
    "Siobhán",
    "Tariq",
    "Ursula",
    "Vikram",
    "Wanjiru",
    "Yara",
    "Zainab",
    "Amir",
    "Beatriz",
    "Chen",
    "Daniel",
    "Emma",
    "François",
    "Grace",
    "Hugo",
    "Isabel",
    "Jorge",
    "Kofi",
    "Leila",
    "Marco",
    "Noor",
    "Oscar",
    "Paula",
    "Rahul",
    "Sara",
    "Thomas",
    "Amara",
    "Łukasz",
    "Søren",
    "Nguyễn",
    "Joaquín",
    "Maëlle",
    "Renée",
    "José",
    "Mariana",
    "Kwame",
    "Aisha",
    "Ethan",
    "Olivia",
    "Noah",
    "Sophia",
    "Liam",
    "Mia",
    "Lucas",
    "Chloe",
    "Leo",
    "Alice",
    "Arjun",
    "Ines",
]
LAST = [
    "Ruiz",
    "Chen",
    "Okafor",
    "Schmidt",
    "Yılmaz",
    "Haddad",
    "Rossi",
    "Novak",
    "Kowalski",
    "Silva",
    "Tanaka",
    "Kim",
    "Nguyen",
    "Patel",
    "Garcia",
    "Müller",
    "Dubois",
    "Larsen",
    "Andersson",
    "O'Brien",
    "Murphy",
    "Fernández",
    "López",
    "Martins",
    "Costa",
    "Ivanova",
    "Petrov",
    "Ahmed",
    "Khan",
    "Singh",
    "Sato",
    "Suzuki",
    "Park",
    "Lee",
    "Wong",
    "Cohen",
    "Levi",
    "Mendes",
    "Oliveira",
    "Santos",
    "Johansson",
    "Nielsen",
    "Jensen",
    "Kaya",
    "Demir",
    "Abebe",
    "Mensah",
    "Osei",
    "Mwangi",
    "Adeyemi",
    "Bianchi",
    "Romano",
    "Moreau",
    "Laurent",
    "Weber",
    "Fischer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Hernández",
    "Gómez",
    "Díaz",
    "Torres",
    "Vargas",
    "Castro",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Clarke",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Campbell",
    "Mitchell",
    "Roberts",
    "Carter",
    "Phillips",
    "Evans",
    "Turner",
    "Parker",
    "Collins",
    "Edwards",
    "Stewart",
    "Morris",
    "Rogers",
    "Reed",
    "Cook",
]
ORG_A = [
    "Blue",
    "North",
    "Bright",
    "Open",
    "Clear",
    "Summit",
    "Harbor",
    "Cedar",
    "Pioneer",
    "Atlas",
    "Nova",
    "Lumen",
    "Civic",
    "Granite",
    "Maple",
    "Orbit",
]
ORG_B = [
    "Analytics",
    "Health",
    "Capital",
    "Labs",
    "Logistics",
    "Energy",
    "Robotics",
    "Foods",
    "Media",
    "Partners",
    "Bank",
    "Studio",
    "Systems",
    "Learning",
]
TITLES = [
    "Product Manager",
    "Software Engineer",
    "Data Scientist",
    "Head of Marketing",
    "Recruiter",
    "Founder",
    "CFO",
    "Designer",
    "Sales Director",
    "Consultant",
    "Analyst",
    "VP Engineering",
    "Operations Lead",
    "Researcher",
    "Account Manager",
    "Community Manager",
    "Investor",
    "Professor",
    "Teacher",
    "Nurse",
    "Lawyer",
    "Architect",
]
INTERESTS = [
    "fintech",
    "climate tech",
    "marathons",
    "travel in Asia",
    "AI",
    "open source",
    "jazz",
    "cycling",
    "product design",
    "venture capital",
    "public speaking",
    "healthcare",
    "education",
    "chess",
    "photography",
    "cooking",
    "hiking",
    "startups",
    "data visualisation",
    "urban planning",
    "writing",
    "mentoring",
    "sailing",
    "yoga",
    "board games",
    "renewable energy",
    "supply chains",
    "behavioural economics",
    "podcasts",
    "football",
    "wine",
    "gardening",
]
NEEDS = [
    "hiring a senior data engineer",
    "looking for a new role in product",
    "wants intros to fintech investors",
    "needs a good accountant",
    "looking for speakers for a meetup",
    "wants advice on moving to Berlin",
    "looking for beta users",
    "needs a mentor in design leadership",
    "raising a seed round",
    "looking for a co-founder",
    "wants to learn about climate tech",
    "needs a reference for a visa application",
]
OFFERS = [
    "can review CVs",
    "happy to mentor junior engineers",
    "knows many recruiters in finance",
    "can introduce people at Atlas Bank",
    "gives great pitch feedback",
    "has spare conference tickets",
    "can advise on pricing",
    "knows the Berlin startup scene",
    "can help with public speaking",
    "happy to do mock interviews",
    "can share hiring playbooks",
    "knows grant funding well",
]
NOTES = [
    "Talked about their team's roadmap.",
    "Caught up on family and work.",
    "Discussed a possible collaboration.",
    "They are thinking about a career change.",
    "Shared notes on hiring.",
    "Swapped book recommendations.",
    "Compared notes on the conference.",
    "Quick catch-up.",
    "",
]
ADVICE = [
    "Talk to three customers before building anything.",
    "Ask for the title you want, not the one offered.",
    "Read 'The Mom Test'.",
    "Send a short weekly update to your manager.",
    "Join the local product meetup.",
    "Reach out to the alumni network first.",
]
WHY = [
    "Leads the team I want to join",
    "Wrote the best piece on fintech pricing I have read",
    "Keeps coming up in conversations about climate tech",
    "Could be a way into the company",
    "Runs the meetup I want to speak at",
]
CLOSENESS_WEIGHTS = {
    Closeness.INNER: 0.02,
    Closeness.CLOSE: 0.08,
    Closeness.ACTIVE: 0.25,
    Closeness.WIDER: 0.35,
    Closeness.ACQUAINTANCE: 0.30,
}
# Touches per person by closeness: about twenty on average.
TOUCHES_BY_CLOSENESS: dict[str, int] = {
    Closeness.INNER: 80,
    Closeness.CLOSE: 45,
    Closeness.ACTIVE: 25,
    Closeness.WIDER: 15,
    Closeness.ACQUAINTANCE: 8,
}
KIND_WEIGHTS = {
    Touch.Kind.EMAIL: 25,
    Touch.Kind.MESSAGE: 25,
    Touch.Kind.CALL: 10,
    Touch.Kind.VIDEO: 8,
    Touch.Kind.COFFEE: 10,
    Touch.Kind.MEAL: 5,
    Touch.Kind.MEETING: 9,
    Touch.Kind.EVENT: 4,
    Touch.Kind.INFORMATIONAL_INTERVIEW: 1,
    Touch.Kind.SOCIAL: 3,
}
# What rng.choices(weights=...) works out on every call, once: the same draws.
_KINDS = list(KIND_WEIGHTS)
_KIND_CUM_WEIGHTS = list(itertools.accumulate(KIND_WEIGHTS.values()))
THANK_KINDS = {Touch.Kind.COFFEE, Touch.Kind.MEETING, Touch.Kind.INFORMATIONAL_INTERVIEW, Touch.Kind.MEAL}
SPAN_DAYS = 3 * 365
# The demo user thanked people for anything older than this; newer touches still await it.
RULES_WINDOW = timedelta(days=3)
CHUNK = 1000


class Progress(Protocol):
    def print(self, *objects: Any, **kwargs: Any) -> None: ...


@dataclass
class _PlannedTouch:
    kind: str
    at: datetime
    notes: str
    advice: str
    people: list[int] = field(default_factory=list)  # indexes into the chunk's people


def _slug(text: str) -> str:
    """ASCII letters and digits for an email address: "Müller" becomes "muller"."""
    plain = unicodedata.normalize("NFKD", text.lower().replace("ł", "l").replace("ø", "o"))
    return "".join(ch for ch in plain if ch.isascii() and ch.isalnum())


def _organizations(owner: User, rng: random.Random, count: int) -> list[Organization]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(ORG_A)} {rng.choice(ORG_B)}"
        if name in seen:
            name = f"{name} {len(names)}"
        seen.add(name)
        names.append(name)
    existing = {o.name.lower(): o for o in Organization.objects.for_owner(owner)}
    missing = [
        Organization(owner=owner, name=n, website=f"{_slug(n)}.example") for n in names if n.lower() not in existing
    ]
    Organization.objects.bulk_create(missing)
    by_name = {o.name.lower(): o for o in Organization.objects.for_owner(owner)}
    return [by_name[n.lower()] for n in names]


def _touch_times(rng: random.Random, now: datetime, count: int, start: datetime, last: datetime) -> list[datetime]:
    span = max((last - start).total_seconds(), 3600.0)
    times = [last] + [start + timedelta(seconds=rng.random() * span) for _ in range(count - 1)]
    # Working hours, on the hour or half past.
    return sorted(
        t.replace(hour=rng.choice(_HOURS), minute=rng.choice(_MINUTES), second=0, microsecond=0) for t in times
    )


_HOURS = (8, 9, 10, 12, 13, 15, 16, 17, 18)
_MINUTES = (0, 30)


# Check-in cadence in days by closeness, for spacing a person's touches (acquaintances: a year).
_CADENCE_DAYS: dict[str, int] = {Closeness.INNER: 7, Closeness.CLOSE: 30, Closeness.ACTIVE: 90, Closeness.WIDER: 180}


def build_demo_network(
    owner: User,
    *,
    people: int = 300,
    seed: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Create ``people`` people with organizations, interests, needs, offers and about twenty
    touches each over three years, then let the rules make their follow-ups."""
    with bulk_load_cache(), transaction.atomic():
        return _build(owner, people=people, seed=seed, force=force, progress=progress, now=now)


def _build(
    owner: User, *, people: int, seed: int, force: bool, progress: Progress | None, now: datetime | None
) -> dict[str, int]:
    now = (now or clock.now()).replace(microsecond=0)
    already = Person.objects.for_owner(owner).count()
    if already and not force:
        raise BadInput(
            "force", f"you already have {already} people; the demo is for an empty network (add --force to mix it in)"
        )
    # Every random choice is drawn from this one generator, in a fixed order: the same seed
    # gives the same network.
    rng = random.Random(seed)
    orgs = _organizations(owner, rng, max(10, people // 8))
    circles = list(Circle.values)
    taken_emails = set(Email.objects.for_owner(owner).values_list("address", flat=True))
    recent: dict[int, list[int]] = {}  # the last days' touches, whose rules run at the end
    everyone: list[Person] = []
    totals = {"people": 0, "touches": 0}
    for start_index in range(0, people, CHUNK):
        batch, extras, plans = _plan_batch(owner, rng, now, min(CHUNK, people - start_index), orgs, circles)
        Person.objects.bulk_create(batch)
        everyone.extend(batch)
        _bulk_details(owner, rng, now, batch, extras, taken_emails)
        touches = _create_touches(owner, rng, now, batch, plans)
        recent.update(
            (touch, [batch[i].pk for i in plan.people])
            for touch, plan in zip(touches, plans, strict=True)
            if now - plan.at <= RULES_WINDOW
        )
        totals["people"] += len(batch)
        totals["touches"] += len(touches)
        if progress is not None:
            progress.print(f"demo: {totals['people']}/{people} people, {totals['touches']} touches")
    sync_check_ins(owner, None, now=now)
    apply_rules_of_touches(owner, recent, now=now)
    sync_birthdays(owner, None, now=now)
    # Thousands of gives and gets: every strength is worked out once, after them.
    with strengths_paused():
        ledger = _give_and_take(owner, rng, now, everyone, orgs)
    refresh_search(owner)
    refresh_strengths(owner, None, now=now)
    refresh_ties(owner, None, now=now)
    refresh_statistics()
    return {
        "people": totals["people"],
        "organizations": len(orgs),
        "touches": totals["touches"],
        "due_now": FollowUp.objects.for_owner(owner).due_by(now).count(),
        **ledger,
        "seed": seed,
    }


def _plan_batch(
    owner: User, rng: random.Random, now: datetime, size: int, orgs: list[Organization], circles: list[str]
) -> tuple[list[Person], list[dict[str, Any]], list[_PlannedTouch]]:
    """``size`` new people (not saved yet), what each has beside (emails, interests...), and
    their touches, each person's last touch set."""
    batch: list[Person] = []
    extras: list[dict[str, Any]] = []
    plans: list[_PlannedTouch] = []
    for _ in range(size):
        person, extra = _demo_person(owner, rng, now, orgs, circles)
        batch.append(person)
        extras.append(extra)
        if not person.is_prospect:
            plans += _plan_touches(rng, now, person, len(batch) - 1)
    _join_group_touches(rng, batch, plans)
    latest: dict[int, datetime] = {}
    for plan in plans:
        for index in plan.people:
            if index not in latest or plan.at > latest[index]:
                latest[index] = plan.at
    for index, person in enumerate(batch):
        person.last_touch_at = latest.get(index)
        person.birthday_key = birthday_key(person.birthday)  # bulk_create skips save()
    return batch, extras, plans


# Locations as people write them (and LinkedIn does); city and country are read from them.
LOCATIONS = [
    "", "", "", "Madrid, Spain", "Berlin", "Berlin, Germany", "Greater London", "London, UK", "Lagos, Nigeria",
    "Toronto, Ontario, Canada", "Singapore", "Austin, TX", "San Francisco Bay Area", "München", "Paris, France",
    "Greater Paris Metropolitan Region", "New York, NY, USA", "Bengaluru, Karnataka, India", "Amsterdam Area",
    "Remote", "Nairobi, Kenya", "São Paulo, Brazil", "Sydney, Australia", "Tokyo", "Lisbon", "Dublin, Ireland",
    "Zürich, Switzerland", "Cape Town, South Africa", "Mexico City", "Seattle, WA",
]  # fmt: skip
_place = lru_cache(maxsize=None)(parse_place)


def _demo_person(
    owner: User, rng: random.Random, now: datetime, orgs: list[Organization], circles: list[str]
) -> tuple[Person, dict[str, Any]]:
    """One made-up person, added to the network between two months and three years ago (3% of
    them prospects, people to meet), and what they have beside their own fields."""
    given, family = rng.choice(FIRST), rng.choice(LAST)
    closeness = rng.choices(list(CLOSENESS_WEIGHTS), weights=list(CLOSENESS_WEIGHTS.values()))[0]
    is_prospect = rng.random() < 0.03
    org = rng.choice(orgs) if rng.random() < 0.85 else None
    added = now - timedelta(days=rng.uniform(60, SPAN_DAYS), hours=rng.uniform(0, 24))
    location = rng.choice(LOCATIONS)
    place = _place(location)
    person = Person(
        owner=owner,
        full_name=f"{given} {family}",
        given_name=given,
        family_name=family,
        organization=org,
        title=rng.choice(TITLES) if org else "",
        circle=rng.choice(circles),
        closeness=closeness,
        is_prospect=is_prospect,
        why=rng.choice(WHY) if is_prospect else "",
        prospect_status=Person.ProspectStatus.FIND_A_WAY_IN if is_prospect else "",
        location=location,
        city=place.city,
        country=place.country,
        met_how=rng.choice(["", "", "At a meetup", "Through work", "At university", "Conference panel"]),
        met_on=(added - timedelta(days=rng.randint(0, 400))).date() if rng.random() < 0.4 else None,
        birthday=date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.3 else None,
        created_at=added,
        updated_at=added,
    )
    extra = {
        "interests": rng.sample(INTERESTS, rng.randint(0, 3)),
        "needs": rng.sample(NEEDS, 1) if rng.random() < 0.3 else [],
        "offers": rng.sample(OFFERS, 1) if rng.random() < 0.3 else [],
        "email": rng.random() < 0.7,
        "phone": rng.random() < 0.4,
    }
    return person, extra


def _plan_touches(rng: random.Random, now: datetime, person: Person, index: int) -> list[_PlannedTouch]:
    """The touches with one person (``index`` in the batch): more the closer they are, from the
    day they were added to a last one, most within their cadence."""
    closeness = person.closeness
    added = person.created_at
    count = max(1, int(rng.gauss(TOUCHES_BY_CLOSENESS[closeness], TOUCHES_BY_CLOSENESS[closeness] / 4)))
    cadence = _CADENCE_DAYS.get(closeness, 365)
    last = max(now - _since_last_touch(rng, cadence), added + timedelta(hours=1))
    plans: list[_PlannedTouch] = []
    latest = now - timedelta(minutes=30)
    for at in _touch_times(rng, now, count, added, last):
        kind = rng.choices(_KINDS, cum_weights=_KIND_CUM_WEIGHTS)[0]
        advice = rng.choice(ADVICE) if kind in THANK_KINDS and rng.random() < 0.15 else ""
        plans.append(
            _PlannedTouch(
                kind=kind,
                at=min(at, latest),
                notes=rng.choice(NOTES),
                advice=advice,
                people=[index],
            )
        )
    return plans


def _since_last_touch(rng: random.Random, cadence: int) -> timedelta:
    # Most relationships are kept up; some have lapsed; a few were touched this week.
    roll = rng.random()
    if roll < 0.04:
        return timedelta(hours=rng.uniform(2, 7 * 24))
    if roll < 0.75:
        return timedelta(days=rng.uniform(0, cadence * 0.95))
    return timedelta(days=rng.uniform(cadence, cadence * 3))


def _join_group_touches(rng: random.Random, batch: list[Person], plans: list[_PlannedTouch]) -> None:
    """A tenth of touches include a second person from the same batch (a group coffee, an event)."""
    for plan in plans:
        if rng.random() < 0.1:
            other = rng.randrange(len(batch))
            joined = batch[other]
            if other not in plan.people and not joined.is_prospect and joined.created_at <= plan.at:
                plan.people.append(other)


def _create_touches(
    owner: User, rng: random.Random, now: datetime, batch: list[Person], plans: list[_PlannedTouch]
) -> list[int]:
    """The planned touches and their participants, in bulk; returns the touches' ids."""
    touches = insert_rows_returning_ids(
        Touch,
        ("owner", "kind", "happened_at", "notes", "advice", "initiated_by", "source_key", "created_at"),
        [
            (
                owner.pk,
                p.kind,
                p.at,
                p.notes,
                p.advice,
                Touch.InitiatedBy.ME,
                "",
                min(p.at + timedelta(minutes=rng.randint(5, 600)), now),
            )
            for p in plans
        ],
    )
    insert_rows(
        TouchParticipant,
        ("owner", "touch", "person", "happened_at"),
        (
            (owner.pk, touch, batch[index].pk, plan.at)
            for touch, plan in zip(touches, plans, strict=True)
            for index in plan.people
        ),
    )
    return touches


GIVES = {
    Kind.INTRO: ["an intro to a fintech founder", "an intro to a hiring manager", "an intro to a designer I trust"],
    Kind.REFERRAL: ["a referral for the data role", "referred a client their way"],
    Kind.ADVICE: ["advice on negotiating an offer", "feedback on the pitch deck", "tips for moving to Berlin"],
    Kind.RESOURCE: ["the climate tech market map", "a good book on product strategy", "the meetup's slides"],
    Kind.FAVOR: ["reviewed their CV", "helped with the conference talk", "lent the camera"],
    Kind.RECOMMENDATION: ["a LinkedIn recommendation", "recommended an accountant"],
    Kind.TIME: ["an hour on their portfolio", "a mock interview"],
    Kind.OTHER: ["coffee on me", "a ticket to the summit"],
}
KIND_CHOICES = list(GIVES)
EVENT_NAMES = [
    "Fintech Founders Breakfast",
    "Product Leaders Meetup",
    "Climate Tech Summit",
    "Design Systems Night",
    "Women in Data Dinner",
    "Open Source Saturday",
    "AI in Healthcare Forum",
    "Startup Grind",
]
EVENT_PLACES = ["Madrid", "Berlin", "London", "Online", "Lisbon", "Toronto"]
RESOURCES = [
    ("https://example.org/climate-tech-map", "Climate tech market map", ["climate tech", "startups"]),
    ("https://example.org/fintech-playbook", "A fintech go-to-market playbook", ["fintech", "venture capital"]),
    ("https://example.org/design-leadership", "Notes on design leadership", ["product design"]),
    ("https://example.org/berlin-guide", "Moving to Berlin: a practical guide", ["travel", "Berlin"]),
    ("https://example.org/ai-health", "AI in healthcare, a reading list", ["AI", "healthcare"]),
]


def _give_and_take(
    owner: User, rng: random.Random, now: datetime, people: list[Person], orgs: list[Organization]
) -> dict[str, int]:
    """A history of gives, gets and asks with about a tenth of the network; past events with the
    people met there; introductions at every stage; resources and two goals. Rows are written in
    bulk, without follow-ups: the demo's follow-ups come from its touches."""
    today = now.date()
    helped = [p for p in people if p.last_touch_at is not None and not p.is_prospect]
    rng.shuffle(helped)
    exchanges: list[Exchange] = []
    asks: list[Ask] = []
    for person in helped[: max(5, len(helped) // 10)]:
        for _ in range(rng.choice([1, 1, 2, 3])):
            kind = rng.choice(KIND_CHOICES)
            on = min(today, (person.last_touch_at or now).date() - timedelta(days=rng.randint(0, 200)))
            at = datetime.combine(on, datetime.min.time(), tzinfo=now.tzinfo)
            exchanges.append(
                Exchange(
                    owner=owner,
                    person=person,
                    direction=rng.choices([Exchange.Direction.GAVE, Exchange.Direction.GOT], weights=[55, 45])[0],
                    kind=kind,
                    what=rng.choice(GIVES[kind]),
                    happened_on=on,
                    created_at=min(at + timedelta(hours=20), now),
                )
            )
        if rng.random() < 0.15:
            on = today - timedelta(days=rng.randint(3, 300))
            status = rng.choices([Ask.Status.OPEN, Ask.Status.SETTLED, Ask.Status.CLOSED], weights=[3, 5, 2])[0]
            asked_at = datetime.combine(on, datetime.min.time(), tzinfo=now.tzinfo)
            asks.append(
                Ask(
                    owner=owner,
                    person=person,
                    kind=rng.choice(KIND_CHOICES),
                    what=rng.choice(["an intro to their CTO", "feedback on my CV", "advice on pricing", "a referral"]),
                    asked_on=on,
                    status=status,
                    closed_at=None if status == Ask.Status.OPEN else asked_at + timedelta(days=rng.randint(1, 20)),
                    created_at=asked_at,
                )
            )
    Exchange.objects.bulk_create(exchanges, batch_size=2000)
    Ask.objects.bulk_create(asks, batch_size=2000)

    pool = [p for p in people if not p.is_prospect]
    events: list[Event] = []
    weeks = max(4, min(100, len(people) // 30))
    for week in range(weeks):
        starts = (now - timedelta(weeks=3 * week + 1, days=rng.randint(0, 6))).replace(hour=18, minute=30, second=0)
        events.append(
            Event(
                owner=owner,
                name=rng.choice(EVENT_NAMES),
                starts_at=starts,
                where=rng.choice(EVENT_PLACES),
                goal=rng.choice(["Meet two fintech investors", "Find speakers for our meetup", "Learn who is hiring"]),
                pitch="I help product teams ship data tools people actually use.",
                starters=["What brought you here tonight?", "What are you working on that excites you?"],
                is_worth_again=rng.choice([True, True, False, None]),
                verdict=rng.choice(["", "Good crowd, too loud.", "Worth it: met two people hiring."]),
                created_at=starts - timedelta(days=7),
            )
        )
    upcoming = (now + timedelta(days=rng.randint(2, 9))).replace(hour=18, minute=30, second=0)
    events.append(
        Event(
            owner=owner,
            name="Product Leaders Meetup",
            starts_at=upcoming,
            where="Madrid",
            goal="Meet two people hiring product leads",
            pitch="I help product teams ship data tools people actually use.",
            starters=["What is the hardest product call you made this year?"],
            created_at=now - timedelta(days=1),
        )
    )
    Event.objects.bulk_create(events)
    met: list[EventMet] = []
    for event in events[:-1]:
        for person in rng.sample(pool, min(len(pool), rng.randint(1, 5))):
            met.append(
                EventMet(owner=owner, event=event, person=person, created_at=event.starts_at + timedelta(hours=2))
            )
    EventMet.objects.bulk_create(met, batch_size=2000)
    EventHope.objects.bulk_create(
        [EventHope(owner=owner, event=events[-1], person=p) for p in rng.sample(pool, min(len(pool), 2))]
    )

    intros: list[Introduction] = []
    states = [
        Introduction.State.PROPOSED,
        Introduction.State.INTRODUCED,
        Introduction.State.DONE,
        Introduction.State.DONE,
        Introduction.State.A_DECLINED,
        Introduction.State.DROPPED,
    ]
    for _ in range(min(12, len(pool) // 2)):
        a, b = rng.sample(pool, 2)
        state = rng.choice(states)
        created = now - timedelta(days=rng.randint(20, 400))
        asked = created + timedelta(days=1)
        answered = asked + timedelta(days=2)
        introduced = (
            answered + timedelta(days=3) if state in (Introduction.State.INTRODUCED, Introduction.State.DONE) else None
        )
        intros.append(
            Introduction(
                owner=owner,
                person_a=a,
                person_b=b,
                why=f"{a.given_name} and {b.given_name} both care about {rng.choice(INTERESTS)}.",
                state=state,
                outcome="They met for coffee and are working on a project together."
                if state == Introduction.State.DONE
                else "",
                created_at=created,
                updated_at=introduced or (answered if state != Introduction.State.PROPOSED else created),
                asked_a_at=asked if state != Introduction.State.PROPOSED else None,
                a_answered_at=answered if state != Introduction.State.PROPOSED else None,
                asked_b_at=answered if introduced else None,
                b_answered_at=answered + timedelta(days=1) if introduced else None,
                introduced_at=introduced,
                outcome_at=introduced + timedelta(days=14) if introduced and state == Introduction.State.DONE else None,
                dropped_at=answered if state == Introduction.State.DROPPED else None,
            )
        )
    Introduction.objects.bulk_create(intros)

    Resource.objects.bulk_create(
        Resource(owner=owner, url=url, title=title, topics=topics, created_at=now - timedelta(days=rng.randint(1, 90)))
        for url, title, topics in RESOURCES
    )
    goals = [
        Goal(
            owner=owner,
            text="Move into fintech",
            pitch="Ten years of data products; ready for payments.",
            created_at=now - timedelta(days=40),
        ),
        Goal(owner=owner, text=f"A way into {orgs[0].name}", created_at=now - timedelta(days=10)),
    ]
    Goal.objects.bulk_create(goals)
    GoalOrganization.objects.bulk_create(
        [GoalOrganization(owner=owner, goal=goals[0], organization=o) for o in orgs[1:3]]
        + [GoalOrganization(owner=owner, goal=goals[1], organization=orgs[0])]
    )
    return {"exchanges": len(exchanges), "asks": len(asks), "events": len(events), "introductions": len(intros)}


def _bulk_details(
    owner: User,
    rng: random.Random,
    now: datetime,
    batch: list[Person],
    extras: list[dict[str, Any]],
    taken: set[str],
) -> None:
    emails: list[tuple[int, int, str, str]] = []
    phones: list[tuple[int, int, str, str]] = []
    items: dict[type[Interest | Need | Offer], list[tuple[int, int, str, str, datetime]]] = {
        Interest: [],
        Need: [],
        Offer: [],
    }
    positions: list[tuple[int, int, int, str]] = []
    for person, extra in zip(batch, extras, strict=True):
        if extra["email"]:
            domain = person.organization.website if person.organization else "mail.example"
            base = f"{_slug(person.given_name)}.{_slug(person.family_name)}"
            address, n = f"{base}@{domain}", 1
            while address in taken:
                n += 1
                address = f"{base}{n}@{domain}"
            taken.add(address)
            emails.append((owner.pk, person.pk, address, ""))
        if extra["phone"]:
            phones.append((owner.pk, person.pk, f"+3491{rng.randint(1000000, 9999999)}", ""))
        for model, texts in ((Interest, extra["interests"]), (Need, extra["needs"]), (Offer, extra["offers"])):
            items[model] += [(owner.pk, person.pk, t, t.lower(), now) for t in texts]
        if person.organization_id:
            positions.append((owner.pk, person.pk, person.organization_id, person.title))
    insert_rows(Email, ("owner", "person", "address", "label"), emails)
    insert_rows(Phone, ("owner", "person", "number", "label"), phones)
    for model, rows in items.items():
        insert_rows(model, ("owner", "person", "text", "key", "created_at"), rows)
    insert_rows(Position, ("owner", "person", "organization", "title"), positions)
