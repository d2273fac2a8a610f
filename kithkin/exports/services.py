"""Giving everything back in open formats: vCard and CSV of people, the calendar feed of
follow-ups and networking blocks. (The complete JSON document, backup and restore are in
``backup.py``.)"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.crypto import salted_hmac

from kithkin.accounts.models import RoutineBlock
from kithkin.accounts.services import get_profile
from kithkin.core import clock, stamps
from kithkin.core.errors import BadInput
from kithkin.core.scopes import unscoped
from kithkin.exports.models import CalendarFeed
from kithkin.followups.models import FollowUp
from kithkin.followups.services import dated_headline
from kithkin.lib.calendar_files import FeedEvent, write_feed
from kithkin.lib.contacts import ContactRecord, Labeled
from kithkin.lib.csv_contacts import write_google_csv
from kithkin.lib.phones import format_phone
from kithkin.lib.places import country_name
from kithkin.lib.vcard import write_vcards
from kithkin.people.models import Email, Interest, Link, Person, Phone
from kithkin.people.services import filter_people

CHUNK = 1000
# Stable identifiers: the same person or follow-up always gets the same UID, so a calendar or
# address book that imports a second export updates its entries instead of duplicating them.
UID_NAMESPACE = uuid.UUID("6f1c8a52-4d1e-4b8e-9a57-3a2f0d9e1c11")
FILTER_KEYS = {"circle", "closeness", "interest", "org", "organization", "prospects"}


# --- choosing people ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleChoice:
    """Who a vCard or CSV export takes: the people matching every filter set, everyone when none
    is. A circle or closeness may be several (in any of them)."""

    search: str = ""
    circles: tuple[str, ...] = ()
    closeness: tuple[str, ...] = ()
    interest: str = ""
    organization: str = ""
    prospects: bool | None = None  # True: only people to meet; False: only people met

    @property
    def is_everyone(self) -> bool:
        return self == PeopleChoice()


def parse_people_filter(text: str) -> PeopleChoice:
    """A ``--people`` filter read: words to search for, and ``key:value`` terms
    (``circle:friend closeness:close interest:fintech org:Acme prospects:yes``)."""
    words: list[str] = []
    terms: dict[str, str] = {}
    for token in re.findall(r'\w+:"[^"]*"|\S+', text or ""):
        key, sep, value = token.partition(":")
        if sep and key.lower() in FILTER_KEYS:
            terms["organization" if key.lower() == "org" else key.lower()] = value.strip('"')
        elif sep and key.isalpha() and "@" not in token and "//" not in value:
            raise BadInput("people", f"unknown filter {key!r}; use {', '.join(sorted(FILTER_KEYS - {'organization'}))}")
        else:
            words.append(token)
    prospects = None
    if "prospects" in terms:
        prospects = terms["prospects"].lower() in {"1", "yes", "true", "only"}
    return PeopleChoice(
        search=" ".join(words),
        circles=(terms["circle"],) if terms.get("circle") else (),
        closeness=(terms["closeness"],) if terms.get("closeness") else (),
        interest=terms.get("interest", ""),
        organization=terms.get("organization", ""),
        prospects=prospects,
    )


def choose_people(owner: User, choice: PeopleChoice) -> QuerySet[Person]:
    """The people ``choice`` takes, by name."""
    return filter_people(
        owner,
        search=choice.search,
        circle=choice.circles,
        closeness=choice.closeness,
        interest=choice.interest or None,
        organization=choice.organization or None,
        prospects=choice.prospects,
    ).order_by("full_name", "id")


def select_people(owner: User, text: str = "") -> QuerySet[Person]:
    """The people a ``--people`` filter names (``parse_people_filter``)."""
    return choose_people(owner, parse_people_filter(text))


def person_uid(owner: User, person_id: int) -> str:
    return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, f'person:{owner.pk}:{person_id}')}"


PERSON_COLUMNS = (
    "pk",
    "full_name",
    "name_prefix",
    "given_name",
    "middle_name",
    "family_name",
    "name_suffix",
    "nicknames",
    "organization__name",
    "title",
    "location",
    "city",
    "country",
    "birthday",
    "met_on",
    "notes",
    "is_prospect",
    "why",
)


def _by_person(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for person_id, *values in rows:
        grouped[person_id].append(tuple(values))
    return grouped


def person_records(owner: User, people: QuerySet[Person]) -> Iterator[tuple[int, ContactRecord]]:
    """Each person as a contact record (with their id), in the order of ``people``, read as plain
    values a thousand people at a time: no model instances, a few queries per thousand."""
    ids = list(people.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        mine = {"owner": owner, "person_id__in": chunk}
        emails = _by_person(Email.objects.filter(**mine).order_by("id").values_list("person_id", "address", "label"))
        phones = _by_person(Phone.objects.filter(**mine).order_by("id").values_list("person_id", "number", "label"))
        links = _by_person(Link.objects.filter(**mine).order_by("id").values_list("person_id", "url", "kind"))
        interests = _by_person(Interest.objects.filter(**mine).order_by("id").values_list("person_id", "text"))
        rows = {
            row[0]: row for row in Person.objects.for_owner(owner).filter(pk__in=chunk).values_list(*PERSON_COLUMNS)
        }
        for pk in chunk:
            values = dict(zip(PERSON_COLUMNS, rows[pk], strict=True))
            notes = values["notes"]
            if values["is_prospect"] and values["why"]:
                notes = f"Why I want to meet them: {values['why']}" + (f"\n\n{notes}" if notes else "")
            yield (
                pk,
                ContactRecord(
                    line=0,
                    name=values["full_name"],
                    prefix=values["name_prefix"],
                    given=values["given_name"],
                    middle=values["middle_name"],
                    family=values["family_name"],
                    suffix=values["name_suffix"],
                    nicknames=list(values["nicknames"] or []),
                    emails=[Labeled(a, tag, i == 0) for i, (a, tag) in enumerate(emails.get(pk, []))],
                    phones=[Labeled(format_phone(n), tag, i == 0) for i, (n, tag) in enumerate(phones.get(pk, []))],
                    links=[Labeled(url, "LinkedIn" if kind == "linkedin" else "") for url, kind in links.get(pk, [])],
                    organization=values["organization__name"] or "",
                    title=values["title"],
                    location=values["location"],
                    city=values["city"],
                    country=country_name(values["country"]) if values["country"] else "",
                    birthday=values["birthday"],
                    met_on=values["met_on"],
                    notes=notes,
                    labels=[text for (text,) in interests.get(pk, [])],
                ),
            )


def export_vcard(owner: User, people: QuerySet[Person], *, version: str = "4.0") -> str:
    """vCard 4.0 (or 3.0) of these people, with a stable UID each."""
    rows = list(person_records(owner, people))
    uids = {id(record): person_uid(owner, pk) for pk, record in rows}
    return write_vcards((record for _, record in rows), version=version, uid_for=lambda r: uids[id(r)])


def export_csv(owner: User, people: QuerySet[Person]) -> str:
    """Google Contacts' current CSV layout, which Google, Outlook and spreadsheets read. Unless
    ``CSV_FORMULA_GUARD`` is off, a value a spreadsheet would run as a formula starts with a
    quote (which Kithkin's own importer takes off again)."""
    records = (record for _, record in person_records(owner, people))
    return write_google_csv(records, guard_formulas=settings.CSV_FORMULA_GUARD)


# --- the calendar feed --------------------------------------------------------------------------


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _derived_token(salt: str) -> str:
    return salted_hmac("kithkin.exports.feed", salt, algorithm="sha256").hexdigest()


def feed_token(owner: User) -> str:
    """The secret of the owner's feed URL, made on first use and the same afterwards. A feed whose
    secret cannot be derived again (made before it was derived, or under another secret key) gets
    a new one, and its old URL keeps working."""
    found = CalendarFeed.objects.for_owner(owner).first()
    if found is not None and found.salt and hash_feed_token(token := _derived_token(found.salt)) == found.token_hash:
        return token
    salt = secrets.token_urlsafe(24)
    token = _derived_token(salt)
    if found is not None:
        found.legacy_hash, found.salt, found.token_hash = found.token_hash, salt, hash_feed_token(token)
        found.save(update_fields=["legacy_hash", "salt", "token_hash"])
        return token
    try:
        with transaction.atomic():
            CalendarFeed.objects.create(
                owner=owner, salt=salt, token_hash=hash_feed_token(token), created_at=clock.now()
            )
            return token
    except IntegrityError:  # made at the same moment by another request
        return feed_token(owner)


def revoke_feed(owner: User) -> bool:
    """Turn the feed URL off: it answers 404 from now on. A later ``feed_token`` makes a new one."""
    deleted, _ = CalendarFeed.objects.for_owner(owner).delete()
    return bool(deleted)


def owner_of_feed(token: str) -> User | None:
    """Whose feed the secret ``token`` opens, if anyone's."""
    if not token:
        return None
    # Unscoped: the token is what tells whose feed it is; calendar programs do not sign in.
    with unscoped():
        hashed = hash_feed_token(token)
        found = (
            CalendarFeed.objects.select_related("owner").filter(Q(token_hash=hashed) | Q(legacy_hash=hashed)).first()
        )
    return found.owner if found is not None else None


FEED_ALARM = timedelta(minutes=15)


def follow_up_uid(owner: User, follow_up_id: int) -> str:
    return f"{uuid.uuid5(UID_NAMESPACE, f'follow-up:{owner.pk}:{follow_up_id}')}@kithkin"


def feed_events(owner: User, now: datetime, *, base_url: str = "") -> list[FeedEvent]:
    """An event per open follow-up with a reminder (a check-in on its day, all day; the rest at
    the time they fall due), and a weekly event per networking block."""
    profile = get_profile(owner)
    tz = profile.tz
    events: list[FeedEvent] = []
    # To the end of a day, so that the feed changes by the day, not by the second (and can be
    # kept all day, ``cached_feed``).
    horizon = _local_midnight(now.astimezone(tz).date() + timedelta(days=settings.FEED_HORIZON_DAYS + 1), tz)
    pending = FollowUp.objects.for_owner(owner).due_by(horizon).select_related("person", "touch")
    for follow_up in pending.iterator(chunk_size=2000):
        local = follow_up.remind_at.astimezone(tz)
        url = f"{base_url}/people/{follow_up.person_id}/" if base_url else ""
        is_day = follow_up.kind == FollowUp.Kind.CHECK_IN
        events.append(
            FeedEvent(
                uid=follow_up_uid(owner, follow_up.pk),
                summary=dated_headline(follow_up, tz),
                start=local.date() if is_day else local,
                end=None if is_day else local + timedelta(minutes=15),
                description=f"{follow_up.get_kind_display().capitalize()} for {follow_up.person.full_name}."
                + (f"\n{url}" if url else ""),
                url=url,
                # All day: remind at 09:00 that morning (a trigger after the day's start).
                alarm_before=-timedelta(hours=9) if is_day else FEED_ALARM,
            )
        )
    today = now.astimezone(tz).date()
    for block in RoutineBlock.objects.for_owner(owner):
        first = today + timedelta(days=(block.weekday - today.weekday()) % 7)
        start = datetime.combine(first, block.starts_at, tzinfo=tz)
        end = datetime.combine(first, block.ends_at, tzinfo=tz)
        events.append(
            FeedEvent(
                uid=f"{uuid.uuid5(UID_NAMESPACE, f'block:{owner.pk}:{block.pk}')}@kithkin",
                summary=block.title,
                start=start,
                end=end,
                description="Time to reach out: thank, check in, give, ask.",
                alarm_before=timedelta(minutes=5),
                weekly_on=block.weekday,
            )
        )
    return events


def build_feed(owner: User, *, now: datetime | None = None, base_url: str = "") -> bytes:
    now = now or clock.now()
    return write_feed(feed_events(owner, now, base_url=base_url), name="Kithkin follow-ups", now=now)


def _local_midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def cached_feed(owner: User, *, base_url: str = "") -> bytes:
    """``build_feed``, built once per change of what it shows (``core.stamps``) and per day (what
    falls within the horizon): calendar programs poll the feed, and at 30,000 people building it
    takes seconds. At most ``FEED_CACHE_SECONDS`` old, so what no stamp sees (a row deleted by a
    cascade from a model that keeps no stamp) shows in time."""
    today = clock.now().astimezone(get_profile(owner).tz).date()
    base = hashlib.sha256(base_url.encode()).hexdigest()[:16]
    key = f"feed:{owner.pk}:{stamps.stamp(owner.pk)}:{today.isoformat()}:{base}"
    body = cache.get(key)
    if body is None:
        body = build_feed(owner, base_url=base_url)
        cache.set(key, body, timeout=settings.FEED_CACHE_SECONDS)
    return bytes(body)
