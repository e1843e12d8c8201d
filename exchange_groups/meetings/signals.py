"""Meetings react to membership changes: a person who leaves a space or is removed from it loses their
registrations for its meetings that have not started (people waiting get the freed places).

`meeting_changed` (sent here by `meetings.update_meeting` when the time, place or form of a meeting changed,
and by `meetings.cancel_meeting`; always after the transaction commits): sender=Meeting; kwargs `meeting`
(the Meeting), `kind` ("updated" or "cancelled"), `user_ids` (the people registered or waiting). The meetings
e-mail these people themselves; receivers (notifications) add what they need, never a second e-mail.
"""

import logging

from django.dispatch import Signal, receiver

from exchange_groups.spaces.signals import membership_changed
from oswiata_kit.on_commit import send_signal_on_commit

logger = logging.getLogger(__name__)

meeting_changed = Signal()


def send_meeting_changed(meeting, kind: str, user_ids: list[int]) -> None:
    """Send `meeting_changed` once the transaction commits; a failing receiver is logged, not raised."""
    send_signal_on_commit(meeting_changed, type(meeting), meeting=meeting, kind=kind, user_ids=list(user_ids))


@receiver(membership_changed, dispatch_uid="exchange_groups.meetings.services.cancel_registrations_of_former_members")
def cancel_registrations_of_former_members(sender, space, user, active, **kwargs):
    if active:
        return
    from exchange_groups.meetings.services import cancel_future_registrations

    cancelled = cancel_future_registrations(user, space)
    if cancelled:
        logger.info("Withdrew %s meeting registration(s) of user %s who left space %s", cancelled, user.pk, space.pk)
