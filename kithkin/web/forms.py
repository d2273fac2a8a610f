"""How every form renders: a label, the input, help and errors as Pico styles them, with the
error tied to its input (aria-invalid, aria-describedby) so screen readers announce it."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.forms.renderers import TemplatesSetting

from kithkin.core.errors import BadInput


class FormRenderer(TemplatesSetting):
    field_template_name = "kithkin/field.html"


def add_bad_input(form: forms.BaseForm, exc: BadInput, fields: Mapping[str, str] | None = None) -> None:
    """Show a service's ``BadInput`` next to the form field it names (or above the form)."""
    name = (fields or {}).get(exc.field, exc.field.replace("-", "_"))
    form.add_error(name if name in form.fields else None, exc.message)


def focus_first_error(form: forms.BaseForm) -> None:
    """Move ``autofocus`` to the first field (in the form's order) with an error, so that the
    page, or htmx after a swap, puts the cursor on what to fix rather than on the first box.
    With no field in error (none, or only errors above the form), the focus stays where it was."""
    bad = next((name for name in form.fields if name in form.errors), None)
    if bad is None:
        return
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)
    form.fields[bad].widget.attrs["autofocus"] = True
