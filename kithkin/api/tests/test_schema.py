"""The API against its own OpenAPI document, through a real server: schemathesis sends every
operation examples made from the document (authorised as Alice, with a small network present)
and finds no server error and no answer the document does not describe (its status, content
type, headers and body). A fixed number of examples per operation, derandomised: the same
requests on every run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import schemathesis
import time_machine
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kithkin.accounts.tokens import create_token
from kithkin.api.main import api as ninja_api
from kithkin.api.tests.scene import small_network
from kithkin.testing import NOW
from kithkin.tests.live_server import running_server

# Enough to reach every operation's answers (found, not found, refused), few enough for seconds;
# with requests the document allows, and with requests it does not (each must be refused with a
# problem the document declares, never a server error).
EXAMPLES = 10
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def server(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    throttles = ninja_api.throttle
    assert isinstance(throttles, list)
    monkeypatch.setattr(throttles[0], "num_requests", 100_000)
    with time_machine.travel(NOW, tick=True), running_server() as address:
        yield address


def test_the_openapi_document_is_valid_openapi_3(server: str) -> None:
    answer = requests.get(f"{server}/api/v1/openapi.json", timeout=10)
    assert answer.status_code == 200 and answer.json()["openapi"].startswith("3.")
    schema = schemathesis.openapi.from_url(f"{server}/api/v1/openapi.json")
    schema.validate()  # against the OpenAPI 3 meta-schema; raises on any error


def test_every_operation_answers_as_the_document_says(server: str, alice) -> None:
    small_network(alice)
    headers = {"Authorization": f"Bearer {create_token(alice, 'schemathesis').secret}"}
    schema = schemathesis.openapi.from_url(f"{server}/api/v1/openapi.json")
    session = requests.Session()
    failures: list[str] = []
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"schemathesis cannot read an operation: {result.err()}"
        operations.append(result.ok())
    for operation, mode in [(op, mode) for mode in MODES for op in operations]:

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case: schemathesis.Case) -> None:
            response = case.call(base_url=server, session=session, headers=headers, timeout=30)
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            check()
        except Exception as failure:  # every operation's failures, not only the first one's
            failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {failure}")
    assert not failures, "\n\n".join(failures)


def test_no_two_shapes_share_a_name():
    """The OpenAPI document names each shape by its class: two classes of one name would be one
    entry, and one route would be documented with the other's shape."""
    import importlib
    import pkgutil

    from ninja import Schema

    import kithkin.api

    seen: dict[str, str] = {}
    for module in pkgutil.iter_modules(kithkin.api.__path__):
        loaded = importlib.import_module(f"kithkin.api.{module.name}")
        for value in vars(loaded).values():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == loaded.__name__:
                assert value.__name__ not in seen, f"{value.__name__} in {loaded.__name__} and {seen[value.__name__]}"
                seen[value.__name__] = loaded.__name__
