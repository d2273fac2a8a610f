from __future__ import annotations

from datetime import date

from django import forms

from kithkin.people.models import Milestone
from kithkin.web.forms import Form


class SnoozeForm(Form):
    """Snooze to tomorrow, next week (Monday), or a chosen date, each at 9:00 local time."""

    until = forms.ChoiceField(choices=[("tomorrow", "Tomorrow"), ("next_week", "Next week"), ("date", "On a date")])
    on = forms.DateField(required=False, label="Date", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("until") == "date" and not data.get("on"):
            self.add_error("on", "Pick a date to snooze until.")
        return data

    def chosen(self) -> str | date:
        """What ``followups.services.snooze_until`` is to read: a choice, or the date picked."""
        choice: str = self.cleaned_data["until"]
        return self.cleaned_data["on"] if choice == "date" else choice


class MilestoneForm(Form):
    """A milestone recorded from a person's page (``record_milestone``)."""

    kind = forms.ChoiceField(
        label="What", choices=[(value, str(label).capitalize()) for value, label in Milestone.Kind.choices]
    )
    text = forms.CharField(
        label="Details",
        max_length=300,
        help_text="“Product Lead at Initech”, “Won the design award”.",
        error_messages={"required": "Say what happened."},
    )
    on = forms.DateField(
        label="When", required=False, help_text="Empty for today.", widget=forms.DateInput(attrs={"type": "date"})
    )
    organization = forms.CharField(label="New organization", max_length=200, required=False)
    title = forms.CharField(label="New title", max_length=200, required=False)
    apply_position = forms.BooleanField(label="Make it their current role", required=False)
