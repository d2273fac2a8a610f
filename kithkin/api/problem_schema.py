"""The shape of a problem (RFC 9457, ``application/problem+json``), declared for the OpenAPI
document: every route names the problems it can answer with (``problems(400, 404)``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import Router, Schema
from pydantic import Field

PROBLEM_MEDIA_TYPE = "application/problem+json"


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


# What every authenticated route may answer besides its own: no token, a value that does not
# read (a path id that is not a number), too many requests.
COMMON = (401, 422, 429)


def problems(*statuses: int) -> dict[int, Any]:
    """The responses ``statuses`` (and 401, 429) as problems, to merge into a route's ``response``."""
    return dict.fromkeys(sorted({*statuses, *COMMON}), Problem)


class ProblemRouter(Router):
    """A router whose problem answers are documented as ``application/problem+json``, the type
    they are sent with (ninja would say only ``application/json``)."""

    def add_api_operation(self, path: str, methods: list[str], view_func: Callable[..., Any], **kwargs: Any) -> None:
        response = kwargs.get("response")
        if isinstance(response, dict):
            statuses = [status for status, shape in response.items() if shape is Problem]
            if statuses:
                content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
                extra = dict(kwargs.get("openapi_extra") or {})
                responses = dict(extra.get("responses") or {})
                for status in statuses:
                    responses[status] = {**responses.get(status, {}), "content": content}
                kwargs["openapi_extra"] = {**extra, "responses": responses}
        super().add_api_operation(path, methods, view_func, **kwargs)
