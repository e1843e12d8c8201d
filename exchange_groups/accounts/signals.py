"""Signal receivers of exchange_groups.

Logging out closes the person's open sockets (DESIGN.md, real-time contract): every socket joins the
per-user group of exchange_groups.accounts.realtime. A password change makes every socket of the person re-check its
own session, so only the sessions that stay logged in keep their sockets (socket_sessions.py).
"""

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from exchange_groups.accounts.realtime import close_user_sockets
from exchange_groups.accounts.socket_sessions import recheck_user_sockets


@receiver(user_logged_out)
def close_sockets_on_logout(sender, request, user, **kwargs):
    if user is not None:
        close_user_sockets(user.pk)


@receiver(post_save, sender="exchange_groups.User")
def close_sockets_on_deactivation(sender, instance, created, **kwargs):
    if not created and not instance.is_active:
        close_user_sockets(instance.pk)


@receiver(pre_save, sender="exchange_groups.User", dispatch_uid="exchange_groups.note_password_change")
def note_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """Compare the password hash with the stored one; post_save acts once the new hash is written.

    Every way of setting a password ends in this save: the password-change and reset views, the Wagtail
    admin, `manage.py changepassword`, a hasher upgrade at login.
    """
    instance._password_hash_changed = False
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_hash_changed = stored is not None and stored != instance.password


@receiver(post_save, sender="exchange_groups.User", dispatch_uid="exchange_groups.recheck_sockets_on_password_change")
def recheck_sockets_on_password_change(sender, instance, created, raw=False, **kwargs):
    if getattr(instance, "_password_hash_changed", False):
        instance._password_hash_changed = False
        recheck_user_sockets(instance.pk)


@receiver(post_save, sender="exchange_groups.User")
def ensure_profile(sender, instance, created, **kwargs):
    if created:
        from exchange_groups.models import Profile

        Profile.objects.get_or_create(user=instance)
