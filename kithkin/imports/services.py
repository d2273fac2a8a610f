"""Importing files into the network, and undoing an import. The only code that writes imports.

``import_file`` plans (see ``plan.py``), then applies the plan a chunk at a time, each chunk in a
short transaction recorded on the import: a file either goes in as a whole, or not at all (a
failed import is undone). Every row it creates and every field it changes is recorded in
``ImportedObject``, so ``undo_import`` can put the network back as it was.

Imported people and touches are history: importing never asks for thank-yous. New people start
with the import defaults of the settings (an acquaintance gets no check-ins).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import pickle
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import QuerySet
from filelock import FileLock, Timeout

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.db import bulk_load_cache, insert_objects, insert_rows, insert_rows_returning_ids, update_rows
from kithkin.core.errors import NotFound
from kithkin.core.scopes import owner_scope, unscoped
from kithkin.followups.milestones import sync_birthdays
from kithkin.followups.services import sync_check_ins
from kithkin.imports.hooks import PeopleImported, people_imported
from kithkin.imports.models import Import, ImportedObject
from kithkin.imports.plan import (
    Change,
    ImportOptions,
    PersonRow,
    Plan,
    Wanted,
    iter_updates,
    plan_file,
    read_contacts,
    rows_to_create,
)
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.interactions.services import refresh_last_touch
from kithkin.lib.calendar_files import Meeting
from kithkin.lib.collector import collector_paused
from kithkin.lib.links import link_kind
from kithkin.lib.places import place_words
from kithkin.lib.search import search_document
from kithkin.people.hooks import SearchRefreshed, search_refreshed
from kithkin.people.models import (
    Email,
    HistoryEntry,
    Interest,
    Link,
    Organization,
    Person,
    Phone,
    Position,
    birthday_key,
)
from kithkin.people.services import refresh_search

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
CHUNK = 1000
# Rows of a file written in one transaction: well under a second of holding the write lock (two
# thousand new people, about a fifth of a second at 30,000 people; each commit writes again the
# index pages the chunk touched, so that five hundred cost a second more for thirty thousand).
APPLY_CHUNK = 2000
# Rows an undo deletes in one transaction: a person goes with everything that hangs on them.
UNDO_CHUNK = 500
# SQLite's page cache while an import or its undo runs: with the default 2 MB, a 30,000-person
# import read 680,000 pages back from disk (126,000 with 32 MB; 128 MB, the demo's, is no quicker).
IMPORT_CACHE_KIB = 32 * 1024
# An unfinished import that has written nothing for this long was left by a process that died.
ABANDONED_AFTER = timedelta(minutes=15)
# What an import may change on someone already in the network, put back by undo.
PERSON_FIELDS = (
    "organization",
    "title",
    "location",
    "city",
    "country",
    "notes",
    "birthday",
    "met_on",
    "circle",
    "nicknames",
    "updated_at",
)
HISTORY_COLUMNS = ("owner", "person", "kind", "text", "happened_at", "data")
CHILD_MODELS: tuple[type[models.Model], ...] = (Email, Phone, Link, Interest, Position, HistoryEntry)


@dataclass
class ImportResult:
    plan: Plan
    import_id: int | None  # None for a dry run, or when the file changed nothing
    created: int = 0
    updated: int = 0
    touches: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            **self.plan.to_json(),
            "import_id": self.import_id,
            "applied": {
                "people_created": self.created,
                "people_updated": self.updated,
                "touches_created": self.touches,
            },
        }


@dataclass
class UndoResult:
    import_id: int
    filename: str
    people_removed: int = 0
    people_restored: int = 0
    touches_removed: int = 0
    people_kept: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "file": self.filename,
            "people_removed": self.people_removed,
            "people_restored": self.people_restored,
            "touches_removed": self.touches_removed,
            "people_kept": self.people_kept,
        }


@collector_paused()
def preview_import(owner: User, fmt: str, data: bytes, filename: str, *, options: ImportOptions | None = None) -> Plan:
    """What importing ``data`` would do, changing nothing."""
    return plan_file(owner, fmt, data, filename, options=options or ImportOptions(), now=clock.now())


@collector_paused()
@bulk_load_cache(IMPORT_CACHE_KIB)
def import_file(
    owner: User,
    fmt: str,
    data: bytes,
    filename: str,
    *,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
    recorded_as: str | None = None,
) -> ImportResult:
    """Plan an import, then apply it a chunk of rows at a time. A file that would change nothing
    records no import. ``recorded_as`` is the format the import is listed under when it is not
    the file's own: an address book's sync reads vCards, and is listed as that sync.

    The planning (reading the file, matching it against the network) takes most of the time and
    only reads, so it holds no lock; each chunk of ``APPLY_CHUNK`` rows is then written in a short
    transaction of its own, recorded on the import as it goes, so that other writers (the web,
    the CLI) wait a moment at most. Should a chunk fail, what the earlier ones wrote is undone:
    the file goes in as a whole or not at all."""
    options = options or ImportOptions()
    now = now or clock.now()
    started = time.perf_counter()
    plan = plan_file(owner, fmt, data, filename, options=options, now=now, progress=progress)
    result = ImportResult(plan, None)
    if not plan.changes_anything:
        return result
    run = Import.objects.create(
        owner=owner,
        format=recorded_as or plan.format,
        layout=plan.layout,
        filename=filename[:255],
        sha256=plan.sha256,
        created_at=now,
        counts={},
        skipped=[{"line": s.line, "field": s.field, "reason": s.reason} for s in plan.skipped],
        wrote_chunk_at=clock.now(),
    )
    try:
        _apply(owner, run, result, options, now, progress)
    except BaseException:
        _abandon(owner, run)
        raise
    result.import_id = run.pk
    result.seconds = time.perf_counter() - started
    return result


def _apply(
    owner: User, run: Import, result: ImportResult, options: ImportOptions, now: datetime, progress: Progress | None
) -> None:
    plan = result.plan
    recorder = _Recorder(owner, run)
    label = f"{Path(run.filename).name} ({run.get_format_display()})"
    after = _Afterwards()
    if plan.format == "ics":
        strangers = _new_people(owner, _strangers_to_add(plan, options), {}, options, now)
        with recorder.chunk():
            new_ids = _create_people(owner, recorder, strangers, label, now, progress)
            after.created += new_ids
            by_email = {row.wanted.emails[0][0]: pk for row, pk in zip(strangers.rows, new_ids, strict=True)}
            result.created = len(new_ids)
            result.touches = _create_touches(owner, recorder, plan, by_email, now)
    else:
        created_rows = rows_to_create(plan, options)
        updated_rows = list(iter_updates(plan))
        orgs: dict[str, Organization] = {}
        if created_rows or updated_rows:
            # Every organization the file names, read (and the missing ones made) once.
            named = [r.wanted.organization for r in created_rows]
            named += [c.after for r in updated_rows for c in r.changes if c.field == "organization"]
            with recorder.chunk():
                orgs = _organizations(owner, recorder, named)
        for start, chunk in _chunks(created_rows):
            # Made ready before the transaction: other writers get their turn meanwhile.
            new = _new_people(owner, chunk, orgs, options, now)
            with recorder.chunk():
                added = _create_people(owner, recorder, new, label, now, _offset(progress, start, created_rows))
                after.created += added
                result.created += len(added)
        for start, chunk in _chunks(updated_rows):
            with recorder.chunk():
                result.updated += _update_people(
                    owner, recorder, chunk, orgs, label, now, _offset(progress, start, updated_rows), after
                )
    after.run(owner, now)
    _announce(owner, recorder)
    run.counts = {
        "people_created": result.created,
        "people_updated": result.updated,
        "touches_created": result.touches,
        "skipped": len(plan.skipped),
    }
    run.wrote_chunk_at = None
    run.save(update_fields=["counts", "wrote_chunk_at"])


@dataclass
class _Afterwards:
    """What the rules above the people written by an import work out from them, done once for
    the whole file once every chunk is in (what they read costs about as much for five hundred
    people as for thirty thousand): search documents, check-ins and birthday wishes."""

    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    met_on_moved: list[int] = field(default_factory=list)  # people whose day you met moved

    def run(self, owner: User, now: datetime) -> None:
        with transaction.atomic():
            if self.updated:
                refresh_search(owner, self.updated)  # their search text, then what search keeps
            if self.created:
                # The new people's search text was written with them: what the apps above keep follows.
                search_refreshed.run(SearchRefreshed(owner, tuple(self.created)))
        with transaction.atomic():
            # The follow-up rules for new people, and for those whose day you met (it starts the
            # wait for a check-in): check-ins, then birthdays.
            if self.created or self.met_on_moved:
                sync_check_ins(owner, sorted({*self.created, *self.met_on_moved}), now=now)
            if self.created:
                sync_birthdays(owner, self.created, now=now)


def _announce(owner: User, recorder: _Recorder) -> None:
    """Tell the apps above which people the file added or gave a new role."""
    ids = set(recorder.created_ids.get("people.person", []))
    positions = recorder.created_ids.get("people.position", [])
    for start in range(0, len(positions), 500):
        chunk = positions[start : start + 500]
        ids.update(Position.objects.for_owner(owner).filter(pk__in=chunk).values_list("person_id", flat=True))
    if ids:
        with transaction.atomic():
            people_imported.run(PeopleImported(owner, tuple(sorted(ids))))


def _chunks(rows: Sequence[PersonRow]) -> Iterator[tuple[int, Sequence[PersonRow]]]:
    for start in range(0, len(rows), APPLY_CHUNK):
        yield start, rows[start : start + APPLY_CHUNK]


def _offset(progress: Progress | None, start: int, rows: Sequence[PersonRow]) -> Progress | None:
    """Progress through one chunk told as progress through all of ``rows``."""
    if progress is None:
        return None
    return lambda stage, done, _total: progress(stage, start + done, len(rows))


def _abandon(owner: User, run: Import) -> None:
    """Undo what the chunks of a failed import wrote. Should that fail too (the database busy,
    the process stopping), the import stays unfinished and ``undo_abandoned_imports`` takes it
    back later."""
    try:
        undo_import(owner, run.pk)
    except Exception:
        logger.exception("could not undo the unfinished import %s now; it will be undone later", run.pk)


def undo_abandoned_imports(*, now: datetime | None = None) -> int:
    """Undo every import, of any owner, that stopped half-way (its process died): one that has
    written no chunk for ``ABANDONED_AFTER``. Returns how many. Run by the server's upkeep."""
    cutoff = (now or clock.now()) - ABANDONED_AFTER
    # Cross-owner by nature: upkeep for the whole database, each undone as its own owner.
    with unscoped():
        stale = list(Import.objects.filter(wrote_chunk_at__lt=cutoff).select_related("owner"))
    for run in stale:
        with owner_scope(run.owner):
            try:
                undo_import(run.owner, run.pk, now=now)
            except NotFound:  # undone a moment ago by another process
                continue
    return len(stale)


