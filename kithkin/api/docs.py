"""The API's docs page, /api/v1/docs: Swagger UI from django-ninja's own copy, never a CDN.

django-ninja renders its offline page only when it is an installed app; Kithkin keeps it out of
INSTALLED_APPS (every command would load it) and finds its template and static files by path
(``NINJA_DIR`` in kithkin/settings.py), so this page renders that template itself.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class OfflineSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api, "add_csrf": False}
        return render(request, self.template, context)
