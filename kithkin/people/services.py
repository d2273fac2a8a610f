"""Writes and look-ups for people and organizations: the only code that creates them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from rapidfuzz import fuzz, process

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.choices import Circle, Closeness, parse_choice
from kithkin.core.errors import BadInput, NotFound
from kithkin.lib.links import link_kind, normalize_url
from kithkin.lib.names import clean_name, parse_name
from kithkin.lib.phones import PhoneError, normalize_phone
from kithkin.people.models import Email, Interest, Link, Need, Offer, Organization, Person, Phone, Position
from kithkin.people.signals import person_changed

ItemModel = type[Interest] | type[Need] | type[Offer]
NEVER = "never"
DEFAULT = "default"


@dataclass
class PersonChanges:
    """What to set on a person. ``None`` leaves a field as it is; lists are added to."""

    name: str | None = None
    organization: str | None = None
    title: str | None = None
    location: str | None = None
    circle: str | None = None
    closeness: str | None = None
    cadence: str | int | None = None  # days, "never", or "default" to follow closeness
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    links: Sequence[str] = ()
    interests: Sequence[str] = ()
    needs: Sequence[str] = ()
    offers: Sequence[str] = ()
    remove_emails: Sequence[str] = ()
    remove_phones: Sequence[str] = ()
    remove_links: Sequence[str] = ()
    remove_interests: Sequence[str] = ()
    remove_needs: Sequence[str] = ()
    remove_offers: Sequence[str] = ()
    nicknames: Sequence[str] = ()
    met_how: str | None = None
    met_through: Person | None = None
    met_on: date | None = None
    birthday: date | None = None
    notes: str | None = None
    is_prospect: bool | None = None
    why: str | None = None
    prospect_status: str | None = None


def get_or_create_organization(owner: User, name: str) -> Organization:
    cleaned = clean_name(name)
    if not cleaned:
        raise BadInput("org", "must not be empty")
    found = Organization.objects.for_owner(owner).filter(name__iexact=cleaned).first()
    if found is not None:
        return found
    return Organization.objects.create(owner=owner, name=cleaned)


def _parse_cadence(value: str | int) -> tuple[int | None, bool]:
    """(override days, is never) for a cadence given as days, "never" or "default"."""
    if isinstance(value, int):
        days = value
    else:
        text = value.strip().lower()
        if text == NEVER:
            return None, True
        if text in {DEFAULT, ""}:
            return None, False
        if not re.fullmatch(r"\d+", text):
            raise BadInput("cadence", f"expected a number of days, 'never' or 'default', got {value!r}")
        days = int(text)
    if days <= 0 or days > 3650:
        raise BadInput("cadence", "must be between 1 and 3650 days")
    return days, False


def _clean_email(raw: str) -> str:
    address = raw.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise BadInput("email", f"{raw!r} is not an email address") from None
    return address


def _apply_fields(owner: User, person: Person, changes: PersonChanges, today: date) -> None:
    if changes.name is not None:
        parts = parse_name(changes.name)
        if not parts.full:
            raise BadInput("name", "must not be empty")
        person.full_name = parts.full
        person.name_prefix, person.given_name, person.middle_name = parts.prefix, parts.given, parts.middle
        person.family_name, person.name_suffix = parts.family, parts.suffix
        for nick in parts.nicknames:
            if nick not in person.nicknames:
                person.nicknames = [*person.nicknames, nick]
    for nick in changes.nicknames:
        cleaned = clean_name(nick)
        if cleaned and cleaned not in person.nicknames:
            person.nicknames = [*person.nicknames, cleaned]
    if changes.circle is not None:
        person.circle = parse_choice(Circle, changes.circle, "circle") if changes.circle.strip() else ""
    if changes.closeness is not None:
        person.closeness = parse_choice(Closeness, changes.closeness, "closeness")
    if changes.cadence is not None:
        person.cadence_days, person.is_cadence_never = _parse_cadence(changes.cadence)
    for attr in ("location", "met_how", "notes", "why"):
        value = getattr(changes, attr)
        if value is not None:
            setattr(person, attr, value.strip())
    if changes.met_on is not None:
        if changes.met_on > today:
            raise BadInput("met-on", f"{changes.met_on.isoformat()} is in the future")
        person.met_on = changes.met_on
    if changes.birthday is not None:
        if changes.birthday > today:
            raise BadInput("birthday", f"{changes.birthday.isoformat()} is in the future")
        person.birthday = changes.birthday
    if changes.met_through is not None:
        if changes.met_through.owner_id != owner.pk:
            raise NotFound("met-through", "no such person")
        if person.pk is not None and changes.met_through.pk == person.pk:
            raise BadInput("met-through", "a person cannot be met through themselves")
        person.met_through = changes.met_through
    if changes.is_prospect is not None:
        person.is_prospect = changes.is_prospect
        if changes.is_prospect and not person.prospect_status:
            person.prospect_status = Person.ProspectStatus.FIND_A_WAY_IN
    if changes.prospect_status is not None:
        person.prospect_status = parse_choice(Person.ProspectStatus, changes.prospect_status, "status")
    if person.is_prospect and not person.why.strip():
        raise BadInput("why", "say why you want to meet them")


def _update_position(owner: User, person: Person, changes: PersonChanges, today: date) -> None:
    """Mirror the current role on the person and keep the past one as history."""
    new_org = person.organization
    if changes.organization is not None:
        new_org = get_or_create_organization(owner, changes.organization) if changes.organization.strip() else None
    new_title = person.title if changes.title is None else clean_name(changes.title)
    if new_org == person.organization and new_title == person.title and person.pk is not None:
        return
    had_position = person.pk is not None and (person.organization_id is not None or person.title)
    if had_position:
        Position.objects.for_owner(owner).filter(person=person, ended_on__isnull=True).update(ended_on=today)
    person.organization, person.title = new_org, new_title


def _record_position(owner: User, person: Person, today: date, is_new: bool) -> None:
    current = Position.objects.for_owner(owner).filter(person=person, ended_on__isnull=True).first()
    if person.organization_id is None and not person.title:
        return
    if current and current.organization_id == person.organization_id and current.title == person.title:
        return
    Position.objects.create(
        owner=owner,
        person=person,
        organization=person.organization,
        title=person.title,
        started_on=None if is_new else today,
    )


def _add_items(owner: User, person: Person, model: ItemModel, texts: Iterable[str], field_name: str) -> None:
    existing = set(model.objects.for_owner(owner).filter(person=person).values_list("key", flat=True))
    for raw in texts:
        text = clean_name(raw)
        if not text:
            raise BadInput(field_name, "must not be empty")
        if len(text) > 300:
            raise BadInput(field_name, "must be at most 300 characters")
        key = text.lower()
        if key not in existing:
            model.objects.create(owner=owner, person=person, text=text, key=key)
            existing.add(key)


def _remove_items(owner: User, person: Person, model: ItemModel, texts: Iterable[str]) -> None:
    keys = [clean_name(t).lower() for t in texts]
    if keys:
        model.objects.for_owner(owner).filter(person=person, key__in=keys).delete()


def _add_emails(owner: User, person: Person, raws: Iterable[str]) -> None:
    for raw in raws:
        address = _clean_email(raw)
        taken = Email.objects.for_owner(owner).filter(address=address).select_related("person").first()
        if taken is not None:
            if taken.person_id == person.pk:
                continue
            raise BadInput("email", f"{address} already belongs to {taken.person.full_name} (#{taken.person_id})")
        Email.objects.create(owner=owner, person=person, address=address)


def _add_phones(owner: User, person: Person, raws: Iterable[str], region: str | None) -> None:
    for raw in raws:
        try:
            number = normalize_phone(raw, region)
        except PhoneError as exc:
            raise BadInput("phone", str(exc)) from None
        Phone.objects.get_or_create(owner=owner, person=person, number=number)


def _add_links(owner: User, person: Person, raws: Iterable[str]) -> None:
    for raw in raws:
        try:
            url = normalize_url(raw)
        except ValueError as exc:
            raise BadInput("link", str(exc)) from None
        Link.objects.get_or_create(owner=owner, person=person, url=url, defaults={"kind": link_kind(url)})


def _apply_related(owner: User, person: Person, changes: PersonChanges) -> None:
    region = get_profile(owner).phone_region or None
    _remove_items(owner, person, Interest, changes.remove_interests)
    _remove_items(owner, person, Need, changes.remove_needs)
    _remove_items(owner, person, Offer, changes.remove_offers)
    if changes.remove_emails:
        removing = [e.strip().lower() for e in changes.remove_emails]
        Email.objects.for_owner(owner).filter(person=person, address__in=removing).delete()
    if changes.remove_phones:
        removing = []
        for raw in changes.remove_phones:
            try:
                removing.append(normalize_phone(raw, region))
            except PhoneError:
                removing.append(raw.strip())
        Phone.objects.for_owner(owner).filter(person=person, number__in=removing).delete()
    if changes.remove_links:
        removing = []
        for raw in changes.remove_links:
            try:
                removing.append(normalize_url(raw))
            except ValueError:
                removing.append(raw.strip())
        Link.objects.for_owner(owner).filter(person=person, url__in=removing).delete()
    _add_emails(owner, person, changes.emails)
    _add_phones(owner, person, changes.phones, region)
    _add_links(owner, person, changes.links)
    _add_items(owner, person, Interest, changes.interests, "interest")
    _add_items(owner, person, Need, changes.needs, "need")
    _add_items(owner, person, Offer, changes.offers, "offer")


@transaction.atomic
def add_person(owner: User, name: str, changes: PersonChanges | None = None, *, now: datetime | None = None) -> Person:
    """Add someone to the network (or, with ``is_prospect``, to the people to meet)."""
    changes = changes or PersonChanges()
    changes.name = name
    now = now or clock.now()
    today = now.astimezone(get_profile(owner).tz).date()
    person = Person(owner=owner, created_at=now, updated_at=now)
    _apply_fields(owner, person, changes, today)
    _update_position(owner, person, changes, today)
    person.save()
    _record_position(owner, person, today, is_new=True)
    _apply_related(owner, person, changes)
    person_changed.send(sender=Person, owner=owner, person=person, created=True, now=now)
    return person


@transaction.atomic
def edit_person(owner: User, person: Person, changes: PersonChanges, *, now: datetime | None = None) -> Person:
    """Change a person's details; a new organization or title keeps the old role as history."""
    if person.owner_id != owner.pk:
        raise NotFound("person", "no such person")
    now = now or clock.now()
    today = now.astimezone(get_profile(owner).tz).date()
    person = Person.objects.select_for_update().get(pk=person.pk)
    _apply_fields(owner, person, changes, today)
    _update_position(owner, person, changes, today)
    person.updated_at = now
    person.save()
    _record_position(owner, person, today, is_new=False)
    _apply_related(owner, person, changes)
    person_changed.send(sender=Person, owner=owner, person=person, created=False, now=now)
    return person


