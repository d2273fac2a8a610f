from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.models import User

from kithkin.core.choices import Circle, Closeness
from kithkin.core.errors import BadInput
from kithkin.lib.addresses import parse_pasted
from kithkin.lib.places import country_code
from kithkin.network.services import BAND_LABELS
from kithkin.people.duplicates import PasteRow
from kithkin.people.models import Person
from kithkin.people.services import PEOPLE_SORTS, PersonChanges, find_person
from kithkin.web.forms import Form, plain

# The people app's orders, and strongest ties first, which the network app above it works out.
LIST_SORTS = [*PEOPLE_SORTS, ("strength", "Strongest ties first")]

# --- prospects ---


class ProspectForm(Form):
    """Someone the user wants to meet, and why: the why is what makes them worth the effort."""

    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    why = forms.CharField(
        label="Why you want to meet them",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A mover in your industry, a name that keeps coming up, a way into a company.",
        error_messages={"required": "Say why you want to meet them."},
    )
    organization = forms.CharField(
        max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    title = forms.CharField(max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    # A text input, not type=url: people paste "linkedin.com/in/ana" without a scheme, and the
    # service normalises it.
    link = forms.CharField(
        max_length=500,
        required=False,
        help_text="LinkedIn or a web page about them.",
        widget=forms.TextInput(
            attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false", "placeholder": "linkedin.com/in/…"}
        ),
    )


# --- adding people ---

# Service fields named in BadInput, and the form field that shows them.
ADD_FIELDS = {"org": "organization", "interest": "interests", "met-on": "met_on", "met-through": "met_through"}
# The fields under "How you met, interests and notes": the essentials come first, on their own.
MORE_FIELDS = ("met_how", "met_through", "met_on", "interests", "notes")
MAX_PASTE = 200


def _text(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": "off", **attrs})


class PersonAddForm(Form):
    """One person, the essentials first. ``met_through`` is a name or email (or an id) that is
    resolved to someone in the owner's network."""

    name = forms.CharField(max_length=200, widget=_text(autofocus=""), error_messages={"required": "Enter their name."})
    organization = forms.CharField(max_length=200, required=False, widget=_text())
    title = forms.CharField(max_length=200, required=False, widget=_text())
    # A text input, not type=email: browsers refuse an internationalised address
    # ("søren@bücher.de"), which the service accepts and checks (kithkin.lib.emails).
    email = forms.CharField(
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})
    )
    circle = forms.ChoiceField(required=False, choices=[("", "—"), *Circle.choices], help_text="How you know them.")
    closeness = forms.ChoiceField(
        choices=Closeness.choices, initial=Closeness.ACTIVE, help_text="Sets how often to check in."
    )
    met_how = forms.CharField(
        max_length=2000, required=False, label="How we met", widget=forms.Textarea(attrs={"rows": 2})
    )
    met_through = forms.CharField(
        max_length=200,
        required=False,
        label="Met through",
        help_text="Someone in your network: their name or email.",
        widget=_text(),
    )
    met_on = forms.DateField(required=False, label="Met on", widget=forms.DateInput(attrs={"type": "date"}))
    interests = forms.CharField(
        max_length=2000, required=False, help_text="Comma separated: fintech, marathons.", widget=_text()
    )
    notes = forms.CharField(
        max_length=50000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown: **bold**, lists, [links](https://…).",
    )
    # The ids of the possible duplicates the user was shown and chose to add anyway.
    confirm = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_met_through(self) -> Person | None:
        text = self.cleaned_data["met_through"].strip()
        if not text:
            return None
        try:
            return find_person(self.owner, text, "met_through")
        except BadInput as exc:
            raise forms.ValidationError(plain(exc.message)) from None

    def changes(self) -> PersonChanges:
        data = self.cleaned_data
        return PersonChanges(
            organization=data["organization"] or None,
            title=data["title"] or None,
            emails=[data["email"]] if data["email"] else [],
            phones=[data["phone"]] if data["phone"].strip() else [],
            circle=data["circle"],
            closeness=data["closeness"],
            interests=[t for t in (part.strip() for part in data["interests"].split(",")) if t],
            met_how=data["met_how"] or None,
            met_through=data["met_through"],
            met_on=data["met_on"],
            notes=data["notes"] or None,
        )

    @property
    def shows_more(self) -> bool:
        """Open "How you met, interests and notes" when it holds something, or a mistake."""
        return any(self[name].value() or self.errors.get(name) for name in MORE_FIELDS)

    def focus_first_error(self) -> None:
        """Put the cursor where the first mistake is, rather than back on the name."""
        first = next((name for name in self.fields if name in self.errors), None)
        if first is not None:
            self.fields["name"].widget.attrs.pop("autofocus", None)
            self.fields[first].widget.attrs["autofocus"] = ""


class PasteForm(Form):
    text = forms.CharField(
        label="Names and email addresses",
        max_length=200_000,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "spellcheck": "false",
                "autocomplete": "off",
                "placeholder": 'Ana Ruiz <ana@acme.example>\n"Chen, Bo" <bo@globex.example>\nDana Okafor\nlee@initech.example',
            }
        ),
        help_text="From an email's To or Cc line, a spreadsheet column or a list: one person per line, "
        "or separated by commas as in an email.",
        error_messages={"required": "Paste at least one name or email address."},
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("Paste at least one name or email address.")
        # Each person added is a dozen queries (25 take half a second): 200 at a time keeps a confirm quick.
        pasted = parse_pasted(text)
        if len(pasted.entries) + len(pasted.unreadable) > MAX_PASTE:
            raise forms.ValidationError(f"Paste at most {MAX_PASTE} people at a time.")
        return text


class PasteConfirmForm(PasteForm):
    """The preview's form: the same text again (it is read again, never trusted from the page),
    the rows to add, and what the batch shares."""

    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)
    add = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])
    circle = forms.ChoiceField(required=False, choices=[("", "—"), *Circle.choices])
    closeness = forms.ChoiceField(choices=Closeness.choices, initial=Closeness.ACTIVE)

    def __init__(self, *args: Any, addable: Sequence[PasteRow] = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "confirm_%s")
        super().__init__(*args, **kwargs)
        self.fields["text"].widget = forms.HiddenInput()
        # Only the rows the preview offers can be ticked: not someone already in the network.
        self.fields["add"] = forms.TypedMultipleChoiceField(
            coerce=int, required=False, choices=[(row.index, row.entry.name) for row in addable]
        )


