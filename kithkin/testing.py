"""Factories (plain functions) and pytest fixtures shared by every app's tests."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import socketserver
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from kithkin.accounts.services import get_profile
from kithkin.core.scopes import unscoped
from kithkin.interactions.models import Touch
from kithkin.interactions.services import log_touch
from kithkin.network import ranking, signals
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
    id a previous test used is not this test's), and with nothing remembered in memory either.
    """
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        cache.clear()
        signals.forget()
        ranking.forget()
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


@contextmanager
def threads_on_their_own_connections(tmp_path: Path) -> Iterator[None]:
    """Threads started inside the block open connections that behave as other processes' would.

    On PostgreSQL each thread's connection already does. The tests' SQLite database is a shared
    cache in memory, where a write that meets another connection's lock fails at once ("database
    table is locked") instead of waiting out the busy timeout as a file database's does; so the
    block copies it to a file that the threads' connections open, with the settings' WAL and
    timeout. What the threads write stays in that file: assert on what they return or send."""
    if connection.vendor != "sqlite":
        yield
        return
    from django.db import connections

    copy = tmp_path / "threads.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    own = connections.settings["default"]
    connections.settings["default"] = {**own, "NAME": str(copy)}
    try:
        yield
    finally:
        connections.settings["default"] = own


@contextmanager
def _held_by_another_writer() -> Iterator[None]:
    """Another connection holds the database's write lock inside the block, as a long import or a
    restore would, and the busy timeout is a tenth of a second: every write fails as busy. Reads
    go on."""
    if connection.vendor == "sqlite":
        # The tests' in-memory database is a shared cache: a second connection to it holds the
        # write lock, and a write on the first fails at once (SQLITE_LOCKED).
        lite = sqlite3.connect(str(connection.settings_dict["NAME"]), uri=True, isolation_level=None)
        lite.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            lite.execute("ROLLBACK")
            lite.close()
        return
    import psycopg

    settings = connection.settings_dict
    options = settings["OPTIONS"]
    kept = options.get("options")
    options["options"] = "-c lock_timeout=100"
    connection.close()  # the next query connects with the short timeout
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )
    with other.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'django_session'")
        tables = ", ".join(f'"{name}"' for (name,) in cursor.fetchall())
        # Reads pass an EXCLUSIVE lock; writes wait for it.
        cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
    try:
        yield
    finally:
        other.rollback()
        other.close()
        options.pop("options", None)
        if kept is not None:
            options["options"] = kept
        connection.close()


@pytest.fixture
def busy_database(transactional_db: None) -> Callable[[], AbstractContextManager[None]]:
    """``with busy_database():`` runs the block while another writer holds the database (see
    ``_held_by_another_writer``). The test runs outside a transaction, so the lock is real."""
    return _held_by_another_writer


# --- a real SMTP server ----------------------------------------------------------------------------


@dataclass
class Delivered:
    """One message as the SMTP server received it: who it went to, and the message parsed."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    """What an SMTP server on 127.0.0.1 received; ``arrived`` is set at each delivery."""

    host: str
    port: int
    delivered: list[Delivered] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        """Its EMAIL_URL (plain SMTP, no TLS, no password)."""
        return f"smtp://{self.host}:{self.port}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd calls it by this name
        message = cast(EmailMessage, email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        self.delivered.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos), message))
        self.arrived.set()
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 for the block, stopped after it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox("127.0.0.1", _free_port())
    controller = Controller(mailbox, hostname=mailbox.host, port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 with Django's mail pointed at it (as EMAIL_URL would): what
    the code under test sends is delivered there for real, and read back from ``delivered``."""
    with (
        smtp_server() as box,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=box.host,
            EMAIL_PORT=box.port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=10,
            EMAIL_CONFIGURED=True,
        ),
    ):
        yield box


@dataclass
class DavServer:
    """A Radicale server on 127.0.0.1 (CalDAV and CardDAV) with one account."""

    url: str  # http://127.0.0.1:PORT/
    username: str
    password: str
    storage: Path  # Radicale's collections on disk

    def principal_url(self) -> str:
        return f"{self.url}{self.username}/"


@contextmanager
def dav_server(tmp: Path, *, username: str = "ana", password: str = "s3cret-app-password") -> Iterator[DavServer]:
    """A real CalDAV and CardDAV server (Radicale, its WSGI application served by wsgiref) on
    127.0.0.1 for the block, with ``username`` signing in with ``password``; stopped after it."""
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    import radicale
    import radicale.config

    users = tmp / "users"
    users.write_text(f"{username}:{password}\n")
    storage = tmp / "collections"
    configuration = radicale.config.load()
    configuration.update(
        {
            "auth": {"type": "htpasswd", "htpasswd_filename": str(users), "htpasswd_encryption": "plain"},
            "storage": {"filesystem_folder": str(storage)},
            "rights": {"type": "owner_only"},
            "logging": {"level": "warning", "mask_passwords": "True"},
        },
        "test",
        privileged=True,
    )
    application = radicale.Application(configuration)

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Threaded(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True

    httpd = make_server("127.0.0.1", 0, application, server_class=Threaded, handler_class=Quiet)
    thread = threading.Thread(target=httpd.serve_forever, name="radicale", daemon=True)
    thread.start()
    try:
        yield DavServer(f"http://127.0.0.1:{httpd.server_port}/", username, password, storage)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)