def want_to_meet(owner: User, name: str, why: str, changes: PersonChanges | None = None) -> Person:
    """Add a prospect: someone the user wants to meet, and why."""
    changes = changes or PersonChanges()
    if not why.strip():
        raise BadInput("why", "say why you want to meet them")
    changes.is_prospect, changes.why = True, why
    return add_person(owner, name, changes)


def effective_cadence(person: Person, owner: User) -> int | None:
    """Days between check-ins for this person, or None when they get none."""
    if person.is_prospect or person.is_cadence_never:
        return None
    if person.cadence_days:
        return person.cadence_days
    return get_profile(owner).cadence_for(person.closeness)


# --- finding people -------------------------------------------------------------------------


def _describe(person: Person) -> str:
    org = f", {person.organization.name}" if person.organization_id and person.organization else ""
    return f"{person.full_name} (#{person.pk}{org})"


def find_person(owner: User, ref: str, field_name: str = "person") -> Person:
    """The one person ``ref`` names: an id ("12" or "#12"), an email, or a name.

    Names match whole (ignoring case), else by the start of each word ("ana ru" finds Ana
    Ruiz). An ambiguous name lists the candidates; an unknown one suggests the closest.
    """
    text = clean_name(ref)
    if not text:
        raise BadInput(field_name, "must not be empty")
    people = Person.objects.for_owner(owner).select_related("organization")
    id_match = re.fullmatch(r"#?(\d+)", text)
    if id_match:
        found = people.filter(pk=int(id_match.group(1))).first()
        if found is None:
            raise NotFound(field_name, f"no person has id {id_match.group(1)}")
        return found
    if "@" in text:
        email = (
            Email.objects.for_owner(owner).filter(address=text.lower()).select_related("person__organization").first()
        )
        if email is None:
            raise NotFound(field_name, f"no person has the email {text}")
        return email.person
    exact = list(people.filter(full_name__iexact=text)[:10])
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise BadInput(field_name, f"{text!r} is ambiguous: " + "; ".join(_describe(p) for p in exact))
    words = text.lower().split()
    query = Q()
    for word in words:
        # The start of a word: "ana" finds Ana Ruiz, not Diana or Mariana.
        query &= Q(full_name__istartswith=word) | Q(full_name__icontains=f" {word}")
    candidates = [
        p
        for p in people.filter(query)[:1000]
        if all(any(part.lower().startswith(word) for part in p.full_name.split()) for word in words)
    ]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        shown = "; ".join(_describe(p) for p in candidates[:8])
        more = f" and {len(candidates) - 8} more" if len(candidates) > 8 else ""
        raise BadInput(field_name, f"{text!r} is ambiguous: {shown}{more}")
    names = dict(people.values_list("pk", "full_name"))
    close = process.extract(text, names, scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    hint = ""
    if close:
        hint = "; closest: " + ", ".join(f"{name} (#{pk})" for name, _score, pk in close)
    raise NotFound(field_name, f"no person named {text!r}{hint}")


def search_people(owner: User, text: str = "") -> QuerySet[Person]:
    """People whose name, organization, title or email contains each word of ``text``."""
    people = Person.objects.for_owner(owner)
    for word in clean_name(text).split():
        people = people.filter(
            Q(full_name__icontains=word)
            | Q(organization__name__icontains=word)
            | Q(title__icontains=word)
            | Q(pk__in=Email.objects.for_owner(owner).filter(address__icontains=word).values("person"))
        )
    return people


def filter_people(
    owner: User,
    *,
    search: str = "",
    circle: str | None = None,
    closeness: str | None = None,
    interest: str | None = None,
    organization: str | None = None,
    prospects: bool | None = None,
) -> QuerySet[Person]:
    people = search_people(owner, search)
    if circle:
        people = people.filter(circle=parse_choice(Circle, circle, "circle"))
    if closeness:
        people = people.filter(closeness=parse_choice(Closeness, closeness, "closeness"))
    if interest:
        key = clean_name(interest).lower()
        people = people.filter(pk__in=Interest.objects.for_owner(owner).filter(key=key).values("person"))
    if organization:
        people = people.filter(organization__name__iexact=clean_name(organization))
    if prospects is not None:
        people = people.filter(is_prospect=prospects)
    return people
