"""What every command module shares: the argument types, the account a command acts for, the
names errors give a refused value, and the output helpers.

Imported only once Django is set up (``main`` does that first), like every command module.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Annotated, Any, NoReturn

import orjson
import typer
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.db import schema_is_current, unknown_migrations
from kithkin.core.errors import BadFile
from kithkin.followups.models import FollowUp
from kithkin.lib.relative import describe_due
from kithkin.people.models import Person

# --- arguments and options ----------------------------------------------------------------------

JsonOpt = Annotated[bool, typer.Option("--json", help="Write only JSON to stdout.")]
# The ledger's and the events' commands name it PERSON in their errors ("Missing argument
# 'PERSON'"); the older commands (edit, show, remind, milestone) say 'person'. Both are kept as
# they were, so that no message changes.
PersonArg = Annotated[str, typer.Argument(metavar="PERSON", help="An id, email or name.")]
PersonRef = Annotated[str, typer.Argument(help="An id, email or name.")]

# Service fields the command line spells otherwise than --<field>: positional arguments (named as
# in the help), and options whose name differs from the service's field. A field written in
# capitals (TEXT, GOAL) or as an option (--kind) is already spelled as the CLI spells it.
ARGUMENT_FIELDS = {
    "name": "NAME",
    "person": "PERSON",
    "id": "ID",
    "kind": "KIND",
    "reason": "REASON",
    "file": "FILE",
    "what": "WHAT",
    "url": "URL",
    "event": "EVENT",
    "a": "A",
    "b": "B",
    "action": "ACTION",
    "text": "TEXT",
    "your_name": "--name",
    "weekly_touch_goal": "--weekly-goal",
    "weekly_new_people_goal": "--weekly-new-people",
    "weekly_gives_goal": "--weekly-gives",
    "intro_ask_a_template": "--ask-a",
    "intro_ask_b_template": "--ask-b",
    "intro_email_template": "--email",
    "draft_thank_you_template": "--thank-you",
    "draft_check_in_template": "--check-in",
    "draft_close_loop_template": "--close-loop",
    "draft_congratulate_template": "--congratulate",
    "draft_report_back_template": "--report-back",
    "draft_rekindle_template": "--rekindle",
}


def label(field: str) -> str:
    """The name a refused value has on the command line: ``your_name`` is ``--name``."""
    if field.isupper():
        return field
    return ARGUMENT_FIELDS.get(field, field if field.startswith("-") else f"--{field.replace('_', '-')}")


# --- the database and the account a command acts for ---------------------------------------------------------------


def apply_pending_migrations() -> None:
    """Bring the database up to date, so any command works on first use; refuse, in one line, a
    database this version cannot bring up to date. A database already up to date is told by two
    queries, without reading the migrations."""
    if schema_is_current(connection):
        return
    executor = MigrationExecutor(connection)
    problem = unknown_migrations(executor.loader.applied_migrations, loader=executor.loader)
    if problem:
        name = connection.settings_dict["NAME"]
        raise BadFile(str(name) if connection.vendor == "sqlite" else f"the database {name}", problem)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


_acting_for: ContextVar[User] = ContextVar("kithkin_cli_owner")


@contextmanager
def acting_for(user: User) -> Iterator[None]:
    """Run the commands inside as ``user`` (``app.start`` resolves the owner once, then enters this)."""
    token = _acting_for.set(user)
    try:
        yield
    finally:
        _acting_for.reset(token)


def owner() -> User:
    """The account this command acts for."""
    return _acting_for.get()


# --- output ---------------------------------------------------------------------------------------

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def reset_consoles() -> None:
    """Look at the standard streams again: a Console settles colours and width when it is made,
    and a command answered by the warm process (warm.py) writes to streams it did not start with."""
    out.__init__(highlight=False, soft_wrap=True)  # type: ignore[misc]
    err.__init__(stderr=True, highlight=False, soft_wrap=True)  # type: ignore[misc]


def emit_json(data: Any) -> None:
    """``data`` as indented JSON (orjson: as the standard library's with indent=2 and
    ensure_ascii=False, but written in C: thousands of rows take milliseconds, not a second)."""
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode() + "\n")


def fail(message: str, status: int) -> NoReturn:
    err.print(f"kithkin: error: {message}", markup=False)
    raise SystemExit(status)


def local(moment: datetime | None, user: User) -> str:
    if moment is None:
        return "never"
    return moment.astimezone(get_profile(user).tz).strftime("%a %d %b %Y %H:%M")


def show_person_line(verb: str, person: Person, user: User) -> None:
    where = f" · {person.title}" if person.title else ""
    where += f" at {person.organization.name}" if person.organization else ""
    out.print(f"{verb} {person.full_name} (#{person.pk}){where}")
    check_in = FollowUp.objects.for_owner(user).pending().filter(person=person, kind=FollowUp.Kind.CHECK_IN).first()
    if check_in:
        out.print(f"  next check-in: {local(check_in.remind_at, user)}")


def follow_up_table(rows: list[Any], user: User) -> Table:
    now = clock.now()
    table = Table(box=None, pad_edge=False)
    for column in ("id", "kind", "due", "", "reason"):
        table.add_column(column, no_wrap=column != "reason")
    for f in rows:
        style = "red" if f.remind_at < now else ""
        table.add_row(
            str(f.pk),
            f.get_kind_display(),
            local(f.remind_at, user),
            f"[{style}]{describe_due(f.remind_at, now)}[/]" if style else describe_due(f.remind_at, now),
            f.reason + (" (snoozed)" if f.status == "snoozed" else ""),
        )
    return table


def print_follow_ups(rows: list[Any], user: User, *, why: dict[int, str] | None = None) -> None:
    """Follow-ups with whom they are for: a table on a terminal (``why`` under what to do); piped,
    one plain line each (id, kind, due, full name, what, tab-separated) that never wraps."""
    why = why or {}
    if not out.is_terminal:
        for f in rows:
            what = f.reason + (" (snoozed)" if f.status == "snoozed" else "")
            line = "\t".join((str(f.pk), f.kind, local(f.remind_at, user), f.person.full_name, what))
            sys.stdout.write(" ".join(line.splitlines()) + "\n")
        return
    now = clock.now()
    table = Table(box=None, pad_edge=False)
    for column in ("id", "kind", "due", "", "person", "what"):
        table.add_column(column, no_wrap=column != "what")
    for f in rows:
        late = describe_due(f.remind_at, now)
        what = escape(f.reason + (" (snoozed)" if f.status == "snoozed" else ""))
        if why.get(f.pk):
            what += f"\n[dim]{escape(why[f.pk])}[/]"
        table.add_row(
            str(f.pk),
            f.get_kind_display(),
            local(f.remind_at, user),
            f"[red]{late}[/]" if f.remind_at < now else late,
            escape(f.person.full_name),
            what,
        )
    out.print(table)
