"""Errors as RFC 9457 problem details (``application/problem+json``), each naming what to fix.

A refused value says which field (``"field": "closeness"``, and ``"errors"`` for several); a
missing object, or another account's, is the same 404; a token that may only read gets 403 on a
write; too many requests get 429 with Retry-After.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from ninja import Schema
from pydantic import Field

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str = "", **extra: Any) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = HttpResponse(orjson.dumps(body), status=status, content_type=PROBLEM)
    response["Cache-Control"] = "no-store, private"
    return response


def validation_problem(request: HttpRequest, errors: list[dict[str, Any]]) -> HttpResponse:
    """Pydantic's errors as fields and sentences: ``{"field": "limit", "message": "..."}``."""
    fields = [_field_error(error) for error in errors]
    first = fields[0] if fields else {"field": "", "message": "the request does not read"}
    return problem(
        422,
        "Invalid request",
        f"{first['field']}: {first['message']}" if first["field"] else first["message"],
        field=first["field"],
        errors=fields,
    )


def _field_error(error: dict[str, Any]) -> dict[str, str]:
    # ninja's locations start with where the value came from: ("query", "limit"), ("body", "payload", "name").
    loc = [str(part) for part in error.get("loc", ()) if part not in {"query", "body", "path", "header", "payload"}]
    return {"field": ".".join(loc), "message": str(error.get("msg", "invalid value"))}


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """An error as RFC 9457 problem details, sent as ``application/problem+json``."""

    type: str = Field(description="Always about:blank: the status and title say what happened")
    title: str
    status: int
    detail: str | None = None
    field: str | None = Field(None, description="The field to fix, when one is to blame")
    errors: list[FieldError] | None = Field(None, description="Every field refused, when several are")
    file: str | None = Field(None, description="For an unreadable upload: the file's name")
    line: int | None = Field(None, description="For an unreadable upload: the line (0 when not known)")
    column: str | None = Field(None, description="For an unreadable upload: the column or property")


def problems(*statuses: int) -> dict[int, type[Problem]]:
    """The problems a route may answer with besides those of every route (401, 429, 503, and 403
    on writes), for its ``response=`` declaration: ``{200: Person, **problems(404, 422)}``."""
    return dict.fromkeys(statuses, Problem)
