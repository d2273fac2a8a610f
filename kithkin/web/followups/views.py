from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.demo import build_demo_network
from kithkin.followups.milestones import apply_milestone_role, record_milestone
from kithkin.followups.models import FollowUp
from kithkin.followups.services import (
    complete_follow_up,
    due_counts,
    due_list,
    open_list,
    reopen_follow_up,
    skip_follow_up,
    snooze_follow_up,
    snooze_until,
    upcoming_list,
)
from kithkin.interactions.services import recent_touches
from kithkin.network.ranking import rank_check_ins
from kithkin.people.models import Milestone, Person
from kithkin.people.services import upcoming_birthdays
from kithkin.web.followups.forms import MilestoneForm, SnoozeForm
from kithkin.web.followups.today import today_panels
from kithkin.web.forms import plain
from kithkin.web.http import AuthedRequest, is_partial, render_page, safe_next

# Today shows the most pressing few of each kind; the due list pages through the rest. Check-ins
# are ranked by value (``network.ranking``) and only the best few are shown.
TODAY_ROWS = 15
TODAY_CHECK_INS = 5
DUE_PAGE = 50
# Today groups what is due by kind, the most time-sensitive first; each group most overdue first,
# but check-ins, most valuable first.
TODAY_GROUPS = [
    (FollowUp.Kind.THANK_YOU, "Say thank you"),
    (FollowUp.Kind.INTRODUCTION, "Introductions waiting"),
    (FollowUp.Kind.CLOSE_LOOP, "Close the loop"),
    (FollowUp.Kind.CONGRATULATE, "Congratulate"),
    (FollowUp.Kind.CUSTOM, "Reminders"),
    (FollowUp.Kind.CHECK_IN, "Check in"),
]
GROUP_TITLES: dict[str, str] = {str(kind): title for kind, title in TODAY_GROUPS}
UPCOMING_DAYS = 7
BIRTHDAYS_SHOWN = 8
DEMO_PEOPLE = 300


@login_required
def today(request: AuthedRequest) -> HttpResponse:
    user, now = request.user, clock.now()
    profile = get_profile(user)
    due = due_list(user, now).select_related("touch")
    counts = due_counts(user, now)
    groups = [
        {"kind": kind, "title": title, "rows": list(due.filter(kind=kind)[:TODAY_ROWS]), "count": counts[kind]}
        for kind, title in TODAY_GROUPS
        if counts.get(kind) and kind != FollowUp.Kind.CHECK_IN
    ]
    check_ins = rank_check_ins(user, now, limit=TODAY_CHECK_INS) if counts.get(FollowUp.Kind.CHECK_IN) else None
    birthdays, birthday_count = upcoming_birthdays(user, now.astimezone(profile.tz).date(), limit=BIRTHDAYS_SHOWN)
    context = {
        "nav": "today",
        "now": now,
        "birthdays": birthdays,
        "more_birthdays": birthday_count - len(birthdays),
        "groups": groups,
        "check_ins": check_ins,
        "more_check_ins": check_ins.total - len(check_ins.rows) if check_ins else 0,
        "check_in_title": GROUP_TITLES[FollowUp.Kind.CHECK_IN],
        "due_count": sum(counts.values()),
        "upcoming": list(upcoming_list(user, now, timedelta(days=UPCOMING_DAYS))[:TODAY_ROWS]),
        "local_today": now.astimezone(profile.tz).date(),
        "recent": recent_touches(user),
        "has_people": Person.objects.for_owner(user).exists(),
        "demo_people": DEMO_PEOPLE,
    }
    # What the apps above this one add: gives owed, introductions, events, the weekly routine.
    panels = today_panels(user, now)
    context["top_panels"] = [p for p in panels if p.where == "top"]
    context["main_panels"] = [p for p in panels if p.where == "main"]
    context["side_panels"] = [p for p in panels if p.where == "side"]
    return render_page(request, "followups/today.html", context, partial="today")


@login_required
@require_GET
def due(request: AuthedRequest) -> HttpResponse:
    """Every open follow-up, soonest first, fifty to a page; with ``kind``, what is due now of that
    kind (Today shows the first few of each and links here)."""
    kind = request.GET.get("kind", "")
    now = clock.now()
    if kind == FollowUp.Kind.CHECK_IN:
        return _ranked_check_ins(request, now)
    if not kind:
        rows = open_list(request.user).select_related("touch")
        title, sub = "All open follow-ups", "open"
    elif kind in GROUP_TITLES:
        rows = due_list(request.user, now).select_related("touch").filter(kind=kind)
        title, sub = GROUP_TITLES[kind], "due now"
    else:
        raise Http404("No such kind of follow-up.")
    page = Paginator(rows, DUE_PAGE).get_page(request.GET.get("page"))
    context = {"nav": "today", "now": now, "kind": kind, "title": title, "sub": sub, "page": page}
    return render(request, "followups/due_list.html", context)


