"""What the web answers when a request fails outside any view."""

from __future__ import annotations

import sys

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.views import defaults

from kithkin.core.db import is_busy


def server_error(request: HttpRequest) -> HttpResponseBase:
    """Django's 500, except for a busy database: a write that waited out the busy timeout outside
    a view (saving the session after the response, say) answers 503 with Retry-After, as
    ``DatabaseBusyMiddleware`` does for the views. The page needs no request and no query: the
    database is busy."""
    error = sys.exc_info()[1]
    if error is None or not is_busy(error):
        return defaults.server_error(request)
    body = render_to_string("503.html", {"retry_after": settings.BUSY_RETRY_AFTER})
    return HttpResponse(body, status=503, headers={"Retry-After": str(settings.BUSY_RETRY_AFTER)})
