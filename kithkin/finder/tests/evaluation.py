"""A network of its own and questions about it, to measure ``ask`` (precision at 5): used by
``test_evaluation.py`` (a floor) and ``benchmarks/ask_eval.py`` (the figure, question by question).

Each person is drawn from facts (a city, a role, an industry, a past employer, a hobby, a need,
an offer, a circle) and written as a person's record would be, in varied words: a "SWE II" is an
engineer, "Ledgerly Payments" is fintech, "running half marathons" is marathons. Each question
names the facts it asks for, and the people it expects are those whose facts fit, worked out from
the facts, never from the search: the search sees only the words."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User

from kithkin.finder import semantic
from kithkin.finder.services import ask
from kithkin.interactions.services import log_touch
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, add_person, edit_person

CITIES = {
    "berlin": ("Berlin", "Germany"),
    "munich": ("Munich", "Germany"),
    "london": ("London", "UK"),
    "manchester": ("Manchester", "UK"),
    "lisbon": ("Lisbon", "Portugal"),
    "madrid": ("Madrid", "Spain"),
    "ljubljana": ("Ljubljana", "Slovenia"),
    "new york": ("New York", "USA"),
    "toronto": ("Toronto", "Canada"),
    "lagos": ("Lagos", "Nigeria"),
}
# How a role is written in a title.
ROLES = {
    "engineer": ["Software Engineer", "Backend Developer", "SWE II", "Senior Programmer", "Full-stack Developer"],
    "product": ["Product Manager", "Senior PM", "Product Owner", "Head of Product"],
    "designer": ["UX Designer", "Product Designer", "Design Lead"],
    "recruiter": ["Recruiter", "Talent Acquisition Lead", "People Ops Manager", "HR Business Partner"],
    "investor": ["Venture Capital Partner", "Angel Investor", "Principal, VC", "Investor"],
    "data": ["Data Scientist", "ML Engineer", "Machine Learning Engineer"],
    "founder": ["Founder", "Co-founder & CEO", "Founder and CTO"],
    "sales": ["Account Executive", "Head of Sales", "Business Development Manager"],
}
# Each industry's organizations; one name in three says the industry, the rest do not.
INDUSTRIES = {
    "fintech": ["Ledgerly Payments", "Atlas Bank", "Coinpath", "Northbridge Banking Tech"],
    "health": ["Medwise Health", "Pulse Clinics", "Heal Labs"],
    "climate": ["Greenline Energy", "Solaris Renewables", "Carbon Works"],
    "education": ["Brightclass Edtech", "Learnly", "Campus Forge"],
    "ecommerce": ["Shopwave Retail", "Cartly", "Marketbox"],
}
# How an interest in the industry is written, when the person has one.
INDUSTRY_WORDS = {
    "fintech": ["fintech", "payments", "open banking"],
    "health": ["digital health", "healthtech", "medtech"],
    "climate": ["climate tech", "renewable energy", "sustainability"],
    "education": ["edtech", "online learning", "education"],
    "ecommerce": ["e-commerce", "online retail", "marketplaces"],
}
HOBBIES = {
    "marathons": ["marathons", "running half marathons", "marathon running"],
    "chess": ["chess", "blitz chess"],
    "climbing": ["bouldering", "climbing"],
    "photography": ["photography", "film cameras"],
    "sailing": ["sailing", "boats"],
    "cooking": ["cooking", "baking bread"],
}
NEEDS = {
    "hiring": ["hiring two backend developers", "building a team for the Lisbon office", "needs to hire a designer"],
    "cofounder": ["looking for a technical co-founder", "wants a cofounder for a side project"],
    "fundraising": ["raising a seed round", "looking for investors for a Series A"],
    "job": ["looking for a new role", "wants a new job in product"],
    "accountant": ["needs a good accountant", "looking for a bookkeeper"],
}
OFFERS = {
    "hiring": ["can advise on hiring", "happy to share recruiting playbooks", "knows how to build a team"],
    "pricing": ["can advise on pricing", "knows SaaS pricing and monetization"],
    "investors": ["can introduce founders to angel investors", "knows many VCs"],
    "mentoring": ["happy to mentor junior engineers", "mentors first-time managers"],
    "cv": ["can review CVs", "gives feedback on resumes"],
}
CIRCLES = ["colleague", "former_colleague", "friend", "community", "client", "classmate"]


@dataclass
class Facts:
    name: str
    city: str
    role: str
    industry: str
    org: str
    past_org: str = ""
    hobby: str = ""
    need: str = ""
    offer: str = ""
    circle: str = ""
    touches: int = 0


@dataclass(frozen=True)
class EvalQuestion:
    text: str
    expects: Callable[[Facts], bool] = field(compare=False)


GIVEN = ["Ana", "Bo", "Cy", "Di", "Ed", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea", "Mo", "Nia", "Oto", "Pia"]
FAMILY = ["Ruiz", "Chen", "Okafor", "Novak", "Park", "Silva", "Kovač", "Müller", "Haddad", "Ito"]


def facts(seed: int = 15, people: int = 120) -> list[Facts]:
    """The people of the network, the same for the same seed."""
    rng = random.Random(seed)
    found = []
    for i in range(people):
        industry = rng.choice(sorted(INDUSTRIES))
        orgs = INDUSTRIES[industry]
        org = rng.choice(orgs)
        others = [o for names in INDUSTRIES.values() for o in names if o != org]
        found.append(
            Facts(
                name=f"{GIVEN[i % len(GIVEN)]} {FAMILY[(i // len(GIVEN)) % len(FAMILY)]} {i}",
                city=rng.choice(sorted(CITIES)),
                role=rng.choice(sorted(ROLES)),
                industry=industry,
                org=org,
                past_org=rng.choice(others) if rng.random() < 0.4 else "",
                hobby=rng.choice(sorted(HOBBIES)) if rng.random() < 0.6 else "",
                need=rng.choice(sorted(NEEDS)) if rng.random() < 0.3 else "",
                offer=rng.choice(sorted(OFFERS)) if rng.random() < 0.3 else "",
                circle=rng.choice(CIRCLES),
                touches=rng.choice([0, 1, 2, 4, 8]),
            )
        )
    return found


def build(owner: User, people: list[Facts], now: datetime, seed: int = 15) -> None:
    """Write ``people`` into ``owner``'s network as a user would: through the services."""
    rng = random.Random(seed)
    for f in people:
        city, country = CITIES[f.city]
        changes = PersonChanges(
            organization=f.past_org or f.org,
            title=rng.choice(ROLES[f.role]),
            location=f"{city}, {country}" if rng.random() < 0.5 else city,
            circle=f.circle,
            interests=[rng.choice(HOBBIES[f.hobby])] if f.hobby else [],
            needs=[rng.choice(NEEDS[f.need])] if f.need else [],
            offers=[rng.choice(OFFERS[f.offer])] if f.offer else [],
        )
        if rng.random() < 0.5:
            changes.interests = [*changes.interests, rng.choice(INDUSTRY_WORDS[f.industry])]
        person = add_person(owner, f.name, changes, now=now - timedelta(days=900))
        if f.past_org:
            edit_person(owner, person, PersonChanges(organization=f.org), now=now - timedelta(days=300))
        for t in range(f.touches):
            log_touch(owner, [person], "coffee", now - timedelta(days=10 + 37 * t), now=now)


