"""The parts of a person's page that can be edited in place, each a small form.

A section knows its form, the values it starts from, and how its cleaned data becomes a
``PersonChanges`` for ``edit_person`` (lists are diffed: what the user removed is removed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.models import User

from kithkin.core.choices import Circle, Closeness
from kithkin.lib.names import clean_name
from kithkin.lib.places import country_name
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, find_person
from kithkin.web.forms import Form

LINES = re.compile(r"[\r\n]+")
COMMAS = re.compile(r"[,\n\r]+")


def _split(text: str, pattern: re.Pattern[str] = LINES) -> list[str]:
    return [part for part in (clean_name(p) for p in pattern.split(text or "")) if part]


def _diff(current: Iterable[str], wanted: list[str]) -> tuple[list[str], list[str]]:
    """(to add, to remove), comparing without case."""
    have = {c.lower(): c for c in current}
    want = {w.lower(): w for w in wanted}
    return [w for k, w in want.items() if k not in have], [c for k, c in have.items() if k not in want]


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class AboutForm(Form):
    name = forms.CharField(max_length=200)
    nicknames = forms.CharField(required=False, max_length=300, help_text="What you call them; comma separated.")
    organization = forms.CharField(required=False, max_length=200)
    title = forms.CharField(required=False, max_length=200, label="Job title")
    location = forms.CharField(
        required=False, max_length=200, help_text="As you would say it; city and country follow from it."
    )
    city = forms.CharField(required=False, max_length=100, help_text="Only to correct what the location says.")
    country = forms.CharField(required=False, max_length=100, help_text="A name or a two-letter code.")
    birthday = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class RelationshipForm(Form):
    circle = forms.ChoiceField(choices=[("", "—"), *Circle.choices], required=False, help_text="How you know them.")
    closeness = forms.ChoiceField(choices=Closeness.choices, help_text="Sets how often Kithkin asks you to check in.")
    cadence_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="Check in every (days)",
        help_text="Empty to follow their closeness.",
    )
    never = forms.BooleanField(required=False, label="Never remind me to check in")


class ContactForm(Form):
    emails = forms.CharField(required=False, widget=_textarea(), help_text="One per line.")
    phones = forms.CharField(required=False, widget=_textarea(), help_text="One per line, with the country code.")
    links = forms.CharField(
        required=False, widget=_textarea(), help_text="LinkedIn, a website… one per line.", label="Links"
    )


class InterestsForm(Form):
    interests = forms.CharField(
        required=False, widget=_textarea(), help_text="Topics they care about; comma separated."
    )
    needs = forms.CharField(required=False, widget=_textarea(), help_text="What they are looking for; one per line.")
    offers = forms.CharField(required=False, widget=_textarea(), help_text="What they can help with; one per line.")


class MetForm(Form):
    met_how = forms.CharField(required=False, max_length=2000, label="How you met", widget=_textarea())
    met_through = forms.CharField(
        required=False, max_length=200, label="Through", help_text="The person who introduced you: a name or email."
    )
    met_on = forms.DateField(required=False, label="When", widget=forms.DateInput(attrs={"type": "date"}))
    why = forms.CharField(
        required=False, max_length=2000, label="Why you wanted to meet them", widget=_textarea(), help_text=""
    )


class NotesForm(Form):
    notes = forms.CharField(
        required=False,
        max_length=50000,
        widget=_textarea(8),
        help_text="Markdown: **bold**, lists, [links](https://…).",
    )


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    form: type[forms.Form]
    initial: Callable[[Person, Mapping[str, Any]], dict[str, Any]]
    changes: Callable[[User, Person, Mapping[str, Any], dict[str, Any]], PersonChanges]
    # Service field names in a BadInput, and the form field that shows them.
    fields: Mapping[str, str]


def _changed(value: str, current: str) -> str | None:
    """The value when the user changed it in the form, else None (leave as it is)."""
    return None if value.strip() == current else value


def _about_changes(owner: User, person: Person, data: Mapping[str, Any], _: dict[str, Any]) -> PersonChanges:
    add_nicks, remove_nicks = _diff(person.nicknames, _split(data["nicknames"], COMMAS))
    # City and country are given only when edited: otherwise they follow a new location.
    country = data["country"].strip()
    return PersonChanges(
        name=data["name"],
        organization=data["organization"],
        title=data["title"],
        location=_changed(data["location"], person.location),
        city=_changed(data["city"], person.city),
        country=None if country in {person.country, country_name(person.country)} else country,
        birthday=data["birthday"],
        nicknames=add_nicks,
        remove_nicknames=remove_nicks,
        clear=() if data["birthday"] else ("birthday",),
    )


def _relationship_changes(owner: User, person: Person, data: Mapping[str, Any], _: dict[str, Any]) -> PersonChanges:
    cadence: str | int = "never" if data["never"] else (data["cadence_days"] or "default")
    return PersonChanges(circle=data["circle"], closeness=data["closeness"], cadence=cadence)


def _contact_changes(owner: User, person: Person, data: Mapping[str, Any], related: dict[str, Any]) -> PersonChanges:
    add_e, remove_e = _diff([e.address for e in related["emails"]], _split(data["emails"]))
    add_p, remove_p = _diff([p.number for p in related["phones"]], _split(data["phones"]))
    add_l, remove_l = _diff([link.url for link in related["links"]], _split(data["links"]))
    return PersonChanges(
        emails=add_e, remove_emails=remove_e, phones=add_p, remove_phones=remove_p, links=add_l, remove_links=remove_l
    )


def _interests_changes(owner: User, person: Person, data: Mapping[str, Any], related: dict[str, Any]) -> PersonChanges:
    add_i, remove_i = _diff([i.text for i in related["interests"]], _split(data["interests"], COMMAS))
    add_n, remove_n = _diff([n.text for n in related["needs"]], _split(data["needs"]))
    add_o, remove_o = _diff([o.text for o in related["offers"]], _split(data["offers"]))
    return PersonChanges(
        interests=add_i,
        remove_interests=remove_i,
        needs=add_n,
        remove_needs=remove_n,
        offers=add_o,
        remove_offers=remove_o,
    )


def _met_changes(owner: User, person: Person, data: Mapping[str, Any], _: dict[str, Any]) -> PersonChanges:
    through_text = data["met_through"].strip()
    through = None
    if through_text and not (person.met_through and through_text == person.met_through.full_name):
        through = find_person(owner, through_text, "met_through")
    clear = []
    if not through_text:
        clear.append("met_through")
    if not data["met_on"]:
        clear.append("met_on")
    return PersonChanges(
        met_how=data["met_how"], met_through=through, met_on=data["met_on"], why=data["why"], clear=clear
    )


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in [
        Section(
            "about",
            "About",
            AboutForm,
            lambda p, r: {
                "name": p.full_name,
                "nicknames": ", ".join(p.nicknames),
                "organization": p.organization.name if p.organization else "",
                "title": p.title,
                "location": p.location,
                "city": p.city,
                "country": country_name(p.country) if p.country else "",
                "birthday": p.birthday,
            },
            _about_changes,
            {"org": "organization", "name": "name", "birthday": "birthday", "city": "city", "country": "country"},
        ),
        Section(
            "relationship",
            "Relationship",
            RelationshipForm,
            lambda p, r: {
                "circle": p.circle,
                "closeness": p.closeness,
                "cadence_days": p.cadence_days,
                "never": p.is_cadence_never,
            },
            _relationship_changes,
            {"cadence": "cadence_days"},
        ),
        Section(
            "contact",
            "Contact",
            ContactForm,
            lambda p, r: {
                "emails": "\n".join(e.address for e in r["emails"]),
                "phones": "\n".join(ph.number for ph in r["phones"]),
                "links": "\n".join(link.url for link in r["links"]),
            },
            _contact_changes,
            {"email": "emails", "phone": "phones", "link": "links"},
        ),
        Section(
            "interests",
            "Interests, needs and offers",
            InterestsForm,
            lambda p, r: {
                "interests": ", ".join(i.text for i in r["interests"]),
                "needs": "\n".join(n.text for n in r["needs"]),
                "offers": "\n".join(o.text for o in r["offers"]),
            },
            _interests_changes,
            {"interest": "interests", "need": "needs", "offer": "offers"},
        ),
        Section(
            "met",
            "How you met",
            MetForm,
            lambda p, r: {
                "met_how": p.met_how,
                "met_through": p.met_through.full_name if p.met_through else "",
                "met_on": p.met_on,
                "why": p.why,
            },
            _met_changes,
            {"met-through": "met_through", "met-on": "met_on", "why": "why"},
        ),
        Section(
            "notes",
            "Notes",
            NotesForm,
            lambda p, r: {"notes": p.notes},
            lambda o, p, d, r: PersonChanges(notes=d["notes"]),
            {},
        ),
    ]
}


class ReminderForm(Form):
    reason = forms.CharField(
        max_length=300,
        label="Remind me to",
        widget=forms.TextInput(attrs={"placeholder": "Send Ana the pricing article"}),
    )
    when = forms.CharField(
        max_length=100, initial="tomorrow", help_text="“tomorrow”, “next friday”, “in 2 weeks” or a date"
    )
