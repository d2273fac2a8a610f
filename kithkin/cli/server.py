"""The web app: link, serve."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.accounts.services import create_login_token
from kithkin.cli.common import out, owner
from kithkin.core.db import refresh_statistics
from kithkin.finder import semantic
from kithkin.server import link_address, shown_host
from kithkin.server import serve as run_server

app = typer.Typer()


@app.command()
def link() -> None:
    """Print a fresh one-time login link for a running `kithkin serve` (it asks before signing in)."""
    token = create_login_token(owner())
    host, port = link_address()
    out.print(f"http://{host}:{port}/accounts/link/{token}/")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    threads: Annotated[int, typer.Option("--threads", min=1, max=64)] = 8,
) -> None:
    """Serve the web app (waitress) and print a one-time login link."""
    user = owner()
    refresh_statistics()
    # With the semantic extra, the model loads (seconds) while the first page is read, not on
    # the first question.
    semantic.load_in_background()
    url = f"http://{shown_host(host)}:{port}/accounts/link/{create_login_token(user)}/"
    out.print(
        f"Kithkin is running. Open this link and press its button to sign in (it works once):\n\n    {url}\n\nPress Ctrl+C to stop."
    )
    run_server(host=host, port=port, threads=threads)
