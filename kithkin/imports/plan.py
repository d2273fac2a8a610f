"""Planning an import: what a file would change in the network. Reads only.

Each record is matched against the network and against the records before it in the same file:

- the same email, the same profile link (LinkedIn, GitHub...), or the same phone is the same person;
- the same name (folded: case and accents aside) at the same organization (or neither with one)
  is the same person, unless an email or profile link says otherwise;
- a close name at the same organization (rapidfuzz, as in the Add form) is a *likely duplicate*:
  shown, never merged silently.

A matched person gets what the file knows and the network does not (emails, phones, links, empty
fields); a LinkedIn export's company and position are their current role, so a job change moves
their role (keeping the old one as history). Everything the plan says is what ``apply`` will do.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any, Literal

from django.contrib.auth.models import User

from kithkin.accounts.services import get_profile
from kithkin.core.choices import Circle, Closeness, parse_choice
from kithkin.core.errors import BadFile, BadInput
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.lib.calendar_files import Attendee, Meeting, read_meetings
from kithkin.lib.contacts import ContactRecord, FileRejected, Parsed, Skipped
from kithkin.lib.csv_contacts import detect_csv_format, read_contacts_csv
from kithkin.lib.emails import EmailError, email_key, normalize_email
from kithkin.lib.links import canonical_link, link_kind
from kithkin.lib.names import clean_name, parse_name
from kithkin.lib.phones import PhoneError, normalize_phone, without_national_repeats
from kithkin.lib.places import Place, parse_place, place_of
from kithkin.lib.vcard import read_vcards
from kithkin.people.duplicates import fold_name, is_close_name
from kithkin.people.models import Email, Interest, Link, Person, Phone, Position

CONTACT_FORMATS = ("linkedin", "google", "outlook", "thunderbird", "vcard")
FORMATS = (*CONTACT_FORMATS, "csv", "ics")
ALIASES = {"vcf": "vcard", "calendar": "ics", "ical": "ics", "icalendar": "ics"}
LABEL_MODES = ("interests", "circles", "ignore")
# Profile links identify one person; a company website or a blog platform does not.
IDENTIFYING_LINKS = frozenset({Link.Kind.LINKEDIN, Link.Kind.GITHUB, Link.Kind.MASTODON, Link.Kind.X})
# A meeting with more people than this (an all-hands, a webinar) is not a touch with each of them.
MAX_MEETING_SIZE = 25
MAX_OCCURRENCES = 60  # of one recurring series: a weekly meeting's last year or so
# Words people use for labels that mean one of the circles.
CIRCLE_LABELS = {
    "friends": Circle.FRIEND,
    "coworkers": Circle.COLLEAGUE,
    "co-workers": Circle.COLLEAGUE,
    "colleagues": Circle.COLLEAGUE,
    "work": Circle.COLLEAGUE,
    "clients": Circle.CLIENT,
    "customers": Circle.CLIENT,
    "vendors": Circle.VENDOR,
    "suppliers": Circle.VENDOR,
    "neighbours": Circle.NEIGHBOR,
    "neighbors": Circle.NEIGHBOR,
    "classmates": Circle.CLASSMATE,
    "alumni": Circle.CLASSMATE,
    "competitors": Circle.COMPETITOR,
}

Status = Literal["new", "update", "same", "duplicate"]


@dataclass
class ImportOptions:
    """How the user wants the file taken in. ``None`` circle/closeness means the settings' defaults."""

    circle: str | None = None
    closeness: str | None = None
    labels: str = "interests"  # what Google/Outlook labels become: interests, circles, or nothing
    skip_duplicates: bool = False  # likely duplicates are added as new people unless this is set
    add_attendees: bool | frozenset[str] = False  # calendar: add unknown attendees (all, or these emails)
    me: frozenset[str] = frozenset()  # calendar: the user's own addresses, never added as people


@dataclass
class Wanted:
    """A record made ready for the network: cleaned, normalised, checked."""

    line: int
    name: str
    prefix: str = ""
    given: str = ""
    middle: str = ""
    family: str = ""
    suffix: str = ""
    nicknames: list[str] = field(default_factory=list)
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, label)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (normalised number, label)
    links: list[str] = field(default_factory=list)
    organization: str = ""
    title: str = ""
    location: str = ""
    city: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    birthday: date | None = None
    met_on: date | None = None
    notes: str = ""
    interests: list[str] = field(default_factory=list)
    circle: str = ""

    @cached_property
    def folded(self) -> str:
        # Asked several times a record while matching; the name is set once, when it is made.
        return fold_name(self.name)


