"""The weekly routine: week."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.cli.common import JsonOpt, emit_json, out, owner
from kithkin.goals.serialize import review_data
from kithkin.goals.week import WeekReview, routine, week_review

app = typer.Typer()


@app.command()
def week(
    weeks_ago: Annotated[int, typer.Option("--weeks-ago", min=0, help="An earlier week (1: last week).")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """The weekly review: progress on your targets, touches, gives, asks, introductions, thank-yous."""
    user = owner()
    review = week_review(user, weeks_ago=weeks_ago)
    found = routine(user) if weeks_ago == 0 else None
    streak = found.streak if found else None
    if as_json:
        emit_json(review_data(review, user, streak))
        return
    _print_progress(review, streak)
    _print_done(review)


def _print_progress(review: WeekReview, streak: int | None) -> None:
    """The week's targets, the streak, and how many thank-yous went out in time."""
    progress = review.progress
    head = f"Week of {progress.first_day:%a %-d %b} to {progress.last_day:%a %-d %b %Y}"
    out.print(f"[bold]{head}[/]" + (" · all targets met" if progress.is_met else ""), highlight=False)
    for target in progress.targets:
        out.print(f"  {'✓' if target.is_met else '·'} {target.label}")
    if streak is not None:
        out.print(f"  streak: {streak} week{'s' if streak != 1 else ''} in a row")
    d = review.discipline
    if d.due:
        out.print(
            f"  thank-yous: {d.on_time} of {d.due} sent within 24 h ({d.share}%)"
            + (f", {d.late} late" if d.late else "")
            + (f", {d.skipped} skipped" if d.skipped else "")
            + (f", {d.waiting} waiting" if d.waiting else "")
        )
    else:
        out.print("  thank-yous: none fell due")


def _print_done(review: WeekReview) -> None:
    """What the week brought: follow-ups done, new people, gives, help, asks and introductions."""
    out.print(f"  follow-ups done: {review.follow_ups_done}")
    for p in review.new_people:
        out.print(f"  new: {p.full_name}", markup=False)
    for e in review.gives:
        out.print(f"  gave {e.person.full_name}: {e.what}", markup=False)
    for e in [*review.received, *review.introduced_to]:
        out.print(f"  got from {e.person.full_name}: {e.what}", markup=False)
    for a in review.asks:
        out.print(f"  asked {a.person.full_name}: {a.what}", markup=False)
    for i in review.introductions:
        out.print(f"  introduced {i.person_a.full_name} and {i.person_b.full_name}", markup=False)
    if review.introductions_moved:
        out.print(f"  other introduction steps: {review.introductions_moved}")
