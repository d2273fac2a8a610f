"""The export page's choice of people: chips for circle, closeness and people to meet, and boxes
for an organization, an interest and words, all sent as a GET query the downloads share.

Who matches is the exports service's to say (``PeopleChoice``, ``choose_people``); this form only
reads the query into a choice. An old link's ``people=`` text (``circle:friend prospects:yes``,
the CLI's syntax) is still read, the same way the CLI reads it.
"""

from __future__ import annotations

from django import forms
from django.utils.datastructures import MultiValueDict

from kithkin.core.choices import Circle, Closeness
from kithkin.exports.services import PeopleChoice, parse_people_filter
from kithkin.web.forms import Form

PROSPECTS = {"only": True, "exclude": False}
OFFERED = {"circle": frozenset(Circle.values), "closeness": frozenset(Closeness.values)}


class ExportPeopleForm(Form):
    circle = forms.MultipleChoiceField(
        label="Circle", required=False, choices=Circle.choices, widget=forms.CheckboxSelectMultiple
    )
    closeness = forms.MultipleChoiceField(
        label="Closeness", required=False, choices=Closeness.choices, widget=forms.CheckboxSelectMultiple
    )
    prospects = forms.ChoiceField(
        label="People to meet",
        required=False,
        choices=[("", "Everyone"), ("exclude", "Only people I have met"), ("only", "Only people to meet")],
        widget=forms.RadioSelect,
    )
    org = forms.CharField(label="Organization", required=False, max_length=200)
    interest = forms.CharField(label="Interest", required=False, max_length=300)
    q = forms.CharField(label="Name or word", required=False, max_length=200)
    # The old text filter, from links and bookmarks made before the chips: never shown.
    people = forms.CharField(required=False, max_length=500)

    def choice(self) -> PeopleChoice:
        """The people chosen. A value no chip offers (an old or edited link) is left out, as the
        People page does; the old text filter raises the service's ``BadInput``."""
        self.is_valid()
        data = self.cleaned_data
        if old := (data.get("people") or "").strip():
            return parse_people_filter(old)
        return PeopleChoice(
            search=(data.get("q") or "").strip(),
            circles=self._offered("circle"),
            closeness=self._offered("closeness"),
            interest=(data.get("interest") or "").strip(),
            organization=(data.get("org") or "").strip(),
            prospects=PROSPECTS.get(data.get("prospects") or ""),
        )

    def _offered(self, name: str) -> tuple[str, ...]:
        """The values of a chip set, those no chip offers left out (each alone: one bad value does
        not drop the others, as the field's own cleaning would)."""
        sent = self.data.getlist(name) if isinstance(self.data, MultiValueDict) else []
        return tuple(value for value in sent if value in OFFERED[name])

    @property
    def more_on(self) -> bool:
        """Whether a box under "More filters" is filled in: it opens to show it."""
        return any(self.data.get(name) for name in ("org", "interest", "q"))
