from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kithkin.accounts import users
from kithkin.accounts.models import Profile
from kithkin.accounts.services import (
    get_profile,
    login_token_owner,
    redeem_login_token,
    routine_blocks,
    update_settings_and_blocks,
)
from kithkin.core import clock
from kithkin.core.choices import Closeness
from kithkin.core.errors import BadInput
from kithkin.digest.services import token_owner, turn_off
from kithkin.web.accounts.forms import (
    SERVICE_FIELDS,
    ForgotPasswordForm,
    PasswordChangeForm,
    SetPasswordForm,
    SettingsForm,
    SignInForm,
    SignUpForm,
)
from kithkin.web.forms import add_bad_input
from kithkin.web.http import AuthedRequest

# The session's mark that its user came in by an invitation or a reset link, and so may set a
# password without typing the current one.
MAY_SET_PASSWORD = "kithkin_may_set_password"


@require_http_methods(["GET", "HEAD", "POST"])
def login_link(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link `kithkin serve` prints. Opening it only asks "Sign in as ...?": the
    button posts with this browser's CSRF token, and only that post uses the token up. So a page
    elsewhere that sends you to someone else's link cannot sign you in as them, and a link
    preview that fetches the URL does not spend it."""
    return _one_time_link(request, token, "login")


@require_http_methods(["GET", "HEAD", "POST"])
def invite_link(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation (`kithkin user add`, the Team page): signs in to the new account's own empty
    network, then asks for a password. It asks first, as the login link does."""
    return _one_time_link(request, token, "invite")


@require_http_methods(["GET", "HEAD", "POST"])
def reset_link(request: HttpRequest, token: str) -> HttpResponse:
    """A password reset (mailed, or `kithkin link --user`): signs in, then asks for a new password."""
    return _one_time_link(request, token, "reset")


def _one_time_link(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    if request.method != "POST":
        account = login_token_owner(token)
        if account is None:
            return render(request, "accounts/link_invalid.html", {"kind": kind}, status=410)
        return render(request, "accounts/link_confirm.html", {"account": account, "kind": kind})
    user = redeem_login_token(token)
    if user is None:
        return render(request, "accounts/link_invalid.html", {"kind": kind}, status=410)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if kind == "login":
        return redirect("followups:today")
    request.session[MAY_SET_PASSWORD] = True
    return redirect("accounts:new_password")


@login_required
def new_password(request: AuthedRequest) -> HttpResponse:
    """Choose a password after an invitation or a reset link, without the current one (the link
    proved who this is). Otherwise a password is changed in Settings, where the current one is asked."""
    user = request.user
    if not request.session.get(MAY_SET_PASSWORD) and user.has_usable_password():
        return redirect(f"{reverse('accounts:settings')}#password")
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        update_session_auth_hash(request, form.save())
        request.session.pop(MAY_SET_PASSWORD, None)
        messages.success(request, "Password set. Next time, sign in with your email and this password.")
        return redirect("followups:today")
    context = {"form": form, "new_account": not user.has_usable_password()}
    return render(request, "accounts/password_new.html", context, status=400 if form.is_bound else 200)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_sign_in_links()}


def _sign_in_links() -> dict[str, Any]:
    return {"open_signup": settings.OPEN_SIGNUP}


@require_http_methods(["GET", "HEAD", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """Anyone may make an account here when the server allows it (``KITHKIN_OPEN_SIGNUP=1``);
    otherwise there is no such page."""
    if not settings.OPEN_SIGNUP:
        raise Http404("no open sign-up on this server")
    if request.user.is_authenticated:
        return redirect("followups:today")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            user = users.sign_up(data["email"], data["name"], data["password"])
        except BadInput as exc:
            add_bad_input(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, "Welcome to Kithkin. Your network is empty: add someone, or import your contacts."
            )
            return redirect("followups:today")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.is_bound else 200)


def site_link(request: HttpRequest, path: str) -> str:
    """A link for a message that leaves this browser: on KITHKIN_BASE_URL when it is set, else on
    the address this request came to (its host checked against KITHKIN_ALLOWED_HOSTS)."""
    if settings.BASE_URL_SET:
        return f"{settings.BASE_URL}{path}"
    return request.build_absolute_uri(path)


@require_http_methods(["GET", "HEAD", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    """Asks for an address and mails it a reset link when an account has it. The answer is the
    same whether or not one does. Without mail, it says whom to ask for a link."""
    form = ForgotPasswordForm(request.POST if request.method == "POST" else None)
    if settings.EMAIL_CONFIGURED and form.is_bound and form.is_valid():
        email = form.cleaned_data["email"]
        users.send_password_reset(email, lambda token: site_link(request, reverse("accounts:reset_link", args=[token])))
        messages.info(
            request,
            f"If an account has the address {email}, a link to set a new password is on its way to it. "
            f"It works once, within {settings.LOGIN_LINK_MINUTES} minutes.",
        )
        return redirect("accounts:login")
    context = {"form": form, "mail": settings.EMAIL_CONFIGURED}
    return render(request, "accounts/password_forgot.html", context, status=400 if form.is_bound else 200)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def digest_off(request: HttpRequest, token: str) -> HttpResponse:
    """The link at the foot of each digest, and its List-Unsubscribe header. Opening it only asks
    (a link preview or a mail scanner that fetches it turns nothing off); its one button, or a
    mail program's one-click POST (RFC 8058, which carries no CSRF token: the signed token is
    the proof), turns the digest off. No sign-in needed."""
    account = token_owner(token)
    if account is None:
        return render(request, "accounts/digest_off.html", {"invalid": True}, status=404)
    if request.method == "POST":
        turn_off(account)
        return render(request, "accounts/digest_off.html", {"account": account, "done": True})
    return render(request, "accounts/digest_off.html", {"account": account})


def locked_out(request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None) -> HttpResponse:
    """The sign-in page django-axes answers with once an account or an address has failed too
    often (``AXES_LOCKOUT_CALLABLE``): what happened, and when to try again."""
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    until = clock.now() + timedelta(minutes=minutes)
    context = {
        "form": SignInForm(request),
        "next": request.POST.get("next", ""),
        "locked_until": until,
        "locked_minutes": minutes,
        **_sign_in_links(),
    }
    page = render(request, "accounts/login.html", context, status=429)
    page["Retry-After"] = str(minutes * 60)
    return page


def _password_form(user: User, data: QueryDict | None = None) -> SetPasswordForm | PasswordChangeForm:
    # The local owner the CLI creates has no password (it signs in with a link), so there is
    # no current one to ask for: it sets a first one.
    if user.has_usable_password():
        return PasswordChangeForm(user, data)
    return SetPasswordForm(user, data)


def _render_settings(
    request: AuthedRequest,
    form: SettingsForm,
    password_form: SetPasswordForm | PasswordChangeForm,
    *,
    status: int = 200,
) -> HttpResponse:
    context = {
        "nav": "settings",
        "form": form,
        "password_form": password_form,
        "has_password": request.user.has_usable_password(),
    }
    return render(request, "accounts/settings.html", context, status=status)


def _every(days: int | None) -> str:
    return f"every {days} days" if days else "no check-ins"


def _saved_note(before: Profile, after: Profile, address: str) -> str:
    """What changed that the user cannot see on the page they land on: check-ins moved."""
    moved = [
        f"{level.label}: {_every(after.cadence_for(level))} (was {_every(before.cadence_for(level))})"
        for level in Closeness
        if after.cadence_for(level) != before.cadence_for(level)
    ]
    note = "Settings saved."
    if moved:
        note += " Check-ins moved to the new cadence — " + "; ".join(moved) + "."
    if after.time_zone != before.time_zone:
        note += f" Dates and reminders now follow {after.time_zone}."
    if after.is_digest_on and (not before.is_digest_on or after.digest_time != before.digest_time):
        note += f" The daily digest goes to {address} each morning at {after.digest_time:%H:%M}."
    elif before.is_digest_on and not after.is_digest_on:
        note += " The daily digest is off."
    return note


def _settings_form(request: AuthedRequest, data: QueryDict | None = None) -> SettingsForm:
    return SettingsForm(data, profile=get_profile(request.user), blocks=routine_blocks(request.user))


@login_required
def settings_page(request: AuthedRequest) -> HttpResponse:
    """Every setting in one form, saved together or not at all; the password form posts elsewhere."""
    form = _settings_form(request, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        before = copy.copy(get_profile(request.user))
        try:
            profile = update_settings_and_blocks(request.user, **form.changes())
        except BadInput as exc:
            add_bad_input(form, exc, SERVICE_FIELDS)
        else:
            messages.success(request, _saved_note(before, profile, request.user.email))
            return redirect("accounts:settings")
    # Only a refused POST gets here with a bound form.
    return _render_settings(request, form, _password_form(request.user), status=400 if form.is_bound else 200)


@login_required
def change_password(request: AuthedRequest) -> HttpResponse:
    """Set a first password or change one; the session stays signed in."""
    if request.method != "POST":
        return redirect("accounts:settings")
    had_password = request.user.has_usable_password()
    password_form = _password_form(request.user, request.POST)
    if password_form.is_valid():
        user = password_form.save()
        # A new password changes the session hash; without this the user would be signed out.
        update_session_auth_hash(request, user)
        messages.success(request, "Password changed." if had_password else "Password set.")
        # The form posts to #password (so its errors are in view); a redirect without a
        # fragment would keep that one and scroll the success message away. #main is the top.
        return redirect(f"{reverse('accounts:settings')}#main")
    return _render_settings(request, _settings_form(request), password_form, status=400)
