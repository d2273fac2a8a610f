"""The network graph (/graph/): the page, with the people shown as a table for readers without the
drawing, and the JSON the drawing is made from (graph.js)."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from kithkin.core import clock
from kithkin.core.choices import Circle
from kithkin.core.errors import BadInput
from kithkin.network.graph import DEFAULT_LIMIT, MAX_LIMIT, Graph, GraphPerson, graph_data
from kithkin.network.serialize import graph_to_data
from kithkin.people.services import filter_suggestions
from kithkin.web.forms import Form
from kithkin.web.http import AuthedRequest, render_page

# How many people the page offers to show, strongest first.
LIMITS = (100, DEFAULT_LIMIT, MAX_LIMIT)


class GraphFilterForm(Form):
    circle = forms.ChoiceField(required=False, choices=[("", "Any circle"), *Circle.choices])
    organization = forms.CharField(required=False, max_length=200)
    interest = forms.CharField(required=False, max_length=300)
    limit = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[(n, str(n)) for n in LIMITS], label="Show"
    )


def _limit(text: str | None) -> int:
    if not text:
        return DEFAULT_LIMIT
    if not text.isdigit():
        raise BadInput("limit", f"not a number: {text!r}")
    return int(text)


def _knows(graph: Graph) -> dict[int, list[GraphPerson]]:
    """Whom each person shown knows among the others shown, for the table."""
    by_id = {p.id: p for p in graph.people}
    knows: dict[int, list[GraphPerson]] = defaultdict(list)
    for tie in graph.ties:
        knows[tie.first_id].append(by_id[tie.second_id])
        knows[tie.second_id].append(by_id[tie.first_id])
    return knows


def _page_url(filters: dict[str, str], limit: int) -> str:
    query = {**filters, **({"limit": str(limit)} if limit != DEFAULT_LIMIT else {})}
    return reverse("graph:page") + (f"?{urlencode(query)}" if query else "")


@login_required
@require_GET
def graph_page(request: AuthedRequest) -> HttpResponse:
    """The filters, the drawing's place (graph.js fills it from ``graph:data``), and the same
    people as a table: the page itself without JavaScript. A filter the network cannot read (an
    old link) is ignored, as on the People list."""
    user = request.user
    # The number shown is always one of the choices, also when the query string has none.
    form = GraphFilterForm({"limit": str(DEFAULT_LIMIT)} | request.GET.dict())
    form.is_valid()
    filters = {name: form.cleaned_data.get(name) or "" for name in ("circle", "organization", "interest")}
    limit = form.cleaned_data.get("limit") or DEFAULT_LIMIT
    graph = graph_data(user, **filters, limit=limit, now=clock.now())
    knows = _knows(graph)
    suggestions = filter_suggestions(user)
    context = {
        "nav": "graph",
        "form": form,
        "filters": filters,
        "graph": graph,
        "rows": [(p, knows.get(p.id, [])) for p in graph.people],
        "clusters": [(c, _page_url(c.filters, limit) if c.filters else None) for c in graph.clusters],
        "data_url": reverse("graph:data") + (f"?{request.GET.urlencode()}" if request.GET else ""),
        "org_suggestions": suggestions.organizations,
        "interest_suggestions": suggestions.interests,
    }
    return render_page(request, "network/graph.html", context, partial="results")


@login_required
@require_GET
def graph_json(request: AuthedRequest) -> JsonResponse:
    """The graph for the drawing: ``?circle=&organization=&interest=&limit=``. A filter it
    cannot read is a 400 naming the field."""
    user = request.user
    params = request.GET
    try:
        graph = graph_data(
            user,
            circle=params.get("circle"),
            organization=params.get("organization"),
            interest=params.get("interest"),
            limit=_limit(params.get("limit")),
            cluster_by=params.get("cluster_by") or None,
            now=clock.now(),
        )
    except BadInput as exc:
        return JsonResponse({"errors": {exc.field: exc.message}}, status=400)
    you = user.get_full_name() or user.get_username()
    return JsonResponse(graph_to_data(graph, you=you, person_url=lambda pk: reverse("people:detail", args=[pk])))
