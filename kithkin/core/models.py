"""The base every user-data model inherits: rows belong to an owner, queries are scoped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.db import models

from kithkin.core.scopes import OwnerScopedManager

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_M = TypeVar("_M", bound=models.Model)


class OwnedQuerySet(models.QuerySet[_M]):
    def for_owner(self, owner: User | Any) -> Self:
        return self.filter(owner=owner)


_OwnedManagerBase = models.Manager.from_queryset(OwnedQuerySet)


class OwnedManager(OwnerScopedManager[_M], _OwnedManagerBase[_M]):
    pass


class Owned(models.Model):
    """A row of one user's data. The owner is the tenant key: every query filters on it, and
    the default manager refuses to query outside an owner scope (``kithkin.core.scopes``). A
    subclass with its own queryset keeps that: ``objects = owner_scoped(MyQuerySet.as_manager())``."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    objects: ClassVar[OwnedManager[Self]] = OwnedManager()

    class Meta:
        abstract = True