def questions(people: list[Facts]) -> list[EvalQuestion]:
    """Forty-odd questions, each with the facts it asks for; only those someone fits are kept."""
    asked = [
        EvalQuestion(
            "who do I know in fintech in Berlin who could advise on hiring",
            lambda f: f.industry == "fintech" and f.city == "berlin" and f.offer == "hiring",
        ),
        EvalQuestion("engineers in Berlin", lambda f: f.role == "engineer" and f.city == "berlin"),
        EvalQuestion("developers in London", lambda f: f.role == "engineer" and f.city == "london"),
        EvalQuestion("swe in Lisbon", lambda f: f.role == "engineer" and f.city == "lisbon"),
        EvalQuestion("product managers in Madrid", lambda f: f.role == "product" and f.city == "madrid"),
        EvalQuestion("designers in Toronto", lambda f: f.role == "designer" and f.city == "toronto"),
        EvalQuestion("recruiters in New York", lambda f: f.role == "recruiter" and f.city == "new york"),
        EvalQuestion("people ops in Germany", lambda f: f.role == "recruiter" and f.city in ("berlin", "munich")),
        EvalQuestion("VCs in London", lambda f: f.role == "investor" and f.city == "london"),
        EvalQuestion("investors in the UK", lambda f: f.role == "investor" and f.city in ("london", "manchester")),
        EvalQuestion("data scientists in Lagos", lambda f: f.role == "data" and f.city == "lagos"),
        EvalQuestion("machine learning people in Ljubljana", lambda f: f.role == "data" and f.city == "ljubljana"),
        EvalQuestion("founders in Munich", lambda f: f.role == "founder" and f.city == "munich"),
        EvalQuestion("sales people in Manchester", lambda f: f.role == "sales" and f.city == "manchester"),
        EvalQuestion("who do I know in Slovenia", lambda f: f.city == "ljubljana"),
        EvalQuestion("who lives in Canada", lambda f: f.city == "toronto"),
        EvalQuestion("anyone in Portugal", lambda f: f.city == "lisbon"),
        EvalQuestion("who used to work at Atlas Bank", lambda f: f.past_org == "Atlas Bank"),
        EvalQuestion("who worked at Greenline Energy", lambda f: "Greenline Energy" in (f.past_org, f.org)),
        EvalQuestion("former Medwise Health people", lambda f: f.past_org == "Medwise Health"),
        EvalQuestion("ex Cartly", lambda f: f.past_org == "Cartly"),
        EvalQuestion("who works at Learnly", lambda f: f.org == "Learnly"),
        EvalQuestion("who is at Coinpath now", lambda f: f.org == "Coinpath"),
        EvalQuestion(
            "engineers who used to work at Shopwave Retail",
            lambda f: f.past_org == "Shopwave Retail" and f.role == "engineer",
        ),
        EvalQuestion("who is hiring", lambda f: f.need == "hiring"),
        EvalQuestion("who needs to hire in fintech", lambda f: f.need == "hiring" and f.industry == "fintech"),
        EvalQuestion("who is looking for a cofounder", lambda f: f.need == "cofounder"),
        EvalQuestion("who is raising money", lambda f: f.need == "fundraising"),
        EvalQuestion("who needs investors", lambda f: f.need == "fundraising"),
        EvalQuestion("who is looking for a new job", lambda f: f.need == "job"),
        EvalQuestion("who needs an accountant", lambda f: f.need == "accountant"),
        EvalQuestion("who could advise on hiring", lambda f: f.offer == "hiring"),
        EvalQuestion("who can help with recruiting in London", lambda f: f.offer == "hiring" and f.city == "london"),
        EvalQuestion("who could advise on pricing", lambda f: f.offer == "pricing"),
        EvalQuestion("who could introduce me to angel investors", lambda f: f.offer == "investors"),
        EvalQuestion("who knows VCs", lambda f: f.offer == "investors" or f.role == "investor"),
        EvalQuestion("who could mentor me", lambda f: f.offer == "mentoring"),
        EvalQuestion("who can review my CV", lambda f: f.offer == "cv"),
        EvalQuestion("who is into marathons", lambda f: f.hobby == "marathons"),
        EvalQuestion("runners in Berlin", lambda f: f.hobby == "marathons" and f.city == "berlin"),
        EvalQuestion("who likes chess", lambda f: f.hobby == "chess"),
        EvalQuestion("climbers", lambda f: f.hobby == "climbing"),
        EvalQuestion(
            "former colleagues into photography", lambda f: f.circle == "former_colleague" and f.hobby == "photography"
        ),
        EvalQuestion("friends who like sailing", lambda f: f.circle == "friend" and f.hobby == "sailing"),
        EvalQuestion("clients in fintech", lambda f: f.circle == "client" and f.industry == "fintech"),
        EvalQuestion("classmates in London", lambda f: f.circle == "classmate" and f.city == "london"),
        EvalQuestion("payments people in Madrid", lambda f: f.industry == "fintech" and f.city == "madrid"),
        EvalQuestion("healthtech in New York", lambda f: f.industry == "health" and f.city == "new york"),
        EvalQuestion("climate tech founders", lambda f: f.industry == "climate" and f.role == "founder"),
        EvalQuestion("edtech product managers", lambda f: f.industry == "education" and f.role == "product"),
        EvalQuestion("ecommerce designers", lambda f: f.industry == "ecommerce" and f.role == "designer"),
    ]
    return [q for q in asked if any(q.expects(f) for f in people)]


