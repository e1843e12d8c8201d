"""Revisions made by a moderator's edit, and every older revision of the same post, are withheld from members
(issue 12): a moderator's edit that removed text must remove it from the post's history too. The data step marks
the revisions such edits made before this migration (an editor other than the post's author; a deleted editor
on a post marked "edited by a moderator"), takes the reason from the moderation log, and restricts them and
the older revisions of their post."""

from django.db import migrations, models
from django.db.models import F, Q


def restrict_earlier_moderator_edits(apps, schema_editor):
    PostRevision = apps.get_model("forums", "PostRevision")
    ModerationAction = apps.get_model("forums", "ModerationAction")
    moderator_edits = PostRevision.objects.filter(
        Q(edited_by__isnull=False) & ~Q(edited_by_id=F("post__author_id"))
        | Q(edited_by__isnull=True, post__edited_by_moderator=True)
    )
    for revision in moderator_edits.iterator():
        action = (
            ModerationAction.objects.filter(kind="edit", post_id=revision.post_id, created_at__gte=revision.edited_at)
            .order_by("created_at", "pk")
            .first()
        )
        PostRevision.objects.filter(pk=revision.pk).update(
            by_moderator=True, moderator_reason=action.reason if action is not None else ""
        )
        PostRevision.objects.filter(post_id=revision.post_id, edited_at__lte=revision.edited_at).update(restricted=True)


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0003_moderation"),
    ]

    operations = [
        migrations.AddField(
            model_name="postrevision",
            name="by_moderator",
            field=models.BooleanField(default=False, verbose_name="changed by a moderator"),
        ),
        migrations.AddField(
            model_name="postrevision",
            name="moderator_reason",
            field=models.TextField(blank=True, verbose_name="moderator's reason"),
        ),
        migrations.AddField(
            model_name="postrevision",
            name="restricted",
            field=models.BooleanField(
                default=False,
                help_text="Set when a moderator's edit removed text: members no longer see this version.",
                verbose_name="visible only to the author and the moderators",
            ),
        ),
        migrations.RunPython(restrict_earlier_moderator_edits, migrations.RunPython.noop),
    ]
