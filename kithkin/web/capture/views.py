"""Settings → Connected accounts: the mailboxes, calendars and address books that keep the
network up to date by themselves, one section each (``mail``, ``calendars``, ``addressbooks``),
over the same services as `kithkin mail`, `kithkin calendar` and `kithkin addressbook`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kithkin.web.capture import addressbooks, calendars, mail
from kithkin.web.http import AuthedRequest


@login_required
@require_safe
def connections(request: AuthedRequest) -> HttpResponse:
    context: dict[str, object] = {"nav": "settings"}
    for kind in (mail, calendars, addressbooks):
        context.update(kind.section(request))
    return render(request, "capture/connections.html", context)
