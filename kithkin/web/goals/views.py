"""Goals (/goals/) and the weekly review (/goals/week/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.goals.models import Goal
from kithkin.goals.services import (
    add_goal,
    complete_goal,
    edit_goal,
    goal_overview,
    goal_summaries,
    reopen_goal,
)
from kithkin.goals.week import MAX_WEEKS_AGO, recent_weeks, routine, week_review
from kithkin.interactions.services import resolve_participants
from kithkin.network.paths import paths_to_organization
from kithkin.web.forms import add_bad_input, plain
from kithkin.web.goals.forms import GOAL_FIELDS, GoalForm, TargetsForm
from kithkin.web.http import AuthedRequest


@login_required
@require_http_methods(["GET", "POST"])
def goal_list(request: AuthedRequest) -> HttpResponse:
    """Every goal with its targets, and the form to add one: a fixed number of queries."""
    user = request.user
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            known, new = resolve_participants(user, [], form.people_names())
            goal = add_goal(
                user,
                form.cleaned_data["text"],
                organizations=form.organization_names(),
                people=known,
                new_prospects=new,
                pitch=form.cleaned_data["pitch"],
            )
        except BadInput as exc:
            add_bad_input(form, exc, GOAL_FIELDS)
        else:
            added = "".join(f" Added {name} to the people you want to meet." for name in new)
            messages.success(request, f"Goal added.{added}")
            return redirect("goals:detail", pk=goal.pk)
    summaries = goal_summaries(user)
    context = {
        "nav": "goals",
        "form": form,
        "open_goals": [s for s in summaries if s.is_open],
        "achieved": [s for s in summaries if not s.is_open],
    }
    return render(request, "goals/goal_list.html", context, status=400 if form.errors else 200)


# Warm paths shown under each target organization.
PATHS_PER_ORG = 3


def _detail(request: AuthedRequest, goal: Goal, targets_form: TargetsForm | None = None) -> HttpResponse:
    now = clock.now()
    overview = goal_overview(request.user, goal)
    context = {
        "nav": "goals",
        "now": now,
        "overview": overview,
        "paths": {
            t.organization.pk: paths_to_organization(request.user, t.organization, now=now, limit=PATHS_PER_ORG)
            for t in overview.organizations
        },
        "targets_form": targets_form or TargetsForm(),
    }
    return render(request, "goals/goal_detail.html", context, status=400 if targets_form else 200)


@login_required
@require_GET
def goal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Whom the user knows at each target organization, the prospects, what happened with those
    people lately, and the next thing to do."""
    return _detail(request, get_owned_or_404(Goal, request.user, pk=pk))


@login_required
@require_POST
def goal_targets(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    goal = get_owned_or_404(Goal, user, pk=pk)
    form = TargetsForm(request.POST)
    if form.is_valid():
        try:
            known, new = resolve_participants(user, [], form.people_names())
            edit_goal(user, goal, add_organizations=form.organization_names(), add_people=known, new_prospects=new)
        except BadInput as exc:
            add_bad_input(form, exc, GOAL_FIELDS)
        else:
            messages.success(request, "Targets added.")
            return redirect("goals:detail", pk=goal.pk)
    return _detail(request, goal, form)


@login_required
@require_POST
def goal_done(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark a goal achieved, or (``reopen``) open again."""
    goal = get_owned_or_404(Goal, request.user, pk=pk)
    try:
        if request.POST.get("reopen"):
            reopen_goal(request.user, goal)
            messages.success(request, "Goal reopened.")
        else:
            complete_goal(request.user, goal)
            messages.success(request, "Goal achieved. Well done: thank the people who helped you get there.")
    except BadInput as exc:
        messages.error(request, plain(exc.message))
    return redirect("goals:detail", pk=goal.pk)


@login_required
@require_GET
def week(request: AuthedRequest) -> HttpResponse:
    """The weekly review (``?weeks=N``: N weeks back), with the weeks before it."""
    user, now = request.user, clock.now()
    try:
        weeks_ago = int(request.GET.get("weeks", "0"))
    except ValueError:
        weeks_ago = -1
    if not 0 <= weeks_ago <= MAX_WEEKS_AGO:
        return redirect("goals:week")
    context = {
        "nav": "goals",
        "now": now,
        "review": week_review(user, now, weeks_ago=weeks_ago),
        "routine": routine(user, now) if weeks_ago == 0 else None,
        "weeks": recent_weeks(user, now),
    }
    return render(request, "goals/week.html", context)
