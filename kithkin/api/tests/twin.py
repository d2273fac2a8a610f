"""Fixtures for the tests that hold the API's JSON against the command line's ``--json``: both
faces act for the same account (the CLI's local owner), on a frozen clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.cli.tests.conftest import kithkin  # noqa: F401  (the in-process CLI, for the tests that import this)
from kithkin.testing import run_json


@pytest.fixture
def owner(kithkin: Callable[..., tuple[int, str, str]]) -> User:  # noqa: F811
    return get_or_create_local_owner()


@pytest.fixture
def api(make_api: Callable[..., Any], owner: User) -> Any:
    return make_api(owner)


@pytest.fixture
def cli(kithkin: Callable[..., tuple[int, str, str]]) -> Callable[..., Any]:  # noqa: F811
    """``cli("asks")``: the command's --json output, parsed."""

    def run(*args: str) -> Any:
        return run_json(kithkin, *args)

    return run


def plain(data: Any) -> Any:
    """``data`` as JSON reads it back (tuples become lists)."""
    return json.loads(json.dumps(data))
