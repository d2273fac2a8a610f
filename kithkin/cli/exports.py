"""Files out: export, backup, restore, feed-url, ics."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from django.conf import settings

from kithkin.cli.common import JsonOpt, emit_json, err, out, owner
from kithkin.core import clock
from kithkin.core.errors import BadFile, BadInput
from kithkin.exports.backup import backup_database, export_file, restore_file, write_document
from kithkin.exports.services import build_feed, export_csv, export_vcard, feed_token, revoke_feed, select_people
from kithkin.lib.private_files import write_private

app = typer.Typer()

OutOpt = Annotated[str | None, typer.Option("--out", "-o", help="The file to write (default: standard output).")]


def write_output(text: str | bytes, out_file: str | None, default_name: str) -> None:
    """Write an export to --out (readable by its owner alone), or to stdout when it is '-' or not given."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if out_file is None or out_file == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(out_file).expanduser()
    try:
        write_private(path, data)
    except OSError as exc:
        raise BadFile(out_file, f"cannot be written: {exc.strerror or exc}") from None
    err.print(f"Wrote {path} ({len(data):,} bytes).")


@app.command()
def export(
    what: Annotated[str, typer.Argument(metavar="FORMAT", help="vcard, csv or json.")],
    out_file: OutOpt = None,
    people_filter: Annotated[
        str,
        typer.Option("--people", help="Only these: words to search and circle:, closeness:, interest:, org: terms."),
    ] = "",
    vcard3: Annotated[bool, typer.Option("--vcard3", help="vCard 3.0 instead of 4.0 (for older programs).")] = False,
) -> None:
    """Export people as vCard or CSV (Google's layout), or everything as a JSON document."""
    user = owner()
    kind = what.strip().lower()
    if kind in {"vcard", "vcf"}:
        write_output(
            export_vcard(user, select_people(user, people_filter), version="3.0" if vcard3 else "4.0"),
            out_file,
            "kithkin.vcf",
        )
    elif kind == "csv":
        write_output(export_csv(user, select_people(user, people_filter)), out_file, "kithkin.csv")
    elif kind == "json":
        if people_filter:
            raise BadInput("people", "the JSON export is the whole network; --people works with vcard and csv")
        # Written as it is read: the whole network never sits in memory.
        if out_file is None or out_file == "-":
            write_document(user, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            path = Path(out_file).expanduser()
            err.print(f"Wrote {path} ({export_file(user, path):,} bytes).")
    else:
        raise BadInput("FORMAT", f"unknown format {what!r}; choose vcard, csv or json")


@app.command()
def backup(
    out_file: Annotated[str | None, typer.Option("--out", "-o", help="Where to write the backup.")] = None,
) -> None:
    """A consistent snapshot of your data, safe while the server runs."""
    user = owner()
    target = Path(out_file or f"kithkin-backup-{clock.now():%Y%m%d-%H%M%S}").expanduser()
    kind = backup_database(target, user)
    if not out_file:
        target = target.rename(target.with_suffix(".sqlite3" if kind == "sqlite" else ".json"))
    out.print(
        f"Backed up to {target} ({'SQLite database' if kind == 'sqlite' else 'JSON document'}, {target.stat().st_size:,} bytes)."
    )


@app.command()
def restore(file: Annotated[str, typer.Argument(metavar="FILE", help="A backup or a JSON export.")]) -> None:
    """Restore a backup (or a JSON export) into an empty network."""
    source = Path(file).expanduser()
    if not source.is_file():
        raise BadFile(file, "no such file")
    kind = restore_file(source, owner())
    out.print(f"Restored {source} ({'SQLite backup' if kind == 'sqlite' else 'JSON document'}).")


@app.command(name="feed-url")
def feed_url(
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Turn the current URL off (a new one is made next time).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """The secret URL of your calendar feed of follow-ups and networking blocks."""
    user = owner()
    if revoke:
        revoked = revoke_feed(user)
        if as_json:
            emit_json({"revoked": revoked})
        else:
            out.print("Revoked: the old feed URL now answers 404." if revoked else "There was no feed URL to revoke.")
        return
    url = f"{settings.BASE_URL}/feed/{feed_token(user)}.ics"
    if as_json:
        emit_json({"url": url})
    else:
        out.print(url)
        err.print("Subscribe to it in your calendar app; anyone with the URL can read your follow-ups.")


@app.command()
def ics(out_file: OutOpt = None) -> None:
    """Write the calendar feed (open follow-ups and networking blocks) as an .ics file."""
    write_output(build_feed(owner()), out_file, "kithkin.ics")
