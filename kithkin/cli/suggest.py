"""`kithkin suggest ...`: introductions worth making across the network, proposing one, or
hiding a pair that is not a good match."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.cli.common import JsonOpt, emit_json, out, owner
from kithkin.introductions.serialize import introduction_data
from kithkin.introductions.services import current_draft, decline_match
from kithkin.network.serialize import suggestion_data
from kithkin.network.suggest import Suggestion, propose_suggestion, suggestions
from kithkin.people.services import find_person

app = typer.Typer(
    help="Introductions worth making: `kithkin suggest` lists pairs where one's need meets the other.",
    rich_markup_mode=None,
)

LimitOpt = Annotated[int, typer.Option("--limit", min=1, help="How many to show, best first.")]
AArg = Annotated[str, typer.Argument(metavar="A", help="One of the two: an id, email or name.")]
BArg = Annotated[str, typer.Argument(metavar="B", help="The other one.")]


@app.callback(invoke_without_command=True)
def suggest(ctx: typer.Context, limit: LimitOpt = 20, as_json: JsonOpt = False) -> None:
    """Pairs where one person's need meets another's offer, interest, role or organization,
    ranked by fit and by your strength with both, each with the reason."""
    if ctx.invoked_subcommand is not None:
        return
    found = suggestions(owner(), limit=limit)
    if as_json:
        emit_json([suggestion_data(s) for s in found])
        return
    if not found:
        out.print("No introductions to suggest: nobody's need meets someone else's offer, role or interests yet.")
        return
    for item in found:
        _print(item)


def _print(item: Suggestion) -> None:
    person, helper = item.person, item.helper
    out.print(
        f"{person.full_name} (#{person.pk}, strength {item.person_strength}) ↔ "
        f"{helper.full_name} (#{helper.pk}, strength {item.helper_strength})",
        markup=False,
    )
    out.print(f"  {item.reason}", markup=False)
    out.print(f"  kithkin suggest propose {person.pk} {helper.pk}  ·  kithkin suggest hide {person.pk} {helper.pk}\n")


@app.command("propose")
def propose_command(a: AArg, b: BArg, as_json: JsonOpt = False) -> None:
    """Propose the suggested introduction (the one who can help is asked first), with the
    drafted first message."""
    user = owner()
    intro = propose_suggestion(user, find_person(user, a, "a"), find_person(user, b, "b"))
    if as_json:
        emit_json(introduction_data(intro, user, full=True))
        return
    out.print(
        f"Proposed: introduction #{intro.pk}: {intro.person_a.full_name} → {intro.person_b.full_name} · "
        f"{intro.get_state_display()}",
        markup=False,
    )
    out.print(f"Why: {intro.why}", markup=False)
    draft = current_draft(user, intro)
    if draft is not None:
        out.print(f"\nThe message to {intro.person_a.short_name}:", markup=False)
        out.print(f"To: {', '.join(draft.to) or '(no address known: add one, or fill it in)'}", markup=False)
        out.print(f"Subject: {draft.subject}\n\n{draft.body}\n", markup=False)
        out.print(f"Next: kithkin intro step {intro.pk} ask-a, once it is sent.", markup=False)


@app.command("hide")
def hide_command(a: AArg, b: BArg) -> None:
    """Not a good match: never suggest these two again."""
    user = owner()
    first, second = find_person(user, a, "a"), find_person(user, b, "b")
    decline_match(user, first, second)
    out.print(f"{first.full_name} and {second.full_name} will not be suggested again.", markup=False)
