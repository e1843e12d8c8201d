"""Every new space gets its forum (with a first category) when it is created."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from exchange_groups.models import Space


@receiver(post_save, sender=Space, dispatch_uid="forums_space_forum")
def make_space_forum(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import ensure_forum

        ensure_forum(instance)
