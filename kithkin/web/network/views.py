"""Rekindle (/rekindle/): the quiet ties worth reviving, each with an opener, and acting on one."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from kithkin.core.shortcuts import get_owned_or_404
from kithkin.network.rekindle import keep_in_mind, let_go, reached_out, rekindle_list, snooze_rekindle
from kithkin.people.models import Person
from kithkin.web.http import AuthedRequest, is_partial

LIMIT = 20


@login_required
@require_GET
def rekindle(request: AuthedRequest) -> HttpResponse:
    """The list, best first: a fixed number of queries whatever the size of the network."""
    context = {"nav": "rekindle", "candidates": rekindle_list(request.user, limit=LIMIT)}
    return render(request, "network/rekindle.html", context)


def _act(request: AuthedRequest, pk: int, service: Callable[[User, Person], object], said: str) -> HttpResponse:
    """Run ``service`` on the person; htmx gets the card saying what was done, a plain form a
    message and the list again."""
    person = get_owned_or_404(Person, request.user, pk=pk)
    service(request.user, person)
    text = said.format(name=person.full_name)
    if is_partial(request):
        return render(request, "network/_acted.html", {"person": person, "said": text, "undo": said != REACHED_OUT})
    messages.success(request, text)
    return redirect("network:rekindle")


REACHED_OUT = "Logged that you reached out to {name}."


@login_required
@require_POST
def reached_out_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda user, person: reached_out(user, person), REACHED_OUT)


@login_required
@require_POST
def snooze(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, lambda user, person: snooze_rekindle(user, person), "{name} is off Rekindle for a quarter."
    )


@login_required
@require_POST
def let_go_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda user, person: let_go(user, person), "Let {name} go: they will not appear here.")


@login_required
@require_POST
def keep(request: AuthedRequest, pk: int) -> HttpResponse:
    """Undo a snooze or a let-go."""
    person = get_owned_or_404(Person, request.user, pk=pk)
    keep_in_mind(request.user, person)
    messages.success(request, f"{person.full_name} may appear on Rekindle again.")
    return redirect("network:rekindle")
