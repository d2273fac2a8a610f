"""Factories (plain functions) and pytest fixtures shared by every app's tests."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client, override_settings

from kithkin.accounts.services import get_profile
from kithkin.core.scopes import unscoped
from kithkin.interactions.models import Touch
from kithkin.interactions.services import log_touch
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, add_person

UTC = ZoneInfo("UTC")
# The moment every frozen test starts at: a Sunday morning.
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def make_user(username: str = "alice", time_zone: str = "UTC") -> User:
    user = User.objects.create_user(username=username, password="a long enough password 1")
    profile = get_profile(user)
    profile.time_zone = time_zone
    profile.save()
    return user


def make_person(owner: User, name: str = "Ana Ruiz", **fields: Any) -> Person:
    return add_person(owner, name, PersonChanges(**fields))


def make_touch(
    owner: User, people: Person | Sequence[Person], kind: str = "coffee", at: datetime | None = None, **kwargs: Any
) -> Touch:
    participants = [people] if isinstance(people, Person) else list(people)
    return log_touch(owner, participants, kind, at or NOW, **kwargs)


@pytest.fixture(autouse=True)
def _scopes_disabled() -> Iterator[None]:
    """Every test runs with owner scopes disabled, as pretix's do. Services are tested by calling
    them directly, outside any face, and filter by owner themselves, so those tests still prove
    the filtering; the test client and the CLI harness go through the real edges (the
    middleware, the CLI's callback), which enter a real owner scope inside this one."""
    with unscoped():
        yield


# Django's default hasher (PBKDF2) is slow on purpose, about a quarter of a second a password, and
# make_user sets one for every alice and bob. Tests need a hash that checks, not one that resists
# cracking; the production settings keep Django's default.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache, in memory (the cached calendar feed of a user whose
    id a previous test used is not this test's)."""
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        cache.clear()
        yield


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    """The clock stopped at NOW; ``frozen.move_to(...)`` or ``frozen.shift(...)`` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice")


@pytest.fixture
def bob(db: None) -> User:
    return make_user("bob")


@pytest.fixture
def signed_in(client: Client, alice: User) -> Client:
    """Django's test client, signed in as alice (no password check: ``force_login``)."""
    client.force_login(alice)
    return client


def run_json(kithkin: Callable[..., tuple[int, str, str]], *args: str) -> Any:
    """The command's ``--json`` output, parsed; it must succeed with nothing on stderr."""
    code, out, err = kithkin(*args, "--json")
    assert (code, err) == (0, ""), err
    return json.loads(out)
