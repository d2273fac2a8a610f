"""Writes and look-ups for people and organizations: the only code that creates them."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Case, Count, F, Q, QuerySet, TextChoices, Value, When
from rapidfuzz import fuzz, process

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.choices import Circle, Closeness, parse_choice
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.refs import by_id, parse_ref, ref_id
from kithkin.core.shortcuts import require_owned
from kithkin.lib.addresses import Entry
from kithkin.lib.birthdays import year_known
from kithkin.lib.emails import EmailError, email_key, normalize_email
from kithkin.lib.links import canonical_link, link_kind
from kithkin.lib.names import clean_name, parse_name
from kithkin.lib.phones import PhoneError, normalize_phone
from kithkin.lib.places import MAX_CITY_LENGTH, country_code, known_city, parse_place, place_words, tidy_city
from kithkin.lib.relative import say_day
from kithkin.lib.search import search_document, search_words
from kithkin.people.hooks import (
    ChangedField,
    PeopleChanged,
    PersonChanged,
    SearchRefreshed,
    people_changed,
    person_changed,
    search_refreshed,
)
from kithkin.people.models import (
    Email,
    Interest,
    Link,
    Need,
    Offer,
    Organization,
    Person,
    PersonQuerySet,
    Phone,
    Position,
    birthday_key,
)

ItemModel = type[Interest] | type[Need] | type[Offer]
NEVER = "never"
CLEARABLE = frozenset({"met_through", "met_on", "birthday"})
DEFAULT = "default"


@dataclass
class PersonChanges:
    """What to set on a person. ``None`` leaves a field as it is; lists are added to."""

    name: str | None = None
    organization: str | None = None
    title: str | None = None
    location: str | None = None
    # Where they are, when not what the location says: a city, and a country by name or code.
    city: str | None = None
    country: str | None = None
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
    remove_nicknames: Sequence[str] = ()
    met_how: str | None = None
    met_through: Person | None = None
    met_on: date | None = None
    birthday: date | None = None
    notes: str | None = None
    is_prospect: bool | None = None
    why: str | None = None
    prospect_status: str | None = None
    # Fields to empty (``None`` above means "leave as it is"): met_through, met_on, birthday.
    clear: Sequence[str] = ()


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
    """The address as stored (``lib.emails``): lower case, internationalised addresses allowed,
    the domain in Unicode."""
    try:
        return normalize_email(raw)
    except EmailError:
        raise BadInput("email", f"{raw!r} is not an email address") from None


def _apply_fields(owner: User, person: Person, changes: PersonChanges, today: date) -> None:
    """Set the person's own fields from ``changes``, each checked; the first bad value raises
    BadInput (or NotFound), in the order below."""
    _apply_name(person, changes)
    _apply_nicknames(person, changes)
    _apply_choices(person, changes)
    for attr in ("location", "met_how", "notes", "why"):
        value = getattr(changes, attr)
        if value is not None:
            setattr(person, attr, value.strip())
    _apply_place(person, changes)
    _apply_dates(person, changes, today)
    _apply_met_through(owner, person, changes)
    _apply_prospect(person, changes)
    for attr in changes.clear:
        if attr not in CLEARABLE:
            raise BadInput(attr, "cannot be cleared")
        setattr(person, attr, None)
    if person.is_prospect and not person.why.strip():
        raise BadInput("why", "say why you want to meet them")


def _apply_place(person: Person, changes: PersonChanges) -> None:
    """City and country follow a new location ("München" is Munich, Germany) unless given too;
    a city given alone brings its country when the gazetteer knows it."""
    if changes.location is not None:
        place = parse_place(person.location)
        if changes.city is None:
            person.city = place.city
        if changes.country is None:
            person.country = place.country
    if changes.country is not None:
        person.country = parse_country(changes.country) if changes.country.strip() else ""
    if changes.city is not None:
        text = clean_name(changes.city)
        if len(text) > MAX_CITY_LENGTH:
            raise BadInput("city", f"must be at most {MAX_CITY_LENGTH} characters")
        known = known_city(text, person.country) or (None if changes.country is not None else known_city(text))
        person.city = known.name if known else tidy_city(text)
        if known and changes.country is None:
            person.country = known.country


def _apply_name(person: Person, changes: PersonChanges) -> None:
    """The name and its parts; a nickname in it ("Ana (Annie) Ruiz") joins the nicknames."""
    if changes.name is None:
        return
    parts = parse_name(changes.name)
    if not parts.full:
        raise BadInput("name", "must not be empty")
    person.full_name = parts.full
    person.name_prefix, person.given_name, person.middle_name = parts.prefix, parts.given, parts.middle
    person.family_name, person.name_suffix = parts.family, parts.suffix
    for nick in parts.nicknames:
        if nick not in person.nicknames:
            person.nicknames = [*person.nicknames, nick]


def _apply_nicknames(person: Person, changes: PersonChanges) -> None:
    for nick in changes.nicknames:
        cleaned = clean_name(nick)
        if cleaned and cleaned not in person.nicknames:
            person.nicknames = [*person.nicknames, cleaned]
    if changes.remove_nicknames:
        dropped = {clean_name(n).lower() for n in changes.remove_nicknames}
        person.nicknames = [n for n in person.nicknames if n.lower() not in dropped]


def _apply_choices(person: Person, changes: PersonChanges) -> None:
    """Circle (empty for none), closeness and check-in cadence."""
    if changes.circle is not None:
        person.circle = parse_choice(Circle, changes.circle, "circle") if changes.circle.strip() else ""
    if changes.closeness is not None:
        person.closeness = parse_choice(Closeness, changes.closeness, "closeness")
    if changes.cadence is not None:
        person.cadence_days, person.is_cadence_never = _parse_cadence(changes.cadence)


def _apply_dates(person: Person, changes: PersonChanges, today: date) -> None:
    """The day you met and the birthday, neither in the future."""
    if changes.met_on is not None:
        if changes.met_on > today:
            raise BadInput("met-on", f"{say_day(changes.met_on, today)} is in the future. When did you meet?")
        person.met_on = changes.met_on
    if changes.birthday is not None:
        if changes.birthday > today:
            raise BadInput("birthday", f"{say_day(changes.birthday, today)} is in the future. When were they born?")
        person.birthday = changes.birthday


def _apply_met_through(owner: User, person: Person, changes: PersonChanges) -> None:
    if changes.met_through is None:
        return
    require_owned(owner, changes.met_through, field="met-through", message="no such person")
    if person.pk is not None and changes.met_through.pk == person.pk:
        raise BadInput("met-through", "a person cannot be met through themselves")
    person.met_through = changes.met_through


def _apply_prospect(person: Person, changes: PersonChanges) -> None:
    """Whether they are someone to meet, and how far that got; a new prospect starts at finding
    a way in."""
    if changes.is_prospect is not None:
        person.is_prospect = changes.is_prospect
        if changes.is_prospect and not person.prospect_status:
            person.prospect_status = Person.ProspectStatus.FIND_A_WAY_IN
    if changes.prospect_status is not None:
        person.prospect_status = parse_choice(Person.ProspectStatus, changes.prospect_status, "status")


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
        Position.objects.for_owner(owner).current().filter(person=person).update(ended_on=today)
    person.organization, person.title = new_org, new_title


def _record_position(owner: User, person: Person, today: date, is_new: bool) -> None:
    current = Position.objects.for_owner(owner).current().filter(person=person).first()
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
    for key, text in _clean_items(texts, field_name).items():
        if key not in existing:
            model.objects.create(owner=owner, person=person, text=text, key=key)


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
            url = canonical_link(raw)
        except ValueError as exc:
            raise BadInput("link", str(exc)) from None
        Link.objects.get_or_create(owner=owner, person=person, url=url, defaults={"kind": link_kind(url)})


def _apply_related(owner: User, person: Person, changes: PersonChanges) -> None:
    region = get_profile(owner).phone_region or None
    _remove_items(owner, person, Interest, changes.remove_interests)
    _remove_items(owner, person, Need, changes.remove_needs)
    _remove_items(owner, person, Offer, changes.remove_offers)
    if changes.remove_emails:
        removing = [email_key(e) for e in changes.remove_emails]
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
                removing.append(canonical_link(raw))
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
    refresh_search(owner, [person.pk])
    person_changed.run(PersonChanged(owner, person, True, now))
    return person


@transaction.atomic
def edit_person(owner: User, person: Person, changes: PersonChanges, *, now: datetime | None = None) -> Person:
    """Change a person's details; a new organization or title keeps the old role as history."""
    require_owned(owner, person, field="person", message="no such person")
    now = now or clock.now()
    today = now.astimezone(get_profile(owner).tz).date()
    person = Person.objects.select_for_update().get(pk=person.pk)
    _apply_fields(owner, person, changes, today)
    _update_position(owner, person, changes, today)
    person.updated_at = now
    person.save()
    _record_position(owner, person, today, is_new=False)
    _apply_related(owner, person, changes)
    refresh_search(owner, [person.pk])
    person_changed.run(PersonChanged(owner, person, False, now))
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
    return cadence_of(
        lambda closeness: get_profile(owner).cadence_for(closeness),
        closeness=person.closeness,
        cadence_days=person.cadence_days,
        is_cadence_never=person.is_cadence_never,
        is_prospect=person.is_prospect,
    )


