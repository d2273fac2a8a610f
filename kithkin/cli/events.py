"""`kithkin event ...`: plan an event, record whom you met there, review it afterwards."""

from __future__ import annotations

from datetime import tzinfo
from typing import Annotated

import typer
from django.contrib.auth.models import User
from rich.table import Table

from kithkin.accounts.services import get_profile
from kithkin.accounts.when import parse_user_when
from kithkin.cli.common import JsonOpt, PersonArg, emit_json, local, out, owner
from kithkin.core import clock
from kithkin.events.models import Event
from kithkin.events.serialize import events_data, help_data, met_result_data, met_thank_yous, planned_data, review_data
from kithkin.events.services import (
    DEFAULT_START,
    EventPlan,
    Figures,
    Review,
    add_event,
    delete_event,
    event_figures,
    event_review,
    find_event,
    is_past,
    met,
    past_events,
    record_event_help,
    resolve_people,
    review_event,
    upcoming_events,
)
from kithkin.people.services import find_person

app = typer.Typer(
    no_args_is_help=True,
    help="Networking events: a plan before, the people you met there, a review after.",
    rich_markup_mode=None,
)

EventArg = Annotated[str, typer.Argument(metavar="EVENT", help="The event: its id or name.")]
WhatArg = Annotated[str, typer.Argument(metavar="WHAT", help="What it was.")]
KindOpt = Annotated[
    str, typer.Option("--kind", help="intro, referral, advice, resource, favor, recommendation, time or other.")
]
THANK_WORDS = {
    "in_time": "thanked within 24 h",
    "late": "thanked, after 24 h",
    "open": "thank-you to do",
    "skipped": "thank-you skipped",
    "none": "no thank-you asked (history)",
}


def _figures_line(f: Figures) -> str:
    parts = [f"met {f.met}" + (f" ({f.new_people} new)" if f.new_people else "")]
    if f.thank_yous:
        parts.append(f"thanked within 24 h: {f.thanked_in_time} of {f.thank_yous}")
    parts.append(f"gave {f.gave} · got {f.got} · asked {f.asks}")
    if f.hoped:
        parts.append(f"hoped-for met: {f.hoped_met} of {f.hoped}")
    return " · ".join(parts)


def _worth(event: Event) -> str:
    return {True: "worth going again", False: "not worth going again", None: ""}[event.is_worth_again]


def _print_plan(event: Event, hopes: list[tuple[str, bool]], user: User) -> None:
    where = f" at {event.where}" if event.where else ""
    out.print(f"[bold]{event.name}[/] (#{event.pk}) · {local(event.starts_at, user)}{where}")
    if event.circle:
        out.print(f"  circle of new people: {event.get_circle_display()}")
    if event.goal:
        out.print(f"  goal: {event.goal}")
    if event.pitch:
        out.print(f"  pitch: {event.pitch}")
    if event.starters:
        out.print("  conversation starters:")
        for starter in event.starters:
            out.print(f"    - {starter}")
    if hopes:
        out.print("  hope to meet: " + ", ".join(name + (" (met)" if is_met else "") for name, is_met in hopes))


