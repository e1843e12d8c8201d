"""A per-person secret in every unsubscribe link, so the links can be revoked (issue 12).

Existing rows get a key of their own (the field's callable default would give them all the same one); links
sent before this migration carry no key and are refused as revoked."""

from django.db import migrations, models

import notifications.models


def give_every_person_a_key(apps, schema_editor):
    preferences = apps.get_model("notifications", "NotificationPreferences")
    for prefs in preferences.objects.only("pk").iterator():
        preferences.objects.filter(pk=prefs.pk).update(unsubscribe_key=notifications.models.new_unsubscribe_key())


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notificationpreferences",
            name="unsubscribe_key",
            field=models.CharField(
                default=notifications.models.new_unsubscribe_key,
                editable=False,
                max_length=64,
                verbose_name="key of the unsubscribe links",
            ),
        ),
        migrations.RunPython(give_every_person_a_key, migrations.RunPython.noop, elidable=True),
    ]
