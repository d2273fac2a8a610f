"""The ledger: what you gave and got (`kithkin gave`, `got`), what you asked for (`asked`, `asks`,
`close-ask`), the balance with everyone or one person (`balance`), and links to share (`share`,
`resources`). Each answer is the JSON of the matching command's ``--json``, from the same
``exchanges.serialize``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from kithkin.accounts.services import get_profile
from kithkin.accounts.when import parse_user_day
from kithkin.api.auth import access_of
from kithkin.api.paging import PAGED, PagingQuery, paginate
from kithkin.api.problems import problems
from kithkin.api.schemas import FollowUp, Ref
from kithkin.core import clock
from kithkin.core.choices import parse_choice
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.exchanges.matching import candidates_for
from kithkin.exchanges.models import Ask, Exchange, Kind, Share
from kithkin.exchanges.serialize import (
    ask_data,
    asked_data,
    candidates_data,
    exchange_data,
    network_balance_data,
    person_balance_data,
    recorded_data,
    resource_data,
    sent_data,
)
from kithkin.exchanges.services import (
    close_ask,
    find_ask,
    list_asks,
    list_resources,
    record_ask,
    record_exchange,
    record_received,
    save_and_share_resource,
    save_resource,
)
from kithkin.people.models import Person
from kithkin.people.services import find_person

router = Router(tags=["ledger"])

KINDS = "intro, referral, advice, resource, favor, recommendation, time or other"


# --- shapes -------------------------------------------------------------------------------------


class ExchangeOut(Schema):
    id: int
    direction: str = Field(description="gave or got")
    kind: str
    what: str
    on: str = Field(description="YYYY-MM-DD")
    person: Ref
    to_person: Ref | None = Field(description="For an intro you got: whom they introduced you to")
    settles: int | None = Field(description="The ask it answered")
    touch: int | None
    event: int | None
    introduction: int | None


class Tally(Schema):
    gave: int
    got: int


class PeriodTally(Tally):
    period: str


class BalanceOut(Tally):
    net: int = Field(description="Given minus received")
    by_kind: dict[str, Tally]
    by_period: list[PeriodTally]
    last_gave_on: str | None
    last_got_on: str | None
    open_asks: int


class Recorded(ExchangeOut):
    added: bool | None = Field(None, description="With `to`: whether that person was new to you and added")
    follow_ups: list[FollowUp] = Field(description="The follow-ups it set (a thank-you for help received)")
    balance: BalanceOut = Field(description="The balance with that person now")


class AskOut(Schema):
    id: int
    kind: str
    what: str
    on: str
    status: str
    closed_at: str | None
    person: Ref
    event: int | None


class Asked(AskOut):
    warning: str | None = Field(description="A reminder to give first, after several asks with nothing given")


class PersonBalance(BalanceOut):
    person: Ref
    by: str
    exchanges: list[ExchangeOut]
    asks: list[AskOut] = Field(description="The open asks to them")


class BalanceRow(Tally):
    person: Ref
    net: int
    last_on: str


class Owed(Schema):
    person: Ref
    last: ExchangeOut
    since: int = Field(description="Days since their last help")


class NetworkBalance(BalanceOut):
    by: str
    people: list[BalanceRow] = Field(description="Most out of balance first")
    owe: list[Owed] = Field(description="Helped you in the last 90 days, nothing given back since")


class ShareOut(Schema):
    id: int
    person: Ref
    shared_at: str | None
    message: str
    exchange: int | None


class ResourceOut(Schema):
    id: int
    url: str
    title: str
    topics: list[str]
    created_at: str | None
    shared_with: list[ShareOut] | None = None


class Candidate(Schema):
    person: Ref
    why: str
    interests: list[str]
    needs: list[str]
    score: float


class ResourceSaved(Schema):
    resource: ResourceOut
    created: bool
    candidates: list[Candidate] = Field(description="Whom it could help, best first")


class ResourceSent(Schema):
    resource: ResourceOut
    created: bool
    shares: list[ShareOut]


# --- what is sent ---------------------------------------------------------------------------------


class HelpIn(Schema):
    person: str = Field(min_length=1, description="An id, email or name of someone in your network")
    what: str = Field(min_length=1, description="What was given, received or asked for")
    kind: str | None = Field(None, description=f"{KINDS.capitalize()} (default other)")
    on: str | None = Field(None, min_length=1, description="YYYY-MM-DD or words ('yesterday'); default today")


class GotIn(HelpIn):
    settles: int | None = Field(None, description="The id of the ask this answers")
    to: str | None = Field(None, description="For an intro: whom they introduced you to (a new name adds them)")


class ResourceIn(Schema):
    url: str = Field(min_length=1, description="The link (https://...)")
    title: str = ""
    topics: list[str] = Field([], description="What it is about: matched with interests and needs")


class SuggestIn(ResourceIn):
    limit: int = Field(20, ge=1, le=200, description="How many people to suggest")


class SendIn(ResourceIn):
    to: list[Annotated[str, Field(min_length=1)]] = Field(
        min_length=1, description="Send it to these people (ids, emails or names)"
    )
    message: str | None = Field(None, description="Your own message instead of the drafted one ({name})")


class AsksFilter(Schema):
    open: bool = Field(False, description="Only the asks still waiting for an answer")


class BalanceQuery(Schema):
    by: Literal["year", "month"] = Field("year", description="Over time by year or month")


class NetworkBalanceQuery(BalanceQuery):
    limit: int | None = Field(None, ge=1, description="At most this many people (default all)")


@contextmanager
def url_field() -> Iterator[None]:
    """The ledger's services name a link's field "URL", the command's argument; here it is "url"."""
    try:
        yield
    except BadInput as exc:
        if exc.field == "URL":
            raise BadInput("url", exc.message) from None
        raise


