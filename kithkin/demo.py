"""A realistic synthetic network, for trying Kithkin and for benchmarks.

The same seed gives the same people, organizations and touches. Rows are written with bulk
statements (touches, their participants and people's details without a model instance per row),
and what is derived from them is worked out once at the end, by the services the app uses in
their bulk forms: check-ins for everyone, the thank-yous and close-the-loops of the last days'
touches, birthdays, search, strengths and ties. 30,000 people take well under a minute.

It reads like a real person's network: organizations named as real ones are, a weekly routine
kept most weeks but not all (the last weeks are shaped to the user's targets: new people met,
touches, gives), events with whom the user met there and their verdict, notes about the person.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any, Protocol

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F

from kithkin.accounts.models import Profile
from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.choices import Circle, Closeness
from kithkin.core.db import bulk_load_cache, insert_rows, insert_rows_returning_ids, refresh_statistics
from kithkin.core.errors import BadInput
from kithkin.events.models import Event, EventHope, EventMet
from kithkin.exchanges.models import Ask, Exchange, Kind, Resource
from kithkin.followups.milestones import sync_birthdays
from kithkin.followups.models import FollowUp
from kithkin.followups.services import THANK_YOU_AFTER, apply_rules_of_touches, sync_check_ins
from kithkin.goals.models import Goal, GoalOrganization
from kithkin.goals.week import week_bounds
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
    "Linh",
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
# Organizations are named the way real ones are: a made-up word and the trade ("Northwind
# Analytics"), two things joined ("Harbor & Pine"), the partners' family names ("Okafor & Lind"),
# a studio ("Studio Orla"), a short brand ("Kestrel AI"), or a city's institution ("University
# of Porto"). Tens of thousands of combinations: 30,000 people's 3,750 organizations need no
# number to tell them apart.
ORG_FIRST = [
    "Blue", "North", "Bright", "Clear", "Silver", "Red", "Green", "Iron", "Stone", "Oak", "Pine",
    "Cedar", "Maple", "Birch", "Willow", "Harbor", "River", "Lake", "Sun", "Star", "Cloud", "High",
    "West", "East", "Fair", "True", "Swift", "Gold", "Copper", "Amber", "Ash", "Elm", "Fern", "Wild",
    "Still", "Long",
]  # fmt: skip
ORG_SECOND = [
    "peak", "wind", "field", "bridge", "stone", "brook", "gate", "point", "light", "wood", "ridge",
    "haven", "line", "mark", "leaf", "path", "crest", "vale", "ford", "well", "moor", "bay",
    "spring", "water",
]  # fmt: skip
# What people do at each kind of organization.
TECH_TITLES = (
    "Software Engineer", "Product Manager", "Data Scientist", "Designer", "VP Engineering", "Founder",
    "Head of Marketing", "Recruiter", "Sales Director", "Account Manager", "Community Manager",
    "Operations Lead", "Engineering Manager", "Analyst",
)  # fmt: skip
FINANCE_TITLES = (
    "Investor", "Analyst", "Partner", "Portfolio Manager", "Risk Manager", "CFO", "Product Manager",
    "Software Engineer", "Relationship Manager", "Recruiter", "Head of Marketing",
)  # fmt: skip
HEALTH_TITLES = (
    "Nurse", "Physician", "Pharmacist", "Researcher", "Data Scientist", "Product Manager",
    "Operations Lead", "Head of Marketing", "Clinical Lead",
)  # fmt: skip
EDUCATION_TITLES = ("Professor", "Lecturer", "Researcher", "Teacher", "Programme Director", "Head of Admissions")
PROFESSIONAL_TITLES = (
    "Consultant", "Lawyer", "Architect", "Partner", "Associate", "Analyst", "Account Manager",
    "Office Manager", "Head of Business Development",
)  # fmt: skip
GENERAL_TITLES = (
    "Operations Lead", "Product Manager", "Head of Marketing", "Sales Director", "Designer", "Founder",
    "Account Manager", "Analyst", "Software Engineer", "CFO", "Recruiter", "Community Manager",
    "Supply Chain Manager", "Brand Manager",
)  # fmt: skip
STUDIO_TITLES = ("Designer", "Creative Director", "Founder", "Producer", "Art Director", "Studio Manager")
PUBLIC_TITLES = (
    "Policy Advisor", "Programme Manager", "Urban Planner", "Librarian", "Communications Lead", "Analyst",
    "Events Coordinator",
)  # fmt: skip
ORG_TRADES: dict[str, tuple[str, ...]] = {
    "Analytics": TECH_TITLES, "Labs": TECH_TITLES, "Robotics": TECH_TITLES, "Systems": TECH_TITLES,
    "Software": TECH_TITLES, "Security": TECH_TITLES, "Research": TECH_TITLES, "Capital": FINANCE_TITLES,
    "Bank": FINANCE_TITLES, "Ventures": FINANCE_TITLES, "Insurance": FINANCE_TITLES, "Payments": FINANCE_TITLES,
    "Health": HEALTH_TITLES, "Pharma": HEALTH_TITLES, "Clinics": HEALTH_TITLES, "Learning": EDUCATION_TITLES,
    "Partners": PROFESSIONAL_TITLES, "Consulting": PROFESSIONAL_TITLES, "Architects": PROFESSIONAL_TITLES,
    "Legal": PROFESSIONAL_TITLES, "Logistics": GENERAL_TITLES, "Energy": GENERAL_TITLES, "Foods": GENERAL_TITLES,
    "Media": GENERAL_TITLES, "Mobility": GENERAL_TITLES, "Travel": GENERAL_TITLES, "Homes": GENERAL_TITLES,
    "Studios": GENERAL_TITLES, "Group": GENERAL_TITLES, "Outdoor": GENERAL_TITLES,
}  # fmt: skip
ORG_TRADE_NAMES = list(ORG_TRADES)
ORG_PAIRS = [
    "Harbor", "Pine", "Oak", "Ember", "Fox", "Finch", "Stone", "Salt", "Thistle", "Wren", "Birch", "Linen",
    "Copper", "Moss", "Anchor", "Lantern", "Juniper", "Hart", "Sparrow", "Sage",
]  # fmt: skip
ORG_BRANDS = [
    "Orla", "Vela", "Kestrel", "Lumen", "Nimbus", "Quill", "Halcyon", "Corvid", "Aster", "Tandem", "Mosaic",
    "Pebble", "Beacon", "Fathom", "Meridian", "Solace", "Tern", "Verity", "Kiln", "Loom", "Plover", "Sorrel",
    "Auk", "Brio", "Cairn", "Delta", "Eddy", "Gannet", "Indigo", "Juno",
]  # fmt: skip
ORG_BRAND_TAILS: dict[str, tuple[str, ...]] = {
    "AI": TECH_TITLES, "Labs": TECH_TITLES, "Cloud": TECH_TITLES, "Health": HEALTH_TITLES, "Bio": HEALTH_TITLES,
    "Pay": FINANCE_TITLES, "Energy": GENERAL_TITLES, "Robotics": TECH_TITLES,
}  # fmt: skip
ORG_BRAND_TAIL_NAMES = list(ORG_BRAND_TAILS)
ORG_STUDIOS = ["Studio {}", "Atelier {}", "{} Studio"]
ORG_CITIES = [
    "Lisbon", "Porto", "Madrid", "Valencia", "Berlin", "Hamburg", "Toronto", "Montreal", "Lagos", "Nairobi",
    "Dublin", "Austin", "Seattle", "Leeds", "Bristol", "Lyon", "Utrecht", "Gothenburg", "Osaka", "Melbourne",
]  # fmt: skip
ORG_INSTITUTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("University of {}", EDUCATION_TITLES),
    ("{} School of Economics", EDUCATION_TITLES),
    ("{} General Hospital", HEALTH_TITLES),
    ("{} City Council", PUBLIC_TITLES),
    ("{} Public Library", PUBLIC_TITLES),
    ("{} Chamber of Commerce", PUBLIC_TITLES),
]
ORG_FIRMS = ["", "", " Partners", " LLP", " Associates"]
# Every title a demo person may hold.
TITLES = sorted(
    {*TECH_TITLES, *FINANCE_TITLES, *HEALTH_TITLES, *EDUCATION_TITLES, *PROFESSIONAL_TITLES, *GENERAL_TITLES}
    | {*STUDIO_TITLES, *PUBLIC_TITLES}
)
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
    "can introduce people at two big banks",
    "gives great pitch feedback",
    "has spare conference tickets",
    "can advise on pricing",
    "knows the Berlin startup scene",
    "can help with public speaking",
    "happy to do mock interviews",
    "can share hiring playbooks",
    "knows grant funding well",
]
# What a touch's notes say, by its kind: as people write them, short, often nothing at all.
# "{topic}" is one of the person's interests, "{org}" where they work.
_TALK = [
    "Talked about their team's roadmap.",
    "Caught up on family and work.",
    "Discussed a possible collaboration.",
    "They are thinking about a career change.",
    "Compared notes on hiring.",
    "Swapped book recommendations.",
    "Mostly talked about {topic}.",
    "They're hiring at {org}; asked me to send people their way.",
    "Heard about the reorganisation at {org}.",
    "They asked what I'm working on; told them about the data tools.",
    "Long chat about {topic}. Promised to send them a link.",
    "Talked about their side project.",
    "Caught up on the kids and the new flat.",
    "",
    "",
    "",
]
NOTES: dict[str, list[str]] = {
    Touch.Kind.EMAIL: [
        "Sent the article on {topic} I mentioned.",
        "Replied about dates for a coffee.",
        "Shared the slides from my talk.",
        "Asked how the launch went.",
        "Thanked them for the intro.",
        "Sent a CV they asked for, for a friend.",
        "",
        "",
        "",
    ],
    Touch.Kind.MESSAGE: [
        "Congrats on the new role.",
        "Quick check-in.",
        "Sent a link about {topic}.",
        "Happy birthday message.",
        "They asked for a recommendation for a designer.",
        "Swapped photos from the weekend.",
        "",
        "",
        "",
        "",
    ],
    Touch.Kind.CALL: [*_TALK, "Ten minutes between meetings.", "Called to ask about {org}."],
    Touch.Kind.VIDEO: [*_TALK, "Walked me through their portfolio.", "Mock interview practice."],
    Touch.Kind.COFFEE: [*_TALK, "Coffee near their office.", "Coffee at the usual place."],
    Touch.Kind.MEAL: [*_TALK, "Lunch near {org}.", "Dinner with their partner too."],
    Touch.Kind.MEETING: [*_TALK, "Project check-in.", "Went through the proposal together."],
    Touch.Kind.EVENT: ["Said hello at a meetup.", "Ran into them at a conference.", "Both on the {topic} panel.", ""],
    Touch.Kind.INFORMATIONAL_INTERVIEW: [
        "Asked how they moved into {topic}.",
        "What a week at {org} looks like.",
        "They recommended two people to talk to next.",
    ],
    Touch.Kind.SOCIAL: ["Birthday drinks.", "Ran into them at a friend's party.", "Went for a hike.", "", ""],
}
# How many of each kind's notes one person's touches have.
NOTE_SPREAD = 3
ADVICE = [
    "Talk to three customers before building anything.",
    "Ask for the title you want, not the one offered.",
    "Read 'The Mom Test'.",
    "Send a short weekly update to your manager.",
    "Join the local product meetup.",
    "Reach out to the alumni network first.",
    "Write the job description you want and show it to your manager.",
    "Price on value, not on hours.",
    "Apply to the accelerator even if it feels early.",
    "Keep a brag document for review season.",
    "Say no to the panel and yes to the workshop.",
    "Find a mentor outside your company.",
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
    event: int | None = None  # someone new met at this event (an index into the events)


@dataclass
class _Week:
    """A week of the demo user's routine (Monday to Monday, local) and how it is to have gone:
    every target met or not, how many new people were met in it, and how many gives it may hold."""

    start: datetime
    end: datetime
    is_met: bool
    arrivals: int
    gives_at_least: int = 0
    gives_at_most: int | None = None


@dataclass
class _Arrival:
    """Someone new to the network, met at ``at`` (at an event: an index into the events)."""

    at: datetime
    event: int | None = None


@dataclass
class _Scene:
    """What every batch of people is made with."""

    orgs: list[Organization]
    titles: dict[int, tuple[str, ...]]  # the titles people hold at each organization, by its id
    circles: list[str]
    events: list[Event]  # the past ones newest first, then the one coming up
    weeks: list[_Week]  # this week first
    touch_goal: int
    names: set[str] = field(default_factory=set)  # the full names given so far


def _slug(text: str) -> str:
    """ASCII letters and digits for an email address: "Müller" becomes "muller"."""
    plain = unicodedata.normalize("NFKD", text.lower().replace("ł", "l").replace("ø", "o"))
    return "".join(ch for ch in plain if ch.isascii() and ch.isalnum())


def _org_name(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """A made-up organization's name, and the titles people hold there."""
    roll = rng.random()
    if roll < 0.55:
        first, second, trade = rng.choice(ORG_FIRST), rng.choice(ORG_SECOND), rng.choice(ORG_TRADE_NAMES)
        if first.lower().endswith(second):  # no "Stonestone"
            second = "field" if second != "field" else "gate"
        return f"{first}{second} {trade}", ORG_TRADES[trade]
    if roll < 0.67:
        a, b = rng.sample(LAST, 2)
        return f"{a} & {b}{rng.choice(ORG_FIRMS)}", PROFESSIONAL_TITLES
    if roll < 0.80:
        tail = rng.choice(ORG_BRAND_TAIL_NAMES)
        return f"{rng.choice(ORG_BRANDS)} {tail}", ORG_BRAND_TAILS[tail]
    if roll < 0.88:
        a, b = rng.sample(ORG_PAIRS, 2)
        return f"{a} & {b}", GENERAL_TITLES
    if roll < 0.92:
        return rng.choice(ORG_STUDIOS).format(rng.choice(ORG_BRANDS)), STUDIO_TITLES
    form, titles = rng.choice(ORG_INSTITUTIONS)
    return form.format(rng.choice(ORG_CITIES)), titles


