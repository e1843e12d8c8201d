"""Stored codes in English, step 3 of 3: the constraints that name a code, with the English codes."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exchange_groups', '0007_english_codes_data'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('registered', 'waiting'))), fields=('meeting', 'user'), name='one_active_registration_per_meeting_user'),
        ),
        migrations.AddConstraint(
            model_name='resource',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'file'), models.Q(('file', ''), _negated=True), ('url', '')), models.Q(('kind', 'link'), ('file', ''), models.Q(('url', ''), _negated=True)), _connector='OR'), name='resource_file_or_link'),
        ),
    ]
