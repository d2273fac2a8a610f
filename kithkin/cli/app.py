"""The `kithkin` Typer app, assembled from a module per domain, and the one place a command runs.

A module added without a name lends its commands to the root (``kithkin add``); a named one is a
group (``kithkin intro propose``). ``kithkin --help`` lists them in the order of ``MODULES``.

A command loads only its own module (and through it the part of the domain it uses): ``kithkin
due`` has no need of the file readers, the demo or the introductions. The help, and anything
that is not a known command, gets the whole app.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.cli.common import acting_for, apply_pending_migrations
from kithkin.core.scopes import owner_scope

HELP = "Kithkin: a private, local-first relationship manager for professional networking."

# (module, group name or None, its commands), in the order `kithkin --help` lists them.
# tests/test_app.py checks this table against the modules themselves.
MODULES: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("people", None, ("add", "want", "edit", "people", "show")),
    ("interactions", None, ("log",)),
    ("followups", None, ("due", "done", "skip", "snooze", "reopen", "remind")),
    ("drafts", None, ("draft", "draft-templates")),
    ("imports", None, ("import", "imports", "undo-import")),
    ("mail", "mail", ("mail",)),
    ("merge", None, ("duplicates", "merge")),
    ("exports", None, ("export", "backup", "restore", "feed-url", "ics")),
    ("accounts", None, ("settings",)),
    ("demo", None, ("demo",)),
    ("server", None, ("link", "serve")),
    ("agents", None, ("mcp",)),
    ("milestones", None, ("milestone", "milestones")),
    ("exchanges", None, ("gave", "got", "asked", "asks", "close-ask", "balance", "share", "resources")),
    ("week", None, ("week",)),
    ("finder", None, ("ask",)),
    ("introductions", "intro", ("intro",)),
    ("events", "event", ("event",)),
    ("goals", "goal", ("goal",)),
    ("network", "rekindle", ("rekindle",)),
    ("ties", None, ("path", "knows", "ties", "role")),
    ("suggest", "suggest", ("suggest",)),
    ("insights", None, ("insights",)),
    ("graph", None, ("graph",)),
    ("tokens", "token", ("token",)),
    ("users", "user", ("user",)),
    ("digest", None, ("digest", "worker")),
    ("calendars", "calendar", ("calendar",)),
    ("addressbooks", "addressbook", ("addressbook",)),
)


def start(ctx: typer.Context) -> None:
    """Kithkin: a private, local-first relationship manager for professional networking."""
    # Runs before any command (not for `kithkin --help`): the database is brought up to date, and
    # until the command ends it acts for the local owner, inside that owner's scope.
    apply_pending_migrations()
    user = get_or_create_local_owner()
    ctx.with_resource(acting_for(user))
    ctx.with_resource(owner_scope(user))


def build(command: str | None = None) -> typer.Typer:
    """The app with every module, or only the module that holds ``command``."""
    app = typer.Typer(
        name="kithkin",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    app.callback()(start)
    wanted = [m for m in MODULES if command in m[2]] or MODULES
    for name, group, _commands in wanted:
        module = importlib.import_module(f"kithkin.cli.{name}")
        app.add_typer(module.app, name=group)
    return app


# The whole app as a Click command, made once by the warm process (warm.py) for every command it
# answers; a command on its own builds only its module's.
_whole: Any = None


def make_whole() -> None:
    global _whole
    _whole = typer.main.get_command(build())


def run(argv: list[str] | None) -> Any:
    """Parse ``argv`` (the process's arguments when None) and run the command it names."""
    args = list(sys.argv[1:] if argv is None else argv)
    first = args[0] if args else None
    command = _whole or typer.main.get_command(build(first if first and not first.startswith("-") else None))
    return command.main(args=args, prog_name="kithkin", standalone_mode=False)
