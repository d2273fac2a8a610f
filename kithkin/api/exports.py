"""Files out (`kithkin export`, `ics`): people as vCard or CSV, with the same ``people`` filter as
`--people`; everything as the JSON document `kithkin restore` reads; the calendar of follow-ups
and networking blocks. Each is a download, the same bytes the command writes."""

from __future__ import annotations

import tempfile
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from kithkin.accounts.when import user_today
from kithkin.api.auth import access_of
from kithkin.api.problems import problems
from kithkin.exports.backup import write_document
from kithkin.exports.services import build_feed, export_csv, export_vcard, select_people

router = Router(tags=["exports"])


class PeopleFilter(Schema):
    people: str = Field(
        "", description="Only these: words to search and circle:, closeness:, interest:, org: terms (as --people)"
    )


class VcardFilter(PeopleFilter):
    vcard3: bool = Field(False, description="vCard 3.0 instead of 4.0 (for older programs)")


def _download(media_type: str, what: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """The OpenAPI description of a download: its media type, and a file unless said otherwise."""
    shape = schema or {"type": "string", "format": "binary"}
    return {"responses": {200: {"description": what, "content": {media_type: {"schema": shape}}}}}


def _attachment(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/vcard",
    response=problems(400, 422),
    openapi_extra=_download("text/vcard", "The people as vCards"),
    summary="People as vCard",
)
def vcard(request: HttpRequest, filters: Query[VcardFilter]) -> HttpResponse:
    """vCard 4.0 (or 3.0) of your people, or of those the filter names (`kithkin export vcard`)."""
    user = access_of(request).user
    text = export_vcard(user, select_people(user, filters.people), version="3.0" if filters.vcard3 else "4.0")
    return _attachment(text, f"kithkin-{user_today(user)}.vcf", "text/vcard; charset=utf-8")


@router.get(
    "/csv",
    response=problems(400, 422),
    openapi_extra=_download("text/csv", "The people in Google Contacts' CSV layout"),
    summary="People as CSV",
)
def csv(request: HttpRequest, filters: Query[PeopleFilter]) -> HttpResponse:
    """Google Contacts' CSV layout, which Google, Outlook and spreadsheets read (`kithkin export csv`)."""
    user = access_of(request).user
    text = export_csv(user, select_people(user, filters.people))
    return _attachment(text, f"kithkin-{user_today(user)}.csv", "text/csv; charset=utf-8")


@router.get(
    "/json",
    response=problems(401),
    openapi_extra=_download("application/json", "Everything of yours, as one JSON document", {"type": "object"}),
    summary="Everything as JSON",
)
def document(request: HttpRequest) -> FileResponse:
    """The whole network as one JSON document, which `kithkin restore` reads (`kithkin export
    json`), written to a file as it is read and then sent: the network never sits in memory."""
    user = access_of(request).user
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    write_document(user, handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"kithkin-{user_today(user)}.json", content_type="application/json"
    )


@router.get(
    "/ics",
    response=problems(401),
    openapi_extra=_download("text/calendar", "Open follow-ups and networking blocks"),
    summary="The calendar as .ics",
)
def ics(request: HttpRequest) -> HttpResponse:
    """Your open follow-ups and networking blocks as an iCalendar file (`kithkin ics`)."""
    user = access_of(request).user
    return _attachment(build_feed(user), "kithkin.ics", "text/calendar; charset=utf-8")
