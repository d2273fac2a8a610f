"""What the web answers when a request fails outside any view."""

from __future__ import annotations

import sys

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseServerError
from django.template.loader import render_to_string
from django.views import defaults

from kithkin.core.db import is_busy

# When even the layout cannot be drawn (a template broken, URLs that do not reverse), one sentence.
BARE_500 = (
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Something went wrong · Kithkin</title>'
    "<h1>Something went wrong</h1><p>Kithkin hit an error and could not finish this page. Try again in a moment; "
    'if it happens again, the server\'s log says why.</p><p><a href="/">Back to Today</a></p></html>'
)


def server_error(request: HttpRequest) -> HttpResponseBase:
    """Django's 500 (500.html: the layout's header, no signed-in navigation, no query, so it draws
    with the database down), except for a busy database: a write that waited out the busy timeout
    outside a view (saving the session after the response, say) answers 503 with Retry-After, as
    ``DatabaseBusyMiddleware`` does for the views. Neither page needs the request."""
    error = sys.exc_info()[1]
    try:
        if error is None or not is_busy(error):
            return defaults.server_error(request)
        body = render_to_string("503.html", {"retry_after": settings.BUSY_RETRY_AFTER, "appearance": "system"})
    except Exception:  # the error page must answer whatever else is broken
        return HttpResponseServerError(BARE_500)
    return HttpResponse(body, status=503, headers={"Retry-After": str(settings.BUSY_RETRY_AFTER)})
