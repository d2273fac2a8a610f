"""The agent server over streamable HTTP at ``/mcp``, inside the WSGI server of `kithkin serve`.

A request must carry a personal access token (``Authorization: Bearer kk_...``): it is checked
here, in the server's request thread, like any request's database work, and without one (or with
one unknown, revoked, or of a disabled account) the answer is 401 and the MCP app never sees the
request. The token's account is what the tools act for; a read-only token's writes are refused
by the tools (``agent._acting``).

The MCP SDK's HTTP transport is an ASGI app that needs its session manager running for as long
as it serves. ``Endpoint`` runs both on an asyncio event loop in a thread of its own, started by
the first request, and hands each request to the app through a2wsgi (WSGI to ASGI). The app is
stateless and answers in JSON (no session to keep between requests, no event stream held open),
which suits a thread-per-request WSGI server. ``close`` stops the loop and its thread; the next
request starts them again.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterable
from typing import Any, cast

from a2wsgi import ASGIMiddleware
from django.db import close_old_connections
from mcp.server.transport_security import TransportSecuritySettings

from kithkin.accounts.tokens import Access, authenticate
from kithkin.mcp.agent import Caller, build_agent

PATH = "/mcp"
ACCESS_KEY = "kithkin.access"
UNAUTHORIZED = (
    b'{"error": "unauthorized", "detail": "send a personal access token: Authorization: Bearer kk_...'
    b' (kithkin token create --name NAME makes one)"}'
)


def bearer_token(environ: dict[str, Any]) -> str | None:
    scheme, _, secret = str(environ.get("HTTP_AUTHORIZATION", "")).partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip() or None


def identify(request: Any) -> Caller:
    """The caller of an HTTP request: the access its token gave, which ``Endpoint`` put in the
    WSGI environment (a2wsgi hands it on in the ASGI scope)."""
    access: Access = request.scope["wsgi_environ"][ACCESS_KEY]
    return Caller(access.user, may_write=access.may_write)


class _Running:
    """The MCP app and its session manager, running on an event loop in a thread of its own."""

    def __init__(self) -> None:
        agent = build_agent(identify)
        # The token is what authorises a request; a browser page cannot send one, so the Host
        # check against DNS rebinding is not needed (and would refuse a server reached by name).
        app = agent.streamable_http_app(
            streamable_http_path=PATH,
            stateless_http=True,
            json_response=True,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        self.manager = agent.session_manager
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.stop: asyncio.Event | None = None
        self.thread = threading.Thread(target=self._run, name="kithkin-mcp", daemon=True)
        self.thread.start()
        self.ready.wait(timeout=30)
        self.wsgi = ASGIMiddleware(app, loop=self.loop)  # type: ignore[arg-type]

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._serve())
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
        finally:
            self.ready.set()
            self.loop.close()

    async def _serve(self) -> None:
        self.stop = asyncio.Event()
        async with self.manager.run():
            self.ready.set()
            await self.stop.wait()

    def close(self) -> None:
        if self.stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has ended already
                self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(timeout=10)


class Endpoint:
    """The WSGI app that answers ``/mcp``: checks the token, then hands over to the MCP app."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: _Running | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        secret = bearer_token(environ)
        close_old_connections()
        try:
            access = authenticate(secret) if secret else None
        finally:
            close_old_connections()
        if access is None:
            start_response(
                "401 Unauthorized",
                [
                    ("Content-Type", "application/json"),
                    ("WWW-Authenticate", 'Bearer realm="kithkin"'),
                    ("Content-Length", str(len(UNAUTHORIZED))),
                ],
            )
            return [UNAUTHORIZED]
        environ[ACCESS_KEY] = access
        return self._app()(cast(Any, environ), start_response)

    def _app(self) -> ASGIMiddleware:
        with self._lock:
            if self._running is None:
                self._running = _Running()
            return self._running.wsgi

    def close(self) -> None:
        """Stop the MCP app's event loop and thread, if they run (a later request starts them again)."""
        with self._lock:
            running, self._running = self._running, None
        if running is not None:
            running.close()
