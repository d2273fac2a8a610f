"""The web app: link, serve."""

from __future__ import annotations

from typing import Annotated

import typer
from django.conf import settings

from kithkin.accounts.services import create_login_token
from kithkin.cli.common import err, fail, out, owner
from kithkin.core.db import refresh_statistics
from kithkin.core.errors import BadInput
from kithkin.finder import semantic
from kithkin.server import link_address, shown_host, site_address
from kithkin.server import serve as run_server

app = typer.Typer()


@app.command()
def link(
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            metavar="EMAIL",
            help="For this account: the link signs them in and asks for a new password (a reset by hand).",
        ),
    ] = None,
) -> None:
    """Print a fresh one-time login link for a running `kithkin serve` (it asks before signing in)."""
    if user is not None:
        _reset_link(user)
        return
    token = create_login_token(owner())
    host, port = link_address()
    out.print(f"http://{host}:{port}/accounts/link/{token}/")


def _reset_link(email: str) -> None:
    from kithkin.accounts.users import account_by_email, sign_in_link_token

    try:
        token = sign_in_link_token(account_by_email(email, "--user"))
    except BadInput as exc:
        fail(f"--user: {exc.message}", 1)
    out.print(f"{site_address()}/accounts/reset/{token}/", markup=False, soft_wrap=True)
    err.print(
        f"It works once, within {settings.LOGIN_LINK_MINUTES} minutes: it signs them in and asks for a new password.",
        markup=False,
    )


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
