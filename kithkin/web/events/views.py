from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kithkin.accounts.services import get_profile
from kithkin.accounts.when import parse_user_when
from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.events.models import Event
from kithkin.events.services import (
    EventPlan,
    MetResult,
    add_event,
    delete_event,
    edit_event,
    event_figures,
    event_review,
    hoped_people,
    is_past,
    met,
    past_events,
    record_event_help,
    review_event,
    upcoming_events,
)
from kithkin.exchanges.models import Ask
from kithkin.followups.services import THANK_YOU_AFTER
from kithkin.interactions.services import resolve_participants
from kithkin.lib.names import clean_name
from kithkin.people.models import Person
from kithkin.web.events.forms import (
    HELP_FIELDS,
    MET_FIELDS,
    PLAN_FIELDS,
    WHEN_SUGGESTIONS,
    HelpForm,
    MetForm,
    PlanForm,
    VerdictForm,
)
from kithkin.web.forms import add_bad_input
from kithkin.web.http import AuthedRequest

PAST_PAGE = 25
UPCOMING_SHOWN = 50
# Events with no time of day given start in the evening, when most networking events do.
DEFAULT_TIME = time(18, 0)


def _new_names(request: AuthedRequest) -> list[str]:
    """The names confirmed as new (chips marked new), each once."""
    return list(dict.fromkeys(n for n in (clean_name(v)[:200] for v in request.POST.getlist("new")) if n))


def _owned_event(request: AuthedRequest, pk: int) -> Event:
    return get_owned_or_404(Event, request.user, pk=pk)


