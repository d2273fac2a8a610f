"""The Team page of a shared server, for its admins: invite someone, see every account, switch one
off or on. Anyone else finds no such page (404)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kithkin.accounts import users
from kithkin.core.errors import BadInput
from kithkin.web.accounts.forms import InviteForm
from kithkin.web.accounts.views import site_link
from kithkin.web.forms import add_bad_input
from kithkin.web.http import AuthedRequest

# The invitation just made, shown once on the page the invite redirects to.
SHOWN_INVITATION = "kithkin_invitation"

View = Callable[..., HttpResponse]


def admin_only(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: AuthedRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not users.is_admin(request.user):
            raise Http404("no such page")
        return view(request, *args, **kwargs)

    return wrapped


def _render(request: AuthedRequest, form: InviteForm, status: int = 200) -> HttpResponse:
    context = {
        "nav": "team",
        "form": form,
        "accounts": users.list_accounts(),
        "invitation": request.session.pop(SHOWN_INVITATION, None),
        "mail": settings.EMAIL_CONFIGURED,
        "link_minutes": settings.LOGIN_LINK_MINUTES,
    }
    return render(request, "accounts/team.html", context, status=status)


@admin_only
def team_page(request: AuthedRequest) -> HttpResponse:
    return _render(request, InviteForm())


def _show(request: AuthedRequest, invitation: users.Invitation) -> None:
    url = site_link(request, reverse("accounts:invite_link", args=[invitation.token]))
    mailed = users.send_invitation(invitation, url, invited_by=request.user)
    shown = {"email": invitation.account.email, "url": url, "mailed": mailed, "days": settings.INVITE_DAYS}
    request.session[SHOWN_INVITATION] = shown


@admin_only
@require_POST
def invite(request: AuthedRequest) -> HttpResponse:
    """Make the account and show its invitation link to copy (mailed too when mail is set up)."""
    form = InviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = users.add_account(data["email"], name=data["name"], is_admin=data["is_admin"])
        except BadInput as exc:
            add_bad_input(form, exc)
        else:
            _show(request, invitation)
            return redirect(f"{reverse('accounts:team')}#invitation")
    return _render(request, form, status=400)


@admin_only
@require_POST
def new_link(request: AuthedRequest, pk: int) -> HttpResponse:
    """A fresh invitation link for an account: the first one lost or expired, or a password forgotten."""
    account = get_object_or_404(User, pk=pk)
    try:
        if not account.has_usable_password():
            _show(request, users.new_invitation(account))
        else:
            # Someone who has a password and forgot it: a reset link, as short-lived as any sign-in link.
            url = site_link(request, reverse("accounts:reset_link", args=[users.sign_in_link_token(account)]))
            label = account.email or account.get_username()
            request.session[SHOWN_INVITATION] = {"email": label, "url": url, "reset": True}
    except BadInput as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('accounts:team')}#invitation")


@admin_only
@require_POST
def switch(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """Switch an account off (``disable``) or on (``enable``)."""
    account = get_object_or_404(User, pk=pk)
    label = account.email or account.get_username()
    try:
        users.set_active(account, action == "enable", by=request.user)
    except BadInput as exc:
        messages.error(request, exc.message)
    else:
        if action == "enable":
            messages.success(request, f"{label} can sign in again.")
        else:
            messages.success(request, f"{label} is switched off: signed out everywhere, their data kept.")
    return redirect("accounts:team")
