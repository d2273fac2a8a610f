from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from kithkin.core import clock
from kithkin.core.http import AuthedRequest
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.followups.models import FollowUp
from kithkin.interactions.services import timeline
from kithkin.people.models import Person
from kithkin.people.services import effective_cadence, search_people

PAGE_SIZE = 50


@login_required
def person_list(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    people = search_people(request.user, query).select_related("organization").order_by("full_name", "id")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"nav": "people", "q": query, "page": page, "people": list(page.object_list)}
    template = "people/person_list.html#results" if request.htmx else "people/person_list.html"
    return render(request, template, context)


@login_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_owned_or_404(Person.objects.select_related("organization", "met_through"), request.user, pk=pk)
    context = {
        "nav": "people",
        "now": clock.now(),
        "person": person,
        "emails": list(person.emails.all()),
        "phones": list(person.phones.all()),
        "links": list(person.links.all()),
        "interests": list(person.interests.all()),
        "needs": list(person.needs.all()),
        "offers": list(person.offers.all()),
        "positions": list(person.positions.select_related("organization")),
        "touches": timeline(request.user, person),
        "follow_ups": list(
            FollowUp.objects.for_owner(request.user).pending().filter(person=person).select_related("person")
        ),
        "cadence": effective_cadence(person, request.user),
    }
    return render(request, "people/person_detail.html", context)


@login_required
def person_add(request: AuthedRequest) -> HttpResponse:
    return render(request, "people/person_add.html", {"nav": "add"})


@login_required
def prospect_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "people/prospect_list.html", {"nav": "prospects"})
