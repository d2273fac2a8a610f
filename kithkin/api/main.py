"""The API's one NinjaAPI: its routers, token auth, rate limit, owner scope and problem errors."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import orjson
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import BaseRenderer

from kithkin.api import idempotency
from kithkin.api.auth import ReadOnlyToken, TokenAuth, TokenThrottle, access_of
from kithkin.api.docs import OfflineSwagger
from kithkin.api.problems import PROBLEM, Problem, problem, validation_problem
from kithkin.core.db import is_busy
from kithkin.core.errors import BadFile, BadInput, NotFound
from kithkin.core.scopes import owner_scope

logger = logging.getLogger(__name__)

DESCRIPTION = """\
Your Kithkin network over HTTP: people, touches, follow-ups, the ledger, introductions, events,
goals, imports, exports and the network's features, with the same data the command line's `--json`
gives.

Every request carries a personal access token: `Authorization: Bearer kk_...`. Make one with
`kithkin token create --name NAME` or in Settings → Access tokens; a read-only token
(`--read-only`) cannot write. Errors are `application/problem+json` naming the field to fix.
Lists take `limit` and `offset`; the body is the list as `--json` prints it, and the
`X-Total-Count` and `Link` (rel="next", rel="prev") headers tell how many match and where the
neighbouring pages are. A POST with an `Idempotency-Key`
header may be sent again safely: the second answer is the first one.
"""


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


# Answers any route may give, whatever it declares: no or a bad token, too many requests, a busy
# database; and on writes a read-only token, and on POSTs an Idempotency-Key in use or reused.
EVERY_ROUTE = {401: "Unauthorised", 429: "Too many requests", 503: "Busy"}
WRITES = {403: "Read-only token"}
POSTS = {409: "Request in progress"}
# A route that takes anything (a path id, a query, a body) may be sent a value that does not read.
TAKES_VALUES = {422: "Invalid request"}


class KithkinAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """ninja's document, with the problems every route may answer with, each as
        ``application/problem+json`` (ninja would say application/json)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        ref = "#/components/schemas/Problem"
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        defs = schema["components"]["schemas"]["Problem"].pop("$defs", {})
        schema["components"]["schemas"].update(defs)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                answers = operation.setdefault("responses", {})
                extra = EVERY_ROUTE | (WRITES if method != "get" else {}) | (POSTS if method == "post" else {})
                if operation.get("parameters") or operation.get("requestBody") or method == "post":
                    extra = extra | TAKES_VALUES
                for status, title in extra.items():
                    answers.setdefault(status, {"description": title})
                for status, answer in answers.items():
                    if int(status) >= 400:
                        answer["content"] = {PROBLEM: {"schema": {"$ref": ref}}}
        return schema


api = KithkinAPI(
    title="Kithkin API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    renderer=ORJSONRenderer(),
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def in_owner_scope(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run the view as the token's account, in its owner scope (the API's OwnerScopeMiddleware)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        user = access_of(request).user
        request.user = user
        with owner_scope(user):
            return view(request, *args, **kwargs)

    return wrapper


def finish(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every answer is private and never stored; a replayed one says so."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = run(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        if getattr(request, idempotency.REPLAYED, False):
            response["Idempotent-Replayed"] = "true"
        return response

    return wrapper


# Outermost first: the scope is entered before the idempotency key is looked up.
api.add_decorator(idempotency.idempotent, mode="operation")
api.add_decorator(in_owner_scope, mode="operation")
api.add_decorator(finish, mode="view")


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(
        401,
        "Unauthorised",
        "send a personal access token as 'Authorization: Bearer kk_...' (kithkin token create)",
    )
    response["WWW-Authenticate"] = 'Bearer realm="kithkin"'
    return response


@api.exception_handler(ReadOnlyToken)
def _read_only(request: HttpRequest, exc: ReadOnlyToken) -> HttpResponse:
    return problem(403, "Read-only token", "this token may read but not write; make one without --read-only")


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return problem(429, "Too many requests", f"at most {settings.API_RATE} per token; try again shortly")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return validation_problem(request, list(exc.errors))


@api.exception_handler(BadInput)
def _bad_input(request: HttpRequest, exc: BadInput) -> HttpResponse:
    if isinstance(exc, NotFound):
        return problem(404, "Not found", exc.message, field=exc.field)
    if isinstance(exc, BadFile):
        return problem(
            400, "Unreadable file", exc.message, field="file", file=exc.filename, line=exc.line, column=exc.column
        )
    return problem(400, "Invalid value", f"{exc.field}: {exc.message}", field=exc.field)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, "Not found", "nothing of yours is there")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, str(exc.message) or "Error")


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if is_busy(exc):
        response = problem(503, "Busy", "the database is busy with another change; try again in a moment")
        response["Retry-After"] = "5"
        return response
    logger.exception("API error on %s %s", request.method, request.path)
    return problem(500, "Server error", "something went wrong on the server; nothing was changed")


def _routers() -> None:
    from kithkin.api import (
        events,
        exports,
        followups,
        goals,
        imports,
        introductions,
        ledger,
        network,
        people,
        touches,
    )

    api.add_router("/people", people.router)
    api.add_router("/people", touches.timeline_router)
    api.add_router("/people", network.strength_router)
    api.add_router("/touches", touches.router)
    api.add_router("/follow-ups", followups.router)
    api.add_router("", ledger.router)
    api.add_router("/introductions", introductions.router)
    api.add_router("/events", events.router)
    api.add_router("/goals", goals.router)
    api.add_router("/imports", imports.router)
    api.add_router("/exports", exports.router)
    api.add_router("", network.router)


_routers()
