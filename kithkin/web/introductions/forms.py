"""The introductions pages' forms. The rules live in the services; their ``BadInput`` comes back
as an error on the field it names."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.http import QueryDict

from kithkin.accounts.models import Profile
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.refs import parse_id
from kithkin.introductions import drafts
from kithkin.introductions.services import ACTIONS, MAX_TEXT, MAX_WHY
from kithkin.people.models import Person
from kithkin.people.services import find_person
from kithkin.web.forms import Form


class ProposeForm(Form):
    """Two people and why. Each person comes as an ``a``/``b`` id chosen in the autocomplete
    (read from the POST beside this form), or as the name typed into ``a_name``/``b_name``."""

    a_name = forms.CharField(required=False, max_length=200, label="Person A (asked first)")
    b_name = forms.CharField(required=False, max_length=200, label="Person B (asked once A agrees)")
    why = forms.CharField(
        max_length=MAX_WHY,
        label="Why should they meet?",
        help_text="It goes into the message to each of them, so say what is in it for both.",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Bo is hiring a senior designer, and Ana is looking"}),
    )

    def person(self, owner: User, data: QueryDict, key: str) -> Person:
        """The one person picked or typed for ``key`` ("a" or "b")."""
        ids = [value for value in data.getlist(key) if value.strip()]
        new = [value for value in data.getlist(f"{key}_new") if value.strip()]
        typed = self.cleaned_data.get(f"{key}_name", "").strip()
        which = "A" if key == "a" else "B"
        if len(ids) + len(new) + bool(typed) > 1:
            raise BadInput(key, f"choose one person as {which}")
        if new:
            raise BadInput(key, f"{new[0]} is not in your network yet: add them first, then introduce them")
        if ids:
            people = Person.objects.for_owner(owner).select_related("organization")
            pk = parse_id(ids[0])
            found = people.filter(pk=pk).first() if pk is not None else None
            if found is None:
                raise NotFound(key, "no such person")
            return found
        if not typed:
            raise BadInput(key, f"say who {which} is")
        return find_person(owner, typed, key)


class StepForm(Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    text = forms.CharField(required=False, max_length=MAX_TEXT, label="How did it go?")


class TemplatesForm(Form):
    """The wording of the three messages; an empty box means Kithkin's wording."""

    intro_ask_a_template = forms.CharField(
        required=False,
        label="Asking A",
        max_length=drafts.MAX_TEMPLATE,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
    )
    intro_ask_b_template = forms.CharField(
        required=False,
        label="Asking B",
        max_length=drafts.MAX_TEMPLATE,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
    )
    intro_email_template = forms.CharField(
        required=False,
        label="The introduction email",
        max_length=drafts.MAX_TEMPLATE,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
    )

    def __init__(self, data: QueryDict | None = None, *, profile: Profile) -> None:
        initial = {
            name: getattr(profile, name) or drafts.DEFAULTS[kind] for kind, name in drafts.PROFILE_FIELDS.items()
        }
        super().__init__(data, initial=initial)
        for name in drafts.PROFILE_FIELDS.values():
            self.fields[name].help_text = "Leave it empty for Kithkin's wording."
