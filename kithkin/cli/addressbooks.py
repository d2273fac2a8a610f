"""Address books over CardDAV: addressbook add, list, sync, remove."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from django.contrib.auth.models import User
from rich.table import Table

from kithkin.capture import addressbooks
from kithkin.capture.addressbooks import Failed
from kithkin.capture.models import Source
from kithkin.capture.services import Synced, sync_source
from kithkin.cli.common import JsonOpt, emit_json, err, fail, local, out, owner
from kithkin.core.errors import BadInput
from kithkin.imports.plan import Plan

app = typer.Typer(
    help="Address books over CardDAV (Nextcloud, Fastmail, iCloud…): their contacts come in by themselves."
)

# The service's fields as this command spells them.
OPTIONS = {"url": "URL", "username": "--user", "password": "--password-file"}
SHOWN = 10


def source_data(source: Source) -> dict[str, Any]:
    return {
        "id": source.pk,
        "name": source.name,
        "url": source.url,
        "username": source.username,
        "is_confirmed": source.is_confirmed,
        "created_at": source.created_at.isoformat(),
        "last_synced_at": source.last_synced_at.isoformat() if source.last_synced_at else None,
        "last_error": source.last_error,
    }


def _read_password(path: str) -> str:
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput("--password-file", f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError):
        raise BadInput("--password-file", f"{path} cannot be read") from None
    # The file holds the password alone; the line end an editor adds is not part of it.
    return text.rstrip("\r\n")


def _short(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _print_preview(source: Source, plan: Plan) -> None:
    counts = plan.counts()
    out.print(
        f"{source.name} (#{source.pk}): {counts['new']:,} new, {counts['updated']:,} to update, "
        f"{counts['unchanged']:,} already up to date, {counts['duplicates']:,} likely duplicates, "
        f"{counts['skipped']:,} skipped",
        markup=False,
    )
    for row in plan.rows("new")[:SHOWN]:
        emails = ", ".join(address for address, _ in row.wanted.emails)
        out.print(f"  + {row.name}" + (f" <{emails}>" if emails else ""), markup=False)
    for row in plan.rows("update")[:SHOWN]:
        changes = "; ".join(
            f"{c.field} {_short(c.before) + ' → ' if c.before else '+ '}{_short(c.after)}" for c in row.changes
        )
        out.print(f"  ~ {row.person_name} (#{row.person_id}): {changes}", markup=False)
    for row in plan.rows("duplicate")[:SHOWN]:
        out.print(f"  ? {row.name} may be {row.person_name} (#{row.person_id}): {row.reason}", markup=False)
    shown = sum(min(SHOWN, len(plan.rows(status))) for status in ("new", "update", "duplicate"))
    more = counts["new"] + counts["updated"] + counts["duplicates"] - shown
    if more > 0:
        out.print(f"  … and {more:,} more (--json lists them all)")


def _print_synced(synced: Synced) -> None:
    c = synced.counts
    if synced.import_id is None:
        out.print(f"{synced.source.name}: nothing new", markup=False)
        return
    out.print(
        f"{synced.source.name}: {c.get('people_created', 0):,} added, {c.get('people_updated', 0):,} updated "
        f"(import #{synced.import_id}; `kithkin undo-import {synced.import_id}` takes it back)",
        markup=False,
    )


@app.command(name="add")
def add(
    url: Annotated[
        str, typer.Argument(metavar="URL", help="The address of the address book, the account or the server.")
    ],
    user: Annotated[str, typer.Option("--user", help="The user name you sign in with.")],
    password_file: Annotated[
        str, typer.Option("--password-file", help="A file holding the password (an app password, where offered).")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Connect an address book and show what its first sync would bring in (nothing goes in yet)."""
    me = owner()
    password = _read_password(password_file)
    try:
        source = addressbooks.add_address_book(me, url, username=user, password=password)
    except BadInput as exc:
        raise BadInput(OPTIONS.get(exc.field, exc.field), exc.message) from None
    try:
        plan = addressbooks.preview_address_book(me, source)
    except Failed as exc:
        fail(f"{source.name}: {exc.message}", 1)
    if as_json:
        emit_json({**source_data(source), "preview": plan.to_json()})
        return
    out.print(f"Connected {source.name} as #{source.pk}. Its first sync would do this:", markup=False)
    _print_preview(source, plan)
    out.print(
        "Nothing is imported yet: `kithkin addressbook sync --yes` imports it, and later syncs go in by themselves."
    )


@app.command(name="list")
def list_command(as_json: JsonOpt = False) -> None:
    """Your address books: when each last synced, and the last error if the last sync failed."""
    me = owner()
    books = addressbooks.list_address_books(me)
    if as_json:
        emit_json([source_data(b) for b in books])
        return
    if not books:
        out.print("No address books yet: kithkin addressbook add URL --user USER --password-file FILE")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("id", "name", "user", "last sync", "state"):
        table.add_column(column)
    for b in books:
        state = b.last_error or ("ok" if b.is_confirmed else "waiting for your preview")
        table.add_row(str(b.pk), b.name, b.username, local(b.last_synced_at, me), state)
    out.print(table)


def _sync_one(me: User, source: Source, *, yes: bool, as_json: bool) -> dict[str, Any]:
    """Sync one address book, saying what it did; a new one's first sync is only shown unless
    ``yes``. What it did, as JSON (with ``error`` when it failed)."""
    if not source.is_confirmed and not yes:
        try:
            plan = addressbooks.preview_address_book(me, source)
        except Failed as exc:
            return {**Synced(source, error=f"{source.name}: {exc.message}").to_json(), "waiting": True}
        if not as_json:
            _print_preview(source, plan)
            out.print(f"  not imported yet: `kithkin addressbook sync {source.pk} --yes` imports it")
        return {**Synced(source).to_json(), "waiting": True, "preview": plan.to_json()}
    first = not source.is_confirmed
    synced = addressbooks.confirm_address_book(me, source) if first else sync_source(me, source)
    if not as_json and not synced.error:
        _print_synced(synced)
    return {**synced.to_json(), "waiting": False}


@app.command(name="sync")
def sync(
    book_id: Annotated[int | None, typer.Argument(metavar="ID", help="Only this address book (default: all).")] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Import the first sync of a new address book, as previewed.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Bring in what changed in each address book. A new one's first sync is shown, and imported
    with --yes; later ones go in quietly. Exits 1 if any failed."""
    me = owner()
    books = [addressbooks.get_address_book(me, book_id)] if book_id is not None else addressbooks.list_address_books(me)
    results = []
    for source in books:
        result = _sync_one(me, source, yes=yes, as_json=as_json)
        if result["error"]:
            err.print(f"kithkin: error: {result['error']}", markup=False)
        results.append(result)
    if as_json:
        emit_json(results)
    elif not books:
        out.print("No address books yet: kithkin addressbook add URL --user USER --password-file FILE")
    if any(result["error"] for result in results):
        raise SystemExit(1)


@app.command(name="remove")
def remove(
    book_id: Annotated[int, typer.Argument(metavar="ID", help="The address book's id (kithkin addressbook list).")],
    as_json: JsonOpt = False,
) -> None:
    """Forget an address book and its password. The people it brought in stay (each sync is an
    import: `kithkin undo-import` takes one back)."""
    source = addressbooks.remove_address_book(owner(), book_id)
    if as_json:
        emit_json({"id": book_id, "name": source.name, "removed": True})
    else:
        out.print(f"removed address book {book_id} ({source.name}); the people it brought in stay", markup=False)
