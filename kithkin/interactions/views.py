from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from kithkin.core.http import AuthedRequest


@login_required
def capture(request: AuthedRequest) -> HttpResponse:
    return render(request, "interactions/capture.html", {"nav": "capture"})
