"""Birthdays, which may come without a year: stored as a date in ``NO_YEAR``, shown and written
without one ("3 February", ``--02-03`` as vCard and Google write it)."""

from __future__ import annotations

import re
from datetime import date

# A birthday without a year (vCard ``--0203``, Google's ``--02-03``) is stored with this year, a
# leap year so that 29 February fits. Any year before 1900 is read as "year unknown".
NO_YEAR = 1604
_FIRST_KNOWN_YEAR = 1900
_YEARLESS = re.compile(r"--(\d\d)-?(\d\d)")


def year_known(day: date) -> bool:
    return day.year >= _FIRST_KNOWN_YEAR


def birthday_text(day: date) -> str:
    """ "3 February 1990", or "3 February" without a year."""
    return f"{day.day} {day:%B}" + (f" {day.year}" if year_known(day) else "")


def birthday_iso(day: date) -> str:
    """ISO 8601 ("1990-02-03"), or its form without a year ("--02-03", as vCard 4.0 and Google's
    CSV write it)."""
    return day.isoformat() if year_known(day) else f"--{day.month:02d}-{day.day:02d}"


def parse_birthday_iso(text: str) -> date:
    """What ``birthday_iso`` writes back as a date (``--02-03`` in NO_YEAR). ValueError otherwise."""
    match = _YEARLESS.fullmatch(text.strip())
    if match:
        return date(NO_YEAR, int(match[1]), int(match[2]))
    return date.fromisoformat(text.strip())
