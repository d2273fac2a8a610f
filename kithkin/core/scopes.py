"""Owner scopes: every query on an owned model runs inside one owner's scope, or fails.

Services filter by owner themselves (``for_owner``, ``get_owned_or_404``, ``require_owned``);
the scope is the net under them. Each face enters it once at its edge (the web's
``OwnerScopeMiddleware``, the CLI's callback), and from then on an owned model's default
manager adds ``owner = <that owner>`` to every query, so a filter forgotten in any face shows
nothing of anyone else's. A query outside every scope raises ``NoOwnerScope`` instead of
answering for every owner at once.

Built on django-scopes (pretix's): its state is a ``ContextVar``, so each thread (each
waitress request thread, the test server's) starts with no scope, and an inner ``scope`` or
``scopes_disabled`` replaces the outer one until it exits: ``owner_scope`` inside ``unscoped``
scopes again.

Django's ``_base_manager`` (a plain manager: forward foreign keys, ``save``, ``delete``,
``refresh_from_db``) is left unscoped, as django-scopes leaves it: those reach rows through
an object already in hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from django.db import models
from django_scopes import ScopedManager, ScopeError, get_scope, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# The scope's one dimension, and the field every owned model filters on for it.
DIMENSION = "owner"

NO_SCOPE = (
    "No owner scope is active: enter kithkin.core.scopes.owner_scope(user) at the face's edge"
    " (or kithkin.core.scopes.unscoped() for work that is cross-owner by nature)"
)

_M = TypeVar("_M", bound=models.Model)


class NoOwnerScope(ScopeError):
    """A query on an owned model ran outside any owner scope."""

    def __init__(self, message: str = NO_SCOPE) -> None:
        super().__init__(message)


@contextmanager
def owner_scope(owner: AbstractBaseUser | AnonymousUser) -> Iterator[None]:
    """Run the block as ``owner``: owned models answer with ``owner``'s rows only. The one way
    a face enters a scope."""
    if owner.pk is None:
        # django-scopes reads a None value as "no filter on this dimension": everyone's rows.
        raise ValueError("an owner scope needs a saved user")
    with scope(**{DIMENSION: owner.pk}):
        yield


@contextmanager
def unscoped() -> Iterator[None]:
    """Run the block with no owner scope and no check: for the few lookups that are cross-owner
    by nature (a login token by its hash, a calendar feed by its token, whole-database work).
    Every use says why beside it."""
    with scopes_disabled():
        yield


def scoped_owner_id() -> int | None:
    """The owner whose scope is active, or None (no scope, or scopes disabled)."""
    current = get_scope()
    if not current.get("_enabled", True):
        return None
    owner_id: int | None = current.get(DIMENSION)
    return owner_id


class _NoScopeQuerySet(DisabledQuerySet):
    """django-scopes' refusing queryset, with our message, and ``exists()`` refused too (it
    leaves that one open, which would answer "does anyone have a row?")."""

    def error(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise NoOwnerScope()


# DisabledQuerySet binds each refused method to its own ``error`` at class creation: bind them
# again to ours.
for _name, _value in list(vars(DisabledQuerySet).items()):
    if _value is DisabledQuerySet.error:
        setattr(_NoScopeQuerySet, _name, _NoScopeQuerySet.error)
for _name in ("exists", "explain"):
    setattr(_NoScopeQuerySet, _name, _NoScopeQuerySet.error)


@cache
def _no_scope_queryset(queryset_class: type[models.QuerySet[Any]]) -> type[models.QuerySet[Any]]:
    """The refusing queryset, with the model's own queryset methods (``for_owner``,
    ``pending``...) so that calling one refuses with the scope's message too."""
    return type(f"NoOwnerScope{queryset_class.__name__}", (_NoScopeQuerySet, queryset_class), {})


if TYPE_CHECKING:
    _ScopedManager = models.Manager
else:
    # django-scopes' ScopedManager on the dimension "owner" (filtering on the field "owner"), as
    # a class to build on.
    _ScopedManager = type(ScopedManager(**{DIMENSION: DIMENSION}))


class OwnerScopedManager(_ScopedManager[_M]):
    """The default manager of every owned model: django-scopes' ``ScopedManager`` on the
    dimension ``owner``, refusing with our message outside a scope. Combine it with a model's
    queryset: ``class MyManager(OwnerScopedManager[M], Manager.from_queryset(MyQuerySet))``
    (``OwnedManager`` and ``FollowUpManager`` do)."""

    def get_queryset(self) -> models.QuerySet[_M]:
        queryset = super().get_queryset()
        if isinstance(queryset, DisabledQuerySet):
            refusing = _no_scope_queryset(self._queryset_class)  # type: ignore[attr-defined]
            return refusing(model=self.model, using=self._db, missing_scopes={DIMENSION})  # type: ignore[call-arg]
        return queryset
