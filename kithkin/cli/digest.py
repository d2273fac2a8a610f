"""The daily digest: digest (print it, or send it now) and worker (send them as they fall due, and
sync the connected accounts)."""

from __future__ import annotations

import signal
import threading
from typing import Annotated, Any

import typer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from kithkin.capture.schedule import run_schedule
from kithkin.cli.common import out, owner
from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.scopes import owner_scope, unscoped
from kithkin.digest.services import check_can_send, compose, render, send

app = typer.Typer()


def _account(email: str | None) -> User:
    """The local owner, or the account whose own address is ``email``."""
    if email is None:
        return owner()
    # Unscoped: the address is what tells which account it is.
    with unscoped():
        found = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if found is None:
        raise BadInput("user", f"no account has the address {email}")
    return found


@app.command()
def digest(
    send_now: Annotated[
        bool, typer.Option("--send", help="Send it to your address now, instead of printing it.")
    ] = False,
    user: Annotated[
        str | None, typer.Option("--user", help="The account with this address (a server's), not the local one.")
    ] = None,
) -> None:
    """Print today's digest as the morning email has it (plain text), or send it now with --send."""
    account = _account(user)
    with owner_scope(account):
        if send_now:
            check_can_send(account)
            send(account, clock.now())
            out.print(f"Sent today's digest to {account.email}.", markup=False)
            return
        _subject, text, _html = render(compose(account, clock.now()))
        out.print(text, markup=False, end="")


@app.command()
def worker() -> None:
    """Send everyone's daily digests as they fall due and sync the connected accounts, without a
    web server (`kithkin serve` does both too: run this beside more than one server process).
    Ctrl+C or SIGTERM stops it."""
    stop = threading.Event()

    def stopping(signum: int, frame: Any) -> None:
        if signum == signal.SIGINT and stop.is_set():
            raise KeyboardInterrupt  # a second Ctrl+C: now, not after the round
        stop.set()

    # Ctrl+C (SIGINT) as SIGTERM: the round under way ends and the loop with it. A
    # KeyboardInterrupt raised wherever the main thread happened to be was seen to leave the
    # worker running now and then.
    before = signal.signal(signal.SIGTERM, stopping)
    before_int = signal.signal(signal.SIGINT, stopping)
    minutes = settings.SYNC_MINUTES
    if settings.EMAIL_CONFIGURED:
        out.print(f"Sending the daily digests as they fall due and syncing connected accounts every {minutes} minutes.")
    else:
        out.print(f"Syncing connected accounts every {minutes} minutes. No EMAIL_URL is set, so no digests are sent.")
    out.print("Press Ctrl+C to stop.")
    try:
        run_schedule(stop)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, before)
        signal.signal(signal.SIGINT, before_int)
    out.print("Stopped.")
