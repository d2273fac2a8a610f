"""Who a request acts for: the personal access token in ``Authorization: Bearer kk_...``.

A read-only token is refused on anything but GET, HEAD and OPTIONS, before the view runs. The
rate limit counts requests per token (``KITHKIN_API_RATE``, e.g. "600/minute").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from kithkin.accounts.tokens import Access, authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ReadOnlyToken(Exception):
    """A token that may only read was used to write."""


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Access | None:
        access = authenticate(token.strip())
        if access is None:
            return None
        if request.method not in SAFE_METHODS and not access.may_write:
            raise ReadOnlyToken()
        return access


class TokenThrottle(SimpleRateThrottle):
    """At most ``KITHKIN_API_RATE`` requests per token; over it, 429 with Retry-After."""

    def __init__(self) -> None:
        super().__init__(settings.API_RATE)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        access: Any = getattr(request, "auth", None)
        if not isinstance(access, Access):
            return None
        return f"kithkin_api_rate_{access.token.pk}"


def access_of(request: HttpRequest) -> Access:
    access: Any = getattr(request, "auth", None)
    assert isinstance(access, Access)
    return access