def paraphrases(people: list[Facts]) -> list[EvalQuestion]:
    """Questions put in words that neither the records nor the built-in vocabulary use: where
    matching by meaning (the semantic extra) should find what words alone miss."""
    asked = [
        EvalQuestion("who is trying to get funding for their startup", lambda f: f.need == "fundraising"),
        EvalQuestion("who wants to grow their engineering team", lambda f: f.need == "hiring"),
        EvalQuestion("who is job hunting", lambda f: f.need == "job"),
        EvalQuestion("who needs help with bookkeeping and taxes", lambda f: f.need == "accountant"),
        EvalQuestion("who is searching for a business partner to start a company", lambda f: f.need == "cofounder"),
        EvalQuestion("who could coach a new manager", lambda f: f.offer == "mentoring"),
        EvalQuestion("who could look over my resume", lambda f: f.offer == "cv"),
        EvalQuestion("who could tell me what to charge customers", lambda f: f.offer == "pricing"),
        EvalQuestion("who enjoys long distance running", lambda f: f.hobby == "marathons"),
        EvalQuestion("who takes pictures as a hobby", lambda f: f.hobby == "photography"),
        EvalQuestion("who likes being out on the water", lambda f: f.hobby == "sailing"),
        EvalQuestion("who plays board games like checkmate", lambda f: f.hobby == "chess"),
    ]
    return [q for q in asked if any(q.expects(f) for f in people)]


