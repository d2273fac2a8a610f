"""`kithkin intro ...`: double opt-in introductions from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from django.contrib.auth.models import User
from rich.table import Table

from kithkin.cli.common import JsonOpt, emit_json, follow_up_table, local, out, owner
from kithkin.introductions import drafts
from kithkin.introductions.drafts import Draft
from kithkin.introductions.models import Introduction
from kithkin.introductions.serialize import introduction_data, step_data, templates_data
from kithkin.introductions.services import (
    DRAFT_FOR,
    Step,
    allowed_actions,
    current_draft,
    find_introduction,
    history,
    introductions,
    next_step,
    open_follow_ups,
    parse_state,
    propose_introduction,
    set_intro_templates,
    step_introduction,
)
from kithkin.people.services import find_person

app = typer.Typer(
    no_args_is_help=True,
    help="Double opt-in introductions: ask A, then B, then introduce them.",
    rich_markup_mode=None,
)

IdArg = Annotated[str, typer.Argument(metavar="ID", help="The introduction's id (4 or #4).")]


def _title(intro: Introduction) -> str:
    return f"Introduction #{intro.pk}: {intro.person_a.full_name} → {intro.person_b.full_name} · {intro.get_state_display()}"


def _print_next(intro: Introduction) -> None:
    actions = allowed_actions(intro)
    line = f"Next: {next_step(intro)}"
    if actions:
        line += f" — kithkin intro step {intro.pk} {' | '.join(actions)}"
    out.print(line, markup=False)


def _print_draft(draft: Draft | None, for_whom: str) -> None:
    if draft is None:
        return
    out.print(f"\n[bold]The message {for_whom}[/] (copy it, or open the link below)")
    out.print(f"To: {', '.join(draft.to) or '(no address known: add one, or fill it in)'}", markup=False)
    if draft.missing:
        out.print(f"No email address for: {', '.join(draft.missing)}", markup=False)
    out.print(f"Subject: {draft.subject}\n\n{draft.body}\n", markup=False)
    out.print(draft.mailto, markup=False)


def _print_next_and_draft(user: User, intro: Introduction) -> None:
    """What comes next, and the message to send for it (if the state has one)."""
    _print_next(intro)
    kind = DRAFT_FOR.get(intro.state)
    if kind:
        _print_draft(current_draft(user, intro), _for_whom(intro, kind))


def _for_whom(intro: Introduction, kind: str) -> str:
    a, b = intro.person_a.short_name, intro.person_b.short_name
    return {"ask_a": f"to {a}", "ask_b": f"to {b}", "introduce": f"introducing {a} and {b}"}[kind]


@app.command()
def propose(
    a: Annotated[str, typer.Argument(metavar="A", help="Who is asked first: an id, email or name.")],
    b: Annotated[str, typer.Argument(metavar="B", help="Who is asked once A agrees.")],
    why: Annotated[str, typer.Option("--why", help="Why they should meet; it goes into both messages.")],
    as_json: JsonOpt = False,
) -> None:
    """Propose introducing A to B, and draft the message asking A."""
    user = owner()
    intro = propose_introduction(user, find_person(user, a, "a"), find_person(user, b, "b"), why)
    if as_json:
        emit_json(introduction_data(intro, user, full=True))
        return
    out.print(f"Proposed: {_title(intro)}", markup=False)
    _print_next(intro)
    _print_draft(current_draft(user, intro), _for_whom(intro, "ask_a"))


@app.command("list")
def list_command(
    state: Annotated[
        str | None,
        typer.Option("--state", help="open, closed, or one state: proposed, asked_a, a_agreed, introduced..."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Your introductions, most recently moved first."""
    user = owner()
    rows = introductions(user)
    if state is not None:
        rows = rows.filter(state__in=parse_state(state))
    found = list(rows)
    if as_json:
        emit_json([introduction_data(intro, user) for intro in found])
        return
    if not found:
        out.print("No introductions." + ("" if state else ' Propose one: kithkin intro propose A B --why "..."'))
        return
    table = Table(box=None, pad_edge=False)
    for column in ("id", "state", "A", "B", "moved", "next"):
        table.add_column(column, no_wrap=column != "next")
    for intro in found:
        table.add_row(
            str(intro.pk),
            intro.get_state_display(),
            intro.person_a.full_name,
            intro.person_b.full_name,
            local(intro.updated_at, user),
            next_step(intro),
        )
    out.print(table)


