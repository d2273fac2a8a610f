"""Calendar feed secrets are stored hashed, as login links are. Existing secrets are hashed in
place, so the feed URLs already in calendars keep working."""

import hashlib

from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table, column = quote("exports_calendarfeed"), quote("token_hash")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('id')}, {column} FROM {table}")
        rows = [(hashlib.sha256(token.encode()).hexdigest(), pk) for pk, token in cursor.fetchall()]
        cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {quote('id')} = %s", rows)


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="calendarfeed", old_name="token", new_name="token_hash"),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
        migrations.AddField(
            model_name="calendarfeed",
            name="salt",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="calendarfeed",
            name="legacy_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddIndex(
            model_name="calendarfeed",
            index=models.Index(
                condition=models.Q(("legacy_hash", ""), _negated=True),
                fields=["legacy_hash"],
                name="calendarfeed_legacy_hash",
            ),
        ),
    ]
