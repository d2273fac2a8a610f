"""The goal form: the words, the organizations and the people it is about (``add_goal``)."""

from __future__ import annotations

from django import forms

from kithkin.web.forms import Form

# Which form field shows a service's BadInput, by the field the service names.
GOAL_FIELDS = {
    "TEXT": "text",
    "text": "text",
    "target": "organizations",
    "target-org": "organizations",
    "person": "people",
    "names": "people",
    "target-person": "people",
}


def _split(text: str) -> list[str]:
    """Names one a line, or separated by commas or semicolons."""
    return [part.strip() for line in text.splitlines() for part in line.replace(";", ",").split(",") if part.strip()]


class GoalForm(Form):
    text = forms.CharField(
        label="Goal",
        max_length=300,
        help_text="“Move into finance”, “A way into Acme”, “Find a mentor in design”.",
        error_messages={"required": "Say what the goal is."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    organizations = forms.CharField(
        label="Target organizations",
        required=False,
        max_length=3000,
        help_text="One a line or separated by commas. Kithkin lists whom you know at each.",
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
    people = forms.CharField(
        label="Target people",
        required=False,
        max_length=3000,
        help_text="Names, separated by commas. A name new to you is added to the people you want to meet.",
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
    pitch = forms.CharField(
        label="Your one-line pitch",
        required=False,
        max_length=2000,
        help_text="“I'm a marketing analyst and I want to move into finance.”",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def organization_names(self) -> list[str]:
        return _split(self.cleaned_data["organizations"])

    def people_names(self) -> str:
        return self.cleaned_data["people"].replace("\n", ", ")


class TargetsForm(Form):
    """More organizations and people for an existing goal."""

    organizations = GoalForm.base_fields["organizations"]
    people = GoalForm.base_fields["people"]

    def organization_names(self) -> list[str]:
        return _split(self.cleaned_data["organizations"])

    def people_names(self) -> str:
        return self.cleaned_data["people"].replace("\n", ", ")
