"""Receivers of the forums app: what the forums do when something happens in an app below them.

Connected in `ForumsConfig.ready`. A new space gets its forum (with a first category) as it is created;
fixtures loaded raw are left alone.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from exchange_groups.models import Space

from .services import ensure_forum


@receiver(post_save, sender=Space, dispatch_uid="forums_space_forum")
def make_space_forum(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_forum(instance)
