"""The accounts of a shared server: user add, list, disable, enable."""

from __future__ import annotations

from typing import Annotated

import typer
from django.conf import settings
from django.contrib.auth.models import User
from rich.table import Table

from kithkin.accounts.users import account_by_email, add_account, list_accounts, set_active
from kithkin.cli.common import JsonOpt, emit_json, err, fail, local, out, owner
from kithkin.core.errors import BadInput
from kithkin.server import site_address

app = typer.Typer(help="The accounts of a shared server: invite someone, list, switch an account off or on.")

EmailArg = Annotated[str, typer.Argument(metavar="EMAIL", help="The account's address.")]


def account_data(account: User) -> dict[str, object]:
    return {
        "id": account.pk,
        "email": account.email,
        "username": account.get_username(),
        "name": account.get_full_name(),
        "admin": account.is_staff or account.is_superuser,
        "active": account.is_active,
        "has_password": account.has_usable_password(),
        "joined_at": account.date_joined.isoformat(),
        "last_sign_in_at": account.last_login.isoformat() if account.last_login else None,
    }


def invitation_url(token: str) -> str:
    return f"{site_address()}/accounts/invite/{token}/"


def _account(email: str) -> User:
    try:
        return account_by_email(email, "EMAIL")
    except BadInput as exc:
        fail(f"EMAIL: {exc.message} (kithkin user list shows the accounts)", 1)


@app.command(name="add")
def add(
    email: EmailArg,
    name: Annotated[str, typer.Option("--name", help="Their name, as Kithkin greets them.")] = "",
    admin: Annotated[bool, typer.Option("--admin", help="They may manage the accounts too.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Make an account and print its one-time invitation link: it signs them in to an empty
    network of their own, where they choose a password."""
    try:
        invitation = add_account(email, name=name, is_admin=admin, field="EMAIL")
    except BadInput as exc:
        fail(f"{'--name' if exc.field == 'name' else 'EMAIL'}: {exc.message}", 1)
    url = invitation_url(invitation.token)
    if as_json:
        emit_json({**account_data(invitation.account), "invitation_url": url})
        return
    out.print(url, markup=False, soft_wrap=True)
    err.print(
        f"account {invitation.account.email}{' (admin)' if admin else ''} made. Send them this link: "
        f"it works once, within {settings.INVITE_DAYS} days.",
        markup=False,
    )


@app.command(name="list")
def list_command(as_json: JsonOpt = False) -> None:
    """Every account: address, name, admin, active, when joined and last signed in."""
    accounts = list_accounts()
    if as_json:
        emit_json([account_data(a) for a in accounts])
        return
    viewer = owner()
    table = Table(box=None, pad_edge=False)
    for column in ("email", "name", "admin", "active", "joined", "last sign-in"):
        table.add_column(column)
    for a in accounts:
        table.add_row(
            a.email or f"({a.get_username()})",
            a.get_full_name(),
            "admin" if a.is_staff or a.is_superuser else "",
            "active" if a.is_active else "switched off",
            local(a.date_joined, viewer),
            local(a.last_login, viewer),
        )
    out.print(table)


def _switch(email: str, active: bool) -> None:
    account = _account(email)
    try:
        set_active(account, active)
    except BadInput as exc:
        fail(f"EMAIL: {exc.message}", 1)
    label = account.email or account.get_username()
    if active:
        out.print(f"{label} is active again: they can sign in.", markup=False)
    else:
        out.print(
            f"{label} is switched off: they cannot sign in, their sessions and tokens stop working; "
            f"their data is kept (kithkin user enable {label} switches it on).",
            markup=False,
        )


@app.command(name="disable")
def disable(email: EmailArg) -> None:
    """Switch an account off: no sign-in, sessions and tokens stop working; its data is kept.
    The last active admin cannot be switched off."""
    _switch(email, False)


@app.command(name="enable")
def enable(email: EmailArg) -> None:
    """Switch an account on again."""
    _switch(email, True)
