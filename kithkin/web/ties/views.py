"""Organizations (/organizations/), who knows whom (/ties/...), and turning a warm path into an ask."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.refs import parse_id
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.goals.models import GoalOrganization
from kithkin.network.paths import ask_for_introduction, paths_to_organization
from kithkin.network.ties import record_tie, remove_tie
from kithkin.people.models import Organization, Person, Position
from kithkin.people.services import add_role, find_person, parse_role_day, remove_role
from kithkin.web.forms import plain
from kithkin.web.http import AuthedRequest

ORGS_SHOWN = 100
PEOPLE_SHOWN = 50
PATHS_SHOWN = 8


@login_required
@require_GET
def organization_list(request: AuthedRequest) -> HttpResponse:
    """The organizations with the most of your people first, or those whose name has ``q``."""
    query = request.GET.get("q", "").strip()[:200]
    orgs = Organization.objects.for_owner(request.user)
    if query:
        orgs = orgs.filter(name__icontains=query)
    rows = list(orgs.annotate(n=Count("people")).order_by("-n", "name")[:ORGS_SHOWN])
    context = {"nav": "organizations", "organizations": rows, "q": query, "total": orgs.count()}
    return render(request, "ties/organization_list.html", context)


@login_required
@require_GET
def organization_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who works there, who used to, who could get you in, and the goals it is a target of."""
    user = request.user
    org = get_owned_or_404(Organization, user, pk=pk)
    now_there = Person.objects.for_owner(user).filter(organization=org).order_by("full_name", "id")
    former_ids = (
        Position.objects.for_owner(user)
        .filter(organization=org, ended_on__isnull=False)
        .exclude(person__organization=org)
        .values("person_id")
    )
    before = Person.objects.for_owner(user).filter(pk__in=former_ids).order_by("full_name", "id")
    goals = GoalOrganization.objects.for_owner(user).filter(organization=org).select_related("goal")
    context = {
        "nav": "organizations",
        "organization": org,
        "now_there": list(now_there.select_related("organization")[:PEOPLE_SHOWN]),
        "now_count": now_there.count(),
        "before": list(before[:PEOPLE_SHOWN]),
        "before_count": before.count(),
        "paths": paths_to_organization(user, org, now=clock.now(), limit=PATHS_SHOWN),
        "goals": [g.goal for g in goals],
    }
    return render(request, "ties/organization_detail.html", context)


def _back_to(person: Person, anchor: str) -> HttpResponse:
    return redirect(reverse("people:detail", args=[person.pk]) + anchor)


@login_required
@require_POST
def knows(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record that this person knows someone else of yours (named in ``other``), and how."""
    person = get_owned_or_404(Person, request.user, pk=pk)
    try:
        other = find_person(request.user, request.POST.get("other", "").strip() or " ", "other")
        record_tie(request.user, person, other, request.POST.get("how", ""))
    except BadInput as exc:
        messages.error(request, f"{exc.field.capitalize()}: {exc.message}")
    else:
        messages.success(request, f"Noted: {person.full_name} knows {other.full_name}.")
    return _back_to(person, "#knows")


@login_required
@require_POST
def not_known(request: AuthedRequest, pk: int, other: int) -> HttpResponse:
    """This tie is wrong: it goes, and is never found again."""
    person = get_owned_or_404(Person, request.user, pk=pk)
    them = get_owned_or_404(Person, request.user, pk=other)
    remove_tie(request.user, person, them)
    messages.success(request, f"Removed: Kithkin will not link {person.full_name} and {them.full_name} again.")
    return _back_to(person, "#knows")


@login_required
@require_POST
def add_role_view(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=pk)
    data = request.POST
    try:
        started = parse_role_day(data.get("from", ""), "from")
        ended = parse_role_day(data.get("to", ""), "to", end=True)
        add_role(
            request.user,
            person,
            data.get("organization", ""),
            title=data.get("title", ""),
            started_on=started,
            ended_on=ended,
        )
    except BadInput as exc:
        messages.error(request, f"{exc.field.capitalize()}: {exc.message}")
    else:
        messages.success(request, f"Added a role to {person.full_name}.")
    return _back_to(person, "#roles")


@login_required
@require_POST
def remove_role_view(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=pk)
    position = get_owned_or_404(Position, request.user, pk=parse_id(request.POST.get("role")) or 0, person=person)
    remove_role(request.user, position)
    messages.success(request, f"Removed a role from {person.full_name}.")
    return _back_to(person, "#roles")


@login_required
@require_POST
def ask_intro(request: AuthedRequest) -> HttpResponse:
    """Turn a path into an ask: it goes in the ledger, and the message to the introducer is shown."""
    user, data = request.user, request.POST
    introducer = get_owned_or_404(Person, user, pk=parse_id(data.get("introducer")) or 0)
    target_id, org_id = parse_id(data.get("person")), parse_id(data.get("organization"))
    target = get_owned_or_404(Person, user, pk=target_id) if target_id else None
    org = get_owned_or_404(Organization, user, pk=org_id) if org_id else None
    try:
        done = ask_for_introduction(user, introducer, target=target, organization=org, why=data.get("why", ""))
    except BadInput as exc:
        messages.error(request, plain(exc.message))
        if target is not None:
            return redirect("people:detail", pk=target.pk)
        return redirect("ties:organization", pk=org.pk) if org else redirect("people:list")
    return render(request, "ties/ask_done.html", {"done": done, "draft": done.draft, "nav": "people"})
