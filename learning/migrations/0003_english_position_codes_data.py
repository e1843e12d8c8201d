"""A course's audience in English position codes, step 2 of 2: the stored lists of courses and of their revisions.

The map is the one exchange_groups' 0007 applies to people's profiles (the same position categories)."""

from importlib import import_module

from django.db import migrations

from oswiata_kit.recoding import inverted, recode_list_field, recode_revisions

POSITION_CATEGORY = import_module("exchange_groups.migrations.0007_english_codes_data").POSITION_CATEGORY


def _recode(apps, codes):
    recode_list_field(apps.get_model("learning", "CoursePage"), "audience", codes)
    recode_revisions(apps, "learning", "coursepage", list_fields={"audience": codes})


def forwards(apps, schema_editor):
    _recode(apps, POSITION_CATEGORY)


def backwards(apps, schema_editor):
    _recode(apps, inverted(POSITION_CATEGORY))


class Migration(migrations.Migration):

    dependencies = [
        ("learning", "0002_english_position_codes"),
        ("exchange_groups", "0007_english_codes_data"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
