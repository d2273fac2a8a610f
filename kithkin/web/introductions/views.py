from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.refs import parse_id, parse_ids
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.introductions import drafts
from kithkin.introductions.models import Introduction
from kithkin.introductions.services import (
    CLOSED_STATES,
    DRAFT_FOR,
    HOW_DID_IT_GO_AFTER,
    NUDGE_AFTER,
    Step,
    action_label,
    allowed_actions,
    decline_match,
    draft_message,
    history,
    introductions,
    next_step,
    open_follow_ups,
    propose_introduction,
    set_intro_templates,
    state_counts,
    step_introduction,
)
from kithkin.network.suggest import propose_suggestion, suggestions
from kithkin.people.models import Person
from kithkin.web.forms import add_bad_input, plain
from kithkin.web.http import AuthedRequest, is_partial, render_page, safe_next
from kithkin.web.introductions.forms import ProposeForm, StepForm, TemplatesForm

State = Introduction.State

# The open states, in the order an introduction moves through them, with what the user does there.
OPEN_GROUPS = [
    (State.PROPOSED, "Proposed: ask A"),
    (State.ASKED_A, "Waiting for A's answer"),
    (State.A_AGREED, "A agreed: ask B"),
    (State.ASKED_B, "Waiting for B's answer"),
    (State.B_AGREED, "Both agreed: introduce them"),
    (State.INTRODUCED, "Introduced: how did it go?"),
]
GROUP_ROWS = 20
CLOSED_ROWS = 20
PAGE_SIZE = 50
PROPOSE_FIELDS = {"a": "a_name", "b": "b_name"}


@dataclass(frozen=True)
class Row:
    """An introduction as a list shows it: where it is and the buttons for what comes next."""

    intro: Introduction
    next: str
    actions: list[tuple[str, str]]


def _row(intro: Introduction) -> Row:
    return Row(intro, next_step(intro), [(a, action_label(intro, a)) for a in allowed_actions(intro)])


def _picked(owner: User, data: QueryDict, key: str) -> Person | None:
    """The person chosen for A or B, kept as a chip when the form comes back with an error."""
    pk = next(iter(parse_ids(data.getlist(key))), None)
    return Person.objects.for_owner(owner).filter(pk=pk).first() if pk is not None else None


@login_required
@require_http_methods(["GET", "POST"])
def introduction_list(request: AuthedRequest) -> HttpResponse:
    """Introductions grouped by state, each with its next step; the propose form posts here."""
    user = request.user
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            a = form.person(user, request.POST, "a")
            b = form.person(user, request.POST, "b")
            intro = propose_introduction(user, a, b, form.cleaned_data["why"])
        except BadInput as exc:
            add_bad_input(form, exc, PROPOSE_FIELDS)
        else:
            messages.success(
                request, f"Proposed introducing {a.full_name} to {b.full_name}. First, ask {a.short_name}."
            )
            return redirect("introductions:detail", pk=intro.pk)
    picks = request.POST if request.method == "POST" else request.GET
    context: dict[str, Any] = {
        "nav": "introductions",
        "form": form,
        "picked_a": _picked(user, picks, "a"),
        "picked_b": _picked(user, picks, "b"),
        "back": request.get_full_path(),
        "now": clock.now(),
    }
    state = request.GET.get("state", "")
    if state in State.values:
        page = Paginator(introductions(user).filter(state=state), PAGE_SIZE).get_page(request.GET.get("page"))
        context |= {"state": state, "state_label": State(state).label, "page": page}
        context["rows"] = [_row(intro) for intro in page.object_list]
    else:
        context |= _grouped(user)
    return render_page(request, "introductions/introduction_list.html", context, status=400 if form.errors else 200)


def _grouped(user: User) -> dict[str, Any]:
    """The open groups (the first few of each) and the latest closed ones: a fixed number of queries."""
    counts = state_counts(user)
    groups = [
        {
            "state": state,
            "title": title,
            "count": counts[state],
            "rows": [
                _row(i) for i in introductions(user).filter(state=state).order_by("updated_at", "id")[:GROUP_ROWS]
            ],
        }
        for state, title in OPEN_GROUPS
        if counts.get(state)
    ]
    closed_count = sum(counts.get(state, 0) for state in CLOSED_STATES)
    closed = introductions(user).filter(state__in=CLOSED_STATES)[:CLOSED_ROWS] if closed_count else []
    return {
        "groups": groups,
        "closed": [_row(i) for i in closed],
        "closed_count": closed_count,
        "closed_counts": [(s, State(s).label, counts[s]) for s in CLOSED_STATES if counts.get(s)],
        "total": sum(counts.values()),
    }


