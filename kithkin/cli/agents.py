"""The agent server: mcp."""

from __future__ import annotations

import typer

from kithkin.cli.common import owner
from kithkin.mcp.stdio import serve_stdio

app = typer.Typer()


@app.command("mcp")
def mcp_command() -> None:
    """Serve the Model Context Protocol on stdin and stdout, for an agent that starts it (Claude
    Desktop and the like), acting for you. `kithkin serve` offers it over HTTP at /mcp, with a token."""
    serve_stdio(owner())
