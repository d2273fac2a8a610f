"""The forms of the import pages: the upload, and the options a preview is planned with.

The rules (a known format, a real circle) live in ``plan.py``; its ``BadInput`` comes back as
an error on the field it names. These forms only say what can be chosen.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from kithkin.accounts.models import Profile
from kithkin.core.choices import Circle, Closeness
from kithkin.imports.plan import FORMATS, ImportOptions
from kithkin.web.forms import Form

# What each format is called where people meet it: in the program that wrote the file.
FORMAT_LABELS = {
    "linkedin": "LinkedIn connections (CSV)",
    "google": "Google Contacts (CSV)",
    "outlook": "Outlook contacts (CSV)",
    "thunderbird": "Thunderbird address book (CSV)",
    "vcard": "vCard (.vcf): iPhone, Mac, Android, most address books",
    "csv": "Another contacts CSV",
    "ics": "Calendar (.ics): past meetings become touches",
}
# Short names for lists and headings.
FORMAT_NAMES = {
    "linkedin": "LinkedIn",
    "google": "Google Contacts",
    "outlook": "Outlook",
    "thunderbird": "Thunderbird",
    "vcard": "vCard",
    "csv": "CSV",
    "ics": "Calendar",
    "calendar": "Calendar",
    "address_book": "Address book sync",
}
LABEL_CHOICES = [
    ("interests", "Interests"),
    ("circles", "A circle when they name one (Friends, Coworkers…), otherwise an interest"),
    ("ignore", "Nothing: leave them out"),
]
# Field names in a BadInput from the planner, and the form field that shows them.
OPTION_FIELDS = {"FORMAT": "format", "format": "format", "file": "file"}


def format_name(fmt: str) -> str:
    return FORMAT_NAMES.get(fmt, fmt)


class OptionsForm(Form):
    """How the people a file brings in start out. Empty means "as in Settings"."""

    circle = forms.ChoiceField(
        label="Circle of new people",
        required=False,
        choices=[("", "No circle"), *Circle.choices],
    )
    # Not required: a form sent without them (a script, an old page) gets the settings' defaults.
    closeness = forms.ChoiceField(
        label="Closeness of new people",
        required=False,
        choices=Closeness.choices,
        help_text="Sets their check-ins (acquaintances: none, by default).",
    )
    labels = forms.ChoiceField(
        label="Labels and groups become",
        required=False,
        choices=LABEL_CHOICES,
        initial="interests",
        help_text="Google, Outlook and vCard files can give people labels (groups, categories).",
    )
    skip_duplicates = forms.BooleanField(
        label="Leave out likely duplicates",
        required=False,
        help_text="Otherwise they are added as new people, to merge later if they are the same.",
    )

    def __init__(self, data: QueryDict | None = None, *, profile: Profile, **kwargs: Any) -> None:
        initial = {"circle": profile.import_circle, "closeness": profile.import_closeness, "labels": "interests"}
        super().__init__(data, initial=initial, **kwargs)

    def options(self, add_attendees: frozenset[str] = frozenset()) -> ImportOptions:
        """The planner's options: what the form was sent, the defaults for what it was not."""
        values: dict[str, Any] = {**self.initial, "skip_duplicates": False}
        if self.is_bound and self.is_valid():
            for name in ("circle", "closeness", "labels"):
                # An empty circle is a choice ("No circle"); an empty closeness or labels is not.
                if name in self.data and (self.cleaned_data[name] or name == "circle"):
                    values[name] = self.cleaned_data[name]
            values["skip_duplicates"] = self.cleaned_data["skip_duplicates"]
        return ImportOptions(
            circle=values["circle"] or "",
            closeness=values["closeness"] or None,
            labels=values["labels"] or "interests",
            skip_duplicates=bool(values["skip_duplicates"]),
            add_attendees=add_attendees,
        )

    def query(self, options: ImportOptions) -> dict[str, str]:
        """The options as a query string, for the preview's URL."""
        query = {"circle": options.circle or "", "closeness": options.closeness or "", "labels": options.labels}
        if options.skip_duplicates:
            query["skip_duplicates"] = "on"
        return query


class UploadForm(OptionsForm):
    """A file, its format (found out from the contents unless the user says), and the options."""

    file = forms.FileField(
        label="File",
        # An empty file reaches the reader, whose message says which file and why.
        allow_empty_file=True,
        help_text="A LinkedIn, Google, Outlook or Thunderbird CSV, a vCard (.vcf) or a calendar (.ics).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.vcf,.vcard,.ics,.ical,.txt,text/csv,text/vcard"}),
    )
    format = forms.ChoiceField(
        label="Format",
        required=False,
        choices=[("", "Detect from the file"), *((fmt, FORMAT_LABELS[fmt]) for fmt in FORMATS)],
    )

    field_order = ["file", "format", "circle", "closeness", "labels", "skip_duplicates"]

    def __init__(self, data: QueryDict | None = None, files: Any = None, *, profile: Profile, max_mb: int) -> None:
        super().__init__(data, profile=profile, files=files)
        self.max_mb = max_mb

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_mb * 1024 * 1024:
            raise forms.ValidationError(
                f"{upload.name} is {upload.size / (1024 * 1024):.1f} MB; files of up to {self.max_mb} MB can be imported."
            )
        return upload
