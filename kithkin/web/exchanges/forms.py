from __future__ import annotations

from django import forms

from kithkin.exchanges.models import Kind
from kithkin.web.forms import Form

KINDS = [(value, str(label).capitalize()) for value, label in Kind.choices]
DIRECTIONS = [("gave", "You gave"), ("got", "You received"), ("asked", "You asked for")]
# Service fields named in BadInput, and the form field that shows them.
RECORD_FIELDS = {"WHAT": "what", "PERSON": "person", "settles": "what", "direction": "direction"}
RESOURCE_FIELDS = {"URL": "url", "topic": "topics"}


def _text(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": "off", **attrs})


class RecordForm(Form):
    """One entry of the ledger: a give, something received, or an ask. ``person`` is an id (the
    person's page, Today) or a name or email typed on the ledger page."""

    direction = forms.ChoiceField(label="What happened", choices=DIRECTIONS, initial="gave")
    person = forms.CharField(
        label="Who",
        max_length=200,
        widget=_text(),
        help_text="A name or an email address.",
        error_messages={"required": "Say who."},
    )
    what = forms.CharField(
        label="What",
        max_length=300,
        widget=_text(placeholder="an intro to a designer, advice on pricing…"),
        error_messages={"required": "Say what was given, received or asked for."},
    )
    kind = forms.ChoiceField(label="Kind", choices=KINDS, initial=Kind.OTHER)
    on = forms.CharField(
        label="When",
        max_length=100,
        required=False,
        initial="today",
        widget=_text(),
        help_text="“today”, “yesterday”, “last friday” or a date",
    )
    to = forms.CharField(
        label="Introduced you to",
        max_length=200,
        required=False,
        widget=_text(),
        help_text="For an introduction received: someone in your network, or a new name.",
    )


class GiveForm(Form):
    """The one-click give of Today's "You owe them one": what, and of what kind."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    what = forms.CharField(label="What you gave", max_length=300, error_messages={"required": "Say what you gave."})
    kind = forms.ChoiceField(label="Kind", choices=KINDS, initial=Kind.OTHER)


class SettleForm(Form):
    """Help received that answers an ask."""

    what = forms.CharField(label="What they gave", max_length=300, required=False, widget=_text())
    kind = forms.ChoiceField(label="Kind", choices=KINDS, required=False)


class ResourceForm(Form):
    url = forms.CharField(
        label="Link",
        max_length=500,
        widget=_text(inputmode="url", spellcheck="false", placeholder="https://…"),
        error_messages={"required": "Paste the link to share."},
    )
    title = forms.CharField(label="Title", max_length=300, required=False, widget=_text())
    topics = forms.CharField(
        label="Topics",
        max_length=1000,
        widget=_text(placeholder="fintech, pricing"),
        help_text="What it is about, separated by commas: it is matched with people’s interests and needs.",
        error_messages={"required": "Say what it is about."},
    )


class SendForm(Form):
    message = forms.CharField(
        label="Your message (optional)",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave empty for a drafted note per person; {name} becomes each one’s first name.",
    )
