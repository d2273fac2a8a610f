"""Lists a page at a time: ``limit`` and ``offset`` over an order that ends on the id (stable:
no page repeats or skips a row while nothing changes), with the count and the next page's address."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

MAX_LIMIT = 500
# Far beyond any list, and within what the database takes as an OFFSET (a 64-bit integer).
MAX_OFFSET = 10**12


class Paging(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"At most this many (1 to {MAX_LIMIT})")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Skip this many")


PagingQuery = Query[Paging]


def page_links(request: HttpRequest, paging: Paging, count: int) -> dict[str, Any]:
    """The page's ``count``, ``next`` and ``previous``."""

    def at(offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(offset)
        query["limit"] = str(paging.limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    following = paging.offset + paging.limit
    return {
        "count": count,
        "next": at(following) if following < count else None,
        "previous": at(max(0, paging.offset - paging.limit)) if paging.offset > 0 else None,
    }
