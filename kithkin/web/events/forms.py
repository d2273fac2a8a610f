from __future__ import annotations

from typing import Any

from django import forms

from kithkin.core.choices import Circle
from kithkin.events.models import Event
from kithkin.exchanges.models import Kind
from kithkin.people.models import Person
from kithkin.web.forms import Form

# Service fields named in BadInput, and the form field that shows them.
PLAN_FIELDS = {"on": "when", "starter": "starters", "hope-to-meet": "hopes", "person": "hopes", "names": "hopes"}
MET_FIELDS = {"person": "names", "name": "names", "met-on": "names", "event": "names"}
HELP_FIELDS = {"WHAT": "what", "settles": "what", "on": "what"}

WHEN_SUGGESTIONS = ["tonight 6:30pm", "tomorrow 8:30am", "friday 6pm", "next tuesday 7pm", "yesterday 6pm"]


def _text(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": "off", **attrs})


class PlanForm(Form):
    """The plan of an event. The people hoped for come as ``person`` ids and ``new`` names
    (chips of the autocomplete), read from the POST beside this form, plus names typed in
    ``hopes``."""

    name = forms.CharField(
        max_length=200, label="Event", widget=_text(), error_messages={"required": "Give the event a name."}
    )
    when = forms.CharField(
        max_length=100,
        help_text="“friday 6:30pm”, “tomorrow 8:30am” or 2026-12-03 18:30 (a day alone means 18:00)",
        widget=_text(list="event-when-suggestions"),
        error_messages={"required": "Say when it starts."},
    )
    where = forms.CharField(max_length=300, required=False, widget=_text())
    goal = forms.CharField(
        max_length=2000,
        required=False,
        label="What you want from it",
        help_text="Two people in payments; a lead on a product role; advice on pricing.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    pitch = forms.CharField(
        max_length=2000,
        required=False,
        label="Your one-line pitch",
        help_text="“I'm a marketing analyst and I want to move into finance.”",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    starters = forms.CharField(
        max_length=6000,
        required=False,
        label="Conversation starters",
        help_text="One per line.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hopes = forms.CharField(
        max_length=1000,
        required=False,
        label="People you hope to meet",
        help_text="Type a name and pick; a name new to you is added to the people you want to meet.",
    )
    circle = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *Circle.choices],
        label="Circle of the people you meet there",
        help_text="The people new to you that you meet there get this circle.",
    )

    @staticmethod
    def initial_for(event: Event, tz: Any) -> dict[str, str]:
        return {
            "name": event.name,
            "when": f"{event.starts_at.astimezone(tz):%Y-%m-%d %H:%M}",
            "where": event.where,
            "goal": event.goal,
            "pitch": event.pitch,
            "starters": "\n".join(event.starters),
            "circle": event.circle,
        }


class MetForm(Form):
    """People met at an event: ``person`` ids and ``new`` names beside it, as in quick capture."""

    names = forms.CharField(
        max_length=1000,
        required=False,
        label="Add people you met",
        help_text="Type a name and pick; separate several with commas. A name new to you adds them.",
    )


WORTH_CHOICES = [("yes", "Yes"), ("no", "No"), ("", "Not sure yet")]


class VerdictForm(Form):
    verdict = forms.CharField(
        max_length=5000,
        required=False,
        label="How did it go?",
        help_text="What worked, what did not, whom to look for next time.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    worth = forms.ChoiceField(
        choices=WORTH_CHOICES, required=False, label="Worth going again?", widget=forms.RadioSelect
    )

    def is_worth_again(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("worth") or "")

    @staticmethod
    def initial_for(event: Event) -> dict[str, str]:
        worth = {True: "yes", False: "no", None: ""}[event.is_worth_again]
        return {"verdict": event.verdict, "worth": worth}


class HelpForm(Form):
    """A give, help received or an ask that came from the event, with someone met or hoped for there."""

    direction = forms.ChoiceField(
        choices=[("gave", "I gave"), ("got", "I got"), ("asked", "I asked for")], label="What happened"
    )
    person = forms.TypedChoiceField(coerce=int, label="With")
    what = forms.CharField(
        max_length=300, label="What", widget=_text(placeholder="An intro to Bo; advice on my CV; a job lead")
    )
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.OTHER)

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in people]  # type: ignore[attr-defined]
