"""Career goals (`kithkin goal ...`): add, list, show, mark achieved. Each answer is the JSON of
the matching command's ``--json``, from the same ``goals.serialize``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from kithkin.api.auth import access_of
from kithkin.api.ledger import AskOut, ExchangeOut
from kithkin.api.paging import PAGED, PagingQuery, paginate
from kithkin.api.problems import problems
from kithkin.api.schemas import Ref, Touch
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.goals.models import Goal
from kithkin.goals.serialize import overview_data, summary_data
from kithkin.goals.services import add_goal, complete_goal, goal_overview, goal_summaries, split_targets

router = Router(tags=["goals"])


class Org(Schema):
    id: int
    name: str


class TargetPerson(Ref):
    is_prospect: bool


class GoalFields(Schema):
    """What a goal's summary and its overview both say of it."""

    id: int
    text: str
    pitch: str
    created_at: str | None
    achieved_at: str | None
    is_open: bool


class GoalSummary(GoalFields):
    target_organizations: list[Org]
    target_people: list[TargetPerson]
    known_at_targets: int = Field(description="People you know at the target organizations")


class GoalPerson(TargetPerson):
    closeness: str
    last_touch_at: str | None


class Former(Ref):
    ended_on: str | None


class OrganizationTargets(Org):
    people_known: int
    people: list[GoalPerson] = Field(description="The strongest ties there first")
    former: list[Former] = Field(description="People who used to work there")


class NextStep(Schema):
    text: str
    person: Ref | None


class GoalOverview(GoalFields):
    target_organizations: list[OrganizationTargets]
    target_people: list[GoalPerson]
    prospects: list[GoalPerson]
    touches: list[Touch]
    exchanges: list[ExchangeOut]
    asks: list[AskOut]
    next_step: NextStep


class GoalIn(Schema):
    text: str = Field(min_length=1, description="'Move into finance', 'A way into Acme'")
    target_organizations: list[str] = Field([], description="Organizations it is about")
    target_people: list[str] = Field(
        [], description="People it is about: ids, emails or names; a new name is added to the people you want to meet"
    )
    pitch: str = Field("", description="Your one-line pitch for it")


class GoalsFilter(Schema):
    all: bool = Field(False, description="Achieved goals too")


@router.get("", openapi_extra=PAGED, response={200: list[GoalSummary], **problems(422)}, summary="List goals")
def list_(request: HttpRequest, response: HttpResponse, filters: Query[GoalsFilter], paging: PagingQuery) -> list[Any]:
    """Your goals, open ones first, with their targets (`kithkin goal list`)."""
    user = access_of(request).user
    found = goal_summaries(user, include_achieved=filters.all)
    items = [summary_data(s, user) for s in found[paging.offset : paging.offset + paging.limit]]
    paginate(request, response, paging, len(found))
    return items


@router.post("", response={201: GoalOverview, **problems(400, 403, 404, 422)}, summary="Add a goal")
def add(request: HttpRequest, payload: GoalIn) -> Status:
    """Add a career goal, with the organizations and people it is about (`kithkin goal add`)."""
    user = access_of(request).user
    people, new = split_targets(user, payload.target_people, "target_people")
    goal = add_goal(
        user,
        payload.text,
        organizations=payload.target_organizations,
        people=people,
        new_prospects=new,
        pitch=payload.pitch,
    )
    return Status(201, overview_data(goal_overview(user, goal), user))


@router.get("/{goal_id}", response={200: GoalOverview, **problems(404)}, summary="Show a goal")
def show(request: HttpRequest, goal_id: int) -> dict[str, Any]:
    """Who you know at each target, recent touches, gives and asks, what to do next (`kithkin goal show`)."""
    user = access_of(request).user
    return overview_data(goal_overview(user, get_owned_or_404(Goal, user, pk=goal_id)), user)


@router.post("/{goal_id}/done", response={200: GoalOverview, **problems(403, 404)}, summary="Mark achieved")
def done(request: HttpRequest, goal_id: int) -> dict[str, Any]:
    """Mark a goal achieved (`kithkin goal done`)."""
    user = access_of(request).user
    goal = complete_goal(user, get_owned_or_404(Goal, user, pk=goal_id))
    return overview_data(goal_overview(user, goal), user)
