"""Files in (`kithkin import`, `imports`, `undo-import`, and the web's import pages): upload a
file, preview what it would change, apply it, undo an import, list them. An upload is kept until
it is applied or discarded, as on the web (``imports.services.stash_upload``); a preview is the
JSON of `kithkin import --dry-run --json`, an import's answer that of `kithkin import --json`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from kithkin.api.auth import access_of
from kithkin.api.paging import PAGED, PagingQuery, paginate
from kithkin.api.problems import problem, problems
from kithkin.core.errors import BadFile
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.imports.models import Import
from kithkin.imports.plan import ImportOptions, guess_format, normalize_format
from kithkin.imports.serialize import import_data
from kithkin.imports.services import (
    ImportResult,
    PreviewBusy,
    check_upload,
    discard_upload,
    import_upload,
    list_imports,
    load_upload,
    planning_slot,
    preview_import,
    stash_upload,
    undo_import,
)

router = Router(tags=["imports"])

FORMATS = "linkedin, google, outlook, thunderbird, csv, vcard or ics"


class ImportOut(Schema):
    id: int
    format: str
    layout: str
    file: str
    created_at: str
    counts: dict[str, int]


class Upload(Schema):
    token: str = Field(description="Names the upload in its preview and apply addresses")
    file: str
    format: str = Field(description=f"As chosen, or found out from the contents: {FORMATS}")
    size: int = Field(description="Bytes")


class Change(Schema):
    field: str
    before: str
    after: str


class PersonRow(Schema):
    line: int
    name: str
    status: str = Field(description="new, update, same or duplicate")
    person_id: int | None
    person_name: str
    reason: str
    changes: list[Change]
    organization: str
    title: str
    emails: list[str]


class MeetingRow(Schema):
    line: int
    summary: str
    start: str
    status: str
    people: list[str]
    person_ids: list[int]
    unknown: list[str]


class Stranger(Schema):
    email: str
    name: str
    meetings: int


class Skipped(Schema):
    line: int
    field: str
    reason: str


class Applied(Schema):
    people_created: int
    people_updated: int
    touches_created: int


class ImportPlan(Schema):
    format: str
    layout: str
    file: str
    sha256: str
    counts: dict[str, int]
    people: list[PersonRow]
    meetings: list[MeetingRow]
    strangers: list[Stranger] = Field(description="Calendar attendees not in your network")
    skipped: list[Skipped] = Field(description="Lines or values left out, each with its line, field and why")
    import_id: int | None = Field(description="null for a preview, or when the file changed nothing")
    applied: Applied
    dry_run: bool = Field(description="true for a preview")


class Undone(Schema):
    import_id: int
    file: str
    people_removed: int
    people_restored: int
    touches_removed: int
    people_kept: list[str] = Field(description="People you have logged touches with since: kept")


class Options(Schema):
    circle: str | None = Field(None, description="Circle of new people (default: your settings)")
    closeness: str | None = Field(None, description="Closeness of new people (default: your settings)")
    labels: str = Field("interests", description="What contact labels become: interests, circles or ignore")
    skip_duplicates: bool = Field(False, description="Leave out likely duplicates instead of adding them")
    add_attendees: bool = Field(False, description="Calendars: add attendees not in your network as people")
    me: list[str] = Field([], description="Calendars: your own email addresses")

    def to_options(self) -> ImportOptions:
        return ImportOptions(
            circle=self.circle,
            closeness=self.closeness,
            labels=self.labels,
            skip_duplicates=self.skip_duplicates,
            add_attendees=self.add_attendees,
            me=frozenset(e.strip().lower() for e in self.me),
        )


class UploadForm(Schema):
    format: str = Field("", description=f"{FORMATS}; empty: found out from the contents")


def _busy() -> HttpResponse:
    response = problem(409, "Busy", PreviewBusy.message)
    response["Retry-After"] = str(settings.BUSY_RETRY_AFTER)
    return response


@router.get("", openapi_extra=PAGED, response={200: list[ImportOut], **problems(422)}, summary="List imports")
def list_(request: HttpRequest, response: HttpResponse, paging: PagingQuery) -> list[Any]:
    """The imports you have made, newest first (`kithkin imports`)."""
    runs = list_imports(access_of(request).user)
    items = [import_data(run) for run in runs[paging.offset : paging.offset + paging.limit]]
    paginate(request, response, paging, len(runs))
    return items


# The uploads' routes come before "/{import_id}", which would take "uploads" for an id.
@router.post("/uploads", response={201: Upload, **problems(400, 403, 413, 422)}, summary="Upload a file to import")
def upload(request: HttpRequest, file: File[UploadedFile], form: Form[UploadForm]) -> Status:
    """Send a LinkedIn, Google, Outlook or Thunderbird CSV, a vCard or a calendar (.ics) as
    ``multipart/form-data`` (the field ``file``). A file that cannot be read is refused at once,
    naming the file, the line and the column, and nothing is kept; a readable one is kept until you
    apply or discard it (a day at most)."""
    user = access_of(request).user
    filename = Path(file.name or "upload").name[:255] or "upload"
    if file.size is not None and file.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise BadFile(
            filename,
            f"is {file.size / (1024 * 1024):.1f} MB; files of up to {settings.MAX_UPLOAD_MB} MB can be imported",
        )
    data = file.read()
    fmt = normalize_format(form.format) if form.format.strip() else guess_format(data, filename)
    check_upload(user, fmt, data, filename)
    token = stash_upload(user, data, filename, fmt)
    return Status(201, {"token": token, "file": filename, "format": fmt, "size": len(data)})


@router.get(
    "/uploads/{upload_token}/preview",
    response={200: ImportPlan, **problems(400, 404, 409, 422)},
    summary="Preview an upload",
)
def preview(request: HttpRequest, upload_token: str, options: Query[Options]) -> Any:
    """What importing the upload with these options would do, changing nothing: each new person,
    update and likely duplicate with its line, and each line left out with why (`kithkin import
    --dry-run`)."""
    user = access_of(request).user
    data, filename, fmt = load_upload(user, upload_token)
    try:
        with planning_slot(user):
            plan = preview_import(user, fmt, data, filename, options=options.to_options())
    except PreviewBusy:
        return _busy()
    return {**ImportResult(plan, None).to_json(), "dry_run": True}


@router.post(
    "/uploads/{upload_token}/apply",
    response={201: ImportPlan, **problems(400, 403, 404, 409, 422)},
    summary="Import an upload",
)
def apply(request: HttpRequest, upload_token: str, options: Options) -> Any:
    """Import the upload (planned afresh: the network may have moved since its preview), all or
    nothing, then forget the file (`kithkin import`). `import_id` names it for undo."""
    user = access_of(request).user
    try:
        result = import_upload(user, upload_token, options.to_options())
    except PreviewBusy:
        return _busy()
    return Status(201, {**result.to_json(), "dry_run": False})


@router.delete("/uploads/{upload_token}", response={204: None, **problems(403, 404)}, summary="Discard an upload")
def discard(request: HttpRequest, upload_token: str) -> HttpResponse:
    """Forget an upload without importing it."""
    user = access_of(request).user
    load_upload(user, upload_token)  # 404 for one that is not there
    discard_upload(user, upload_token)
    return HttpResponse(status=204)


@router.get("/{import_id}", response={200: ImportOut, **problems(404)}, summary="Show an import")
def show(request: HttpRequest, import_id: int) -> dict[str, Any]:
    """One import: its file, format and what it did."""
    user = access_of(request).user
    return import_data(get_owned_or_404(Import.objects.filter(wrote_chunk_at__isnull=True), user, pk=import_id))


@router.post("/{import_id}/undo", response={200: Undone, **problems(400, 403, 404)}, summary="Undo an import")
def undo(request: HttpRequest, import_id: int) -> dict[str, Any]:
    """Take an import back: remove the people and touches it added, restore what it changed
    (`kithkin undo-import`)."""
    user = access_of(request).user
    get_owned_or_404(Import, user, pk=import_id)
    return undo_import(user, import_id).to_json()
