from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.http import AuthedRequest
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.followups.forms import SnoozeForm
from kithkin.followups.models import FollowUp
from kithkin.followups.services import complete_follow_up, due_list, skip_follow_up, snooze_follow_up
from kithkin.people.services import search_people

DUE_PAGE = 50
# Today groups what is due by kind, the most time-sensitive first; each group most overdue first.
TODAY_GROUPS = [
    (FollowUp.Kind.THANK_YOU, "Say thank you"),
    (FollowUp.Kind.CLOSE_LOOP, "Close the loop"),
    (FollowUp.Kind.CUSTOM, "Reminders"),
    (FollowUp.Kind.CHECK_IN, "Check in"),
]
UPCOMING_DAYS = 7


@login_required
def today(request: AuthedRequest) -> HttpResponse:
    now = clock.now()
    due = due_list(request.user, now)
    counts = dict(due.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    groups = [
        {"kind": kind, "title": title, "rows": list(due.filter(kind=kind)[:DUE_PAGE]), "count": counts[kind]}
        for kind, title in TODAY_GROUPS
        if counts.get(kind)
    ]
    upcoming = (
        FollowUp.objects.for_owner(request.user)
        .pending()
        .filter(remind_at__gt=now, remind_at__lte=now + timedelta(days=UPCOMING_DAYS))
        .select_related("person")
        .order_by("remind_at", "id")
    )
    has_people = search_people(request.user).exists()
    context = {
        "nav": "today",
        "now": now,
        "groups": groups,
        "due_count": sum(counts.values()),
        "upcoming": list(upcoming[:20]),
        "has_people": has_people,
    }
    return render(request, "followups/today.html", context)


def _row(request: AuthedRequest, follow_up: FollowUp, note: str) -> HttpResponse:
    if request.htmx:
        return render(request, "followups/_follow_up_row.html", {"f": follow_up, "note": note, "acted": True})
    messages.success(request, note)
    return redirect(request.POST.get("next") or "followups:today")


def _close(request: AuthedRequest, pk: int, service: Callable[[User, FollowUp], FollowUp], note: str) -> HttpResponse:
    follow_up = get_owned_or_404(FollowUp, request.user, pk=pk)
    try:
        follow_up = service(request.user, follow_up)
    except BadInput as exc:
        return _row(request, follow_up, exc.message)
    return _row(request, follow_up, note)


@login_required
@require_POST
def done(request: AuthedRequest, pk: int) -> HttpResponse:
    return _close(request, pk, complete_follow_up, "Done.")


@login_required
@require_POST
def skip(request: AuthedRequest, pk: int) -> HttpResponse:
    return _close(request, pk, skip_follow_up, "Skipped.")


@login_required
@require_POST
def snooze(request: AuthedRequest, pk: int) -> HttpResponse:
    follow_up = get_owned_or_404(FollowUp, request.user, pk=pk)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        return _row(request, follow_up, " ".join(str(e) for errors in form.errors.values() for e in errors))
    try:
        follow_up = snooze_follow_up(request.user, follow_up, form.until_at(clock.now(), get_profile(request.user).tz))
    except BadInput as exc:
        return _row(request, follow_up, exc.message)
    return _row(
        request,
        follow_up,
        f"Snoozed until {follow_up.remind_at.astimezone(get_profile(request.user).tz):%a %-d %b, %H:%M}.",
    )
