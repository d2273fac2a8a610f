"""An introduction's follow-ups no longer end in "(intro #12)": a person reads no ids. The
follow-up stays tied to its introduction by its subject, so the words were only for show."""

import re

from django.db import migrations

ID = re.compile(r" \(intro #\d+\)$")


def drop_ids(apps, schema_editor):
    FollowUp = apps.get_model("followups", "FollowUp")
    changed = []
    for follow_up in (
        FollowUp.objects.filter(kind="introduction", reason__contains="(intro #").only("pk", "reason").iterator()
    ):
        reason = ID.sub("", follow_up.reason)
        if reason != follow_up.reason:
            follow_up.reason = reason
            changed.append(follow_up)
    FollowUp.objects.bulk_update(changed, ["reason"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("introductions", "0002_declined_match"),
        ("followups", "0002_weekly_review_indexes"),
    ]

    operations = [migrations.RunPython(drop_ids, migrations.RunPython.noop)]
