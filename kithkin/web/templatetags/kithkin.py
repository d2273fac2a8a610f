from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

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
def options(choices: Iterable[tuple[object, object]], selected: object) -> SafeString:
    """The ``<option>`` elements of ``choices`` (value, label: the label capitalised), the one
    of ``selected`` chosen: built once a page and value, where a loop in the template ran per
    row (the ledger's 100 forms drew 1,400 options, a third of its time)."""
    return _options(tuple((str(value), str(label)) for value, label in choices), str(selected))


@functools.lru_cache(maxsize=256)
def _options(choices: tuple[tuple[str, str], ...], selected: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if value == selected else "", capfirst(label)) for value, label in choices),
    )


@register.filter
def person_url(pk: int) -> str:
    """A person's page, as ``{% url 'people:detail' pk %}`` says it: see ``id_url``."""
    return id_url(pk, "people:detail")


@register.filter
def id_url(pk: int, route: str) -> str:
    """The address of the route ``route`` (a name taking one id) for ``pk``, as ``{% url route pk
    %}`` says it, without resolving the route each time: pages link hundreds of rows (the ledger
    170 people, Today five actions for each of its 50 follow-ups), and each ``{% url %}`` cost ~20 µs."""
    return _route_path(get_script_prefix(), route).format(int(pk))


@functools.lru_cache(maxsize=64)
def _route_path(prefix: str, route: str) -> str:  # the prefix is part of the cache's key: reverse() reads it
    return reverse(route, args=[PLACEHOLDER]).replace(str(PLACEHOLDER), "{}")


PLACEHOLDER = 918273645


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


ICONS = Path(__file__).resolve().parents[1] / "static" / "vendor" / "lucide" / "icons"
# One icon for each kind of touch and of follow-up (Lucide's names; docs/design.md shows them).
TOUCH_ICONS = {
    "coffee": "coffee",
    "meal": "utensils",
    "meeting": "users",
    "call": "phone",
    "video": "video",
    "email": "mail",
    "message": "message-circle",
    "event": "calendar-days",
    "informational_interview": "graduation-cap",
    "social": "party-popper",
    "help": "hand-helping",
    "other": "circle-dot",
}
FOLLOW_UP_ICONS = {
    "thank_you": "message-square-heart",
    "check_in": "repeat",
    "close_loop": "circle-check-big",
    "congratulate": "party-popper",
    "introduction": "git-merge",
    "custom": "bell",
}


@register.simple_tag
def icon(name: str, label: str = "") -> SafeString:
    """Lucide's icon ``name`` drawn inline in the text's colour, 1em square: hidden from screen
    readers, or named by ``label`` when it stands alone."""
    return _icon(name, label)


@functools.lru_cache(maxsize=128)
def _icon(name: str, label: str) -> SafeString:
    source = (ICONS / f"{name}.svg").read_text(encoding="utf-8")
    inner = source[source.index(">", source.index("<svg")) + 1 : source.rindex("</svg>")].strip()
    named = format_html(' role="img" aria-label="{}"', label) if label else mark_safe(' aria-hidden="true"')
    return format_html(
        '<svg class="icon icon-{}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round" focusable="false"{}>{}</svg>',
        name,
        named,
        mark_safe(inner),  # Lucide's own vendored paths
    )


@register.filter
def touch_icon(kind: str) -> SafeString:
    """The icon of a kind of touch (``Touch.Kind``)."""
    return _icon(TOUCH_ICONS.get(kind, "circle-dot"), "")


@register.filter
def follow_up_icon(kind: str) -> SafeString:
    """The icon of a kind of follow-up (``FollowUp.Kind``)."""
    return _icon(FOLLOW_UP_ICONS.get(kind, "bell"), "")


@register.filter
def initials(name: str) -> str:
    """Up to two letters for an avatar: the first and last words' first letters ("Ana María
    López" → "AL")."""
    words = [word for word in str(name).split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


@register.filter
def hue(pk: int | None) -> str:
    """One of the six avatar tints, the same for a person every time."""
    return f"hue-{int(pk or 0) % 6}"
