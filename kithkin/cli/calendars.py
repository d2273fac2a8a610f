"""Calendars that log meetings by themselves: calendar add, list, sync, remove."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kithkin.capture.calendars import (
    KINDS,
    add_caldav_account,
    add_calendar_url,
    describe,
    list_calendars,
    source_data,
)
from kithkin.capture.services import Synced, remove_source, sync_all
from kithkin.cli.common import JsonOpt, emit_json, err, fail, local, out, owner
from kithkin.core.errors import BadInput

app = typer.Typer(help="Calendars that log your meetings by themselves: an iCal address or a CalDAV account.")


def _read_password(path: str) -> str:
    """The first line of the password file: a password is never typed on the command line,
    where the shell's history and the process list would keep it."""
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput("--password-file", f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError):
        raise BadInput("--password-file", f"{path}: cannot be read") from None
    lines = text.splitlines()
    password = lines[0].strip() if lines else ""
    if not password:
        raise BadInput("--password-file", f"{path}: the file is empty")
    return password


@app.command(name="add")
def add(
    url: Annotated[
        str,
        typer.Argument(metavar="URL", help="The secret iCal address (https:// or webcal://), or a CalDAV server's."),
    ],
    caldav: Annotated[
        bool, typer.Option("--caldav", help="URL is a CalDAV account (Nextcloud, Fastmail, iCloud).")
    ] = False,
    user: Annotated[str, typer.Option("--user", help="The CalDAV account's user name.")] = "",
    password_file: Annotated[
        str,
        typer.Option("--password-file", help="A file holding the CalDAV password (an app password) on its first line."),
    ] = "",
    calendar: Annotated[
        list[str] | None, typer.Option("--calendar", help="Follow only this calendar of the account (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Follow a calendar: its past meetings with people of your network become touches at each sync."""
    user_ = owner()
    if caldav:
        if not user:
            fail("--user: give the CalDAV account's user name", 1)
        if not password_file:
            fail("--password-file: give a file holding the account's password", 1)
        source = add_caldav_account(
            user_, url, username=user, password=_read_password(password_file), calendars=calendar or None
        )
    else:
        if user or password_file or calendar:
            fail("--user, --password-file and --calendar go with --caldav; an iCal address needs none", 2)
        source = add_calendar_url(user_, url)
    if as_json:
        emit_json(source_data(source))
        return
    out.print(
        f"following calendar {source.pk} ({source.name}): `kithkin calendar sync` logs its meetings", markup=False
    )


@app.command(name="list")
def list_command(as_json: JsonOpt = False) -> None:
    """Your calendars, with their last sync and its error, if any (never their address)."""
    user = owner()
    sources = list_calendars(user)
    if as_json:
        emit_json([source_data(s) for s in sources])
        return
    if not sources:
        out.print("No calendars yet: kithkin calendar add URL")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("id", "calendar", "kind", "last sync", "error"):
        table.add_column(column)
    for s in sources:
        table.add_row(str(s.pk), s.name, s.get_kind_display(), local(s.last_synced_at, user), s.last_error)
    out.print(table)


def _line(result: Synced) -> str:
    undo = f"; undo: kithkin undo-import {result.import_id}" if result.import_id else ""
    return f"{result.source.name}: {describe(result.counts)}{undo}"


@app.command(name="sync")
def sync(as_json: JsonOpt = False) -> None:
    """Sync every calendar now. One that fails says why on one line; the others carry on."""
    results = sync_all(owner(), KINDS)
    if as_json:
        emit_json([r.to_json() for r in results])
    else:
        if not results:
            out.print("No calendars yet: kithkin calendar add URL")
        for result in results:
            if result.error:
                err.print(f"error: {result.error}", markup=False)
            else:
                out.print(_line(result), markup=False)
    if any(r.error for r in results):
        raise typer.Exit(1)


@app.command(name="remove")
def remove(
    source_id: Annotated[int, typer.Argument(metavar="ID", help="The calendar's id (kithkin calendar list).")],
    as_json: JsonOpt = False,
) -> None:
    """Stop following a calendar. The touches its syncs logged stay (undo a sync in `kithkin imports`)."""
    source = remove_source(owner(), source_id, KINDS)
    if as_json:
        emit_json({"id": source_id, "name": source.name, "removed": True})
    else:
        out.print(f"stopped following calendar {source_id} ({source.name}); its touches stay", markup=False)
