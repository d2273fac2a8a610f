from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

_M = TypeVar("_M", bound=models.Model)


def get_owned_or_404(model: type[_M] | models.QuerySet[_M], owner: Any, **lookups: Any) -> _M:
    """Fetch one of ``owner``'s objects; someone else's object and a missing one are both 404."""
    queryset = model if isinstance(model, models.QuerySet) else model._default_manager.all()
    try:
        return queryset.get(owner=owner, **lookups)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from exc
