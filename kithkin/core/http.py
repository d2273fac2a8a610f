from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: the user is real and htmx details are attached."""

    user: User
    htmx: HtmxDetails
