"""A person's city and country (ISO 3166-1 alpha-2), beside the location as typed, so that "who
do I know in Berlin" is an index lookup; existing locations are read into them here with
``kithkin.lib.places.parse_place``, the parser the services use."""

from functools import lru_cache

from django.conf import settings
from django.db import migrations, models

from kithkin.lib.places import parse_place

TABLE = "people_person"
CHUNK = 2000


def fill_places(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    parse = lru_cache(maxsize=4096)(parse_place)  # a network has few places, each many times
    with connection.cursor() as reading:
        reading.execute(
            f"SELECT {quote('id')}, {quote('location')} FROM {quote(TABLE)} WHERE {quote('location')} <> ''"
        )
        while rows := reading.fetchmany(CHUNK):
            places = [(parse(location), pk) for pk, location in rows]
            with connection.cursor() as writing:
                writing.executemany(
                    f"UPDATE {quote(TABLE)} SET {quote('city')} = %s, {quote('country')} = %s WHERE {quote('id')} = %s",
                    [(place.city, place.country, pk) for place, pk in places if place],
                )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_person_notes_html"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="city",
            field=models.CharField(blank=True, help_text="The gazetteer's name when it knows the city.", max_length=100),
        ),
        migrations.AddField(
            model_name="person",
            name="country",
            field=models.CharField(blank=True, help_text="ISO 3166-1 alpha-2 code.", max_length=2),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["owner", "city"], name="person_owner_city"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["owner", "country"], name="person_owner_country"),
        ),
        migrations.RunPython(fill_places, migrations.RunPython.noop, elidable=True),
    ]