def cadence_of(
    cadence_for: Callable[[str], int | None],
    *,
    closeness: str,
    cadence_days: int | None,
    is_cadence_never: bool,
    is_prospect: bool,
) -> int | None:
    """``effective_cadence`` from a person's columns, for reads of thousands of rows as values;
    ``cadence_for`` is the settings' cadence of a closeness (``Profile.cadence_for``), asked only
    when the person has no cadence of their own."""
    if is_prospect or is_cadence_never:
        return None
    if cadence_days:
        return cadence_days
    return cadence_for(closeness)


# --- finding people -------------------------------------------------------------------------


def _describe(person: Person) -> str:
    org = f", {person.organization.name}" if person.organization_id and person.organization else ""
    return f"{person.full_name} (#{person.pk}{org})"


def is_id_or_email(ref: str) -> bool:
    """Whether ``ref`` names someone by id or email: one that matches no one is a typo, never a
    new person to add under that "name"."""
    return "@" in ref or ref_id(ref) is not None


def find_person(owner: User, ref: str, field_name: str = "person") -> Person:
    """The one person ``ref`` names: an id ("12" or "#12"), an email, or a name.

    Names match whole (ignoring case), else by the start of each word ("ana ru" finds Ana
    Ruiz). An ambiguous name lists the candidates; an unknown one suggests the closest.
    """
    text = parse_ref(ref, field_name)
    people = Person.objects.for_owner(owner).select_related("organization")
    if isinstance(text, int):
        return by_id(people, text, field=field_name, noun="person")
    if "@" in text:
        email = (
            Email.objects.for_owner(owner)
            .filter(address=email_key(text))
            .select_related("person__organization")
            .first()
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


def search_people(owner: User, text: str = "") -> PersonQuerySet:
    """People whose name, nickname, organization, title, email or an interest contains each
    word of ``text``, ignoring case and accents (see kithkin.lib.search)."""
    people = Person.objects.for_owner(owner)
    for word in search_words(text):
        people = people.filter(search_text__contains=word)
    return people


SEARCH_CHUNK = 500


def refresh_search(owner: User, person_ids: Iterable[int] | None = None) -> None:
    """Rebuild the search text of these people (everyone when ``None``) from their name,
    nicknames, title, organization, place (location, city, country's name), emails and interests. The services that change any of
    those call it; a few queries per five hundred people."""
    ids = (
        list(person_ids)
        if person_ids is not None
        else list(Person.objects.for_owner(owner).values_list("pk", flat=True))
    )
    table = connection.ops.quote_name(Person._meta.db_table)
    sql = f"UPDATE {table} SET {connection.ops.quote_name('search_text')} = %s WHERE {connection.ops.quote_name('id')} = %s"
    for start in range(0, len(ids), SEARCH_CHUNK):
        chunk = ids[start : start + SEARCH_CHUNK]
        extra: dict[int, list[str]] = {pk: [] for pk in chunk}
        rows = Person.objects.for_owner(owner).filter(pk__in=chunk).order_by()
        # Their emails and interests through a subquery of them, which SQLite reads by the
        # person's index (with the list of ids, it walked every email of the owner).
        theirs = rows.values("pk")
        for pk, address in (
            Email.objects.for_owner(owner).filter(person_id__in=theirs).values_list("person_id", "address")
        ):
            extra[pk].append(address)
        for pk, interest in (
            Interest.objects.for_owner(owner).filter(person_id__in=theirs).values_list("person_id", "text")
        ):
            extra[pk].append(interest)
        params = [
            (
                search_document(
                    [name, " ".join(nicknames or []), title, org, *place_words(location, city, country), *extra[pk]]
                ),
                pk,
            )
            for pk, name, nicknames, title, org, location, city, country in rows.values_list(
                "pk", "full_name", "nicknames", "title", "organization__name", "location", "city", "country"
            )
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
    search_refreshed.run(SearchRefreshed(owner, None if person_ids is None else tuple(ids)))


# How many organization and interest names a filter box suggests (a datalist).
SUGGESTIONS = 500


@dataclass(frozen=True)
class FilterSuggestions:
    """What the organization and interest boxes of a filter offer as the user types."""

    organizations: list[str]
    interests: list[str]


def filter_suggestions(owner: User, limit: int = SUGGESTIONS) -> FilterSuggestions:
    """The owner's organization names and interests, alphabetical, ``limit`` of each."""
    return FilterSuggestions(
        organizations=list(
            Organization.objects.for_owner(owner).order_by("name").values_list("name", flat=True)[:limit]
        ),
        interests=list(
            Interest.objects.for_owner(owner).order_by("key").values_list("key", flat=True).distinct()[:limit]
        ),
    )


def people_per(owner: User, column: str) -> dict[str, int]:
    """How many people have each value of ``column`` ("circle", "closeness"), in one query."""
    rows = Person.objects.for_owner(owner).order_by().values_list(column).annotate(n=Count("id"))
    return {str(value): n for value, n in rows}


def filter_people(
    owner: User,
    *,
    search: str = "",
    circle: str | Iterable[str] | None = None,
    closeness: str | Iterable[str] | None = None,
    interest: str | None = None,
    organization: str | None = None,
    prospects: bool | None = None,
    city: str | None = None,
    country: str | None = None,
) -> PersonQuerySet:
    """The owner's people matching every filter given; a circle or closeness may be several
    ("friend" or ["friend", "colleague"]: in any of them)."""
    people = search_people(owner, search)
    if city:
        people = people.in_city(city)
    if country:
        people = people.in_country(parse_country(country))
    if circles := _choices(Circle, circle, "circle"):
        people = people.filter(circle__in=circles)
    if closenesses := _choices(Closeness, closeness, "closeness"):
        people = people.filter(closeness__in=closenesses)
    if interest:
        key = clean_name(interest).lower()
        people = people.filter(pk__in=Interest.objects.for_owner(owner).filter(key=key).values("person"))
    if organization:
        # Through the organization's id: a join on its name reads every person (300 ms at 30,000).
        named = Organization.objects.for_owner(owner).filter(name__iexact=clean_name(organization))
        people = people.filter(organization__in=named.values("pk"))
    if prospects is not None:
        people = people.prospects() if prospects else people.in_network()
    return people


def _choices(choices: type[TextChoices], wanted: str | Iterable[str] | None, field: str) -> list[str]:
    """The values of a filter of one or several choices, each read by ``parse_choice``."""
    texts = [wanted] if isinstance(wanted, str) else list(wanted or ())
    return [parse_choice(choices, text, field) for text in texts if text]


def parse_country(text: str, field_name: str = "country") -> str:
    """The ISO code of a country the user named ("Germany", "de", "UK"), or BadInput."""
    code = country_code(text)
    if not code:
        raise BadInput(field_name, f"{text.strip()!r} is not a country; give its name or its two-letter code")
    return code


def suggest_people(owner: User, text: str, *, exclude: Iterable[int] = (), limit: int = 8) -> list[Person]:
    """People for an autocomplete: each word starts a word of their name ("ana ru" finds Ana
    Ruiz), the people you have been in touch with most recently first."""
    words = clean_name(text).lower().split()
    if not words:
        return []
    query = Q()
    for word in words:
        query &= Q(full_name__istartswith=word) | Q(full_name__icontains=f" {word}")
    people = (
        Person.objects.for_owner(owner)
        .filter(query)
        .exclude(pk__in=list(exclude))
        .select_related("organization")
        .order_by(F("last_touch_at").desc(nulls_last=True), "full_name", "id")
    )
    return list(people[:limit])


# --- people to meet -------------------------------------------------------------------------


def _not_on_the_list(person: Person) -> BadInput:
    return BadInput("status", f"{person.full_name} is not on your list of people to meet")


@transaction.atomic
def mark_prospect_met(owner: User, person: Person, *, now: datetime | None = None) -> Person:
    """Someone the user wanted to meet, now met, joins the network.

    They stop being a prospect and their status becomes "met"; ``met_on`` becomes today in the
    owner's time zone unless it was already known. The why stays: it is how the relationship
    started. Check-ins begin because ``edit_person`` announces the change. Marking someone met
    twice changes nothing.
    """
    require_owned(owner, person, field="person", message="no such person")
    # Read the row under a lock: the object in hand may be stale (two tabs, a double submit).
    is_prospect, status, met_on = (
        Person.objects.select_for_update()
        .filter(pk=person.pk)
        .values_list("is_prospect", "prospect_status", "met_on")
        .get()
    )
    if not is_prospect:
        if status == Person.ProspectStatus.MET:
            return Person.objects.get(pk=person.pk)
        raise _not_on_the_list(person)
    now = now or clock.now()
    changes = PersonChanges(is_prospect=False, prospect_status=Person.ProspectStatus.MET)
    if met_on is None:
        changes.met_on = now.astimezone(get_profile(owner).tz).date()
    return edit_person(owner, person, changes, now=now)


def set_prospect_status(owner: User, person: Person, status: str, *, now: datetime | None = None) -> Person:
    """Move someone along the list of people to meet: to find a way in, asked for an intro, or
    met (see ``mark_prospect_met``). Only people on the list have a status to change."""
    value = parse_choice(Person.ProspectStatus, status, "status")
    if value == Person.ProspectStatus.MET:
        return mark_prospect_met(owner, person, now=now)
    require_owned(owner, person, field="person", message="no such person")
    if not person.is_prospect:
        raise _not_on_the_list(person)
    return edit_person(owner, person, PersonChanges(prospect_status=value), now=now)


# --- the people list: sorting and bulk edits -------------------------------------------------

# The orders the people list offers, as (value, label); the first is the default.
PEOPLE_SORTS = [("name", "Name"), ("losing-touch", "Losing touch first"), ("recent", "Recently in touch")]
BULK_CHUNK = 500


def order_people(people: QuerySet[Person], sort: str = "name") -> QuerySet[Person]:
    """``people`` in one of the ``PEOPLE_SORTS`` orders. Each ends on the id, so pages never
    repeat or skip anyone, and each can walk an ``(owner, ...)`` index instead of sorting."""
    if sort == "name":
        return people.order_by("full_name", "id")
    if sort == "losing-touch":
        # Never in touch counts as the longest out of touch, for people in the network; the
        # people you want to meet were never in touch to lose it: they come after everyone met.
        return people.order_by("is_prospect", F("last_touch_at").asc(nulls_first=True), "id")
    if sort == "recent":
        return people.order_by(F("last_touch_at").desc(nulls_last=True), "-id")
    raise BadInput("sort", f"unknown order {sort!r}; choose one of {', '.join(v for v, _ in PEOPLE_SORTS)}")


@dataclass(frozen=True)
class BulkEdit:
    """What a bulk edit did: how many people it changed, and the changes in words."""

    count: int
    changes: list[str]

    def describe(self) -> str:
        """ "Updated 12 people: closeness close, added interest fintech"."""
        noun = "person" if self.count == 1 else "people"
        return f"Updated {self.count:,} {noun}: {', '.join(self.changes)}"


def _clean_items(texts: Iterable[str], field_name: str) -> dict[str, str]:
    """Key (lower case) -> text, for texts that are each one interest, need or offer (repeats dropped)."""
    cleaned: dict[str, str] = {}
    for raw in texts:
        text = clean_name(raw)
        if not text:
            raise BadInput(field_name, "must not be empty")
        if len(text) > 300:
            raise BadInput(field_name, "must be at most 300 characters")
        cleaned.setdefault(text.lower(), text)
    return cleaned


def _owned_ids(owner: User, people: QuerySet[Person] | Iterable[int]) -> list[int]:
    """The ids of the owner's people among ``people``; anyone else's are dropped."""
    mine = Person.objects.for_owner(owner)
    if isinstance(people, QuerySet):
        return list(mine.filter(pk__in=people.order_by().values("pk")).order_by("pk").values_list("pk", flat=True))
    wanted = sorted({int(pk) for pk in people})
    found: list[int] = []
    for start in range(0, len(wanted), BULK_CHUNK):
        chunk = wanted[start : start + BULK_CHUNK]
        found.extend(mine.filter(pk__in=chunk).order_by("pk").values_list("pk", flat=True))
    return found


def bulk_edit_people(
    owner: User,
    people: QuerySet[Person] | Iterable[int],
    *,
    circle: str | None = None,
    closeness: str | None = None,
    cadence: str | int | None = None,
    add_interests: Sequence[str] = (),
    remove_interest: str | None = None,
    now: datetime | None = None,
) -> BulkEdit:
    """Set the circle, closeness or check-in cadence of many people at once, and add or remove
    interests. ``people`` is ids or a queryset (say, everyone a search matches); only the
    owner's people among them are changed. Everything is checked before anything changes.

    Bulk queries throughout, so thirty thousand people take seconds; the ``people_changed`` hook
    runs once for them all, so the follow-up rules move check-ins to a new closeness or cadence.
    """
    now = now or clock.now()
    values, changes = _bulk_values(circle, closeness, cadence)
    adding = _clean_items(add_interests, "interest")
    removing = clean_name(remove_interest or "").lower()
    if removing in adding:
        raise BadInput("remove-interest", f"cannot add and remove {removing!r} at once")
    changes += _interest_words(adding, removing)
    if not changes:
        raise BadInput("changes", "choose something to change")

    with transaction.atomic():
        ids = _owned_ids(owner, people)
        if not ids:
            raise BadInput("people", "select at least one person")
        for start in range(0, len(ids), BULK_CHUNK):
            _bulk_edit_chunk(owner, ids[start : start + BULK_CHUNK], values, adding, removing, now)
        fields = _changed_fields(values, interests=bool(adding or removing))
        if adding or removing:
            refresh_search(owner, ids)
        people_changed.run(PeopleChanged(owner, tuple(ids), frozenset(fields), now))
    return BulkEdit(count=len(ids), changes=changes)


def _bulk_values(
    circle: str | None, closeness: str | None, cadence: str | int | None
) -> tuple[dict[str, object], list[str]]:
    """The columns a bulk edit sets, checked, and the words for each ("closeness Close")."""
    values: dict[str, object] = {}
    changes: list[str] = []
    if circle is not None:
        new_circle = parse_choice(Circle, circle, "circle") if circle.strip() else ""
        values["circle"] = new_circle
        changes.append(f"circle {Circle(new_circle).label}" if new_circle else "no circle")
    if closeness is not None:
        new_closeness = parse_choice(Closeness, closeness, "closeness")
        values["closeness"] = new_closeness
        changes.append(f"closeness {Closeness(new_closeness).label}")
    if cadence is not None:
        days, is_never = _parse_cadence(cadence)
        values["cadence_days"], values["is_cadence_never"] = days, is_never
        if is_never:
            changes.append("no check-ins")
        elif days:
            changes.append(f"check in every {days} days")
        else:
            changes.append("check-ins by closeness")
    return values, changes


def _interest_words(adding: dict[str, str], removing: str) -> list[str]:
    words = []
    if adding:
        words.append(f"added interest{'s' if len(adding) > 1 else ''} {', '.join(adding.values())}")
    if removing:
        words.append(f"removed interest {removing}")
    return words


# What a bulk edit tells the people_changed hook it changed, by the column it wrote.
_BULK_FIELDS: dict[str, ChangedField] = {"circle": "circle", "closeness": "closeness", "cadence_days": "cadence"}


def _changed_fields(values: dict[str, object], *, interests: bool) -> set[ChangedField]:
    """The fields the ``people_changed`` hook names, for the rules to follow (a new closeness or
    cadence moves check-ins)."""
    fields = {_BULK_FIELDS[name] for name in values if name in _BULK_FIELDS}
    if interests:
        fields.add("interests")
    return fields


def _bulk_edit_chunk(
    owner: User, chunk: list[int], values: dict[str, object], adding: dict[str, str], removing: str, now: datetime
) -> None:
    # updated_at moves even for interest-only edits: the person's profile changed.
    Person.objects.for_owner(owner).filter(pk__in=chunk).update(**values, updated_at=now)
    if removing:
        Interest.objects.for_owner(owner).filter(person_id__in=chunk, key=removing).delete()
    if adding:
        # A person who has the interest already keeps it as it is (unique per person and key).
        Interest.objects.bulk_create(
            [Interest(owner=owner, person_id=pk, text=text, key=key) for pk in chunk for key, text in adding.items()],
            ignore_conflicts=True,
        )


@dataclass(frozen=True)
class Birthday:
    person: Person
    on: date
    age: int | None  # None when the year of birth is not known


def upcoming_birthdays(owner: User, today: date, days: int = 14, limit: int = 8) -> tuple[list[Birthday], int]:
    """The soonest ``limit`` birthdays within ``days`` from ``today`` (inclusive), and how many
    there are in all (a network of 30,000 has hundreds in a fortnight). Someone born on 29
    February celebrates on the 28th in other years. Years before 1900 are treated as unknown
    (some address books write 1604 for "no year")."""
    on_key: dict[str, date] = {}
    for n in range(days + 1):
        day = date.fromordinal(today.toordinal() + n)
        on_key[birthday_key(day)] = day
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            on_key["02-29"] = day
    # No default ORDER BY (by name): it would make SQLite walk the name index past everyone.
    matching = Person.objects.for_owner(owner).filter(birthday_key__in=list(on_key)).order_by()
    soonest = matching.annotate(
        soon=Case(*(When(birthday_key=key, then=Value(on.toordinal())) for key, on in on_key.items()))
    ).order_by("soon", "full_name", "id")[:limit]
    found = []
    for person in soonest:
        born, day = person.birthday, on_key[person.birthday_key]
        assert born is not None
        found.append(Birthday(person, day, day.year - born.year if year_known(born) else None))
    return found, matching.count()


# --- adding several people at once -----------------------------------------------------------


@transaction.atomic
def add_people(
    owner: User, entries: Sequence[Entry], *, circle: str = "", closeness: str | None = None
) -> list[Person]:
    """Add everyone in ``entries`` (read from a pasted list), all or none.

    Each goes through ``add_person``, so the same rules and follow-ups apply; a ``BadInput``
    names the pasted line and the person, and undoes the people added before it.
    """
    if not entries:
        raise BadInput("add", "choose at least one person to add")
    added = []
    for entry in entries:
        changes = PersonChanges(emails=[entry.email] if entry.email else [], circle=circle, closeness=closeness)
        try:
            added.append(add_person(owner, entry.name, changes))
        except BadInput as exc:
            raise BadInput(exc.field, f"line {entry.line} ({entry.name}): {exc.field} {exc.message}") from exc
    return added


# --- roles over time --------------------------------------------------------------------------


def parse_role_day(text: str, field_name: str, *, end: bool = False) -> date | None:
    """A role's start or end as people write it: "2019", "2019-03" or "2019-03-15" (a year or a
    month stands for its first day, or its last with ``end``); "" for none."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    try:
        if match is None:
            raise ValueError
        year, month, day = int(match[1]), match[2], match[3]
        if day is not None:
            return date(year, int(month), int(day))
        if month is not None:
            last = calendar.monthrange(year, int(month))[1]
            return date(year, int(month), last if end else 1)
        return date(year, 12, 31) if end else date(year, 1, 1)
    except ValueError:
        raise BadInput(field_name, f"not a year, month or day: {text!r} (write 2019, 2019-03 or 2019-03-15)") from None


@transaction.atomic
def add_role(
    owner: User,
    person: Person,
    organization: str,
    *,
    title: str = "",
    started_on: date | None = None,
    ended_on: date | None = None,
    now: datetime | None = None,
) -> Position:
    """A role a person holds or held ("worked at Stripe from 2019 to 2022"). A role with no end is
    their current one: it becomes the organization and title shown for them."""
    require_owned(owner, person, field="person", message="no such person")
    now = now or clock.now()
    name = organization.strip()
    if not name:
        raise BadInput("organization", "name the organization")
    if started_on and ended_on and started_on > ended_on:
        raise BadInput("to", f"the role ends ({ended_on}) before it starts ({started_on})")
    if ended_on is None:
        edit_person(owner, person, PersonChanges(organization=name, title=title or None), now=now)
        position = Position.objects.for_owner(owner).current().filter(person=person).order_by("-id").first()
        if position is not None and started_on is not None:
            position.started_on = started_on
            position.save(update_fields=["started_on"])
            person_changed.run(PersonChanged(owner, person, False, now))
        assert position is not None  # edit_person recorded it
        return position
    position = Position.objects.create(
        owner=owner,
        person=person,
        organization=get_or_create_organization(owner, name),
        title=clean_name(title),
        started_on=started_on,
        ended_on=ended_on,
    )
    refresh_search(owner, [person.pk])
    person_changed.run(PersonChanged(owner, person, False, now))
    return position


@transaction.atomic
def remove_role(owner: User, position: Position, *, now: datetime | None = None) -> None:
    """Forget a role entered by mistake. The current one also stops being shown on the person."""
    require_owned(owner, position, field="role", message="no such role")
    now = now or clock.now()
    person = Person.objects.for_owner(owner).get(pk=position.person_id)
    if position.ended_on is None and person.organization_id == position.organization_id:
        person.organization, person.title, person.updated_at = None, "", now
        person.save(update_fields=["organization", "title", "updated_at"])
    position.delete()
    refresh_search(owner, [person.pk])
    person_changed.run(PersonChanged(owner, person, False, now))


def roles_of(owner: User, person: Person) -> list[Position]:
    """Their roles, the current first, then the latest ended."""
    return list(Position.objects.for_owner(owner).filter(person=person).select_related("organization"))
