"""The documents ``ask`` searches, and the database's full-text search over them: FTS5 on SQLite
(porter stemming, accents folded; a table per field), a tsvector per field on PostgreSQL ('english' stemming; the
text is folded before it is written). Both made by migration 0001."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import QuerySet

from kithkin.core.db import insert_rows, raw_rows
from kithkin.finder.models import FIELDS, Document, Embedding
from kithkin.interactions.models import TouchParticipant
from kithkin.lib.places import country_name
from kithkin.lib.search import SEPARATOR, fold
from kithkin.people.models import Interest, Need, Offer, Person, Position

CHUNK = 1000
# People to write, past which their parts are read for everyone at once when they are most of them.
EVERYONE_AFTER = 4 * CHUNK
PERSON_COLUMNS = (
    "pk",
    "full_name",
    "nicknames",
    "title",
    "organization__name",
    "location",
    "city",
    "country",
    "notes",
    "why",
    "met_how",
)


def _joined(parts: Iterable[str | None]) -> str:
    # Each text folded once: a person's touches repeat the same notes ("Quick catch-up.") often.
    unique = dict.fromkeys(p or "" for p in parts)
    return SEPARATOR.join(dict.fromkeys(folded for folded in (fold(p) for p in unique) if folded))


# The people of a chunk as a subquery (``values("pk")``), to filter the rows of theirs by: SQLite
# reads each person's rows by the person's index, where with a list of a thousand ids it walked
# every row of the owner (its statistics make the owner's index look as narrow). None: everyone.
Theirs = QuerySet[Person, Any] | None


def _items(owner: User, theirs: Theirs) -> dict[str, dict[int, list[str]]]:
    """Each person's interests, needs and offers."""
    found: dict[str, dict[int, list[str]]] = {}
    for name, model in (("interests", Interest), ("needs", Need), ("offers", Offer)):
        by_person: dict[int, list[str]] = defaultdict(list)
        rows = model.objects.for_owner(owner)
        if theirs is not None:
            rows = rows.filter(person_id__in=theirs)
        for pk, text in rows.values_list("person_id", "text"):
            by_person[pk].append(text)
        found[name] = by_person
    return found


def _roles(owner: User, theirs: Theirs) -> dict[int, list[str]]:
    """Each person's roles."""
    roles: dict[int, list[str]] = defaultdict(list)
    rows = Position.objects.for_owner(owner).order_by()
    if theirs is not None:
        rows = rows.filter(person_id__in=theirs)
    for pk, title, org in rows.values_list("person_id", "title", "organization__name"):
        roles[pk].append(f"{title or ''} {org or ''}")
    return roles


def _touch_notes(owner: User, theirs: Theirs) -> dict[int, list[str]]:
    """Each person's touch notes and advice, in the order the touches were logged."""
    notes: dict[int, list[str]] = defaultdict(list)
    rows = TouchParticipant.objects.for_owner(owner)
    if theirs is not None:
        rows = rows.filter(person_id__in=theirs)
    query = rows.exclude(touch__notes="", touch__advice="").order_by()
    # In the order of the participants' ids, whichever index SQLite reads them by.
    found = raw_rows(query.values_list("pk", "person_id", "touch__notes", "touch__advice"))
    for _, pk, text, advice in sorted(found, key=itemgetter(0)):
        notes[pk] += [text, advice]
    return notes


@dataclass
class _Everyone:
    """What the documents are made of besides the person's own row, read for everyone at once:
    for most of the network, one read of the whole beats one per chunk."""

    items: dict[str, dict[int, list[str]]]
    roles: dict[int, list[str]]
    touches: dict[int, list[str]]

    @classmethod
    def read(cls, owner: User) -> _Everyone:
        return cls(_items(owner, None), _roles(owner, None), _touch_notes(owner, None))


def _documents(owner: User, ids: Sequence[int], everyone: _Everyone | None = None) -> list[tuple[object, ...]]:
    chunk = Person.objects.for_owner(owner).filter(pk__in=ids).order_by()
    if everyone is None:
        theirs = chunk.values("pk")
        items, roles, touches = _items(owner, theirs), _roles(owner, theirs), _touch_notes(owner, theirs)
    else:
        items, roles, touches = everyone.items, everyone.roles, everyone.touches
    people = chunk.values_list(*PERSON_COLUMNS)
    return [
        (
            owner.pk,
            pk,
            _joined([name, *(nicknames or [])]),
            _joined([title, org, *roles[pk]]),
            # As typed, and the city and country it names ("Munich" for "München", the country's name).
            _joined([location, city, country_name(country) if country else ""]),
            _joined(items["interests"][pk]),
            _joined(items["needs"][pk]),
            _joined(items["offers"][pk]),
            _joined([notes, why, met_how, *touches[pk]]),
        )
        for pk, name, nicknames, title, org, location, city, country, notes, why, met_how in people
    ]


