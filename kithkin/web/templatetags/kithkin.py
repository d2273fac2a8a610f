from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils.safestring import SafeString, mark_safe

from kithkin.core import clock
from kithkin.lib.birthdays import birthday_text
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
def rendered(value: str | None) -> SafeString:
    """The HTML of a Markdown note as it was rendered when saved (``notes_html``, kept by
    core.models.RendersMarkdown): a page never renders Markdown itself."""
    return mark_safe(value or "")  # sanitised by nh3 when rendered (kithkin.lib.markdown)


@register.filter
def birthday(value: date | None) -> str:
    """ "3 February 1990", or "3 February" for a birthday without a year."""
    return birthday_text(value) if value else ""


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    """``mapping[key]`` in a template, None when it has no such key."""
    return mapping.get(key)
