"""The site-wide forum and a forum for every space that exists (new spaces get one from a signal)."""

from django.db import migrations
from django.utils.text import slugify


def make_forums(apps, schema_editor):
    Forum = apps.get_model("forums", "Forum")
    Category = apps.get_model("forums", "Category")
    Space = apps.get_model("exchange_groups", "Space")

    def first_category(forum):
        Category.objects.get_or_create(
            forum=forum,
            slug=slugify("dyskusja-ogolna"),
            defaults={"name": "Dyskusja ogólna", "description": "Wszystko, co nie ma innego miejsca.", "order": 0},
        )

    if not Forum.objects.filter(is_site_wide=True).exists():
        forum = Forum.objects.create(
            is_site_wide=True,
            name="Forum ogólnopolskie",
            description="Forum dla wszystkich uczestników projektu ze wszystkich JST.",
        )
        first_category(forum)
    for space in Space.objects.filter(forum__isnull=True):
        forum = Forum.objects.create(space=space, name=f"Forum: {space.name}"[:200])
        first_category(forum)


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]

    operations = [migrations.RunPython(make_forums, migrations.RunPython.noop)]
