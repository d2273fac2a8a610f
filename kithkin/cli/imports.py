"""Files in: import, imports, undo-import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from kithkin.cli.common import JsonOpt, emit_json, err, local, out, owner
from kithkin.core.errors import BadFile
from kithkin.imports.plan import ImportOptions, normalize_format
from kithkin.imports.serialize import import_data
from kithkin.imports.services import ImportResult, import_file, list_imports, preview_import, undo_import

app = typer.Typer()

MAX_FILE_BYTES = 200 * 1024 * 1024
IMPORT_FORMATS = "linkedin, google, outlook, thunderbird, csv (any of these, detected), vcard or ics"


def read_input_file(path: str) -> tuple[bytes, str]:
    """The bytes of a file named on the command line, with a clear error when it cannot be read."""
    file = Path(path).expanduser()
    try:
        size = file.stat().st_size
        if file.is_dir():
            raise BadFile(path, "is a folder, not a file")
        if size > MAX_FILE_BYTES:
            raise BadFile(path, f"is {size / 1e6:,.0f} MB; files up to {MAX_FILE_BYTES // 10**6} MB can be imported")
        return file.read_bytes(), file.name
    except FileNotFoundError:
        raise BadFile(path, "no such file") from None
    except PermissionError:
        raise BadFile(path, "cannot be read (permission denied)") from None


def _print_counts(result: ImportResult) -> None:
    plan = result.plan
    counts = plan.counts()
    out.print(f"{plan.filename}: {plan.layout or plan.format}")
    if plan.format == "ics":
        rows = [
            ("meetings to log", counts["meetings"]),
            ("already logged", counts["meetings_known"]),
            ("with nobody you know", counts["meetings_without_people"]),
            ("people added", result.created),
        ]
    else:
        rows = [
            ("new people", counts["new"]),
            ("updated", counts["updated"]),
            ("unchanged", counts["unchanged"]),
            ("likely duplicates", counts["duplicates"]),
        ]
    rows.append(("skipped", counts["skipped"]))
    for name, count in rows:
        out.print(f"  {name:<22}{count:>8,}")


def _print_rows(result: ImportResult) -> None:
    """The first updates, likely duplicates, skipped lines and unknown attendees of a plan."""
    plan = result.plan
    for row in plan.rows("update")[:10]:
        out.print(
            f"  line {row.line}: {row.name} (#{row.person_id}, {row.reason}): "
            + "; ".join(f"{c.field} {c.before + ' → ' if c.before else '+ '}{c.after}" for c in row.changes)
        )
    for row in plan.rows("duplicate")[:10]:
        out.print(f"  line {row.line}: {row.name} may be {row.person_name} (#{row.person_id}): {row.reason}")
    for skipped in plan.skipped[:20]:
        out.print(f"  line {skipped.line}: {skipped.field}: {skipped.reason}", markup=False)
    if len(plan.skipped) > 20:
        out.print(f"  … and {len(plan.skipped) - 20} more (--json lists them all)")
    if plan.strangers:
        shown = sorted(plan.strangers.items(), key=lambda item: -item[1][1])[:10]
        out.print(
            f"  {len(plan.strangers)} attendees are not in your network, e.g. "
            + ", ".join(f"{name} <{email}> ({n})" for email, (name, n) in shown)
            + "; --add-attendees adds them"
        )


def _print_outcome(result: ImportResult, dry_run: bool) -> None:
    if dry_run:
        out.print("Dry run: nothing was changed.")
    elif result.import_id is None:
        out.print("Nothing to change: everything in this file is already in your network.")
    else:
        out.print(
            f"Imported as #{result.import_id} in {result.seconds:.1f} s (`kithkin undo-import {result.import_id}` takes it back)."
        )


class import_progress:
    """A Rich progress bar on stderr for imports of more than a few hundred rows."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> Callable[[str, int, int], None] | None:
        if not self.enabled:
            return None
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        self.bar.start()
        return self.update

    def update(self, stage: str, done: int, total: int) -> None:
        assert self.bar is not None
        if self.task is None or self.bar.tasks[self.task].description != stage:
            self.task = self.bar.add_task(stage, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command(name="import")
def import_command(
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help=f"One of {IMPORT_FORMATS}.")],
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file to import.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; change nothing.")] = False,
    circle: Annotated[str | None, typer.Option("--circle", help="Circle of new people (default: settings).")] = None,
    closeness: Annotated[
        str | None, typer.Option("--closeness", help="Closeness of new people (default: settings, acquaintance).")
    ] = None,
    labels: Annotated[
        str, typer.Option("--labels", help="What contact labels become: interests, circles or ignore.")
    ] = "interests",
    skip_duplicates: Annotated[
        bool, typer.Option("--skip-duplicates", help="Leave out likely duplicates instead of adding them.")
    ] = False,
    add_attendees: Annotated[
        bool, typer.Option("--add-attendees", help="Calendars: add attendees not in your network as people.")
    ] = False,
    me: Annotated[
        list[str] | None, typer.Option("--me", help="Calendars: your own email address (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import LinkedIn, Google, Outlook or Thunderbird CSV, vCards, or meetings from a calendar."""
    user = owner()
    fmt = normalize_format(fmt)
    data, name = read_input_file(file)
    options = ImportOptions(
        circle=circle,
        closeness=closeness,
        labels=labels,
        skip_duplicates=skip_duplicates,
        add_attendees=add_attendees,
        me=frozenset(e.strip().lower() for e in me or []),
    )
    if dry_run:
        result = ImportResult(preview_import(user, fmt, data, name, options=options), None)
    else:
        with import_progress(enabled=not as_json and len(data) > 20_000) as progress:
            result = import_file(user, fmt, data, name, options=options, progress=progress)
    if as_json:
        emit_json({**result.to_json(), "dry_run": dry_run})
        return
    _print_counts(result)
    _print_rows(result)
    _print_outcome(result, dry_run)


@app.command()
def imports(as_json: JsonOpt = False) -> None:
    """The imports you have made, newest first (undo one with `kithkin undo-import ID`)."""
    user = owner()
    runs = list_imports(user)
    if as_json:
        emit_json([import_data(run) for run in runs])
        return
    if not runs:
        out.print("No imports yet. `kithkin import linkedin Connections.csv` is a good start.")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("id", "when", "file", "format", "new", "updated", "touches", "skipped"):
        table.add_column(column)
    for run in runs:
        c = run.counts
        table.add_row(
            str(run.pk),
            local(run.created_at, user),
            run.filename,
            run.get_format_display(),
            str(c.get("people_created", 0)),
            str(c.get("people_updated", 0)),
            str(c.get("touches_created", 0)),
            str(c.get("skipped", 0)),
        )
    out.print(table)


@app.command(name="undo-import")
def undo_import_command(
    id: Annotated[int, typer.Argument(help="The import's id (see `kithkin imports`).")], as_json: JsonOpt = False
) -> None:
    """Take an import back: remove the people and touches it added, restore what it changed."""
    result = undo_import(owner(), id)
    if as_json:
        emit_json(result.to_json())
        return
    out.print(
        f"Undid import #{result.import_id} ({result.filename}): removed {result.people_removed:,} people and "
        f"{result.touches_removed:,} touches, restored {result.people_restored:,}."
    )
    if result.people_kept:
        out.print(
            f"Kept {len(result.people_kept)} you have logged touches with since: {', '.join(result.people_kept[:10])}"
        )
