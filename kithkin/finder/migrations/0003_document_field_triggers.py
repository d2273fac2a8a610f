"""SQLite: a trigger per field of the documents for updates, in place of one for the whole
document. Writing a document again (an import gives ten thousand people a new role) then indexes
again only the fields whose text changed, instead of all seven (the notes, with every touch's,
the longest of them). PostgreSQL works out each field's tsvector itself: nothing to change."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FIELDS = ("name", "work", "place", "interests", "needs", "offers", "notes")


def _reindex(f: str) -> str:
    return (
        f"INSERT INTO finder_{f}_fts(finder_{f}_fts, rowid, {f}) VALUES ('delete', old.person_id, old.{f}); "
        f"INSERT INTO finder_{f}_fts(rowid, {f}) VALUES (new.person_id, new.{f});"
    )


PER_FIELD = [
    "DROP TRIGGER IF EXISTS finder_document_au",
    *(
        f"CREATE TRIGGER finder_document_au_{f} AFTER UPDATE OF person_id, {f} ON finder_document "
        f"WHEN old.person_id IS NOT new.person_id OR old.{f} IS NOT new.{f} BEGIN {_reindex(f)} END"
        for f in FIELDS
    ),
]
WHOLE = [
    *(f"DROP TRIGGER IF EXISTS finder_document_au_{f}" for f in FIELDS),
    "CREATE TRIGGER finder_document_au AFTER UPDATE ON finder_document BEGIN "
    + " ".join(_reindex(f) for f in FIELDS)
    + " END",
]


def per_field(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in PER_FIELD:
            schema_editor.execute(statement)


def whole(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in WHOLE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("finder", "0002_embedding")]

    operations = [migrations.RunPython(per_field, whole)]
