"""Personal access tokens: what the HTTP API and the agent server take instead of a sign-in.

A token is made for one account with a name, shown once (``kk_`` and 43 URL-safe characters),
and kept only as its SHA-256 hash. A read-only token may read and never write. Revoking one is
for good. When it was last used is kept, to the minute (a write per request would be wasted).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User

from kithkin.accounts.models import AccessToken
from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.scopes import owner_scope, unscoped

PREFIX = "kk_"
MAX_NAME = 100
# The last use is written again only when the one kept is older than this.
LAST_USED_STEP = timedelta(minutes=1)


class NotFound(LookupError):
    """No token of this account has that id."""


@dataclass(frozen=True)
class Made:
    token: AccessToken
    secret: str  # the token itself: shown once, never kept


@dataclass(frozen=True)
class Access:
    """Who a request's token acts for, and whether it may write."""

    user: User
    token: AccessToken

    @property
    def may_write(self) -> bool:
        return not self.token.read_only


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(owner: User, name: str, *, read_only: bool = False) -> Made:
    name = " ".join(name.split())
    if not name:
        raise BadInput("name", "give the token a name, e.g. the program that will use it")
    if len(name) > MAX_NAME:
        raise BadInput("name", f"must be at most {MAX_NAME} characters")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        owner=owner,
        name=name,
        prefix=secret[:7],
        token_hash=_hash(secret),
        read_only=read_only,
        created_at=clock.now(),
    )
    return Made(token, secret)


def list_tokens(owner: User, *, include_revoked: bool = True) -> list[AccessToken]:
    tokens = AccessToken.objects.for_owner(owner)
    if not include_revoked:
        tokens = tokens.filter(revoked_at__isnull=True)
    return list(tokens)


def revoke_token(owner: User, token_id: int) -> AccessToken:
    """Turn one of ``owner``'s tokens off for good (revoking a revoked one changes nothing)."""
    token = AccessToken.objects.for_owner(owner).filter(pk=token_id).first()
    if token is None:
        raise NotFound(token_id)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate(secret: str) -> Access | None:
    """The account and token a presented token stands for; None when it is unknown, revoked, or
    its account is disabled. Keeps when it was used."""
    if not secret.startswith(PREFIX):
        return None
    # Unscoped: the token is what tells whose it is.
    with unscoped():
        token = AccessToken.objects.select_related("owner").filter(token_hash=_hash(secret)).first()
    if token is None or token.revoked_at is not None or not token.owner.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        token.last_used_at = now
        with owner_scope(token.owner):
            AccessToken.objects.for_owner(token.owner).filter(pk=token.pk).update(last_used_at=now)
    return Access(token.owner, token)
