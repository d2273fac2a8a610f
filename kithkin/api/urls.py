"""The API's URLs: /api/v1/ (the OpenAPI document at /api/v1/openapi.json, its page at /api/v1/docs).
An address under /api/ that names no route (``/api/v1/people/-1``) is a problem too, not a page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from kithkin.api.main import api
from kithkin.api.problems import problem


@csrf_exempt  # no cookie is read here, and any method gets the same 404
def no_such_route(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem(404, "Not found", "no route of the API is there; /api/v1/docs lists them")


urlpatterns = [path("api/v1/", api.urls), re_path(r"^api/(?P<rest>.*)$", no_such_route, name="api_no_such_route")]
