# A follow-up's cause becomes a generic relation (cause_type, cause_id) and a key, in place of the
# text "touch:12". No data migration: nothing is released, and the migrations are squashed.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('followups', '0002_kinds_congratulate_introduction'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='followup',
            name='followup_one_pending_per_cause',
        ),
        migrations.RemoveField(
            model_name='followup',
            name='cause',
        ),
        migrations.AddField(
            model_name='followup',
            name='cause_id',
            field=models.PositiveBigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='followup',
            name='cause_key',
            field=models.CharField(blank=True, default='', max_length=40),
        ),
        migrations.AddField(
            model_name='followup',
            name='cause_type',
            field=models.ForeignKey(db_index=False, default=None, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype'),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name='followup',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['open', 'snoozed'])), fields=('owner', 'person', 'kind', 'cause_type', 'cause_id', 'cause_key'), name='followup_one_pending_per_cause'),
        ),
    ]