def _kind(kind: str | None, default: str = "other") -> str:
    return parse_choice(Kind, kind, "kind") if kind is not None else default


# --- routes ---------------------------------------------------------------------------------------


@router.post(
    "/exchanges/gave",
    response={201: Recorded, **problems(400, 403, 404, 422)},
    exclude_unset=True,
    summary="Record a give",
)
def gave(request: HttpRequest, payload: HelpIn) -> Status:
    """Something you gave someone (`kithkin gave`): an intro, a referral, advice, a resource, a favor."""
    user = access_of(request).user
    person = find_person(user, payload.person, "person")
    on = parse_user_day(user, payload.on, field="on")
    exchange = record_exchange(user, person, "gave", payload.what, kind=_kind(payload.kind), on=on)
    return Status(201, recorded_data(user, exchange))


@router.post(
    "/exchanges/got",
    response={201: Recorded, **problems(400, 403, 404, 422)},
    exclude_unset=True,
    summary="Record help received",
)
def got(request: HttpRequest, payload: GotIn) -> Status:
    """Help someone gave you (`kithkin got`); a thank-you falls due within 24 hours. With `to`, an
    introduction to that person (added when new); with `settles`, the answer to an ask."""
    user = access_of(request).user
    giver = find_person(user, payload.person, "person")
    on = parse_user_day(user, payload.on, field="on")
    ask = find_ask(user, payload.settles, "settles") if payload.settles is not None else None
    kind = _kind(payload.kind, "intro" if payload.to is not None else "other")
    exchange, added = record_received(user, giver, payload.what, kind=kind, to=payload.to, on=on, settles=ask)
    return Status(201, recorded_data(user, exchange, {"added": added} if payload.to is not None else None))


