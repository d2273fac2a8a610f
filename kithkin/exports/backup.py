"""The complete JSON document of one user's data, and backup and restore.

The document holds every row of every model that inherits ``Owned`` (found, never listed by
hand), numbered per model 1..n in primary-key order, with foreign keys written as those
numbers. A generic relation (a follow-up's cause) is written as the label of the model it
points to and that model's number of the row ("cause_type": "interactions.touch", "cause_id":
12). It therefore says nothing about the database it came from: two exports of the same data
are identical, and a restore into another database (or another user) exports the same document
again.

A backup is the whole SQLite database, copied with SQLite's online backup API (a consistent
snapshot while the server runs); on PostgreSQL, whose own tools back up a server, it is the
user's JSON document.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import sqlite3
from base64 import b64encode
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeAlias, TypeGuard, cast

from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, NotSupportedError, connection, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.functions import Cast

from kithkin.accounts.models import AccessToken, LoginToken
from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core.db import refresh_statistics, unknown_migrations
from kithkin.core.errors import BadInput
from kithkin.core.models import Owned, RendersMarkdown
from kithkin.core.scopes import unscoped
from kithkin.lib.birthdays import birthday_iso, parse_birthday_iso
from kithkin.lib.markdown import render_markdown
from kithkin.lib.places import parse_place
from kithkin.lib.private_files import make_private
from kithkin.people.models import birthday_key
from kithkin.people.services import refresh_search

FORMAT = "kithkin"
# 2: a follow-up's cause is a generic relation and a key, no longer text ("touch:12").
VERSION = 2
CHUNK = 2000
# Credentials stay out: a backup file must not log anyone in, open their calendar feed or answer
# for them on the API. The feed's secret is made afresh the next time the user asks for the feed
# URL; access tokens are made again with `kithkin token create`, connected accounts (their
# passwords) with `kithkin mail add` and the like.
CREDENTIALS = frozenset({"accounts.logintoken", "accounts.accesstoken", "exports.calendarfeed", "capture.source"})
# What is worked out from the rest stays out too, and is worked out again after a restore: each
# tie's strength (kithkin.network works it out the first time it is read), and the documents
# `ask` searches (kithkin.finder writes them again when the restore refreshes search), and their
# vectors of meaning (the semantic extra reads the documents again).
DERIVED = frozenset({"network.strength", "network.tie", "finder.document", "finder.embedding"})
SQLITE_HEADER = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
# Fields whose Python values go to the database as they are.
PLAIN_FIELDS: frozenset[type[models.Field[Any, Any]]] = frozenset(
    {
        models.CharField,
        models.TextField,
        models.BooleanField,
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveBigIntegerField,
        models.PositiveSmallIntegerField,
        models.FloatField,
    }
)

if TYPE_CHECKING:
    Field: TypeAlias = models.Field[Any, Any]
# A reference rewritten between database ids and document ids: (model label, value) -> value.
Remap = Callable[[str, Any, str], Any]
# A column of values (one chunk of rows) as the database gives them -> as the document writes them.
Column = Callable[[Sequence[Any]], list[Any]]


# --- which models, in which order ---------------------------------------------------------------


@dataclass(frozen=True)
class Generic:
    """A generic relation (``GenericForeignKey``): ``type_field`` is written as the label of the
    model it points to, ``id_field`` as that model's document number of the row (0 for a row
    that is gone, which matches nothing)."""

    name: str  # the relation, as errors name it ("cause")
    type_field: str  # "cause_type"
    id_field: str  # "cause_id"


@dataclass(frozen=True)
class Table:
    """How one model is written: its fields (all but the id and the owner), which of them point
    to another exported model, and its generic relations."""

    label: str
    model: type[models.Model]
    fields: tuple[Field, ...]
    refs: dict[str, str]  # field name -> label of the model it points to
    is_setting: bool  # one row per owner (the profile): restored onto the existing row
    generics: tuple[Generic, ...] = ()

    @property
    def generic_fields(self) -> frozenset[str]:
        return frozenset(name for g in self.generics for name in (g.type_field, g.id_field))


# References that are not foreign keys, a number or text holding another row's id, are rewritten
# like foreign keys (a database id means nothing in another database): generic relations (a
# follow-up's cause) by one rule, _write_generics and _read_generics; the rest by
# _rewrite_soft_references: imports.import.created {label: [ids]}; imports.importedobject.object_id
# (of the row's `model`) and the foreign keys in its `before` and `after`;
# people.historyentry.data["import_id"].
# A row they name that is gone is written as 0, which matches nothing, as before.


def _is_setting(model: type[models.Model]) -> bool:
    owner = model._meta.get_field("owner")
    return bool(getattr(owner, "unique", False)) or any(
        isinstance(c, models.UniqueConstraint) and tuple(c.fields) == ("owner",) and c.condition is None
        for c in model._meta.constraints
    )


def _generics(model: type[models.Model]) -> tuple[Generic, ...]:
    return tuple(
        Generic(field.name, field.ct_field, field.fk_field)
        for field in model._meta.private_fields
        if isinstance(field, GenericForeignKey)
    )


def _describe(model: type[models.Model], labels: set[str]) -> Table:
    label = model._meta.label_lower
    fields: list[Field] = []
    refs: dict[str, str] = {}
    generics = _generics(model)
    type_fields = {g.type_field for g in generics}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name == "owner":
            continue
        if isinstance(field, models.ForeignKey) and field.name not in type_fields:
            target = field.related_model._meta.label_lower  # type: ignore[union-attr]
            if target not in labels:
                raise ImproperlyConfigured(
                    f"{label}.{field.name} points to {target}, which the JSON export does not hold"
                )
            refs[field.name] = target
        fields.append(field)
    for m2m in model._meta.local_many_to_many:
        if m2m.remote_field.through._meta.auto_created:  # type: ignore[union-attr]
            raise ImproperlyConfigured(f"{label}.{m2m.name}: give it an Owned `through` model to be exported")
    return Table(label, model, tuple(fields), refs, _is_setting(model), generics)


@cache
def tables() -> tuple[Table, ...]:
    """Every concrete Owned model except credentials and derived data, each after the models it refers to."""
    found = {
        m._meta.label_lower: m
        for m in apps.get_models()
        if issubclass(m, Owned) and not m._meta.proxy and m._meta.label_lower not in CREDENTIALS | DERIVED
    }
    described = {label: _describe(model, set(found)) for label, model in found.items()}
    # Self-references (Person.met_through) need no order: keys are reserved before any insert.
    needs = {label: set(table.refs.values()) - {label} for label, table in described.items()}
    ordered: list[Table] = []
    while needs:
        ready = sorted(label for label, wanted in needs.items() if not wanted)
        if not ready:
            raise ImproperlyConfigured(f"the exported models refer to each other in a circle: {sorted(needs)}")
        for label in ready:
            ordered.append(described[label])
            del needs[label]
        for wanted in needs.values():
            wanted.difference_update(ready)
    return tuple(ordered)


def network_counts(owner: User | None = None) -> dict[str, int]:
    """Rows of data (settings aside) per model: the owner's, or everyone's when ``None``."""
    counts: dict[str, int] = {}
    for table in tables():
        if table.is_setting:
            continue
        # The default manager: everyone's rows need an explicit unscoped() (see _restore_sqlite).
        rows = table.model._default_manager.all()
        if owner is not None:
            rows = rows.filter(owner=owner)
        if count := rows.count():
            counts[table.label] = count
    return counts


# --- references that are not foreign keys ------------------------------------------------------


@cache
def _fk_target(label: str, name: str) -> str | None:
    """The exported model that field ``name`` of model ``label`` points to, if it is a foreign key."""
    for table in tables():
        if table.label == label:
            for field in table.fields:
                if name in (field.name, field.attname):
                    return table.refs.get(field.name)
    return None


# The models whose rows hold them.
SOFT_REFERENCES = frozenset({"imports.import", "imports.importedobject", "people.historyentry"})


def _rewrite_soft_references(label: str, row: dict[str, Any], remap: Remap) -> None:
    if label == "imports.import" and isinstance(row.get("created"), dict):
        # 0 for a row that no longer exists (undo finds nothing to delete, as before).
        row["created"] = {
            target: [remap(target, pk or None, f"created.{target}") or 0 if isinstance(pk, int) else pk for pk in pks]
            if isinstance(pks, list)
            else pks
            for target, pks in row["created"].items()
        }
    elif label == "imports.importedobject" and isinstance(row.get("model"), str):
        target = row["model"]
        if isinstance(row.get("object_id"), int):
            # 0 for a row that no longer exists: undo finds nothing to change, as before.
            row["object_id"] = remap(target, row["object_id"] or None, "object_id") or 0
        for side in ("before", "after"):
            if isinstance(row.get(side), dict):
                values = dict(row[side])
                for key, value in values.items():
                    points_to = _fk_target(target, key)
                    if points_to is not None and isinstance(value, int):
                        values[key] = remap(points_to, value, f"{side}.{key}")
                row[side] = values
    elif label == "people.historyentry" and isinstance(row.get("data"), dict):
        data = dict(row["data"])
        if isinstance(data.get("import_id"), int):
            data["import_id"] = remap("imports.import", data["import_id"], "data.import_id")
        row["data"] = data


# --- export -------------------------------------------------------------------------------------

# The document's text: compact, keys sorted, non-ASCII kept as it is. One encoder, whose C
# implementation writes a chunk of rows at a time.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
# A date and time as Django stores it in SQLite, in UTC ("2026-11-22 09:30:00.250000"): written
# as the document's text without being parsed. Any other text goes through Django's converters.
_DATETIME_TEXT = r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.(?!000000)[0-9]{6})?"
_SQLITE_DATETIME = re.compile(_DATETIME_TEXT)
_SQLITE_DATETIMES = re.compile(f"(?:{_DATETIME_TEXT}\n)*")  # a column of them, one a line
# Fields whose values the database driver gives as the document writes them: text and numbers.
_AS_THEY_ARE = PLAIN_FIELDS - {models.BooleanField}
_LITERALS = {None: "null", True: "true", False: "false"}


class _Numbers(Mapping[str, dict[int, int]]):
    """Each exported model's document numbers by database id ({label: {id: number}}), read in
    primary-key order the first time a reference to the model is written: the rows nothing
    refers to (a touch's participants, most of the document) never have theirs held."""

    def __init__(self, owner: User) -> None:
        self._owner = owner
        self._models = {table.label: table.model for table in tables()}
        self._read: dict[str, dict[int, int]] = {}

    def __getitem__(self, label: str) -> dict[int, int]:
        if label not in self._read:
            model = self._models[label]  # KeyError for a model the document does not hold
            pks = model._default_manager.filter(owner=self._owner).order_by("pk").values_list("pk", flat=True)
            self._read[label] = dict(zip(pks.iterator(chunk_size=CHUNK), itertools.count(1)))
        return self._read[label]

    def __iter__(self) -> Iterator[str]:
        return iter(self._models)

    def __len__(self) -> int:
        return len(self._models)


def _iso_datetime(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _model_label(type_id: int) -> str:
    """The label of the model a content type stands for ("interactions.touch"): its natural key."""
    content_type = ContentType.objects.get_for_id(type_id)  # cached after the first
    return f"{content_type.app_label}.{content_type.model}"


def _write_generics(table: Table, row: dict[str, Any], ids: Mapping[str, dict[int, int]]) -> None:
    """Each generic relation's database id made the document number of the row it points to, in
    the model its type field (already a label) names; 0 for a row that is gone."""
    for generic in table.generics:
        target = row[generic.type_field]
        if target is None:
            continue
        if target not in ids:
            raise ImproperlyConfigured(
                f"{table.label}.{generic.name} points to {target}, which the JSON export does not hold"
            )
        row[generic.id_field] = ids[target].get(row[generic.id_field], 0)


def _writer(field: Field, ids: Mapping[str, dict[int, int]], table: Table) -> Callable[[Any], Any]:
    """How a Python value of ``field`` (as Django reads it) is written in the document."""
    if field.name in table.refs:
        return ids[table.refs[field.name]].__getitem__
    if any(field.name == generic.type_field for generic in table.generics):
        return _model_label
    if isinstance(field, models.JSONField):
        return lambda value: value
    if isinstance(field, models.DateTimeField):
        return _iso_datetime
    if isinstance(field, models.DateField):
        return birthday_iso  # a date without a year (a birthday) is written "--02-03", as vCard does
    if isinstance(field, models.TimeField):
        return lambda value: value.isoformat()
    if isinstance(field, models.BinaryField):
        return lambda value: b64encode(bytes(value)).decode("ascii")

    def plain(value: Any) -> Any:
        return value if isinstance(value, bool | int | float | str) else str(value)

    return plain


def _stored_text(field: Field, db: BaseDatabaseWrapper) -> bool:
    """Whether ``field``'s values are read as the text the database stores: a date and time in
    SQLite, which Django stores in UTC ("2026-11-22 09:30:00.250000") and its driver would
    parse, to be written as text again (on 30,000 people, a third of the export's time)."""
    return isinstance(field, models.DateTimeField) and db.vendor == "sqlite" and db.timezone == UTC


def _each(convert: Callable[[Any], Any]) -> Column:
    """``convert`` applied to each value of a column but None."""

    def column(values: Sequence[Any]) -> list[Any]:
        if None in values:
            return [None if value is None else convert(value) for value in values]
        return list(map(convert, values))

    return column


def _from_database(
    field: Field, table: Table, ids: Mapping[str, dict[int, int]], db: BaseDatabaseWrapper
) -> Column | None:
    """How a column of ``field``'s values as the database driver gives them (before Django's
    converters) is written in the document; None: as it is. The converters are skipped where
    the document needs none of their work."""
    write = _writer(field, ids, table)
    if field.name in table.refs or any(field.name == generic.type_field for generic in table.generics):
        return _each(write)  # keys, as the database holds them
    if type(field) in _AS_THEY_ARE:
        return None
    if type(field) is models.BooleanField:
        return _each(bool)
    expression = field.get_col(table.model._meta.db_table)
    converters = [*db.ops.get_db_converters(expression), *expression.get_db_converters(db)]

    def convert(value: Any) -> Any:
        for converter in converters:
            value = converter(value, expression, db)
        return None if value is None else write(value)

    if not _stored_text(field, db):
        return _each(convert)

    def datetime_text(value: str) -> Any:
        if _SQLITE_DATETIME.fullmatch(value):
            return f"{value[:10]}T{value[11:]}+00:00"  # what _iso_datetime writes of it
        return convert(value)  # any other text, as Django reads it

    one_by_one = _each(datetime_text)

    def datetime_texts(values: Sequence[Any]) -> list[Any]:
        if None not in values:
            # The whole column at once, when every value is as Django stores it.
            text = "\n".join(values) + "\n"
            if _SQLITE_DATETIMES.fullmatch(text):
                return text.replace(" ", "T").replace("\n", "+00:00\n").split("\n")[:-1]
        return one_by_one(values)

    return datetime_texts


def _columns(owner: User, table: Table, ids: Mapping[str, dict[int, int]]) -> Iterator[list[Sequence[Any]]]:
    """The owner's rows of ``table`` as the document writes them, in primary-key order (their
    numbers 1..n), a chunk at a time, as columns: "id", then each field's."""
    manager = table.model._default_manager
    db = connections[manager.db]
    query = (
        manager.filter(owner=owner)
        .order_by("pk")
        .values_list(
            "pk",
            *(
                Cast(field.attname, models.TextField()) if _stored_text(field, db) else field.attname
                for field in table.fields
            ),
        )
    )
    names = _names(table)
    conversions = [
        (n, convert)
        for n, field in enumerate(table.fields, start=1)
        if (convert := _from_database(field, table, ids, db)) is not None
    ]
    soft = table.label in SOFT_REFERENCES

    def remap(label: str, pk: Any, _where: str) -> int | None:
        return ids.get(label, {}).get(pk)

    # The queryset's own SQL (its owner filter and scope), read with the cursor Django's
    # .iterator() uses (server-side on PostgreSQL), without its converters.
    sql, params = query.query.sql_with_params()
    done = 0
    with db.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK):
            columns: list[Sequence[Any]] = list(zip(*batch, strict=True))
            columns[0] = range(done + 1, done + 1 + len(batch))  # the document's numbers
            for n, convert in conversions:
                columns[n] = convert(columns[n])
            if table.generics or soft:  # rewritten a row at a time (few rows)
                rows = _as_rows(names, columns)
                for row in rows:
                    _write_generics(table, row, ids)
                    _rewrite_soft_references(table.label, row, remap)
                columns = [[row[name] for row in rows] for name in names]
            done += len(batch)
            yield columns


def _names(table: Table) -> list[str]:
    return ["id", *(field.name for field in table.fields)]


def _as_rows(names: list[str], columns: list[Sequence[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _texts(values: Sequence[Any]) -> Sequence[str]:
    """A column of values as JSON, as ``_ENCODER`` writes each: text, whole numbers, true and
    false, null (most of the document) without a Python call per value."""
    kinds = set(map(type, values))
    nulls = type(None) in kinds
    kinds.discard(type(None))
    if kinds <= {bool}:
        return list(map(_LITERALS.__getitem__, values))
    if kinds == {str} or kinds == {int}:
        write = encode_basestring if kinds == {str} else int.__repr__
        return ["null" if value is None else write(value) for value in values] if nulls else list(map(write, values))
    return list(map(_ENCODER.encode, values))


def _row_texts(table: Table) -> Callable[[list[Sequence[Any]]], str]:
    """How a chunk of ``table``'s columns is written: its rows as JSON objects, keys sorted,
    separated by commas (what ``_ENCODER`` writes of them as dicts)."""
    names = _names(table)
    order = sorted(range(len(names)), key=names.__getitem__)
    # '{"created_at":%s,"id":%s,...}' (a % in a key would be doubled)
    template = "{" + ",".join(_ENCODER.encode(names[n]).replace("%", "%%") + ":%s" for n in order) + "}"

    def write(columns: list[Sequence[Any]]) -> str:
        texts = [_texts(columns[n]) for n in order]
        return ",".join([template % values for values in zip(*texts, strict=True)])

    return write


@contextmanager
def _snapshot() -> Iterator[None]:
    """One transaction, so the rows agree with each other while others write."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every query, not one per query.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _user(owner: User) -> dict[str, str]:
    return {
        "username": owner.get_username(),
        "email": owner.email,
        "first_name": owner.first_name,
        "last_name": owner.last_name,
    }


def export_document(owner: User) -> dict[str, Any]:
    """Everything ``owner`` has, as a JSON-ready document (see the module's docstring), in
    memory: ``write_document`` writes the same one as it reads it. It carries no export time:
    the same data gives the same document, byte for byte (the file's own date says when it was
    made)."""
    with _snapshot():
        ids = _Numbers(owner)
        data = {
            table.label: [row for columns in _columns(owner, table, ids) for row in _as_rows(_names(table), columns)]
            for table in tables()
        }
    return {"format": FORMAT, "version": VERSION, "user": _user(owner), "data": data}


def write_document(owner: User, out: BinaryIO) -> int:
    """Write ``owner``'s document to ``out`` as UTF-8 as it is read, a chunk of rows at a time,
    in one transaction: the text ``dump_document(export_document(owner))`` would be, in the
    memory of a chunk. Returns the bytes written."""
    written = 0

    def write(text: str) -> None:
        nonlocal written
        written += out.write(text.encode("utf-8"))

    # The keys in order, as dump_document sorts them: "data", "format", "user", "version".
    write('{"data":{')
    with _snapshot():
        ids = _Numbers(owner)
        for n, table in enumerate(sorted(tables(), key=lambda table: table.label)):
            write(f"{',' if n else ''}{_ENCODER.encode(table.label)}:[")
            rows = _row_texts(table)
            for m, columns in enumerate(_columns(owner, table, ids)):
                write(("," if m else "") + rows(columns))
            write("]")
    rest = _ENCODER.encode({"format": FORMAT, "user": _user(owner), "version": VERSION})
    write(f"}},{rest[1:]}\n")
    return written


def export_file(owner: User, target: Path, *, compress: bool = False) -> int:
    """Write ``owner``'s document to ``target`` (gzip-compressed with ``compress``), readable
    by its owner alone; a failed export leaves no half file. Returns the file's size."""
    target = Path(target).expanduser()

    def write(path: Path) -> None:
        with path.open("wb") as handle:
            if compress:
                # No name and no time in the header: the same data gives the same file.
                with gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0) as compressed:
                    write_document(owner, cast(BinaryIO, compressed))
            else:
                write_document(owner, handle)

    _write_atomically(target, write)
    return target.stat().st_size


def dump_document(doc: dict[str, Any]) -> str:
    """The document as text: compact, keys sorted, non-ASCII kept as it is (``write_document``
    writes the same text)."""
    return _ENCODER.encode(doc) + "\n"


def read_document(data: bytes, filename: str = "the document") -> dict[str, Any]:
    """A JSON document from the bytes of a file (gzip-compressed or not)."""
    if data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise BadInput("file", f"{filename} is a damaged gzip file: {exc}") from None
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadInput("file", f"{filename} is neither a Kithkin backup nor a JSON export") from None
    except json.JSONDecodeError as exc:
        raise BadInput(
            "file", f"{filename} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    if not isinstance(doc, dict):
        raise BadInput("file", f"{filename} is JSON but not a Kithkin export")
    return doc


# --- checking a document ------------------------------------------------------------------------


def _where(label: str, row: Any, field: str = "") -> str:
    local = row.get("id") if isinstance(row, dict) else None
    return f"{label} row {local}" + (f", {field}" if field else "")


def _check_version(doc: dict[str, Any]) -> None:
    """A Kithkin document of the version this Kithkin reads."""
    if doc.get("format") != FORMAT:
        raise BadInput("file", f"not a Kithkin export: its format is {doc.get('format')!r}, not {FORMAT!r}")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadInput("file", f"unknown document version {version!r}")
    if version > VERSION:
        raise BadInput(
            "file",
            f"the document was made by a newer Kithkin (version {version}; this one reads {VERSION}): upgrade first",
        )
    if version < VERSION:
        # Nothing was released with version 1, so no reader of it is kept.
        raise BadInput(
            "file",
            f"the document was made by an earlier Kithkin (version {version}, which wrote follow-up causes as"
            f" text; this one reads {VERSION}): export it again with this Kithkin",
        )


def _is_number(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _checked_rows(table: Table, rows: Any) -> list[dict[str, Any]]:
    """The rows of one model: objects, each with an id given once and only known fields."""
    label = table.label
    if not isinstance(rows, list):
        raise BadInput("file", f"{label}: expected a list of rows")
    names = {field.name for field in table.fields}
    seen: set[int] = set()
    for row in rows:
        if not isinstance(row, dict):
            raise BadInput("file", f"{label}: a row is not an object: {str(row)[:60]!r}")
        local = row.get("id")
        if not _is_number(local) or local < 1 or local in seen:
            raise BadInput("file", f"{_where(label, row, 'id')}: needs a positive whole number, once per model")
        seen.add(local)
        for key in row:
            if key != "id" and key not in names:
                raise BadInput("file", f"{_where(label, row, key)}: unknown field")
    if table.is_setting and len(rows) > 1:
        raise BadInput("file", f"{label}: one row at most, not {len(rows)}")
    return rows


def _check_references(table: Table, rows: list[dict[str, Any]], local_ids: dict[str, set[int]]) -> None:
    """Every foreign key names a row of the document."""
    for name, target in table.refs.items():
        targets = local_ids.get(target, set())
        for row in rows:
            value = row.get(name)
            if value is not None and (isinstance(value, bool) or value not in targets):
                raise BadInput(
                    "file",
                    f"{_where(table.label, row, name)}: refers to {target} row {value!r}, which is not in the document",
                )


def _check_generic_references(table: Table, rows: list[dict[str, Any]], local_ids: dict[str, set[int]]) -> None:
    """Every generic relation names an exported model and a row of it in the document (or 0, a
    row that was gone when the document was made)."""
    exported = {t.label for t in tables()}
    for generic in table.generics:
        for row in rows:
            target, value = row.get(generic.type_field), row.get(generic.id_field)
            if target is None and value is None:
                continue  # missing: refused with the row's other fields
            where = _where(table.label, row, generic.name)
            if target not in exported:
                raise BadInput("file", f"{where}: refers to {target!r}, which is not a model the document holds")
            if not _is_number(value) or (value != 0 and value not in local_ids.get(target, set())):
                raise BadInput("file", f"{where}: refers to {target} row {value!r}, which is not in the document")


def _check_document(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows per model, once the document is known to be one Kithkin can restore: its
    format and version, every model and field known, every reference inside the document."""
    _check_version(doc)
    data = doc.get("data")
    if not isinstance(data, dict):
        raise BadInput("file", "the document has no data")
    known = {table.label: table for table in tables()}
    for label in data:
        if label not in known:
            raise BadInput("file", f"unknown model {label!r} in the document")
    rows_by_label = {label: _checked_rows(known[label], rows) for label, rows in data.items()}
    local_ids = {label: {row["id"] for row in rows} for label, rows in rows_by_label.items()}
    for label, rows in rows_by_label.items():
        _check_references(known[label], rows, local_ids)
        _check_generic_references(known[label], rows, local_ids)
    return rows_by_label


def _documented_name(doc: dict[str, Any]) -> tuple[str, str]:
    """The user's first and last name the document carries ("" where it has none)."""
    user = doc.get("user") or {}
    if not isinstance(user, dict):
        raise BadInput("file", "user: expected an object")
    name = []
    for key in ("first_name", "last_name"):
        value = user.get(key) or ""
        limit = 150  # User.first_name's and last_name's max_length
        if not isinstance(value, str) or len(value) > limit:
            raise BadInput("file", f"user.{key}: expected a text of at most {limit} characters")
        name.append(value)
    return name[0], name[1]


# --- restore ------------------------------------------------------------------------------------


def _reader(field: Field, label: str) -> Callable[[dict[str, Any], Any], Any]:
    """How a document value of ``field`` becomes a Python value (``row`` is for messages)."""
    text_like = isinstance(field, models.CharField | models.TextField)
    is_json = isinstance(field, models.JSONField)
    is_datetime = isinstance(field, models.DateTimeField)
    is_date = isinstance(field, models.DateField) and not is_datetime

    def read(row: dict[str, Any], value: Any) -> Any:
        if value is None:
            if not field.null:
                raise BadInput("file", f"{_where(label, row, field.name)}: must have a value")
            return None
        if is_json or (text_like and isinstance(value, str)):
            return value
        try:
            if is_datetime:
                if not isinstance(value, str):
                    raise ValueError
                parsed = datetime.fromisoformat(value)
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
            if text_like:
                raise ValueError
            if is_date and isinstance(value, str):
                return parse_birthday_iso(value)  # "--02-03": a birthday without a year
            return field.to_python(value)
        except (ValueError, TypeError, ValidationError):
            kind = field.get_internal_type().removesuffix("Field").lower() or "value"
            raise BadInput("file", f"{_where(label, row, field.name)}: not a {kind}: {str(value)[:60]!r}") from None

    return read


def _preparer(field: Field, table: Table, db: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """How a Python value of ``field`` is handed to the database driver. The common cases skip
    Django's general path: half a million rows make its cost count."""
    if type(field) in PLAIN_FIELDS or field.name in table.refs or field.name in table.generic_fields:
        # references are already ids
        return lambda value: value
    if isinstance(field, models.DateTimeField):  # aware, as _reader makes them
        return db.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return db.ops.adapt_datefield_value
    if isinstance(field, models.TimeField):
        return db.ops.adapt_timefield_value
    return lambda value: field.get_db_prep_save(value, db)


def _default(field: Field) -> Any:
    """The value for a field the document does not have (one added since it was made)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return clock.now()
    return field.get_default()


def _remapper(label: str, row: dict[str, Any], ids: dict[str, dict[int, int]]) -> Remap:
    """Document ids to database ids for the soft references of one row."""

    def remap(target: str, local: Any, where: str) -> int | None:
        if local is None or target not in ids:
            return None
        if local not in ids[target]:
            raise BadInput(
                "file", f"{_where(label, row, where)}: refers to {target} row {local!r}, which is not in the document"
            )
        return ids[target][local]

    return remap


def _read_generics(table: Table, row: dict[str, Any], ids: dict[str, dict[int, int]]) -> None:
    """Each generic relation's model label made its content type's id, and the document number
    the database id reserved for that row (0, a row gone, stays 0). ``_check_document`` has
    made sure both name what the document holds."""
    for generic in table.generics:
        target = row.get(generic.type_field)
        if target is None:
            continue
        row[generic.type_field] = ContentType.objects.get_for_model(apps.get_model(target)).pk
        local = row.get(generic.id_field)
        row[generic.id_field] = ids[target][local] if local else 0


def _values(table: Table, row: dict[str, Any], ids: dict[str, dict[int, int]]) -> list[Any]:
    """The row's Python values, one per field of the table, references made database ids."""
    row = dict(row)
    _read_generics(table, row, ids)
    _rewrite_soft_references(table.label, row, _remapper(table.label, row, ids))
    values: list[Any] = []
    for field, read in zip(table.fields, _readers(table.label), strict=True):
        if field.name not in row:
            if not (field.has_default() or field.null or field.blank or not field.editable):
                raise BadInput("file", f"{_where(table.label, row, field.name)}: missing")
            values.append(_default(field))
        elif field.name in table.refs:
            value = row[field.name]
            if value is None and not field.null:
                raise BadInput("file", f"{_where(table.label, row, field.name)}: must have a value")
            values.append(None if value is None else ids[table.refs[field.name]][value])
        else:
            values.append(read(row, row[field.name]))
    names = [field.name for field in table.fields]
    if table.label == "people.person":  # kept by Person.save(), which a restore does not call
        values[names.index("birthday_key")] = birthday_key(values[names.index("birthday")])
        if "city" not in row and "country" not in row:
            # A document from before places: read them from the location, as the migration did.
            place = parse_place(values[names.index("location")] or "")
            values[names.index("city")], values[names.index("country")] = place.city, place.country
    if issubclass(table.model, RendersMarkdown):
        # Rendered again, never read from the file: a hand-made document cannot bring its own HTML.
        for source, html in table.model.markdown_fields.items():
            values[names.index(html)] = render_markdown(values[names.index(source)])
    return values


@cache
def _readers(label: str) -> list[Callable[[dict[str, Any], Any], Any]]:
    table = next(table for table in tables() if table.label == label)
    return [_reader(field, label) for field in table.fields]


def _reserve_ids(table: Table, count: int) -> list[int]:
    """Primary keys for ``count`` new rows, increasing, taken as the database would take them (so
    later inserts never collide). Knowing every row's key first, each foreign key, soft reference
    and self-reference (Person.met_through) is written in one pass: Django's foreign keys are
    checked at commit."""
    if not count:
        return []
    db_table, pk = table.model._meta.db_table, table.model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [db_table, pk, count]
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor != "sqlite":
            raise NotSupportedError("restore works on SQLite and PostgreSQL")
        # Kithkin's SQLite transactions begin IMMEDIATE: the restore holds the write lock, so no
        # one else takes these keys meanwhile.
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(db_table)}")
        top = cursor.fetchone()[0] or 0
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if cursor.fetchone():
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [db_table])
            used = cursor.fetchone()
            top = max(top, used[0] if used else 0)
    return list(range(top + 1, top + 1 + count))


def _insert(owner: User, table: Table, rows: list[dict[str, Any]], ids: dict[str, dict[int, int]]) -> None:
    """Insert the rows with the keys reserved for them. Plain SQL, not bulk_create: several times
    faster on 500,000 touches, and nothing is stamped with the current time (``auto_now_add``)
    or otherwise changed on the way in."""
    meta = table.model._meta
    quote = connection.ops.quote_name
    owner_column = meta.get_field("owner").column  # type: ignore[union-attr]
    columns = [str(c) for c in (meta.pk.column, owner_column, *(f.column for f in table.fields))]
    sql = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    db = connections[DEFAULT_DB_ALIAS]
    preparers = [_preparer(field, table, db) for field in table.fields]
    with db.cursor() as cursor, db.wrap_database_errors:
        if db.vendor == "postgresql":
            # COPY: psycopg sends the values as they are, where INSERT would quote each one.
            with cursor.cursor.copy(f"COPY {sql.removeprefix('INSERT INTO ')} FROM STDIN") as copy:
                for start in range(0, len(rows), CHUNK):
                    for values in _prepared(owner, table, rows[start : start + CHUNK], ids, preparers):
                        copy.write_row(values)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            for start in range(0, len(rows), CHUNK):
                batch = _prepared(owner, table, rows[start : start + CHUNK], ids, preparers)
                cursor.executemany(f"{sql} VALUES ({placeholders})", batch)


def _prepared(
    owner: User,
    table: Table,
    rows: list[dict[str, Any]],
    ids: dict[str, dict[int, int]],
    preparers: list[Callable[[Any], Any]],
) -> list[tuple[Any, ...]]:
    """The rows as the database driver takes them: id, owner, then each field."""
    own = ids[table.label]
    return [
        (own[row["id"]], owner.pk, *(prep(v) for prep, v in zip(preparers, _values(table, row, ids), strict=True)))
        for row in rows
    ]


def _restore_setting(owner: User, table: Table, rows: list[dict[str, Any]], ids: dict[str, dict[int, int]]) -> None:
    """Settings go onto the owner's existing row (the profile every user has)."""
    if not rows:
        return
    values = {field.attname: value for field, value in zip(table.fields, _values(table, rows[0], ids), strict=True)}
    existing: models.Model | None
    if table.label == "accounts.profile":
        existing = get_profile(owner)  # the cached profile, so later reads see the restored one
    else:
        existing = table.model._default_manager.filter(owner=owner).first()
    if existing is None:
        existing = table.model(owner_id=owner.pk, **values)
        existing.save(force_insert=True)
    else:
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
    ids[table.label] = {rows[0]["id"]: existing.pk}


def _summary(counts: dict[str, int]) -> str:
    """ "30,000 people.person, 540,019 interactions.touch and 9 more tables", biggest first."""
    biggest = sorted(counts.items(), key=lambda item: -item[1])
    text = ", ".join(f"{n:,} {label}" for label, n in biggest[:3])
    return text + (f" and {len(biggest) - 3} more tables" if len(biggest) > 3 else "")


def restore_document(owner: User, doc: dict[str, Any]) -> dict[str, int]:
    """Load a document made by ``export_document`` into ``owner``'s empty network, in one
    transaction: on any problem (named by model, row and field) nothing changes. Rows are
    inserted in bulk, so model ``save()`` side effects are skipped on purpose. Derived columns
    travel in the document (so one Kithkin does not know how to derive survives), and the ones
    it does (``Person.birthday_key``, ``Person.search_text``, the notes' HTML) are worked out again, so a
    hand-edited document cannot leave them stale. Returns the rows restored per model."""
    rows_by_label = _check_document(doc)
    name = _documented_name(doc)
    current = "the document"
    try:
        with transaction.atomic():
            if existing := network_counts(owner):
                raise BadInput(
                    "file",
                    f"the network of {owner.get_username()} is not empty: restore needs an empty network"
                    f" (it has {_summary(existing)})",
                )
            ids = {
                table.label: dict(
                    zip(
                        sorted(row["id"] for row in rows_by_label.get(table.label, [])),
                        _reserve_ids(table, len(rows_by_label.get(table.label, []))),
                        strict=True,
                    )
                )
                for table in tables()
                if not table.is_setting
            }
            counts: dict[str, int] = {}
            for table in tables():
                rows = rows_by_label.get(table.label, [])
                current = table.label
                if table.is_setting:
                    _restore_setting(owner, table, rows, ids)
                else:
                    _insert(owner, table, sorted(rows, key=lambda row: int(row["id"])), ids)
                counts[table.label] = len(rows)
            current = "the document"
            if any(name) and (owner.first_name, owner.last_name) != name:
                # The user's name signs drafted messages: it is a setting like the profile's.
                owner.first_name, owner.last_name = name
                owner.save(update_fields=["first_name", "last_name"])
            refresh_search(owner)
    except DatabaseError as exc:  # a value the database refuses (a constraint, a too-long text)
        raise BadInput("file", f"{current}: the database refused a row: {exc}") from None
    refresh_statistics()
    return counts


# --- backup and restore of files ----------------------------------------------------------------


def _live_sqlite_path() -> Path | None:
    """The SQLite database file, or None for an in-memory database (the tests')."""
    if connection.is_in_memory_db():  # type: ignore[attr-defined]
        return None
    return Path(str(connection.settings_dict["NAME"])).resolve()


def _write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Write to a file beside ``target`` and rename it: a failed backup leaves no half file."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.unlink(missing_ok=True)
        make_private(partial)  # 0600 before a byte is written, whatever the umask
        write(partial)
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise BadInput("file", f"{target} cannot be written: {getattr(exc, 'strerror', None) or exc}") from None
    except BaseException:  # an export that failed half way (a database error, a stopped server)
        partial.unlink(missing_ok=True)
        raise


def _copy_sqlite(to: Path) -> None:
    live = _live_sqlite_path()
    if live is None:
        # An in-memory database (the tests'), possibly inside a transaction: the backup API would
        # wait forever for a lock this very connection holds; its image is the same file.
        connection.ensure_connection()
        to.write_bytes(connection.connection.serialize())
    else:
        with closing(sqlite3.connect(live, timeout=20)) as source, closing(sqlite3.connect(to)) as copy:
            # One step: SQLite reads a single snapshot while other connections go on writing.
            source.backup(copy)
    with closing(sqlite3.connect(to)) as copy:
        # One self-contained file, whatever the live database's journal mode.
        copy.execute("PRAGMA journal_mode=DELETE")
        _remove_secrets(copy)


def _secret_tables() -> list[str]:
    """The tables whose rows let someone in: sessions, one-time login links, access tokens, connected
    accounts (password reset tokens are not stored; feed tokens and login links are stored hashed);
    and the sign-in
    attempts django-axes keeps to lock out guessers, with the addresses they came from, which
    are nobody's data to keep and would lock a restored copy's user out."""
    attempts = [model._meta.db_table for model in apps.get_app_config("axes").get_models()]
    # Connected accounts hold mail and calendar passwords (sealed, but still theirs to keep):
    # named by label, as the capture app sits above this one.
    sources = apps.get_model("capture", "Source")._meta.db_table
    return [Session._meta.db_table, LoginToken._meta.db_table, AccessToken._meta.db_table, sources, *attempts]


def _remove_secrets(copy: sqlite3.Connection) -> None:
    """Empty the tables of live credentials in a copy of the database, overwriting the freed
    pages: a session key read from a backup must not sign anyone in."""
    present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    copy.execute("PRAGMA secure_delete=ON")
    with copy:
        for table in _secret_tables():
            if table in present:
                copy.execute(f'DELETE FROM "{table}"')  # a model's own table name


def backup_database(target: Path, owner: User | None = None) -> str:
    """A consistent snapshot, safe while the server runs: on SQLite the whole database (every
    user) copied into ``target``, returning "sqlite"; on PostgreSQL ``owner``'s JSON document
    (gzip-compressed when ``target`` ends in .gz), returning "json"."""
    target = Path(target).expanduser()
    if connection.vendor == "sqlite":
        live = _live_sqlite_path()
        if live is not None and target.resolve() == live:
            raise BadInput("file", f"{target} is the live database; choose another file for the backup")
        _write_atomically(target, _copy_sqlite)
        return "sqlite"
    if owner is None:
        raise BadInput("owner", "on PostgreSQL a backup is one user's JSON export: say whose")
    export_file(owner, target, compress=target.name.endswith(".gz"))
    return "json"


def _open_backup(source: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)


def _check_sqlite_backup(source: Path) -> None:
    """Refuse a damaged file, one that is not Kithkin's, or one this version cannot bring up to
    date (from a newer Kithkin, or from a development version before the migrations were squashed)."""
    name = source.name
    try:
        with closing(_open_backup(source)) as backup:
            if backup.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BadInput("file", f"{name} is a damaged SQLite database")
            names = {row[0] for row in backup.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"django_migrations", "auth_user", "people_person"} <= names:
                raise BadInput("file", f"{name} is an SQLite database but not a Kithkin backup")
            applied = set(backup.execute("SELECT app, name FROM django_migrations"))
    except sqlite3.Error as exc:
        raise BadInput("file", f"{name} cannot be read as an SQLite database: {exc}") from None
    problem = unknown_migrations(applied, use="restore it")
    if problem:
        raise BadInput("file", f"{name} {problem}")


def _restore_sqlite(source: Path) -> None:
    if connection.vendor != "sqlite":
        raise BadInput("file", "this is an SQLite backup; on PostgreSQL restore a JSON export instead")
    _check_sqlite_backup(source)
    # Unscoped: an SQLite backup replaces the whole database, so no one may have data in it.
    with unscoped():
        existing = network_counts()
    if existing:
        raise BadInput(
            "file",
            f"the database is not empty: restoring an SQLite backup replaces it whole, so it must hold no"
            f" one's data (it has {_summary(existing)}); restore a JSON export into your network instead",
        )
    live = _live_sqlite_path()
    if live is None:
        raise BadInput("file", "an SQLite backup can only replace the default database file")
    connections.close_all()
    try:
        with closing(_open_backup(source)) as backup, closing(sqlite3.connect(live, timeout=20)) as database:
            # The backup API cannot change the page size of a database in WAL mode.
            database.execute("PRAGMA journal_mode=DELETE")
            backup.backup(database)
            database.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as exc:
        raise BadInput(
            "file", f"the database could not be replaced ({exc}); stop `kithkin serve` and try again"
        ) from None
    # An older backup is brought up to this version.
    call_command("migrate", verbosity=0, interactive=False)


def restore_file(source: Path, owner: User) -> str:
    """Restore a backup: an SQLite database file (which replaces an empty database whole;
    returns "sqlite") or a JSON document, plain or gzip-compressed, into ``owner``'s empty
    network (returns "json")."""
    source = Path(source).expanduser()
    try:
        with source.open("rb") as handle:
            start = handle.read(64)
        if start.startswith(SQLITE_HEADER):
            _restore_sqlite(source)
            return "sqlite"
        if not start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", GZIP_MAGIC)):
            raise BadInput("file", f"{source.name} is neither a Kithkin backup nor a JSON export")
        data = source.read_bytes()
    except OSError as exc:
        raise BadInput("file", f"{source} cannot be read: {exc.strerror or exc}") from None
    restore_document(owner, read_document(data, source.name))
    return "json"
