"""The network's features: a tie's strength, the quiet ties worth reviving (`kithkin rekindle`),
warm paths to a person or an organization and asking for the introduction (`kithkin path`),
the network asked a question (`kithkin ask`), and introductions worth making (`kithkin suggest`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from kithkin.api.auth import access_of
from kithkin.api.params import object_id
from kithkin.api.problems import problems
from kithkin.api.schemas import Ref
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.finder.serialize import answer_data
from kithkin.finder.services import MAX_LIMIT, ask
from kithkin.network.paths import ask_for_introduction, find_organization, paths_to_organization, paths_to_person
from kithkin.network.rekindle import rekindle_list
from kithkin.network.serialize import candidate_data, intro_ask_data, suggestion_data, tie_data
from kithkin.network.services import person_strength
from kithkin.network.suggest import suggestions
from kithkin.people.models import Person
from kithkin.people.services import find_person

router = Router(tags=["network"])
# A person's tie, under /people/{person_id}/strength.
strength_router = Router(tags=["network"])

# The most a list here shows: each entry is scored across the network.
MOST = 100


class Tie(Schema):
    person: Ref
    strength: int = Field(description="0 to 100")
    trend: str = Field(description="rising, steady or fading")
    status: str
    strength_why: list[str]
    silence_days: int | None = Field(description="Days since you were last in touch; null: never")


class RekindleEntry(Schema):
    person: Ref
    strength: int
    trend: str
    status: str
    silence_days: int | None
    score: float
    reasons: list[str]
    suggestion: str = Field(description="coffee, call or message")
    opener: str
    subject: str
    body: str
    mailto: str


class WarmPath(Schema):
    introducer: Ref
    target: Ref | None
    organization: Ref | None
    score: float
    you_strength: float
    tie_strength: float
    why: str
    evidence: list[dict[str, Any]] = Field(description="What says the introducer knows them")
    also_knows: int = Field(description="How many more people at the organization the introducer knows")


class PathQuery(Schema):
    person: str | None = Field(None, description="Who you want to meet: an id, email or name")
    organization: str | None = Field(None, description="Or an organization: an id or its name")
    limit: int = Field(10, ge=1, le=MOST, description="How many ways in, best first")


class AskIn(Schema):
    introducer: str = Field(description="Who to ask for the introduction: an id, email or name")
    person: str | None = Field(None, description="Who you want to meet")
    organization: str | None = Field(None, description="Or an organization")
    why: str = Field("", description="Why you want to meet them (default: what you noted)")


class LedgerAsk(Schema):
    id: int
    person: int = Field(description="The introducer's id")
    what: str
    status: str


class AskDraft(Schema):
    to: list[str]
    subject: str
    body: str


class IntroductionAsked(Schema):
    ask: LedgerAsk
    draft: AskDraft


class Match(Schema):
    id: int
    name: str
    title: str
    organization: str
    location: str
    score: float
    strength: int
    matched: int = Field(description="How many of the question's parts they match")
    why: list[str]


class Answer(Schema):
    question: str
    understood: list[str] = Field(description="How the question was read, one phrase per part")
    found: int = Field(description="How many matched, before the limit")
    people: list[Match]
    by_meaning: bool
    note: str


class Hit(Schema):
    source: str
    text: str


class PairStrength(Schema):
    person: int
    helper: int


class Suggestion(Schema):
    person: Ref
    helper: Ref
    need: str
    matches: list[Hit]
    reason: str
    fit: float
    strength: PairStrength
    score: float


class Limit(Schema):
    limit: int = Field(20, ge=1, le=MOST, description="How many, best first")


@strength_router.get("/{int:person_id}/strength", response={200: Tie, **problems(404, 422)}, summary="A tie's strength")
def strength(request: HttpRequest, person_id: int = object_id("person")) -> dict[str, object]:
    """How strong your tie with someone is today, its trend and status, and why."""
    user = access_of(request).user
    person = get_owned_or_404(Person, user, pk=person_id)
    return tie_data(person, person_strength(user, person))


@router.get("/rekindle", response={200: list[RekindleEntry], **problems(422)}, summary="Ties worth reviving")
def rekindle(request: HttpRequest, query: Query[Limit]) -> list[dict[str, Any]]:
    """Dormant and at-risk ties worth reviving, ranked, each with an opener (`kithkin rekindle --json`)."""
    return [candidate_data(c) for c in rekindle_list(access_of(request).user, limit=query.limit)]


@router.get("/paths", response={200: list[WarmPath], **problems(400, 404, 422)}, summary="Warm paths")
def paths(request: HttpRequest, query: Query[PathQuery]) -> list[dict[str, Any]]:
    """Who could introduce you to a person, or get you into an organization: ranked warm paths,
    each with why (`kithkin path --json`). Name one of the two."""
    user = access_of(request).user
    if (query.person is None) == (query.organization is None):
        raise BadInput("person", "name a person, or an organization (one of the two)")
    if query.organization is not None:
        found = paths_to_organization(user, find_organization(user, query.organization), limit=query.limit)
    else:
        found = paths_to_person(user, find_person(user, query.person or ""), limit=query.limit)
    return [p.to_json() for p in found]


@router.post(
    "/paths/ask", response={201: IntroductionAsked, **problems(400, 404, 422)}, summary="Ask for an introduction"
)
def ask_introduction(request: HttpRequest, payload: AskIn) -> Status:
    """Ask someone for an introduction along a warm path (`kithkin path --ask`): the ask goes in
    the ledger, and the message to send them is drafted."""
    user = access_of(request).user
    if (payload.person is None) == (payload.organization is None):
        raise BadInput("person", "name a person, or an organization (one of the two)")
    via = find_person(user, payload.introducer, "introducer")
    target = find_person(user, payload.person) if payload.person is not None else None
    org = find_organization(user, payload.organization) if payload.organization is not None else None
    done = ask_for_introduction(user, via, target=target, organization=org, why=payload.why)
    return Status(201, intro_ask_data(done))


class Question(Schema):
    question: str = Field(min_length=1, description='In plain words: "who in Berlin could advise on hiring"')
    limit: int = Field(10, ge=1, le=MAX_LIMIT, description="How many people, best first")


@router.get("/ask", response={200: Answer, **problems(400, 422)}, summary="Ask the network")
def ask_network(request: HttpRequest, query: Query[Question]) -> dict[str, Any]:
    """Who in your network matches a question, best first, each with why (`kithkin ask --json`)."""
    return answer_data(ask(access_of(request).user, query.question, limit=query.limit))


@router.get("/suggestions", response={200: list[Suggestion], **problems(422)}, summary="Introductions worth making")
def suggest(request: HttpRequest, query: Query[Limit]) -> list[dict[str, Any]]:
    """Pairs where one person's need meets another's offer, interest, role or organization, ranked
    by fit and your strength with both (`kithkin suggest --json`)."""
    return [suggestion_data(s) for s in suggestions(access_of(request).user, limit=query.limit)]
