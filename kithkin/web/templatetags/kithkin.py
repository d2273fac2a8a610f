from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils.safestring import SafeString, mark_safe

from kithkin.core import clock
from kithkin.lib.birthdays import birthday_text
from kithkin.lib.markdown import render_markdown
from kithkin.lib.phones import format_phone
from kithkin.lib.relative import describe_ago, describe_due

register = template.Library()


@register.filter
def due_phrase(value: datetime | None) -> str:
    return describe_due(value, clock.now()) if value else ""


@register.filter
def ago(value: datetime | None) -> str:
    return describe_ago(value, clock.now()) if value else "never"


@register.filter
def phone(value: str) -> str:
    return format_phone(value)


@register.filter
def markdown(value: str | None) -> SafeString:
    """A Markdown note as sanitised HTML (see kithkin.lib.markdown)."""
    return mark_safe(render_markdown(value or ""))  # sanitised by nh3 in render_markdown


@register.filter
def birthday(value: date | None) -> str:
    """ "3 February 1990", or "3 February" for a birthday without a year."""
    return birthday_text(value) if value else ""