@router.get("/exchanges/{exchange_id}", response={200: ExchangeOut, **problems(404)}, summary="Show a give or a get")
def show_exchange(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    """One entry of the ledger."""
    user = access_of(request).user
    exchange = get_owned_or_404(Exchange.objects.select_related("person", "to_person"), user, pk=exchange_id)
    return exchange_data(exchange)


@router.post("/asks", response={201: Asked, **problems(400, 403, 404, 422)}, summary="Record an ask")
def asked(request: HttpRequest, payload: HelpIn) -> Status:
    """Something you asked someone for (`kithkin asked`); it stays open until help comes (a get
    that `settles` it) or you close it."""
    user = access_of(request).user
    person = find_person(user, payload.person, "person")
    on = parse_user_day(user, payload.on, field="on")
    ask = record_ask(user, person, payload.what, kind=_kind(payload.kind), on=on)
    return Status(201, asked_data(user, ask))


@router.get("/asks", openapi_extra=PAGED, response={200: list[AskOut], **problems(422)}, summary="List asks")
def asks(request: HttpRequest, response: HttpResponse, filters: Query[AsksFilter], paging: PagingQuery) -> list[Any]:
    """What you have asked people for, newest first (`kithkin asks`)."""
    user = access_of(request).user
    found = list_asks(user, open_only=bool(filters.open))
    tz = get_profile(user).tz
    items = [ask_data(a, tz) for a in found[paging.offset : paging.offset + paging.limit]]
    paginate(request, response, paging, found.count())
    return items


@router.post("/asks/{ask_id}/close", response={200: AskOut, **problems(400, 403, 404)}, summary="Close an ask")
def close(request: HttpRequest, ask_id: int) -> dict[str, Any]:
    """Close an ask that got no answer (`kithkin close-ask`)."""
    user = access_of(request).user
    ask = close_ask(user, get_owned_or_404(Ask.objects.select_related("person"), user, pk=ask_id))
    return ask_data(ask, get_profile(user).tz)


@router.get("/balance", response={200: NetworkBalance, **problems(422)}, summary="The balance with everyone")
def balance(request: HttpRequest, query: Query[NetworkBalanceQuery]) -> dict[str, Any]:
    """Given and received, by kind and over time, with everyone, most out of balance first, and
    whom you owe one (`kithkin balance`)."""
    return network_balance_data(access_of(request).user, query.by, query.limit)


@router.get(
    "/balance/{person_id}",
    response={200: PersonBalance, **problems(404, 422)},
    summary="The balance with one person",
)
def person_balance(request: HttpRequest, person_id: int, query: Query[BalanceQuery]) -> dict[str, Any]:
    """Given and received with one person, their exchanges and your open asks to them
    (`kithkin balance PERSON`)."""
    user = access_of(request).user
    return person_balance_data(user, get_owned_or_404(Person, user, pk=person_id), query.by)


@router.post(
    "/resources",
    response={201: ResourceSaved, **problems(400, 403, 422)},
    exclude_unset=True,
    summary="Save a link to share",
)
def save(request: HttpRequest, payload: SuggestIn) -> Status:
    """Save a link and see whom it could help, best first (`kithkin share URL`). Saving a link
    again updates it (`created` is false)."""
    user = access_of(request).user
    with url_field():
        resource, created = save_resource(user, payload.url, title=payload.title, topics=payload.topics)
    sent = list(Share.objects.for_owner(user).filter(resource=resource).values_list("person_id", flat=True))
    found = candidates_for(user, resource.topics, clock.now(), exclude=sent, limit=payload.limit)
    return Status(201, candidates_data(resource, created, found, get_profile(user).tz))


@router.post(
    "/resources/share",
    response={201: ResourceSent, **problems(400, 403, 404, 422)},
    exclude_unset=True,
    summary="Send a link to people",
)
def send(request: HttpRequest, payload: SendIn) -> Status:
    """Save a link and send it to people (`kithkin share URL --to ...`): each is logged as a give."""
    user = access_of(request).user
    people = [find_person(user, ref, "to") for ref in payload.to]
    with url_field():
        resource, created, shares = save_and_share_resource(
            user, payload.url, people, title=payload.title, topics=payload.topics, message=payload.message
        )
    return Status(201, sent_data(resource, created, shares, get_profile(user).tz))


@router.get(
    "/resources",
    openapi_extra=PAGED,
    response={200: list[ResourceOut], **problems(422)},
    exclude_unset=True,
    summary="List links",
)
def resources(request: HttpRequest, response: HttpResponse, paging: PagingQuery) -> list[Any]:
    """The links you saved to share, newest first, and who got each (`kithkin resources`)."""
    user = access_of(request).user
    tz = get_profile(user).tz
    found = list_resources(user)
    page = found[paging.offset : paging.offset + paging.limit]
    items = [resource_data(r, tz, list(r.shares.all())) for r in page]
    paginate(request, response, paging, found.count())
    return items


@router.get(
    "/resources/{resource_id}",
    response={200: ResourceOut, **problems(404)},
    exclude_unset=True,
    summary="Show a link",
)
def show_resource(request: HttpRequest, resource_id: int) -> dict[str, Any]:
    """One saved link and who got it."""
    user = access_of(request).user
    resource = get_owned_or_404(list_resources(user), user, pk=resource_id)
    return resource_data(resource, get_profile(user).tz, list(resource.shares.all()))
