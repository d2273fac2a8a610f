"""`kithkin goal ...`: career goals and the way in to each."""

from __future__ import annotations

from typing import Annotated

import typer
from django.contrib.auth.models import User

from kithkin.cli.common import JsonOpt, emit_json, local, out, owner
from kithkin.goals.serialize import overview_data, summary_data
from kithkin.goals.services import (
    GoalOverview,
    add_goal,
    complete_goal,
    find_goal,
    goal_overview,
    goal_summaries,
    split_targets,
)

app = typer.Typer(
    no_args_is_help=True,
    help="Career goals ('move into finance', 'a way into Acme'): who you know there, what to do next.",
    rich_markup_mode=None,
)

GoalArg = Annotated[str, typer.Argument(metavar="GOAL", help="The goal: its id or words of it.")]


def _print_overview(overview: GoalOverview, user: User) -> None:
    goal = overview.goal
    state = f"achieved {local(goal.achieved_at, user)}" if goal.achieved_at else "open"
    out.print(f"[bold]{goal.text}[/] (#{goal.pk}) · {state}", highlight=False)
    if goal.pitch:
        out.print(f"  pitch: {goal.pitch}", markup=False)
    out.print(f"  next: {overview.next_step.text}", markup=False)
    _print_targets(overview)
    if overview.people:
        out.print("  people: " + ", ".join(f"#{p.pk} {p.full_name}" for p in overview.people), markup=False)
    if overview.prospects:
        out.print("  to meet: " + ", ".join(f"#{p.pk} {p.full_name}" for p in overview.prospects), markup=False)
    _print_recent(overview, user)


def _print_targets(overview: GoalOverview) -> None:
    """Each target organization: how many you know there, who, and who used to work there."""
    for target in overview.organizations:
        out.print(f"  {target.organization.name}: {target.count} known", markup=False)
        for p in target.people:
            out.print(f"    #{p.pk} {p.full_name} ({p.get_closeness_display()})", markup=False)
        if target.more:
            out.print(f"    and {target.more} more")
        for position in target.former:
            out.print(f"    formerly: #{position.person_id} {position.person.full_name}", markup=False)


def _print_recent(overview: GoalOverview, user: User) -> None:
    """The touches, gives and asks that moved the goal along lately."""
    for t in overview.touches:
        names = ", ".join(part.person.full_name for part in t.participants.all())
        out.print(f"  touch {local(t.happened_at, user)}: {t.get_kind_display()} with {names}", markup=False)
    for e in overview.exchanges:
        verb = "gave" if e.direction == "gave" else "got from"
        out.print(f"  {e.happened_on.isoformat()}: {verb} {e.person.full_name}: {e.what}", markup=False)
    for a in overview.asks:
        out.print(f"  {a.asked_on.isoformat()}: asked {a.person.full_name}: {a.what} ({a.status})", markup=False)


@app.command("add")
def add(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The goal: 'Move into finance', 'A way into Acme'.")],
    target_org: Annotated[
        list[str] | None, typer.Option("--target-org", help="An organization it is about (repeatable).")
    ] = None,
    target_person: Annotated[
        list[str] | None,
        typer.Option(
            "--target-person",
            help="A person it is about (repeatable): an id, email or name; a new name is added to the people you want to meet.",
        ),
    ] = None,
    pitch: Annotated[str, typer.Option("--pitch", help="Your one-line pitch for it.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Add a career goal, with the organizations and people it is about."""
    user = owner()
    people, new = split_targets(user, target_person or [])
    goal = add_goal(user, text, organizations=target_org or [], people=people, new_prospects=new, pitch=pitch)
    overview = goal_overview(user, goal)
    if as_json:
        emit_json(overview_data(overview, user))
        return
    out.print(f"Added goal #{goal.pk}: {goal.text}", markup=False)
    for name in new:
        out.print(f"  added {name} to the people you want to meet", markup=False)
    out.print(f"  next: {overview.next_step.text}", markup=False)


@app.command("list")
def list_goals(
    all_: Annotated[bool, typer.Option("--all", help="Achieved goals too.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Your goals, open ones first, with their targets."""
    user = owner()
    found = goal_summaries(user, include_achieved=all_)
    if as_json:
        emit_json([summary_data(s, user) for s in found])
        return
    if not found:
        out.print("No goals yet. Add one: kithkin goal add 'A way into Acme' --target-org Acme")
    for s in found:
        targets = [o.name for o in s.organizations] + [p.full_name for p in s.people]
        state = "" if s.is_open else " (achieved)"
        about = f" · {', '.join(targets)}" if targets else ""
        known = f" · {s.known} known there" if s.organizations else ""
        out.print(f"#{s.goal.pk}  {s.goal.text}{state}{about}{known}", markup=False)


@app.command("show")
def show(goal: GoalArg, as_json: JsonOpt = False) -> None:
    """A goal: who you know at each target organization, recent touches, gives and asks, what to do next."""
    user = owner()
    overview = goal_overview(user, find_goal(user, goal))
    if as_json:
        emit_json(overview_data(overview, user))
        return
    _print_overview(overview, user)


@app.command("done")
def done(goal: GoalArg, as_json: JsonOpt = False) -> None:
    """Mark a goal achieved."""
    user = owner()
    found = complete_goal(user, find_goal(user, goal))
    if as_json:
        emit_json(overview_data(goal_overview(user, found), user))
        return
    out.print(f"Achieved: {found.text} (#{found.pk}). Well done; thank the people who helped.", markup=False)