@transaction.atomic
def refresh_documents(owner: User, person_ids: Iterable[int] | None = None) -> int:
    """Write again the documents of these people (``None``: everyone's). A few queries per
    thousand people; returns how many were written."""
    people = Person.objects.for_owner(owner).order_by()
    documents = Document.objects.for_owner(owner)
    if person_ids is None:
        ids = list(people.values_list("pk", flat=True))
        documents.delete()
        Embedding.objects.for_owner(owner).delete()
    else:
        ids = sorted(set(person_ids))
    # Most of the network (everyone, a restore): what they are made of is read once for everyone.
    many = person_ids is None or (len(ids) > EVERYONE_AFTER and 2 * len(ids) > people.count())
    everyone = _Everyone.read(owner) if many else None
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        if person_ids is not None:
            # A vector of meaning is never older than its document (``semantic.py``).
            Embedding.objects.for_owner(owner).filter(person_id__in=chunk).delete()
        # Written over the one there is (a person's document goes with them): the full-text index
        # reads again only the fields that changed (a new role: the work, not every touch's notes).
        rows = _documents(owner, chunk, everyone)
        written += insert_rows(Document, ("owner", "person", *FIELDS), rows, unique="person")
    return written


def ensure_documents(owner: User) -> None:
    """Write every document once for a network that has people but no documents yet (a
    database made before ``ask``): the first question then finds them."""
    if not Document.objects.for_owner(owner).exists() and Person.objects.for_owner(owner).exists():
        refresh_documents(owner)


# --- searching ----------------------------------------------------------------------------------


def _fts_phrase(phrase: str) -> str:
    return '"' + phrase.replace('"', '""') + '"'


def _sqlite_match(owner: User, field: str, terms: Sequence[frozenset[str]]) -> list[int]:
    expression = " AND ".join("(" + " OR ".join(_fts_phrase(p) for p in sorted(group)) + ")" for group in terms)
    # The full-text match first, once (a join let SQLite run it again for each of the owner's rows).
    sql = (
        "SELECT person_id FROM finder_document WHERE owner_id = %s AND person_id IN "
        f"(SELECT rowid FROM finder_{field}_fts WHERE finder_{field}_fts MATCH %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [owner.pk, expression])
        return [row[0] for row in cursor.fetchall()]


def _postgres_match(owner: User, field: str, terms: Sequence[frozenset[str]]) -> list[int]:
    params: list[int | str] = [owner.pk]
    groups = []
    for group in terms:
        phrases = sorted(group)
        params += phrases
        groups.append("(" + " || ".join(["phraseto_tsquery('english', %s)"] * len(phrases)) + ")")
    sql = f"SELECT person_id FROM finder_document WHERE owner_id = %s AND ts_{field} @@ ({' && '.join(groups)})"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def matching(owner: User, field: str, terms: Sequence[frozenset[str]]) -> list[int]:
    """The owner's people whose ``field`` holds, for each group of ``terms``, one of its phrases
    (stemmed: "engineers" finds "engineer")."""
    if field not in FIELDS:
        raise ValueError(f"no field {field!r} in the documents")
    terms = [frozenset(fold(p) for p in group if fold(p)) for group in terms]
    if not terms or not all(terms):
        return []
    if connection.vendor == "postgresql":
        return _postgres_match(owner, field, terms)
    return _sqlite_match(owner, field, terms)


def matching_fields(owner: User, fields: Sequence[str], terms: Sequence[frozenset[str]]) -> list[tuple[str, int]]:
    """``matching`` for several fields at once: (field, person id) for each match."""
    if any(field not in FIELDS for field in fields):
        raise ValueError(f"no such field in {fields!r}")
    terms = [frozenset(fold(p) for p in group if fold(p)) for group in terms]
    if not terms or not all(terms) or not fields:
        return []
    # One statement a field: SQLite ran a union of them as a join, each match again per row.
    match = _postgres_match if connection.vendor == "postgresql" else _sqlite_match
    return [(field, pk) for field in fields for pk in match(owner, field, terms)]
