from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: the user is real and htmx details are attached."""

    user: User
    htmx: HtmxDetails


def is_partial(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment. A history restore (the back button after the
    page cache is gone) is an htmx request too, but it needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def safe_next(request: HttpRequest, target: str, default: str) -> str:
    """``target`` (a form's ``next``) if it is a page of this site, else ``default``: a link
    that sends the user back elsewhere must not send them to another site."""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def render_page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``, or only its ``partial`` for an htmx request.

    The response varies on HX-Request, so a browser never shows a cached fragment as a page
    when the user goes back.
    """
    name = f"{template}#{partial}" if partial and is_partial(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
