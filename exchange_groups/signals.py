"""Signal receivers of exchange_groups.

Logging out closes the person's open sockets (DESIGN.md, real-time contract): every socket joins the
per-user group of exchange_groups.realtime.
"""

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from .realtime import close_user_sockets


@receiver(user_logged_out)
def close_sockets_on_logout(sender, request, user, **kwargs):
    if user is not None:
        close_user_sockets(user.pk)


@receiver(post_save, sender="exchange_groups.User")
def close_sockets_on_deactivation(sender, instance, created, **kwargs):
    if not created and not instance.is_active:
        close_user_sockets(instance.pk)


@receiver(post_save, sender="exchange_groups.User")
def ensure_profile(sender, instance, created, **kwargs):
    if created:
        from .models import Profile

        Profile.objects.get_or_create(user=instance)
