"""Connected accounts: the mail section and its pages. Connect a mailbox (the form is in the
section; a refused one comes back on a page of its own with its errors), sync one now, remove one
after a confirmation, and add or dismiss the people mail suggests. The same services as
`kithkin mail`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from kithkin.capture import services
from kithkin.capture.mail import (
    accept_suggestion,
    add_mail_account,
    dismiss_suggestion,
    mail_suggestions,
    sync_summary,
)
from kithkin.capture.models import Source
from kithkin.core.errors import BadInput, NotFound
from kithkin.web.capture.forms import ConnectionForm
from kithkin.web.forms import add_bad_input
from kithkin.web.http import AuthedRequest

MAIL = (Source.Kind.MAIL,)


class MailAccountForm(ConnectionForm):
    id_prefix = "mail"
    host = forms.CharField(label="IMAP server", max_length=255, help_text="e.g. imap.fastmail.com")
    port = forms.IntegerField(
        label="Port", required=False, min_value=1, max_value=65535, help_text="993 with TLS, 143 otherwise."
    )
    security = forms.ChoiceField(label="Security", choices=Source.Security.choices, initial=Source.Security.TLS)
    username = forms.CharField(label="User name", max_length=255, help_text="Often your email address.")
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(render_value=False),
        help_text="An app password, where your provider has them. It is kept encrypted, never shown again.",
    )
    # Rarely needed: the folders are found by their special use, and the user's own addresses are
    # their account's and each mailbox's.
    sent = forms.CharField(
        label="Sent folder",
        max_length=255,
        required=False,
        help_text="Only if Kithkin does not find it by itself, e.g. “Sent Items”.",
    )
    inbox = forms.CharField(label="Inbox folder", max_length=255, required=False, help_text="Only if it is not INBOX.")
    me = forms.CharField(
        label="Your other addresses",
        required=False,
        help_text="Aliases or old addresses of yours, separated by commas, so that mail from them counts as yours.",
    )


def section(request: AuthedRequest) -> dict[str, object]:
    """What the Connected accounts page shows of mail."""
    return {
        "mail_accounts": services.list_sources(request.user, Source.Kind.MAIL),
        "mail_form": MailAccountForm(),
        "mail_suggestions": mail_suggestions(request.user),
    }


def _connections() -> HttpResponse:
    return redirect(reverse("capture:connections") + "#mail")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add(request: AuthedRequest) -> HttpResponse:
    """Sign in to the mailbox, then keep it; a refusal shows the form again with why."""
    form = MailAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source = add_mail_account(
                request.user,
                host=data["host"],
                port=data["port"],
                username=data["username"],
                password=data["password"],
                security=data["security"],
                sent_folder=data["sent"].strip() or None,
                inbox_folder=data["inbox"].strip() or None,
                me=[a.strip() for a in data["me"].split(",") if a.strip()],
            )
        except BadInput as exc:
            add_bad_input(form, exc, {"user": "username"})
        else:
            messages.success(request, f"Connected {source.name}. “Sync now” reads it.")
            return _connections()
    status = 400 if request.method == "POST" else 200
    return render(request, "capture/mail_add.html", {"nav": "settings", "form": form}, status=status)


def _source(request: AuthedRequest, pk: int) -> Source:
    try:
        return services.get_source(request.user, pk, MAIL)
    except NotFound:
        raise Http404("no such mailbox") from None


@login_required
@require_POST
def sync(request: AuthedRequest, pk: int) -> HttpResponse:
    """Read what is new in one mailbox now."""
    synced = services.sync_source(request.user, _source(request, pk))
    if synced.error:
        messages.error(request, synced.error)
    else:
        messages.success(request, f"{sync_summary(synced)}.")
    return _connections()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask first (a plain page), then forget the mailbox and its password."""
    source = _source(request, pk)
    if request.method == "POST":
        services.remove_source(request.user, source.pk, MAIL)
        messages.success(request, f"Removed {source.name}. What its syncs logged stays.")
        return _connections()
    return render(request, "capture/mail_remove.html", {"nav": "settings", "source": source})


@login_required
@require_POST
def accept(request: AuthedRequest) -> HttpResponse:
    """Add a suggested correspondent to the network."""
    try:
        person = accept_suggestion(request.user, request.POST.get("address", ""))
    except NotFound:
        raise Http404("no such correspondent") from None
    except BadInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Added {person.full_name}.")
    return _connections()


@login_required
@require_POST
def dismiss(request: AuthedRequest) -> HttpResponse:
    """Never suggest this correspondent again."""
    try:
        found = dismiss_suggestion(request.user, request.POST.get("address", ""))
    except NotFound:
        raise Http404("no such correspondent") from None
    messages.success(request, f"{found.name or found.address} will not be suggested again.")
    return _connections()
