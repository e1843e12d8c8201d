"""Meetings react to membership changes: a person who leaves a space or is removed from it loses their
registrations for its meetings that have not started (people waiting get the freed places)."""

import logging

from django.dispatch import receiver

from .signals_membership import membership_changed

logger = logging.getLogger(__name__)


@receiver(membership_changed, dispatch_uid="exchange_groups.meetings.cancel_registrations_of_former_members")
def cancel_registrations_of_former_members(sender, space, user, active, **kwargs):
    if active:
        return
    from .meetings import cancel_future_registrations

    cancelled = cancel_future_registrations(user, space)
    if cancelled:
        logger.info("Withdrew %s meeting registration(s) of user %s who left space %s", cancelled, user.pk, space.pk)
