from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from kithkin.core.errors import NotFound
from kithkin.core.models import Owned

_M = TypeVar("_M", bound=models.Model)


def get_owned_or_404(model: type[_M] | models.QuerySet[_M], owner: Any, **lookups: Any) -> _M:
    """Fetch one of ``owner``'s objects; someone else's object and a missing one are both 404."""
    queryset = model if isinstance(model, models.QuerySet) else model._default_manager.all()
    try:
        return queryset.get(owner=owner, **lookups)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from exc


def require_owned(owner: Any, *objects: Owned | None, field: str, message: str) -> None:
    """Refuse any of ``objects`` that is not ``owner``'s with ``NotFound(field, message)``, the
    error a missing one gets: someone else's object and a missing one look the same. ``None``
    (an optional reference left out) passes. For objects a service is handed; to fetch one, use
    ``get_owned_or_404`` or a ``for_owner`` query."""
    for obj in objects:
        if obj is not None and obj.owner_id != owner.pk:
            raise NotFound(field, message)
