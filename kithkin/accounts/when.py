"""Dates and times as the user writes them, read in the user's own time zone.

The one rule every face uses: 'yesterday 3pm' means yesterday in the user's settings, not the
server's, counted from ``core.clock.now()``; a phrase that cannot be read is ``BadInput`` on the
field it came from.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal, overload

from django.contrib.auth.models import AbstractBaseUser, User

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.lib.when import WhenError, parse_date, parse_when

NOON = time(12, 0)


def user_today(user: AbstractBaseUser | User, now: datetime | None = None) -> date:
    """Today's date where the user lives."""
    return (now or clock.now()).astimezone(get_profile(user).tz).date()


def parse_user_when(
    user: AbstractBaseUser | User,
    text: str,
    *,
    field: str,
    prefer: Literal["past", "future"] = "past",
    default_time: time = NOON,
) -> datetime:
    """An aware datetime for ``text`` ('yesterday 3pm', 2026-03-14 15:00) in the user's time zone."""
    try:
        return parse_when(text, now=clock.now(), tz=get_profile(user).tz, prefer=prefer, default_time=default_time)
    except WhenError as exc:
        raise BadInput(field, str(exc)) from None


@overload
def parse_user_day(user: AbstractBaseUser | User, text: str, *, field: str, phrases: bool = True) -> date: ...
@overload
def parse_user_day(user: AbstractBaseUser | User, text: None, *, field: str, phrases: bool = True) -> None: ...
def parse_user_day(user: AbstractBaseUser | User, text: str | None, *, field: str, phrases: bool = True) -> date | None:
    """A calendar date (None for an option not given); with ``phrases``, 'last friday' counts
    from the user's today."""
    if text is None:
        return None
    try:
        return parse_date(text, today=user_today(user) if phrases else None)
    except WhenError as exc:
        raise BadInput(field, str(exc)) from None
