"""Double opt-in introductions (`kithkin intro ...`): propose, list, show, take a step, and the
wording of the three messages. Each answer is the JSON of the matching command's ``--json``, from
the same ``introductions.serialize``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from kithkin.accounts.services import get_profile
from kithkin.api.auth import access_of
from kithkin.api.paging import PAGED, PagingQuery, paginate
from kithkin.api.problems import problems
from kithkin.api.schemas import FollowUp, Ref
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.introductions.serialize import introduction_data, step_data, templates_data
from kithkin.introductions.services import (
    introductions,
    parse_state,
    propose_introduction,
    set_intro_templates,
    step_introduction,
)
from kithkin.people.services import find_person

router = Router(tags=["introductions"])

ACTIONS = "ask-a, a-yes, a-no, ask-b, b-yes, b-no, introduce, outcome or drop"


class Introduction(Schema):
    id: int
    state: str
    state_label: str
    a: Ref = Field(description="Who is asked first")
    b: Ref = Field(description="Who is asked once A agrees")
    why: str
    outcome: str
    created_at: str | None
    updated_at: str | None
    asked_a_at: str | None
    a_answered_at: str | None
    asked_b_at: str | None
    b_answered_at: str | None
    introduced_at: str | None
    outcome_at: str | None
    dropped_at: str | None
    next: str = Field(description="What comes next, in words")
    next_actions: list[str] = Field(description=f"The steps that may be taken now: {ACTIONS}")


class HistoryLine(Schema):
    at: str | None
    step: str


class IntroductionDraft(Schema):
    kind: str
    to: list[str]
    missing_email: list[str] = Field(description="The people it is for whose address is not known")
    subject: str
    body: str
    mailto: str


class Give(Schema):
    id: int
    person: int
    what: str
    kind: str
    on: str


class IntroductionDetail(Introduction):
    history: list[HistoryLine]
    draft: IntroductionDraft | None = Field(description="The message to send for the next step, if it has one")
    follow_ups: list[FollowUp] = Field(description="Its open follow-ups")
    gives: list[Give] = Field(description="The gives it recorded")


class GiveRecorded(Schema):
    id: int
    person: int
    what: str


class Stepped(IntroductionDetail):
    follow_ups_created: list[FollowUp]
    follow_ups_closed: int
    gives_recorded: list[GiveRecorded]


class Template(Schema):
    text: str
    is_default: bool = Field(description="Kithkin's wording, not yours")


class Templates(Schema):
    templates: dict[str, Template] = Field(description="ask_a, ask_b and introduce")
    placeholders: dict[str, str]


class ProposeIn(Schema):
    a: str = Field(min_length=1, description="Who is asked first: an id, email or name")
    b: str = Field(min_length=1, description="Who is asked once A agrees")
    why: str = Field(min_length=1, description="Why they should meet; it goes into both messages")


class StepIn(Schema):
    action: str = Field(min_length=1, description=ACTIONS)
    text: str = Field("", description="For outcome: how it went. For a-no, b-no, drop: why (optional)")


class TemplatesIn(Schema):
    ask_a: str | None = Field(None, description="Your wording of the message asking A ('' for Kithkin's)")
    ask_b: str | None = Field(None, description="Your wording of the message asking B")
    email: str | None = Field(None, description="Your wording of the introduction email")


class IntroductionsFilter(Schema):
    state: str | None = Field(
        None, min_length=1, description="open, closed, or one state: proposed, asked_a, introduced..."
    )


@router.get(
    "", openapi_extra=PAGED, response={200: list[Introduction], **problems(400, 422)}, summary="List introductions"
)
def list_(
    request: HttpRequest, response: HttpResponse, filters: Query[IntroductionsFilter], paging: PagingQuery
) -> list[Any]:
    """Your introductions, most recently moved first (`kithkin intro list`)."""
    user = access_of(request).user
    rows = introductions(user)
    if filters.state is not None:
        rows = rows.filter(state__in=parse_state(filters.state))
    items = [introduction_data(i, user) for i in rows[paging.offset : paging.offset + paging.limit]]
    paginate(request, response, paging, rows.count())
    return items


@router.post("", response={201: IntroductionDetail, **problems(400, 403, 404, 422)}, summary="Propose an introduction")
def propose(request: HttpRequest, payload: ProposeIn) -> Status:
    """Propose introducing A to B (`kithkin intro propose`); the answer holds the message asking A."""
    user = access_of(request).user
    intro = propose_introduction(
        user, find_person(user, payload.a, "a"), find_person(user, payload.b, "b"), payload.why
    )
    return Status(201, introduction_data(intro, user, full=True))


@router.get("/templates", response={200: Templates}, summary="The wording of the messages")
def templates(request: HttpRequest) -> dict[str, Any]:
    """The wording of the three messages and the placeholders they can use (`kithkin intro templates`)."""
    return templates_data(get_profile(access_of(request).user))


@router.put("/templates", response={200: Templates, **problems(400, 403, 422)}, summary="Change the wording")
def change_templates(request: HttpRequest, payload: TemplatesIn) -> dict[str, Any]:
    """Change the wording of any of the three messages ('' goes back to Kithkin's); a message left
    out stays as it is."""
    user = access_of(request).user
    return templates_data(set_intro_templates(user, ask_a=payload.ask_a, ask_b=payload.ask_b, introduce=payload.email))


@router.get("/{intro_id}", response={200: IntroductionDetail, **problems(404)}, summary="Show an introduction")
def show(request: HttpRequest, intro_id: int) -> dict[str, Any]:
    """Where it is, its steps with dates, what comes next and the message for it (`kithkin intro show`)."""
    user = access_of(request).user
    return introduction_data(get_owned_or_404(introductions(user), user, pk=intro_id), user, full=True)


@router.post("/{intro_id}/steps", response={200: Stepped, **problems(400, 403, 404, 422)}, summary="Take a step")
def step(request: HttpRequest, intro_id: int, payload: StepIn) -> dict[str, Any]:
    """Take the next step (`kithkin intro step`): the answer says the follow-ups it set and closed
    and the gives it recorded; a step the state does not allow is refused on `action`."""
    user = access_of(request).user
    intro = get_owned_or_404(introductions(user), user, pk=intro_id)
    return step_data(step_introduction(user, intro, payload.action, text=payload.text), user)
