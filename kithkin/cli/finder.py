"""`kithkin ask "..."`: the network asked a question in plain words, offline."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.cli.common import JsonOpt, emit_json, out, owner
from kithkin.core.errors import BadInput
from kithkin.finder import semantic
from kithkin.finder.serialize import answer_data
from kithkin.finder.services import EXAMPLE, MAX_LIMIT, ask

app = typer.Typer(rich_markup_mode=None)


@app.command("ask")
def ask_command(
    question: Annotated[
        str | None, typer.Argument(help='In plain words: "who in Berlin could advise on hiring".')
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=MAX_LIMIT, help="How many people to show.")] = 10,
    prepare: Annotated[
        bool,
        typer.Option(
            "--prepare",
            help="With the semantic extra: read everyone's record for matching by meaning now, "
            "rather than a few thousand people per question.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Who in your network matches a question, best first, each with why."""
    if prepare:
        done = semantic.prepare(owner())
        out.print(f"Matching by meaning has read {done:,} more people; everyone is ready.", markup=False)
        if question is None:
            return
    if question is None:
        raise BadInput("question", EXAMPLE)
    answer = ask(owner(), question, limit=limit)
    if as_json:
        emit_json(answer_data(answer))
        return
    understood = [*answer.understood, *(["close in meaning"] if answer.by_meaning else [])]
    out.print("Looking for: " + " · ".join(understood), markup=False)
    if not answer.matches:
        out.print("Nobody in your network matches that yet.", markup=False)
        return
    for match in answer.matches:
        person = match.person
        out.print(f"{person.full_name} (#{person.pk}) · strength {match.strength}", markup=False)
        out.print("  " + " · ".join(match.why), markup=False)
    if answer.found > len(answer.matches):
        out.print(f"({answer.found} matched; --limit shows more)", markup=False)
    if answer.note:
        out.print(answer.note, markup=False)
