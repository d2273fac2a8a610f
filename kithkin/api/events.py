"""Networking events (`kithkin event ...`): plan one, list them, show one with its review, record
whom you met, write a verdict, put help that came from it in the ledger, forget it. Each answer is
the JSON of the matching command's ``--json``, from the same ``events.serialize``."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from kithkin.accounts.when import parse_user_when
from kithkin.api.auth import access_of
from kithkin.api.paging import PAGED, PagingQuery, paginate
from kithkin.api.problems import problems
from kithkin.api.schemas import FollowUp, Ref
from kithkin.core import clock
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.events.models import Event
from kithkin.events.serialize import events_data, help_data, met_result_data, planned_data, review_data
from kithkin.events.services import (
    DEFAULT_START,
    EventPlan,
    add_event,
    delete_event,
    event_review,
    is_past,
    met,
    past_events,
    record_event_help,
    resolve_people,
    review_event,
    upcoming_events,
)
from kithkin.people.services import find_person

router = Router(tags=["events"])

KINDS = "intro, referral, advice, resource, favor, recommendation, time or other"


class Hope(Ref):
    is_met: bool | None = Field(None, description="In an event's review: whether you met them there")


class Figures(Schema):
    met: int
    new_people: int
    thank_yous: int
    thanked_in_time: int
    thanked_late: int
    thanked: int
    gave: int
    got: int
    asks: int
    hoped: int
    hoped_met: int


class EventOut(Schema):
    id: int
    name: str
    starts_at: str | None
    where: str
    goal: str = Field(description="What you want from it")
    pitch: str
    starters: list[str] = Field(description="Conversation starters")
    circle: str | None = Field(description="The circle of the people new to you met there")
    verdict: str
    is_worth_again: bool | None
    is_past: bool | None = None
    hope_to_meet: list[Hope] | None = None
    figures: Figures | None = Field(None, description="For a past event: what it gave, in numbers")


class Planned(EventOut):
    added_to_meet: list[Ref] = Field(description="Names new to you, added to the people you want to meet")


class MetPerson(Ref):
    is_new: bool
    thank_you: str = Field(description="in_time, late, open, skipped or none")
    thank_you_id: int | None
    thank_you_due_at: str | None


class EventLedgerRow(Schema):
    id: int
    kind: str
    what: str
    on: str
    person: Ref
    direction: str | None = None
    status: str | None = None


class EventReview(EventOut):
    met: list[MetPerson] | None = None
    exchanges: list[EventLedgerRow] | None = None
    asks: list[EventLedgerRow] | None = None


class MetNew(Ref):
    is_new: bool


class MetResult(Schema):
    event: EventOut
    met: list[MetNew]
    already_met: list[Ref]
    is_history: bool = Field(description="More than 7 days ago: logged as history, no thank-yous asked for")
    follow_ups: list[FollowUp] = Field(description="The thank-yous it asked for")


class Help(Schema):
    id: int
    type: str = Field(description="exchange or ask")
    direction: str
    kind: str
    what: str
    person: Ref
    event: Ref


class EventIn(Schema):
    name: str = Field(min_length=1)
    on: str = Field(
        min_length=1, description="When it starts: 'friday 6:30pm', '2026-12-03 18:30' (a day alone: 18:00)"
    )
    where: str = ""
    goal: str = Field("", description="What you want from it")
    pitch: str = Field("", description="Your one-line pitch")
    starters: list[str] = Field([], description="Conversation starters")
    hope_to_meet: list[str] = Field(
        [], description="Ids, emails or names; a new name is added to the people you want to meet"
    )
    circle: str | None = Field(None, description="The circle of the people new to you met there")


class MetIn(Schema):
    people: list[Annotated[str, Field(min_length=1)]] = Field(
        min_length=1, description="Ids, emails or names; a name new to you adds them"
    )


class ReviewIn(Schema):
    verdict: str = Field("", description="How it went, in a sentence or two")
    worth: bool | None = Field(None, description="Worth going again, or not")


class EventHelpIn(Schema):
    person: str = Field(min_length=1, description="An id, email or name of someone in your network")
    what: str = Field(min_length=1)
    kind: str = Field("other", description=KINDS)


class EventsFilter(Schema):
    past: bool | None = Field(None, description="true: only past events; false: only upcoming ones")


def _event(request: HttpRequest, event_id: int) -> Event:
    return get_owned_or_404(Event, access_of(request).user, pk=event_id)


@router.get(
    "", openapi_extra=PAGED, response={200: list[EventOut], **problems(422)}, exclude_unset=True, summary="List events"
)
def list_(request: HttpRequest, response: HttpResponse, filters: Query[EventsFilter], paging: PagingQuery) -> list[Any]:
    """Upcoming events with their plans, soonest first, then past ones with what each gave you
    (`kithkin event list`)."""
    user, now = access_of(request).user, clock.now()
    upcoming = [] if filters.past is True else list(upcoming_events(user, now).prefetch_related("hopes__person"))
    done = [] if filters.past is False else list(past_events(user, now).prefetch_related("hopes__person"))
    count = len(upcoming) + len(done)
    shown = slice(paging.offset, paging.offset + paging.limit)
    # The figures of the past events on this page only.
    page_upcoming = upcoming[shown]
    past_shown = slice(max(0, paging.offset - len(upcoming)), max(0, paging.offset + paging.limit - len(upcoming)))
    items = events_data(user, page_upcoming, done[past_shown])
    paginate(request, response, paging, count)
    return items


@router.post("", response={201: Planned, **problems(400, 403, 404, 422)}, exclude_unset=True, summary="Plan an event")
def add(request: HttpRequest, payload: EventIn) -> Status:
    """Plan an event: what you want from it, your pitch, conversation starters, whom to meet
    (`kithkin event add`)."""
    user = access_of(request).user
    plan = EventPlan(
        name=payload.name,
        starts_at=parse_user_when(user, payload.on, field="on", prefer="future", default_time=DEFAULT_START),
        where=payload.where,
        goal=payload.goal,
        pitch=payload.pitch,
        starters=payload.starters,
        circle=payload.circle or "",
        hope_to_meet=resolve_people(user, payload.hope_to_meet, "hope_to_meet"),
    )
    return Status(201, planned_data(add_event(user, plan), user))


@router.get("/{event_id}", response={200: EventReview, **problems(404)}, exclude_unset=True, summary="Show an event")
def show(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """The plan, and once it has started the review: people met, thank-yous, gives, asks, verdict
    (`kithkin event show`)."""
    user, event = access_of(request).user, _event(request, event_id)
    return review_data(event_review(user, event), user, is_past=is_past(event, clock.now()))


@router.post(
    "/{event_id}/met",
    response={201: MetResult, **problems(400, 403, 404, 422)},
    exclude_unset=True,
    summary="Record whom you met",
)
def met_people(request: HttpRequest, event_id: int, payload: MetIn) -> Status:
    """Whom you met there (`kithkin event met`): each gets a touch and a thank-you due 24 hours
    after the event; a name new to you adds them."""
    user, event = access_of(request).user, _event(request, event_id)
    result = met(user, event, resolve_people(user, payload.people, "people"))
    return Status(201, met_result_data(result, user))


@router.post(
    "/{event_id}/review",
    response={200: EventReview, **problems(400, 403, 404, 422)},
    exclude_unset=True,
    summary="Write a verdict",
)
def review(request: HttpRequest, event_id: int, payload: ReviewIn) -> dict[str, Any]:
    """How it went, and whether it is worth going again (`kithkin event review`)."""
    user = access_of(request).user
    event = review_event(user, _event(request, event_id), payload.verdict, payload.worth)
    return review_data(event_review(user, event), user, is_past=event.starts_at <= clock.now())


def _help(request: HttpRequest, event_id: int, direction: str, payload: EventHelpIn) -> Status:
    user, event = access_of(request).user, _event(request, event_id)
    person = find_person(user, payload.person, "person")
    row = record_event_help(user, event, person, direction, payload.what, kind=payload.kind)
    return Status(201, help_data(row, direction, event))


HELP_RESPONSES = {201: Help, **problems(400, 403, 404, 422)}


@router.post("/{event_id}/gave", response=HELP_RESPONSES, summary="Record a give from an event")
def gave(request: HttpRequest, event_id: int, payload: EventHelpIn) -> Status:
    """Something you gave someone, that came from the event (`kithkin event gave`)."""
    return _help(request, event_id, "gave", payload)


@router.post("/{event_id}/got", response=HELP_RESPONSES, summary="Record help got from an event")
def got(request: HttpRequest, event_id: int, payload: EventHelpIn) -> Status:
    """Help you got from someone, that came from the event (`kithkin event got`); a thank-you falls due."""
    return _help(request, event_id, "got", payload)


@router.post("/{event_id}/asked", response=HELP_RESPONSES, summary="Record an ask from an event")
def asked(request: HttpRequest, event_id: int, payload: EventHelpIn) -> Status:
    """Something you asked someone for, that came from the event (`kithkin event asked`)."""
    return _help(request, event_id, "asked", payload)


@router.delete("/{event_id}", response={204: None, **problems(403, 404)}, summary="Forget an event")
def delete(request: HttpRequest, event_id: int) -> HttpResponse:
    """Forget an event; the touches with the people you met there stay (`kithkin event delete`)."""
    delete_event(access_of(request).user, _event(request, event_id))
    return HttpResponse(status=204)
