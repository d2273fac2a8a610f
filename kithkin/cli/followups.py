"""Follow-ups: due, done, skip, snooze, reopen, remind."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from django.contrib.auth.models import User

from kithkin.cli.common import (
    JsonOpt,
    PersonRef,
    emit_json,
    err,
    local,
    out,
    owner,
    print_follow_ups,
    show_person_line,
)
from kithkin.core import clock
from kithkin.followups.models import FollowUp
from kithkin.followups.serialize import follow_up_data
from kithkin.followups.services import (
    add_reminder,
    complete_follow_up,
    describe,
    due_list,
    find_follow_up,
    reminder_time,
    reopen_follow_up,
    skip_follow_up,
    snooze_follow_up,
    snooze_until,
)
from kithkin.network.ranking import rank_check_ins
from kithkin.network.serialize import ranked_due_data
from kithkin.people.services import find_person

app = typer.Typer()

IdArg = Annotated[int, typer.Argument(help="The follow-up's id.")]


# How many follow-ups `kithkin due` prints unless asked for all: a terminal's worth, not thousands.
SHOWN = 20


@app.command()
def due(
    within: Annotated[int, typer.Option("--within", min=0, help="Also what falls due in the next DAYS days.")] = 0,
    top: Annotated[
        int | None, typer.Option("--top", min=0, help="Only the N most worthwhile check-ins (as Today shows them).")
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help=f"Every follow-up due, not only the {SHOWN} most pressing.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Open follow-ups due now (or within DAYS): promises most overdue first, then check-ins most
    worthwhile first; the most pressing few and how many more (--all, --json: every one)."""
    user, now = owner(), clock.now()
    until = now + timedelta(days=within)
    if as_json:
        emit_json(ranked_due_data(user, now, until, top=top))
        return
    shown = None if show_all else SHOWN
    pending = due_list(user, until).exclude(kind=FollowUp.Kind.CHECK_IN).select_related("touch")
    promises = list(pending if shown is None else pending[:shown])
    promise_total = len(promises) if shown is None or len(promises) < shown else pending.count()
    room = top if shown is None else min(shown - len(promises), top if top is not None else shown)
    ranked = rank_check_ins(user, now, limit=room, until=until)
    check_in_total = ranked.total if top is None else min(top, ranked.total)
    rows = [*promises, *(r.follow_up for r in ranked.rows)]
    if rows:
        print_follow_ups(rows, user, why={r.follow_up.pk: r.why for r in ranked.rows})
    else:
        out.print("Nothing due." + ("" if within else " (`kithkin due --within 7` looks ahead.)"))
    more = promise_total + check_in_total - len(rows)
    if more:
        # Piped, the lines stay one per follow-up: what is left out is said on stderr.
        say = out.print if out.is_terminal else err.print
        say(f"… and {more:,} more due: `kithkin due --all` lists every one.", markup=False)


def _show_result(result: FollowUp, user: User, as_json: bool, *, next_check_in: bool, undo: bool = True) -> None:
    """A follow-up just closed, snoozed or reopened, as a whole sentence naming the person and the
    id; after a check-in closes, when the next one falls due."""
    if as_json:
        emit_json(follow_up_data(result, user))
        return
    until = f" until {local(result.snoozed_until, user)}" if result.snoozed_until else ""
    status = "Reopened" if result.status == FollowUp.Status.OPEN else result.get_status_display().capitalize()
    out.print(f"{status}{until}: {describe(result)}")
    if result.kind == FollowUp.Kind.CHECK_IN and next_check_in:
        show_person_line("Next for", result.person, user)
    if undo:
        out.print(f"Undo with `kithkin reopen {result.pk}`.")


@app.command()
def done(id: IdArg, as_json: JsonOpt = False) -> None:
    """Mark a follow-up done."""
    user = owner()
    _show_result(complete_follow_up(user, find_follow_up(user, id)), user, as_json, next_check_in=True)


@app.command()
def skip(id: IdArg, as_json: JsonOpt = False) -> None:
    """Close a follow-up without doing it."""
    user = owner()
    _show_result(skip_follow_up(user, find_follow_up(user, id)), user, as_json, next_check_in=True)


@app.command()
def snooze(
    id: IdArg,
    until: Annotated[
        str, typer.Option("--until", help="When to bring it back: 'tomorrow', 'next monday', 2026-12-01.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Put a follow-up off until later."""
    user = owner()
    found = find_follow_up(user, id)
    result = snooze_follow_up(user, found, snooze_until(user, until))
    _show_result(result, user, as_json, next_check_in=False)


@app.command()
def reopen(id: IdArg, as_json: JsonOpt = False) -> None:
    """Undo a done, skip or snooze: the follow-up is open again, due when it was."""
    user = owner()
    _show_result(reopen_follow_up(user, find_follow_up(user, id)), user, as_json, next_check_in=False, undo=False)


@app.command()
def remind(
    person: PersonRef,
    reason: Annotated[str, typer.Argument(help="What to do, as you would write it.")],
    at: Annotated[str, typer.Option("--at", help="When it is due.")] = "tomorrow",
    as_json: JsonOpt = False,
) -> None:
    """Set a follow-up by hand ("Send Ana the pricing article")."""
    user = owner()
    follow_up = add_reminder(
        user,
        find_person(user, person),
        reason,
        reminder_time(user, at, field="at"),
    )
    if as_json:
        emit_json(follow_up_data(follow_up, user))
    else:
        out.print(f"Reminder #{follow_up.pk}: {follow_up.reason}, due {local(follow_up.due_at, user)}")
