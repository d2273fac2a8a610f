"""The base every user-data model inherits: rows belong to an owner, queries are scoped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_M = TypeVar("_M", bound=models.Model)


class OwnedQuerySet(models.QuerySet[_M]):
    def for_owner(self, owner: User | Any) -> Self:
        return self.filter(owner=owner)


class Owned(models.Model):
    """A row of one user's data. The owner is the tenant key: every query filters on it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True