# --- the list ---------------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request: AuthedRequest) -> HttpResponse:
    """Upcoming events with their plans; past ones with what each gave, to see which are worth
    the time. A fixed number of queries whatever the number of events."""
    user, now = request.user, clock.now()
    upcoming = list(upcoming_events(user, now).prefetch_related("hopes__person")[:UPCOMING_SHOWN])
    page = Paginator(past_events(user, now), PAST_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    figures = event_figures(user, shown)
    context = {
        "nav": "events",
        "now": now,
        "upcoming": upcoming,
        "page": page,
        "past": [(event, figures[event.pk]) for event in shown],
    }
    return render(request, "events/event_list.html", context)


# --- the plan ---------------------------------------------------------------------------------


def _plan_page(request: AuthedRequest, event: Event | None) -> HttpResponse:
    """The plan form, for a new event or an existing one. Names typed for the people to meet that
    match no one come back as chips marked new, for the user to confirm (as quick capture does)."""
    user = request.user
    tz = get_profile(user).tz
    chosen: list[Person] = []
    new_names = _new_names(request)
    confirm_new: list[str] = []
    status = 200
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                chosen, unknown = resolve_participants(user, request.POST.getlist("person"), data["hopes"])
                starts_at = parse_user_when(
                    user, data["when"], field="when", prefer="future", default_time=DEFAULT_TIME
                )
                if unknown:
                    confirm_new = unknown
                    new_names = list(dict.fromkeys([*new_names, *unknown]))
                    form = PlanForm({**request.POST.dict(), "hopes": ""})
                    form.is_valid()
                else:
                    plan = EventPlan(
                        name=data["name"],
                        starts_at=starts_at,
                        where=data["where"],
                        goal=data["goal"],
                        pitch=data["pitch"],
                        starters=data["starters"].splitlines(),
                        circle=data["circle"],
                        hope_to_meet=[*chosen, *new_names],
                    )
                    planned = edit_event(user, event, plan) if event else add_event(user, plan)
                    added = "".join(f" Added {p.full_name} to the people you want to meet." for p in planned.added)
                    messages.success(request, ("Saved the plan." if event else "Planned.") + added)
                    return redirect("events:detail", pk=planned.event.pk)
            except BadInput as exc:
                add_bad_input(form, exc, PLAN_FIELDS)
        status = 400 if form.errors else 200
    else:
        form = PlanForm(initial=PlanForm.initial_for(event, tz) if event else None)
        chosen = hoped_people(user, event) if event else []
    context = {
        "nav": "events",
        "form": form,
        "event": event,
        "chosen": chosen,
        "new_names": new_names,
        "confirm_new": confirm_new,
        "when_suggestions": WHEN_SUGGESTIONS,
    }
    return render(request, "events/event_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: AuthedRequest) -> HttpResponse:
    return _plan_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _plan_page(request, _owned_event(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def event_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask first (a plain page), then forget the event."""
    event = _owned_event(request, pk)
    if request.method == "POST":
        delete_event(request.user, event)
        messages.success(request, f"Deleted {event.name}. The touches with the people you met there are kept.")
        return redirect("events:list")
    return render(request, "events/event_delete.html", {"nav": "events", "event": event})


# --- the event: the plan before, the review after -------------------------------------------


def _detail(
    request: AuthedRequest,
    event: Event,
    *,
    met_form: MetForm | None = None,
    chosen: Sequence[Person] = (),
    new_names: Sequence[str] = (),
    confirm_new: Sequence[str] = (),
    help_form: HelpForm | None = None,
    verdict_form: VerdictForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user, now = request.user, clock.now()
    review = event_review(user, event)
    # Gives and asks are with someone met there, or someone the user hoped to meet there.
    people = [m.person for m in review.met] + [h.person for h in review.hopes if not h.is_met]
    context: dict[str, Any] = {
        "nav": "events",
        "now": now,
        "event": event,
        "review": review,
        "figures": review.figures,
        "is_past": is_past(event, now),
        "met_form": met_form or MetForm(),
        "chosen": chosen,
        "new_names": new_names,
        "confirm_new": confirm_new,
        "help_form": help_form or HelpForm(people=people),
        "verdict_form": verdict_form or VerdictForm(initial=VerdictForm.initial_for(event)),
        "has_verdict": bool(event.verdict) or event.is_worth_again is not None,
        "editing_verdict": verdict_form is not None or request.GET.get("verdict") == "edit",
        "back": request.get_full_path(),
    }
    return render(request, "events/event_detail.html", context, status=status)


@login_required
@require_GET
def event_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, _owned_event(request, pk))


def _met_message(result: MetResult, tz: Any) -> str:
    people = ", ".join(p.full_name for p in result.met)
    text = f"Met at {result.event.name}: {people}." if result.met else ""
    if result.added:
        text += f" Added {len(result.added)} new {'person' if len(result.added) == 1 else 'people'} to your network."
    if result.already:
        text += " Already recorded: " + ", ".join(p.full_name for p in result.already) + "."
    if result.met and result.is_history:
        text += " The event was more than a week ago, so no thank-yous were asked for."
    elif result.met:
        due = result.event.starts_at + THANK_YOU_AFTER
        text += f" Thank-yous are due by {due.astimezone(tz):%a %-d %b, %H:%M}."
    return text.strip()


@login_required
@require_POST
def event_met(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add people met at the event: chosen people, and names new to the network once confirmed."""
    user = request.user
    event = _owned_event(request, pk)
    form = MetForm(request.POST)
    new_names = _new_names(request)
    chosen: list[Person] = []
    if form.is_valid():
        try:
            chosen, unknown = resolve_participants(user, request.POST.getlist("person"), form.cleaned_data["names"])
            if unknown:
                names = list(dict.fromkeys([*new_names, *unknown]))
                return _detail(request, event, chosen=chosen, new_names=names, confirm_new=unknown)
            if not chosen and not new_names:
                raise BadInput("names", "say whom you met")
            result = met(user, event, [*chosen, *new_names])
        except BadInput as exc:
            add_bad_input(form, exc, MET_FIELDS)
        else:
            messages.success(request, _met_message(result, get_profile(user).tz))
            return redirect(reverse("events:detail", args=[pk]) + "#met")
    return _detail(request, event, met_form=form, chosen=chosen, new_names=new_names, status=400)


@login_required
@require_POST
def event_verdict(request: AuthedRequest, pk: int) -> HttpResponse:
    event = _owned_event(request, pk)
    form = VerdictForm(request.POST)
    if form.is_valid():
        try:
            review_event(request.user, event, form.cleaned_data["verdict"], form.is_worth_again())
        except BadInput as exc:
            add_bad_input(form, exc)
        else:
            messages.success(request, "Saved your verdict.")
            return redirect(reverse("events:detail", args=[pk]) + "#verdict")
    return _detail(request, event, verdict_form=form, status=400)


@login_required
@require_POST
def event_help(request: AuthedRequest, pk: int) -> HttpResponse:
    """A give, help received or an ask that came from the event, into the ledger."""
    user = request.user
    event = _owned_event(request, pk)
    review = event_review(user, event)
    people = [m.person for m in review.met] + [h.person for h in review.hopes if not h.is_met]
    form = HelpForm(request.POST, people=people)
    if form.is_valid():
        data = form.cleaned_data
        person = next(p for p in people if p.pk == data["person"])
        try:
            row = record_event_help(user, event, person, data["direction"], data["what"], kind=data["kind"])
        except BadInput as exc:
            add_bad_input(form, exc, HELP_FIELDS)
        else:
            if isinstance(row, Ask):
                note = f"Noted an ask to {person.short_name}: {row.what}."
            elif data["direction"] == "got":
                note = f"Noted help from {person.short_name}: {row.what}. Thank them within 24 hours."
            else:
                note = f"Noted a give to {person.short_name}: {row.what}."
            messages.success(request, note)
            return redirect(reverse("events:detail", args=[pk]) + "#help")
    return _detail(request, event, help_form=form, status=400)
