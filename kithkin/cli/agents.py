"""The agent server: mcp."""

from __future__ import annotations

import typer

from kithkin.cli.common import owner

app = typer.Typer()


@app.command("mcp")
def mcp_command() -> None:
    """Serve the Model Context Protocol on stdin and stdout, for an agent that starts it (Claude
    Desktop and the like), acting for you. `kithkin serve` offers it over HTTP at /mcp, with a token."""
    # Imported here, not at the top: the MCP SDK takes about a second to import, which `kithkin
    # --help` (and the warm process, which builds every command) would otherwise pay.
    from kithkin.mcp.stdio import serve_stdio

    serve_stdio(owner())
