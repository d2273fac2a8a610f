"""How a user names one of their things on the command line or in a form: its id, written "12"
or "#12", or else its name (or title, or address). One rule for every ``find_*``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

from django.db import models

from kithkin.core.errors import BadInput, NotFound
from kithkin.lib.names import clean_name

_M = TypeVar("_M", bound=models.Model)
_ID = re.compile(r"#?([0-9]+)")
_DIGITS = re.compile(r"[0-9]+")

# Ids are signed 64-bit integers on both databases: a larger number names nothing (and SQLite
# raises OverflowError on it), so it is no id at all.
MAX_ID = 2**63 - 1


def parse_id(value: str | int | None) -> int | None:
    """The id ``value`` is (ASCII digits, spaces around them ignored; or an int), or None when it is
    none: not a number, zero, or beyond a 64-bit id. Every face reads an id the user sent through it."""
    if isinstance(value, int) and not isinstance(value, bool):
        pk = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()) and len(value.strip()) <= 20:
        pk = int(value.strip())
    else:
        return None
    return pk if 1 <= pk <= MAX_ID else None


def parse_ids(values: Iterable[str | int]) -> list[int]:
    """The ids among ``values``, in order; anything that is no id (see ``parse_id``) is left out."""
    return [pk for pk in map(parse_id, values) if pk is not None]


def ref_id(ref: str | int) -> int | None:
    """The id ``ref`` gives ("12", "#12", spaces around it ignored), or None if it gives none.
    A number too large to be anyone's id is still written as one: ``by_id`` finds nothing by it."""
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
    found = objects.filter(pk=pk).first() if parse_id(pk) is not None else None
    if found is None:
        raise NotFound(field, f"no {noun} has id {pk}")
    return found
