"""A network to try Kithkin with: demo."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.cli.common import JsonOpt, emit_json, err, out, owner
from kithkin.demo import build_demo_network

app = typer.Typer()


@app.command()
def demo(
    people: Annotated[int, typer.Option("--people", min=1, max=100_000, help="How many people.")] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same network.")] = 1,
    force: Annotated[bool, typer.Option("--force", help="Add the demo even if you already have people.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Load a realistic synthetic network to try Kithkin (or to benchmark it)."""
    summary = build_demo_network(owner(), people=people, seed=seed, force=force, progress=None if as_json else err)
    if as_json:
        emit_json(summary)
    else:
        out.print(
            f"Demo network: {summary['people']} people, {summary['organizations']} organizations, {summary['touches']} touches, {summary['due_now']} follow-ups due now."
        )
