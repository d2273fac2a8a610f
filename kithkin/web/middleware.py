"""The web face's middleware: a cap on the size of a request, Server-Timing on every response, a
503 when the database is busy, the signed-in user's owner scope and time zone, and no caching of
anything private."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control

from kithkin.accounts.services import get_profile
from kithkin.core.db import is_busy
from kithkin.core.scopes import owner_scope


class ServerTimingMiddleware:
    """Every response says how long Kithkin took to make it (the browser's devtools and
    `make bench` read it), so "the server is fast" is something anyone can check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - start) * 1000:.1f}"
        return response


class RequestSizeMiddleware:
    """Refuse a request whose Content-Length is over ``settings.MAX_REQUEST_BYTES`` with 413,
    before anything reads its body: Django would otherwise spool a 200 MB upload to disk, even a
    stranger's, before any view could say no. First in the list. (`kithkin serve` gives waitress
    the same cap, which refuses before buffering the body at all.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django answers a malformed length itself
        if length > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return HttpResponse(
                f"Request too large: at most {limit} MB is accepted.\n",
                status=413,
                content_type="text/plain; charset=utf-8",
                headers={"Connection": "close"},
            )
        return self.get_response(request)


class DatabaseBusyMiddleware:
    """A write that waited out the busy timeout (another writer held the database: an import, a
    restore) answers 503 Service Unavailable with Retry-After, and a page saying to try again,
    instead of a 500. Nothing was changed: the failed transaction was rolled back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        response = render(request, "kithkin/busy.html", {"retry_after": settings.BUSY_RETRY_AFTER}, status=503)
        response["Retry-After"] = str(settings.BUSY_RETRY_AFTER)
        return response


class OwnerScopeMiddleware:
    """The web's edge: a signed-in user's request runs in their owner scope, so every query on
    an owned model sees their rows only, whatever a view forgets. Anonymous requests get no
    scope: the few views open to them (the login link, the calendar feed) look up what they
    need explicitly. Listed right after AuthenticationMiddleware, before anything that queries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        with owner_scope(request.user):
            return self.get_response(request)


class NoStoreMiddleware:
    """A signed-in page, and any download (an attachment: exports, backups), is never kept by the
    browser or a proxy: ``Cache-Control: no-store, private``. The back button on a shared computer
    then shows nothing once signed out. (The calendar feed, shown inline, keeps its own short
    private caching for the calendar apps that poll it.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or response.get("Content-Disposition", "").startswith("attachment"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class UserTimezoneMiddleware:
    """Show dates and times in the signed-in user's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            timezone.activate(get_profile(request.user).tz)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
