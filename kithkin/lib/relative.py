"""Describing a moment relative to now, as a person would say it."""

from __future__ import annotations

from datetime import date, datetime


def _amount(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return "a moment"
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = hours // 24
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 60:
        weeks = days // 7
        return f"{weeks} weeks"
    if days < 730:
        months = days // 30
        return f"{months} months"
    return f"{days // 365} years"


def describe_due(due: datetime, now: datetime) -> str:
    """ "2 days overdue", "due in 3 hours", "due now"."""
    delta = (due - now).total_seconds()
    if abs(delta) < 60:
        return "due now"
    if delta < 0:
        return f"{_amount(-delta)} overdue"
    return f"due in {_amount(delta)}"


def describe_ago(moment: datetime, now: datetime) -> str:
    """ "3 days ago", "in 2 hours"."""
    delta = (now - moment).total_seconds()
    if abs(delta) < 60:
        return "just now"
    if delta > 0:
        return f"{_amount(delta)} ago"
    return f"in {_amount(-delta)}"


def say_day(day: date, today: date) -> str:
    """A day as people say it: "Fri 11 Dec" this year, "Fri 11 Dec 2027" another."""
    said = f"{day:%a} {day.day} {day:%b}"
    return said if day.year == today.year else f"{said} {day.year}"


def say_moment(moment: datetime, now: datetime) -> str:
    """A moment in ``moment``'s own time zone, as people say it: "Fri 11 Dec, 15:00"."""
    return f"{say_day(moment.date(), now.astimezone(moment.tzinfo).date())}, {moment:%H:%M}"
