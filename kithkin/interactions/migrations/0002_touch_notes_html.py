"""The touch's notes as sanitised HTML, kept beside them (rendered when saved, never when a
page is shown); existing notes are rendered here."""

from functools import lru_cache

from django.db import migrations, models

from kithkin.lib.markdown import render_markdown

TABLE = "interactions_touch"
CHUNK = 2000


def render_existing_notes(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    render = lru_cache(maxsize=4096)(render_markdown)  # notes written by a program often repeat
    with connection.cursor() as reading:
        reading.execute(f"SELECT {quote('id')}, {quote('notes')} FROM {quote(TABLE)} WHERE {quote('notes')} <> ''")
        while rows := reading.fetchmany(CHUNK):
            with connection.cursor() as writing:
                writing.executemany(
                    f"UPDATE {quote(TABLE)} SET {quote('notes_html')} = %s WHERE {quote('id')} = %s",
                    [(render(notes), pk) for pk, notes in rows],
                )


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="touch",
            name="notes_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(render_existing_notes, migrations.RunPython.noop, elidable=True),
    ]
