"""`kithkin goal ...` (career goals and the way in to each) and `kithkin week` (the weekly routine)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kithkin.goals.services import GoalOverview
    from kithkin.goals.week import WeekReview
    from kithkin.people.models import Person

# Typer reads these annotations by name from this module (the signatures are strings here).
JsonOpt = Annotated[bool, typer.Option("--json", help="Write only JSON to stdout.")]
GoalArg = Annotated[str, typer.Argument(metavar="GOAL", help="The goal: its id or words of it.")]


def _targets(user: User, refs: list[str]) -> tuple[list[Person], list[str]]:
    """The people named, and the names that match nobody (to add as people to meet). An id or
    an email that matches nobody is an error: it cannot be a new person's name."""
    from kithkin.core.errors import NotFound
    from kithkin.people.services import find_person

    found: list[Person] = []
    new: list[str] = []
    for ref in refs:
        try:
            found.append(find_person(user, ref, "target-person"))
        except NotFound:
            if "@" in ref or re.fullmatch(r"\s*#?\d+\s*", ref):
                raise
            new.append(ref)
    return found, new


def _print_overview(overview: GoalOverview, user: User) -> None:
    from kithkin import cli

    goal = overview.goal
    state = f"achieved {cli.local(goal.achieved_at, user)}" if goal.achieved_at else "open"
    cli.out.print(f"[bold]{goal.text}[/] (#{goal.pk}) · {state}", highlight=False)
    if goal.pitch:
        cli.out.print(f"  pitch: {goal.pitch}", markup=False)
    cli.out.print(f"  next: {overview.next_step.text}", markup=False)
    for target in overview.organizations:
        cli.out.print(f"  {target.organization.name}: {target.count} known", markup=False)
        for p in target.people:
            cli.out.print(f"    #{p.pk} {p.full_name} ({p.get_closeness_display()})", markup=False)
        if target.more:
            cli.out.print(f"    and {target.more} more")
        for position in target.former:
            cli.out.print(f"    formerly: #{position.person_id} {position.person.full_name}", markup=False)
    if overview.people:
        cli.out.print("  people: " + ", ".join(f"#{p.pk} {p.full_name}" for p in overview.people), markup=False)
    if overview.prospects:
        cli.out.print("  to meet: " + ", ".join(f"#{p.pk} {p.full_name}" for p in overview.prospects), markup=False)
    for t in overview.touches:
        names = ", ".join(part.person.full_name for part in t.participants.all())
        cli.out.print(f"  touch {cli.local(t.happened_at, user)}: {t.get_kind_display()} with {names}", markup=False)
    for e in overview.exchanges:
        verb = "gave" if e.direction == "gave" else "got from"
        cli.out.print(f"  {e.happened_on.isoformat()}: {verb} {e.person.full_name}: {e.what}", markup=False)
    for a in overview.asks:
        cli.out.print(f"  {a.asked_on.isoformat()}: asked {a.person.full_name}: {a.what} ({a.status})", markup=False)


def _print_review(review: WeekReview, streak: int | None) -> None:
    from kithkin import cli

    progress = review.progress
    head = f"Week of {progress.first_day:%a %-d %b} to {progress.last_day:%a %-d %b %Y}"
    cli.out.print(f"[bold]{head}[/]" + (" · all targets met" if progress.is_met else ""), highlight=False)
    for target in progress.targets:
        cli.out.print(f"  {'✓' if target.is_met else '·'} {target.label}")
    if streak is not None:
        cli.out.print(f"  streak: {streak} week{'s' if streak != 1 else ''} in a row")
    d = review.discipline
    if d.due:
        cli.out.print(
            f"  thank-yous: {d.on_time} of {d.due} sent within 24 h ({d.share}%)"
            + (f", {d.late} late" if d.late else "")
            + (f", {d.skipped} skipped" if d.skipped else "")
            + (f", {d.waiting} waiting" if d.waiting else "")
        )
    else:
        cli.out.print("  thank-yous: none fell due")
    cli.out.print(f"  follow-ups done: {review.follow_ups_done}")
    for p in review.new_people:
        cli.out.print(f"  new: {p.full_name}", markup=False)
    for e in review.gives:
        cli.out.print(f"  gave {e.person.full_name}: {e.what}", markup=False)
    for e in [*review.received, *review.introduced_to]:
        cli.out.print(f"  got from {e.person.full_name}: {e.what}", markup=False)
    for a in review.asks:
        cli.out.print(f"  asked {a.person.full_name}: {a.what}", markup=False)
    for i in review.introductions:
        cli.out.print(f"  introduced {i.person_a.full_name} and {i.person_b.full_name}", markup=False)
    if review.introductions_moved:
        cli.out.print(f"  other introduction steps: {review.introductions_moved}")