@dataclass(frozen=True)
class Scored:
    question: str
    precision: float
    relevant: int
    top: tuple[str, ...]


def evaluate(
    owner: User,
    people: list[Facts],
    k: int = 5,
    asked: list[EvalQuestion] | None = None,
    answer: Callable[[User, str, int], list[str]] | None = None,
) -> list[Scored]:
    """Precision at ``k`` of each question (``questions`` unless ``asked``): of the first k
    answers (or of all the people it expects, when fewer than k), the share that the facts say
    are right. ``answer`` gives the names answered, best first; by default ``ask``'s."""
    scored = []
    for q in questions(people) if asked is None else asked:
        right = {f.name for f in people if q.expects(f)}
        top = tuple((answer or asked_names)(owner, q.text, k))
        scored.append(Scored(q.text, len(right.intersection(top)) / min(k, len(right)), len(right), top))
    return scored


def asked_names(owner: User, text: str, k: int) -> list[str]:
    return [m.person.full_name for m in ask(owner, text, limit=k).matches]


def closest_names(owner: User, text: str, k: int) -> list[str]:
    """The k people closest in meaning to ``text`` by the semantic extra's model alone."""
    model = semantic.embedder()
    assert model is not None, "the semantic extra is not installed"
    semantic.embed_missing(owner, model, budget=None)
    best = [pk for pk, _similarity in semantic.nearest(owner, model, text, k)]
    names = dict(Person.objects.for_owner(owner).filter(pk__in=best).values_list("pk", "full_name"))
    return [names[pk] for pk in best]