# --- the people list ---


class PeopleFilterForm(Form):
    """The list's state, all of it in the query string so links and the back button work."""

    q = forms.CharField(required=False, max_length=200)
    circle = forms.ChoiceField(required=False, choices=[("", "Any circle"), *Circle.choices])
    closeness = forms.ChoiceField(required=False, choices=[("", "Any closeness"), *Closeness.choices])
    interest = forms.CharField(required=False, max_length=300)
    org = forms.CharField(required=False, max_length=200)
    city = forms.CharField(required=False, max_length=100)
    country = forms.CharField(required=False, max_length=100)
    prospects = forms.ChoiceField(
        required=False,
        choices=[("", "Everyone"), ("only", "Only people to meet"), ("exclude", "Not people to meet")],
    )
    overdue = forms.BooleanField(required=False)
    strength = forms.ChoiceField(required=False, choices=[("", "Any strength"), *BAND_LABELS.items()])
    sort = forms.ChoiceField(required=False, choices=LIST_SORTS)

    def clean_country(self) -> str:
        """The country's code ("Germany" or "de" is DE); a name that is no country is ignored."""
        text = self.cleaned_data["country"].strip()
        if text and not country_code(text):
            raise forms.ValidationError("That isn't a country Kithkin knows.")
        return country_code(text) if text else ""

    def filters(self) -> dict[str, Any]:
        """The valid parts of the query string; a bad value (an old link) is ignored, not an error."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        data["sort"] = data["sort"] or LIST_SORTS[0][0]
        return data


class BulkEditForm(Form):
    circle = forms.ChoiceField(required=False, label="Set circle", choices=[("", "Keep as is"), *Circle.choices])
    closeness = forms.ChoiceField(
        required=False, label="Set closeness", choices=[("", "Keep as is"), *Closeness.choices]
    )
    cadence = forms.CharField(
        required=False,
        max_length=20,
        label="Check in every",
        help_text="Days, “never”, or “default” to follow closeness.",
        widget=forms.TextInput(attrs={"placeholder": "Keep as is", "autocomplete": "off"}),
    )
    add_interests = forms.CharField(
        required=False,
        max_length=2000,
        label="Add interests",
        help_text="Separate several with commas.",
        widget=forms.TextInput(attrs={"placeholder": "fintech, marathons", "autocomplete": "off"}),
    )
    remove_interest = forms.CharField(
        required=False,
        max_length=300,
        label="Remove interest",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "interest-suggestions"}),
    )
    apply_to = forms.ChoiceField(choices=[("selected", "selected"), ("matching", "matching")], initial="selected")

    def changes(self) -> dict[str, Any]:
        """Keyword arguments for ``bulk_edit_people``: blank fields leave things as they are."""
        data = self.cleaned_data
        return {
            "circle": data["circle"] or None,
            "closeness": data["closeness"] or None,
            "cadence": data["cadence"].strip() or None,
            "add_interests": [t for t in (part.strip() for part in data["add_interests"].split(",")) if t],
            "remove_interest": data["remove_interest"].strip() or None,
        }