# --- recording what an import did ---------------------------------------------------------------


class _Recorder:
    """Collects what an import does: the ids of rows it created (kept on the Import) and the
    fields it changed (an ImportedObject each, written in bulk)."""

    def __init__(self, owner: User, run: Import) -> None:
        self.owner, self.run = owner, run
        self.created_ids: dict[str, list[int]] = {}
        self.rows: list[tuple[Any, ...]] = []  # ImportedObject's ``COLUMNS``

    COLUMNS = ("owner", "run", "model", "object_id", "before", "after")

    def created(self, model: type[models.Model], ids: Iterable[int]) -> None:
        self.created_ids.setdefault(model._meta.label_lower, []).extend(ids)

    def updated(self, model: type[models.Model], pk: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        self.rows.append((self.owner.pk, self.run.pk, model._meta.label_lower, pk, before, after))

    def flush(self) -> None:
        insert_rows(ImportedObject, self.COLUMNS, self.rows)
        self.rows = []
        self.run.created = {label: ids for label, ids in self.created_ids.items() if ids}

    @contextmanager
    def chunk(self) -> Iterator[None]:
        """One short transaction: what the block writes, recorded on the import with it."""
        with transaction.atomic():
            yield
            self.flush()
            self.run.wrote_chunk_at = clock.now()
            self.run.save(update_fields=["created", "wrote_chunk_at"])


class Recording:
    """What a sync of a connected account (``kithkin.capture``) writes, recorded as an import of
    its own, so that it is listed with its counts and can be undone like a file. Made by
    ``recording``; write in ``chunk()`` blocks, telling ``created`` and ``updated`` what changed."""

    def __init__(self, owner: User, run: Import) -> None:
        self.run = run
        self.counts: dict[str, int] = {}
        self._recorder = _Recorder(owner, run)

    def created(self, model: type[models.Model], ids: Iterable[int]) -> None:
        self._recorder.created(model, ids)

    def updated(self, model: type[models.Model], pk: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        """A row the sync changed: ``before`` and ``after`` hold the changed fields as JSON
        (``snapshot``), and undo puts ``before`` back while the row still holds ``after``."""
        self._recorder.updated(model, pk, before, after)

    def chunk(self) -> contextlib.AbstractContextManager[None]:
        """One short transaction: what the block writes, recorded on the import with it."""
        return self._recorder.chunk()

    @property
    def changed_anything(self) -> bool:
        return (
            any(self.run.created.values())
            or ImportedObject.objects.for_owner(self.run.owner_id).filter(run=self.run).exists()
        )


@contextmanager
def recording(owner: User, fmt: str, name: str, *, now: datetime | None = None) -> Iterator[Recording]:
    """An import for a sync: listed once the block ends, if it changed anything (a sync that
    found nothing new leaves no import); undone whole if the block fails."""
    run = Import.objects.create(
        owner=owner,
        format=fmt,
        filename=name[:255],
        sha256="",
        created_at=now or clock.now(),
        counts={},
        wrote_chunk_at=clock.now(),
    )
    rec = Recording(owner, run)
    try:
        yield rec
    except BaseException:
        _abandon(owner, run)
        raise
    if not rec.changed_anything:
        run.delete()
        return
    run.counts = {k: v for k, v in rec.counts.items() if v}
    run.wrote_chunk_at = None
    run.save(update_fields=["counts", "wrote_chunk_at"])


def snapshot(obj: models.Model, names: Sequence[str]) -> dict[str, Any]:
    """Fields of ``obj`` as JSON, for ``Recording.updated``."""
    return _snapshot(obj, names)


def _snapshot(obj: models.Model, names: Sequence[str]) -> dict[str, Any]:
    """Field values as JSON (dates as ISO text, a foreign key as its id)."""
    values: dict[str, Any] = {}
    for name in names:
        value = obj._meta.get_field(name).value_from_object(obj)  # type: ignore[union-attr]
        values[name] = value.isoformat() if isinstance(value, date | datetime) else value
    return values


# --- creating people ----------------------------------------------------------------------------


def _organizations(owner: User, recorder: _Recorder, names: Iterable[str]) -> dict[str, Organization]:
    """The owner's organizations by lower-case name, creating the missing ones."""
    known = {org.name.lower(): org for org in Organization.objects.for_owner(owner)}
    missing: dict[str, str] = {}
    for name in names:
        if name and name.lower() not in known:
            missing.setdefault(name.lower(), name)
    if missing:
        created = Organization.objects.bulk_create(
            [Organization(owner=owner, name=name) for name in missing.values()], batch_size=CHUNK
        )
        recorder.created(Organization, [org.pk for org in created])
        known.update({org.name.lower(): org for org in created})
    return known


@dataclass
class _NewPeople:
    """New people made ready outside any transaction (the costly part: names, search text),
    with the organizations they need already in the network."""

    rows: Sequence[PersonRow]
    columns: list[str]
    people: list[list[Any]]  # each person's values of ``columns``
    orgs: dict[str, Organization]


def _new_people(
    owner: User, rows: Sequence[PersonRow], orgs: dict[str, Organization], options: ImportOptions, now: datetime
) -> _NewPeople:
    profile = get_profile(owner)
    circle = profile.import_circle if options.circle is None else options.circle
    closeness = options.closeness or profile.import_closeness
    blank = _blank_person(owner)
    people = [_new_person(blank, r.wanted, orgs, circle, closeness, now) for r in rows]
    return _NewPeople(rows, list(blank), people, orgs)


def _blank_person(owner: User) -> dict[str, Any]:
    """Every field a new person is written with, at the model's defaults: the HTML of the notes is
    rendered as they are written (``insert_rows``)."""
    blank = Person(owner=owner)
    html = set(Person.markdown_fields.values())
    fields = [f for f in Person._meta.concrete_fields if not f.primary_key and f.name not in html]
    return {f.name: getattr(blank, f.attname) for f in fields}


def _create_people(
    owner: User, recorder: _Recorder, new: _NewPeople, label: str, now: datetime, progress: Progress | None
) -> list[int]:
    """Everyone new in the file, in bulk: people, roles, emails, phones, links, interests and a
    history line each. The same rows ``add_person`` would write, in a few queries per thousand."""
    if not new.rows:
        return []
    orgs, rows = new.orgs, new.rows
    history = f"Added by the import of {label}"[:500]
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = [r.wanted for r in rows[start : start + CHUNK]]
        pks = insert_rows_returning_ids(Person, new.columns, new.people[start : start + CHUNK])
        ids.extend(pks)
        pairs = list(zip(pks, chunk, strict=True))
        o = owner.pk
        insert_rows(
            Position,
            ["owner", "person", "organization", "title"],
            (
                (o, pk, org.pk if (org := orgs.get(w.organization.lower())) else None, w.title)
                for pk, w in pairs
                if w.organization or w.title
            ),
        )
        insert_rows(
            Email, ["owner", "person", "address", "label"], ((o, pk, a, t) for pk, w in pairs for a, t in w.emails)
        )
        insert_rows(
            Phone, ["owner", "person", "number", "label"], ((o, pk, n, t) for pk, w in pairs for n, t in w.phones)
        )
        insert_rows(
            Link,
            ["owner", "person", "url", "kind"],
            ((o, pk, url, link_kind(url)) for pk, w in pairs for url in w.links),
        )
        insert_rows(
            Interest,
            ["owner", "person", "text", "key", "created_at"],
            ((o, pk, text, text.lower(), now) for pk, w in pairs for text in w.interests),
        )
        insert_rows(
            HistoryEntry,
            HISTORY_COLUMNS,
            (
                (o, pk, HistoryEntry.Kind.IMPORTED, history, now, {"import_id": recorder.run.pk, "line": w.line})
                for pk, w in pairs
            ),
        )
        recorder.created(Person, pks)
        if progress:
            progress("adding people", len(ids), len(rows))
    return ids


def _new_person(
    blank: dict[str, Any], w: Wanted, orgs: dict[str, Organization], circle: str, closeness: str, now: datetime
) -> list[Any]:
    """A new person's values of the fields of ``blank``, as a row: a model instance each cost
    more than writing them."""
    org = orgs.get(w.organization.lower()) if w.organization else None
    values = {
        "full_name": w.name,
        "name_prefix": w.prefix,
        "given_name": w.given,
        "middle_name": w.middle,
        "family_name": w.family,
        "name_suffix": w.suffix,
        "nicknames": w.nicknames,
        "organization": org.pk if org else None,
        "title": w.title,
        "location": w.location,
        "city": w.city,
        "country": w.country,
        "circle": w.circle or circle,
        "closeness": closeness,
        "met_on": w.met_on,
        "notes": w.notes,
        "birthday": w.birthday,
        "birthday_key": birthday_key(w.birthday),
        # What refresh_search would write, made here: one query fewer per five hundred people.
        "search_text": search_document(
            [
                w.name,
                " ".join(w.nicknames),
                w.title,
                org.name if org else "",
                *place_words(w.location, w.city, w.country),
                *(e for e, _ in w.emails),
                *w.interests,
            ]
        ),
        "created_at": now,
        "updated_at": now,
    }
    return list({**blank, **values}.values())


# --- updating people ----------------------------------------------------------------------------


def _describe_changes(row: PersonRow) -> str:
    parts = []
    for change in row.changes:
        if change.before:
            parts.append(f"{change.field} {change.before} → {change.after}")
        else:
            parts.append(f"added {change.field} {change.after}")
    return "; ".join(parts)


UPDATED_FIELDS = [
    "organization",
    "title",
    "location",
    "city",
    "country",
    "notes",
    "birthday",
    "birthday_key",
    "met_on",
    "circle",
]


@dataclass
class _Updates:
    """What updating people makes beside the people themselves, written in bulk at the end: new
    rows (emails, phones, links, interests, history), people with a new role, and people whose
    day you met moved."""

    owner: User
    orgs: dict[str, Organization]
    emails: list[Email] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    interests: list[Interest] = field(default_factory=list)
    history: list[tuple[Any, ...]] = field(default_factory=list)  # HISTORY_COLUMNS
    new_roles: list[Person] = field(default_factory=list)
    met_on_moved: list[int] = field(default_factory=list)

    def apply(self, person: Person, changes: Sequence[Change]) -> None:
        """Make a row's changes to ``person`` (see ``_CHANGES``); a new organization or title is a
        new role."""
        role = (person.organization_id, person.title)
        for change in changes:
            _CHANGES.get(change.field, _set_field)(self, person, change)
        if (person.organization_id, person.title) != role:
            self.new_roles.append(person)


def _add_email(updates: _Updates, person: Person, change: Change) -> None:
    updates.emails.append(Email(owner=updates.owner, person=person, address=change.after))


def _add_phone(updates: _Updates, person: Person, change: Change) -> None:
    updates.phones.append(Phone(owner=updates.owner, person=person, number=change.after))


def _add_link(updates: _Updates, person: Person, change: Change) -> None:
    updates.links.append(Link(owner=updates.owner, person=person, url=change.after, kind=link_kind(change.after)))


def _add_interest(updates: _Updates, person: Person, change: Change) -> None:
    updates.interests.append(Interest(owner=updates.owner, person=person, text=change.after, key=change.after.lower()))


def _add_nickname(updates: _Updates, person: Person, change: Change) -> None:
    person.nicknames = [*person.nicknames, change.after]


def _set_organization(updates: _Updates, person: Person, change: Change) -> None:
    person.organization = updates.orgs[change.after.lower()]


def _set_birthday(updates: _Updates, person: Person, change: Change) -> None:
    person.birthday = date.fromisoformat(change.after)


def _set_met_on(updates: _Updates, person: Person, change: Change) -> None:
    person.met_on = date.fromisoformat(change.after)
    updates.met_on_moved.append(person.pk)


def _set_field(updates: _Updates, person: Person, change: Change) -> None:
    """Title, location, city, country, notes, circle: text fields, checked by the plan."""
    setattr(person, change.field, change.after)


# How each kind of change in a plan (``Change.field``) is made; any other is ``_set_field``.
_CHANGES: dict[str, Callable[[_Updates, Person, Change], None]] = {
    "email": _add_email,
    "phone": _add_phone,
    "link": _add_link,
    "interest": _add_interest,
    "nickname": _add_nickname,
    "organization": _set_organization,
    "birthday": _set_birthday,
    "met on": _set_met_on,
}


def _update_people(
    owner: User,
    recorder: _Recorder,
    rows: Sequence[PersonRow],
    orgs: dict[str, Organization],
    label: str,
    now: datetime,
    progress: Progress | None,
    after: _Afterwards,
) -> int:
    """Give people already in the network what the file adds, in bulk, recording every changed
    field and every new row for undo. A new organization or title keeps the old role as history,
    as ``edit_person`` does: the open role ends today and the new one starts today (``orgs``: the
    organizations by lower-case name). Their search text and check-ins are worked out again once
    the whole file is in (``after``)."""
    if not rows:
        return 0
    today = now.astimezone(get_profile(owner).tz).date()
    ids = [row.person_id for row in rows if row.person_id is not None]
    people = _people_by_id(owner, ids)
    updates = _Updates(owner, orgs)
    updated = 0
    for done, row in enumerate(rows, start=1):
        person = people.get(row.person_id)  # type: ignore[arg-type]
        if person is None:  # deleted since the plan was made
            continue
        updated += 1
        before = _snapshot(person, PERSON_FIELDS)
        updates.apply(person, row.changes)
        person.birthday_key = birthday_key(person.birthday)
        person.updated_at = now
        recorder.updated(Person, person.pk, before, _snapshot(person, PERSON_FIELDS))
        updates.history.append(
            (
                owner.pk,
                person.pk,
                HistoryEntry.Kind.IMPORT_UPDATED,
                f"Updated by the import of {label}: {_describe_changes(row)}"[:500],
                now,
                {"import_id": recorder.run.pk, "line": row.line},
            )
        )
        if progress and (done % 1000 == 0 or done == len(rows)):
            progress("updating people", done, len(rows))
    _save_people(people.values())
    _create_updates(owner, recorder, updates, today)
    after.updated += list(people)
    after.met_on_moved += updates.met_on_moved
    return updated


def _people_by_id(owner: User, ids: list[int]) -> dict[int, Person]:
    """The people to update, with the fields an import reads and writes only."""
    people: dict[int, Person] = {}
    rows = Person.objects.for_owner(owner).only("owner", *PERSON_FIELDS, *UPDATED_FIELDS)
    for start in range(0, len(ids), 500):
        people.update(rows.in_bulk(ids[start : start + 500]))
    return people


def _save_people(people: Iterable[Person]) -> None:
    """The fields an import may change, in one executemany."""
    columns = [*UPDATED_FIELDS, "nicknames", "updated_at"]
    attnames = ["organization_id" if c == "organization" else c for c in columns]
    update_rows(Person, columns, ([p.pk, *(getattr(p, a) for a in attnames)] for p in people))


def _create_updates(owner: User, recorder: _Recorder, updates: _Updates, today: date) -> None:
    """Write the rows the updates made, recording each for undo; people with a new role end the
    open one today and start the new one."""
    positions = _move_roles(owner, recorder, updates.new_roles, today)
    recorder.created(Position, positions)
    for model, rows in (
        (Email, updates.emails),
        (Phone, updates.phones),
        (Link, updates.links),
        (Interest, updates.interests),
    ):
        recorder.created(model, insert_objects(rows))
    recorder.created(HistoryEntry, insert_rows_returning_ids(HistoryEntry, HISTORY_COLUMNS, updates.history))


def _move_roles(owner: User, recorder: _Recorder, new_roles: list[Person], today: date) -> list[int]:
    """End the open roles of people with a new one (recorded for undo), and start their new one."""
    moved = [p.pk for p in new_roles]
    for start in range(0, len(moved), 500):
        current = Position.objects.for_owner(owner).current().filter(person_id__in=moved[start : start + 500])
        ending = list(current.values_list("pk", flat=True))
        for pk in ending:
            recorder.updated(Position, pk, {"ended_on": None}, {"ended_on": today.isoformat()})
        Position.objects.for_owner(owner).filter(pk__in=ending).update(ended_on=today)
    return insert_rows_returning_ids(
        Position,
        ["owner", "person", "organization", "title", "started_on"],
        ((owner.pk, p.pk, p.organization_id, p.title, today) for p in new_roles if p.organization_id or p.title),
    )


# --- calendar meetings --------------------------------------------------------------------------


def _strangers_to_add(plan: Plan, options: ImportOptions) -> list[PersonRow]:
    if options.add_attendees is True:
        wanted = set(plan.strangers)
    elif options.add_attendees:
        wanted = {e.lower() for e in options.add_attendees} & set(plan.strangers)
    else:
        wanted = set()
    rows = []
    for email in sorted(wanted):
        name, _count = plan.strangers[email]
        display = name if name and name != email else email.split("@", 1)[0].replace(".", " ").title()
        rows.append(PersonRow(0, display, "new", Wanted(0, display[:200], emails=[(email, "")])))
    return rows


def _create_touches(owner: User, recorder: _Recorder, plan: Plan, added: dict[str, int], now: datetime) -> int:
    """One touch for each new meeting with the people it had, logged as history (no thank-yous)."""
    rows = []
    for row in plan.meetings:
        if row.status != "new":
            continue
        people = list(row.person_ids) + [added[a.email.lower()] for a in row.unknown if a.email.lower() in added]
        if people:
            rows.append((row.meeting, people))
    logged = log_meetings(owner, recorder, rows, now=now)
    refresh_touched(owner, [pk for _, people in rows for pk in people], now=now)
    return len(logged)


class Records(Protocol):
    """What writes on an import is told: the rows it created (a file's ``_Recorder``, a sync's
    ``Recording``)."""

    def created(self, model: type[models.Model], ids: Iterable[int]) -> None: ...


def log_meetings(
    owner: User, recorder: Records, meetings: Sequence[tuple[Meeting, Sequence[int]]], *, now: datetime
) -> dict[str, int]:
    """One touch for each meeting with the people given, logged as history (no thank-yous):
    kind meeting, or event for an all-day one, at its start, keyed by the meeting's key so that
    it is never logged twice. The one writer of meeting touches, for a calendar file and a
    calendar sync alike. Returns the new touches' ids by meeting key; the caller then refreshes
    the people's last touch and check-ins (``refresh_touched``), once for everything it wrote."""
    logged: dict[str, int] = {}
    rows = [(meeting, list(dict.fromkeys(people))) for meeting, people in meetings if people]
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        touches = Touch.objects.bulk_create(
            Touch(
                owner=owner,
                kind=Touch.Kind.EVENT if meeting.is_all_day else Touch.Kind.MEETING,
                happened_at=meeting.start,
                notes=_meeting_notes(meeting.summary, meeting.location),
                created_at=now,
                source_key=meeting.key[:300],
            )
            for meeting, _ in chunk
        )
        TouchParticipant.objects.bulk_create(
            TouchParticipant(owner=owner, touch=touch, person_id=pk, happened_at=touch.happened_at)
            for touch, (_, people) in zip(touches, chunk, strict=True)
            for pk in people
        )
        recorder.created(Touch, [t.pk for t in touches])
        logged.update((meeting.key, touch.pk) for touch, (meeting, _) in zip(touches, chunk, strict=True))
    return logged


def refresh_touched(owner: User, person_ids: Iterable[int], *, now: datetime) -> None:
    """After touches were logged, moved or removed: the people's last touch, and their check-ins
    (which wait from it)."""
    ids = sorted(set(person_ids))
    if ids:
        refresh_last_touch(owner, ids)
        sync_check_ins(owner, ids, now=now)


def _meeting_notes(summary: str, location: str) -> str:
    summary = summary.strip() or "A meeting"
    return f"{summary} ({location.strip()})" if location.strip() else summary


# --- undo ---------------------------------------------------------------------------------------


def _ids(run: Import, model: type[models.Model]) -> list[int]:
    return [int(pk) for pk in run.created.get(model._meta.label_lower, [])]


def _values_in(rows: QuerySet[Any], column: str, ids: Sequence[int], value: str) -> set[Any]:
    """``value`` of the rows whose ``column`` is one of ``ids``, asked five hundred ids at a time
    (SQLite caps the parameters of one query)."""
    found: set[Any] = set()
    for start in range(0, len(ids), 500):
        found.update(rows.filter(**{f"{column}__in": ids[start : start + 500]}).values_list(value, flat=True))
    return found


def _in_bulk(owner: User, model: type[models.Model], ids: Sequence[int]) -> dict[int, models.Model]:
    found: dict[int, models.Model] = {}
    for start in range(0, len(ids), 500):
        found.update(model.objects.for_owner(owner).in_bulk(ids[start : start + 500]))  # type: ignore[attr-defined]
    return found


def _fields_to_restore(obj: models.Model, record: ImportedObject) -> tuple[str, ...]:
    """The fields of ``obj`` the import changed that still hold what it left there: a field
    something later changed (an edit, another import) keeps its newer value. A record without
    ``after`` (made before it was kept) restores every field."""
    if not record.after:
        return tuple(sorted(record.before))
    now = _snapshot(obj, list(record.before))
    return tuple(
        sorted(
            name
            for name, value in record.before.items()
            if name in record.after and record.after[name] != value and now[name] == record.after[name]
        )
    )


def _reopenable(owner: User, records: list[ImportedObject]) -> set[int]:
    """The roles an import ended that may open again: only where the person holds no role now,
    so undo never leaves two open roles (a later import or edit moved them on)."""
    ids = [r.object_id for r in records]
    person_of: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        rows = Position.objects.for_owner(owner).filter(pk__in=ids[start : start + 500])
        person_of.update(rows.values_list("pk", "person_id"))
    busy = _values_in(Position.objects.for_owner(owner).current(), "person_id", list(person_of.values()), "person_id")
    return {pk for pk, person in person_of.items() if person not in busy}


def _restore(owner: User, objects: list[ImportedObject]) -> set[int]:
    """Put back the fields an import changed where nothing changed them since, in bulk: one
    statement per model and set of fields. Returns the people it had changed who are still there
    (what it added to them, an email or a phone, is gone with the rows it created)."""
    by_model: dict[str, list[ImportedObject]] = defaultdict(list)
    for record in objects:
        by_model[record.model].append(record)
    restored: set[int] = set()
    for label, records in by_model.items():
        model = apps.get_model(label)
        current = _in_bulk(owner, model, [r.object_id for r in records])
        allowed = _reopenable(owner, records) if model is Position else set(current)
        groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
        for record in records:
            obj = current.get(record.object_id)
            names = _fields_to_restore(obj, record) if obj is not None and record.object_id in allowed else ()
            if names:
                fields = [model._meta.get_field(name) for name in names]
                values = [f.to_python(record.before[name]) for f, name in zip(fields, names, strict=True)]
                groups[names].append([record.object_id, *values])
        for names, rows in groups.items():
            columns = list(names)
            if model is Person and "birthday" in names:
                at = names.index("birthday") + 1
                columns.append("birthday_key")
                rows = [[*row, birthday_key(row[at])] for row in rows]
            update_rows(model, columns, rows)
        if model is Person:
            restored.update(current)
    return restored


def _touches_put_back(owner: User, objects: list[ImportedObject]) -> set[int]:
    """The participants of the touches among ``objects`` (whose time ``_restore`` may just have put
    back) given their touch's time again; returns the people they are."""
    ids = [record.object_id for record in objects if record.model == Touch._meta.label_lower]
    people: set[int] = set()
    for touch_id, happened_at in _in_touches(owner, ids):
        participants = TouchParticipant.objects.for_owner(owner).filter(touch_id=touch_id)
        participants.exclude(happened_at=happened_at).update(happened_at=happened_at)
        people.update(participants.values_list("person_id", flat=True))
    return people


def _in_touches(owner: User, ids: Sequence[int]) -> list[tuple[int, datetime]]:
    found: list[tuple[int, datetime]] = []
    for start in range(0, len(ids), 500):
        chunk = Touch.objects.for_owner(owner).filter(pk__in=ids[start : start + 500])
        found.extend(chunk.values_list("pk", "happened_at"))
    return found


def _delete(owner: User, model: type[models.Model], ids: Sequence[int]) -> None:
    for start in range(0, len(ids), 500):
        model.objects.for_owner(owner).filter(pk__in=ids[start : start + 500]).delete()  # type: ignore[attr-defined]


@collector_paused()
@bulk_load_cache(IMPORT_CACHE_KIB)
def undo_import(owner: User, import_id: int, *, now: datetime | None = None) -> UndoResult:
    """Put the network back as it was before the import: remove what it created, restore what it
    changed, and forget the import. People added by it whom the user has since logged a touch
    with are kept (and named in the result).

    Like the import, the undo writes in short transactions (``UNDO_CHUNK`` rows each), so other
    writers get their turn. The import is marked unfinished first: should the undo stop half-way,
    it is not listed, and the server's upkeep finishes it (every step can run again)."""
    now = now or clock.now()
    with transaction.atomic():
        run = Import.objects.for_owner(owner).select_for_update().filter(pk=import_id).first()
        if run is None:
            raise NotFound("ID", f"no import has id {import_id}; `kithkin imports` lists them")
        run.wrote_chunk_at = clock.now()
        run.save(update_fields=["wrote_chunk_at"])
    objects = list(run.objects_touched.all())
    result = UndoResult(run.pk, run.filename)
    created_people = set(_ids(run, Person))
    # Touches first: the people they were with get their last touch and check-in back.
    touch_ids = _ids(run, Touch)
    affected = (
        _values_in(TouchParticipant.objects.for_owner(owner), "touch_id", touch_ids, "person_id") - created_people
    )
    _delete_in_chunks(owner, run, Touch, touch_ids)
    result.touches_removed = len(touch_ids)
    # The rows it created go, then the fields it changed come back where nothing changed them since.
    for model in CHILD_MODELS:
        _delete_in_chunks(owner, run, model, _ids(run, model))
    with transaction.atomic():
        restored = _restore(owner, objects)
        # A touch a sync moved (its meeting moved in the calendar) is back at its time: so are
        # its participants' copies of that time, and their last touch and check-ins follow.
        affected |= _touches_put_back(owner, objects)
    # New people go, unless the user has since logged a touch with them or merged someone into them.
    candidates = sorted(created_people)
    kept = _values_in(TouchParticipant.objects.for_owner(owner), "person_id", candidates, "person_id")
    merged_into = HistoryEntry.objects.for_owner(owner).filter(kind=HistoryEntry.Kind.MERGED)
    kept |= _values_in(merged_into, "person_id", candidates, "person_id")
    result.people_kept = list(
        Person.objects.for_owner(owner)
        .filter(pk__in=sorted(kept))
        .order_by("full_name")
        .values_list("full_name", flat=True)
    )
    gone = sorted(created_people - kept)
    _delete_in_chunks(owner, run, Person, gone)
    result.people_removed = len(gone)
    result.people_restored = len(restored)
    touched = sorted((affected | restored) - set(gone))
    if touched:
        # Once for everyone it touched, not per chunk of them: what the apps above work out
        # (strengths, ties, search documents, check-ins) reads about as much for ten as for ten thousand.
        with transaction.atomic():
            # No documents yet: refresh_search writes them next, with the search text put back.
            refresh_last_touch(owner, touched, texts=False)
            _beat(run)
        with transaction.atomic():
            refresh_search(owner, touched)
            sync_check_ins(owner, touched, now=now)
            _beat(run)
    with transaction.atomic():
        orgs = _ids(run, Organization)
        if orgs:
            used = _values_in(Person.objects.for_owner(owner), "organization_id", orgs, "organization_id")
            used |= _values_in(Position.objects.for_owner(owner), "organization_id", orgs, "organization_id")
            _delete(owner, Organization, [pk for pk in orgs if pk not in used])
        run.delete()
    return result


def _beat(run: Import) -> None:
    """Say the import (or its undo) is still being worked on: the upkeep leaves it alone."""
    Import.objects.filter(pk=run.pk).update(wrote_chunk_at=clock.now())


def _delete_in_chunks(owner: User, run: Import, model: type[models.Model], ids: Sequence[int]) -> None:
    for start in range(0, len(ids), UNDO_CHUNK):
        with transaction.atomic():
            _delete(owner, model, ids[start : start + UNDO_CHUNK])
            _beat(run)


def list_imports(owner: User) -> list[Import]:
    """The owner's complete imports, newest first (one being written is not listed yet)."""
    return list(Import.objects.for_owner(owner).filter(wrote_chunk_at__isnull=True).order_by("-created_at", "-id"))


# --- uploads waiting for confirmation (the web app's preview step) -------------------------------
#
# An upload is kept in the data directory, in a folder of its owner's, as ``TOKEN.bin`` (the file)
# and ``TOKEN.json`` (its name and format), until the user imports or cancels it; each preview of
# it is planned once per set of options and kept beside it (``TOKEN.KEY.preview``). Uploads left
# longer than ``settings.UPLOAD_TTL_HOURS`` are removed by the server's upkeep.


class PreviewBusy(Exception):
    """Another preview (or import) of this owner's is being planned right now: planning a big file
    takes seconds and hundreds of megabytes, so an owner plans one at a time."""

    message = "a preview of one of your files is already being prepared; try again in a moment"


@dataclass
class Preview:
    """What a preview page shows of a plan, kept once planned: the plan with the first
    ``PREVIEW_ROWS`` rows of each section only, the counts, and the length of each whole section."""

    filename: str
    plan: Plan
    counts: dict[str, int]
    totals: dict[str, int]


PREVIEW_ROWS = 200


def _upload_root() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


def _upload_dir(owner: User) -> Path:
    path = _upload_root() / str(owner.pk)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def check_upload(owner: User, fmt: str, data: bytes, filename: str) -> None:
    """Raise the reader's ``BadFile`` (naming the file, line and column) now, when the file is
    uploaded, rather than at its preview. A contact file is only read (the matching waits for the
    preview); a calendar is planned."""
    if fmt == "ics":
        preview_import(owner, fmt, data, filename)
    else:
        read_contacts(fmt, data, filename)


def stash_upload(owner: User, data: bytes, filename: str, fmt: str) -> str:
    """Keep an uploaded file until the user confirms its preview; returns a token naming it.
    The owner's abandoned uploads are removed on the way."""
    directory = _upload_dir(owner)
    now = clock.now()
    _remove_old_uploads(directory, now - timedelta(hours=settings.UPLOAD_TTL_HOURS))
    token = secrets.token_urlsafe(16)
    meta = {"filename": filename, "format": fmt, "uploaded_at": now.isoformat()}
    (directory / f"{token}.json").write_text(json.dumps(meta))
    (directory / f"{token}.bin").write_bytes(data)
    return token


def _uploaded_at(directory: Path, token: str) -> datetime | None:
    """When an upload was made, from its record; else (a file left without one) when its file was
    last written; None when nothing of it is left."""
    try:
        return datetime.fromisoformat(json.loads((directory / f"{token}.json").read_text())["uploaded_at"])
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        pass
    times = [path.stat().st_mtime for path in directory.glob(f"{token}.*")]
    return datetime.fromtimestamp(max(times), tz=UTC) if times else None


def _remove_old_uploads(directory: Path, cutoff: datetime) -> int:
    """Remove the uploads in ``directory`` made before ``cutoff``, with their previews; returns how
    many."""
    tokens = {path.name.split(".", 1)[0] for path in directory.iterdir() if path.suffix != ".lock"}
    removed = 0
    for token in sorted(tokens):
        uploaded = _uploaded_at(directory, token)
        if uploaded is not None and uploaded < cutoff:
            _remove_upload(directory, token)
            removed += 1
    return removed


def _remove_upload(directory: Path, token: str) -> None:
    for path in directory.glob(f"{token}.*"):
        if path.name.split(".", 1)[0] == token:
            path.unlink(missing_ok=True)


def remove_abandoned_uploads(*, now: datetime | None = None) -> int:
    """Remove every owner's uploads neither imported nor cancelled within
    ``settings.UPLOAD_TTL_HOURS`` of ``now``, with their previews. Returns how many. Run by the
    server's upkeep, and for one owner on each upload."""
    root = _upload_root()
    if not root.is_dir():
        return 0
    cutoff = (now or clock.now()) - timedelta(hours=settings.UPLOAD_TTL_HOURS)
    return sum(_remove_old_uploads(directory, cutoff) for directory in root.iterdir() if directory.is_dir())


def load_upload(owner: User, token: str) -> tuple[bytes, str, str]:
    """(data, filename, format) of a stashed upload of this owner's."""
    if not token or not all(c.isalnum() or c in "-_" for c in token):
        raise NotFound("upload", "no such upload")
    directory = _upload_dir(owner)
    try:
        meta = json.loads((directory / f"{token}.json").read_text())
        data = (directory / f"{token}.bin").read_bytes()
    except (FileNotFoundError, ValueError):
        raise NotFound("upload", "this upload has expired; choose the file again") from None
    return data, str(meta["filename"]), str(meta["format"])


def discard_upload(owner: User, token: str) -> None:
    _remove_upload(_upload_dir(owner), token)


@contextmanager
def planning_slot(owner: User) -> Iterator[None]:
    """Hold the owner's one planning slot for the block, or raise ``PreviewBusy`` at once when a
    preview or an import of theirs holds it (in this process or another)."""
    lock = FileLock(_upload_dir(owner) / "planning.lock", blocking=False)
    try:
        lock.acquire()
    except Timeout:
        raise PreviewBusy(PreviewBusy.message) from None
    try:
        yield
    finally:
        lock.release()


def _options_key(options: ImportOptions) -> str:
    attendees = options.add_attendees if isinstance(options.add_attendees, bool) else sorted(options.add_attendees)
    chosen = [options.circle, options.closeness, options.labels, options.skip_duplicates, attendees, sorted(options.me)]
    return hashlib.sha256(json.dumps(chosen).encode()).hexdigest()[:20]


def _trimmed(plan: Plan, rows: int) -> Preview:
    """The part of ``plan`` a preview shows, with the counts of the whole."""
    by_status: dict[str, list[PersonRow]] = defaultdict(list)
    for row in plan.people:
        by_status[row.status].append(row)
    meetings = [m for m in plan.meetings if m.status == "new"]
    strangers = sorted(plan.strangers.items(), key=lambda item: (-item[1][1], item[0]))
    totals = {
        "new": len(by_status["new"]),
        "updates": len(by_status["update"]),
        "duplicates": len(by_status["duplicate"]),
        "meetings": len(meetings),
        "strangers": len(strangers),
        "skipped": len(plan.skipped),
    }
    shown = Plan(
        plan.format,
        plan.layout,
        plan.filename,
        plan.sha256,
        people=[row for status in ("new", "update", "duplicate") for row in by_status[status][:rows]],
        meetings=meetings[:rows],
        strangers=dict(strangers[:rows]),
        skipped=plan.skipped[:rows],
    )
    return Preview(plan.filename, shown, plan.counts(), totals)


def preview_upload(owner: User, token: str, options: ImportOptions, *, now: datetime | None = None) -> Preview:
    """What importing a stashed upload with ``options`` would do: planned the first time it is
    asked for and kept beside the upload, so showing it again costs a file read, not a plan.
    Raises ``NotFound`` for an upload that is gone, ``PreviewBusy`` while another plan of the
    owner's is being made, and the planner's ``BadInput``."""
    data, filename, fmt = load_upload(owner, token)
    kept = _upload_dir(owner) / f"{token}.{_options_key(options)}.preview"
    preview = _read_preview(kept)
    if preview is None:
        with planning_slot(owner):
            preview = _read_preview(kept)  # made meanwhile by the request that held the slot
            if preview is None:
                preview = _trimmed(preview_import(owner, fmt, data, filename, options=options), PREVIEW_ROWS)
                kept.write_bytes(pickle.dumps(preview))
    return preview


def _read_preview(path: Path) -> Preview | None:
    # Pickle is safe here: the file is the server's own, in the owner's private data directory.
    try:
        preview = pickle.loads(path.read_bytes())
    except (FileNotFoundError, pickle.UnpicklingError, EOFError, AttributeError):
        return None
    return preview if isinstance(preview, Preview) else None


def import_upload(owner: User, token: str, options: ImportOptions) -> ImportResult:
    """Import a stashed upload (planned afresh: the network may have moved since its preview),
    then forget it. Holds the owner's planning slot, as a preview does."""
    data, filename, fmt = load_upload(owner, token)
    with planning_slot(owner):
        result = import_file(owner, fmt, data, filename, options=options)
    discard_upload(owner, token)
    return result


def parse_add_attendees(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v.strip())
