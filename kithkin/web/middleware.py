"""The web face's middleware: Server-Timing on every response, the signed-in user's owner scope
and time zone, and no caching of anything private."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from kithkin.accounts.services import get_profile
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
