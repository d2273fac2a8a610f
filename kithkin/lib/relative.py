"""Describing a moment relative to now, as a person would say it."""

from __future__ import annotations

from datetime import datetime


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