def organization_name(rng: random.Random) -> str:
    """A made-up organization's name, as the demo names them ("Northwind Analytics")."""
    return _org_name(rng)[0]


# Draws of a name before one already taken gets a number: with tens of thousands of names to
# draw from, never needed at the demo's sizes.
ORG_NAME_DRAWS = 50


def _organizations(
    owner: User, rng: random.Random, count: int
) -> tuple[list[Organization], dict[int, tuple[str, ...]]]:
    """``count`` organizations with different names (a name drawn twice is drawn again), and
    the titles people hold at each, by its id."""
    names: list[str] = []
    held: list[tuple[str, ...]] = []
    seen: set[str] = set()
    while len(names) < count:
        for _ in range(ORG_NAME_DRAWS):
            name, titles = _org_name(rng)
            if name.lower() not in seen:
                break
        base, n = name, 1
        while name.lower() in seen:
            n += 1
            name = f"{base} {n}"
        seen.add(name.lower())
        names.append(name)
        held.append(titles)
    existing = {o.name.lower(): o for o in Organization.objects.for_owner(owner)}
    missing = [
        Organization(owner=owner, name=n, website=f"{_slug(n)}.example") for n in names if n.lower() not in existing
    ]
    Organization.objects.bulk_create(missing)
    by_name = {o.name.lower(): o for o in Organization.objects.for_owner(owner)}
    orgs = [by_name[n.lower()] for n in names]
    return orgs, {org.pk: titles for org, titles in zip(orgs, held, strict=True)}


