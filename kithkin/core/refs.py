"""How a user names one of their things on the command line or in a form: its id, written "12"
or "#12", or else its name (or title, or address). One rule for every ``find_*``."""

from __future__ import annotations

import re
from typing import TypeVar

from django.db import models

from kithkin.core.errors import BadInput, NotFound
from kithkin.lib.names import clean_name

_M = TypeVar("_M", bound=models.Model)
_ID = re.compile(r"#?(\d+)")


def ref_id(ref: str | int) -> int | None:
    """The id ``ref`` gives ("12", "#12", spaces around it ignored), or None if it gives none."""
    if isinstance(ref, int):
        return ref
    match = _ID.fullmatch(ref.strip())
    return int(match.group(1)) if match else None


def parse_ref(ref: str, field: str) -> int | str:
    """The id ``ref`` gives, or else its text with spaces tidied; nothing at all is refused."""
    text = clean_name(ref)
    if not text:
        raise BadInput(field, "must not be empty")
    pk = ref_id(text)
    return text if pk is None else pk


def by_id(objects: models.QuerySet[_M], pk: int, *, field: str, noun: str) -> _M:
    """The row ``pk`` of ``objects`` (already the owner's), or ``NotFound``: "no event has id 12"."""
    found = objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(field, f"no {noun} has id {pk}")
    return found
