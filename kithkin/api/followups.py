"""Follow-ups: what is due (`kithkin due`, in the same order), one, a reminder set by hand
(`kithkin remind`), done, skip, snooze, reopen, and the message that does one (`kithkin draft`)."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from kithkin.api.auth import access_of
from kithkin.api.paging import PAGED, PagingQuery, paginate
from kithkin.api.params import object_id
from kithkin.api.problems import problems
from kithkin.api.schemas import FollowUp
from kithkin.core import clock
from kithkin.drafts.serialize import draft_data
from kithkin.drafts.services import draft_follow_up
from kithkin.followups.serialize import follow_up_data
from kithkin.followups.services import (
    add_reminder,
    complete_follow_up,
    find_follow_up,
    reminder_time,
    reopen_follow_up,
    skip_follow_up,
    snooze_follow_up,
    snooze_until,
)
from kithkin.network.serialize import ranked_due_page
from kithkin.people.services import find_person

router = Router(tags=["follow-ups"])

# Ten years: further ahead than any follow-up is set, and a date the database can hold.
MAX_WITHIN = 3650


class DueFilters(Schema):
    within: int = Field(0, ge=0, le=MAX_WITHIN, description="Also what falls due in the next DAYS days")
    top: int | None = Field(None, ge=0, description="Only the N most worthwhile check-ins (as Today shows them)")


class ReminderIn(Schema):
    person: str = Field(description="An id, email or name")
    reason: str = Field(description="What to do, as you would write it")
    at: str = Field("tomorrow", description="When it is due: 'friday', 'in 3 days 14:00', 2026-12-01")


class SnoozeIn(Schema):
    until: str = Field(description="When to bring it back: 'tomorrow', 'next monday', 2026-12-01")


class FollowUpDraft(Schema):
    id: int = Field(description="The follow-up's id")
    kind: str
    subject: str
    body: str
    to: list[str] = Field(description="The addresses it goes to")
    missing: list[str] = Field(description="The people it is for whose address is not known")
    mailto: str


@router.get(
    "/due",
    openapi_extra=PAGED,
    response={200: list[FollowUp], **problems(422)},
    exclude_unset=True,
    summary="What is due",
)
def due(
    request: HttpRequest, response: HttpResponse, filters: Query[DueFilters], paging: PagingQuery
) -> list[dict[str, object]]:
    """Open follow-ups due now (or within DAYS) as `kithkin due --json` lists them: promises most
    overdue first, then check-ins most worthwhile first, each with its rank and why."""
    user, now = access_of(request).user, clock.now()
    until = now + timedelta(days=filters.within)
    count, items = ranked_due_page(user, now, until, top=filters.top, offset=paging.offset, limit=paging.limit)
    paginate(request, response, paging, count)
    return items


@router.post("", response={201: FollowUp, **problems(400, 404, 422)}, exclude_unset=True, summary="Set a reminder")
def remind(request: HttpRequest, payload: ReminderIn) -> Status:
    """A follow-up set by hand ("Send Ana the pricing article"), as `kithkin remind`."""
    user = access_of(request).user
    person = find_person(user, payload.person)
    follow_up = add_reminder(user, person, payload.reason, reminder_time(user, payload.at, field="at"))
    return Status(201, follow_up_data(follow_up, user))


@router.get(
    "/{int:follow_up_id}",
    response={200: FollowUp, **problems(404, 422)},
    exclude_unset=True,
    summary="Show a follow-up",
)
def show(request: HttpRequest, follow_up_id: int = object_id("follow-up")) -> dict[str, object]:
    user = access_of(request).user
    return follow_up_data(find_follow_up(user, follow_up_id), user)


CHANGED = {200: FollowUp, **problems(400, 404, 422)}


@router.post("/{int:follow_up_id}/done", response=CHANGED, exclude_unset=True, summary="Mark a follow-up done")
def done(request: HttpRequest, follow_up_id: int = object_id("follow-up")) -> dict[str, object]:
    """Done (`kithkin done`): a check-in's next one is set from today."""
    user = access_of(request).user
    return follow_up_data(complete_follow_up(user, find_follow_up(user, follow_up_id)), user)


@router.post("/{int:follow_up_id}/skip", response=CHANGED, exclude_unset=True, summary="Skip a follow-up")
def skip(request: HttpRequest, follow_up_id: int = object_id("follow-up")) -> dict[str, object]:
    """Close it without doing it (`kithkin skip`)."""
    user = access_of(request).user
    return follow_up_data(skip_follow_up(user, find_follow_up(user, follow_up_id)), user)


@router.post("/{int:follow_up_id}/snooze", response=CHANGED, exclude_unset=True, summary="Snooze a follow-up")
def snooze(request: HttpRequest, payload: SnoozeIn, follow_up_id: int = object_id("follow-up")) -> dict[str, object]:
    """Put it off until later (`kithkin snooze --until`)."""
    user = access_of(request).user
    found = find_follow_up(user, follow_up_id)
    return follow_up_data(snooze_follow_up(user, found, snooze_until(user, payload.until)), user)


@router.post("/{int:follow_up_id}/reopen", response=CHANGED, exclude_unset=True, summary="Reopen a follow-up")
def reopen(request: HttpRequest, follow_up_id: int = object_id("follow-up")) -> dict[str, object]:
    """Undo a done, skip or snooze (`kithkin reopen`): open again, due when it was."""
    user = access_of(request).user
    return follow_up_data(reopen_follow_up(user, find_follow_up(user, follow_up_id)), user)


@router.get(
    "/{int:follow_up_id}/draft", response={200: FollowUpDraft, **problems(404, 422)}, summary="The message that does it"
)
def draft(request: HttpRequest, follow_up_id: int = object_id("follow-up")) -> dict[str, object]:
    """The message a follow-up asks you to send, with a mailto link (`kithkin draft --json`)."""
    user = access_of(request).user
    follow_up = find_follow_up(user, follow_up_id)
    return draft_data(follow_up.pk, draft_follow_up(user, follow_up))