def _touch_times(rng: random.Random, now: datetime, count: int, start: datetime, last: datetime) -> list[datetime]:
    span = max((last - start).total_seconds(), 3600.0)
    draw = rng.random  # half a million touches: one draw each for the time of day, not two choices
    times = [last] + [start + timedelta(seconds=draw() * span) for _ in range(count - 1)]
    # Working hours, on the hour or half past.
    slots = [_SLOTS[int(draw() * len(_SLOTS))] for _ in times]
    return sorted(t.replace(hour=h, minute=m, second=0, microsecond=0) for t, (h, m) in zip(times, slots, strict=True))


_HOURS = (8, 9, 10, 12, 13, 15, 16, 17, 18)
_MINUTES = (0, 30)
_SLOTS = [(h, m) for h in _HOURS for m in _MINUTES]


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
    profile = get_profile(owner)
    orgs, titles = _organizations(owner, rng, max(10, people // 8))
    weeks = _plan_routine(rng, now, profile)
    events = _plan_events(owner, rng, now, profile.tz, max(4, min(100, people // 30)))
    scene = _Scene(orgs, titles, list(Circle.values), events, weeks, profile.weekly_touch_goal)
    # A tiny network keeps most of its people from before the weeks shaped.
    arrivals = _plan_arrivals(rng, now, weeks, events, limit=people // 3)
    taken_emails = set(Email.objects.for_owner(owner).values_list("address", flat=True))
    recent: dict[int, list[int]] = {}  # the last days' touches, whose rules run at the end
    arrived: list[tuple[int, Person, int]] = []  # (event, person, touch): someone new met at an event
    everyone: list[Person] = []
    totals = {"people": 0, "touches": 0}
    for start_index in range(0, people, CHUNK):
        first = start_index == 0
        batch, extras, plans = _plan_batch(
            owner, rng, now, min(CHUNK, people - start_index), scene, arrivals if first else [], shape=first
        )
        Person.objects.bulk_create(batch)
        everyone.extend(batch)
        _bulk_details(owner, rng, now, batch, extras, taken_emails)
        touches = _create_touches(owner, rng, now, batch, plans)
        recent.update(
            (touch, [batch[i].pk for i in plan.people])
            for touch, plan in zip(touches, plans, strict=True)
            if now - plan.at <= RULES_WINDOW
        )
        arrived += (
            (plan.event, batch[plan.people[0]], touch)
            for touch, plan in zip(touches, plans, strict=True)
            if plan.event is not None
        )
        totals["people"] += len(batch)
        totals["touches"] += len(touches)
        if progress is not None:
            progress.print(f"demo: {totals['people']}/{people} people, {totals['touches']} touches")
    sync_check_ins(owner, None, now=now)
    apply_rules_of_touches(owner, recent, now=now)
    _thank_most_in_time(owner, rng, now)
    sync_birthdays(owner, None, now=now)
    # Thousands of gives and gets: every strength is worked out once, after them.
    with strengths_paused():
        ledger = _give_and_take(owner, rng, now, everyone, scene, arrived)
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


# --- the weekly routine -------------------------------------------------------------------------

# The weeks before this one whose targets the demo shapes (the weekly review shows eight).
ROUTINE_WEEKS = 10
# The network's people were all added longer ago than this, but for the weeks' new people.
ADDED_AT_LEAST_DAYS = 60


def _plan_routine(rng: random.Random, now: datetime, profile: Profile) -> list[_Week]:
    """This week and the ``ROUTINE_WEEKS`` before it, newest first, as someone keeping the habit
    has them: every target met for the last three to five weeks, the week before that missed, and
    earlier a mix. A week is missed on its new people (only where nobody added before is new in
    it) or on its gives; this week is under way, not met yet."""
    tz = profile.tz
    people_goal, gives_goal = profile.weekly_new_people_goal, profile.weekly_gives_goal
    run = rng.randint(3, 5)
    start, end = week_bounds(now, tz)
    # Someone new met this week already, perhaps, but fewer than the target.
    weeks = [_Week(start, end, False, max(0, min(1, people_goal - 1)) if now - start >= timedelta(hours=6) else 0)]
    for ago in range(1, ROUTINE_WEEKS + 1):
        start, end = week_bounds(now, tz, ago)
        clean = start > now - timedelta(days=ADDED_AT_LEAST_DAYS - 1)  # nobody added before is new in it
        misses = [m for m, can in (("people", people_goal and clean), ("gives", gives_goal)) if can]
        if ago <= run or (ago > run + 1 and rng.random() < 0.6) or not misses:
            weeks.append(_Week(start, end, True, rng.randint(people_goal, people_goal + 2), gives_goal))
        elif rng.choice(misses) == "people":
            weeks.append(_Week(start, end, False, rng.randint(0, people_goal - 1), gives_goal))
        else:
            arrivals = rng.randint(0, people_goal + 1) if clean else 0
            weeks.append(_Week(start, end, False, arrivals, gives_at_most=rng.randint(0, gives_goal - 1)))
    return weeks


def _plan_arrivals(
    rng: random.Random, now: datetime, weeks: list[_Week], events: list[Event], *, limit: int
) -> list[_Arrival]:
    """When each of the weeks' new people was met, newest week first, ``limit`` at most: up to two
    at the week's event, where there was one, the others on a day of it, none later than now."""
    arrivals: list[_Arrival] = []
    latest = now - timedelta(hours=1)
    past = list(enumerate(events[:-1]))
    for week in weeks:
        there = [i for i, e in past if week.start <= e.starts_at < min(week.end, latest)]
        for n in range(week.arrivals):
            if len(arrivals) >= limit:
                return arrivals
            if there and n < 2:
                arrivals.append(_Arrival(events[there[0]].starts_at, there[0]))
                continue
            # A day of the week gone by so far, at a time of day already past on the last of them.
            days = min(7, (latest - week.start).days + 1)
            day = week.start + timedelta(days=rng.randrange(days))
            at = day.replace(hour=rng.choice(_HOURS), minute=rng.choice(_MINUTES))
            if at > latest:
                at -= timedelta(days=1)
            if at < week.start:
                break
            arrivals.append(_Arrival(at))
    return arrivals


def _fill_weeks(
    rng: random.Random,
    now: datetime,
    batch: list[Person],
    extras: list[dict[str, Any]],
    plans: list[_PlannedTouch],
    scene: _Scene,
) -> list[_PlannedTouch]:
    """More touches for each week met that holds fewer than the target (a small network's may)."""
    weeks = scene.weeks
    counts = [0] * len(weeks)
    oldest = weeks[-1].start
    for plan in plans:
        if plan.at >= oldest:
            counts[next(i for i, w in enumerate(weeks) if w.start <= plan.at)] += 1
    more: list[_PlannedTouch] = []
    latest = now - timedelta(minutes=30)
    for week, count in zip(weeks, counts, strict=True):
        if not week.is_met or count >= scene.touch_goal:
            continue
        for _ in range(scene.touch_goal - count + rng.randint(0, 2)):
            day = week.start + timedelta(days=rng.randrange(7))
            at = day.replace(hour=rng.choice(_HOURS), minute=rng.choice(_MINUTES))
            index = _someone_there(rng, batch, at)
            if at > latest or index is None:
                continue
            kind = rng.choices(_KINDS, cum_weights=_KIND_CUM_WEIGHTS)[0]
            person = batch[index]
            org = person.organization.name if person.organization else ""
            more.append(_PlannedTouch(kind, at, _note(rng, kind, extras[index]["interests"], org), "", [index]))
    return more


def _someone_there(rng: random.Random, batch: list[Person], at: datetime) -> int | None:
    """Someone of ``batch`` in the network by ``at`` (an index), or None when a few draws find none."""
    for _ in range(50):
        index = rng.randrange(len(batch))
        if not batch[index].is_prospect and batch[index].created_at <= at:
            return index
    return None


def _thank_most_in_time(owner: User, rng: random.Random, now: datetime) -> None:
    """The demo user sends most thank-yous on time: of those the last days' touches asked for that
    are due by now, four in five went out within the day (the rest still wait, on Today)."""
    due = FollowUp.objects.for_owner(owner).filter(
        kind=FollowUp.Kind.THANK_YOU, status=FollowUp.Status.OPEN, due_at__lte=now
    )
    sent = [pk for pk in due.order_by("pk").values_list("pk", flat=True) if rng.random() < 0.8]
    for start in range(0, len(sent), CHUNK):
        FollowUp.objects.for_owner(owner).filter(pk__in=sent[start : start + CHUNK]).update(
            status=FollowUp.Status.DONE, completed_at=F("due_at") - timedelta(hours=9)
        )


# --- people and their touches -------------------------------------------------------------------


def _plan_batch(
    owner: User,
    rng: random.Random,
    now: datetime,
    size: int,
    scene: _Scene,
    arrivals: list[_Arrival],
    *,
    shape: bool,
) -> tuple[list[Person], list[dict[str, Any]], list[_PlannedTouch]]:
    """``size`` new people (not saved yet), what each has beside (emails, interests...), and
    their touches, each person's last touch set. The first are the ``arrivals``, new to the
    network; with ``shape``, weeks met get touches enough."""
    batch: list[Person] = []
    extras: list[dict[str, Any]] = []
    plans: list[_PlannedTouch] = []
    for n in range(size):
        person, extra = _demo_person(owner, rng, now, scene)
        batch.append(person)
        extras.append(extra)
        if n < len(arrivals):
            plans += _arrive(rng, now, person, extra, len(batch) - 1, arrivals[n], scene.events)
        elif not person.is_prospect:
            plans += _plan_touches(rng, now, person, extra, len(batch) - 1)
    if shape:
        plans += _fill_weeks(rng, now, batch, extras, plans, scene)
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
# A mobile number where they live: the country's code and first digits, and how many follow.
MOBILES: dict[str, tuple[str, int]] = {
    "ES": ("+346", 8), "DE": ("+49151", 8), "GB": ("+4477", 8), "NG": ("+23480", 8), "CA": ("+1416", 7),
    "SG": ("+659", 7), "US": ("+1415", 7), "FR": ("+336", 8), "IN": ("+9198", 8), "NL": ("+316", 8),
    "KE": ("+2547", 8), "BR": ("+55119", 8), "AU": ("+614", 8), "JP": ("+8190", 8), "PT": ("+3519", 8),
    "IE": ("+35387", 7), "CH": ("+417", 8), "ZA": ("+2782", 7), "MX": ("+5255", 8),
}  # fmt: skip
# Draws of a family name before a full name already taken is kept (in a large network, many are).
NAME_DRAWS = 3
MET_HOW = ["", "", "At a meetup", "Through work", "At university", "Conference panel"]


def _demo_person(owner: User, rng: random.Random, now: datetime, scene: _Scene) -> tuple[Person, dict[str, Any]]:
    """One made-up person, added to the network between two months and three years ago (3% of
    them prospects, people to meet), and what they have beside their own fields."""
    given, family = rng.choice(FIRST), rng.choice(LAST)
    for _ in range(NAME_DRAWS):  # two Leo Silvas in a small network read as a duplicate
        if f"{given} {family}" not in scene.names:
            break
        family = rng.choice(LAST)
    scene.names.add(f"{given} {family}")
    closeness = rng.choices(list(CLOSENESS_WEIGHTS), weights=list(CLOSENESS_WEIGHTS.values()))[0]
    is_prospect = rng.random() < 0.03
    org = rng.choice(scene.orgs) if rng.random() < 0.85 else None
    added = now - timedelta(days=rng.uniform(ADDED_AT_LEAST_DAYS, SPAN_DAYS), hours=rng.uniform(0, 24))
    location = rng.choice(LOCATIONS)
    place = _place(location)
    person = Person(
        owner=owner,
        full_name=f"{given} {family}",
        given_name=given,
        family_name=family,
        organization=org,
        title=rng.choice(scene.titles[org.pk]) if org else "",
        circle=rng.choice(scene.circles),
        closeness=closeness,
        is_prospect=is_prospect,
        why=rng.choice(WHY) if is_prospect else "",
        prospect_status=Person.ProspectStatus.FIND_A_WAY_IN if is_prospect else "",
        location=location,
        city=place.city,
        country=place.country,
        met_how=rng.choice(MET_HOW),
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


FIRST_MEETINGS = {
    Touch.Kind.COFFEE: ["Coffee; a colleague put us in touch.", "First coffee. Sharp, easy to talk to."],
    Touch.Kind.MEETING: ["Met on the partner project.", "Sat in on our planning meeting."],
    Touch.Kind.SOCIAL: ["Met at a friend's dinner.", "Met at a neighbour's barbecue."],
    Touch.Kind.VIDEO: ["Intro call, set up by a friend.", "Call about the open role on their team."],
}
FIRST_MEETING_HOW = {
    Touch.Kind.COFFEE: "Introduced by a colleague",
    Touch.Kind.MEETING: "Through work",
    Touch.Kind.SOCIAL: "At a friend's dinner",
    Touch.Kind.VIDEO: "Introduced by a friend",
}
_FIRST_MEETING_KINDS = list(FIRST_MEETINGS)
AFTER_MEETING = [
    "Nice to meet you; sent the link I mentioned.",
    "Followed up with my notes from our chat.",
    "Connected on LinkedIn.",
    "Sent them the intro they asked for.",
    "",
]


def _arrive(
    rng: random.Random,
    now: datetime,
    person: Person,
    extra: dict[str, Any],
    index: int,
    arrival: _Arrival,
    events: list[Event],
) -> list[_PlannedTouch]:
    """Make ``person`` someone new, met at ``arrival`` (at an event, or by way of a colleague or
    a friend), and plan their touches: the meeting, often a note a day or two after, now and
    then a coffee weeks later."""
    event = events[arrival.event] if arrival.event is not None else None
    kind = Touch.Kind.EVENT if event else rng.choice(_FIRST_MEETING_KINDS)
    person.closeness = rng.choice([Closeness.ACTIVE, Closeness.WIDER, Closeness.WIDER, Closeness.ACQUAINTANCE])
    person.is_prospect, person.why, person.prospect_status = False, "", ""
    person.created_at = person.updated_at = min(arrival.at + timedelta(minutes=rng.randint(30, 180)), now)
    person.met_on = arrival.at.date()  # a local time: the day it was where they met
    person.met_how = f"Met at {event.name}" if event else FIRST_MEETING_HOW[kind]
    if event and event.circle:
        person.circle = event.circle
    latest = now - timedelta(minutes=30)
    notes = f"Met at {event.name}" if event else rng.choice(FIRST_MEETINGS[kind])
    plans = [_PlannedTouch(kind, arrival.at, notes, "", [index], event=arrival.event)]
    after = arrival.at + timedelta(hours=rng.uniform(14, 60))
    if rng.random() < 0.7 and after < latest:
        kind = rng.choice([Touch.Kind.EMAIL, Touch.Kind.MESSAGE])
        plans.append(
            _PlannedTouch(kind, after.replace(second=0, microsecond=0), rng.choice(AFTER_MEETING), "", [index])
        )
    later = arrival.at + timedelta(days=rng.uniform(7, 21))
    if rng.random() < 0.35 and later < latest:
        org = person.organization.name if person.organization else ""
        notes = _note(rng, Touch.Kind.COFFEE, extra["interests"], org)
        plans.append(_PlannedTouch(Touch.Kind.COFFEE, later.replace(second=0, microsecond=0), notes, "", [index]))
    return plans


def _note(rng: random.Random, kind: str, topics: list[str], org: str) -> str:
    """A touch's notes, as the user might have written them about this person (often none)."""
    note = rng.choice(NOTES[kind])
    return _filled(rng, note, topics, org) if "{" in note else note


def _filled(rng: random.Random, note: str, topics: list[str], org: str) -> str:
    """``note`` about this person: one of their interests for "{topic}", where they work for "{org}"."""
    if "{org}" in note and not org:
        return ""
    return note.format(topic=rng.choice(topics) if topics else rng.choice(INTERESTS), org=org)


def _plan_touches(
    rng: random.Random, now: datetime, person: Person, extra: dict[str, Any], index: int
) -> list[_PlannedTouch]:
    """The touches with one person (``index`` in the batch): more the closer they are, from the
    day they were added to a last one, most within their cadence."""
    closeness = person.closeness
    added = person.created_at
    count = max(1, int(rng.gauss(TOUCHES_BY_CLOSENESS[closeness], TOUCHES_BY_CLOSENESS[closeness] / 4)))
    cadence = _CADENCE_DAYS.get(closeness, 365)
    last = max(now - _since_last_touch(rng, cadence), added + timedelta(hours=1))
    plans: list[_PlannedTouch] = []
    latest = now - timedelta(minutes=30)
    topics: list[str] = extra["interests"]
    org = person.organization.name if person.organization else ""
    draw, total = rng.random, _KIND_CUM_WEIGHTS[-1]
    # What you talk about with someone keeps to a few things (which keeps their search document,
    # every different note of theirs, short): each kind's notes and advice from a few in a row.
    theme = int(draw() * 1000)
    for at in _touch_times(rng, now, count, added, last):
        # As rng.choices(_KINDS, cum_weights=...) draws, without its cost per call.
        kind = _KINDS[bisect(_KIND_CUM_WEIGHTS, draw() * total)]
        advice = (
            ADVICE[(theme + int(draw() * NOTE_SPREAD)) % len(ADVICE)] if kind in THANK_KINDS and draw() < 0.15 else ""
        )
        notes = NOTES[kind]
        note = notes[(theme + int(draw() * NOTE_SPREAD)) % len(notes)]
        if "{" in note:
            note = _filled(rng, note, topics, org)
        plans.append(_PlannedTouch(kind=kind, at=min(at, latest), notes=note, advice=advice, people=[index]))
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
    """A tenth of touches include a second person from the same batch (a group coffee, an event);
    not a first meeting at an event, which is that person's own."""
    for plan in plans:
        if rng.random() < 0.1 and plan.event is None:
            other = rng.randrange(len(batch))
            joined = batch[other]
            if other not in plan.people and not joined.is_prospect and joined.created_at <= plan.at:
                plan.people.append(other)


def _create_touches(
    owner: User, rng: random.Random, now: datetime, batch: list[Person], plans: list[_PlannedTouch]
) -> list[int]:
    """The planned touches and their participants, in bulk; returns the touches' ids."""
    draw = rng.random
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
                min(p.at + timedelta(minutes=5 + int(draw() * 596)), now),
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


# --- events -------------------------------------------------------------------------------------

EVENT_NAMES = [
    "Fintech Founders Breakfast",
    "Product Leaders Meetup",
    "Climate Tech Summit",
    "Design Systems Night",
    "Women in Data Dinner",
    "Open Source Saturday",
    "AI in Healthcare Forum",
    "Startup Grind",
    "Data Engineering Meetup",
    "Product Breakfast Club",
    "Payments Summit",
    "UX Writers Evening",
]
EVENT_PLACES = ["Madrid", "Berlin", "London", "Online", "Lisbon", "Toronto", "Amsterdam", "Dublin"]
EVENT_GOALS = [
    "Meet two fintech investors",
    "Find speakers for our meetup",
    "Learn who is hiring",
    "Meet someone from a payments company",
    "Ask three people how they moved into product",
    "Find a mentor in design leadership",
    "Catch up with old colleagues, meet one new person",
]
EVENT_STARTERS = [
    "What brought you here tonight?",
    "What are you working on that excites you?",
    "Which talk was the best so far?",
    "What is the hardest product call you made this year?",
    "Who should I meet here?",
    "What are you hiring for?",
    "How did you get into this field?",
]
PITCH = "I help product teams ship data tools people actually use."
VERDICTS: dict[bool | None, list[str]] = {
    True: [
        "Worth it: met two people hiring.",
        "Small crowd, real conversations. Going again.",
        "The Q&A was the best part; good people at the bar after.",
        "Met the organiser; they want me to speak next time.",
        "A good mix of founders and investors.",
    ],
    False: [
        "Good crowd, too loud to talk.",
        "Mostly vendors pitching. Not again.",
        "Too big: I spent the evening in the queue for drinks.",
        "Interesting talks, nobody to talk to afterwards.",
    ],
    None: ["Hard to tell yet: one good conversation, we'll see.", "A nice evening; not sure it moved anything."],
}
_WORTH: list[bool | None] = [True, False, None]


def _plan_events(owner: User, rng: random.Random, now: datetime, tz: tzinfo, count: int) -> list[Event]:
    """``count`` events the user went to, one every three weeks or so back from last week, newest
    first, each with its plan and the verdict after; then one coming up within ten days, planned."""
    events: list[Event] = []
    for n in range(count):
        day = (now - timedelta(weeks=3 * n + 1, days=rng.randint(0, 6))).astimezone(tz).date()
        starts = datetime.combine(day, time(18, 30), tzinfo=tz)
        worth = rng.choices(_WORTH, weights=[6, 3, 1])[0]
        events.append(
            Event(
                owner=owner,
                name=rng.choice(EVENT_NAMES),
                starts_at=starts,
                where=rng.choice(EVENT_PLACES),
                goal=rng.choice(EVENT_GOALS),
                pitch=PITCH,
                starters=rng.sample(EVENT_STARTERS, rng.randint(2, 3)),
                circle=Circle.COMMUNITY,
                is_worth_again=worth,
                verdict=rng.choice(VERDICTS[worth]),
                created_at=starts - timedelta(days=rng.randint(3, 14)),
            )
        )
    day = (now + timedelta(days=rng.randint(2, 9))).astimezone(tz).date()
    events.append(
        Event(
            owner=owner,
            name="Product Leaders Meetup",
            starts_at=datetime.combine(day, time(18, 30), tzinfo=tz),
            where="Madrid",
            goal="Meet two people hiring product leads, and ask each who else I should talk to.",
            pitch=PITCH,
            starters=[
                "What is the hardest product call you made this year?",
                "What are you hiring for?",
                "Who should I meet here?",
            ],
            circle=Circle.COMMUNITY,
            created_at=now - timedelta(days=1),
        )
    )
    Event.objects.bulk_create(events)
    return events


def _event_outcomes(
    owner: User,
    rng: random.Random,
    now: datetime,
    people: list[Person],
    events: list[Event],
    arrived: list[tuple[int, Person, int]],
) -> tuple[list[Exchange], list[Ask]]:
    """What came of each past event: whom the user met there (the people new to the network met
    there, and a few they knew, each with a touch of kind event), a thank-you to each, most sent
    within 24 hours; the people they had hoped to meet; and a give or an ask that came of some.
    The event coming up gets the people the user hopes to meet. Returns the gives and asks, for
    the ledger to write with its own."""
    pool = [p for p in people if not p.is_prospect]
    prospects = [p for p in people if p.is_prospect]
    known: list[tuple[int, Person]] = []
    for e, event in enumerate(events[:-1]):
        taken = {p.pk for i, p, _t in arrived if i == e}
        for _ in range(rng.randint(1, 4)):
            person = _known_at(rng, pool, event.starts_at, taken)
            if person is not None:
                taken.add(person.pk)
                known.append((e, person))
    # The touches of the people they knew, met there (the new people's are theirs already).
    rows = []
    for e, _p in known:
        starts = events[e].starts_at
        created = min(starts + timedelta(hours=3), now)
        rows.append(
            (owner.pk, Touch.Kind.EVENT, starts, f"Met at {events[e].name}", "", Touch.InitiatedBy.ME, "", created)
        )
    touches = insert_rows_returning_ids(
        Touch, ("owner", "kind", "happened_at", "notes", "advice", "initiated_by", "source_key", "created_at"), rows
    )
    insert_rows(
        TouchParticipant,
        ("owner", "touch", "person", "happened_at"),
        [(owner.pk, touch, p.pk, events[e].starts_at) for (e, p), touch in zip(known, touches, strict=True)],
    )
    met = [(e, p, touch, True) for e, p, touch in arrived]
    met += [(e, p, touch, False) for (e, p), touch in zip(known, touches, strict=True)]
    EventMet.objects.bulk_create(
        EventMet(
            owner=owner,
            event=events[e],
            person=p,
            touch_id=touch,
            is_new_person=is_new,
            created_at=min(events[e].starts_at + timedelta(hours=3), now),
        )
        for e, p, touch, is_new in met
    )
    touch_type = ContentType.objects.get_for_model(Touch).pk
    thanks: list[FollowUp] = []
    for e, p, touch, _n in met:
        starts = events[e].starts_at
        roll = rng.random()
        if roll < 0.75:  # the next morning
            status, done = FollowUp.Status.DONE, starts + timedelta(hours=rng.uniform(14, 22))
        elif roll < 0.9:
            status, done = FollowUp.Status.DONE, starts + timedelta(hours=rng.uniform(30, 70))
        else:
            status, done = FollowUp.Status.SKIPPED, starts + timedelta(days=rng.randint(2, 5))
        thanks.append(
            FollowUp(
                owner=owner,
                person=p,
                kind=FollowUp.Kind.THANK_YOU,
                reason=f"Thank {p.short_name} for the chat at {events[e].name}",
                due_at=starts + THANK_YOU_AFTER,
                remind_at=starts + THANK_YOU_AFTER,
                status=status,
                completed_at=min(done, now),
                origin=FollowUp.Origin.TOUCH,
                touch_id=touch,
                cause_type_id=touch_type,
                cause_id=touch,
                created_at=min(starts + timedelta(hours=3), now),
            )
        )
    FollowUp.objects.bulk_create(thanks, batch_size=2000)

    by_event: dict[int, list[Person]] = {}
    for e, p, _t, _n in met:
        by_event.setdefault(e, []).append(p)
    hopes: list[EventHope] = []
    exchanges: list[Exchange] = []
    asks: list[Ask] = []
    today = now.date()
    for e, event in enumerate(events[:-1]):
        there = by_event.get(e, [])
        hoped = ([rng.choice(there)] if there and rng.random() < 0.7 else []) + (
            [rng.choice(prospects)] if prospects and rng.random() < 0.5 else []
        )
        hopes += (EventHope(owner=owner, event=event, person=p) for p in dict.fromkeys(hoped))
        day = event.starts_at.date()
        if there and rng.random() < 0.5:
            kind = rng.choice(KIND_CHOICES)
            on = min(today, day + timedelta(days=rng.randint(1, 6)))
            exchanges.append(
                Exchange(
                    owner=owner,
                    person=rng.choice(there),
                    direction=rng.choices([Exchange.Direction.GAVE, Exchange.Direction.GOT], weights=[60, 40])[0],
                    kind=kind,
                    what=rng.choice(GIVES[kind]),
                    happened_on=on,
                    event=event,
                    created_at=min(datetime.combine(on, time(20), tzinfo=event.starts_at.tzinfo), now),
                )
            )
        if there and rng.random() < 0.2:
            on = min(today, day + timedelta(days=rng.randint(1, 3)))
            asked_at = min(datetime.combine(on, time(9), tzinfo=event.starts_at.tzinfo), now)
            ask_status = rng.choices([Ask.Status.OPEN, Ask.Status.SETTLED], weights=[1, 2])[0]
            asks.append(
                Ask(
                    owner=owner,
                    person=rng.choice(there),
                    kind=Kind.INTRO,
                    what=rng.choice(["an intro to their head of product", "an intro to someone on their data team"]),
                    asked_on=on,
                    status=ask_status,
                    closed_at=None if ask_status == Ask.Status.OPEN else min(asked_at + timedelta(days=4), now),
                    event=event,
                    created_at=asked_at,
                )
            )
    coming = events[-1]
    hoped = rng.sample(pool, min(len(pool), 2)) + rng.sample(prospects, min(len(prospects), 1))
    hopes += (EventHope(owner=owner, event=coming, person=p) for p in hoped)
    EventHope.objects.bulk_create(hopes, batch_size=2000)
    return exchanges, asks


def _known_at(rng: random.Random, pool: list[Person], at: datetime, taken: set[int]) -> Person | None:
    """Someone in the network well before ``at`` and in touch since (so a touch then is not their
    latest), not in ``taken``; None when a few draws find nobody."""
    for _ in range(30):
        person = rng.choice(pool) if pool else None
        if person is None:
            return None
        last = person.last_touch_at
        if person.pk not in taken and person.created_at <= at - timedelta(days=1) and last and last >= at:
            return person
    return None


# --- the ledger ---------------------------------------------------------------------------------

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
RESOURCES = [
    ("https://example.org/climate-tech-map", "Climate tech market map", ["climate tech", "startups"]),
    ("https://example.org/fintech-playbook", "A fintech go-to-market playbook", ["fintech", "venture capital"]),
    ("https://example.org/design-leadership", "Notes on design leadership", ["product design"]),
    ("https://example.org/berlin-guide", "Moving to Berlin: a practical guide", ["travel", "Berlin"]),
    ("https://example.org/ai-health", "AI in healthcare, a reading list", ["AI", "healthcare"]),
]
INTRO_OUTCOMES = [
    "They met for coffee and are working on a project together.",
    "They had a call; she hired him as a contractor.",
    "They met once. Nothing came of it yet, but they liked each other.",
    "He joined her team in the spring.",
    "They now co-organise the meetup.",
]


def _shape_gives(
    rng: random.Random, owner: User, weeks: list[_Week], exchanges: list[Exchange], pool: list[Person]
) -> list[Exchange]:
    """Make each past week's gives fit its plan: help given beyond what a week missed may hold is
    help got instead; a week met with fewer than the target gets more. Returns the gives added."""
    week_of = {w.start.date() + timedelta(days=d): n for n, w in enumerate(weeks) if n for d in range(7)}
    gave: dict[int, list[Exchange]] = {n: [] for n in range(1, len(weeks))}
    for exchange in exchanges:
        n = week_of.get(exchange.happened_on)
        if n is not None and exchange.direction == Exchange.Direction.GAVE:
            gave[n].append(exchange)
    added: list[Exchange] = []
    if not pool:
        return added
    for n, week in enumerate(weeks[1:], 1):
        if week.gives_at_most is not None:
            for exchange in gave[n][week.gives_at_most :]:
                exchange.direction = Exchange.Direction.GOT
        short = week.gives_at_least - len(gave[n])
        for _ in range(short + rng.randint(0, 2) if short > 0 else 0):
            on = week.start.date() + timedelta(days=rng.randrange(7))
            at = datetime.combine(on, time(19), tzinfo=week.start.tzinfo)
            person = next((p for p in (rng.choice(pool) for _ in range(50)) if p.created_at <= at), None)
            if person is None:
                break
            kind = rng.choice(KIND_CHOICES)
            added.append(
                Exchange(
                    owner=owner,
                    person=person,
                    direction=Exchange.Direction.GAVE,
                    kind=kind,
                    what=rng.choice(GIVES[kind]),
                    happened_on=on,
                    created_at=at,
                )
            )
    return added


def _give_and_take(
    owner: User,
    rng: random.Random,
    now: datetime,
    people: list[Person],
    scene: _Scene,
    arrived: list[tuple[int, Person, int]],
) -> dict[str, int]:
    """A history of gives, gets and asks with about a tenth of the network, as many each week as
    its plan says; what came of the events; introductions at every stage; resources and two
    goals. Rows are written in bulk, without follow-ups: the demo's follow-ups come from its
    touches."""
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
    from_events, asked_there = _event_outcomes(owner, rng, now, people, scene.events, arrived)
    exchanges += from_events
    asks += asked_there
    pool = [p for p in people if not p.is_prospect]
    exchanges += _shape_gives(rng, owner, scene.weeks, exchanges, pool)
    Exchange.objects.bulk_create(exchanges, batch_size=2000)
    Ask.objects.bulk_create(asks, batch_size=2000)

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
                outcome=rng.choice(INTRO_OUTCOMES) if state == Introduction.State.DONE else "",
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
    orgs = scene.orgs
    finance = [o for o in orgs if scene.titles[o.pk] is FINANCE_TITLES][:2] or orgs[1:3]
    target = next((o for o in orgs if scene.titles[o.pk] is TECH_TITLES), orgs[0])
    goals = [
        Goal(
            owner=owner,
            text="Move into fintech",
            pitch="Ten years of data products; ready for payments.",
            created_at=now - timedelta(days=40),
        ),
        Goal(owner=owner, text=f"A way into {target.name}", created_at=now - timedelta(days=10)),
    ]
    Goal.objects.bulk_create(goals)
    GoalOrganization.objects.bulk_create(
        [GoalOrganization(owner=owner, goal=goals[0], organization=o) for o in finance]
        + [GoalOrganization(owner=owner, goal=goals[1], organization=target)]
    )
    events = len(scene.events)
    return {"exchanges": len(exchanges), "asks": len(asks), "events": events, "introductions": len(intros)}


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
            prefix, digits = MOBILES.get(person.country, MOBILES["ES"])
            phones.append((owner.pk, person.pk, f"{prefix}{rng.randrange(10 ** (digits - 1), 10**digits)}", ""))
        for model, texts in ((Interest, extra["interests"]), (Need, extra["needs"]), (Offer, extra["offers"])):
            items[model] += [(owner.pk, person.pk, t, t.lower(), now) for t in texts]
        if person.organization_id:
            positions.append((owner.pk, person.pk, person.organization_id, person.title))
    insert_rows(Email, ("owner", "person", "address", "label"), emails)
    insert_rows(Phone, ("owner", "person", "number", "label"), phones)
    for model, rows in items.items():
        insert_rows(model, ("owner", "person", "text", "key", "created_at"), rows)
    insert_rows(Position, ("owner", "person", "organization", "title"), positions)