def _ranked_check_ins(request: AuthedRequest, now: datetime) -> HttpResponse:
    """The due check-ins in Today's ranked order, fifty to a page, each saying why it is there."""
    count = due_list(request.user, now).filter(kind=FollowUp.Kind.CHECK_IN).count()
    page = Paginator(range(count), DUE_PAGE).get_page(request.GET.get("page"))
    ranked = rank_check_ins(request.user, now, limit=DUE_PAGE, offset=page.start_index() - 1 if count else 0)
    context = {
        "nav": "today",
        "now": now,
        "kind": FollowUp.Kind.CHECK_IN,
        "title": GROUP_TITLES[FollowUp.Kind.CHECK_IN],
        "sub": "due now, most worthwhile first",
        "page": page,
        "ranked": ranked.rows,
    }
    return render(request, "followups/due_list.html", context)


@login_required
@require_POST
def load_demo(request: AuthedRequest) -> HttpResponse:
    """The first-run button: a realistic sample network to look around in."""
    try:
        built = build_demo_network(request.user, people=DEMO_PEOPLE)
    except BadInput as exc:
        messages.error(request, plain(exc.message))
    else:
        messages.success(
            request,
            f"Loaded a demo network: {built['people']} people and {built['touches']:,} touches. "
            f"{built['due_now']} follow-ups are due now.",
        )
    return redirect("followups:today")


def _said(follow_up: FollowUp) -> str:
    """What a follow-up is, and whose, in words: the CLI's ``describe`` adds the id one types there."""
    return f"{follow_up.reason} ({follow_up.person.full_name})"


def _row(
    request: AuthedRequest, follow_up: FollowUp, message: str, *, note: str = "", acted: bool = True
) -> HttpResponse:
    """The follow-up's row for htmx (closed or snoozed, it says so and offers Undo; ``note`` beside
    it); for a plain form, ``message`` and back where the form was."""
    if is_partial(request):
        context = {"f": follow_up, "note": note, "acted": acted, "now": clock.now()}
        return render(request, "followups/_follow_up_row.html", context)
    messages.success(request, message)
    return redirect(safe_next(request, request.POST.get("next", ""), reverse("followups:today")))


def _act(
    request: AuthedRequest, pk: int, service: Callable[[User, FollowUp], FollowUp], verb: str, *, acted: bool = True
) -> HttpResponse:
    follow_up = get_owned_or_404(FollowUp, request.user, pk=pk)
    try:
        follow_up = service(request.user, follow_up)
    except BadInput as exc:
        return _row(request, follow_up, plain(exc.message), note=plain(exc.message))
    note = "Reopened." if not acted else ""
    return _row(request, follow_up, f"{verb}: {_said(follow_up)}", note=note, acted=acted)


@login_required
@require_POST
def done(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, complete_follow_up, "Done")


@login_required
@require_POST
def skip(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, skip_follow_up, "Skipped")


@login_required
@require_POST
def reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    """Undo a done, skip or snooze: the row comes back with its actions."""
    return _act(request, pk, reopen_follow_up, "Reopened", acted=False)


@login_required
@require_POST
def snooze(request: AuthedRequest, pk: int) -> HttpResponse:
    follow_up = get_owned_or_404(FollowUp, request.user, pk=pk)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _row(request, follow_up, error, note=error)
    try:
        follow_up = snooze_follow_up(request.user, follow_up, snooze_until(request.user, form.chosen()))
    except BadInput as exc:
        return _row(request, follow_up, plain(exc.message), note=plain(exc.message))
    until = follow_up.remind_at.astimezone(get_profile(request.user).tz)
    return _row(request, follow_up, f"Snoozed until {until:%a %-d %b, %H:%M}: {_said(follow_up)}")


# --- milestones (the form is a panel on the person's page) ----------------------------------------


def _person_page(pk: int) -> HttpResponse:
    return redirect(reverse("people:detail", args=[pk]) + "#milestones")


@login_required
@require_POST
def milestone_add(request: AuthedRequest, person_pk: int) -> HttpResponse:
    """Record a milestone; a congratulation falls due within 2 days."""
    person = get_owned_or_404(Person, request.user, pk=person_pk)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _person_page(person.pk)
    data = form.cleaned_data
    try:
        recorded = record_milestone(
            request.user,
            person,
            data["text"],
            kind=data["kind"],
            on=data["on"],
            organization=data["organization"],
            title=data["title"],
            apply_position=data["apply_position"],
        )
    except BadInput as exc:
        messages.error(request, plain(exc.message))
        return _person_page(person.pk)
    note = f"Milestone recorded for {person.full_name}."
    if recorded.follow_up is not None:
        note += f" {recorded.follow_up.reason}: due within 2 days."
    if recorded.milestone.is_position_applied:
        note += " Their role is updated."
    messages.success(request, note)
    return _person_page(person.pk)


@login_required
@require_POST
def milestone_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    """The user confirms a new job: it becomes the person's role, the old one kept as history."""
    milestone = get_owned_or_404(Milestone, request.user, pk=pk)
    try:
        apply_milestone_role(request.user, milestone)
    except BadInput as exc:
        messages.error(request, plain(exc.message))
    else:
        messages.success(request, "Role updated; the old one is kept in their history.")
    return _person_page(milestone.person_id)