def register(app: typer.Typer) -> None:
    """Add this app's commands to ``app`` (kithkin/cli.py calls it)."""
    group = typer.Typer(
        no_args_is_help=True,
        help="Career goals ('move into finance', 'a way into Acme'): who you know there, what to do next.",
        rich_markup_mode=None,
    )

    @group.command("add")
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
        from kithkin import cli
        from kithkin.goals.serialize import overview_data
        from kithkin.goals.services import add_goal, goal_overview

        user = cli.owner()
        people, new = _targets(user, target_person or [])
        goal = add_goal(user, text, organizations=target_org or [], people=people, new_prospects=new, pitch=pitch)
        overview = goal_overview(user, goal)
        if as_json:
            cli.emit_json(overview_data(overview, user))
            return
        cli.out.print(f"Added goal #{goal.pk}: {goal.text}", markup=False)
        for name in new:
            cli.out.print(f"  added {name} to the people you want to meet", markup=False)
        cli.out.print(f"  next: {overview.next_step.text}", markup=False)

    @group.command("list")
    def list_goals(
        all_: Annotated[bool, typer.Option("--all", help="Achieved goals too.")] = False,
        as_json: JsonOpt = False,
    ) -> None:
        """Your goals, open ones first, with their targets."""
        from kithkin import cli
        from kithkin.goals.serialize import summary_data
        from kithkin.goals.services import goal_summaries

        user = cli.owner()
        found = goal_summaries(user, include_achieved=all_)
        if as_json:
            cli.emit_json([summary_data(s, user) for s in found])
            return
        if not found:
            cli.out.print("No goals yet. Add one: kithkin goal add 'A way into Acme' --target-org Acme")
        for s in found:
            targets = [o.name for o in s.organizations] + [p.full_name for p in s.people]
            state = "" if s.is_open else " (achieved)"
            about = f" · {', '.join(targets)}" if targets else ""
            known = f" · {s.known} known there" if s.organizations else ""
            cli.out.print(f"#{s.goal.pk}  {s.goal.text}{state}{about}{known}", markup=False)

    @group.command("show")
    def show(goal: GoalArg, as_json: JsonOpt = False) -> None:
        """A goal: who you know at each target organization, recent touches, gives and asks, what to do next."""
        from kithkin import cli
        from kithkin.goals.serialize import overview_data
        from kithkin.goals.services import find_goal, goal_overview

        user = cli.owner()
        overview = goal_overview(user, find_goal(user, goal))
        if as_json:
            cli.emit_json(overview_data(overview, user))
            return
        _print_overview(overview, user)

    @group.command("done")
    def done(goal: GoalArg, as_json: JsonOpt = False) -> None:
        """Mark a goal achieved."""
        from kithkin import cli
        from kithkin.goals.serialize import overview_data
        from kithkin.goals.services import complete_goal, find_goal, goal_overview

        user = cli.owner()
        found = complete_goal(user, find_goal(user, goal))
        if as_json:
            cli.emit_json(overview_data(goal_overview(user, found), user))
            return
        cli.out.print(f"Achieved: {found.text} (#{found.pk}). Well done; thank the people who helped.", markup=False)

    app.add_typer(group, name="goal")

    @app.command()
    def week(
        weeks_ago: Annotated[int, typer.Option("--weeks-ago", min=0, help="An earlier week (1: last week).")] = 0,
        as_json: JsonOpt = False,
    ) -> None:
        """The weekly review: progress on your targets, touches, gives, asks, introductions, thank-yous."""
        from kithkin import cli
        from kithkin.goals.serialize import review_data
        from kithkin.goals.week import routine, week_review

        user = cli.owner()
        review = week_review(user, weeks_ago=weeks_ago)
        found = routine(user) if weeks_ago == 0 else None
        streak = found.streak if found else None
        if as_json:
            cli.emit_json(review_data(review, user, streak))
            return
        _print_review(review, streak)
