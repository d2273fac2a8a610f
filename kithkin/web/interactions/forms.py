from __future__ import annotations

from django import forms

from kithkin.interactions.models import Touch
from kithkin.web.forms import Form

# Phrases offered as suggestions for "When"; anything dateparser reads is accepted.
WHEN_SUGGESTIONS = ["now", "an hour ago", "this morning", "today 9am", "yesterday", "yesterday 3pm", "last friday"]


class CaptureForm(Form):
    """Quick capture of a touch. The people come as ``person`` ids (chosen in the autocomplete)
    and ``new`` names (confirmed as new people), read from the POST beside this form, plus any
    names typed into ``names``."""

    names = forms.CharField(
        required=False,
        max_length=1000,
        label="With",
        help_text="Type a name and pick from the list; separate several with commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "placeholder": "Ana Ruiz, Bo Chen"}),
    )
    # Help given or received is logged with `kithkin gave` / `got` (the ledger), not here.
    kind = forms.ChoiceField(
        choices=[c for c in Touch.Kind.choices if c[0] != Touch.Kind.HELP], initial=Touch.Kind.COFFEE
    )
    when = forms.CharField(
        max_length=100,
        initial="now",
        help_text="“now”, “yesterday 3pm”, “last friday” or 2026-03-14 15:00",
        widget=forms.TextInput(attrs={"list": "when-suggestions", "autocomplete": "off"}),
    )
    notes = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you talked about. Markdown works.",
    )
    advice = forms.CharField(
        required=False,
        max_length=5000,
        label="Advice they gave",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kithkin will remind you to tell them how you used it.",
    )