@app.command()
def step(
    id: IdArg,
    action: Annotated[
        str,
        typer.Argument(metavar="ACTION", help="ask-a, a-yes, a-no, ask-b, b-yes, b-no, introduce, outcome or drop."),
    ],
    text: Annotated[
        str,
        typer.Argument(metavar="[TEXT]", help="For outcome: how it went. For a-no, b-no, drop: why (optional)."),
    ] = "",
    as_json: JsonOpt = False,
) -> None:
    """Take the next step of an introduction; prints the message to send and the follow-up set."""
    user = owner()
    done = step_introduction(user, find_introduction(user, id), action, text=text)
    intro = done.introduction
    if as_json:
        emit_json(step_data(done, user))
        return
    _print_step(done, user)
    _print_next_and_draft(user, intro)


def _print_step(done: Step, user: User) -> None:
    """What a step did: the state, the follow-ups it set and closed, the gives it recorded."""
    intro = done.introduction
    out.print(_title(intro), markup=False)
    if intro.outcome and intro.state != "introduced":
        out.print(f"Outcome: {intro.outcome}", markup=False)
    for f in done.follow_ups:
        out.print(f"Follow-up #{f.pk}: {f.reason}, due {local(f.due_at, user)}", markup=False)
    if done.closed:
        out.print(f"Closed {done.closed} follow-up{'s' if done.closed != 1 else ''} it no longer needs.")
    for give in done.gives:
        out.print(f"Recorded a give to {give.person.full_name}: {give.what}", markup=False)


@app.command()
def show(id: IdArg, as_json: JsonOpt = False) -> None:
    """An introduction: where it is, its steps with dates, what comes next and the message for it."""
    user = owner()
    intro = find_introduction(user, id)
    if as_json:
        emit_json(introduction_data(intro, user, full=True))
        return
    out.print(_title(intro), markup=False)
    out.print(f"Why: {intro.why}", markup=False)
    if intro.outcome:
        out.print(f"Outcome: {intro.outcome}", markup=False)
    out.print("\n[bold]Steps[/]")
    for line in history(intro):
        out.print(f"  {local(line.at, user)}  {line.what}", markup=False)
    follow_ups = open_follow_ups(user, intro)
    if follow_ups:
        out.print("\n[bold]Open follow-ups[/]")
        out.print(follow_up_table(follow_ups, user))
    out.print()
    _print_next_and_draft(user, intro)


@app.command()
def templates(
    ask_a: Annotated[
        str | None, typer.Option("--ask-a", help="Your wording of the message asking A ('' for Kithkin's).")
    ] = None,
    ask_b: Annotated[str | None, typer.Option("--ask-b", help="Your wording of the message asking B.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Your wording of the introduction email.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show (or change) the wording of the three messages and the placeholders they can use."""
    user = owner()
    profile = set_intro_templates(user, ask_a=ask_a, ask_b=ask_b, introduce=email)
    if as_json:
        emit_json(templates_data(profile))
        return
    current = {kind: getattr(profile, drafts.PROFILE_FIELDS[kind]) or drafts.DEFAULTS[kind] for kind in drafts.KINDS}
    names = {drafts.Kind.ASK_A: "Asking A (--ask-a)", drafts.Kind.ASK_B: "Asking B (--ask-b)"}
    for kind, text in current.items():
        title = names.get(kind, "The introduction email (--email)")
        own = "yours" if getattr(profile, drafts.PROFILE_FIELDS[kind]) else "Kithkin's wording"
        out.print(f"[bold]{title}[/], {own}:")
        out.print(text + "\n", markup=False)
    out.print("[bold]Placeholders[/]")
    for name, meaning in drafts.PLACEHOLDERS.items():
        out.print(f"  {{{name}}}  {meaning}", markup=False)
