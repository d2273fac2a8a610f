"""`kithkin rekindle ...`: the quiet ties worth reviving, each with an opener, and what you do
about them (reached out, snooze, let go)."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.accounts.when import parse_user_when
from kithkin.cli.common import JsonOpt, PersonArg, emit_json, local, out, owner
from kithkin.network.rekindle import (
    Candidate,
    how_long,
    keep_in_mind,
    let_go,
    reached_out,
    rekindle_list,
    snooze_rekindle,
)
from kithkin.network.serialize import candidate_data
from kithkin.people.services import find_person

app = typer.Typer(
    help="Quiet ties worth reviving, each with a drafted opener: `kithkin rekindle` lists them.",
    rich_markup_mode=None,
)

LimitOpt = Annotated[int, typer.Option("--limit", min=1, help="How many to show, best first.")]


@app.callback(invoke_without_command=True)
def rekindle(ctx: typer.Context, limit: LimitOpt = 20, as_json: JsonOpt = False) -> None:
    """Dormant and at-risk ties worth reviving, ranked, each with an opener to send."""
    if ctx.invoked_subcommand is not None:
        return
    found = rekindle_list(owner(), limit=limit)
    if as_json:
        emit_json([candidate_data(c) for c in found])
        return
    if not found:
        out.print("No quiet ties to revive: everyone who matters has heard from you lately.")
        return
    for candidate in found:
        _print(candidate)


def _print(candidate: Candidate) -> None:
    person, found = candidate.person, candidate.assessment
    quiet = how_long(found.silence_days)
    since = "never in touch" if found.silence_days is None else f"quiet for {quiet}"
    out.print(
        f"{person.full_name} (#{person.pk}) · {found.status_words} · strength {found.strength} · {since}", markup=False
    )
    if candidate.reasons:
        out.print("  why: " + "; ".join(candidate.reasons), markup=False)
    out.print(f"  {candidate.suggestion_words}:", markup=False)
    for line in candidate.opener.splitlines():
        out.print(f"    {line}".rstrip(), markup=False)
    out.print("")


@app.command("reached-out")
def reached_out_command(
    person: PersonArg,
    kind: Annotated[str, typer.Option("--kind", help="message, email, call, coffee, meal...")] = "message",
) -> None:
    """Log that you reached out (a touch you started, now): they leave the list."""
    user = owner()
    who = find_person(user, person)
    reached_out(user, who, kind=kind)
    out.print(f"Logged a {kind} to {who.full_name} (#{who.pk}).", markup=False)


@app.command("snooze")
def snooze_command(
    person: PersonArg,
    until: Annotated[
        str | None, typer.Option("--until", help="When they may come back (default: in a quarter).")
    ] = None,
) -> None:
    """Not now: keep them off the list for a quarter, or until --until."""
    user = owner()
    who = find_person(user, person)
    when = parse_user_when(user, until, field="until", prefer="future") if until else None
    choice = snooze_rekindle(user, who, until=when)
    out.print(f"{who.full_name} is off Rekindle until {local(choice.snoozed_until, user)}.", markup=False)


@app.command("let-go")
def let_go_command(person: PersonArg) -> None:
    """Let this tie go: they no longer appear (`kithkin rekindle keep PERSON` undoes it)."""
    user = owner()
    who = find_person(user, person)
    let_go(user, who)
    out.print(f"Let {who.full_name} go: they will not appear on Rekindle.", markup=False)


@app.command("keep")
def keep_command(person: PersonArg) -> None:
    """Undo a let-go (or a snooze): they may appear on Rekindle again."""
    user = owner()
    who = find_person(user, person)
    keep_in_mind(user, who)
    out.print(f"{who.full_name} may appear on Rekindle again.", markup=False)
