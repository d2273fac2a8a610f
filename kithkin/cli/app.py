"""The `kithkin` Typer app, assembled from a module per domain, and the one place a command runs.

A module added without a name lends its commands to the root (``kithkin add``); a named one is a
group (``kithkin intro propose``). ``kithkin --help`` lists them in the order they are added here.
"""

from __future__ import annotations

from typing import Any

import typer

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.cli import (
    accounts,
    demo,
    events,
    exchanges,
    exports,
    followups,
    goals,
    imports,
    interactions,
    introductions,
    merge,
    milestones,
    people,
    server,
    week,
)
from kithkin.cli.common import acting_for

app = typer.Typer(
    name="kithkin",
    help="Kithkin: a private, local-first relationship manager for professional networking.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
for module in (
    people,
    interactions,
    followups,
    imports,
    merge,
    exports,
    accounts,
    demo,
    server,
    milestones,
    exchanges,
    week,
):
    app.add_typer(module.app)
app.add_typer(introductions.app, name="intro")
app.add_typer(events.app, name="event")
app.add_typer(goals.app, name="goal")


def run(argv: list[str] | None) -> Any:
    """Parse ``argv`` and run the command it names, as the local owner, resolved here once."""
    user = get_or_create_local_owner()
    with acting_for(user):
        return typer.main.get_command(app).main(args=argv, prog_name="kithkin", standalone_mode=False)