def _print_review(review: Review, user: User) -> None:
    out.print(f"\n[bold]Review[/]: {_figures_line(review.figures)}")
    for m in review.met:
        due = ""
        if m.status == "open" and m.thank_you is not None:
            due = f", due {local(m.thank_you.remind_at, user)} (follow-up #{m.thank_you.pk})"
        new = " (new)" if m.met.is_new_person else ""
        out.print(f"  {m.person.full_name} (#{m.person.pk}){new}: {THANK_WORDS[m.status]}{due}")
    for e in review.exchanges:
        out.print(f"  {e.direction} {e.person.full_name}: {e.what} ({e.get_kind_display()})")
    for a in review.asks:
        out.print(f"  asked {a.person.full_name}: {a.what} ({a.get_status_display()})")
    event = review.event
    if event.verdict or event.is_worth_again is not None:
        out.print("Verdict: " + " — ".join(x for x in (_worth(event), event.verdict) if x))
    else:
        out.print(f"No verdict yet: kithkin event review {event.pk} --verdict TEXT --worth/--not-worth")


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The event's name.")],
    on: Annotated[
        str, typer.Option("--on", help="When it starts: 'friday 6:30pm', 2026-12-03 18:30 (a day alone: 18:00).")
    ],
    where: Annotated[str, typer.Option("--where", help="Where it is.")] = "",
    goal: Annotated[str, typer.Option("--goal", help="What you want from it.")] = "",
    pitch: Annotated[str, typer.Option("--pitch", help="Your one-line pitch.")] = "",
    starter: Annotated[list[str] | None, typer.Option("--starter", help="A conversation starter (repeatable).")] = None,
    hope_to_meet: Annotated[
        list[str] | None,
        typer.Option(
            "--hope-to-meet",
            help="Someone you hope to meet there (repeatable): an id, email or name; a new name is added to the people you want to meet.",
        ),
    ] = None,
    circle: Annotated[
        str | None,
        typer.Option("--circle", help="The circle of the people new to you met there: community, colleague..."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Plan an event: what you want from it, your pitch, conversation starters, whom to meet."""
    user = owner()
    plan = EventPlan(
        name=name,
        starts_at=parse_user_when(user, on, field="on", prefer="future", default_time=DEFAULT_START),
        where=where,
        goal=goal,
        pitch=pitch,
        starters=starter or [],
        circle=circle or "",
        hope_to_meet=resolve_people(user, hope_to_meet or [], "hope-to-meet"),
    )
    planned = add_event(user, plan)
    event, added = planned.event, planned.added
    if as_json:
        emit_json(planned_data(planned, user))
        return
    out.print(f"Planned {event.name} (#{event.pk}) for {local(event.starts_at, user)}")
    for person in added:
        out.print(f"  added {person.full_name} (#{person.pk}) to the people you want to meet")
    if is_past(event, event.created_at):
        out.print(f"  It has started: record whom you met with `kithkin event met {event.pk} PERSON...`")


@app.command("met")
def met_command(
    event: EventArg,
    person: Annotated[
        list[str], typer.Argument(help="People you met: ids, emails or names; a name new to you adds them.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Record whom you met at an event: each gets a thank-you due 24 hours after it."""
    user = owner()
    found = find_event(user, event)
    result = met(user, found, resolve_people(user, person))
    if as_json:
        emit_json(met_result_data(result, user))
        return
    thanks = met_thank_yous(user, result)
    added = {p.pk for p in result.added}
    if result.met:
        names = ", ".join(p.full_name + (" (new)" if p.pk in added else "") for p in result.met)
        out.print(f"Met at {found.name} ({local(found.starts_at, user)}): {names}")
    if result.added:
        out.print(f"  added {len(result.added)} new {'person' if len(result.added) == 1 else 'people'} to your network")
    if result.already:
        out.print("  already recorded as met there: " + ", ".join(p.full_name for p in result.already))
    if result.is_history and result.met:
        out.print("  The event was more than 7 days ago: logged as history, no thank-yous asked for.")
    for f in thanks:
        out.print(f"  follow-up #{f.pk}: {f.reason}, due {local(f.due_at, user)}")


@app.command("list")
def list_command(
    past: Annotated[
        bool | None,
        typer.Option("--past/--upcoming", help="Only past events (with their figures), or only upcoming ones."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Upcoming events with their plans, then past ones with what each gave you."""
    user, now = owner(), clock.now()
    tz = get_profile(user).tz
    upcoming = [] if past is True else list(upcoming_events(user, now).prefetch_related("hopes__person"))
    done = [] if past is False else list(past_events(user, now).prefetch_related("hopes__person"))
    if as_json:
        emit_json(events_data(user, upcoming, done))
        return
    figures = event_figures(user, done)
    if not upcoming and not done:
        out.print("No events yet. Plan one: kithkin event add NAME --on WHEN --goal TEXT")
        return
    if upcoming:
        out.print(_upcoming_table(upcoming, user))
    if done:
        out.print(_past_table(done, figures, tz))


def _upcoming_table(upcoming: list[Event], user: User) -> Table:
    table = Table(title="Upcoming", title_justify="left", box=None, pad_edge=False)
    for column in ("id", "when", "event", "where", "hope to meet"):
        table.add_column(column, no_wrap=column in {"id", "when"}, min_width=12 if column == "event" else None)
    for e in upcoming:
        hopes = ", ".join(h.person.full_name for h in e.hopes.all())
        table.add_row(str(e.pk), local(e.starts_at, user), e.name, e.where, hopes)
    return table


def _past_table(done: list[Event], figures: dict[int, Figures], tz: tzinfo) -> Table:
    """Past events side by side: whom you met there, the thank-yous, gives, asks and your verdict."""
    table = Table(title="Past", title_justify="left", box=None, pad_edge=False)
    for column in ("id", "day", "event", "met", "new", "thanked ≤24 h", "gave", "got", "asked", "worth it"):
        table.add_column(column, no_wrap=column != "event", min_width=12 if column == "event" else None)
    for e in done:
        f = figures[e.pk]
        worth = {True: "yes", False: "no", None: ""}[e.is_worth_again]
        thanked = f"{f.thanked_in_time}/{f.thank_yous}" if f.thank_yous else "-"
        table.add_row(
            str(e.pk),
            f"{e.starts_at.astimezone(tz):%a %d %b %Y}",
            e.name,
            str(f.met),
            str(f.new_people),
            thanked,
            str(f.gave),
            str(f.got),
            str(f.asks),
            worth,
        )
    return table


@app.command("show")
def show(event: EventArg, as_json: JsonOpt = False) -> None:
    """An event's plan, and after it the review: people met, thank-yous, gives, asks, verdict."""
    user = owner()
    found = find_event(user, event)
    review = event_review(user, found)
    past = is_past(found, clock.now())
    if as_json:
        emit_json(review_data(review, user, is_past=past))
        return
    _print_plan(found, [(h.person.full_name, h.is_met) for h in review.hopes], user)
    if past:
        _print_review(review, user)
    else:
        out.print("  (not yet: afterwards, `kithkin event met` records whom you met)")


@app.command("review")
def review_command(
    event: EventArg,
    verdict: Annotated[str, typer.Option("--verdict", help="How it went, in a sentence or two.")] = "",
    worth: Annotated[bool | None, typer.Option("--worth/--not-worth", help="Worth going again, or not.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write your verdict on an event: how it went, and whether it is worth going again."""
    user = owner()
    found = review_event(user, find_event(user, event), verdict, worth)
    if as_json:
        emit_json(review_data(event_review(user, found), user, is_past=found.starts_at <= clock.now()))
        return
    out.print(f"Reviewed {found.name}: " + " — ".join(x for x in (_worth(found), found.verdict) if x))


def _record_help(direction: str, event: str, person: str, what: str, kind: str, as_json: bool) -> None:
    """`event gave`, `event got` and `event asked`: help that came from an event, in the ledger."""
    user = owner()
    found = find_event(user, event)
    row = record_event_help(user, found, find_person(user, person), direction, what, kind=kind)
    if as_json:
        emit_json(help_data(row, direction, found))
        return
    verb = {"gave": "Gave", "got": "Got from", "asked": "Asked"}[direction]
    out.print(f"{verb} {row.person.full_name}: {row.what} (#{row.pk}, from {found.name})")


@app.command("gave")
def gave(event: EventArg, person: PersonArg, what: WhatArg, kind: KindOpt = "other", as_json: JsonOpt = False) -> None:
    """Record something you gave someone, that came from an event (in the ledger)."""
    _record_help("gave", event, person, what, kind, as_json)


@app.command("got")
def got(event: EventArg, person: PersonArg, what: WhatArg, kind: KindOpt = "other", as_json: JsonOpt = False) -> None:
    """Record help you got from someone, that came from an event (a thank-you falls due)."""
    _record_help("got", event, person, what, kind, as_json)


@app.command("asked")
def asked(event: EventArg, person: PersonArg, what: WhatArg, kind: KindOpt = "other", as_json: JsonOpt = False) -> None:
    """Record something you asked someone for, that came from an event."""
    _record_help("asked", event, person, what, kind, as_json)


@app.command("delete")
def delete(event: EventArg) -> None:
    """Forget an event (the touches with the people you met there stay)."""
    user = owner()
    found = find_event(user, event)
    delete_event(user, found)
    out.print(f"Deleted {found.name} (#{found.pk})")
