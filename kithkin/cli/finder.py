"""`kithkin ask "..."`: the network asked a question in plain words, offline."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.cli.common import JsonOpt, emit_json, out, owner
from kithkin.finder.serialize import answer_data
from kithkin.finder.services import MAX_LIMIT, ask

app = typer.Typer(rich_markup_mode=None)


@app.command("ask")
def ask_command(
    question: Annotated[str, typer.Argument(help='In plain words: "who in Berlin could advise on hiring".')],
    limit: Annotated[int, typer.Option("--limit", min=1, max=MAX_LIMIT, help="How many people to show.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Who in your network matches a question, best first, each with why."""
    answer = ask(owner(), question, limit=limit)
    if as_json:
        emit_json(answer_data(answer))
        return
    out.print("Looking for: " + " · ".join(answer.understood), markup=False)
    if not answer.matches:
        out.print("Nobody in your network matches that yet.", markup=False)
        return
    for match in answer.matches:
        person = match.person
        out.print(f"{person.full_name} (#{person.pk}) · strength {match.strength}", markup=False)
        out.print("  " + " · ".join(match.why), markup=False)
    if answer.found > len(answer.matches):
        out.print(f"({answer.found} matched; --limit shows more)", markup=False)
