"""How every form renders and speaks: a label, the input, help and errors as the stylesheet
styles them, with the error tied to its input (aria-invalid, aria-describedby) so screen readers
announce it; the cursor on the first field to fix after a refused submit; and errors in plain
words rather than Django's ("Please fill this in.", not "This field is required.").

Every form of the web face is a ``kithkin.web.forms.Form`` (a test walks them all)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from kithkin.core.errors import BadInput


class FormRenderer(TemplatesSetting):
    field_template_name = "kithkin/field.html"


# What a field says instead of Django's default message for each code. Only Django's own wording
# is replaced: a message a form gives its field (``error_messages={"required": "Say who."}``) stays.
MESSAGES: dict[str, str] = {
    "required": "Please fill this in.",
    "invalid_choice": "Pick one of the options.",
    "invalid_pk_value": "Pick one of the options.",
    "invalid_list": "Pick from the options.",
    "list": "Pick from the options.",
    "max_length": "Keep it to %(limit_value)d characters or fewer (this has %(show_value)d).",
    "min_length": "Use at least %(limit_value)d characters (this has %(show_value)d).",
    "max_value": "Use a number no bigger than %(limit_value)s.",
    "min_value": "Use a number no smaller than %(limit_value)s.",
    "step_size": "Use a multiple of %(limit_value)s.",
    "max_digits": "Use at most %(max)s digits.",
    "max_decimal_places": "Use at most %(max)s digits after the point.",
    "max_whole_digits": "Use at most %(max)s digits before the point.",
    "missing": "Choose a file.",
    "empty": "That file is empty.",
    "contradiction": "Choose a file or clear the box, not both.",
}
# "invalid" depends on what the field reads; the closest class in a field's ancestry decides.
INVALID: dict[type[forms.Field], str] = {
    forms.DateField: "That isn't a date Kithkin can read: try 11 Dec 2026.",
    forms.DateTimeField: "That isn't a date and time Kithkin can read: try 11 Dec 2026 18:30.",
    forms.TimeField: "That isn't a time Kithkin can read: try 18:30.",
    forms.DurationField: "That isn't a length of time Kithkin can read: try 1:30:00.",
    forms.DecimalField: "Type a number, like 2.5.",
    forms.FloatField: "Type a number, like 2.5.",
    forms.IntegerField: "Type a whole number, like 30.",
    forms.EmailField: "That doesn't look like an email address: try ana@example.com.",
    forms.URLField: "That doesn't look like a web address: try example.com.",
    forms.FileField: "That isn't a file Kithkin can read. Choose it again.",
    forms.UUIDField: "That isn't something Kithkin can read.",
    forms.JSONField: "That isn't something Kithkin can read.",
}


# Dates as people write them, besides the ISO date a date picker sends: "11 Dec 2026",
# "Fri 11 Dec 2026", "11 December 2026", as the "invalid" message suggests.
DAY_FORMATS = ("%d %b %Y", "%d %B %Y", "%a %d %b %Y", "%A %d %B %Y", "%d %b, %Y", "%b %d %Y", "%b %d, %Y")


def _djangos_messages(field: forms.Field) -> dict[str, str]:
    """The messages Django gives a field of this class, as ``Field.__init__`` merges them."""
    merged: dict[str, str] = {}
    for klass in reversed(type(field).__mro__):
        merged.update({code: str(text) for code, text in getattr(klass, "default_error_messages", {}).items()})
    return merged


def speak_plainly(field: forms.Field) -> None:
    """Put Kithkin's words in place of Django's default error messages on ``field``."""
    defaults = _djangos_messages(field)
    ours = dict(MESSAGES)
    invalid = next((INVALID[klass] for klass in type(field).__mro__ if klass in INVALID), None)
    if invalid is not None:
        ours["invalid"] = invalid
    for code, text in ours.items():
        given = field.error_messages.get(code)
        if given is None or str(given) == defaults.get(code):
            field.error_messages[code] = text
    if isinstance(field, forms.DateField) and not getattr(field, "_reads_days", False):
        field.input_formats = [*field.input_formats, *DAY_FORMATS]
        field._reads_days = True  # type: ignore[attr-defined]


class BoundField(forms.BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        """After a refused submit the first field in error takes ``autofocus`` from any other, so
        the page (or htmx, after a swap) puts the cursor on what to fix."""
        attrs = super().build_widget_attrs(attrs, widget)
        first = self.form.first_error_name if isinstance(self.form, PlainWords) else None
        if first is not None:
            attrs["autofocus"] = self.name == first  # False drops a widget's own autofocus
        return attrs


class PlainWords(forms.BaseForm):
    """What every form of the web face shares: its errors in plain words, the cursor on the first.
    Mixed in before a Django form class (``Form`` below; the password forms)."""

    bound_field_class = BoundField

    def full_clean(self) -> None:
        # Here rather than in __init__: forms add and replace fields in their own __init__.
        for field in self.fields.values():
            speak_plainly(field)
        super().full_clean()

    @property
    def first_error_name(self) -> str | None:
        """The first field, in the form's order, with an error and an input a person can reach."""
        if not self.errors:
            return None
        return next(
            (name for name, field in self.fields.items() if name in self.errors and not field.widget.is_hidden), None
        )


class Form(PlainWords, forms.Form):
    """A form of the web face: ``django.forms.Form`` with plain-worded errors."""


# A first word that is only a word ("unknown"), not a name or a value ("empty.csv", "'Funday'").
_WORD = re.compile(r"[a-z][a-z'’-]*(?=[\s,;:]|$)")


def focus_first_error(form: PlainWords) -> None:
    """For a template that writes an input by hand and reads its widget's ``autofocus``: move it to
    the first field in error, as ``BoundField`` does for the inputs Django renders."""
    first = form.first_error_name
    if first is None:
        return
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)
    form.fields[first].widget.attrs["autofocus"] = True


# The ids the services name things by, for the CLI (where one types them), are no words for a page:
# "Ana Ruiz (#12)", "(#12, Acme)", "(Ana Ruiz, #12)", "ask #12".
_IDS = (
    (re.compile(r" ?\(#\d+\)"), ""),
    (re.compile(r"\(#\d+, "), "("),
    (re.compile(r", #\d+\)"), ")"),
    (re.compile(r"\b(ask|goal|introduction|intro) #\d+"), r"this \1"),
)


def plain(message: str) -> str:
    """A service's message as a page says it: a sentence, with no ids.
    "unknown time zone 'X'" -> "Unknown time zone 'X'."; "goal #3 is already achieved" -> "This goal
    is already achieved."."""
    text = message.strip()
    for pattern, replacement in _IDS:
        text = pattern.sub(replacement, text)
    if not text:
        return text
    if _WORD.match(text):
        text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!)" else text + "."


def add_bad_input(form: forms.BaseForm, exc: BadInput, fields: Mapping[str, str] | None = None) -> None:
    """Show a service's ``BadInput`` next to the form field it names (or above the form)."""
    name = (fields or {}).get(exc.field, exc.field.replace("-", "_"))
    form.add_error(name if name in form.fields else None, plain(exc.message))
