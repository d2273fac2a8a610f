"""The owner sweep over every route of the API: with Alice's network present, Bob's token sends
her ids in paths, query strings and bodies; a route about one of her objects is a 404, and a list
or search shows no trace of her. Routes are read from the OpenAPI document, so a route added
later is swept without a change here (a new path parameter must be added to ``alices``)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest

from kithkin.api.main import api as ninja_api
from kithkin.api.tests.scene import small_network
from kithkin.events.services import EventPlan, add_event
from kithkin.exchanges.services import record_ask, record_exchange, save_resource
from kithkin.goals.services import add_goal
from kithkin.imports.services import import_file, stash_upload
from kithkin.introductions.services import propose_introduction
from kithkin.testing import NOW

pytestmark = pytest.mark.usefixtures("frozen")

PARAM = re.compile(r"\{(\w+)\}")
# Her people, organizations and words: none may reach Bob.
HER_WORDS = ["Ana Ruiz", "Bo Lindqvist", "Cy Ng", "Dee Park", "Zed Quinn", "ana@acme.example", "Stripe", "Shape Up"]
# Answers with nothing of anyone's: the introductions' default wording, whose help names an
# example person ("Ana Ruiz (Product Lead at Acme)") who happens to share a name with Alice's.
SAME_FOR_EVERYONE = {"/api/v1/introductions/templates"}


def routes() -> list[tuple[str, str, dict[str, Any]]]:
    schema = ninja_api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


ROUTES = routes()


@pytest.fixture
def alices(alice) -> dict[str, Any]:
    """Each path parameter the API knows, and Alice's object of that kind."""
    scene = small_network(alice)
    ask = record_ask(alice, scene.ana, "an intro to a designer")
    exchange = record_exchange(alice, scene.ana, "gave", "a book on pricing")
    resource, _new = save_resource(alice, "https://example.org/shape-up", title="Shape Up", topics=["product"])
    intro = propose_introduction(alice, scene.cy, scene.dee, "design mentoring")
    event = add_event(alice, EventPlan(name="Fintech meetup", starts_at=NOW + timedelta(days=3))).event
    goal = add_goal(alice, "Move into payments", organizations=["Stripe"], people=[scene.ana])
    imported = import_file(alice, "csv", b"name,email\nZed Quinn,zed@quinn.example\n", "people.csv").import_id
    assert imported is not None
    upload = stash_upload(alice, b"name,email\nZed Quinn,zed@quinn.example\n", "people.csv", "csv")
    return {
        "person_id": scene.ana.pk,
        "touch_id": scene.touch.pk,
        "follow_up_id": scene.thank_you.pk,
        "exchange_id": exchange.pk,
        "ask_id": ask.pk,
        "resource_id": resource.pk,
        "intro_id": intro.pk,
        "event_id": event.pk,
        "goal_id": goal.pk,
        "import_id": imported,
        "upload_token": upload,
    }


def _value(name: str, prop: dict[str, Any], alices: dict[str, int]) -> Any:
    """A value for a field that names one of Alice's objects where it can: her person's id."""
    kinds = {prop.get("type")} | {p.get("type") for p in prop.get("anyOf", [])}
    if "array" in kinds:
        return [str(alices["person_id"])]
    if "integer" in kinds:
        return alices.get(f"{name}_id", alices["person_id"])
    if "boolean" in kinds:
        return False
    return str(alices.get(f"{name}_id", alices["person_id"]))


def _body(operation: dict[str, Any], schemas: dict[str, Any], alices: dict[str, int]) -> Any:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    schema = content["application/json"]["schema"]
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    props = schema.get("properties", {})
    # The required fields, and whom it is about when that is optional (one of several ways to say it).
    names = [*schema.get("required", props), *(["person"] if "person" in props else [])]
    return {name: _value(name, props[name], alices) for name in names}


def _query(operation: dict[str, Any], alices: dict[str, int]) -> dict[str, Any]:
    """Her person's id, her organization's name, her words, in the parameters that take them
    (an organization only where no person is asked for: one of the two)."""
    names = {param["name"] for param in operation.get("parameters", []) if param["in"] == "query"}
    hers = {"person": alices["person_id"], "search": "Ana", "question": "who knows fintech"}
    query = {name: value for name, value in hers.items() if name in names}
    if "organization" in names and "person" not in query:
        query["organization"] = "Stripe"
    return query


def _url(path: str, alices: dict[str, int]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in alices:
            pytest.fail(f"{path}: add the path parameter {name!r} to `alices` in test_owner_sweep.py")
        return str(alices[name])

    return PARAM.sub(substitute, path).removeprefix("/api/v1")


def _names_of_people(data: Any) -> list[tuple[int, str]]:
    """Every (id, name) pair in the answer: how a person is referred to."""
    if isinstance(data, dict):
        found = [(data["id"], data["name"])] if {"id", "name"} <= data.keys() else []
        return found + [pair for value in data.values() for pair in _names_of_people(value)]
    if isinstance(data, list):
        return [pair for value in data for pair in _names_of_people(value)]
    return []


@pytest.fixture
def unthrottled(monkeypatch):
    monkeypatch.setattr(ninja_api.throttle[0], "num_requests", 100_000)


def test_every_path_parameter_has_one_of_alices_objects(alices):
    for _method, path, _operation in ROUTES:
        _url(path, alices)


@pytest.mark.usefixtures("unthrottled")
@pytest.mark.parametrize(("method", "path", "operation"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_bob_never_reaches_alices_data(make_api, alice, bob, alices, method, path, operation):
    schemas = ninja_api.get_openapi_schema()["components"]["schemas"]
    theirs = make_api(bob)
    url, body = _url(path, alices), _body(operation, schemas, alices)
    query = _query(operation, alices)
    if method == "GET":
        answer = theirs.get(url, query)
    else:
        answer = theirs.send(
            method, url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""), body
        )
    text = (b"".join(answer.streaming_content) if answer.streaming else answer.content).decode()
    if PARAM.search(path):
        assert answer.status_code == 404, f"{method} {path} with Alice's ids answered {answer.status_code}: {text}"
    else:
        assert answer.status_code < 500, text
    for word in [] if path in SAME_FOR_EVERYONE else HER_WORDS:
        assert word not in text, f"{method} {path} shows Bob Alice's {word!r}: {text}"
    if answer["Content-Type"].endswith("json") and text:
        her_people = set(alices.values()) & {pair[0] for pair in _names_of_people(json.loads(text))}
        assert not her_people - _bobs_ids(bob), f"{method} {path} shows Bob ids of Alice's: {text}"


def _bobs_ids(bob) -> set[int]:
    from kithkin.people.models import Person

    return set(Person.objects.filter(owner=bob).values_list("pk", flat=True))


@pytest.mark.parametrize(("method", "path", "operation"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_every_route_refuses_a_request_without_a_token(make_api, alices, method, path, operation):
    anonymous = make_api(None)
    answer = anonymous.send(method, _url(path, alices), {})
    assert answer.status_code == 401, f"{method} {path} answered {answer.status_code} without a token"
    assert answer["Content-Type"] == "application/problem+json"
