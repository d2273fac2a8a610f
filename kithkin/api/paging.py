"""Lists a page at a time: ``limit`` and ``offset`` over an order that ends on the id (stable:
no page repeats or skips a row while nothing changes).

The body is the list itself, as the command line's ``--json`` gives it; how many match is the
``X-Total-Count`` header, and the neighbouring pages are in ``Link`` (RFC 8288), as GitHub's API
does: ``Link: <https://.../api/v1/people?limit=50&offset=50>; rel="next"``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema
from pydantic import Field

MAX_LIMIT = 500
TOTAL = "X-Total-Count"
# Far beyond any list, and within what the database takes as an OFFSET (a 64-bit integer).
MAX_OFFSET = 10**12


class Paging(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"At most this many (1 to {MAX_LIMIT})")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Skip this many")

    def window(self) -> slice:
        return slice(self.offset, self.offset + self.limit)


PagingQuery = Query[Paging]

# The headers a paged list answers with, for the OpenAPI document.
PAGE_HEADERS = {
    TOTAL: {"description": "How many match, on every page", "schema": {"type": "integer"}},
    "Link": {"description": 'The next and previous pages: <url>; rel="next"', "schema": {"type": "string"}},
}

# A paged route's ``openapi_extra``: its 200 answer's headers.
PAGED = {"responses": {200: {"description": "OK", "headers": PAGE_HEADERS}}}


def paginate(request: HttpRequest, response: HttpResponse, paging: Paging, count: int) -> None:
    """Say on ``response`` how many match and where the next and previous pages are."""

    def at(offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(offset)
        query["limit"] = str(paging.limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    links = []
    if paging.offset + paging.limit < count:
        links.append(f'<{at(paging.offset + paging.limit)}>; rel="next"')
    if paging.offset > 0:
        links.append(f'<{at(max(0, paging.offset - paging.limit))}>; rel="prev"')
    response[TOTAL] = str(count)
    if links:
        response["Link"] = ", ".join(links)
