"""The shape of a problem (RFC 9457, ``application/problem+json``), declared for the OpenAPI
document: every route names the problems it can answer with (``problems(400, 404)``)."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str = Field(description="Always about:blank: the title says what went wrong")
    title: str
    status: int
    detail: str | None = None
    field: str | None = Field(None, description="The field, query parameter or header to fix")
    errors: list[FieldError] | None = Field(None, description="Every field refused, when several were")
    file: str | None = Field(None, description="For an unreadable upload: the file's name")
    line: int | None = Field(None, description="For an unreadable upload: the line (0 when not known)")
    column: str | None = Field(None, description="For an unreadable upload: the column or property")


# What every authenticated route may answer besides its own: no token, too many requests.
COMMON = (401, 429)


def problems(*statuses: int) -> dict[int, Any]:
    """The responses ``statuses`` (and 401, 429) as problems, to merge into a route's ``response``."""
    return dict.fromkeys(sorted({*statuses, *COMMON}), Problem)
