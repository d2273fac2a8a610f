"""`kithkin intro ...`: double opt-in introductions from the command line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kithkin.introductions.drafts import Draft
    from kithkin.introductions.models import Introduction

# The service's field names, as this command's arguments are called.
ARGUMENTS = {"a": "A", "b": "B", "action": "ACTION", "text": "TEXT", "id": "ID"}
TEMPLATE_OPTIONS = {
    "intro_ask_a_template": "--ask-a",
    "intro_ask_b_template": "--ask-b",
    "intro_email_template": "--email",
}

IdArg = Annotated[str, typer.Argument(metavar="ID", help="The introduction's id (4 or #4).")]


@contextmanager
def _named_as_arguments() -> Iterator[None]:
    """Name a refused value the way this command spells it (A, ACTION, --ask-a)."""
    from kithkin import cli
    from kithkin.core.errors import BadInput

    try:
        yield
    except BadInput as exc:
        if exc.field in ARGUMENTS:
            cli.fail(f"{ARGUMENTS[exc.field]}: {exc.message}", 1)
        if exc.field in TEMPLATE_OPTIONS:
            cli.fail(f"{TEMPLATE_OPTIONS[exc.field]}: {exc.message}", 1)
        raise


def _find(user: User, ref: str) -> Introduction:
    from kithkin.core.errors import NotFound
    from kithkin.introductions.services import introductions

    match = re.fullmatch(r"\s*#?(\d+)\s*", ref)
    if match is None:
        raise NotFound("id", f"expected an introduction's id, like 4 or #4, got {ref!r}")
    found = introductions(user).filter(pk=int(match.group(1))).first()
    if found is None:
        raise NotFound("id", f"no introduction has id {match.group(1)}")
    return found


def _title(intro: Introduction) -> str:
    return f"Introduction #{intro.pk}: {intro.person_a.full_name} → {intro.person_b.full_name} · {intro.get_state_display()}"


def _print_next(intro: Introduction) -> None:
    from kithkin import cli
    from kithkin.introductions.services import allowed_actions, next_step

    actions = allowed_actions(intro)
    line = f"Next: {next_step(intro)}"
    if actions:
        line += f" — kithkin intro step {intro.pk} {' | '.join(actions)}"
    cli.out.print(line, markup=False)


def _print_draft(draft: Draft | None, for_whom: str) -> None:
    from kithkin import cli

    if draft is None:
        return
    cli.out.print(f"\n[bold]The message {for_whom}[/] (copy it, or open the link below)")
    cli.out.print(f"To: {', '.join(draft.to) or '(no address known: add one, or fill it in)'}", markup=False)
    if draft.missing:
        cli.out.print(f"No email address for: {', '.join(draft.missing)}", markup=False)
    cli.out.print(f"Subject: {draft.subject}\n\n{draft.body}\n", markup=False)
    cli.out.print(draft.mailto, markup=False)


def _for_whom(intro: Introduction, kind: str) -> str:
    a, b = intro.person_a.short_name, intro.person_b.short_name
    return {"ask_a": f"to {a}", "ask_b": f"to {b}", "introduce": f"introducing {a} and {b}"}[kind]


def register(app: typer.Typer) -> None:
    """Add `kithkin intro` and its commands to ``app`` (kithkin/cli.py calls it)."""
    group = typer.Typer(
        no_args_is_help=True,
        help="Double opt-in introductions: ask A, then B, then introduce them.",
        rich_markup_mode=None,
    )

    @group.command()
    def propose(
        a: Annotated[str, typer.Argument(metavar="A", help="Who is asked first: an id, email or name.")],
        b: Annotated[str, typer.Argument(metavar="B", help="Who is asked once A agrees.")],
        why: Annotated[str, typer.Option("--why", help="Why they should meet; it goes into both messages.")],
        as_json: Annotated[bool, typer.Option("--json", help="Write only JSON to stdout.")] = False,
    ) -> None:
        """Propose introducing A to B, and draft the message asking A."""
        from kithkin import cli
        from kithkin.introductions.serialize import introduction_data
        from kithkin.introductions.services import current_draft, propose_introduction
        from kithkin.people.services import find_person

        user = cli.owner()
        with _named_as_arguments():
            intro = propose_introduction(user, find_person(user, a, "a"), find_person(user, b, "b"), why)
        if as_json:
            cli.emit_json(introduction_data(intro, user, full=True))
            return
        cli.out.print(f"Proposed: {_title(intro)}", markup=False)
        _print_next(intro)
        _print_draft(current_draft(user, intro), _for_whom(intro, "ask_a"))

    @group.command("list")
    def list_command(
        state: Annotated[
            str | None,
            typer.Option("--state", help="open, closed, or one state: proposed, asked_a, a_agreed, introduced..."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Write only JSON to stdout.")] = False,
    ) -> None:
        """Your introductions, most recently moved first."""
        from rich.table import Table

        from kithkin import cli
        from kithkin.introductions.serialize import introduction_data
        from kithkin.introductions.services import introductions, next_step, parse_state

        user = cli.owner()
        rows = introductions(user)
        if state is not None:
            rows = rows.filter(state__in=parse_state(state))
        found = list(rows)
        if as_json:
            cli.emit_json([introduction_data(intro, user) for intro in found])
            return
        if not found:
            cli.out.print(
                "No introductions." + ("" if state else ' Propose one: kithkin intro propose A B --why "..."')
            )
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
                cli.local(intro.updated_at, user),
                next_step(intro),
            )
        cli.out.print(table)

    @group.command()
    def step(
        id: IdArg,
        action: Annotated[
            str,
            typer.Argument(
                metavar="ACTION", help="ask-a, a-yes, a-no, ask-b, b-yes, b-no, introduce, outcome or drop."
            ),
        ],
        text: Annotated[
            str,
            typer.Argument(metavar="[TEXT]", help="For outcome: how it went. For a-no, b-no, drop: why (optional)."),
        ] = "",
        as_json: Annotated[bool, typer.Option("--json", help="Write only JSON to stdout.")] = False,
    ) -> None:
        """Take the next step of an introduction; prints the message to send and the follow-up set."""
        from kithkin import cli
        from kithkin.followups.serialize import follow_up_data
        from kithkin.introductions.serialize import introduction_data
        from kithkin.introductions.services import DRAFT_FOR, current_draft, step_introduction

        user = cli.owner()
        with _named_as_arguments():
            done = step_introduction(user, _find(user, id), action, text=text)
        intro = done.introduction
        if as_json:
            data = introduction_data(intro, user, full=True)
            data["follow_ups_created"] = [follow_up_data(f, user) for f in done.follow_ups]
            data["follow_ups_closed"] = done.closed
            data["gives_recorded"] = [{"id": e.pk, "person": e.person_id, "what": e.what} for e in done.gives]
            cli.emit_json(data)
            return
        cli.out.print(_title(intro), markup=False)
        if intro.outcome and intro.state != "introduced":
            cli.out.print(f"Outcome: {intro.outcome}", markup=False)
        for f in done.follow_ups:
            cli.out.print(f"Follow-up #{f.pk}: {f.reason}, due {cli.local(f.due_at, user)}", markup=False)
        if done.closed:
            cli.out.print(f"Closed {done.closed} follow-up{'s' if done.closed != 1 else ''} it no longer needs.")
        for give in done.gives:
            cli.out.print(f"Recorded a give to {give.person.full_name}: {give.what}", markup=False)
        _print_next(intro)
        kind = DRAFT_FOR.get(intro.state)
        if kind:
            _print_draft(current_draft(user, intro), _for_whom(intro, kind))

    @group.command()
    def show(
        id: IdArg,
        as_json: Annotated[bool, typer.Option("--json", help="Write only JSON to stdout.")] = False,
    ) -> None:
        """An introduction: where it is, its steps with dates, what comes next and the message for it."""
        from kithkin import cli
        from kithkin.introductions.serialize import introduction_data
        from kithkin.introductions.services import DRAFT_FOR, current_draft, history, open_follow_ups

        user = cli.owner()
        with _named_as_arguments():
            intro = _find(user, id)
        if as_json:
            cli.emit_json(introduction_data(intro, user, full=True))
            return
        cli.out.print(_title(intro), markup=False)
        cli.out.print(f"Why: {intro.why}", markup=False)
        if intro.outcome:
            cli.out.print(f"Outcome: {intro.outcome}", markup=False)
        cli.out.print("\n[bold]Steps[/]")
        for line in history(intro):
            cli.out.print(f"  {cli.local(line.at, user)}  {line.what}", markup=False)
        follow_ups = open_follow_ups(user, intro)
        if follow_ups:
            cli.out.print("\n[bold]Open follow-ups[/]")
            cli.out.print(cli.follow_up_table(follow_ups, user))
        cli.out.print()
        _print_next(intro)
        kind = DRAFT_FOR.get(intro.state)
        if kind:
            _print_draft(current_draft(user, intro), _for_whom(intro, kind))

    @group.command()
    def templates(
        ask_a: Annotated[
            str | None, typer.Option("--ask-a", help="Your wording of the message asking A ('' for Kithkin's).")
        ] = None,
        ask_b: Annotated[str | None, typer.Option("--ask-b", help="Your wording of the message asking B.")] = None,
        email: Annotated[str | None, typer.Option("--email", help="Your wording of the introduction email.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Write only JSON to stdout.")] = False,
    ) -> None:
        """Show (or change) the wording of the three messages and the placeholders they can use."""
        from kithkin import cli
        from kithkin.introductions import drafts
        from kithkin.introductions.services import set_intro_templates

        user = cli.owner()
        with _named_as_arguments():
            profile = set_intro_templates(user, ask_a=ask_a, ask_b=ask_b, introduce=email)
        current = {
            kind: getattr(profile, drafts.PROFILE_FIELDS[kind]) or drafts.DEFAULTS[kind] for kind in drafts.KINDS
        }
        if as_json:
            cli.emit_json(
                {
                    "templates": {
                        kind: {"text": text, "is_default": not getattr(profile, drafts.PROFILE_FIELDS[kind])}
                        for kind, text in current.items()
                    },
                    "placeholders": drafts.PLACEHOLDERS,
                }
            )
            return
        names = {drafts.Kind.ASK_A: "Asking A (--ask-a)", drafts.Kind.ASK_B: "Asking B (--ask-b)"}
        for kind, text in current.items():
            title = names.get(kind, "The introduction email (--email)")
            own = "yours" if getattr(profile, drafts.PROFILE_FIELDS[kind]) else "Kithkin's wording"
            cli.out.print(f"[bold]{title}[/], {own}:")
            cli.out.print(text + "\n", markup=False)
        cli.out.print("[bold]Placeholders[/]")
        for name, meaning in drafts.PLACEHOLDERS.items():
            cli.out.print(f"  {{{name}}}  {meaning}", markup=False)

    app.add_typer(group, name="intro")
