"""The message templates page's form: one box per kind; an empty box means Kithkin's wording."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from kithkin.accounts.models import Profile
from kithkin.core.drafts import MAX_TEMPLATE
from kithkin.drafts.services import template_text
from kithkin.drafts.wording import PROFILE_FIELDS, TITLES
from kithkin.web.forms import Form


class DraftTemplatesForm(Form):
    """A field per template, named as the profile keeps it (``draft_thank_you_template``)."""

    def __init__(self, data: QueryDict | None = None, *, profile: Profile) -> None:
        super().__init__(data, initial={name: template_text(profile, kind) for kind, name in PROFILE_FIELDS.items()})
        for kind, name in PROFILE_FIELDS.items():
            self.fields[name] = forms.CharField(
                required=False,
                label=TITLES[kind],
                max_length=MAX_TEMPLATE,
                help_text="Leave it empty for Kithkin's wording.",
                widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "true"}),
            )
