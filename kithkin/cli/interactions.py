"""Touches: log."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kithkin.accounts.when import parse_user_when
from kithkin.cli.common import JsonOpt, emit_json, local, out, owner
from kithkin.exchanges.services import follow_ups_after_touch, log_introduced_touch
from kithkin.followups.serialize import logged_touch_data
from kithkin.interactions.services import log_touch
from kithkin.people.services import find_person

app = typer.Typer()


@app.command()
def log(
    kind: Annotated[
        str,
        typer.Argument(
            help="coffee, meal, meeting, call, video, email, message, event, informational_interview, social or other."
        ),
    ],
    person: Annotated[list[str], typer.Argument(help="One or more people: ids, emails or names.")],
    at: Annotated[str, typer.Option("--at", help="When: 2026-03-14 15:00, 'yesterday 3pm', 'last friday'.")] = "now",
    notes: Annotated[str, typer.Option("--notes", help="What you talked about.")] = "",
    advice: Annotated[
        str, typer.Option("--advice", help="Advice you received (you will be reminded to close the loop).")
    ] = "",
    thank: Annotated[
        bool | None,
        typer.Option(
            "--thank/--no-thank",
            help="Ask for (or not) a thank-you; by default coffees, meals, meetings, events and informational interviews do.",
        ),
    ] = None,
    by_them: Annotated[bool, typer.Option("--by-them", help="They reached out, not you.")] = False,
    introduced_by: Annotated[
        str | None,
        typer.Option(
            "--introduced-by",
            help="The person who introduced you to them: they get a thank-you, then hear how it went.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Log a touch: an interaction with one or more people."""
    user = owner()
    participants = [find_person(user, ref) for ref in person]
    happened = parse_user_when(user, at, field="at")
    introducer = find_person(user, introduced_by, "introduced-by") if introduced_by else None
    options: dict[str, Any] = {
        "notes": notes,
        "advice": advice,
        "initiated_by": "them" if by_them else "me",
        "thank": thank,
    }
    if introducer is not None:
        touch = log_introduced_touch(user, introducer, participants, kind, happened, **options)
    else:
        touch = log_touch(user, participants, kind, happened, **options)
    caused = follow_ups_after_touch(user, touch).caused
    if as_json:
        emit_json(logged_touch_data(touch, caused, user))
        return
    out.print(
        f"Logged {touch.get_kind_display()} with {', '.join(p.full_name for p in participants)} on {local(touch.happened_at, user)} (#{touch.pk})"
    )
    for f in caused:
        out.print(f"  follow-up #{f.pk}: {f.reason}, due {local(f.due_at, user)}")