@dataclass
class Change:
    field: str
    before: str
    after: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "before": self.before, "after": self.after}


@dataclass
class PersonRow:
    """What will happen to one record: a new person, an update, nothing, or a likely duplicate."""

    line: int
    name: str
    status: Status
    wanted: Wanted
    person_id: int | None = None  # the matched person, or the one it may duplicate
    person_name: str = ""
    reason: str = ""  # how it matched: "same email ana@acme.example"
    changes: list[Change] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "name": self.name,
            "status": self.status,
            "person_id": self.person_id,
            "person_name": self.person_name,
            "reason": self.reason,
            "changes": [c.to_json() for c in self.changes],
            "organization": self.wanted.organization,
            "title": self.wanted.title,
            "emails": [e for e, _ in self.wanted.emails],
        }


@dataclass
class MeetingRow:
    """A past meeting from a calendar file and what it becomes."""

    meeting: Meeting
    status: Literal["new", "same", "nobody", "too_big"]
    person_ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    unknown: list[Attendee] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.meeting.line,
            "summary": self.meeting.summary,
            "start": self.meeting.start.isoformat(),
            "status": self.status,
            "people": self.names,
            "person_ids": self.person_ids,
            "unknown": [a.email for a in self.unknown],
        }


@dataclass
class Plan:
    format: str
    layout: str
    filename: str
    sha256: str
    people: list[PersonRow] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    # Calendar attendees not in the network: email -> (name, number of meetings).
    strangers: dict[str, tuple[str, int]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)

    def rows(self, status: str) -> list[PersonRow]:
        return [row for row in self.people if row.status == status]

    def counts(self) -> dict[str, int]:
        by_status: dict[str, int] = defaultdict(int)
        for row in self.people:
            by_status[row.status] += 1
        meetings: dict[str, int] = defaultdict(int)
        for meeting in self.meetings:
            meetings[meeting.status] += 1
        return {
            "new": by_status["new"],
            "updated": by_status["update"],
            "unchanged": by_status["same"],
            "duplicates": by_status["duplicate"],
            "skipped": len(self.skipped),
            "meetings": meetings["new"],
            "meetings_known": meetings["same"],
            "meetings_without_people": meetings["nobody"],
            "strangers": len(self.strangers),
        }

    @property
    def changes_anything(self) -> bool:
        return any(row.status in {"new", "update", "duplicate"} for row in self.people) or any(
            m.status == "new" for m in self.meetings
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "layout": self.layout,
            "file": self.filename,
            "sha256": self.sha256,
            "counts": self.counts(),
            "people": [row.to_json() for row in self.people],
            "meetings": [m.to_json() for m in self.meetings],
            "strangers": [{"email": e, "name": n, "meetings": c} for e, (n, c) in sorted(self.strangers.items())],
            "skipped": [{"line": s.line, "field": s.field, "reason": s.reason} for s in self.skipped],
        }


# --- reading files ----------------------------------------------------------------------------


