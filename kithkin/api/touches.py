"""Touches: log one (`kithkin log`), the list of them newest first, one, and a person's
timeline (the touches `kithkin show` lists)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from kithkin.accounts.when import parse_user_when
from kithkin.api.auth import access_of
from kithkin.api.paging import PAGED, PagingQuery, paginate
from kithkin.api.params import MAX_ID, object_id
from kithkin.api.problems import problems
from kithkin.api.schemas import FollowUp, Touch
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.exchanges.services import follow_ups_after_touch, log_introduced_touch
from kithkin.followups.serialize import logged_touch_data
from kithkin.interactions.models import Touch as TouchModel
from kithkin.interactions.serialize import touch_data
from kithkin.interactions.services import count_touches, list_touches, log_touch, timeline
from kithkin.people.models import Person
from kithkin.people.services import find_person

router = Router(tags=["touches"])
# A person's timeline, under /people/{person_id}/touches.
timeline_router = Router(tags=["touches"])


class LoggedTouch(Touch):
    follow_ups: list[FollowUp] = Field(description="The follow-ups it set: thank-yous, close-the-loops")


class TouchIn(Schema):
    kind: str = Field(
        description="coffee, meal, meeting, call, video, email, message, event, informational_interview, social or other"
    )
    people: list[str] = Field(min_length=1, description="One or more people: ids, emails or names")
    at: str = Field("now", description="When: 2026-03-14 15:00, 'yesterday 3pm', 'last friday'")
    notes: str = Field("", description="What you talked about")
    advice: str = Field("", description="Advice you received (you will be reminded to close the loop)")
    thank: bool | None = Field(None, description="Ask for (or not) a thank-you; null: as the kind does")
    by_them: bool = Field(False, description="They reached out, not you")
    introduced_by: str | None = Field(None, description="Who introduced you to them: thanked, then told how it went")


class TouchFilters(Schema):
    person: int | None = Field(None, ge=1, le=MAX_ID, description="Only touches with this person (an id)")
    kind: str | None = Field(None, description="Only touches of this kind")
    since: str | None = Field(None, description="Only touches since then: 2026-03-01, 'last month'")


@router.post("", response={201: LoggedTouch, **problems(400, 404, 422)}, summary="Log a touch")
def log(request: HttpRequest, payload: TouchIn) -> Status:
    """Log an interaction with one or more people (`kithkin log`); the answer has the follow-ups
    it set, as `kithkin log --json` gives it."""
    user = access_of(request).user
    participants = [find_person(user, ref, "people") for ref in payload.people]
    happened = parse_user_when(user, payload.at, field="at")
    options: dict[str, Any] = {
        "notes": payload.notes,
        "advice": payload.advice,
        "initiated_by": "them" if payload.by_them else "me",
        "thank": payload.thank,
    }
    if payload.introduced_by:
        introducer = find_person(user, payload.introduced_by, "introduced_by")
        touch = log_introduced_touch(user, introducer, participants, payload.kind, happened, **options)
    else:
        touch = log_touch(user, participants, payload.kind, happened, **options)
    return Status(201, logged_touch_data(touch, follow_ups_after_touch(user, touch).caused, user))


@router.get("", openapi_extra=PAGED, response={200: list[Touch], **problems(400, 422)}, summary="List touches")
def list_(
    request: HttpRequest, response: HttpResponse, filters: Query[TouchFilters], paging: PagingQuery
) -> list[dict[str, object]]:
    """Your touches, newest first, a page at a time; by person, kind or since a day."""
    user = access_of(request).user
    since = parse_user_when(user, filters.since, field="since") if filters.since else None
    touches = list_touches(user, person_id=filters.person, kind=filters.kind, since=since)
    page = touches.prefetch_related("participants__person")[paging.offset : paging.offset + paging.limit]
    items = [touch_data(t, user) for t in page]
    paginate(request, response, paging, touches.count())
    return items


@router.get("/{int:touch_id}", response={200: Touch, **problems(404, 422)}, summary="Show a touch")
def show(request: HttpRequest, touch_id: int = object_id("touch")) -> dict[str, object]:
    user = access_of(request).user
    return touch_data(get_owned_or_404(TouchModel, user, pk=touch_id), user)


@timeline_router.get(
    "/{int:person_id}/touches",
    openapi_extra=PAGED,
    response={200: list[Touch], **problems(404, 422)},
    summary="A person's touches",
)
def person_touches(
    request: HttpRequest, response: HttpResponse, paging: PagingQuery, person_id: int = object_id("person")
) -> list[dict[str, object]]:
    """Someone's touches, newest first, a page at a time (`kithkin show PERSON --all`)."""
    user = access_of(request).user
    person = get_owned_or_404(Person, user, pk=person_id)
    touches = timeline(user, person, offset=paging.offset, limit=paging.limit)
    items = [touch_data(t, user) for t in touches]
    paginate(request, response, paging, count_touches(user, person))
    return items
