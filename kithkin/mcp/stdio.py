"""`kithkin mcp`: the agent server on standard input and output, for a desktop agent that starts
it (Claude Desktop and the like). It acts for the local owner, as every command does, and may
write: whoever can start it can run any `kithkin` command as well."""

from __future__ import annotations

from typing import Any

import anyio
from django.contrib.auth.models import User

from kithkin.mcp.agent import Caller, build_agent


def serve_stdio(user: User) -> None:
    """Answer MCP messages on stdin and stdout until the agent closes them."""
    caller = Caller(user, may_write=True)

    def identify(request: Any) -> Caller:
        return caller

    anyio.run(build_agent(identify).run_stdio_async)
