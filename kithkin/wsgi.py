"""The WSGI application: Django, with the agent server (kithkin/mcp) answering ``/mcp``."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")


class Application:
    """Django's WSGI app, and in front of it the agent server at ``/mcp`` (its own app, an ASGI
    one through a2wsgi: see ``kithkin.mcp.http``), loaded by the first request to it."""

    def __init__(self) -> None:
        self.django = get_wsgi_application()
        self._agents: Any = None
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/mcp" or path.startswith("/mcp/"):
            return self._agent_endpoint()(environ, start_response)
        return self.django(environ, start_response)

    def _agent_endpoint(self) -> Any:
        with self._lock:
            if self._agents is None:
                from kithkin.mcp.http import Endpoint

                self._agents = Endpoint()
            return self._agents

    def close(self) -> None:
        """Stop what the agent server runs beside the request threads (its event loop)."""
        if self._agents is not None:
            self._agents.close()


application = Application()
