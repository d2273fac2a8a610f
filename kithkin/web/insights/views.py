"""Insights (/insights/): a picture of the whole network, each chart with a table of its numbers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kithkin.network.insights import insights
from kithkin.web.http import AuthedRequest
from kithkin.web.insights.figures import figures


@login_required
@require_GET
def insights_page(request: AuthedRequest) -> HttpResponse:
    """About a dozen queries, whatever the size of the network."""
    found = insights(request.user)
    return render(request, "insights/insights.html", {"nav": "insights", "found": found, "charts": figures(found)})
