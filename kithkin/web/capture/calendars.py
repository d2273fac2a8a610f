"""Connected accounts: the calendars section and its pages. Follow a calendar by its secret iCal
address or a CalDAV account, sync one now, stop following one (asked first). The same services
as `kithkin calendar add/list/sync/remove`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from kithkin.capture.calendars import KINDS, add_caldav_account, add_calendar_url, describe, list_calendars
from kithkin.capture.services import Synced, get_source, remove_source, sync_source
from kithkin.core.errors import BadInput, NotFound
from kithkin.web.capture.forms import ConnectionForm
from kithkin.web.forms import add_bad_input
from kithkin.web.http import AuthedRequest


class CalendarUrlForm(ConnectionForm):
    id_prefix = "calendar"
    url = forms.CharField(
        label="Calendar address",
        max_length=2000,
        help_text="The calendar's private iCal address: in Google Calendar, Settings → your calendar → "
        "“secret address in iCal format”; in Outlook, Publish calendar → ICS; webcal:// works too.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off", "inputmode": "url"}),
    )


class CaldavForm(ConnectionForm):
    id_prefix = "caldav"
    url = forms.CharField(
        label="Server address",
        max_length=2000,
        help_text="The account's CalDAV address: https://cloud.example.com/remote.php/dav/ (Nextcloud), "
        "https://caldav.fastmail.com/, https://caldav.icloud.com/.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "inputmode": "url"}),
    )
    username = forms.CharField(label="User name", max_length=255, widget=forms.TextInput(attrs={"spellcheck": "false"}))
    password = forms.CharField(
        label="Password",
        max_length=500,
        help_text="An app password where the service gives them (iCloud, Fastmail). Kept encrypted, never shown again.",
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    calendars = forms.CharField(
        label="Only these calendars",
        required=False,
        max_length=2000,
        help_text="Their names, separated by commas; leave empty to follow every calendar of the account.",
    )


def section(request: AuthedRequest) -> dict[str, object]:
    """What the Connected accounts page shows of calendars."""
    return {
        "calendars": list_calendars(request.user),
        "calendar_url_form": CalendarUrlForm(),
        "caldav_form": CaldavForm(),
    }


def _connections() -> str:
    return reverse("capture:connections") + "#calendars"


def _add_page(
    request: AuthedRequest, url_form: CalendarUrlForm, caldav_form: CaldavForm, *, status: int = 200
) -> HttpResponse:
    context = {"nav": "settings", "calendar_url_form": url_form, "caldav_form": caldav_form}
    return render(request, "capture/calendar_add.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_add(request: AuthedRequest) -> HttpResponse:
    """Follow a calendar by its iCal address (fetched once first: one that gives no calendar is
    refused here, next to the address)."""
    if request.method != "POST":
        return _add_page(request, CalendarUrlForm(), CaldavForm())
    form = CalendarUrlForm(request.POST)
    if form.is_valid():
        try:
            source = add_calendar_url(request.user, form.cleaned_data["url"])
        except BadInput as exc:
            add_bad_input(form, exc)
        else:
            messages.success(request, f"Following {source.name}: its past meetings are logged at each sync.")
            return redirect(_connections())
    return _add_page(request, form, CaldavForm(), status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def caldav_add(request: AuthedRequest) -> HttpResponse:
    """Connect a CalDAV account: it signs in first, and a wrong password is said next to it."""
    if request.method != "POST":
        return _add_page(request, CalendarUrlForm(), CaldavForm())
    form = CaldavForm(request.POST)
    if form.is_valid():
        names = [name.strip() for name in form.cleaned_data["calendars"].split(",") if name.strip()]
        try:
            source = add_caldav_account(
                request.user,
                form.cleaned_data["url"],
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                calendars=names or None,
            )
        except BadInput as exc:
            add_bad_input(form, exc)
        else:
            messages.success(request, f"Connected {source.name}: its past meetings are logged at each sync.")
            return redirect(_connections())
    return _add_page(request, CalendarUrlForm(), form, status=400)


def _said(result: Synced) -> str:
    if not result.counts:
        return f"{result.source.name} is up to date: nothing new."
    return f"{result.source.name}: {describe(result.counts)}. The sync is listed in Imports, where it can be undone."


@login_required
@require_POST
def calendar_sync(request: AuthedRequest, pk: int) -> HttpResponse:
    """Sync one calendar now; what it did, or why it failed, is said on the page."""
    try:
        source = get_source(request.user, pk, KINDS)
    except NotFound:
        raise Http404("no such calendar") from None
    result = sync_source(request.user, source)
    if result.error:
        messages.error(request, result.error)
    else:
        messages.success(request, _said(result))
    return redirect(_connections())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask first (a plain page), then stop following the calendar and forget its address."""
    try:
        source = get_source(request.user, pk, KINDS)
    except NotFound:
        raise Http404("no such calendar") from None
    if request.method == "POST":
        remove_source(request.user, source.pk, KINDS)
        messages.success(request, f"Stopped following {source.name}. The touches it logged stay.")
        return redirect(_connections())
    return render(request, "capture/calendar_remove.html", {"nav": "settings", "source": source})