def normalize_format(fmt: str) -> str:
    value = ALIASES.get(fmt.strip().lower(), fmt.strip().lower())
    if value not in FORMATS:
        raise BadInput("FORMAT", f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return value


def guess_format(data: bytes, filename: str) -> str:
    """The format of an uploaded file, from its contents (its name only breaks ties)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    upper = head.upper()
    if upper.startswith(b"BEGIN:VCALENDAR"):
        return "ics"
    if upper.startswith(b"BEGIN:VCARD") or b"BEGIN:VCARD" in upper:
        return "vcard"
    lower_name = filename.lower()
    if lower_name.endswith((".ics", ".ical")):
        return "ics"
    if lower_name.endswith(".vcf"):
        return "vcard"
    try:
        detected = detect_csv_format(data)
    except FileRejected:
        detected = None
    return detected or "csv"


def read_contacts(fmt: str, data: bytes, filename: str) -> Parsed:
    """Read a contact file; a file that cannot be read raises BadFile naming the line and field."""
    try:
        if fmt == "vcard":
            return read_vcards(data)
        return read_contacts_csv(data, fmt)
    except FileRejected as exc:
        raise BadFile(filename, exc.message, line=exc.line, column="" if exc.field == "file" else exc.field) from None


# --- making records ready -----------------------------------------------------------------------


def _skip(skipped: list[Skipped], line: int, column: str, reason: str) -> None:
    skipped.append(Skipped(line, column, reason))


def prepare(
    record: ContactRecord, *, region: str | None, today: date, labels: str, skipped: list[Skipped]
) -> Wanted | None:
    """The record cleaned for the network, or None (with the reason in ``skipped``) when it names
    nobody. Bad values of a good record are dropped one by one, each reported."""
    name = clean_name(record.display_name)[:200]
    if not name:
        _skip(skipped, record.line, "name", "no name, email or organization to call this person by")
        return None
    parts, nicknames = _name_parts(record, name)
    wanted = Wanted(
        line=record.line,
        name=name,
        prefix=clean_name(parts[0])[:50],
        given=clean_name(parts[1])[:100],
        middle=clean_name(parts[2])[:100],
        family=clean_name(parts[3])[:100],
        suffix=clean_name(parts[4])[:50],
        organization=clean_name(record.organization)[:200],
        title=clean_name(record.title)[:200],
        location=clean_name(record.location)[:200],
    )
    place = _place(record)
    wanted.city, wanted.country = place.city, place.country
    _prepare_nicknames(wanted, nicknames)
    _prepare_emails(wanted, record, skipped)
    _prepare_phones(wanted, record, region, skipped)
    _prepare_links(wanted, record, skipped)
    _prepare_dates(wanted, record, today, skipped)
    wanted.notes = _prepared_notes(record)
    if labels != "ignore":
        _prepare_labels(wanted, record, labels)
    return wanted


def _name_parts(record: ContactRecord, name: str) -> tuple[tuple[str, str, str, str, str], list[str]]:
    """Prefix, given, middle, family and suffix, with the nicknames: as the file gives them, or
    read from the name when it gives no given or family name ("Dr. Ana (Annie) Ruiz")."""
    if record.given or record.family:
        return (record.prefix, record.given, record.middle, record.family, record.suffix), list(record.nicknames)
    parsed = parse_name(name)
    parts = (parsed.prefix, parsed.given, parsed.middle, parsed.family, parsed.suffix)
    return parts, [*parsed.nicknames, *record.nicknames]


def _place(record: ContactRecord) -> Place:
    """The city and country of a record: from the address the file gives, else read from its
    location text (LinkedIn's, a "Location" column)."""
    if record.city.strip() or record.country.strip():
        return place_of(record.city, record.region, record.country)
    return parse_place(record.location)


def _prepare_nicknames(wanted: Wanted, nicknames: list[str]) -> None:
    for nick in nicknames:
        cleaned = clean_name(nick)[:100]
        if cleaned and cleaned not in wanted.nicknames and cleaned != wanted.given:
            wanted.nicknames.append(cleaned)


def _prepare_emails(wanted: Wanted, record: ContactRecord, skipped: list[Skipped]) -> None:
    seen: set[str] = set()
    for email in record.emails:
        try:
            address = normalize_email(email.value)
        except EmailError:
            _skip(skipped, email.line or record.line, "email", f"{email.value!r} is not an email address (left out)")
            continue
        if address not in seen:
            seen.add(address)
            wanted.emails.append((address, clean_name(email.label)[:50]))


def _prepare_phones(wanted: Wanted, record: ContactRecord, region: str | None, skipped: list[Skipped]) -> None:
    numbers: set[str] = set()
    for phone in record.phones:
        try:
            number = normalize_phone(phone.value, region)
        except PhoneError:
            _skip(skipped, phone.line or record.line, "phone", f"{phone.value!r} is not a phone number (left out)")
            continue
        if number not in numbers and len(number) <= 40:
            numbers.add(number)
            wanted.phones.append((number, clean_name(phone.label)[:50]))
    _drop_national_repeats(wanted)


def _drop_national_repeats(wanted: Wanted) -> None:
    """A number kept as typed (no region known) that is another of the person's in international
    form is the same phone: kept once, in international form."""
    keep = set(without_national_repeats([number for number, _ in wanted.phones]))
    if len(keep) < len(wanted.phones):
        wanted.phones = [phone for phone in wanted.phones if phone[0] in keep]


def _prepare_links(wanted: Wanted, record: ContactRecord, skipped: list[Skipped]) -> None:
    for link in record.links:
        try:
            url = canonical_link(link.value)
        except ValueError:
            _skip(skipped, link.line or record.line, "link", f"{link.value!r} is not a web address (left out)")
            continue
        if url not in wanted.links and len(url) <= 500:
            wanted.links.append(url)


def _prepare_dates(wanted: Wanted, record: ContactRecord, today: date, skipped: list[Skipped]) -> None:
    """The birthday and the day you met, unless the file puts them in the future."""
    dates = ((record.birthday, "birthday", "birthday", record.birthday_line), (record.met_on, "met on", "met_on", 0))
    for day, column, attr, line in dates:
        if day is not None:
            if day > today:
                _skip(skipped, line or record.line, column, f"{day.isoformat()} is in the future (left out)")
            else:
                setattr(wanted, attr, day)


def _prepared_notes(record: ContactRecord) -> str:
    """The file's notes, then what has no field of its own: the department, the postal addresses."""
    notes = [record.notes.strip()] if record.notes.strip() else []
    if record.department.strip():
        notes.append(f"Department: {clean_name(record.department)}")
    for postal in record.addresses:
        text = clean_name(postal.value)
        if text:
            notes.append(f"Address{f' ({postal.label.lower()})' if postal.label else ''}: {text}")
    return "\n\n".join(notes)


def _prepare_labels(wanted: Wanted, record: ContactRecord, labels: str) -> None:
    """Labels as interests; with ``labels="circles"``, a label that names a circle ("Coworkers")
    sets the circle instead (the first such label wins)."""
    for label in record.labels:
        text = clean_name(label)[:300]
        if not text:
            continue
        circle = _circle_of(text) if labels == "circles" else ""
        if circle:
            wanted.circle = wanted.circle or circle
        elif text.lower() not in {i.lower() for i in wanted.interests}:
            wanted.interests.append(text)


def _circle_of(label: str) -> str:
    key = label.strip().lower()
    if key in CIRCLE_LABELS:
        return str(CIRCLE_LABELS[key])
    try:
        return parse_choice(Circle, label, "circle")
    except BadInput:
        return ""


# --- the network as the planner sees it ---------------------------------------------------------


@dataclass
class Known:
    """Someone in the network, as far as matching and changes go."""

    pk: int
    name: str
    folded: str
    organization: str  # lower case, "" for none
    organization_name: str
    title: str
    location: str
    city: str
    country: str
    birthday: date | None
    met_on: date | None
    notes: str
    circle: str
    nicknames: list[str]
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)
    interests: set[str] = field(default_factory=set)
    # Roles they have left: (organization in lower case, title).
    past_roles: set[tuple[str, str]] = field(default_factory=set)

    def has_left(self, organization: str, title: str) -> bool:
        """Whether ``organization`` (and ``title``, when given) is a role they have since left."""
        org = organization.lower()
        return any(o == org and (not title or t == title) for o, t in self.past_roles)


class Network:
    """The owner's people loaded once, indexed by email, phone, profile link, name and organization:
    a 30,000-row file is matched in memory, not with a query per row."""

    def __init__(self, owner: User) -> None:
        self.people: dict[int, Known] = {}
        for row in (
            Person.objects.for_owner(owner)
            .order_by("pk")
            .values_list(
                "pk",
                "full_name",
                "organization__name",
                "title",
                "location",
                "city",
                "country",
                "birthday",
                "met_on",
                "notes",
                "circle",
                "nicknames",
            )
            .iterator(chunk_size=2000)
        ):
            pk, name, org, title, location, city, country, birthday, met_on, notes, circle, nicknames = row
            self.people[pk] = Known(
                pk,
                name,
                fold_name(name),
                (org or "").lower(),
                org or "",
                title,
                location,
                city,
                country,
                birthday,
                met_on,
                notes,
                circle,
                list(nicknames or []),
            )
        self.by_email: dict[str, int] = {}
        for pk, address in Email.objects.for_owner(owner).values_list("person_id", "address").iterator(2000):
            self.by_email[address] = pk
            self.people[pk].emails.add(address)
        self.by_phone: dict[str, set[int]] = defaultdict(set)
        for pk, number in Phone.objects.for_owner(owner).values_list("person_id", "number").iterator(2000):
            self.by_phone[number].add(pk)
            self.people[pk].phones.add(number)
        self.by_link: dict[str, int] = {}
        for pk, url, kind in Link.objects.for_owner(owner).values_list("person_id", "url", "kind").iterator(2000):
            self.people[pk].links.add(url)
            if kind in IDENTIFYING_LINKS:
                self.by_link[url] = pk
        for pk, key in Interest.objects.for_owner(owner).values_list("person_id", "key").iterator(2000):
            self.people[pk].interests.add(key)
        past = Position.objects.for_owner(owner).filter(ended_on__isnull=False, organization__isnull=False)
        for pk, org, title in past.values_list("person_id", "organization__name", "title").iterator(2000):
            self.people[pk].past_roles.add((org.lower(), title))
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_organization: dict[str, list[int]] = defaultdict(list)
        for known in self.people.values():
            self.by_name[known.folded].append(known.pk)
            if known.organization:
                self.by_organization[known.organization].append(known.pk)


# --- planning -----------------------------------------------------------------------------------


def _identity_conflicts(wanted: Wanted, known: Known) -> bool:
    """An email or profile link in the file that contradicts the one the person has."""
    emails = {e for e, _ in wanted.emails}
    if emails and known.emails and not emails & known.emails:
        return True
    links = {u for u in wanted.links if link_kind(u) in IDENTIFYING_LINKS}
    theirs = {u for u in known.links if link_kind(u) in IDENTIFYING_LINKS}
    return bool(links and theirs and not links & theirs)


def _changes(wanted: Wanted, known: Known, network: Network, *, fmt: str) -> list[Change]:
    """What the file adds to someone already in the network (see the module docstring)."""
    changes = _contact_changes(wanted, known, network)
    changes += _role_changes(wanted, known, fmt=fmt)
    changes += _empty_field_changes(wanted, known)
    for nick in wanted.nicknames:
        if nick not in known.nicknames and nick != known.name:
            changes.append(Change("nickname", "", nick))
    for interest in wanted.interests:
        if interest.lower() not in known.interests:
            changes.append(Change("interest", "", interest))
    return changes


def _contact_changes(wanted: Wanted, known: Known, network: Network) -> list[Change]:
    """Emails, phones and links the person does not have yet (and no one else has, for an email
    or a profile link)."""
    changes: list[Change] = []
    for address, _ in wanted.emails:
        owner_pk = network.by_email.get(address)
        if address not in known.emails and owner_pk is None:
            changes.append(Change("email", "", address))
    for number, _ in wanted.phones:
        if number not in known.phones:
            changes.append(Change("phone", "", number))
    for url in wanted.links:
        taken = network.by_link.get(url)
        if url not in known.links and (taken is None or taken == known.pk):
            changes.append(Change("link", "", url))
    return changes


def _role_changes(wanted: Wanted, known: Known, *, fmt: str) -> list[Change]:
    """A new organization or title: from LinkedIn always, as it is where people keep their current
    role up to date; from other files only where the person has none (so "before" is empty). A
    role the person has since left is an older export's: it never moves them back."""
    if known.organization and wanted.organization and known.has_left(wanted.organization, wanted.title):
        return []
    replaces = fmt == "linkedin"
    changes: list[Change] = []
    org_differs = wanted.organization and wanted.organization.lower() != known.organization
    if org_differs and (replaces or not known.organization):
        changes.append(Change("organization", known.organization_name, wanted.organization))
    title_differs = wanted.title and wanted.title != known.title
    if title_differs and (replaces or not known.title):
        changes.append(Change("title", known.title, wanted.title))
    return changes


def _empty_field_changes(wanted: Wanted, known: Known) -> list[Change]:
    """Location, city, country, notes, birthday, the day you met and circle, where the person has
    none."""
    changes: list[Change] = []
    for attr in ("location", "city", "country", "notes"):
        value = getattr(wanted, attr)
        if value and not getattr(known, attr):
            changes.append(Change(attr, "", value))
    for attr in ("birthday", "met_on"):
        value = getattr(wanted, attr)
        if value and getattr(known, attr) is None:
            changes.append(Change(attr.replace("_", " "), "", value.isoformat()))
    if wanted.circle and not known.circle:
        changes.append(Change("circle", "", wanted.circle))
    return changes


def _absorb(earlier: Wanted, later: Wanted) -> None:
    """Two records of one person in the same file: the earlier takes what the later adds."""
    for attr in ("emails", "phones"):
        have = {v for v, _ in getattr(earlier, attr)}
        getattr(earlier, attr).extend(item for item in getattr(later, attr) if item[0] not in have)
    _drop_national_repeats(earlier)
    earlier.links.extend(u for u in later.links if u not in earlier.links)
    earlier.interests.extend(i for i in later.interests if i.lower() not in {x.lower() for x in earlier.interests})
    earlier.nicknames.extend(n for n in later.nicknames if n not in earlier.nicknames)
    if not earlier.location and later.location:
        earlier.city, earlier.country = later.city, later.country
    for attr in ("organization", "title", "location", "birthday", "met_on", "notes", "circle"):
        if not getattr(earlier, attr) and getattr(later, attr):
            setattr(earlier, attr, getattr(later, attr))


def plan_contacts(
    owner: User,
    parsed: Parsed,
    *,
    filename: str,
    data: bytes,
    options: ImportOptions,
    fmt: str,
    now: datetime,
    progress: Callable[[str, int, int], None] | None = None,
) -> Plan:
    """Match every record of a contact file against the network. Reads only."""
    profile = get_profile(owner)
    today = now.astimezone(profile.tz).date()
    plan = Plan(fmt, parsed.layout, filename, hashlib.sha256(data).hexdigest(), skipped=list(parsed.skipped))
    network = Network(owner)
    region = profile.phone_region or None
    claimed: set[int] = set()  # people matched by an earlier record
    # Records earlier in the file, by what identifies them: a later record of the same person joins it.
    in_file_email: dict[str, PersonRow] = {}
    in_file_link: dict[str, PersonRow] = {}
    in_file_name: dict[tuple[str, str], PersonRow] = {}
    total = len(parsed.records)
    for number, record in enumerate(parsed.records, start=1):
        if progress and (number % 1000 == 0 or number == total):
            progress("matching", number, total)
        wanted = prepare(record, region=region, today=today, labels=options.labels, skipped=plan.skipped)
        if wanted is None:
            continue
        earlier = next(
            (in_file_email[e] for e, _ in wanted.emails if e in in_file_email),
            None,
        ) or next(
            (in_file_link[u] for u in wanted.links if u in in_file_link and link_kind(u) in IDENTIFYING_LINKS), None
        )
        if earlier is None and not wanted.emails and not wanted.links:
            earlier = in_file_name.get((wanted.folded, wanted.organization.lower()))
        if earlier is not None:
            _absorb(earlier.wanted, wanted)
            plan.skipped.append(
                Skipped(wanted.line, "name", f"{wanted.name} is the same person as line {earlier.line}: read together")
            )
            if earlier.person_id is not None and earlier.status in {"update", "same"}:
                known = network.people[earlier.person_id]
                earlier.changes = _changes(earlier.wanted, known, network, fmt=fmt)
                earlier.status = "update" if earlier.changes else "same"
            continue
        row = _match(wanted, network, claimed, fmt=fmt)
        if row.person_id is not None and row.status in {"update", "same"}:
            claimed.add(row.person_id)
        plan.people.append(row)
        for address, _ in wanted.emails:
            in_file_email.setdefault(address, row)
        for url in wanted.links:
            in_file_link.setdefault(url, row)
        in_file_name.setdefault((wanted.folded, wanted.organization.lower()), row)
    return plan


def _match(wanted: Wanted, network: Network, claimed: set[int], *, fmt: str) -> PersonRow:
    def matched(pk: int, reason: str) -> PersonRow:
        known = network.people[pk]
        changes = _changes(wanted, known, network, fmt=fmt)
        return PersonRow(
            wanted.line, wanted.name, "update" if changes else "same", wanted, pk, known.name, reason, changes
        )

    for address, _ in wanted.emails:
        if address in network.by_email:
            return matched(network.by_email[address], f"same email {address}")
    for url in wanted.links:
        if url in network.by_link:
            return matched(network.by_link[url], f"same profile {url.split('://', 1)[-1]}")
    for number, _ in wanted.phones:
        owners = network.by_phone.get(number, set())
        if len(owners) == 1:
            return matched(next(iter(owners)), f"same phone {number}")
    org = wanted.organization.lower()
    same_name = [
        pk
        for pk in network.by_name.get(wanted.folded, [])
        # The same organization, or neither has one: a name alone, with an organization on one side
        # only, may be two people (a common name), so it is flagged below, not matched.
        if network.people[pk].organization == org and not _identity_conflicts(wanted, network.people[pk])
    ]
    unclaimed = [pk for pk in same_name if pk not in claimed]
    if unclaimed:
        at = f" at {wanted.organization}" if org else ""
        return matched(unclaimed[0], f"same name{at}")
    # A close name at the same organization, or the same name with a different email: flag it.
    # The first suspect is the one shown: someone of the same name, else the first close name.
    folded = wanted.folded
    suspect = next((pk for pk in network.by_name.get(folded, []) if pk not in claimed), None)
    if suspect is None and org:
        suspect = next(
            (
                pk
                for pk in network.by_organization.get(org, [])
                if pk not in claimed and is_close_name(folded, network.people[pk].folded)
            ),
            None,
        )
    if suspect is not None:
        known = network.people[suspect]
        at = f" at {known.organization_name}" if known.organization else ""
        reason = f"same name{at}" if known.folded == wanted.folded else f"close name{at}"
        return PersonRow(wanted.line, wanted.name, "duplicate", wanted, known.pk, known.name, reason)
    return PersonRow(wanted.line, wanted.name, "new", wanted)


def plan_calendar(owner: User, data: bytes, *, filename: str, options: ImportOptions, now: datetime) -> Plan:
    """Past meetings of a calendar file, each with the people of the network it had (by email)."""
    profile = get_profile(owner)
    try:
        parsed = read_meetings(data, until=now, tz=profile.tz, max_per_series=MAX_OCCURRENCES)
    except FileRejected as exc:
        raise BadFile(filename, exc.message, line=exc.line, column="" if exc.field == "file" else exc.field) from None
    plan = Plan("ics", "calendar", filename, hashlib.sha256(data).hexdigest(), skipped=list(parsed.skipped))
    me = {email_key(e) for e in [*options.me, owner.email, *_calendar_owner(data)] if e}
    by_email = dict(Email.objects.for_owner(owner).values_list("address", "person_id"))
    known_keys = _known_meeting_keys(owner, [m.key for m in parsed.meetings])
    strangers: dict[str, list[Any]] = {}
    rows: list[MeetingRow] = []
    for meeting in parsed.meetings:
        person_ids, unknown = _meeting_people(meeting, by_email, me)
        if len(person_ids) + len(unknown) > MAX_MEETING_SIZE:
            plan.skipped.append(_too_big(meeting, len(person_ids) + len(unknown)))
            rows.append(MeetingRow(meeting, "too_big"))
            continue
        _count_strangers(strangers, unknown)
        status = _meeting_status(meeting, known_keys, person_ids, unknown)
        rows.append(MeetingRow(meeting, status, person_ids, [], unknown))
    plan.strangers = _strangers_but_me(strangers, rows)
    adding = _attendees_to_add(plan, options)
    _mark_repeats(owner, rows, known_keys)
    _name_people(owner, rows, adding)
    plan.meetings = rows
    return plan


def _known_meeting_keys(owner: User, keys: list[str]) -> set[str]:
    """The meetings already logged as touches (by an earlier import of this file or another)."""
    known_keys: set[str] = set()
    for start in range(0, len(keys), 500):
        known_keys.update(
            Touch.objects.for_owner(owner)
            .filter(source_key__in=keys[start : start + 500])
            .values_list("source_key", flat=True)
        )
    return known_keys


def _meeting_people(meeting: Meeting, by_email: dict[str, int], me: set[str]) -> tuple[list[int], list[Attendee]]:
    """The people of the network a meeting had (attendees and organizer, by email), and the
    attendees who are not in it; never the user."""
    people: list[Attendee] = [*meeting.attendees]
    if meeting.organizer is not None:
        people.append(meeting.organizer)
    seen: set[str] = set()
    person_ids: list[int] = []
    unknown: list[Attendee] = []
    for attendee in people:
        email = email_key(attendee.email)
        if not email or email in seen or email in me:
            continue
        seen.add(email)
        if email in by_email:
            if by_email[email] not in person_ids:
                person_ids.append(by_email[email])
        else:
            unknown.append(attendee)
    return person_ids, unknown


def _too_big(meeting: Meeting, size: int) -> Skipped:
    return Skipped(
        meeting.line,
        "attendees",
        f"{meeting.summary or 'a meeting'} had {size} people: too many to count as a touch with each",
    )


def _count_strangers(strangers: dict[str, list[Any]], unknown: list[Attendee]) -> None:
    """Each stranger's name (the first given) and number of meetings, by email."""
    for attendee in unknown:
        entry = strangers.setdefault(email_key(attendee.email), [attendee.name, 0])
        entry[0] = entry[0] or attendee.name
        entry[1] += 1


def _meeting_status(
    meeting: Meeting, known_keys: set[str], person_ids: list[int], unknown: list[Attendee]
) -> Literal["new", "same", "nobody"]:
    if meeting.key in known_keys:
        return "same"
    if not person_ids and not unknown:
        return "nobody"
    return "new"


def _strangers_but_me(strangers: dict[str, list[Any]], rows: list[MeetingRow]) -> dict[str, tuple[str, int]]:
    """Strangers as (name, number of meetings), but for anyone in most meetings: the user's own
    address shows up in nearly every meeting; never offer them as a stranger."""
    total = max(1, sum(1 for r in rows if r.status != "too_big"))
    return {
        email: (name or email, count)
        for email, (name, count) in strangers.items()
        if not (total >= 4 and count > total * 0.6)
    }


def _name_people(owner: User, rows: list[MeetingRow], adding: set[str]) -> None:
    """Each meeting's people by name; a meeting with no one known is new only if one of its
    strangers is to be added."""
    needed = sorted({pk for r in rows for pk in r.person_ids})
    names: dict[int, str] = {}
    for start in range(0, len(needed), 500):
        chunk = Person.objects.for_owner(owner).filter(pk__in=needed[start : start + 500])
        names.update(chunk.values_list("pk", "full_name"))
    for row in rows:
        row.names = [names.get(pk, "") for pk in row.person_ids]
        if row.status == "nobody" or (row.status == "new" and not row.person_ids):
            row.status = "new" if any(a.email.lower() in adding for a in row.unknown) else "nobody"


def _attendees_to_add(plan: Plan, options: ImportOptions) -> set[str]:
    if options.add_attendees is True:
        return set(plan.strangers)
    if options.add_attendees:
        return {e.lower() for e in options.add_attendees} & set(plan.strangers)
    return set()


def _mark_repeats(owner: User, rows: list[MeetingRow], known_keys: set[str]) -> None:
    """A meeting the user already logged by hand (a touch with the same person within three hours)
    is not logged again."""
    candidates = [r for r in rows if r.status == "new" and r.person_ids]
    if not candidates:
        return
    ids = sorted({pk for r in candidates for pk in r.person_ids})
    earliest = min(r.meeting.start for r in candidates) - timedelta(hours=3)
    latest = max(r.meeting.start for r in candidates) + timedelta(hours=3)
    logged: dict[int, list[datetime]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        for pk, at in (
            TouchParticipant.objects.for_owner(owner)
            .filter(person_id__in=ids[start : start + 500], happened_at__range=(earliest, latest))
            .values_list("person_id", "happened_at")
        ):
            logged[pk].append(at)
    window = timedelta(hours=3)
    for row in candidates:
        if any(abs(at - row.meeting.start) <= window for pk in row.person_ids for at in logged.get(pk, [])):
            row.status = "same"


def _calendar_owner(data: bytes) -> set[str]:
    """Google names an exported calendar after its owner's address (X-WR-CALNAME:ana@gmail.com)."""
    head = data[:20000].decode("utf-8", "replace")
    for line in head.splitlines():
        if line.upper().startswith("X-WR-CALNAME:"):
            value = line.split(":", 1)[1].strip().lower()
            if "@" in value and " " not in value:
                return {value}
    return set()


def plan_file(
    owner: User,
    fmt: str,
    data: bytes,
    filename: str,
    *,
    options: ImportOptions,
    now: datetime,
    progress: Callable[[str, int, int], None] | None = None,
) -> Plan:
    """Read ``data`` as ``fmt`` and plan what it would change. ``csv`` finds out which CSV it is."""
    fmt = normalize_format(fmt)
    if options.circle:
        options.circle = parse_choice(Circle, options.circle, "circle")
    if options.closeness:
        options.closeness = parse_choice(Closeness, options.closeness, "closeness")
    if options.labels not in LABEL_MODES:
        raise BadInput("labels", f"unknown value {options.labels!r}; choose one of {', '.join(LABEL_MODES)}")
    if fmt == "ics":
        return plan_calendar(owner, data, filename=filename, options=options, now=now)
    parsed = read_contacts(fmt, data, filename)
    actual = parsed.format if parsed.format in CONTACT_FORMATS else fmt
    return plan_contacts(
        owner, parsed, filename=filename, data=data, options=options, fmt=actual, now=now, progress=progress
    )


def rows_to_create(plan: Plan, options: ImportOptions) -> Sequence[PersonRow]:
    return [r for r in plan.people if r.status == "new" or (r.status == "duplicate" and not options.skip_duplicates)]


def iter_updates(plan: Plan) -> Iterable[PersonRow]:
    return (r for r in plan.people if r.status == "update")
