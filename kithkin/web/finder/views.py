"""Ask (/ask/?q=...): the network asked a question in plain words, each match with why."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kithkin.core.errors import BadInput
from kithkin.finder.services import ask
from kithkin.web.http import AuthedRequest

LIMIT = 20


@login_required
@require_GET
def ask_view(request: AuthedRequest) -> HttpResponse:
    """With no question, the box and examples; with one, who matches it (a fixed number of
    queries whatever the size of the network)."""
    q = request.GET.get("q", "").strip()[:300]
    context: dict[str, object] = {"nav": "people", "q": q, "ask_q": q, "answer": None, "error": ""}
    if q:
        try:
            context["answer"] = ask(request.user, q, limit=LIMIT)
        except BadInput as exc:
            context["error"] = exc.message
    return render(request, "finder/ask.html", context, status=400 if context["error"] else 200)
