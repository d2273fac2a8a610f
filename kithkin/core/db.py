"""Database upkeep that is not about any one table."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import OperationalError, connection, connections, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Field, Model, QuerySet
from django.db.models.constants import OnConflict

from kithkin.core import stamps
from kithkin.core.models import RendersMarkdown, Stamped, markdown_columns
from kithkin.lib.markdown import render_markdown

# The migrations of the development versions, before they were squashed into one 0001_initial per
# app (nothing had been released). A database that records one of them has a schema this version
# cannot bring up to date, though its own 0001_initial looks applied.
SQUASHED_MIGRATIONS = frozenset(
    {
        ("accounts", "0002_import_defaults_routine_blocks"),
        ("accounts", "0003_routine_goals_intro_templates"),
        ("events", "0002_met_new_person"),
        ("exchanges", "0002_initial"),
        ("followups", "0002_kinds_congratulate_introduction"),
        ("followups", "0003_cause_typed_reference"),
        ("interactions", "0002_touch_source_key"),
        ("interactions", "0003_touch_kind_help"),
        ("people", "0002_birthday_key"),
        ("people", "0003_search_text"),
        ("people", "0004_history_and_distinct_pairs"),
        ("people", "0005_milestones"),
    }
)


def count_each(queries: Mapping[str, QuerySet[Any, Any]]) -> dict[str, int]:
    """How many rows each query has, in one statement of scalar subqueries: each is counted by its
    own index range, where a GROUP BY over the same rows reads every row of the owner (at 30,000
    people, Today's follow-ups by kind: 40 ms grouped, under 1 ms counted so)."""
    if not queries:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    for queryset in queries.values():
        sql, args = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params += args
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(queries, (int(n) for n in row), strict=True))


def migrations_on_disk() -> set[tuple[str, str]]:
    """Every migration the installed apps carry, as (app, name), read from their folders' file
    names: no migration module is imported."""
    found = set()
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if folder.is_dir():
            found |= {(config.label, path.stem) for path in folder.glob("*.py") if path.stem != "__init__"}
    return found


def schema_is_current(using: Any = None) -> bool:
    """Whether the database records exactly the migrations the installed apps carry: two cheap
    queries and a few folder listings, where loading the migration graph takes a command's
    start-up a fifth of a second. Anything else (a migration to apply, one this version does not
    know, a squash) is for the migration executor to read."""
    recorder = MigrationRecorder(using or connection)
    if not recorder.has_table():
        return False
    return set(recorder.applied_migrations()) == migrations_on_disk()


def unknown_migrations(
    applied: Iterable[tuple[str, str]], use: str = "use it", loader: MigrationLoader | None = None
) -> str | None:
    """Why a database that records ``applied`` (its ``django_migrations`` rows: app, name) cannot
    be used by this version of Kithkin, or None when it can: a migration of Kithkin's apps that
    this version does not have was made by a newer version, or by a development version from
    before the squash. ``loader`` saves reading the migrations again where one is at hand."""
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations) | {r for m in loader.disk_migrations.values() for r in m.replaces}
    unknown = sorted((app, name) for app, name in set(applied) - known if app in loader.migrated_apps)
    if not unknown:
        return None
    names = ", ".join(f"{app}.{name}" for app, name in unknown[:3])
    if all(migration in SQUASHED_MIGRATIONS for migration in unknown):
        return (
            f"was made by a development version of Kithkin from before its migrations were squashed"
            f" (it has {names}); this version cannot read it: start a new data directory and import"
            f" what you exported with the version that made it"
        )
    return f"was made by a newer Kithkin (it has {names}): upgrade Kithkin to {use}"


