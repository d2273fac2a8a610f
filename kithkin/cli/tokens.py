"""Personal access tokens for the HTTP API and the agent server: token create, list, revoke."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kithkin.accounts.models import AccessToken
from kithkin.accounts.tokens import NotFound, create_token, list_tokens, revoke_token
from kithkin.cli.common import JsonOpt, emit_json, err, fail, local, out, owner
from kithkin.core.errors import BadInput

app = typer.Typer(help="Personal access tokens for the HTTP API (/api/v1/) and agents (kithkin mcp).")


def token_data(token: AccessToken) -> dict[str, object]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "read_only": token.read_only,
        "created_at": token.created_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


@app.command(name="create")
def create(
    name: Annotated[str, typer.Option("--name", help="What the token is for, e.g. the program that uses it.")],
    read_only: Annotated[bool, typer.Option("--read-only", help="It may read, never write.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Make a token and print it: it is shown this once and kept only as a hash."""
    try:
        made = create_token(owner(), name, read_only=read_only)
    except BadInput as exc:  # the service's "name" is an option here, not the NAME argument
        fail(f"--name: {exc.message}", 1)
    if as_json:
        emit_json({**token_data(made.token), "token": made.secret})
        return
    out.print(made.secret, markup=False)
    err.print(
        f"token {made.token.pk} ({made.token.name}, {'read-only' if read_only else 'read and write'}): "
        "copy it now, it is not shown again. Send it as 'Authorization: Bearer <token>'.",
        markup=False,
    )


@app.command(name="list")
def list_command(as_json: JsonOpt = False) -> None:
    """Your tokens: name, what they may do, when made and last used; revoked ones say so."""
    user = owner()
    tokens = list_tokens(user)
    if as_json:
        emit_json([token_data(t) for t in tokens])
        return
    if not tokens:
        out.print("No tokens yet: kithkin token create --name NAME")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("id", "name", "starts", "may", "created", "last used", ""):
        table.add_column(column)
    for t in tokens:
        table.add_row(
            str(t.pk),
            t.name,
            t.prefix + "…",
            "read" if t.read_only else "read, write",
            local(t.created_at, user),
            local(t.last_used_at, user),
            "revoked" if t.revoked_at else "",
        )
    out.print(table)


@app.command(name="revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token's id (kithkin token list).")],
    as_json: JsonOpt = False,
) -> None:
    """Turn a token off for good: requests with it are refused from now on."""
    try:
        token = revoke_token(owner(), token_id)
    except NotFound:
        fail(f"ID: you have no token {token_id} (kithkin token list shows yours)", 1)
    if as_json:
        emit_json(token_data(token))
    else:
        out.print(f"revoked token {token.pk} ({token.name})", markup=False)