@login_required
@require_GET
def introduction_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One introduction: its next step with the message to send, its steps so far, its follow-ups."""
    user = request.user
    intro = get_owned_or_404(introductions(user).prefetch_related("person_a__emails", "person_b__emails"), user, pk=pk)
    kind = DRAFT_FOR.get(intro.state)
    draft = draft_message(user, intro, kind) if kind else None
    context = {
        "nav": "introductions",
        "now": clock.now(),
        "row": _row(intro),
        "intro": intro,
        "history": history(intro),
        "draft": draft,
        "draft_title": _draft_title(intro, kind),
        "draft_sent": intro.state in (State.ASKED_A, State.ASKED_B, State.INTRODUCED),
        "follow_ups": open_follow_ups(user, intro),
        "gives": list(intro.exchanges.filter(owner=user).select_related("person").order_by("id")),
        "step_form": StepForm(),
    }
    return render(request, "introductions/introduction_detail.html", context)


def _draft_title(intro: Introduction, kind: str | None) -> str:
    a, b = intro.person_a.short_name, intro.person_b.short_name
    return {
        drafts.Kind.ASK_A: f"The message to {a}",
        drafts.Kind.ASK_B: f"The message to {b}",
        drafts.Kind.INTRODUCE: f"The introduction email to {a} and {b}",
    }.get(kind or "", "")


def _said(owner: User, done: Step, action: str) -> str:
    """What a step did, in a sentence for the page."""
    intro = done.introduction
    a, b = intro.person_a.short_name, intro.person_b.short_name
    tz = get_profile(owner).tz
    nudge_on = (clock.now() + NUDGE_AFTER).astimezone(tz)
    ask_on = (clock.now() + HOW_DID_IT_GO_AFTER).astimezone(tz)
    return {
        "ask-a": f"Asked {a}. If there is no answer, Kithkin reminds you to nudge them on {nudge_on:%a %-d %b}.",
        "a-yes": f"{a} said yes. Next: ask {b}.",
        "a-no": f"{a} said no: the introduction stops here, and nothing is asked of {b}.",
        "ask-b": f"Asked {b}. If there is no answer, Kithkin reminds you to nudge them on {nudge_on:%a %-d %b}.",
        "b-yes": f"{b} said yes. Next: introduce them.",
        "b-no": f"{b} said no: the introduction stops here.",
        "introduce": f"Introduced, and recorded as a give to both. Ask them how it went on {ask_on:%a %-d %b}.",
        "outcome": "Outcome recorded.",
        "drop": "Dropped.",
    }[action]


def _back(request: AuthedRequest, intro: Introduction) -> str:
    return safe_next(request, request.POST.get("next", ""), reverse("introductions:detail", args=[intro.pk]))


@login_required
@require_POST
def introduction_step(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take one step: in place in a list (htmx), or as a plain form that goes back where it came from."""
    user = request.user
    intro = get_owned_or_404(introductions(user), user, pk=pk)
    form = StepForm(request.POST)
    failed = True
    if not form.is_valid():
        note = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        try:
            done = step_introduction(user, intro, form.cleaned_data["action"], text=form.cleaned_data["text"])
        except BadInput as exc:
            note = plain(exc.message)
        else:
            intro, note, failed = done.introduction, _said(user, done, form.cleaned_data["action"]), False
    if is_partial(request):
        context = {"row": _row(intro), "note": note, "failed": failed, "acted": True, "back": _back(request, intro)}
        return render(request, "introductions/_introduction_row.html", context, status=400 if failed else 200)
    (messages.error if failed else messages.success)(request, note)
    return redirect(_back(request, intro))


@login_required
@require_http_methods(["GET", "POST"])
def introduction_templates(request: AuthedRequest) -> HttpResponse:
    """The wording of the three messages, with the placeholders they can use."""
    profile = get_profile(request.user)
    form = TemplatesForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_intro_templates(
                request.user,
                ask_a=data["intro_ask_a_template"],
                ask_b=data["intro_ask_b_template"],
                introduce=data["intro_email_template"],
            )
        except BadInput as exc:
            add_bad_input(form, exc)
        else:
            messages.success(request, "Message templates saved.")
            return redirect("introductions:templates")
    context = {
        "nav": "introductions",
        "form": form,
        "placeholders": drafts.PLACEHOLDERS,
        "is_default": {kind: not getattr(profile, name) for kind, name in drafts.PROFILE_FIELDS.items()},
    }
    return render(request, "introductions/introduction_templates.html", context, status=400 if form.errors else 200)


SUGGESTED_SHOWN = 30


@login_required
@require_GET
def suggested_list(request: AuthedRequest) -> HttpResponse:
    """Introductions worth making across the network, best first, each to propose or hide."""
    context = {"nav": "introductions", "suggestions": suggestions(request.user, limit=SUGGESTED_SHOWN)}
    return render(request, "introductions/suggested_list.html", context)


def _pair(request: AuthedRequest) -> tuple[Person, Person]:
    """The two people a suggestion's form names: someone else's, or none, is a 404."""
    user = request.user
    a = get_owned_or_404(Person, user, pk=parse_id(request.POST.get("a", "")))
    b = get_owned_or_404(Person, user, pk=parse_id(request.POST.get("b", "")))
    return a, b


@login_required
@require_POST
def suggested_propose(request: AuthedRequest) -> HttpResponse:
    """Propose the suggested introduction; its page shows the first message to send."""
    a, b = _pair(request)
    try:
        intro = propose_suggestion(request.user, a, b)
    except BadInput as exc:
        messages.error(request, plain(exc.message))
        return redirect("introductions:suggested")
    messages.success(
        request,
        f"Proposed introducing {intro.person_a.full_name} to {intro.person_b.full_name}. "
        f"First, ask {intro.person_a.short_name}: the message is below.",
    )
    return redirect("introductions:detail", pk=intro.pk)


@login_required
@require_POST
def suggested_hide(request: AuthedRequest) -> HttpResponse:
    """Not a good match: the pair is never suggested again (in place with htmx: the row goes)."""
    a, b = _pair(request)
    decline_match(request.user, a, b)
    if is_partial(request):
        return HttpResponse("")
    messages.success(request, f"{a.full_name} and {b.full_name} will not be suggested again.")
    return redirect("introductions:suggested")
