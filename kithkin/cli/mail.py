"""`kithkin mail ...`: mailboxes connected over IMAP, their syncs, and the people they suggest."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kithkin.accounts.when import parse_user_day
from kithkin.capture.mail import (
    Suggestion,
    accept_suggestion,
    add_mail_account,
    dismiss_suggestion,
    mail_suggestions,
    sync_mail,
    sync_summary,
)
from kithkin.capture.models import Source
from kithkin.capture.services import Synced, list_sources, remove_source
from kithkin.cli.common import JsonOpt, emit_json, fail, local, out, owner, show_person_line
from kithkin.core.errors import BadInput

app = typer.Typer(
    no_args_is_help=True,
    help="Mailboxes over IMAP: email touches with your network, and suggestions of people to add.",
    rich_markup_mode=None,
)

MAIL = (Source.Kind.MAIL,)


def source_data(source: Source) -> dict[str, object]:
    return {
        "id": source.pk,
        "name": source.name,
        "host": source.host,
        "port": source.port,
        "security": source.security,
        "user": source.username,
        "sent": source.options.get("sent"),
        "inbox": source.options.get("inbox"),
        "me": source.options.get("me", []),
        "created_at": source.created_at.isoformat(),
        "last_synced_at": source.last_synced_at.isoformat() if source.last_synced_at else None,
        "last_error": source.last_error,
    }


def _read_password(path: str) -> str:
    """The first line of the file (or of stdin for "-"): the password never goes on the command line."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).expanduser().read_text()
    except OSError as exc:
        fail(f"--password-file: {path} cannot be read ({exc.strerror or exc})", 1)
    lines = text.splitlines()
    return lines[0].strip() if lines else ""


@app.command(name="add")
def add(
    host: Annotated[str, typer.Option("--host", help="The IMAP server, e.g. imap.fastmail.com.")],
    user: Annotated[str, typer.Option("--user", help="The user name you sign in with (often your address).")],
    password_file: Annotated[
        str,
        typer.Option(
            "--password-file", help="A file whose first line is the password (an app password); - reads stdin."
        ),
    ],
    port: Annotated[int | None, typer.Option("--port", help="The port: 993 with TLS, 143 otherwise.")] = None,
    starttls: Annotated[bool, typer.Option("--starttls", help="Plain connection upgraded with STARTTLS.")] = False,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="No TLS: only to this machine, as a local bridge (Proton Mail Bridge) serves."),
    ] = False,
    sent: Annotated[
        str | None, typer.Option("--sent", help="The sent folder, when its special use does not say.")
    ] = None,
    inbox: Annotated[str | None, typer.Option("--inbox", help="The inbox, when it is not INBOX.")] = None,
    me: Annotated[
        list[str] | None, typer.Option("--me", metavar="ADDRESS", help="Another address of yours (repeat it).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Connect a mailbox: Kithkin signs in first, then keeps the password encrypted."""
    if starttls and plain:
        fail("--starttls and --plain: choose one", 2)
    password = _read_password(password_file)
    try:
        source = add_mail_account(
            owner(),
            host=host,
            port=port,
            username=user,
            password=password,
            security="starttls" if starttls else "plain" if plain else "tls",
            sent_folder=sent,
            inbox_folder=inbox,
            me=me or (),
        )
    except BadInput as exc:
        if exc.field == "password":  # given here as a file
            fail(f"--password-file: {exc.message}", 1)
        raise
    if as_json:
        emit_json(source_data(source))
        return
    out.print(f"connected {source.name} as account {source.pk}; `kithkin mail sync` reads it", markup=False)


@app.command(name="list")
def list_command(as_json: JsonOpt = False) -> None:
    """Your mailboxes, their last sync and its error, if any."""
    user = owner()
    sources = list_sources(user, Source.Kind.MAIL)
    if as_json:
        emit_json([source_data(s) for s in sources])
        return
    if not sources:
        out.print("No mailbox yet: kithkin mail add --host HOST --user USER --password-file FILE")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("id", "account", "security", "last sync", "error"):
        table.add_column(column)
    for s in sources:
        table.add_row(str(s.pk), s.name, s.get_security_display(), local(s.last_synced_at, user), s.last_error)
    out.print(table)


def _say(synced: Synced) -> str:
    if synced.error:
        return synced.error
    line = sync_summary(synced)
    if synced.import_id:
        line += f" (import #{synced.import_id}: `kithkin undo-import {synced.import_id}` takes it back)"
    return line


@app.command(name="sync")
def sync(
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Read again the mail received from this day on.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Read what is new in every mailbox. One that fails says why in a line; the others carry on."""
    user = owner()
    day = parse_user_day(user, since, field="since")
    results = sync_mail(user, since=day)
    if as_json:
        emit_json([r.to_json() for r in results])
    else:
        if not results:
            out.print("No mailbox yet: kithkin mail add --host HOST --user USER --password-file FILE")
        for synced in results:
            out.print(_say(synced), markup=False)
    if any(r.error for r in results):
        raise SystemExit(1)


@app.command(name="remove")
def remove(
    source_id: Annotated[int, typer.Argument(metavar="ID", help="The account's id (kithkin mail list).")],
    as_json: JsonOpt = False,
) -> None:
    """Forget a mailbox and its password. What its syncs logged stays (undo an import to take it back)."""
    source = remove_source(owner(), source_id, MAIL)
    if as_json:
        emit_json({"id": source_id, "name": source.name, "removed": True})
    else:
        out.print(f"removed {source.name}", markup=False)


@app.command(name="suggestions")
def suggestions(as_json: JsonOpt = False) -> None:
    """People you wrote to and who wrote back, not in your network yet."""
    found: list[Suggestion] = mail_suggestions(owner())
    if as_json:
        emit_json([s.to_json() for s in found])
        return
    if not found:
        out.print("No suggestions: nobody outside your network both got mail from you and wrote back.")
        return
    for s in found:
        out.print(f"{s.address}: {s.sentence}", markup=False)
    out.print("kithkin mail accept ADDRESS adds one; kithkin mail dismiss ADDRESS never suggests them again.")


AddressArg = Annotated[str, typer.Argument(metavar="ADDRESS", help="Their email address (kithkin mail suggestions).")]


@app.command(name="dismiss")
def dismiss(address: AddressArg, as_json: JsonOpt = False) -> None:
    """Never suggest this person again."""
    found = dismiss_suggestion(owner(), address)
    if as_json:
        emit_json({"address": found.address, "dismissed": True})
    else:
        out.print(f"{found.address} will not be suggested again", markup=False)


@app.command(name="accept")
def accept(address: AddressArg, as_json: JsonOpt = False) -> None:
    """Add this person to your network, with their name and address."""
    user = owner()
    person = accept_suggestion(user, address)
    if as_json:
        emit_json({"id": person.pk, "name": person.full_name, "address": address.strip().lower()})
    else:
        show_person_line("added", person, user)
