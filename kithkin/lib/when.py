"""Reading dates and times as people write them: ISO 8601 or everyday phrases."""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from typing import Literal


class WhenError(ValueError):
    pass


_HAS_TIME = re.compile(
    r"\d{1,2}:\d{2}|\d\s*(am|pm)\b|\b(noon|midnight|now|hours?|minutes?|mins?)\b|T\d{2}", re.IGNORECASE
)


def _as_iso(text: str, tz: tzinfo) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


def parse_when(
    text: str,
    *,
    now: datetime,
    tz: tzinfo,
    prefer: Literal["past", "future"] = "past",
    default_time: time = time(12, 0),
) -> datetime:
    """An aware datetime for ``text``, read in ``tz`` relative to ``now``.

    A date with no time of day gets ``default_time``; for the past, a date of today whose
    default time has not come yet means now.
    """
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        raise WhenError("is empty")
    local_now = now.astimezone(tz)
    if cleaned.lower() == "now":  # the default of every --at: no need to wake dateparser
        return now
    iso = _as_iso(cleaned, tz)
    has_time = bool(_HAS_TIME.search(cleaned))
    if iso is not None:
        parsed = iso
    else:
        # dateparser is loaded on first use: importing it costs a command's start-up 50 ms.
        from dateparser.date import DateDataParser

        parser = DateDataParser(
            languages=["en"],
            settings={
                "RELATIVE_BASE": local_now.replace(tzinfo=None),
                "PREFER_DATES_FROM": prefer,
                "TIMEZONE": str(tz),
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
        found = parser.get_date_data(cleaned).date_obj
        if found is None:
            raise WhenError(f"cannot read {text!r} as a date or time (try 2026-03-14 15:00 or 'yesterday 3pm')")
        parsed = found.replace(tzinfo=tz) if found.tzinfo is None else found
    if not has_time:
        parsed = datetime.combine(parsed.date(), default_time, tzinfo=parsed.tzinfo)
        if prefer == "past" and parsed > now and parsed.astimezone(tz).date() == local_now.date():
            parsed = now
    return parsed


def warm_up() -> None:
    """Load dateparser and compile its English patterns (about half a second, once): for a process
    that answers many commands (the CLI's warm process), so that none of them waits for it."""
    from zoneinfo import ZoneInfo

    now = datetime(2026, 1, 15, 12, 0, tzinfo=ZoneInfo("UTC"))
    for text in ("yesterday 3pm", "last friday", "in 2 days", "15 March"):
        parse_when(text, now=now, tz=now.tzinfo)  # type: ignore[arg-type]
        parse_when(text, now=now, tz=now.tzinfo, prefer="future")  # type: ignore[arg-type]


def parse_date(text: str, *, today: date | None = None) -> date:
    """A calendar date: ISO (YYYY-MM-DD) or, given ``today``, an everyday phrase."""
    cleaned = text.strip()
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", cleaned):
        raise WhenError(f"{text!r} is not a real date")
    if today is None:
        raise WhenError(f"{text!r} is not a date in the form YYYY-MM-DD")
    from dateparser.date import DateDataParser

    parser = DateDataParser(
        languages=["en"],
        settings={"RELATIVE_BASE": datetime.combine(today, time(12)), "PREFER_DATES_FROM": "past"},
    )
    found = parser.get_date_data(cleaned).date_obj
    if found is None:
        raise WhenError(f"cannot read {text!r} as a date (try YYYY-MM-DD)")
    return found.date()
