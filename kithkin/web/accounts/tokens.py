"""Settings → Access tokens: make a personal access token for the HTTP API and the agent server,
see it once, list them, revoke one. The same services as `kithkin token create/list/revoke`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kithkin.accounts.models import AccessToken
from kithkin.accounts.tokens import MAX_NAME, Made, NotFound, create_token, list_tokens, revoke_token
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.web.forms import Form, add_bad_input
from kithkin.web.http import AuthedRequest


class TokenForm(Form):
    name = forms.CharField(
        label="Name",
        max_length=MAX_NAME,
        help_text="What will use it, so that you know which to revoke: “laptop script”, “Claude Desktop”.",
    )
    read_only = forms.BooleanField(
        label="Read-only",
        required=False,
        help_text="It can read your network but never change it.",
    )


def _page(request: AuthedRequest, form: TokenForm, *, made: Made | None = None, status: int = 200) -> HttpResponse:
    context = {
        "nav": "settings",
        "form": form,
        "made": made,
        "tokens": list_tokens(request.user),
        "api_url": request.build_absolute_uri("/api/v1/"),
    }
    response = render(request, "accounts/token_list.html", context, status=status)
    # The page that shows a new token must never be kept by a cache or the browser's history.
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: AuthedRequest) -> HttpResponse:
    """The tokens, and the form that makes one. A token made is shown on the answer to its POST
    itself, not after a redirect: it is shown once and kept nowhere, not even in the session."""
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            made = create_token(request.user, form.cleaned_data["name"], read_only=form.cleaned_data["read_only"])
        except BadInput as exc:
            add_bad_input(form, exc)
        else:
            return _page(request, TokenForm(), made=made)
    return _page(request, form, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask first (a plain page), then turn the token off for good."""
    token = get_owned_or_404(AccessToken, request.user, pk=pk)
    if request.method == "POST":
        try:
            revoke_token(request.user, token.pk)
        except NotFound:
            raise Http404("no such token") from None
        messages.success(request, f"Revoked “{token.name}”: programs using it are refused from now on.")
        return redirect(reverse("accounts:tokens"))
    return render(request, "accounts/token_revoke.html", {"nav": "settings", "token": token})