# SQLite's primary result codes for "another connection holds the lock" (the file's, and a shared
# cache's), and PostgreSQL's SQLSTATE for a lock not granted within ``lock_timeout``.
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
PG_LOCK_NOT_AVAILABLE = "55P03"


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` says the database is busy: another writer held its lock for longer than
    the busy timeout. Waiting and trying again will do; nothing is wrong with the data."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in {SQLITE_BUSY, SQLITE_LOCKED}
    return getattr(cause, "sqlstate", None) == PG_LOCK_NOT_AVAILABLE or "database is locked" in str(exc)


# Pages SQLite keeps in memory while a bulk load writes (its default is 2 MB): enough for the
# indexes of half a million touches, which are otherwise written out and read back again and again.
BULK_CACHE_KIB = 128 * 1024


@contextmanager
def bulk_load_cache(kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """A bigger page cache for this connection (``kib`` KiB) while hundreds of thousands of rows
    are written (the demo network): about a sixth less work for SQLite, for up to 128 MB more
    memory. The cache goes back to what it was after. Other databases are left as they are."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def refresh_statistics() -> None:
    """Give the query planner fresh statistics after many rows arrive at once (a demo network,
    an import) or when the server starts. Bounded on SQLite: well under a second at 30,000 people."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


# Fields whose Python values (int, float, str, bool, None) go to every database as they are: no
# per-value preparation, which cost most of the time of writing a hundred thousand rows.
_AS_IS = (models.IntegerField, models.FloatField, models.CharField, models.TextField, models.BooleanField)


def _preparer(field: Any, conn: Any) -> Callable[[Any], Any] | None:
    """How to make a value of ``field`` ready for ``conn``; None: as it is."""
    if isinstance(field, _AS_IS) and not field.choices and type(field).get_db_prep_save is Field.get_db_prep_save:
        return None
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        if isinstance(target, models.AutoField | models.BigAutoField):
            return lambda value: value.pk if isinstance(value, Model) else value
    if type(field) is models.DateField:
        adapt = conn.ops.adapt_datefield_value
        return lambda value: adapt(value)
    if type(field) is models.DateTimeField:
        adapt_moment = conn.ops.adapt_datetimefield_value
        zone = conn.timezone if conn.vendor == "sqlite" and settings.USE_TZ else None

        def prepare_moment(value: Any) -> Any:
            # An aware datetime needs no checking (only a naive one is warned about and made
            # aware). SQLite stores it as text in the connection's zone, as Django's adapter writes
            # it, without its lookups of settings for each of a million values.
            if isinstance(value, datetime) and value.tzinfo is not None:
                return str(value.astimezone(zone).replace(tzinfo=None)) if zone else adapt_moment(value)
            return field.get_db_prep_save(value, conn)

        return prepare_moment
    if type(field) is models.JSONField and field.encoder is None and conn.vendor == "sqlite":
        # JSON text as SQLite's adapter writes it (json.dumps), without Django's layers of calls
        # around it; None is SQL NULL, as Django writes it.
        return lambda value: None if value is None else json.dumps(value)
    last: list[Any] = [object(), None]

    def prepare(value: Any) -> Any:
        # Rows often share a value (the moment they were computed): prepared once.
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, conn)
        return last[1]

    return prepare


def _insert(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[str, list[list[Any]]]:
    """The start of an INSERT of ``columns`` (up to VALUES) and ``rows`` prepared for it, the
    HTML of Markdown columns added."""
    columns, rows = _with_markdown_html(model, columns, rows, offset=0)
    fields = [model._meta.get_field(name) for name in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    conn = connections[connection.alias]  # the connection itself, not the per-thread proxy
    return f"INSERT INTO {table} ({names}) VALUES ", _prepared([_preparer(f, conn) for f in fields], rows)


def _prepared(prepare: Sequence[Callable[[Any], Any] | None], rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """``rows`` as lists of values ready for the database: only the columns that need it are
    prepared (a call for each value of each row was most of the time of writing many rows)."""
    width = len(prepare)
    converted = [(at, prep) for at, prep in enumerate(prepare) if prep is not None]
    prepared = []
    for row in rows:
        values = list(row)
        if len(values) != width:
            raise ValueError(f"a row of {len(values)} values for {width} columns")
        for at, prep in converted:
            values[at] = prep(values[at])
        prepared.append(values)
    return prepared


def insert_rows(
    model: type[Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    unique: str | Sequence[str] | None = None,
) -> int:
    """INSERT many rows of plain values (text, numbers, dates, datetimes, JSON) in one
    executemany, without building a model instance per row: what ``bulk_create`` does, at a
    fraction of its cost, for loaders that do not need the new ids back. ``columns`` are field
    names (``person`` for a foreign key works: its column is used). The HTML of Markdown columns
    (``RendersMarkdown``) is rendered and written beside them. With ``unique`` (the fields of
    ``columns`` of a unique constraint, or one unique field), a row whose values of them are
    already in the table updates that row's other columns instead (``bulk_create``'s
    ``update_conflicts``)."""
    start, prepared = _insert(model, columns, rows)
    if prepared:
        sql = start + f"({', '.join(['%s'] * len(prepared[0]))})"
        if unique is not None:
            sql += " " + _on_conflict_update(model, columns, unique)
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
        if issubclass(model, Stamped):
            stamps.bump(None)
    return len(prepared)


def _on_conflict_update(model: type[Model], columns: Sequence[str], unique: str | Sequence[str]) -> str:
    keys = [unique] if isinstance(unique, str) else list(unique)
    column = {name: str(model._meta.get_field(name).column) for name in columns}  # type: ignore[union-attr]
    others = [column[name] for name in columns if name not in keys]
    return str(connection.ops.on_conflict_suffix_sql([], OnConflict.UPDATE, others, [column[name] for name in keys]))


def insert_rows_returning_ids(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[int]:
    """``insert_rows`` for rows whose ids are needed next (a touch's, for its participants): the
    new ids, in the order of ``rows``. Each statement inserts as many rows as the database takes
    parameters for and returns their ids, the way Django's ``bulk_create`` gets them."""
    if not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError(f"{connection.vendor} cannot return the ids of a multi-row INSERT")
    start, prepared = _insert(model, columns, rows)
    if not prepared:
        return []
    width = len(prepared[0])
    size = max(1, connection.features.max_query_params // width) if connection.features.max_query_params else 1000
    pk = connection.ops.quote_name(str(model._meta.pk.column))
    placeholders = f"({', '.join(['%s'] * width)})"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for offset in range(0, len(prepared), size):
            batch = prepared[offset : offset + size]
            cursor.execute(
                f"{start}{', '.join([placeholders] * len(batch))} RETURNING {pk}",
                [value for row in batch for value in row],
            )
            ids += [row[0] for row in cursor.fetchall()]
    if issubclass(model, Stamped):
        stamps.bump(None)
    return ids


def update_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """UPDATE many rows by primary key in one executemany: each row is ``(pk, *values)`` for
    ``columns``. Django's ``bulk_update`` builds a CASE per column per row, which costs seconds
    at ten thousand rows; this is one prepared statement run for each. Like ``insert_rows``, it
    keeps the HTML of Markdown columns in step."""
    columns, rows = _with_markdown_html(model, columns, rows, offset=1)
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)  # type: ignore[union-attr]
    sql = f"UPDATE {table} SET {assignments} WHERE {quote(str(model._meta.pk.column))} = %s"
    conn = connections[connection.alias]  # the connection itself, not the per-thread proxy
    # The primary key last, as the statement wants it, and as it is.
    prepared = _prepared([*(_preparer(f, conn) for f in fields), None], ([*row[1:], row[0]] for row in rows))
    if prepared:
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
        if issubclass(model, Stamped):
            stamps.bump(None)
    return len(prepared)


def _with_markdown_html(
    model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *, offset: int
) -> tuple[Sequence[str], Iterable[Sequence[Any]]]:
    """``columns`` and ``rows`` with the rendered HTML of each Markdown column added at the end
    (``offset``: the values before the columns', the primary key of an update)."""
    derived = markdown_columns(model, columns)
    if not derived:
        return columns, rows
    extended = [*columns, *(html for _, html in derived)]
    return extended, ([*row, *(render_markdown(row[offset + i]) for i, _ in derived)] for row in rows)


def insert_objects(objs: Sequence[Model]) -> list[int]:
    """INSERT unsaved instances of one model as ``insert_rows`` does, giving back their new ids in
    order (not set on the instances): what ``bulk_create`` is used for, without its cost of
    compiling every value of every row (``insert_rows_returning_ids`` for instances)."""
    if not objs:
        return []
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objs:
        if isinstance(obj, RendersMarkdown):
            obj.render_markdown_fields()
    # A date stamped on saving (``auto_now_add``) is stamped as ``bulk_create`` would.
    stamped = {f.name for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    rows = ([f.pre_save(obj, True) if f.name in stamped else getattr(obj, f.attname) for f in fields] for obj in objs)
    return insert_rows_returning_ids(model, [f.name for f in fields], rows)


def raw_rows(query: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """A ``values_list`` query's rows straight from the cursor, without Django's converters:
    moments come as the database gives them (read them with ``aware``), JSON as its text on
    SQLite. For the few reads of thousands of rows where the converters cost most of the time."""
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # filtered on an empty list of ids
        return []
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def aware(value: datetime | str) -> datetime:
    """A moment as the cursor gives it: SQLite's naive UTC (a datetime its converter made, or the
    text Django stored), or PostgreSQL's aware datetime."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
