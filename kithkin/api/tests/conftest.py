"""The API's test harness: a token for alice (and bob), and a client that sends it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.accounts.tokens import create_token


class Api:
    """Django's test client speaking to /api/v1/ with a token: ``api.get("/people")``."""

    def __init__(self, client: Client, secret: str | None) -> None:
        self.client = client
        self.secret = secret

    def _headers(self, headers: dict[str, str] | None) -> dict[str, Any]:
        sent: dict[str, Any] = {"HTTP_HOST": "127.0.0.1"}
        if self.secret:
            sent["HTTP_AUTHORIZATION"] = f"Bearer {self.secret}"
        for name, value in (headers or {}).items():
            sent["HTTP_" + name.upper().replace("-", "_")] = value
        return sent

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get("/api/v1" + path, params or {}, **self._headers(headers))

    def send(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        call = getattr(self.client, method.lower())
        return call("/api/v1" + path, body, content_type="application/json", **self._headers(headers))

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.send("POST", path, body, headers)

    def patch(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.send("PATCH", path, body, headers)


@pytest.fixture
def make_api(client: Client) -> Callable[..., Api]:
    def make(user: User | None, *, read_only: bool = False) -> Api:
        return Api(client, create_token(user, "test", read_only=read_only).secret if user else None)

    return make


@pytest.fixture
def api(make_api: Callable[..., Api], alice: User) -> Api:
    return make_api(alice)


# The command line's in-process harness, to compare the API's answers with `--json`'s.
from kithkin.cli.tests.conftest import kithkin  # noqa: E402, F401


@pytest.fixture
def me(request: pytest.FixtureRequest) -> User:
    """The command line's account (the local owner, in Europe/Madrid), for the API to answer as."""
    request.getfixturevalue("kithkin")  # sets the owner's time zone as the command line has it
    return get_or_create_local_owner()
