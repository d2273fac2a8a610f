"""The base every user-data model inherits: rows belong to an owner, queries are scoped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND

from kithkin.core.scopes import OwnerScopedManager

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_M = TypeVar("_M", bound=models.Model)


class OwnedQuerySet(models.QuerySet[_M]):
    def for_owner(self, owner: User | Any) -> Self:
        """Only ``owner``'s rows. Inside ``owner``'s scope the manager has said so already, and
        the condition is not written twice: SQLite weighs each condition when it picks an index,
        and ``owner_id = 1 AND owner_id = 1`` made it pick worse ones."""
        owner_id = owner.pk if isinstance(owner, models.Model) else owner
        if _filters_on_owner(self.query, self.model._meta.get_field("owner"), owner_id):
            return self.all()
        return self.filter(owner=owner)


def _filters_on_owner(query: Query, owner: object, owner_id: Any) -> bool:
    """Whether every row ``query`` answers already has to be ``owner_id``'s: an
    ``owner = owner_id`` condition at the top of its WHERE, ANDed with the rest."""
    where = query.where
    if where.connector != AND or where.negated or owner_id is None:
        return False
    return any(
        isinstance(child, Exact)
        and isinstance(child.lhs, Col)
        and child.lhs.target is owner
        and child.lhs.alias == query.base_table
        and child.rhs == owner_id
        for child in where.children
    )


_OwnedManagerBase = models.Manager.from_queryset(OwnedQuerySet)


class OwnedManager(OwnerScopedManager[_M], _OwnedManagerBase[_M]):
    """``for_owner`` and the rest of ``OwnedQuerySet``, scoped on the owner. A declared class
    (not ``as_manager()``) so that django-stubs can name it, and so give ``Person.objects`` its
    type."""


class Owned(models.Model):
    """A row of one user's data. The owner is the tenant key: every query filters on it, and
    the default manager refuses to query outside an owner scope (``kithkin.core.scopes``). A
    subclass with its own queryset builds its manager the same way (``FollowUpManager``);
    ``core/tests/test_scopes.py`` checks that every owned model's managers are scoped."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    objects: ClassVar[OwnedManager[Self]] = OwnedManager()

    class Meta:
        abstract = True
