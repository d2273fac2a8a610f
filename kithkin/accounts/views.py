from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from kithkin.accounts.services import redeem_login_token
from kithkin.core.http import AuthedRequest


@require_GET
def login_link(request: HttpRequest, token: str) -> HttpResponse:
    """Sign in with the one-time link `kithkin serve` prints."""
    user = redeem_login_token(token)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=410)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("followups:today")


@login_required
def settings_page(request: AuthedRequest) -> HttpResponse:
    return render(request, "accounts/settings.html", {"nav": "settings"})
